"""Sorting Bot API errors: waits as told, backoff, blocked, and 'try again later'."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import logging
from typing import Any, cast

import httpx
import pytest
from prometheus_client import REGISTRY
from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Defaults

from bot.core.reply import Button, Reply
from bot.core.tips import keep_buttons, revive_buttons, tip_buttons
from bot.telegram import sender as send
from bot.telegram.app import build_application
from bot.telegram.sender import MAX_BACKOFF_SECONDS, SEND_RETRIES, TelegramSender, post_tip, tip_markup
from db.models import DeliveryState
from tests.bot.support import settings
from tests.dispatch.support import FakeSleep, make_bot
from tests.fake_telegram import FakeBotAPI


class ScriptedBot:
    """Raises the given errors in turn, then accepts the message."""

    def __init__(self, *errors: TelegramError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def _post(self, endpoint: str, data: dict[str, Any]) -> Any:
        """Where ``post_tip`` sends a tip (python-telegram-bot's request path), answering as Telegram does."""
        assert endpoint == "sendMessage"
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"message_id": 99, "chat": {"id": data["chat_id"], "type": "private"}, "text": data["text"]}


def _from(error: NetworkError, cause: Exception) -> NetworkError:
    """An error as python-telegram-bot's HTTP client raises it: with the transport's exception as its cause."""
    error.__cause__ = cause
    return error


def _connect_timeout() -> NetworkError:
    return _from(TimedOut(), httpx.ConnectTimeout("connect timed out"))


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
    bot = ScriptedBot(*[_connect_timeout() for _ in range(SEND_RETRIES + 1)])
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
    bot = ScriptedBot(*[_connect_timeout() for _ in range(SEND_RETRIES + 1)])
    result = await TelegramSender(cast(Bot, bot), sleep=sleep).send_tip(1, Reply("hello"), max_wait=5)
    assert result.state is None
    assert result.error is not None
    assert "outlast the claim" in result.error
    assert (bot.calls, sleep.waits) == (3, [1.0, 2.0])


@pytest.mark.parametrize(
    "error",
    [
        _from(TimedOut(), httpx.ReadTimeout("read timed out")),
        _from(TimedOut(), httpx.WriteTimeout("write timed out")),
        _from(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("server disconnected")),
        TimedOut(),  # a transport that does not say when it timed out: assume the request went out
    ],
)
async def test_no_answer_after_the_request_went_out_is_unconfirmed_and_not_sent_again(
    error: NetworkError,
) -> None:
    """Telegram may have delivered it: a second send could double the tip, so it is left as it is."""
    sleep = FakeSleep()
    bot = ScriptedBot(error)
    result = await _send(bot, sleep)
    assert result.state is DeliveryState.UNCONFIRMED
    assert (bot.calls, sleep.waits, result.blocked) == (1, [], False)


@pytest.mark.parametrize(
    "error",
    [
        _connect_timeout(),
        _from(TimedOut(), httpx.PoolTimeout("pool full")),
        _from(NetworkError("httpx.ConnectError"), httpx.ConnectError("connection refused")),
        NetworkError("Bad Gateway"),  # Telegram answered: it did not take the message
    ],
)
async def test_failures_before_the_request_left_or_error_answers_are_retried(error: NetworkError) -> None:
    sleep = FakeSleep()
    bot = ScriptedBot(error)
    result = await _send(bot, sleep)
    assert (result.state, result.message_id) == (DeliveryState.SENT, 99)
    assert (bot.calls, sleep.waits) == (2, [1.0])


@pytest.mark.parametrize(
    "buttons",
    [
        tip_buttons(123456, 789),
        keep_buttons('Zoë "Z" \\ <b>', 5),
        revive_buttons("名前 ✨", 7),
    ],
)
def test_a_tips_keyboard_is_the_json_the_bot_api_would_get_from_json_dumps(
    buttons: tuple[tuple[Button, ...], ...],
) -> None:
    """The keyboard's JSON is put together from its strings (quicker): the same text, escapes and all."""
    keyboard = [[{"text": b.label, "callback_data": b.data} for b in row] for row in buttons]
    assert tip_markup(Reply("tip", buttons)) == {"reply_markup": json.dumps({"inline_keyboard": keyboard})}
    assert tip_markup(Reply("tip")) is None


# What ``post_tip`` sends of the bot's ``Defaults``: the parse mode (the Defaults' explanation, quote, question
# and poll-option parse modes are the same setting, for quizzes, quotes and polls, which a message has none of),
# and what is no part of a message's request (the time zone of dates, of which a tip has none; whether
# handlers block).
SENT_BY_POST_TIP = {
    "parse_mode",
    "explanation_parse_mode",
    "quote_parse_mode",
    "question_parse_mode",
    "text_parse_mode",
}
NOT_IN_A_MESSAGE = {"tzinfo", "block", "api_defaults"}


