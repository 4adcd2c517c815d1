"""Sending one tip message through the Bot API: flood limits waited out, network trouble retried with backoff,
and every Telegram error sorted into sent, failed, blocked or "try again in a later pass"."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.reply import Reply
from db.models import DeliveryState

SEND_RETRIES = 4
MAX_BACKOFF_SECONDS = 30.0

Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class SendResult:
    """``state`` None: not sent for a reason that may pass; the claim stays and is retried once stale."""

    state: DeliveryState | None
    message_id: int | None = None
    error: str | None = None
    blocked: bool = False


def reply_markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[_button(b.label, b.data) for b in row] for row in reply.buttons])


@lru_cache(maxsize=1024)
def _button(label: str, data: str) -> InlineKeyboardButton:
    """Buttons are immutable, and building one costs more than rendering a tip's text: one that repeats on
    every message (pause) is built once."""
    return InlineKeyboardButton(label, callback_data=data)


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    sleep: Sleep,
    *,
    max_wait: float = math.inf,
    on_flood: Callable[[float], None] | None = None,
) -> SendResult:
    """Send one message, waiting out flood limits and retrying network trouble with backoff.

    Waits add up to at most ``max_wait`` seconds: a claim is a lease, and sending after it ran out could
    send a tip that another dispatcher has taken over meanwhile. Past that, the message is left for later.
    ``on_flood`` hears every flood-control wait, so other senders can hold back too.
    """
    attempt = 0
    waited = 0.0
    while True:
        try:
            sent = await bot.send_message(
                chat_id, reply.text, parse_mode=ParseMode.HTML, reply_markup=reply_markup(reply)
            )
            return SendResult(DeliveryState.SENT, sent.message_id)
        except RetryAfter as exc:
            error, wait = "flood control", retry_after_seconds(exc)
            if on_flood is not None:
                on_flood(wait)
        except Forbidden as exc:
            return SendResult(DeliveryState.FAILED, error=_short(exc), blocked=True)
        except BadRequest as exc:  # before NetworkError: BadRequest is one
            blocked = "chat not found" in exc.message.lower()
            return SendResult(DeliveryState.FAILED, error=_short(exc), blocked=blocked)
        except NetworkError as exc:  # includes timeouts and 5xx
            error, wait = _short(exc), min(2.0**attempt, MAX_BACKOFF_SECONDS)
        except TelegramError as exc:
            return SendResult(None, error=_short(exc))
        if attempt == SEND_RETRIES:  # no point waiting after the last try: a later pass retries
            return SendResult(None, error=error)
        if waited + wait > max_wait:
            return SendResult(None, error=f"{error}; waiting longer would outlast the claim")
        attempt += 1
        waited += wait
        await sleep(wait)


def retry_after_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB gives seconds or a timedelta, depending on its settings)."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]
