"""The tip summary on each caregiver row stays what counting the deliveries would give: through passes, /tip,
failures, retries given up, feedback, races on PostgreSQL, export and delete."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dispatch import DispatchReport
from db import deliveries, turned_down
from db.engine import create_engine, session_factory
from db.families import create_invite, list_children, redeem_invite, remove_child
from db.models import Caregiver, Delivery, Feedback, Parent
from db.privacy import delete_parent, export_parent
from tests.dispatch.support import make_dispatcher, make_family
from tests.fake_telegram import FakeBotAPI

UTC = dt.UTC
SLOT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # a Sunday, 09:00 UTC
BEFORE = SLOT - dt.timedelta(hours=1)
WEEK = dt.timedelta(days=7)
STALE = dt.timedelta(minutes=10)


def _plain(summary: Any) -> tuple[int, dict[str, int], dict[str, int], set[str]]:
    return (
        summary.tips_sent,
        dict(summary.tip_counts or {}),
        dict(summary.tip_latest or {}),
        set(summary.tips_not_for_us or ()),
    )


async def assert_summaries_match_deliveries(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Every caregiver row's summary equals the count from the deliveries; returns the tips counted."""
    async with sessions() as s:
        rows = list(await s.scalars(select(Caregiver)))
        counted = await deliveries.summaries_from_deliveries(s, [(r.parent_id, r.child_id) for r in rows])
    for row in rows:
        assert _plain(row) == _plain(counted[(row.parent_id, row.child_id)]), (row.parent_id, row.child_id)
    return sum(row.tips_sent for row in rows)


async def _feedback(
    sessions: async_sessionmaker[AsyncSession], parent_id: int, delivery_id: int, feedback: Feedback
) -> None:
    async with sessions() as s:
        assert await deliveries.record_feedback(s, parent_id, delivery_id, feedback)
        await s.commit()


