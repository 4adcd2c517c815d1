"""Serving one update, whatever the transport: one session, the conversation, one commit, then delivery.

Both adapters (Telegram and the terminal chat) call :meth:`Serving.serve_update`; they differ only in the
:class:`Outbox` they send with. Replies go out after the commit, so what the parent sees is always what was
stored; tips asked for (/tip, "another tip") go through the process's one dispatcher, so they are recorded
like any tip and respect a flood wait already running.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation import Outcome
from bot.conversation.texts import NO_TIP
from bot.core.reply import Reply
from bot.dispatch import Dispatcher, TipSender
from db.families import mark_blocked
from db.locks import lock_chat

log = logging.getLogger(__name__)

Call = Callable[[AsyncSession], Awaitable[Outcome]]
Committed = Callable[[Outcome], Awaitable[None]]


class Outbox(TipSender, Protocol):
    """The small send interface an adapter implements: replies here, tips through :class:`TipSender`."""

    async def send_reply(self, chat_id: int, reply: Reply, *, urgent: bool = False) -> bool:
        """Send one reply; False when the chat has blocked the bot. Other failures raise. An ``urgent`` reply
        (a crisis or an emergency) goes ahead of any queue the transport keeps."""
        ...


@dataclass(frozen=True)
class Serving:
    """What serving updates needs: the database, the transport, and the process's one dispatcher."""

    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox
    tips: Dispatcher

    @classmethod
    def of(
        cls, sessions: async_sessionmaker[AsyncSession], outbox: Outbox, tips: Dispatcher | None = None
    ) -> Serving:
        return cls(sessions, outbox, tips if tips is not None else Dispatcher(outbox, sessions))

    async def serve_update(
        self, chat_id: int, call: Call, now: datetime, *, committed: Committed | None = None
    ) -> Outcome:
        """Run ``call`` in one session and commit; then ``committed`` (a button's toast), then deliver."""
        async with self.sessions() as s:
            await lock_chat(s, chat_id)  # several processes: this parent's updates one at a time
            outcome = await call(s)
            await s.commit()
        if committed is not None:
            await committed(outcome)
        await self.deliver(chat_id, outcome, now)
        return outcome

    async def deliver(self, chat_id: int, outcome: Outcome, now: datetime) -> None:
        """Replies in order, then notices to other chats, then tips now."""
        for reply in outcome.replies:
            if not await self.send(chat_id, reply, urgent=outcome.urgent):
                return
        for other_chat, notice in outcome.notices:
            try:
                await self.send(other_chat, notice)
            except Exception as exc:  # someone else's chat must not spoil this parent's update
                log.warning("notice to chat %s failed: %s", other_chat, type(exc).__name__)
        for parent_id, child_id in outcome.tips:
            if not await self.tips.send_now(parent_id, child_id, now):
                await self.send(chat_id, Reply(NO_TIP))

    async def send(self, chat_id: int, reply: Reply, *, urgent: bool = False) -> bool:
        """Send; a parent who blocked the bot is marked blocked (nothing more goes to them). False if not sent."""
        if await self.outbox.send_reply(chat_id, reply, urgent=urgent):
            return True
        log.info("chat %s has blocked the bot; marking it blocked", chat_id)
        async with self.sessions() as s:
            await mark_blocked(s, chat_id)
            await s.commit()
        return False
