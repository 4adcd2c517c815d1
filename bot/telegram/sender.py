"""The one way this process talks to the Bot API: a :class:`Reply` becomes a message (HTML text, inline
buttons, or a document), flood limits are waited out, network trouble retried, and every Telegram error
sorted. One :class:`TelegramSender` (and so one flood-control state) serves the whole process: replies,
scheduled tips, on-demand tips and announcements. Every bot is built with :data:`DEFAULTS`, so text is always
Telegram HTML (tips and announcements, sent by :func:`post_tip`, say HTML themselves).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring_ascii
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Defaults, ExtBot

from bot import metrics
from bot.app.config import Settings
from bot.core.reply import Reply
from bot.dispatch.sending import SendResult
from bot.metrics import TelegramErrorKind
from bot.telegram.lanes import Lane, in_lane
from db.models import DeliveryState

log = logging.getLogger(__name__)

SEND_RETRIES = 4
MAX_BACKOFF_SECONDS = 30.0
# A reply that gets a flood-control answer (429) is retried this often, after waiting as told, but only when
# the wait is short: a parent should not wait minutes, and the bot's rate limiter is not asked to retry, since
# it would hold back every other send (scheduled tips included, whose claims are leases) while it waits.
REPLY_RETRIES = 2
LONGEST_REPLY_WAIT_SECONDS = 30.0
# A crisis or emergency reply is never given up on for a wait Telegram asks for: late is better than never.
URGENT_REPLY_RETRIES = 5
LONGEST_URGENT_WAIT_SECONDS = 300.0
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Every message is Telegram HTML (user input escaped with ``bot.core.text.esc``).
DEFAULTS = Defaults(parse_mode=ParseMode.HTML)
# Transport failures that happen before a request leaves this process: sending again cannot double a message.
NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)

Sleep = Callable[[float], Awaitable[Any]]
Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def bot_for(settings: Settings) -> Bot:
    """A Bot API client for one-off commands (``securebase send-due``), with the application's defaults."""
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value().strip()
    if settings.telegram_api_base_url:
        return ExtBot(token, base_url=settings.telegram_api_base_url.rstrip("/") + "/bot", defaults=DEFAULTS)
    return ExtBot(token, defaults=DEFAULTS)


def reply_markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[_button(b.label, b.data) for b in row] for row in reply.buttons])


def tip_markup(reply: Reply) -> dict[str, str] | None:
    """A tip's inline keyboard as the Bot API's JSON, for ``api_kwargs``. Its feedback buttons carry the
    delivery id, so they are new with every tip: building them as python-telegram-bot objects (whose every
    attribute is checked and frozen), then turning those back into a dict and the dict into JSON, cost a
    pass about 30 µs a tip (``bench/dispatch.py``); the JSON itself is the same."""
    if not reply.buttons:
        return None
    rows = ", ".join(
        [
            "[" + ", ".join([_button_opening(b.label) + _quoted(b.data) + "}" for b in row]) + "]"
            for row in reply.buttons
        ]
    )
    return {"reply_markup": '{"inline_keyboard": [' + rows + "]}"}


async def post_tip(bot: Bot, chat_id: int, reply: Reply) -> int | None:
    """Send a tip or an announcement (its HTML text and buttons) and return the new message's id.

    The request goes the way ``bot.send_message`` sends it: through python-telegram-bot's ``_post``, and so
    the application's rate limiter (the lane the caller is in: scheduled tips and announcements wait in the
    tip lane), its timeouts, and errors raised as the same classes. Tests check both halves: the request
    Telegram gets is the one ``send_message`` makes, and the application's own limiter handles a tip in the
    tip lane. What is left out is ``send_message``'s last step: building a ``Message`` from Telegram's answer
    (the message, its chat, its sender), of which a tip keeps only the id. That step cost about 55 µs of CPU
    a tip, some 7% of a benchmark pass's CPU with the rate limiter off (``bench/dispatch.py``); at Telegram's
    30 messages a second it is about 0.2% of a core.

    The bot's ``Defaults`` are not read here: ``parse_mode=HTML`` is written in, and no other field of
    :data:`DEFAULTS` is sent (a test fails if :data:`DEFAULTS` ever set one). An answer without a message id
    counts as sent with no id: it is counted (``securebase_telegram_errors_total{kind="unexpected_answer"}``)
    and the first in a process is logged at WARNING, without the chat or the text."""
    data: dict[str, Any] = {"chat_id": chat_id, "text": reply.text, "parse_mode": ParseMode.HTML}
    if (markup := tip_markup(reply)) is not None:
        data.update(markup)
    answer = await bot._post("sendMessage", data)
    message_id = answer.get("message_id") if isinstance(answer, dict) else None
    if isinstance(message_id, int):
        return message_id
    _unexpected_answer(answer)
    return None


