"""SQLite only: a claim's transaction run on the event loop's own thread.

A pass claims a batch in one transaction of about ten statements. Through the async driver every statement
is handed to the driver's thread and back, and each hand-off waits for that thread (or the loop) to be
scheduled: on a shared machine a batch of 500 claims spent about twice its CPU time waiting, the sends
stopped meanwhile (bench/dispatch.py, 10,000 families: 0.10 ms of CPU and 0.18 to 0.28 ms of a pass's time
per tip). Here the same statements run on a synchronous connection of this thread, the loop held for the
batch's CPU time (tens of milliseconds for 500 parents).

Like ``db.quick_store`` it never waits for a lock: the transaction begins with ``BEGIN IMMEDIATE`` on a
connection with no busy timeout, so once it has begun no other writer can come between its reads and its
writes, and when another connection is writing :func:`loop_session` raises :class:`Busy` at once and the
caller claims through the async driver, which waits without blocking the loop.

:class:`LoopSession` offers the part of ``AsyncSession`` that claiming uses (``execute``, ``get_bind``,
``commit``, ``rollback``), so ``bot.dispatch.claims`` runs unchanged on either; ``db.deliveries`` sends its heaviest statements straight to
the ``sqlite3`` connection under it (``db.sqlite_claims``), skipping SQLAlchemy's processing of each value.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Result
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from db.engine import _sqlite_pragmas
from db.quick_store import is_busy, loop_thread_file


class Busy(Exception):
    """Another connection holds the database's write lock: claim through the async driver."""


class LoopSession:
    """A synchronous session that answers like an ``AsyncSession`` (its awaits never suspend)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    async def execute(self, statement: Any, params: Any = None) -> Result[Any]:
        return self._session.execute(statement, params)

    def get_bind(self) -> Any:
        return self._session.get_bind()

    def sqlite_connection(self) -> sqlite3.Connection:
        """The plain connection under this session, in its transaction (``db.sqlite_claims`` uses it)."""
        raw = self._session.connection().connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        return raw

    async def commit(self) -> None:
        self._session.commit()

    async def rollback(self) -> None:
        self._session.rollback()


_ENGINES: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], Engine | None] = (
    weakref.WeakKeyDictionary()
)


def _no_wait_pragmas(dbapi_connection: Any, record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    dbapi_connection.execute("PRAGMA busy_timeout=0")  # never wait for a lock on the loop's thread
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")  # nor at every commit: a pass calls checkpoint()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _engine_for(sessions: async_sessionmaker[AsyncSession]) -> Engine | None:
    if sessions in _ENGINES:
        return _ENGINES[sessions]
    path = loop_thread_file(sessions)
    sync: Engine | None = None
    if path is not None:
        sync = create_engine(
            f"sqlite:///{path}",
            poolclass=StaticPool,
            connect_args={"isolation_level": None, "timeout": 0, "check_same_thread": False},
            hide_parameters=True,
        )
        event.listen(sync, "connect", _no_wait_pragmas)
        event.listen(sync, "begin", _begin_immediate)
        weakref.finalize(sessions, sync.dispose)
    _ENGINES[sessions] = sync
    return sync


def checkpoint(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Copy the write-ahead log into the database (``PASSIVE``: whatever no reader still needs, waiting for
    nobody), on this thread, between a claim's commit and the sends. Neither this connection nor the quick
    store's checkpoints by itself, and in a pass nothing else writes: without this the log grew by about 16
    kB a tip for the whole pass (1.7 GB for 100,000 tips), and every page read searches the log's index
    first. Once the log is all copied, the next write starts it again from its beginning."""
    engine = _engine_for(sessions)
    if engine is None:
        return
    connection = engine.raw_connection()
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):  # another connection checkpointing: it does the work
            raise
    finally:
        connection.close()


@asynccontextmanager
async def loop_session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession | None]:
    """A session on this thread for the sessions' SQLite file, its transaction begun (``BEGIN IMMEDIATE``);
    None for other databases. Raises :class:`Busy` when another writer holds the database. What the caller
    does not commit is rolled back."""
    engine = _engine_for(sessions)
    if engine is None:
        yield None
        return
    with Session(engine, expire_on_commit=False) as session:
        try:
            session.connection()  # begins: BEGIN IMMEDIATE, at once or not at all
        except OperationalError as exc:
            session.rollback()
            cause = exc.orig
            if isinstance(cause, sqlite3.OperationalError) and is_busy(cause):
                raise Busy from exc
            raise
        # Typed as the async session the claiming code expects: it uses only what LoopSession offers.
        yield cast(AsyncSession, LoopSession(session))
