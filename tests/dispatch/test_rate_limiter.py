"""The bot's rate limiter throttles every call and retries none: a flood-control answer (429) reaches the
code that sent, so the dispatcher waits within its claim's lease and a reply waits only briefly."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import RetryAfter

from bot.core.reply import Reply
from bot.dispatch import Dispatcher
from bot.telegram import sender as send
from bot.telegram.app import build_application, register_commands
from bot.telegram.sender import TelegramSender
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
