"""Downtime, rescheduling, on-demand tips and the periodic job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ApplicationBuilder

from bot.app.config import Settings
from bot.conversation.schedules import reschedule
from bot.telegram.jobs import register_dispatch_job
from db.families import add_child, get_or_create_parent, list_children, set_state
from db.models import Delivery, Parent, ParentState
from tests.dispatch.support import make_dispatcher, make_family
from tests.fake_telegram import TOKEN, FakeBotAPI

UTC = dt.UTC
SLOT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # a Sunday, 09:00 UTC
BEFORE = SLOT - dt.timedelta(hours=1)
WEEK = dt.timedelta(days=7)


async def _parent(sessions: async_sessionmaker[AsyncSession], parent_id: int) -> Parent:
    async with sessions() as s:
        parent = await s.get(Parent, parent_id)
        assert parent is not None
        return parent


async def test_slot_missed_within_grace_is_sent_once_on_return(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 31, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    dispatcher = make_dispatcher(api, sessions)
    back = SLOT + dt.timedelta(hours=20)
    assert (await dispatcher.run_once(back)).sent == 1
    assert (await dispatcher.run_once(back + dt.timedelta(minutes=1))).sent == 0
    async with sessions() as s:
        delivery = (await s.scalars(select(Delivery))).one()
    assert delivery.slot_at == SLOT
    assert (await _parent(sessions, parent_id)).next_due_at == SLOT + WEEK


async def test_slot_missed_beyond_grace_is_skipped(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 32, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    report = await make_dispatcher(api, sessions).run_once(SLOT + dt.timedelta(hours=30))
    assert report.sent == 0
    assert report.skipped == 1
    assert api.sent == []
    assert (await _parent(sessions, parent_id)).next_due_at == SLOT + WEEK


async def test_long_downtime_sends_at_most_the_latest_slot(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 33, [("Mia", dt.date(2025, 5, 20))], now=BEFORE, days=range(7))
    dispatcher = make_dispatcher(api, sessions)
    back = SLOT + dt.timedelta(days=12, hours=3)  # twelve daily slots missed, the last one 3 hours ago
    assert (await dispatcher.run_once(back)).sent == 1
    assert (await dispatcher.run_once(back + dt.timedelta(hours=1))).sent == 0
    async with sessions() as s:
        delivery = (await s.scalars(select(Delivery))).one()
    assert delivery.slot_at == SLOT + dt.timedelta(days=12)


async def test_reschedule_follows_state_children_and_settings(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    saturday = dt.datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    async with sessions() as s:
        parent, _ = await get_or_create_parent(
            s, 34, first_name="Sam", language_code="en", time_zone="Asia/Kolkata"
        )
        await reschedule(s, parent, saturday)
        assert parent.next_due_at is None  # no children yet
        await add_child(s, parent, name="Mia", birthdate=dt.date(2025, 5, 20), due_date=None)
        await reschedule(s, parent, saturday)
        assert parent.next_due_at == dt.datetime(2026, 3, 1, 3, 30, tzinfo=UTC)  # Sunday 09:00 in Kolkata
        parent.tip_days, parent.tip_time = "0,3", dt.time(18, 15)
        await reschedule(s, parent, saturday)
        assert parent.next_due_at == dt.datetime(2026, 3, 2, 12, 45, tzinfo=UTC)  # Monday 18:15
        await set_state(s, parent, ParentState.PAUSED)
        await reschedule(s, parent, saturday)
        assert parent.next_due_at is None
        await set_state(s, parent, ParentState.ACTIVE)
        await reschedule(s, parent, saturday)
        assert parent.next_due_at == dt.datetime(2026, 3, 2, 12, 45, tzinfo=UTC)


async def test_reschedule_keeps_a_slot_that_is_due_but_not_yet_sent(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 35, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    moment = SLOT + dt.timedelta(seconds=20)  # the slot has come; the next dispatcher pass is seconds away
    async with sessions() as s:
        parent = await s.get(Parent, parent_id)
        assert parent is not None
        await add_child(s, parent, name="Leo", birthdate=dt.date(2026, 1, 5), due_date=None)
        await reschedule(s, parent, moment)
        assert parent.next_due_at == SLOT
        await s.commit()
    assert (await make_dispatcher(api, sessions).run_once(moment + dt.timedelta(seconds=30))).sent == 2


async def test_tip_now_for_own_child_only_and_without_repeats(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    mine = await make_family(sessions, 36, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    other = await make_family(sessions, 37, [("Leo", dt.date(2025, 5, 20))], now=BEFORE)
    async with sessions() as s:
        (mia,) = [c.id for c in await list_children(s, mine)]
        (leo,) = [c.id for c in await list_children(s, other)]
    tips = make_dispatcher(api, sessions)
    assert not await tips.send_now(mine, leo, BEFORE)  # another family's child
    assert not await tips.send_now(other, 999, BEFORE)
    for minute in range(4):
        assert await tips.send_now(mine, mia, BEFORE + dt.timedelta(minutes=minute))
    async with sessions() as s:
        deliveries = list(await s.scalars(select(Delivery).order_by(Delivery.id)))
    sent = [d.item_id for d in deliveries]
    assert len(set(sent)) == 4  # Mia is 9 months: 0-9 and 7-18 have 9 strategies between them
    assert {d.kind for d in deliveries} == {"on_demand"}
    assert [m.chat_id for m in api.sent] == [36] * 4
    assert "Try this" in api.sent[0].text


async def test_tip_now_refuses_blocked_parents(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 38, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    async with sessions() as s:
        parent = await s.get(Parent, parent_id)
        assert parent is not None
        await set_state(s, parent, ParentState.BLOCKED)
        await s.commit()
    async with sessions() as s:
        (mia,) = [c.id for c in await list_children(s, parent_id)]
    assert not await make_dispatcher(api, sessions).send_now(parent_id, mia, BEFORE)
    assert api.sent == []


async def test_one_periodic_job_is_registered(sessions: async_sessionmaker[AsyncSession]) -> None:
    application: Any = ApplicationBuilder().token(TOKEN).request(FakeBotAPI()).build()
    settings = Settings(dispatch_interval_seconds=60, _env_file=None)
    register_dispatch_job(application, make_dispatcher(FakeBotAPI(), sessions), settings)
    jobs = application.job_queue.jobs()
    assert [job.name for job in jobs] == ["dispatch"]
    trigger = jobs[0].job.trigger
    assert trigger.interval == dt.timedelta(seconds=60)
    assert jobs[0].job.misfire_grace_time >= 600
    assert jobs[0].job.max_instances == 1


async def test_the_periodic_job_sends_what_is_due(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    real_now = dt.datetime.now(UTC).replace(second=0, microsecond=0)
    an_hour_ago = (real_now - dt.timedelta(hours=1)).time()
    await make_family(
        sessions,
        39,
        [("Mia", real_now.date() - dt.timedelta(days=300))],  # relative: a fixed date ages out of the tips
        now=real_now - dt.timedelta(hours=2),
        days=range(7),
        at=an_hour_ago,
    )
    application: Any = ApplicationBuilder().token(TOKEN).request(api).build()
    register_dispatch_job(application, make_dispatcher(api, sessions), Settings(_env_file=None))
    (job,) = application.job_queue.jobs()
    async with application:
        await job.callback(None)
        await job.callback(None)
    assert [m.chat_id for m in api.sent] == [39]
    assert "Try this" in api.sent[0].text


async def test_moving_the_time_after_todays_tip_does_not_bring_a_second_one_today(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(
        sessions, 36, [("Mia", dt.date(2025, 5, 20))], now=SLOT - dt.timedelta(hours=2), tz="Europe/Paris"
    )
    sunday_nine = dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)  # 09:00 in Paris
    assert (await make_dispatcher(api, sessions).run_once(sunday_nine + dt.timedelta(minutes=1))).sent == 1
    async with sessions() as s:
        parent = await s.get(Parent, parent_id)
        assert parent is not None
        parent.tip_time = dt.time(9, 30)
        await reschedule(s, parent, sunday_nine + dt.timedelta(minutes=10))
        assert parent.next_due_at == dt.datetime(2026, 3, 8, 8, 30, tzinfo=UTC)  # next Sunday, 09:30
        parent.tip_days = "0,6"  # Mondays too: tomorrow is a new day
        await reschedule(s, parent, sunday_nine + dt.timedelta(minutes=10))
        assert parent.next_due_at == dt.datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
