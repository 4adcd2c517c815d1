"""Engines and sessions for SQLite (the embedded default) and PostgreSQL, from one database URL."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 5000
# A PostgreSQL server that does not answer is reported after this long, not asyncpg's default minute.
CONNECT_TIMEOUT_SECONDS = 10


def async_url(url: str | URL) -> URL:
    """Pick the async driver for a plain URL: ``sqlite://`` -> aiosqlite, ``postgresql://`` (or the
    ``postgres://`` some hosts hand out) -> asyncpg. A URL naming its driver is left as it is."""
    parsed = make_url(url)
    if parsed.drivername == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    return parsed


def _prepare_sqlite_file(url: URL) -> None:
    """Create the database file (and its folder) readable by its owner only, before SQLite makes it 0644."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    os.chmod(path, 0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: readers never block the writer (WAL), foreign keys enforced as on PostgreSQL, a
    writer waits for another instead of failing at once, and WAL's safe-but-faster sync level."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_file(url: str | URL) -> Path | None:
    """The file behind an SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database.removeprefix("file:").split("?", 1)[0])


def create_engine(url: str | URL, *, create: bool = True, **kwargs: Any) -> AsyncEngine:
    """An async engine with the settings each backend needs to be safe for the bot.

    ``create=False`` is for commands that must leave no trace (a dry run, a health check): a missing SQLite
    file raises :class:`FileNotFoundError` instead of being created."""
    parsed = async_url(url)
    if parsed.get_backend_name() == "sqlite":
        if create:
            _prepare_sqlite_file(parsed)
        elif (path := sqlite_file(parsed)) is not None and not path.exists():
            raise FileNotFoundError(errno.ENOENT, "no database file yet", str(path))
        engine = create_async_engine(parsed, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if parsed.drivername == "postgresql+asyncpg":
        kwargs.setdefault("connect_args", {"timeout": CONNECT_TIMEOUT_SECONDS})
    return create_async_engine(parsed, **kwargs)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """One session per update or job; ``expire_on_commit=False`` so results stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