async def test_summaries_follow_every_change_and_drive_the_choice(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    mia_and_leo = await make_family(
        sessions, 61, [("Mia", dt.date(2025, 5, 20)), ("Leo", dt.date(2024, 9, 1))], now=BEFORE
    )
    await make_family(sessions, 62, [("Ada", dt.date(2025, 7, 1))], now=BEFORE)
    dispatcher = make_dispatcher(api, sessions)
    for week in range(3):
        assert (await dispatcher.run_once(SLOT + week * WEEK)).sent == 3
        assert await assert_summaries_match_deliveries(sessions) == 3 * (week + 1)
    async with sessions() as s:
        mia, _leo = await list_children(s, mia_and_leo)
    assert await dispatcher.send_now(mia_and_leo, mia.id, SLOT + 2 * WEEK + dt.timedelta(hours=1))
    assert await assert_summaries_match_deliveries(sessions) == 10

    # "Not for us" on one of Mia's tips: recorded on the row, and Mia does not get it again.
    async with sessions() as s:
        rejected = (
            await s.scalars(select(Delivery).where(Delivery.child_id == mia.id).order_by(Delivery.id))
        ).first()
    assert rejected is not None
    await _feedback(sessions, mia_and_leo, rejected.id, Feedback.NOT_FOR_US)
    await assert_summaries_match_deliveries(sessions)
    async with sessions() as s:
        row = await s.get(Caregiver, (mia_and_leo, mia.id))
    assert row is not None
    assert row.tips_not_for_us == [rejected.item_id]
    for week in range(3, 12):
        await dispatcher.run_once(SLOT + week * WEEK)
    async with sessions() as s:
        later = list(
            await s.scalars(
                select(Delivery.item_id).where(Delivery.child_id == mia.id, Delivery.id > rejected.id)
            )
        )
    assert rejected.item_id not in later
    await _feedback(sessions, mia_and_leo, rejected.id, Feedback.HELPFUL)  # changed their mind
    await assert_summaries_match_deliveries(sessions)

    # A failed message does not count; a retry given up does not either.
    api.fail(400, "Bad Request: can't parse entities", chat_id=62)
    await dispatcher.run_once(SLOT + 12 * WEEK)
    api.fail(500, "Internal Server Error", chat_id=62, times=100)
    now = SLOT + 13 * WEEK
    for _ in range(4):
        await dispatcher.run_once(now)
        now += STALE + dt.timedelta(minutes=1)
    async with sessions() as s:
        failed = list(await s.scalars(select(Delivery.error).where(Delivery.state == "failed")))
    assert len(failed) == 2
    await assert_summaries_match_deliveries(sessions)


async def test_a_blocked_parent_counts_nothing_for_the_tips_not_sent(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 63, [("Mia", dt.date(2025, 5, 20)), ("Leo", dt.date(2024, 9, 1))], now=BEFORE)
    api.fail(403, "Forbidden: bot was blocked by the user", chat_id=63)
    assert (await make_dispatcher(api, sessions).run_once(SLOT)).blocked == 1
    assert await assert_summaries_match_deliveries(sessions) == 0


async def test_export_shows_the_summary_and_delete_takes_it_away(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    ana = await make_family(sessions, 64, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    ben = await make_family(sessions, 65, [("Zoe", dt.date(2025, 1, 1))], now=BEFORE)
    async with sessions() as s:
        (mia,) = await list_children(s, ana)
        ben_parent = await s.get(Parent, ben)
        assert ben_parent is not None
        invite = await create_invite(s, ana, mia.id, now=BEFORE, ttl=dt.timedelta(hours=48))
        await redeem_invite(s, invite.code, ben_parent, now=BEFORE)
        await s.commit()
    await make_dispatcher(api, sessions).run_once(SLOT)
    assert await assert_summaries_match_deliveries(sessions) == 3
    async with sessions() as s:
        exported = await export_parent(s, ana)
    (child,) = exported["children"]
    assert child["tips_sent"] == 1
    assert sum(child["tip_counts"].values()) == 1
    async with sessions() as s:
        await delete_parent(s, ana)
        await s.commit()
    async with sessions() as s:
        rows = list(await s.scalars(select(Caregiver)))
    assert sorted((r.parent_id, r.tips_sent) for r in rows) == [(ben, 1), (ben, 1)]
    assert await assert_summaries_match_deliveries(sessions) == 2


async def test_races_on_postgresql_lose_no_count(
    db_backend: str, db_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Two dispatchers and a burst of /tip and feedback on the same children at once."""
    if db_backend != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL setup (SQLite has a single writer)")
    api = FakeBotAPI()
    parents = [
        await make_family(
            sessions, chat_id, [("A", dt.date(2025, 5, 20)), ("B", dt.date(2024, 5, 20))], now=BEFORE
        )
        for chat_id in range(400, 430)
    ]
    async with sessions() as s:
        children = {p: [c.id for c in await list_children(s, p)] for p in parents}
    engines = [create_engine(db_url) for _ in range(3)]
    try:
        one, two, taps = (session_factory(e) for e in engines)
        first = make_dispatcher(api, one, batch_size=4, concurrency=3)
        second = make_dispatcher(api, two, batch_size=4, concurrency=3)
        on_demand = make_dispatcher(api, taps, concurrency=1)
        # Feedback needs tips to press on: one quiet week first.
        await first.run_once(SLOT)
        async with sessions() as s:
            sent = list(await s.execute(select(Delivery.parent_id, Delivery.id)))

        async def press(parent_id: int, delivery_id: int, n: int) -> None:
            feedback = Feedback.NOT_FOR_US if n % 3 == 0 else Feedback.HELPFUL
            async with taps() as s:
                await deliveries.record_feedback(s, parent_id, delivery_id, feedback)
                await s.commit()

        moment = SLOT + WEEK
        results = await asyncio.gather(
            first.run_once(moment),
            second.run_once(moment),
            *(
                on_demand.send_now(p, children[p][n % 2], moment + dt.timedelta(seconds=n + 1))
                for n, p in enumerate(parents)
            ),
            *(press(p, d, n) for n, (p, d) in enumerate(sent)),
        )
    finally:
        for engine in engines:
            await engine.dispose()
    passes = [r for r in results[:2] if isinstance(r, DispatchReport)]
    assert sum(r.sent for r in passes) == 60
    assert all(results[2 : 2 + len(parents)])
    assert await assert_summaries_match_deliveries(sessions) == 60 + 60 + 30


async def test_an_old_row_without_a_summary_is_recounted_on_feedback(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Any drift (here: a summary wiped by hand) is repaired by the next recount of that chat."""
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 66, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    await make_dispatcher(api, sessions).run_once(SLOT)
    async with sessions() as s:
        await s.execute(update(Caregiver).values(tips_sent=0, tip_counts=None, tip_latest=None))
        delivery_id = (await s.scalars(select(Delivery.id))).one()
        await s.commit()
    await _feedback(sessions, parent_id, delivery_id, Feedback.HELPFUL)
    assert await assert_summaries_match_deliveries(sessions) == 1


async def test_bringing_an_idea_back_recounts_every_caregivers_summary(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    ana = await make_family(sessions, 67, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    ben = await make_family(sessions, 68, [("Zoe", dt.date(2025, 1, 1))], now=BEFORE)
    async with sessions() as s:
        (mia,) = await list_children(s, ana)
        ben_parent = await s.get(Parent, ben)
        assert ben_parent is not None
        invite = await create_invite(s, ana, mia.id, now=BEFORE, ttl=dt.timedelta(hours=48))
        await redeem_invite(s, invite.code, ben_parent, now=BEFORE)
        await s.commit()
    await make_dispatcher(api, sessions).run_once(SLOT)
    async with sessions() as s:
        for parent_id, delivery_id in await s.execute(
            select(Delivery.parent_id, Delivery.id).where(Delivery.child_id == mia.id)
        ):
            assert await deliveries.record_feedback(s, parent_id, delivery_id, Feedback.NOT_FOR_US)
        await s.commit()
    async with sessions() as s:
        rejected = {(c.parent_id, c.child_id): c.tips_not_for_us for c in await s.scalars(select(Caregiver))}
        assert rejected[(ana, mia.id)]
        assert rejected[(ben, mia.id)]
        items = set(await s.scalars(select(Delivery.item_id).where(Delivery.child_id == mia.id)))
        await turned_down.bring_back(s, mia.id, items)
        await s.commit()
    await assert_summaries_match_deliveries(sessions)
    async with sessions() as s:
        assert all(c.tips_not_for_us is None for c in await s.scalars(select(Caregiver)))


async def test_tips_asked_for_during_a_pass_and_erasures_keep_every_summary_exact(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """/tip for the same children while a pass claims them (both backends: on SQLite they take turns at the
    write lock), then a caregiver leaving a shared child, a child removed and a parent's /deletedata: what
    is left counts exactly its own deliveries, and the next pass adds to it."""
    api = FakeBotAPI()
    ana = await make_family(
        sessions, 71, [("Mia", dt.date(2025, 5, 20)), ("Leo", dt.date(2024, 9, 1))], now=BEFORE
    )
    ben = await make_family(sessions, 72, [("Zoe", dt.date(2025, 1, 1))], now=BEFORE)
    cal = await make_family(sessions, 73, [("Kai", dt.date(2025, 2, 1))], now=BEFORE)
    async with sessions() as s:
        mia, leo = await list_children(s, ana)
        (zoe,) = await list_children(s, ben)
        (kai,) = await list_children(s, cal)
        ben_parent = await s.get(Parent, ben)
        assert ben_parent is not None
        invite = await create_invite(s, ana, mia.id, now=BEFORE, ttl=dt.timedelta(hours=48))
        await redeem_invite(s, invite.code, ben_parent, now=BEFORE)
        await s.commit()
    dispatcher = make_dispatcher(api, sessions, batch_size=1, concurrency=2)
    on_demand = make_dispatcher(api, sessions, concurrency=1)
    for week in range(3):
        moment = SLOT + week * WEEK
        results = await asyncio.gather(
            dispatcher.run_once(moment),
            *(
                on_demand.send_now(parent, child, moment + dt.timedelta(seconds=n + 1))
                for n, (parent, child) in enumerate(
                    [(ana, mia.id), (ben, mia.id), (ben, zoe.id), (ana, leo.id)]
                )
            ),
        )
        assert all(results[1:])
    assert await assert_summaries_match_deliveries(sessions) == 3 * (5 + 4)

    async with sessions() as s:
        assert await remove_child(s, ben, mia.id)  # Ben leaves Mia: Ana's count for Mia stays hers
        assert await remove_child(s, ana, leo.id)  # Leo is Ana's alone: gone with his tips
        await s.commit()
    assert (
        await assert_summaries_match_deliveries(sessions) == 6 + 6 + 3
    )  # Ana and Mia, Ben and Zoe, Cal and Kai
    async with sessions() as s:
        await delete_parent(s, ana)
        await s.commit()
    async with sessions() as s:
        rows = {(r.parent_id, r.child_id): r.tips_sent for r in await s.scalars(select(Caregiver))}
        left = {tuple(row) for row in await s.execute(select(Delivery.parent_id, Delivery.child_id))}
    assert rows == {(ben, zoe.id): 6, (cal, kai.id): 3}
    assert left == set(rows)
    await dispatcher.run_once(SLOT + 3 * WEEK)
    assert await assert_summaries_match_deliveries(sessions) == 7 + 4
