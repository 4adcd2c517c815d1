"""Engine settings: driver choice from plain URLs, and SQLite made safe (WAL, foreign keys, busy timeout, 0600)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from db.engine import SQLITE_BUSY_TIMEOUT_MS, async_url, create_engine
from db.migrate import upgrade_to_head_async


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("sqlite:////srv/bot/x.db", "sqlite+aiosqlite:////srv/bot/x.db"),
        ("postgresql://bot:pw@db:5432/sb", "postgresql+asyncpg://bot:pw@db:5432/sb"),
        ("postgres://bot@db/sb", "postgresql+asyncpg://bot@db/sb"),
        # A URL that names its driver keeps it.
        ("postgresql+psycopg://bot@db/sb", "postgresql+psycopg://bot@db/sb"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_plain_urls_get_async_drivers(given: str, expected: str) -> None:
    assert async_url(given).render_as_string(hide_password=False) == expected


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_sqlite_file_and_its_journal_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "bot.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        await upgrade_to_head_async(engine)
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO children (name, birthdate, created_at) VALUES ('a', '2025-01-01', '2025-01-01 00:00:00')"
                )
            )
            wal = path.with_name("bot.db-wal")
            assert wal.exists()
            assert mode(wal) == 0o600
    finally:
        await engine.dispose()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


async def test_an_existing_world_readable_sqlite_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine = create_engine(f"sqlite:///{path}")
    await engine.dispose()
    assert mode(path) == 0o600


async def test_a_relative_sqlite_path_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = create_engine("sqlite:///data/securebase.db")
    await engine.dispose()
    assert mode(tmp_path / "data" / "securebase.db") == 0o600


async def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert await connection.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS
    finally:
        await engine.dispose()
