"""The rate limiter keeps Telegram's limits and lets replies go before scheduled tips (on a fake clock)."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.telegram.lanes import Lane, UrgentFirstRateLimiter, in_lane
from bot.telegram.limiter import Bucket, PriorityGate, PriorityRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_chat_bucket_lets_a_short_burst_through_then_one_a_second() -> None:
    bucket = Bucket(rate=1.0, burst=3.0, now=0.0)
    assert [bucket.reserve(0.0) for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]
    assert bucket.reserve(10.0) == 0.0  # refilled meanwhile (up to the burst)
    assert not bucket.idle(10.0)
    assert bucket.idle(12.0)


async def test_a_waiting_reply_goes_before_tips_that_waited_longer() -> None:
    clock = Clock()
    gate = PriorityGate(rate=1.0, burst=2.0, clock=clock)
    assert gate.ask(Lane.TIP) is None
    assert gate.ask(Lane.TIP) is None  # the burst
    tips = [gate.ask(Lane.TIP) for _ in range(2)]
    reply = gate.ask(Lane.REPLY)
    assert reply is not None
    assert all(tip is not None for tip in tips)
    assert gate.release() == 1.0  # nothing yet: one second to the next token
    clock.now += 1
    assert gate.release() == 1.0
    assert reply.done()
    assert not any(tip.done() for tip in tips if tip is not None)
    clock.now += 1
    gate.release()
    assert [tip.done() for tip in tips if tip is not None] == [True, False]


async def test_a_tip_never_overtakes_a_waiting_tip_nor_a_waiting_reply() -> None:
    clock = Clock()
    gate = PriorityGate(rate=1.0, burst=3.0, clock=clock)
    assert [gate.ask(Lane.REPLY) for _ in range(3)] == [None, None, None]
    waiting_reply = gate.ask(Lane.REPLY)
    clock.now += 5  # budget for several, but the reply is first in line: the tip waits its turn
    assert gate.ask(Lane.TIP) is not None
    assert gate.waiting_in(Lane.TIP) == 1
    assert gate.release() is None
    assert waiting_reply is not None
    assert waiting_reply.done()


async def test_a_send_that_gave_up_waiting_is_skipped() -> None:
    clock = Clock()
    gate = PriorityGate(rate=1.0, burst=1.0, clock=clock)
    assert gate.ask(Lane.TIP) is None
    gone, kept = gate.ask(Lane.TIP), gate.ask(Lane.TIP)
    assert gone is not None
    assert kept is not None
    gone.cancel()
    clock.now += 1
    gate.release()
    assert kept.done()
    assert not kept.cancelled()


async def test_the_limiter_serves_the_reply_lane_first_and_skips_calls_without_a_chat() -> None:
    clock = Clock()
    limiter = PriorityRateLimiter(overall_per_second=1.0, overall_burst=1.0, clock=clock)
    order: list[str] = []

    def call(name: str) -> Any:
        async def callback() -> bool:
            order.append(name)
            return True

        return callback

    async def send(name: str, chat: int | None, lane: Lane) -> None:
        data = {"chat_id": chat} if chat is not None else {}
        with in_lane(lane):
            await limiter.process_request(call(name), (), {}, "sendMessage", data, None)

    await send("first", 1, Lane.TIP)
    tip = asyncio.create_task(send("tip", 2, Lane.TIP))
    await asyncio.sleep(0)
    reply = asyncio.create_task(send("reply", 3, Lane.REPLY))
    await send("getUpdates", None, Lane.TIP)  # no chat: not limited
    await asyncio.sleep(0)
    assert order == ["first", "getUpdates"]
    clock.now += 1
    limiter._tick()
    await reply
    assert order == ["first", "getUpdates", "reply"]
    clock.now += 1
    limiter._tick()
    await tip
    assert order == ["first", "getUpdates", "reply", "tip"]
    await limiter.shutdown()


async def test_several_messages_to_one_chat_keep_their_order() -> None:
    clock = Clock()
    limiter = PriorityRateLimiter(overall_per_second=1000.0, overall_burst=1000.0, clock=clock)
    order: list[int] = []

    async def send(n: int) -> None:
        async def callback() -> bool:
            order.append(n)
            return True

        await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": 5}, None)

    await asyncio.gather(*(send(n) for n in range(3)))  # within the chat's burst: no waiting
    assert order == [0, 1, 2]


async def test_an_urgent_send_goes_at_once_and_the_replies_behind_it_make_room() -> None:
    clock = Clock()
    limiter = PriorityRateLimiter(overall_per_second=1.0, overall_burst=1.0, per_chat=False, clock=clock)
    limiter.spend_now(7)  # an urgent reply took the only token
    assert limiter.gate.ask(Lane.REPLY) is not None  # the next reply now waits for a new one
    clock.now += 1
    assert limiter.gate.release() is None  # granted after a second: nothing left waiting


async def test_the_urgent_lane_skips_the_queue_but_is_counted() -> None:
    clock = Clock()
    throttle = PriorityRateLimiter(overall_per_second=1.0, overall_burst=1.0, per_chat=False, clock=clock)
    urgent = UrgentFirstRateLimiter(throttle)

    async def send() -> bool:
        return True

    assert await urgent.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, Lane.URGENT)
    assert throttle.gate.ask(Lane.REPLY) is not None  # its token is spent: the next reply waits
