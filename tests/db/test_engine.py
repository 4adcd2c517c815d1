"""Engine settings: driver choice from plain URLs, SQLite made safe (WAL, foreign keys, busy timeout, 0600,
secure delete), time limits on every database call, and no parameters in errors."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import (
    INTERACTIVE_BUSY_TIMEOUT_MS,
    SQLITE_BUSY_TIMEOUT_MS,
    async_url,
    create_engine,
    interactive,
    session_factory,
)
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


async def test_a_link_to_the_database_leaves_its_target_as_the_operator_set_it(tmp_path: Path) -> None:
    """A link an operator placed is followed by SQLite, but its target's permissions are theirs: only a file we
    create or own directly is tightened."""
    target = tmp_path / "elsewhere.db"
    target.touch(mode=0o640)
    target.chmod(0o640)
    (tmp_path / "securebase.db").symlink_to(target)
    engine = create_engine(f"sqlite:///{tmp_path / 'securebase.db'}")
    await engine.dispose()
    assert mode(target) == 0o640


async def test_a_dangling_link_in_place_of_the_database_is_refused(tmp_path: Path) -> None:
    """Never followed to create a file where the link points."""
    (tmp_path / "securebase.db").symlink_to(tmp_path / "nowhere.db")
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        create_engine(f"sqlite:///{tmp_path / 'securebase.db'}")
    assert not (tmp_path / "nowhere.db").exists()


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


async def test_sqlite_overwrites_deleted_content(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA secure_delete")) == 1
    finally:
        await engine.dispose()


async def busy_timeout(sessions: Any) -> int:
    async with sessions() as s:
        return int(await s.scalar(text("PRAGMA busy_timeout")))


async def test_a_parent_waiting_gets_a_shorter_lock_wait_on_the_same_connections(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.db'}", pool_size=1, max_overflow=0)
    sessions = session_factory(engine)
    try:
        assert await busy_timeout(sessions) == SQLITE_BUSY_TIMEOUT_MS
        with interactive():
            assert await busy_timeout(sessions) == INTERACTIVE_BUSY_TIMEOUT_MS
        assert await busy_timeout(sessions) == SQLITE_BUSY_TIMEOUT_MS  # back for background work
    finally:
        await engine.dispose()


async def test_postgresql_statements_have_time_limits(engine: AsyncEngine, db_backend: str) -> None:
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL only")
    sessions = session_factory(engine)
    async with sessions() as s:
        assert await s.scalar(text("SHOW statement_timeout")) == "20s"
        assert await s.scalar(text("SHOW lock_timeout")) == "5s"
    with interactive():
        async with sessions() as s:
            assert await s.scalar(text("SHOW statement_timeout")) == "3s"
            assert await s.scalar(text("SHOW lock_timeout")) == "1s"


async def test_errors_never_quote_statement_parameters(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        with pytest.raises(DBAPIError) as raised:
            await connection.execute(
                text("INSERT INTO children (name, birthdate, created_at) VALUES (:name, NULL, NULL)"),
                {"name": "Wilhelmina-Secret"},
            )
    assert "Wilhelmina-Secret" not in str(raised.value)
