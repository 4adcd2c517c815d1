"""Database fixtures: every test that needs a database runs on SQLite, and on PostgreSQL too when
``TEST_DATABASE_URL`` is set (e.g. ``postgresql://postgres@127.0.0.1:5432/test``).

Each test gets a database of its own: a fresh SQLite file, or a freshly created PostgreSQL database with a
unique name that is dropped afterwards, so several test runs can share one server without colliding.

A test that uses ``engine`` (a database at the latest schema) gets its database as a copy of one migrated once
per run: the SQLite file copied, or a PostgreSQL database created with that one as its template. The copy is the
database a migration would have left, and ``engine`` still runs the upgrade (finding nothing to do), but the
migrations run once instead of once per test (on PostgreSQL they were most of each test's time).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
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


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade_to_head_async(engine)
    finally:
        await engine.dispose()


def _test_database_name() -> str:
    return f"securebase_test_{os.getpid()}_{secrets.token_hex(6)}"


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the latest schema, once per run: copied for each test that uses ``engine``."""
    path = tmp_path_factory.mktemp("migrated") / "securebase.db"
    asyncio.run(_migrate(f"sqlite:///{path}"))
    # Every connection is closed: the write-ahead log is folded into the file, which is all there is to copy.
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def _migrated_postgresql() -> Iterator[str]:
    """A PostgreSQL database migrated to the latest schema, once per run: the template of each test's database
    that uses ``engine`` (nobody connects to it once migrated, as CREATE DATABASE ... TEMPLATE requires)."""
    name = _test_database_name()
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        asyncio.run(_migrate(_plain_postgresql(TEST_DATABASE_URL, name)))
        yield name
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def db_url(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL (plain form, as a user would write it) of a new database of this test's own: empty, or, for a
    test that uses ``engine``, already at the latest schema (see the module's docstring)."""
    migrated = "engine" in request.fixturenames
    if db_backend == "sqlite":
        path = tmp_path / "securebase.db"
        if migrated:
            shutil.copyfile(request.getfixturevalue("_migrated_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    name = _test_database_name()
    template = f' TEMPLATE "{request.getfixturevalue("_migrated_postgresql")}"' if migrated else ""
    asyncio.run(_admin(f'CREATE DATABASE "{name}"{template}'))
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
