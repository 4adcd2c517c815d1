"""The bot's rate limiter throttles every call and retries none: a flood-control answer (429) reaches the
code that sent, so the dispatcher waits within its claim's lease and a reply waits only briefly."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import RetryAfter

from bot.core.reply import Reply
from bot.core.tips import tip_buttons
from bot.dispatch import Dispatcher
from bot.telegram import sender as send
from bot.telegram.app import build_application, register_commands
from bot.telegram.lanes import Lane
from bot.telegram.limiter import (
    OVERALL_BURST,
    OVERALL_PER_SECOND,
    JSONDict,
    PriorityGate,
    PriorityRateLimiter,
)
from bot.telegram.sender import OnDemandSender, TelegramSender
from db.models import DeliveryState
from tests.bot.support import settings
from tests.dispatch.support import FakeClock, FakeSleep, make_bot, make_family
from tests.fake_telegram import FakeBotAPI

AFTER = dt.datetime(2026, 3, 1, 9, 0, 30, tzinfo=dt.UTC)


async def test_a_flood_answer_to_a_tip_reaches_the_dispatcher_not_the_limiters_retry(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    await make_family(sessions, 46, [("Mia", dt.date(2025, 5, 20))], now=AFTER - dt.timedelta(hours=2))
    app = build_application(settings(), request=api, sessions=sessions)
    api.fail(429, "Too Many Requests", retry_after=3)
    sleep = FakeSleep()
    async with app:
        report = await Dispatcher(TelegramSender(app.bot, sleep=sleep), sessions).run_once(AFTER)
    assert report.sent == 1
    assert sleep.waits == [3.0]  # the dispatcher's own wait, which it checks against the lease
    assert api.methods().count("sendMessage") == 2


async def test_a_reply_waits_out_a_short_flood_answer_but_not_a_long_one() -> None:
    api = FakeBotAPI()
    app = build_application(settings(), request=api)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    sender = TelegramSender(app.bot, sleep=sleep)
    async with app:
        api.fail(429, "Too Many Requests", retry_after=2, times=2)
        await sender.send_reply(7, Reply("hello"))
        assert waits == [2.0, 2.0]
        assert api.last_to(7).text == "hello"
        api.fail(429, "Too Many Requests", retry_after=int(send.LONGEST_REPLY_WAIT_SECONDS) + 1)
        with pytest.raises(RetryAfter):
            await sender.send_reply(7, Reply("again"))
    assert waits == [2.0, 2.0]


async def test_a_flood_answer_to_the_command_menu_does_not_stop_the_bot(
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = FakeBotAPI()
    app = build_application(settings(), request=api)
    api.fail(429, "Too Many Requests", method="setMyCommands", retry_after=5)
    async with app:
        await register_commands(app)  # no exception: the bot starts with the menu it had
    assert "could not set the command menu" in caplog.text
    assert api.methods().count("setMyCommands") == 1


async def test_a_flood_answer_to_a_reply_holds_back_the_next_tip() -> None:
    """One flood-control state per sender: Telegram limits the bot, not one kind of message."""
    api = FakeBotAPI()
    clock = FakeClock(AFTER)
    sleep = FakeSleep()
    sender = TelegramSender(make_bot(api), sleep=sleep, clock=clock)
    api.fail(429, "Too Many Requests", retry_after=4)
    assert await sender.send_reply(7, Reply("hello"))
    assert sleep.waits == [4.0]
    clock.now += dt.timedelta(seconds=1)  # the reply's own wait is not on this clock: 3 s are left
    result = await sender.send_tip(8, Reply("a tip"), max_wait=60)
    assert result.message_id is not None
    assert sleep.waits == [4.0, 3.0]
    too_short = await TelegramSender(make_bot(api), sleep=sleep, clock=clock).send_tip(
        8, Reply("x"), max_wait=1
    )
    assert too_short.message_id is not None  # a fresh sender (another process) knows of no flood
    api.fail(429, "Too Many Requests", retry_after=30)
    assert not (await sender.send_tip(9, Reply("later"), max_wait=10)).message_id


class NotingGate(PriorityGate):
    """The limiter's own gate, noting the lane of every send it is asked to let through."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float]) -> None:
        super().__init__(rate, burst, clock)
        self.lanes: list[Lane] = []

    def ask(self, lane: Lane) -> asyncio.Future[None] | None:
        self.lanes.append(lane)
        return super().ask(lane)


class NotingLimiter(PriorityRateLimiter):
    """The application's rate limiter (limits per chat off, as in the tests' harness), noting each request it
    handles (method and chat) and, through its gate, the lane each one waited in."""

    def __init__(self) -> None:
        super().__init__(per_chat=False)
        self.gate = self.noting = NotingGate(OVERALL_PER_SECOND, OVERALL_BURST, self.clock)
        self.handled: list[tuple[str, object]] = []

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | JSONDict | list[JSONDict]:
        self.handled.append((endpoint, data.get("chat_id")))
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


async def test_a_scheduled_tip_waits_at_the_applications_rate_limiter_in_the_tip_lane(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """``post_tip`` skips ``send_message``: the tip must still pass the limiter the application is built
    with, and in the tip lane (behind any waiting reply). Built as the application builds its bot."""
    api = FakeBotAPI()
    limiter = NotingLimiter()
    await make_family(sessions, 47, [("Mia", dt.date(2025, 5, 20))], now=AFTER - dt.timedelta(hours=2))
    app = build_application(settings(), request=api, sessions=sessions, rate_limiter=limiter)
    async with app:
        limiter.handled.clear()  # getMe, when the bot started
        report = await Dispatcher(TelegramSender(app.bot, sleep=FakeSleep()), sessions).run_once(AFTER)
    assert report.sent == 1
    assert [sent.chat_id for sent in api.sent] == [47]
    assert limiter.handled == [("sendMessage", 47)]
    assert limiter.noting.lanes == [Lane.TIP]


async def test_a_reply_and_a_tip_asked_for_wait_in_the_reply_lane() -> None:
    """For contrast: a reply (``send_message``) and a tip a parent asked for (``post_tip``, sent like a
    reply) pass the same limiter in the reply lane."""
    api = FakeBotAPI()
    limiter = NotingLimiter()
    app = build_application(settings(), request=api, rate_limiter=limiter)
    sender = TelegramSender(app.bot, sleep=FakeSleep())
    async with app:
        limiter.handled.clear()
        assert await sender.send_reply(48, Reply("Hello"))
        tip = await OnDemandSender(sender).send_tip(48, Reply("A tip", tip_buttons(48, 1)))
    assert tip.state is DeliveryState.SENT
    assert [sent.text for sent in api.messages_to(48)] == ["Hello", "A tip"]
    assert limiter.handled == [("sendMessage", 48), ("sendMessage", 48)]
    assert limiter.noting.lanes == [Lane.REPLY, Lane.REPLY]
