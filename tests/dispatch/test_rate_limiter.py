"""The bot's rate limiter throttles every call, but retries a flood-control answer only where a call asks:
replies to parents do; scheduled tips do not, because the dispatcher waits within its claim's lease itself."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from bot.dispatch import Dispatcher
from bot.telegram.app import build_application
from bot.telegram.send import REPLY_RETRIES, with_retries
from tests.bot.support import settings
from tests.dispatch.support import FakeSleep, make_family
from tests.fake_telegram import TOKEN, FakeBotAPI

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
        report = await Dispatcher(app.bot, sessions, sleep=sleep).run_once(AFTER)
    assert report.sent == 1
    assert sleep.waits == [3.0]  # the dispatcher's own wait, which it checks against the lease
    assert api.methods().count("sendMessage") == 2


def test_only_a_bot_with_a_rate_limiter_is_asked_to_retry_replies() -> None:
    app = build_application(settings(), request=FakeBotAPI())
    assert with_retries(app.bot) == {"rate_limit_args": REPLY_RETRIES}
    assert with_retries(Bot(TOKEN)) == {}
