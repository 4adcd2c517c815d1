"""Sorting Bot API errors: waits as told, backoff, blocked, and 'try again later'."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError, TimedOut

from bot.core.reply import Reply
from bot.telegram.sender import MAX_BACKOFF_SECONDS, SEND_RETRIES, TelegramSender
from db.models import DeliveryState
from tests.dispatch.support import FakeSleep


class ScriptedBot:
    """Raises the given errors in turn, then accepts the message."""

    def __init__(self, *errors: TelegramError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def send_message(self, *_args: Any, **_kwargs: Any) -> Any:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return type("Sent", (), {"message_id": 99})()


async def _send(bot: ScriptedBot, sleep: FakeSleep) -> Any:
    return await TelegramSender(cast(Bot, bot), sleep=sleep).send_tip(1, Reply("hello"))


@pytest.mark.parametrize("as_timedelta", [True, False])
@pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")
async def test_retry_after_waits_as_told_in_either_form(
    monkeypatch: pytest.MonkeyPatch, as_timedelta: bool
) -> None:
    if as_timedelta:
        monkeypatch.setenv("PTB_TIMEDELTA", "1")
    else:
        monkeypatch.delenv("PTB_TIMEDELTA", raising=False)
    sleep = FakeSleep()
    result = await _send(ScriptedBot(RetryAfter(dt.timedelta(seconds=12))), sleep)
    assert (result.state, result.message_id) == (DeliveryState.SENT, 99)
    assert sleep.waits == [12.0]


async def test_network_trouble_backs_off_then_leaves_the_claim_for_later() -> None:
    sleep = FakeSleep()
    bot = ScriptedBot(*[TimedOut() for _ in range(SEND_RETRIES + 1)])
    result = await _send(bot, sleep)
    assert result.state is None
    assert result.error is not None
    assert "TimedOut" in result.error
    assert bot.calls == SEND_RETRIES + 1
    assert sleep.waits == [
        min(2.0**n, MAX_BACKOFF_SECONDS) for n in range(SEND_RETRIES)
    ]  # none after the last


@pytest.mark.parametrize(
    ("error", "state", "blocked"),
    [
        (Forbidden("Forbidden: user is deactivated"), DeliveryState.FAILED, True),
        (BadRequest("Chat not found"), DeliveryState.FAILED, True),
        (BadRequest("Message is too long"), DeliveryState.FAILED, False),
        (ChatMigrated(123), None, False),
    ],
)
async def test_errors_are_sorted_without_retrying(
    error: TelegramError, state: DeliveryState | None, blocked: bool
) -> None:
    sleep = FakeSleep()
    bot = ScriptedBot(error)
    result = await _send(bot, sleep)
    assert (result.state, result.blocked) == (state, blocked)
    assert bot.calls == 1
    assert sleep.waits == []


async def test_waits_stop_where_the_claim_would_run_out() -> None:
    """Backoff (1 + 2 s) fits in 5 s; the next wait (4 s) would not, so the message is left for later."""
    sleep = FakeSleep()
    bot = ScriptedBot(*[TimedOut() for _ in range(SEND_RETRIES + 1)])
    result = await TelegramSender(cast(Bot, bot), sleep=sleep).send_tip(1, Reply("hello"), max_wait=5)
    assert result.state is None
    assert result.error is not None
    assert "outlast the claim" in result.error
    assert (bot.calls, sleep.waits) == (3, [1.0, 2.0])