def _unexpected_answer(answer: object) -> None:
    """Count an answer to a send that carries no message id; log the first one (an unexpected answer is
    likely to be the same for every tip after it). Only the answer's shape is logged, never its content."""
    metrics.telegram_error(TelegramErrorKind.UNEXPECTED_ANSWER)
    if _LOGGED_ONCE.get("unexpected answer"):
        return
    _LOGGED_ONCE["unexpected answer"] = True
    shape = type(answer).__name__
    if isinstance(answer, dict):
        shape += f" whose message_id is {type(answer.get('message_id')).__name__}"
    log.warning(
        "Telegram answered a sent message with a %s, not a message id: counted as sent without one; "
        "later such answers are counted (securebase_telegram_errors_total, kind unexpected_answer), not logged",
        shape,
    )


# Warnings logged once per process (an unexpected answer would otherwise be logged for every tip of a pass).
_LOGGED_ONCE: dict[str, bool] = {}


# ``json.dumps``'s own string encoder (ASCII-only, as json.dumps writes by default). The keyboard's JSON is
# put together from its strings: the same text as json.dumps gives (a test checks), in half the time.
_quoted = encode_basestring_ascii


def _button_opening(label: str) -> str:
    # Not cached: a label may carry a child's name ("📌 Keep Zoë's details"), which must not outlive an erasure.
    return '{"text": ' + _quoted(label) + ', "callback_data": '


def _button(label: str, data: str) -> InlineKeyboardButton:
    """Not cached: a label may carry a child's name, which must not stay in memory after it is erased."""
    return InlineKeyboardButton(label, callback_data=data)


def retry_after_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB gives seconds or a timedelta, depending on its settings)."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class TelegramSender:
    """Sends replies and tips for one bot. Flood control is for the whole bot: after a 429 every tip holds
    back until it ends (clock time), whichever chat it goes to."""

    def __init__(self, bot: Bot, *, sleep: Sleep = asyncio.sleep, clock: Clock = utc_now) -> None:
        self.bot = bot
        self.sleep = sleep
        self.clock = clock
        self._quiet_until: dt.datetime | None = None

    # --- flood control ---

    def _flood(self, seconds: float) -> None:
        until = self.clock() + dt.timedelta(seconds=seconds)
        if self._quiet_until is None or until > self._quiet_until:
            self._quiet_until = until

    def quiet_left(self) -> float:
        """Seconds of flood control still to wait out before the next tip (0 when none)."""
        if self._quiet_until is None:
            return 0.0
        return max((self._quiet_until - self.clock()).total_seconds(), 0.0)

    # --- replies ---

    async def send_reply(self, chat_id: int, reply: Reply, *, urgent: bool = False) -> bool:
        """Send one reply; False when the chat has blocked the bot. Other Telegram errors (a long flood wait,
        ...) reach the caller.

        An ``urgent`` reply (a crisis or an emergency) skips our rate limiter's queue, and waits out longer
        flood answers from Telegram itself before it is given up.
        """
        retries = URGENT_REPLY_RETRIES if urgent else REPLY_RETRIES
        longest = LONGEST_URGENT_WAIT_SECONDS if urgent else LONGEST_REPLY_WAIT_SECONDS
        attempt = 0
        while True:
            try:
                with counted_errors():
                    await self._send(chat_id, reply, urgent)
                metrics.reply_sent()
                return True
            except Forbidden:
                return False
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                self._flood(seconds)
                if attempt == retries or seconds > longest:
                    raise
                attempt += 1
                await self.sleep(seconds)

    async def _send(self, chat_id: int, reply: Reply, urgent: bool = False) -> Message:
        # Only the application's bot has a rate limiter to skip (a bare Bot, for one-off commands, has none).
        lane: dict[str, Any] = (
            {"rate_limit_args": Lane.URGENT} if urgent and isinstance(self.bot, ExtBot) else {}
        )
        if reply.document is not None:
            document = InputFile(reply.document.content, filename=reply.document.filename)
            return await self.bot.send_document(
                chat_id, document, caption=reply.text, reply_markup=reply_markup(reply), **lane
            )
        return await self.bot.send_message(
            chat_id, reply.text, reply_markup=reply_markup(reply), link_preview_options=NO_PREVIEW, **lane
        )

    # --- tips ---

    async def send_tip(self, chat_id: int, reply: Reply, *, max_wait: float = math.inf) -> SendResult:
        """Send one tip after any flood wait still running, waiting out flood limits and retrying network
        trouble with backoff; every error sorted into sent, failed, blocked, unconfirmed (no answer, but
        Telegram may have it: not sent again, see the README) or "try again in a later pass".

        Waits add up to at most ``max_wait`` seconds: a claim is a lease, and sending after it ran out could
        send a tip that another dispatcher has taken over meanwhile. Past that, the message is left for later.
        """
        quiet = self.quiet_left()
        if max_wait <= quiet:
            return SendResult(None, error="claim too old to send safely; retried once stale")
        with in_lane(Lane.TIP):  # behind any reply waiting at the rate limiter
            if quiet > 0:
                await self.sleep(quiet)
            return await self.send_tip_now(chat_id, reply, max_wait - quiet)

    async def send_tip_now(self, chat_id: int, reply: Reply, max_wait: float) -> SendResult:
        """:meth:`send_tip` without holding back for a flood wait that is already running."""
        attempt = 0
        waited = 0.0
        while True:
            try:
                with counted_errors():
                    message_id = await post_tip(self.bot, chat_id, reply)
                return SendResult(DeliveryState.SENT, message_id)
            except RetryAfter as exc:
                error, wait = "flood control", retry_after_seconds(exc)
                self._flood(wait)
            except Forbidden as exc:
                return SendResult(DeliveryState.FAILED, error=_short(exc), blocked=True)
            except BadRequest as exc:  # before NetworkError: BadRequest is one
                blocked = "chat not found" in exc.message.lower()
                return SendResult(DeliveryState.FAILED, error=_short(exc), blocked=blocked)
            except NetworkError as exc:  # includes timeouts and 5xx
                if may_have_arrived(exc):
                    return SendResult(DeliveryState.UNCONFIRMED, error=_short(exc))
                error, wait = _short(exc), min(2.0**attempt, MAX_BACKOFF_SECONDS)
            except TelegramError as exc:
                return SendResult(None, error=_short(exc))
            if attempt == SEND_RETRIES:  # no point waiting after the last try: a later pass retries
                return SendResult(None, error=error)
            if waited + wait > max_wait:
                return SendResult(None, error=f"{error}; waiting longer would outlast the claim")
            attempt += 1
            waited += wait
            await self.sleep(wait)


