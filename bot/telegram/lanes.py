"""The rate limiter with a lane for replies that must not wait: a crisis or an emergency.

Our throttle (PTB's :class:`AIORateLimiter`) keeps the bot under Telegram's overall limits by queueing
requests, and holds every request back while it waits out a flood answer. A reply to a parent in crisis or
with a child in danger must never sit in that queue, so a request marked :attr:`Lane.URGENT` goes straight to
Telegram; if Telegram itself answers 429, :meth:`TelegramSender.send_reply` waits as told and tries again.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import Any

from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter, BaseRateLimiter


class Lane(StrEnum):
    URGENT = "urgent"


class UrgentFirstRateLimiter(BaseRateLimiter[Lane]):
    """Throttles like ``throttle`` (an :class:`AIORateLimiter` by default), except urgent requests."""

    def __init__(self, throttle: AIORateLimiter | None = None) -> None:
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
            return await callback(*args, **kwargs)
        return await self.throttle.process_request(callback, args, kwargs, endpoint, data, None)
