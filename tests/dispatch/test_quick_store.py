"""The quick SQLite store of outcomes leaves the same rows as the async path, and steps aside when another
connection is writing."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import create_engine, session_factory
from db.migrate import upgrade_to_head_async
from db.models import Caregiver, Delivery
from db.quick_store import Busy, QuickStore, quick_store_for
from tests.dispatch.support import FakeClock, make_dispatcher, make_family
from tests.fake_telegram import FakeBotAPI

SLOT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
BEFORE = SLOT - dt.timedelta(hours=1)


async def _rows(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[object, ...]]:
    async with sessions() as s:
        deliveries = [
            (d.parent_id, d.state, d.message_id is not None, d.sent_at, d.error, d.item_id)
            for d in await s.scalars(select(Delivery).order_by(Delivery.id))
        ]
        links = [
            (c.parent_id, c.announced_bands, c.farewell_at, c.tips_sent)
            for c in await s.scalars(select(Caregiver).order_by(Caregiver.parent_id))
        ]
    return [*deliveries, *links]


async def _a_week_of_tips(
    sessions: async_sessionmaker[AsyncSession], *, quick: bool
) -> list[tuple[object, ...]]:
    api = FakeBotAPI()
    for chat_id in range(70, 76):
        # The last two are past 36 months by the slot: their message is the goodbye (a farewell time stored).
        born = dt.date(2025, 5, 20) if chat_id < 74 else dt.date(2023, 2, 1)
        await make_family(sessions, chat_id, [("Mia", born)], now=BEFORE)
    api.time_out(delivered=True, chat_id=71)
    api.fail(500, "Internal Server Error", chat_id=72, times=10)
    dispatcher = make_dispatcher(api, sessions, concurrency=3, clock=FakeClock(SLOT))
    if not quick:
        dispatcher._quick = False
    await dispatcher.run_once(SLOT)
    return await _rows(sessions)


async def test_the_quick_store_leaves_what_the_async_path_would(
    db_backend: str, db_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    if db_backend != "sqlite":
        pytest.skip("the quick store is for SQLite")
    assert quick_store_for(sessions) is not None
    quick = await _a_week_of_tips(sessions, quick=True)
    assert any(row[1] == "unconfirmed" for row in quick)
    assert any(row[2] is not None for row in quick[-2:])  # farewell times
    other = create_engine(db_url.replace("securebase.db", "other.db"))
    try:
        await upgrade_to_head_async(other)
        slow = await _a_week_of_tips(session_factory(other), quick=False)
    finally:
        await other.dispose()
    assert quick == slow


def test_the_quick_store_steps_aside_while_another_connection_writes(tmp_path: object) -> None:
    path = f"{tmp_path}/locked.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")  # as every database the bot opens
    writer.execute("CREATE TABLE deliveries (id INTEGER PRIMARY KEY)")
    writer.execute("BEGIN IMMEDIATE")
    try:
        store = QuickStore(path)
        assert store.try_store([], []) is False  # at once, without waiting for the lock
        store.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_opening_while_the_database_is_locked_is_busy_at_once(tmp_path: object) -> None:
    """A database not yet in WAL mode, locked by a writer: switching it needs the lock, which is not waited for
    (the dispatcher stores through the async driver this time and tries again later)."""
    path = f"{tmp_path}/rollback-journal.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE deliveries (id INTEGER PRIMARY KEY)")
    writer.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(Busy):
            QuickStore(path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
