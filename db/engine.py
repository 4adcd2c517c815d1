"""Engines and sessions for SQLite (the embedded default) and PostgreSQL, from one database URL.

Every database call has a time limit, shorter while a parent waits for the answer (:func:`interactive`):
a locked SQLite file or a PostgreSQL server that stopped answering costs that parent a second or two and an
apology, not everyone's replies. Deleted rows are overwritten on SQLite (``secure_delete``), and
:func:`wipe_freed_pages` empties the write-ahead log after an erasure. Statement parameters (names,
birthdates) never appear in errors or logs (``hide_parameters``).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, SessionTransaction

# How long a write waits for another writer's lock: background work (dispatcher passes, housekeeping,
# the command line) can wait; a parent's update gives up sooner and is told to try again.
SQLITE_BUSY_TIMEOUT_MS = 5000
INTERACTIVE_BUSY_TIMEOUT_MS = 1000
# PostgreSQL: connecting, a statement and a lock wait; the client-side limit also covers a server that
# accepts connections but never answers (the server-side ones cannot).
# A PostgreSQL server that does not answer is reported after this long, not asyncpg's default minute.
CONNECT_TIMEOUT_SECONDS = 10
PG_COMMAND_TIMEOUT_S = 30.0
PG_STATEMENT_TIMEOUT_MS = 20000
PG_LOCK_TIMEOUT_MS = 5000
INTERACTIVE_STATEMENT_TIMEOUT_MS = 3000
INTERACTIVE_LOCK_TIMEOUT_MS = 1000

_INTERACTIVE: ContextVar[bool] = ContextVar("securebase_interactive_database", default=False)


@contextlib.contextmanager
def interactive() -> Iterator[None]:
    """Database work in this block (this task and tasks it starts) is for a parent waiting for an answer:
    shorter lock and statement timeouts."""
    token = _INTERACTIVE.set(True)
    try:
        yield
    finally:
        _INTERACTIVE.reset(token)


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
    # Never through a link: a dangling symlink in its place would otherwise create its target, and a link an
    # operator placed on purpose keeps its target's permissions (they chose that file; SQLite follows the link).
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        if error.errno != errno.ELOOP or not path.exists():
            raise  # a dangling link: refused rather than followed to create its target
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    """Per connection: readers never block the writer (WAL), foreign keys enforced as on PostgreSQL, a
    writer waits for another instead of failing at once, WAL's safe-but-faster sync level, and deleted
    content overwritten with zeros rather than left in free pages."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    if record is not None:  # the dispatcher's own quick-store connection has no pool record
        record.info["busy_timeout"] = SQLITE_BUSY_TIMEOUT_MS


def sqlite_file(url: str | URL) -> Path | None:
    """The file behind an SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database.removeprefix("file:").split("?", 1)[0])


def _postgresql_limits(kwargs: dict[str, Any]) -> None:
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("command_timeout", PG_COMMAND_TIMEOUT_S)
    server = connect_args.setdefault("server_settings", {})
    server.setdefault("statement_timeout", str(PG_STATEMENT_TIMEOUT_MS))
    server.setdefault("lock_timeout", str(PG_LOCK_TIMEOUT_MS))
    kwargs.setdefault("pool_timeout", 10)


def create_engine(
    url: str | URL, *, create: bool = True, time_limits: bool = True, **kwargs: Any
) -> AsyncEngine:
    """An async engine with the settings each backend needs to be safe for the bot.

    ``create=False`` is for commands that must leave no trace (a dry run, a health check): a missing SQLite
    file raises :class:`FileNotFoundError` instead of being created. ``time_limits=False`` lifts the
    PostgreSQL statement limits, for migrations (an index on a big table takes its time)."""
    parsed = async_url(url)
    kwargs.setdefault("hide_parameters", True)
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
        kwargs.setdefault("connect_args", {}).setdefault("timeout", CONNECT_TIMEOUT_SECONDS)
        if time_limits:
            _postgresql_limits(kwargs)
    return create_async_engine(parsed, **kwargs)


class TimedSession(Session):
    """A session whose transactions get the time limits of who is waiting (see :func:`interactive`)."""


@event.listens_for(TimedSession, "after_begin")
def _time_limits(_session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    waiting = _INTERACTIVE.get()
    if connection.dialect.name == "sqlite":
        wanted = INTERACTIVE_BUSY_TIMEOUT_MS if waiting else SQLITE_BUSY_TIMEOUT_MS
        if connection.info.get("busy_timeout") != wanted:  # set per connection, so only on a change
            connection.exec_driver_sql(f"PRAGMA busy_timeout={wanted}")
            connection.info["busy_timeout"] = wanted
    elif waiting and connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "SELECT set_config('statement_timeout', :statement, true), set_config('lock_timeout', :lock, true)"
            ),
            {"statement": str(INTERACTIVE_STATEMENT_TIMEOUT_MS), "lock": str(INTERACTIVE_LOCK_TIMEOUT_MS)},
        )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """One session per update or job; ``expire_on_commit=False`` so results stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=TimedSession)


async def wipe_freed_pages(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """After an erasure on SQLite: copy the write-ahead log into the database and truncate it, so the old
    versions of the erased rows (still whole in the log's frames) leave the disk with the rows themselves.

    False when a reader kept part of the log in use (the next housekeeping run tries again); True otherwise,
    and always on PostgreSQL, where this is the server's business (autovacuum)."""
    async with sessions() as s:
        if s.get_bind().dialect.name != "sqlite":
            return True
        busy = (await s.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))).first()
        return busy is None or busy[0] == 0