def set_fields(defaults: Defaults) -> set[str]:
    """The fields of ``defaults`` that differ from python-telegram-bot's own."""
    fields = [name for name, _ in inspect.getmembers(Defaults, lambda member: isinstance(member, property))]
    return {name for name in fields if getattr(defaults, name) != getattr(Defaults(), name)}


@pytest.mark.parametrize(
    "reply",
    [
        Reply("A <b>tip</b> for Zoë &amp; you", tip_buttons(123456, 789)),
        Reply("Goodbye", keep_buttons('Zoë "Z" \\ <b>', 5)),
        Reply("no buttons"),
    ],
)
async def test_a_tip_goes_out_as_the_very_request_send_message_makes(reply: Reply) -> None:
    """A tip skips only the ``Message`` python-telegram-bot would build from the answer: what Telegram
    receives is what ``send_message`` (HTML by the application's defaults, the keyboard as JSON) sends, and
    the id comes back. ``post_tip`` writes the parse mode in and sends no other default: the application's
    ``Defaults`` must set nothing else."""
    api = FakeBotAPI()
    app = build_application(settings(), request=api)
    assert app.bot.defaults is not None
    unsent = set_fields(app.bot.defaults) - SENT_BY_POST_TIP - NOT_IN_A_MESSAGE
    assert not unsent, (
        f"The application's Defaults now set {sorted(unsent)}, which post_tip (bot/telegram/sender.py) does "
        "not send: a tip would go out without them. Send them in post_tip (and list them here), or send "
        "tips with send_message again."
    )
    async with app:
        sent = await app.bot.send_message(42, reply.text, api_kwargs=tip_markup(reply))
        message_id = await post_tip(app.bot, 42, reply)
    before, after = [call for call in api.calls if call.method == "sendMessage"]
    assert after.params == before.params
    assert after.params["parse_mode"] == app.bot.defaults.parse_mode == "HTML"
    assert message_id == sent.message_id + 1
    assert api.last_to(42).text == reply.text
    assert api.last_to(42).buttons == api.sent[-2].buttons


def test_defaults_that_post_tip_would_not_send_are_caught() -> None:
    """The check above, on Defaults that also protect content: it names the field."""
    assert set_fields(
        Defaults(parse_mode="HTML", protect_content=True)
    ) - SENT_BY_POST_TIP - NOT_IN_A_MESSAGE == {"protect_content"}


class OddAnswers(FakeBotAPI):
    """Telegram answering a sent message with something that is not a message with an id."""

    def __init__(self, answer: Any) -> None:
        super().__init__()
        self.answer = answer

    def _answer(
        self, method: str, params: dict[str, Any], files: dict[str, bytes], filenames: dict[str, str]
    ) -> Any:
        if method == "sendMessage":
            super()._answer(method, params, files, filenames)  # recorded as sent
            return self.answer
        return super()._answer(method, params, files, filenames)


@pytest.mark.parametrize(
    "answer", [True, {"chat": {"id": 424242, "type": "private"}, "text": "A tip for Zoë"}]
)
async def test_an_answer_without_a_message_id_is_counted_and_logged_once_without_the_chat_or_text(
    answer: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tip went out (Telegram said ok), so it counts as sent, with no id. Each one is counted; the first
    in a process is logged, with the answer's shape only."""
    monkeypatch.setattr(send, "_LOGGED_ONCE", {})
    counted = ("securebase_telegram_errors_total", {"kind": "unexpected_answer"})
    before = REGISTRY.get_sample_value(*counted) or 0.0
    sender = TelegramSender(make_bot(OddAnswers(answer)), sleep=FakeSleep())
    with caplog.at_level(logging.DEBUG, logger="bot.telegram.sender"):
        results = [
            await sender.send_tip(424242, Reply("A tip for Zoë", tip_buttons(424242, n))) for n in (1, 2)
        ]
    assert [(r.state, r.message_id) for r in results] == [(DeliveryState.SENT, None)] * 2
    assert (REGISTRY.get_sample_value(*counted) or 0.0) - before == 2
    logged = [r for r in caplog.records if r.name == "bot.telegram.sender"]
    assert [r.levelno for r in logged] == [logging.WARNING]
    assert "not a message id" in logged[0].getMessage()
    assert "424242" not in caplog.text
    assert "Zoë" not in caplog.text
