"""How many tips a crash or a timeout can double: a crash at most the sends in flight, a timeout none.

The crash is injected where it hurts most: the fake Bot API delivers a message and the process dies before
the answer is read (the pass's task is cancelled there), so nothing after that instant reaches the database.
A restarted dispatcher then takes the stale claims over; the test counts what each chat received.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.families import list_children
from db.models import Delivery, DeliveryState
from tests.dispatch.support import make_dispatcher, make_family
from tests.fake_telegram import FakeBotAPI

UTC = dt.UTC
SLOT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # a Sunday, 09:00 UTC
BEFORE = SLOT - dt.timedelta(hours=1)
AFTER = SLOT + dt.timedelta(seconds=30)
STALE = dt.timedelta(minutes=10)
FAMILIES = 40
CONCURRENCY = 4


class CrashingBotAPI(FakeBotAPI):
    """Takes ``after`` messages normally; the next one reaches the parent, and then the process dies.

    Each request yields to the event loop on the way out and back, as a network round trip would, so the
    workers' sends and the stores of outcomes interleave.
    """

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after
        self.victim: asyncio.Task[Any] | None = None
        self.crashed = False

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await asyncio.sleep(0)
        answer = await super().do_request(url, method, *args, **kwargs)
        if url.endswith("/sendMessage") and len(self.sent) > self.after and not self.crashed:
            self.crashed = True
            assert self.victim is not None
            self.victim.cancel()  # kill -9: the answer is never read, nothing more is stored
            await asyncio.Event().wait()
        await asyncio.sleep(0)
        return answer


async def _states(sessions: async_sessionmaker[AsyncSession]) -> Counter[str]:
    async with sessions() as s:
        return Counter(await s.scalars(select(Delivery.state)))


@pytest.mark.parametrize("crash_after", [0, 5, 17, 31])
async def test_a_crash_repeats_at_most_the_sends_in_flight(
    sessions: async_sessionmaker[AsyncSession], crash_after: int
) -> None:
    api = CrashingBotAPI(after=crash_after)
    for chat_id in range(1000, 1000 + FAMILIES):
        await make_family(sessions, chat_id, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    crashed = make_dispatcher(api, sessions, concurrency=CONCURRENCY)
    api.victim = asyncio.ensure_future(crashed.run_once(AFTER))
    with pytest.raises(asyncio.CancelledError):
        await api.victim
    delivered_before_crash = len(api.sent)
    assert delivered_before_crash == crash_after + 1
    unrecorded = (await _states(sessions))[DeliveryState.CLAIMED.value]

    restarted = make_dispatcher(api, sessions, concurrency=CONCURRENCY)  # the same Telegram, no more crashes
    report = await restarted.run_once(AFTER + STALE + dt.timedelta(minutes=1))

    received = Counter(m.chat_id for m in api.sent)
    assert set(received) == set(range(1000, 1000 + FAMILIES))  # late, but nobody lost a tip
    twice = [chat for chat, count in received.items() if count > 1]
    assert max(received.values()) <= 2
    assert len(twice) <= CONCURRENCY  # at most one message per send worker was unrecorded
    assert report.retried == unrecorded
    assert await _states(sessions) == Counter({DeliveryState.SENT.value: FAMILIES})


async def test_a_read_timeout_is_stored_unconfirmed_and_never_sent_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Telegram had the message but its answer was lost: sending again would double it for sure, while not
    sending loses it only when the request never arrived, which a read timeout rules out."""
    api = FakeBotAPI()
    await make_family(sessions, 50, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    api.time_out(delivered=True)
    dispatcher = make_dispatcher(api, sessions)
    first = await dispatcher.run_once(AFTER)
    assert (first.sent, first.unconfirmed, first.deferred) == (0, 1, 0)
    later = await dispatcher.run_once(AFTER + 3 * STALE)
    assert (later.retried, later.sent) == (0, 0)
    assert len(api.messages_to(50)) == 1
    async with sessions() as s:
        (delivery,) = await s.scalars(select(Delivery))
    assert delivery.state == DeliveryState.UNCONFIRMED.value
    assert delivery.error is not None
    assert "TimedOut" in delivery.error
    # It counts as sent: next week brings another strategy, not a second go at this one.
    next_week = await dispatcher.run_once(AFTER + dt.timedelta(days=7))
    assert next_week.sent == 1
    first_tip, second_tip = api.messages_to(50)
    assert first_tip.text.split("Try this")[1] != second_tip.text.split("Try this")[1]


async def test_a_connect_timeout_is_retried_at_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    """The request never reached Telegram, so sending it again cannot double it."""
    api = FakeBotAPI()
    await make_family(sessions, 51, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    api.time_out(delivered=False)
    report = await make_dispatcher(api, sessions).run_once(AFTER)
    assert (report.sent, report.unconfirmed) == (1, 0)
    assert len(api.messages_to(51)) == 1


async def test_a_tip_on_demand_that_timed_out_is_not_followed_by_an_apology(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """/tip's "no new tip right now" is for when there is none: an unconfirmed one most likely arrived."""
    api = FakeBotAPI()
    parent_id = await make_family(sessions, 52, [("Mia", dt.date(2025, 5, 20))], now=BEFORE)
    async with sessions() as s:
        (child,) = await list_children(s, parent_id)
    api.time_out(delivered=True)
    assert await make_dispatcher(api, sessions).send_now(parent_id, child.id, AFTER)
    assert len(api.messages_to(52)) == 1
