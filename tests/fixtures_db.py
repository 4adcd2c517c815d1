"""Database fixtures: every test that needs a database runs on SQLite, and on PostgreSQL too when
``TEST_DATABASE_URL`` is set (e.g. ``postgresql://postgres@127.0.0.1:5432/test``).

Each test gets a database of its own: a fresh SQLite file, or a freshly created PostgreSQL database with a
unique name that is dropped afterwards, so several test runs can share one server without colliding.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import create_engine, session_factory
from db.migrate import upgrade_to_head_async

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if TEST_DATABASE_URL else ["sqlite"]


def _plain_postgresql(url: str, database: str | None = None) -> str:
    """The server URL in the plain ``postgresql://`` form, optionally pointing at another database."""
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _admin(sql: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction, hence autocommit.
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(sql))
    finally:
        await admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    """Which backend this test runs on: "sqlite" or "postgresql"."""
    backend: str = request.param
    return backend


@pytest.fixture
def db_url(db_backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL (plain form, as a user would write it) of a new, empty database."""
    if db_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'securebase.db'}"
        return
    name = f"securebase_test_{os.getpid()}_{secrets.token_hex(6)}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield _plain_postgresql(TEST_DATABASE_URL, name)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test's database, migrated to the latest schema."""
    engine = create_engine(db_url)
    await upgrade_to_head_async(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Open one session per simulated update or job, as the bot does."""
    return session_factory(engine)
