"""Claims on SQLite run on the event loop's thread: the same rows as through the async driver, and the async
driver instead, at once, while another connection is writing."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import passes
from db import loop_session, sqlite_claims
from db.engine import create_engine, session_factory, sqlite_file
from db.migrate import upgrade_to_head_async
from db.models import Caregiver, Delivery, Parent
from tests.dispatch.support import FakeClock, make_dispatcher, make_family
from tests.fake_telegram import FakeBotAPI

SLOT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
BEFORE = SLOT - dt.timedelta(hours=1)


async def _rows(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[object, ...]]:
    async with sessions() as s:
        deliveries = [
            (d.id, d.parent_id, d.child_id, d.item_id, d.slot_at, d.state, d.claimed_at, d.attempts)
            for d in await s.scalars(select(Delivery).order_by(Delivery.id))
        ]
        links = [
            (c.parent_id, c.child_id, c.tips_sent, c.tip_counts, c.tip_latest, c.announced_bands)
            for c in await s.scalars(select(Caregiver).order_by(Caregiver.parent_id, Caregiver.child_id))
        ]
        parents = [(p.id, p.next_due_at) for p in await s.scalars(select(Parent).order_by(Parent.id))]
    return [*deliveries, *links, *parents]


async def _two_passes(
    sessions: async_sessionmaker[AsyncSession],
) -> tuple[list[tuple[object, ...]], FakeBotAPI]:
    api = FakeBotAPI()
    for chat_id in range(80, 86):
        kids = [("Mia", dt.date(2025, 5, 20))] + ([("Leo", dt.date(2024, 1, 3))] if chat_id % 2 else [])
        await make_family(sessions, chat_id, kids, now=BEFORE)
    for week in range(2):
        slot = SLOT + dt.timedelta(weeks=week)
        dispatcher = make_dispatcher(api, sessions, clock=FakeClock(slot), batch_size=4)
        await dispatcher.run_once(slot)
    return await _rows(sessions), api


@asynccontextmanager
async def _busy(_sessions: object) -> AsyncIterator[None]:
    raise loop_session.Busy
    yield  # pragma: no cover


async def test_claims_on_the_loop_thread_leave_what_the_async_driver_would(
    db_backend: str, db_url: str, sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    if db_backend != "sqlite":
        pytest.skip("claims on the loop's thread are for SQLite")
    assert loop_session._engine_for(sessions) is not None
    on_loop, api = await _two_passes(sessions)
    assert len([m for m in api.sent if m.method == "sendMessage"]) == 18  # 9 children, two weeks
    monkeypatch.setattr(passes, "loop_session", _busy)  # as while another connection writes
    other = create_engine(db_url.replace("securebase.db", "other.db"))
    try:
        await upgrade_to_head_async(other)
        through_driver, api = await _two_passes(session_factory(other))
    finally:
        await other.dispose()
    assert len([m for m in api.sent if m.method == "sendMessage"]) == 18
    assert on_loop == through_driver
    # Stored as the same text too (datetimes, JSON), not only read back as equal values.
    assert _stored(db_url) == _stored(db_url.replace("securebase.db", "other.db"))


def _stored(url: str) -> list[tuple[object, ...]]:
    """The rows a claim writes, as SQLite holds them (wall-clock stamps aside)."""
    path = sqlite_file(url)
    assert path is not None
    db = sqlite3.connect(path)
    try:
        return [
            *db.execute("SELECT * FROM deliveries ORDER BY id"),
            *db.execute(
                "SELECT parent_id, child_id, tips_sent, tip_counts, tip_latest, announced_bands, typeof(tip_counts)"
                " FROM caregivers ORDER BY parent_id, child_id"
            ),
            *db.execute("SELECT id, next_due_at, updated_at > created_at FROM parents ORDER BY id"),
        ]
    finally:
        db.close()


async def test_a_claim_does_not_wait_on_the_loop_for_another_writer(
    db_backend: str, db_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    if db_backend != "sqlite":
        pytest.skip("claims on the loop's thread are for SQLite")
    path = sqlite_file(db_url)
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(loop_session.Busy):  # at once: the async driver waits instead
            async with loop_session.loop_session(sessions):
                pass
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    async with loop_session.loop_session(sessions) as s:
        assert s is not None


async def _wal_after_a_pass(sessions: async_sessionmaker[AsyncSession], db_url: str) -> int:
    for chat_id in range(90, 102):
        await make_family(sessions, chat_id, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    path = sqlite_file(db_url)
    assert path is not None
    _empty_the_log(path)  # the families set up: the pass starts with an empty log
    api = FakeBotAPI()
    await make_dispatcher(api, sessions, clock=FakeClock(SLOT), batch_size=2).run_once(SLOT)
    assert len([m for m in api.sent if m.method == "sendMessage"]) == 12
    return _log_size(path)


def _empty_the_log(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone() == (0, 0, 0)
    finally:
        db.close()


def _log_size(path: Path) -> int:
    return Path(f"{path}-wal").stat().st_size


async def test_a_pass_copies_the_log_into_the_database_between_batches(
    db_backend: str, db_url: str, sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing else checkpoints during a pass (the loop thread's connections never do by themselves): without
    a checkpoint after each claim the log grows with every tip of the pass."""
    if db_backend != "sqlite":
        pytest.skip("claims on the loop's thread are for SQLite")
    checkpointed = await _wal_after_a_pass(sessions, db_url)
    monkeypatch.setattr(passes, "checkpoint", lambda _sessions: None)
    other = db_url.replace("securebase.db", "other.db")
    engine = create_engine(other)
    try:
        await upgrade_to_head_async(engine)
        grown = await _wal_after_a_pass(session_factory(engine), other)
    finally:
        await engine.dispose()
    assert checkpointed * 2 < grown


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"sa-0-9-follow-cues": 3},
        {"a": 1, 'é "quoted" \\': 22, "b": 1234567890123},
        # Not written by this code, but a stored value read back must never be written out as invalid JSON.
        {"a": True, "b": 2},
        {"a": float("nan")},
    ],
)
def test_a_claims_summary_maps_are_stored_as_json_dumps_writes_them(values: dict[str, int]) -> None:
    assert sqlite_claims._dumps_ints(values) == json.dumps(values)