def may_have_arrived(exc: NetworkError) -> bool:
    """Whether Telegram may have received the request although no answer came: a read timeout (or a
    connection lost) after the request went out. Telegram's own error answers (5xx) and failures before
    sending (no connection, a full pool) are not: those requests can be sent again safely."""
    cause = exc.__cause__
    if isinstance(cause, NEVER_SENT):
        return False
    if isinstance(exc, TimedOut):
        return True  # a read or write timeout, or a transport that does not say which
    return isinstance(cause, httpx.TransportError)


class NotSentNow(Exception):
    """A tip asked for could not be sent now (a long flood wait, the network); its claim stays, and a later
    dispatcher pass sends it once the claim is stale."""


class OnDemandSender:
    """The sender for tips a parent asked for (/tip, "another tip"): sent like a reply, since the parent is
    waiting for it. It goes ahead of scheduled tips at the rate limiter, does not hold back for a flood wait
    that another chat's send ran into, and waits for its own flood answers only as long as a reply would;
    past that it raises :class:`NotSentNow` (so nobody is told there is no tip), and the claim stays."""

    def __init__(self, sender: TelegramSender) -> None:
        self.sender = sender

    def quiet_left(self) -> float:
        return 0.0

    async def send_tip(self, chat_id: int, reply: Reply, *, max_wait: float = math.inf) -> SendResult:
        with in_lane(Lane.REPLY):
            result = await self.sender.send_tip_now(chat_id, reply, min(max_wait, LONGEST_REPLY_WAIT_SECONDS))
        if result.state is None:
            raise NotSentNow(result.error)
        return result


def arrived(error: Exception) -> bool:
    """A reply's send failure after which the parent may have the message all the same (a read timeout)."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest) and may_have_arrived(error)


def passing(error: Exception) -> bool:
    """A send failure that may pass (network trouble, a timeout, a flood wait), as opposed to a message
    Telegram refuses (``BadRequest``, which PTB counts among network errors)."""
    if isinstance(error, BadRequest):
        return False
    return isinstance(error, NetworkError | RetryAfter | NotSentNow | OSError | TimeoutError)


def error_kind(exc: TelegramError) -> TelegramErrorKind:
    """The metrics' kind of a Bot API error (BadRequest and TimedOut are NetworkErrors too: checked first)."""
    if isinstance(exc, RetryAfter):
        return TelegramErrorKind.FLOOD
    if isinstance(exc, Forbidden):
        return TelegramErrorKind.FORBIDDEN
    if isinstance(exc, BadRequest):
        return TelegramErrorKind.BAD_REQUEST
    if isinstance(exc, TimedOut):
        return TelegramErrorKind.TIMEOUT
    if isinstance(exc, NetworkError):
        return TelegramErrorKind.NETWORK
    return TelegramErrorKind.OTHER


@contextmanager
def counted_errors() -> Iterator[None]:
    """Count a Bot API error by kind, then let it go on to whoever handles it."""
    try:
        yield
    except TelegramError as exc:
        metrics.telegram_error(error_kind(exc))
        raise


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]
