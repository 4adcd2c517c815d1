"""Lanes at the rate limiter: which sends wait behind which.

- :attr:`Lane.URGENT`: a reply to a parent in crisis or with a child in danger never sits in a queue: it is
  marked with ``rate_limit_args`` and :class:`UrgentFirstRateLimiter` sends it straight to Telegram, but
  counts it against the overall budget (:meth:`Spends.spend_now`) so that the sends behind it make room:
  without that, the limiter kept Telegram's 30 a second full and an urgent retry could meet a 429 each time.
  If Telegram itself answers 429, :meth:`TelegramSender.send_reply` waits as told and tries again.
- :attr:`Lane.REPLY` (every other send unless said otherwise) and :attr:`Lane.TIP` (the dispatcher's
  scheduled tips, marked with :func:`in_lane`) share Telegram's limits in ``bot.telegram.limiter``, where a
  waiting reply always goes first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter, BaseRateLimiter


class Lane(StrEnum):
    URGENT = "urgent"
    REPLY = "reply"
    TIP = "tip"


_LANE: ContextVar[Lane] = ContextVar("securebase_send_lane", default=Lane.REPLY)


@contextlib.contextmanager
def in_lane(lane: Lane) -> Iterator[None]:
    """Sends made in this block (by this task and the tasks it starts) wait in ``lane``."""
    token = _LANE.set(lane)
    try:
        yield
    finally:
        _LANE.reset(token)


def current_lane() -> Lane:
    return _LANE.get()


@runtime_checkable
class Spends(Protocol):
    """A limiter that can count a send it did not hold back."""

    def spend_now(self, chat_id: object) -> None: ...


class UrgentFirstRateLimiter(BaseRateLimiter[Lane]):
    """Throttles like ``throttle`` (our :class:`PriorityRateLimiter` in the bot), except urgent requests."""

    def __init__(self, throttle: BaseRateLimiter[Any] | None = None) -> None:
        self.throttle = throttle or AIORateLimiter()

    async def initialize(self) -> None:
        await self.throttle.initialize()

    async def shutdown(self) -> None:
        await self.throttle.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Lane | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if rate_limit_args is Lane.URGENT:
            if isinstance(self.throttle, Spends) and data.get("chat_id") is not None:
                self.throttle.spend_now(data["chat_id"])
            return await callback(*args, **kwargs)
        return await self.throttle.process_request(callback, args, kwargs, endpoint, data, None)
