"""Crashes, races and Telegram errors: late is allowed, lost is not, twice only in the documented window."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation.schedules import reschedule
from bot.dispatch import DispatchReport, NotStored
from db import deliveries
from db.engine import create_engine, session_factory
from db.families import list_children, set_state
from db.models import Delivery, Parent, ParentState
from db.quick_store import QuickStore
from tests.dispatch.support import ClockSleep, FakeClock, FakeSleep, make_dispatcher, make_family
from tests.fake_telegram import FakeBotAPI

UTC = dt.UTC
SLOT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # a Sunday, 09:00 UTC
BEFORE = SLOT - dt.timedelta(hours=1)
AFTER = SLOT + dt.timedelta(seconds=30)
STALE = dt.timedelta(minutes=10)


async def _deliveries(sessions: async_sessionmaker[AsyncSession]) -> list[Delivery]:
    async with sessions() as s:
        return list(await s.scalars(select(Delivery).order_by(Delivery.id)))


async def _parent(sessions: async_sessionmaker[AsyncSession], parent_id: int) -> Parent:
    async with sessions() as s:
        parent = await s.get(Parent, parent_id)
        assert parent is not None
        return parent


async def test_crash_after_claim_is_sent_late_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 21, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    crashed = make_dispatcher(api, sessions)
    jobs, _ = await crashed.claim_batch(
        AFTER, DispatchReport()
    )  # claimed and committed, then the process dies
    assert len(jobs) == 1
    assert api.sent == []

    restarted = make_dispatcher(api, sessions)
    assert (await restarted.run_once(AFTER + dt.timedelta(minutes=1))).sent == 0  # claim not stale yet
    report = await restarted.run_once(AFTER + STALE + dt.timedelta(minutes=1))
    assert report.retried == 1
    assert report.sent == 1
    assert (await restarted.run_once(AFTER + 2 * STALE)).sent == 0
    assert len(api.messages_to(21)) == 1
    (delivery,) = await _deliveries(sessions)
    assert delivery.state == "sent"
    assert delivery.slot_at == SLOT
    # The retry renders what the first attempt would have: same tip, same buttons.
    assert api.sent[0].data_for("👍 Helpful") == f"tip:h:{delivery.id}"


async def test_crash_after_send_before_record_duplicates_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The documented window: Telegram accepted the message but the outcome was never written. The claim goes
    stale and the tip is sent again, once; this is the only way a parent gets a tip twice."""
    api = FakeBotAPI()
    await make_family(sessions, 22, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    crashed = make_dispatcher(api, sessions)
    ((message,),), _ = await crashed.claim_batch(AFTER, DispatchReport())
    sent = await crashed.send(message.chat_id, message.reply(crashed.library))
    assert sent.message_id is not None  # ...and the process dies before recording it

    restarted = make_dispatcher(api, sessions)
    await restarted.run_once(AFTER + STALE + dt.timedelta(minutes=1))
    await restarted.run_once(AFTER + 3 * STALE)
    texts = [m.text for m in api.messages_to(22)]
    assert len(texts) == 2
    assert texts[0] == texts[1]
    (delivery,) = await _deliveries(sessions)
    assert delivery.state == "sent"


async def test_stale_claims_give_up_after_max_attempts(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 23, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    api.fail(500, "Internal Server Error", times=100)
    dispatcher = make_dispatcher(api, sessions)
    now = AFTER
    for _ in range(5):
        await dispatcher.run_once(now)
        now += STALE + dt.timedelta(minutes=1)
    (delivery,) = await _deliveries(sessions)
    assert delivery.state == "failed"
    assert delivery.attempts == 3  # three passes, each with its own retries, then it is given up
    assert api.methods().count("sendMessage") == 15
    assert api.sent == []
    assert (await _parent(sessions, delivery.parent_id)).state == "active"


async def test_a_wait_that_would_outlast_the_claim_leaves_the_tip_for_a_later_pass(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A claim is a lease: sending after a wait longer than the stale time could double a tip that another
    dispatcher took over meanwhile, so the tip is left claimed, and the stale path sends it once."""
    api = FakeBotAPI()
    await make_family(sessions, 42, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    api.fail(429, "Too Many Requests", retry_after=int((STALE + dt.timedelta(minutes=1)).total_seconds()))
    sleep = FakeSleep()
    report = await make_dispatcher(api, sessions, sleep).run_once(AFTER)
    assert (report.sent, report.deferred, sleep.waits) == (0, 1, [])
    (delivery,) = await _deliveries(sessions)
    assert delivery.state == "claimed"
    assert delivery.error is not None
    assert "outlast the claim" in delivery.error
    later = await make_dispatcher(api, sessions).run_once(AFTER + STALE + dt.timedelta(minutes=1))
    assert (later.retried, later.sent) == (1, 1)
    assert len(api.messages_to(42)) == 1


async def test_claims_queued_behind_long_waits_are_sent_within_their_lease(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Claims made ahead of the sending must not be sent once another dispatcher could take them over."""
    api = FakeBotAPI()
    for chat_id in (43, 44, 45):
        await make_family(sessions, chat_id, [("Leo", dt.date(2025, 5, 20))], now=BEFORE)
    clock = FakeClock(AFTER)
    api.fail(429, "Too Many Requests", retry_after=4 * 60, times=2)
    dispatcher = make_dispatcher(api, sessions, ClockSleep(clock), clock=clock, batch_size=1, concurrency=1)
    first = await dispatcher.run_once(AFTER)
    assert first.sent + first.deferred == 3
    assert first.deferred >= 1
    sent = [d for d in await _deliveries(sessions) if d.state == "sent"]
    assert sent
    for delivery in sent:
        assert delivery.sent_at is not None
        assert delivery.claimed_at is not None
        assert delivery.sent_at - delivery.claimed_at <= STALE / 2
    await make_dispatcher(api, sessions).run_once(AFTER + dt.timedelta(hours=1))
    assert [len(api.messages_to(chat_id)) for chat_id in (43, 44, 45)] == [1, 1, 1]


async def test_two_dispatchers_racing_send_each_slot_once(
    db_backend: str, db_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    if db_backend != "postgresql":
        pytest.skip("two concurrent dispatchers are supported on PostgreSQL (SQLite has a single writer)")
    api = FakeBotAPI()
    for chat_id in range(300, 360):
        await make_family(
            sessions, chat_id, [("A", dt.date(2025, 5, 20)), ("B", dt.date(2024, 5, 20))], now=BEFORE
        )
    first, second = create_engine(db_url), create_engine(db_url)
    try:
        one = make_dispatcher(api, session_factory(first), batch_size=7, concurrency=4)
        two = make_dispatcher(api, session_factory(second), batch_size=7, concurrency=4)
        reports = await asyncio.gather(one.run_once(AFTER), two.run_once(AFTER))
    finally:
        await first.dispose()
        await second.dispose()
    assert sum(r.sent for r in reports) == 120
    assert all(r.sent > 0 for r in reports)  # SKIP LOCKED splits the work rather than serialising it
    assert sorted(m.chat_id for m in api.sent) == sorted([*range(300, 360)] * 2)
    assert len(await _deliveries(sessions)) == 120


async def test_retry_after_waits_as_told(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 24, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    api.fail(429, "Too Many Requests: retry after 7", retry_after=7)
    sleep = FakeSleep()
    report = await make_dispatcher(api, sessions, sleep).run_once(AFTER)
    assert report.sent == 1
    assert sleep.waits == [7.0]
    assert len(api.messages_to(24)) == 1


async def test_server_errors_retry_with_backoff(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 25, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    api.fail(502, "Bad Gateway", times=3)
    sleep = FakeSleep()
    report = await make_dispatcher(api, sessions, sleep).run_once(AFTER)
    assert report.sent == 1
    assert sleep.waits == [1.0, 2.0, 4.0]


async def test_network_trouble_that_lasts_defers_to_a_later_pass(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 26, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    api.fail(500, "Internal Server Error", times=5)
    dispatcher = make_dispatcher(api, sessions)
    report = await dispatcher.run_once(AFTER)
    assert report.deferred == 1
    assert report.sent == 0
    (delivery,) = await _deliveries(sessions)
    assert delivery.state == "claimed"
    assert delivery.error is not None
    assert "500" in delivery.error or "Internal" in delivery.error
    later = await dispatcher.run_once(AFTER + STALE + dt.timedelta(minutes=1))
    assert later.sent == 1
    assert len(api.messages_to(26)) == 1


@pytest.mark.parametrize(
    ("code", "description"),
    [(403, "Forbidden: bot was blocked by the user"), (400, "Bad Request: chat not found")],
)
async def test_blocked_or_missing_chat_stops_that_parent_only(
    sessions: async_sessionmaker[AsyncSession], code: int, description: str
) -> None:
    api = FakeBotAPI()
    gone = await make_family(
        sessions, 27, [("A", dt.date(2025, 5, 20)), ("B", dt.date(2024, 1, 1))], now=BEFORE
    )
    await make_family(sessions, 28, [("C", dt.date(2025, 5, 20))], now=BEFORE)
    api.fail(code, description, chat_id=27)
    report = await make_dispatcher(api, sessions).run_once(AFTER)
    assert report.blocked == 1
    assert report.sent == 1
    assert [m.chat_id for m in api.sent] == [28]
    parent = await _parent(sessions, gone)
    assert parent.state == "blocked"
    assert parent.next_due_at is None
    states = sorted(d.state for d in await _deliveries(sessions) if d.parent_id == gone)
    assert states == ["failed", "failed"]  # the second child is not even tried
    assert (await make_dispatcher(api, sessions).run_once(AFTER + dt.timedelta(days=7))).sent == 1


async def test_other_bad_requests_fail_that_message_only(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 29, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    api.fail(400, "Bad Request: can't parse entities")
    report = await make_dispatcher(api, sessions).run_once(AFTER)
    assert report.failed == 1
    assert report.blocked == 0
    parent = await _parent(sessions, parent_id)
    assert parent.state == "active"
    assert parent.next_due_at == SLOT + dt.timedelta(days=7)


async def test_a_crash_then_days_of_downtime_sends_one_tip_not_a_flood(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The claim left by the crash is older than the grace period on return: given up, and only the latest
    slot (within grace) goes out."""
    api = FakeBotAPI()
    await make_family(sessions, 30, [("Mia", dt.date(2025, 5, 20))], now=BEFORE, days=range(7))
    jobs, _ = await make_dispatcher(api, sessions).claim_batch(AFTER, DispatchReport())
    assert len(jobs) == 1  # ...and the process dies for three days
    report = await make_dispatcher(api, sessions).run_once(AFTER + dt.timedelta(days=3))
    assert report.sent == 1
    assert report.retried == 0
    assert len(api.messages_to(30)) == 1
    stale, latest = await _deliveries(sessions)
    assert (stale.state, stale.error) == ("failed", "missed: older than the grace period")
    assert (latest.state, latest.slot_at) == ("sent", SLOT + dt.timedelta(days=3))


async def test_a_crash_then_a_pause_gives_the_claim_up_instead_of_sending_it_on_resume(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 31, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    await make_dispatcher(api, sessions).claim_batch(AFTER, DispatchReport())  # then the process dies
    async with sessions() as s:
        parent = await s.get(Parent, parent_id)
        assert parent is not None
        await set_state(s, parent, ParentState.PAUSED)
        await reschedule(s, parent, AFTER + dt.timedelta(minutes=1))
        await s.commit()
    report = await make_dispatcher(api, sessions).run_once(AFTER + STALE + dt.timedelta(minutes=1))
    assert (report.sent, report.failed) == (0, 1)
    (delivery,) = await _deliveries(sessions)
    assert delivery.state == "failed"
    async with sessions() as s:
        parent = await s.get(Parent, parent_id)
        assert parent is not None
        await set_state(s, parent, ParentState.ACTIVE)
        await reschedule(s, parent, AFTER + dt.timedelta(hours=1))
        await s.commit()
    report = await make_dispatcher(api, sessions).run_once(AFTER + dt.timedelta(hours=2))
    assert report.sent == 0
    assert api.sent == []


async def test_sent_tips_whose_recording_failed_are_stored_by_the_next_pass_not_resent(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 32, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    dispatcher = make_dispatcher(api, sessions)
    store = deliveries.record

    quick = QuickStore.try_store

    async def database_down(*_args: object) -> None:
        raise OSError("connection reset")

    def quick_down(*_args: object) -> bool:
        raise OSError("disk I/O error")

    monkeypatch.setattr(deliveries, "record", database_down)
    monkeypatch.setattr(QuickStore, "try_store", quick_down)
    with pytest.raises(NotStored) as stopped:
        await dispatcher.run_once(AFTER)
    assert isinstance(stopped.value.__cause__, OSError)
    assert len(api.messages_to(32)) == 1
    monkeypatch.setattr(deliveries, "record", store)
    monkeypatch.setattr(QuickStore, "try_store", quick)
    report = await dispatcher.run_once(AFTER + STALE + dt.timedelta(minutes=1))
    assert (report.sent, report.retried) == (0, 0)
    assert len(api.messages_to(32)) == 1
    (delivery,) = await _deliveries(sessions)
    assert delivery.state == "sent"
    assert delivery.message_id == api.sent[0].message_id


async def test_tip_now_during_a_pass_gets_a_different_strategy_and_the_slot_goes_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 33, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    async with sessions() as s:
        (child,) = await list_children(s, parent_id)
    dispatcher = make_dispatcher(api, sessions)
    results = await asyncio.gather(
        dispatcher.run_once(AFTER),
        dispatcher.send_now(parent_id, child.id, AFTER),
        dispatcher.run_once(AFTER + dt.timedelta(seconds=1)),
    )
    assert results[0].sent + results[2].sent == 1
    assert results[1] is True
    rows = await _deliveries(sessions)
    assert sorted(d.kind for d in rows) == ["on_demand", "scheduled"]
    assert len({d.item_id for d in rows}) == 2
    assert len(api.messages_to(33)) == 2


async def test_a_retry_after_later_tips_renders_what_the_first_attempt_would_have(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The history a retry replays stops at its own claim: tips sent after it (here /tip) do not change the
    message (its "You may notice" and "Why it matters" follow the count of earlier tips)."""
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 34, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    week = dt.timedelta(days=7)
    for n in range(2):
        assert (await make_dispatcher(api, sessions).run_once(AFTER + n * week)).sent == 1
    crashed = make_dispatcher(api, sessions)
    ((claimed,),), _ = await crashed.claim_batch(AFTER + 2 * week, DispatchReport())
    expected = claimed.reply(crashed.library).text  # what the crashed process was about to send
    async with sessions() as s:
        (child,) = await list_children(s, parent_id)
    for minutes in (1, 2):
        assert await crashed.send_now(parent_id, child.id, AFTER + 2 * week + dt.timedelta(minutes=minutes))
    report = await make_dispatcher(api, sessions).run_once(AFTER + 2 * week + STALE + dt.timedelta(minutes=5))
    assert (report.retried, report.sent) == (1, 1)
    assert api.last_to(34).text == expected
    assert len(api.messages_to(34)) == 5


async def test_after_a_flood_answer_every_send_holds_back_until_it_ends(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Flood control is for the whole bot, not one chat: a later send waits out what is left of it, no more."""
    api = FakeBotAPI()
    await make_family(sessions, 35, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    clock = FakeClock(AFTER)
    sleep = FakeSleep()  # records waits; the clock moves only where the test moves it
    dispatcher = make_dispatcher(api, sessions, sleep, clock=clock)
    api.fail(429, "Too Many Requests: retry after 60", retry_after=60)
    assert (await dispatcher.run_once(AFTER)).sent == 1
    assert sleep.waits == [60.0]  # its own retry
    clock.now += dt.timedelta(seconds=20)
    await make_family(sessions, 36, [("Leo", dt.date(2025, 5, 20))], now=BEFORE)
    assert (await dispatcher.run_once(AFTER)).sent == 1
    assert sleep.waits == [60.0, 40.0]  # another chat waits out the rest
    clock.now += dt.timedelta(seconds=60)
    await make_family(sessions, 37, [("Ada", dt.date(2025, 5, 20))], now=BEFORE)
    assert (await dispatcher.run_once(AFTER)).sent == 1
    assert sleep.waits == [60.0, 40.0]  # over: no more holding back
    assert [m.chat_id for m in api.sent] == [35, 36, 37]


async def test_flood_control_longer_than_a_claim_stops_the_pass_before_it_claims(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 38, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    clock = FakeClock(AFTER)
    dispatcher = make_dispatcher(api, sessions, clock=clock)
    api.fail(429, "Too Many Requests", retry_after=int((STALE + dt.timedelta(minutes=1)).total_seconds()))
    first = await dispatcher.run_once(AFTER)
    assert (first.sent, first.deferred) == (0, 1)
    await make_family(sessions, 39, [("Leo", dt.date(2025, 5, 20))], now=BEFORE)
    held = await dispatcher.run_once(AFTER)
    assert (held.due, held.sent, held.deferred) == (0, 0, 0)
    assert len(await _deliveries(sessions)) == 1  # the second family's tip was not claimed
    clock.now += STALE + dt.timedelta(minutes=2)
    later = await dispatcher.run_once(AFTER + STALE + dt.timedelta(minutes=2))
    assert (later.retried, later.sent) == (1, 2)
    assert sorted(m.chat_id for m in api.sent) == [38, 39]
