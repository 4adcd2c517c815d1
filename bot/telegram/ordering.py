"""Updates in parallel, each chat's in order: python-telegram-bot's update processor for this bot.

One parent waiting (a flood wait on their chat, a slow write) must not hold up anyone else, so updates of
different chats run concurrently; but a parent's own updates must run one after another, in the order
Telegram numbered them, since each reads the step the previous one stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates being handled at once. Most of an update's time is spent waiting (for the rate limiter, the
# network, the database), so this is well above the database pool: it bounds memory, not throughput.
MAX_CONCURRENT = 256
# Updates fetched but not yet started; past this, fetching waits (python-telegram-bot's own bound).
MAX_PENDING = 8192


def chat_key(update: object) -> int | None:
    """The chat whose order this update belongs to (the sender when there is no chat), or None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class _Turns:
    """A chat's turn-taking: a FIFO lock (asyncio's is first come, first served) and how many use it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Runs up to ``max_concurrent`` updates at once, never two of one chat at the same time.

    python-telegram-bot starts one task per update in the order it fetched them, so each chat's updates
    reach their chat's lock in order. An update waiting for its chat holds no running slot: a parent who
    sends many messages quickly queues behind themselves, not in front of everyone else.
    """

    def __init__(self, max_concurrent: int = MAX_CONCURRENT, max_pending: int = MAX_PENDING) -> None:
        super().__init__(max_pending)
        self._running = asyncio.Semaphore(max_concurrent)
        self._chats: dict[int, _Turns] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        turns = self._chats.get(key)
        if turns is None:
            turns = self._chats[key] = _Turns()
        turns.users += 1
        try:
            async with turns.lock, self._running:
                await coroutine
        finally:
            turns.users -= 1
            if turns.users == 0:
                del self._chats[key]

    def waiting_chats(self) -> int:
        """Chats with an update running or waiting (for tests and metrics)."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up: locks are made per chat as updates come."""

    async def shutdown(self) -> None:
        """Nothing to free: a chat's lock goes when its last update is done."""
