"""SQLite only: store send outcomes on the event loop's own thread.

The dispatcher stores each message's outcome before that worker sends again, so the stores are many and
small (one or two rows). Through the async driver each statement is handed to the driver's thread and back,
three hand-offs per statement with SQLAlchemy's adapter, and every hand-off has to win the interpreter lock
back from the busy event loop: measured with bench/dispatch.py (3,000 families, concurrency 8), stores of a
few rows beside the sends raised the CPU per tip from 1.5 to 2.2 ms. Here a store is one short transaction
on a connection of its own, about 40 microseconds, run where it is asked for.

It never waits for a lock: the transaction begins with ``BEGIN IMMEDIATE`` on a connection with no busy
timeout, and when another connection is writing (a parent's update, another process) :meth:`try_store`
returns False at once and the caller stores through the async driver, which waits without blocking the
loop. It never checkpoints either (that could write and sync many pages): the other connections do.

Only the common outcomes come here (sent, unconfirmed, left for later, and what the parent was told about a
child's stage); failures, which also recount a chat's tip summary, go through ``db.deliveries``. A test
checks that both paths leave the same rows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import weakref
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.deliveries import SendOutcome
from db.engine import _sqlite_pragmas
from db.models import DeliveryState
from db.sqlite_claims import stamp

Announced = tuple[int, int, str | None, dt.datetime | None]

# Datetimes are bound as SQLAlchemy stores them in SQLite (``db.sqlite_claims.stamp``).
_RECORD = "UPDATE deliveries SET state = ?, message_id = ?, sent_at = ?, error = ? WHERE id = ?"
_PENDING = "UPDATE deliveries SET error = ? WHERE id = ?"
_TOLD = (
    "UPDATE caregivers SET announced_bands = ?, farewell_at = coalesce(farewell_at, ?)"
    " WHERE parent_id = ? AND child_id = ?"
)


def _stamp(value: dt.datetime | None) -> str | None:
    return None if value is None else stamp(value)


def _execute(db: sqlite3.Connection, statement: str, rows: Sequence[tuple[Any, ...]]) -> None:
    if len(rows) == 1:
        db.execute(statement, rows[0])
    elif rows:
        db.executemany(statement, rows)


class Busy(Exception):
    """The database was locked when the quick store's connection opened: use the async path, try later."""


class QuickStore:
    """One SQLite connection for the loop thread's stores of outcomes."""

    def __init__(self, path: str) -> None:
        """Raises :class:`Busy` when the database is locked at this moment (try again later)."""
        self._db = sqlite3.connect(path, isolation_level=None, timeout=0)
        weakref.finalize(self, self._db.close)
        try:
            # The same settings as every other connection (the pool's record is only written to)...
            _sqlite_pragmas(self._db, SimpleNamespace(info={}))
            self._db.execute("PRAGMA busy_timeout=0")  # ...but never wait for a lock
            self._db.execute("PRAGMA wal_autocheckpoint=0")
        except sqlite3.OperationalError as exc:
            self._db.close()
            raise Busy(path) from exc

    def close(self) -> None:
        self._db.close()

    def try_store(self, outcomes: Sequence[SendOutcome], announced: Iterable[Announced]) -> bool:
        """Store these outcomes in one transaction; False (nothing written) when another writer holds the
        database. Failed outcomes are not for this path."""
        final: list[tuple[str, int | None, str | None, str | None, int]] = []
        pending: list[tuple[str | None, int]] = []
        for o in outcomes:
            state = o.state
            if state is None:
                pending.append((o.error, o.delivery_id))
                continue
            assert state is not DeliveryState.FAILED
            sent_at = stamp(o.at) if state is DeliveryState.SENT else None
            final.append((state.value, o.message_id, sent_at, o.error, o.delivery_id))
        told = [(bands, _stamp(bye), parent_id, child_id) for parent_id, child_id, bands, bye in announced]
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                return False
            raise
        try:
            # Most stores are of one outcome (each send worker stores its own before it sends again).
            _execute(self._db, _RECORD, final)
            _execute(self._db, _PENDING, pending)
            _execute(self._db, _TOLD, told)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return True


def loop_thread_file(sessions: async_sessionmaker[AsyncSession]) -> str | None:
    """The SQLite file a connection on the loop's thread can open beside these sessions' engine; None for
    other databases, in-memory ones and URI filenames."""
    engine = sessions.kw.get("bind")
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "sqlite":
        return None
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return path


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Another connection holds the write lock (what a connection with no busy timeout meets at once)."""
    return exc.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def quick_store_for(sessions: async_sessionmaker[AsyncSession]) -> QuickStore | None:
    """A :class:`QuickStore` on the sessions' database when it is an SQLite file; None otherwise. Raises
    :class:`Busy`."""
    path = loop_thread_file(sessions)
    return None if path is None else QuickStore(path)
