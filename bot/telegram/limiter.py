"""Telegram's sending limits for the whole bot, with replies to parents ahead of scheduled tips.

Telegram allows about 30 messages a second overall and about one a second in a private chat (20 a minute in
a group). python-telegram-bot's ``AIORateLimiter`` serves sends in arrival order, so a parent's reply could
wait behind a dispatcher pass's wave of tips. This limiter keeps the same limits but has two lanes
(``bot.telegram.lanes``): a send waits in the tip lane only when the task sending it said so (:func:`in_lane`,
which the dispatcher's sender uses), and the tip lane gets the budget only when no reply is waiting. Replies
cannot starve tips for long: parents type far fewer messages than 30 a second. (Urgent replies never reach
this limiter's queues: ``UrgentFirstRateLimiter`` sends them straight away and only counts them here.)

Nothing is retried here: the senders handle flood answers (429) themselves (``bot.telegram.sender``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import BaseRateLimiter

from bot.telegram.lanes import Lane, current_lane

JSONDict = dict[str, Any]
OVERALL_PER_SECOND = 30.0
OVERALL_BURST = 30.0
CHAT_PER_SECOND = 1.0
# "We may allow short bursts" (Telegram's FAQ): a button press (its buttons removed, an answer and the next
# question) and a quick second one go at once.
CHAT_BURST = 5.0
GROUP_PER_SECOND = 20 / 60
GROUP_BURST = 20.0
_PRUNE_AT = 4096  # chats remembered before idle ones are forgotten


# The queued lanes, first served first (an urgent send, should one get here, waits with the replies).
ORDER = (Lane.REPLY, Lane.TIP)


def _queue_of(lane: Lane) -> Lane:
    return Lane.TIP if lane is Lane.TIP else Lane.REPLY


class Bucket:
    """A token bucket that hands out places in line: a send may go at once or after the wait it is given.

    Places are taken in the order asked, so sends to one chat keep their order."""

    __slots__ = ("at", "burst", "level", "rate")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate, self.burst, self.level, self.at = rate, burst, burst, now

    def refill(self, now: float) -> None:
        if now > self.at:
            self.level = min(self.burst, self.level + (now - self.at) * self.rate)
            self.at = now

    def reserve(self, now: float) -> float:
        """Take a token (possibly one not there yet); the seconds until it is."""
        self.refill(now)
        self.level -= 1
        return 0.0 if self.level >= 0 else -self.level / self.rate

    def idle(self, now: float) -> bool:
        self.refill(now)
        return self.level >= self.burst


class PriorityGate:
    """The overall limit with two lanes, as plain logic on a clock: :meth:`ask` answers at once or with a
    future, :meth:`release` grants what the budget allows (replies first) and says when to call it again."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.bucket = Bucket(rate, burst, clock())
        self.waiting: dict[Lane, deque[asyncio.Future[None]]] = {lane: deque() for lane in ORDER}

    def ask(self, lane: Lane) -> asyncio.Future[None] | None:
        """None: go now. Otherwise a future that is resolved when it is this send's turn."""
        lane = _queue_of(lane)
        ahead = any(self.waiting[other] for other in ORDER[: ORDER.index(lane) + 1])
        self.bucket.refill(self.clock())
        if not ahead and self.bucket.level >= 1:
            self.bucket.level -= 1
            return None
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting[lane].append(future)
        return future

    def release(self) -> float | None:
        """Grant waiting sends while the budget lasts; seconds until the next grant, or None if none wait."""
        self.bucket.refill(self.clock())
        for lane in ORDER:
            queue = self.waiting[lane]
            while queue:
                if queue[0].done():  # given up (cancelled) while waiting
                    queue.popleft()
                    continue
                if self.bucket.level < 1:
                    return (1 - self.bucket.level) / self.bucket.rate
                self.bucket.level -= 1
                queue.popleft().set_result(None)
        return None

    def waiting_in(self, lane: Lane) -> int:
        return sum(1 for future in self.waiting[_queue_of(lane)] if not future.done())


class PriorityRateLimiter(BaseRateLimiter[None]):
    """Telegram's limits for every send with a chat (per chat, then overall with replies first); calls
    without one (getUpdates, answerCallbackQuery, getMe) are not held back."""

    def __init__(
        self,
        overall_per_second: float = OVERALL_PER_SECOND,
        overall_burst: float = OVERALL_BURST,
        *,
        per_chat: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``per_chat=False`` leaves out the limits per chat (tests, which talk faster than any parent)."""
        self.clock = clock
        self.per_chat = per_chat
        self.gate = PriorityGate(overall_per_second, overall_burst, clock)
        self._chats: dict[int | str, Bucket] = {}
        self._timer: asyncio.Handle | None = None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        if chat_id is not None:
            wait = self._chat_bucket(chat_id).reserve(self.clock()) if self.per_chat else 0.0
            if wait > 0:
                await asyncio.sleep(wait)
            await self._overall(current_lane())
        return await callback(*args, **kwargs)

    def spend_now(self, chat_id: object) -> None:
        """Count a send that went without waiting (an urgent reply): the sends queued behind make room for it."""
        now = self.clock()
        if self.per_chat:
            self._chat_bucket(chat_id).reserve(now)
        self.gate.bucket.reserve(now)
        self._schedule()

    def _chat_bucket(self, chat_id: Any) -> Bucket:
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        bucket = self._chats.get(chat_id)
        if bucket is None:
            now = self.clock()
            if len(self._chats) >= _PRUNE_AT:
                self._chats = {key: b for key, b in self._chats.items() if not b.idle(now)}
            # Negative ids (and @usernames) are groups and channels.
            group = isinstance(chat_id, str) or chat_id < 0
            rate, burst = (GROUP_PER_SECOND, GROUP_BURST) if group else (CHAT_PER_SECOND, CHAT_BURST)
            bucket = self._chats[chat_id] = Bucket(rate, burst, now)
        return bucket

    async def _overall(self, lane: Lane) -> None:
        future = self.gate.ask(lane)
        if future is None:
            return
        self._schedule()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # granted as we were cancelled: pass it on
                self.gate.bucket.level += 1
                self._schedule()
            raise

    def _schedule(self) -> None:
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_soon(self._tick)

    def _tick(self) -> None:
        if self._timer is not None:  # when called before its time (tests), the pending call is not needed
            self._timer.cancel()
        self._timer = None
        delay = self.gate.release()
        if delay is not None:
            self._timer = asyncio.get_running_loop().call_later(delay, self._tick)