@pytest.mark.parametrize(
    ("stored", "key", "value"),
    [
        (None, "a", 1),
        ("{}", "a", 1),
        (json.dumps({"a": 1, "b": 22}), "a", 1234567890123),  # a longer number in place
        (json.dumps({"a": 1, "b": 22}), "b", 3),  # the last key
        (json.dumps({"a": 1, "b": 22}), "c", 7),  # a new key: at the end, as a dict puts it
        (json.dumps({"s1": 1, "s12": 5}), "s1", 2),  # a key that begins another
        (json.dumps({'é "quoted" \\': 4, "quoted": 2}), "quoted", 9),
        (json.dumps({"a": True, "b": 2}), "a", 5),  # not a number there: the map written whole
        ('{"a":1,"b":2}', "c", 3),  # not as json.dumps writes it: still one valid object
        ('{"a":1,"b":2}', "a", 3),
        ("{ }", "a", 3),
        ('{"n": {"z": 0, "a": 5}, "a": 5}', "a", 6),  # the same key nested: the map written whole
        ('{"a": 1, "b": 2, "a": 1}', "a", 4),  # a key written twice, the last one wins: written whole
    ],
)
def test_a_claim_edits_a_summary_map_into_what_json_dumps_writes(
    stored: str | None, key: str, value: int
) -> None:
    decoded = None if stored is None else json.loads(stored)
    expected = dict(decoded or {})
    expected[key] = value
    edited = sqlite_claims._with_value(stored, decoded, key, value)
    assert json.loads(edited) == expected
    if stored is None or stored == json.dumps(decoded):
        assert edited == json.dumps(expected)
