"""Serving one update, whatever the transport: one session, the conversation, one commit, then delivery.

Both adapters (Telegram and the terminal chat) call :meth:`Serving.serve_update`; they differ only in the
:class:`Outbox` they send with. Replies go out after the commit, so what the parent sees is always what was
stored; tips asked for (/tip, "another tip") go through a dispatcher, so they are claimed and recorded like
any tip.

A reply that cannot be sent once its step is saved (Telegram unreachable, a long flood wait) is not lost:
the replies left are stored (``db.undelivered``) and sent first when the parent next writes, by whichever
process serves them and after a restart too, so they see the question they are expected to answer instead
of an apology. A reply whose answer timed out after the request went out (Telegram may well have it) counts
as delivered, as a tip does: kept, it would come twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation import Outcome
from bot.conversation.texts import NO_TIP
from bot.core.reply import Button, Reply
from bot.dispatch import Dispatcher, TipSender
from db import retention, undelivered
from db.engine import wipe_freed_pages
from db.families import mark_blocked
from db.locks import lock_chat

log = logging.getLogger(__name__)


class Reached(Enum):
    """How the delivery of a chat's replies went."""

    ALL = "all"
    BLOCKED = "blocked"  # the chat blocked the bot: nothing more goes to it
    KEPT = "kept"  # a reply could not be sent; it and the ones after it wait for the next message


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
    # Which send failures may pass (the network, a flood wait), so the replies are kept for later; any
    # other (a message the transport refuses) is raised as before.
    passing: Callable[[Exception], bool] = lambda error: isinstance(error, OSError | TimeoutError)
    # Which of those may have reached the parent although no answer came (a read timeout): such a reply counts
    # as delivered and is not sent again, since sending it again would show it twice. The trade-off is the
    # dispatcher's: a possible loss (a request that timed out before Telegram had it) over a likely duplicate.
    arrived: Callable[[Exception], bool] = lambda _error: False

    @classmethod
    def of(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Outbox,
        tips: Dispatcher | None = None,
        **options: Any,
    ) -> Serving:
        return cls(sessions, outbox, tips if tips is not None else Dispatcher(outbox, sessions), **options)

    async def serve_update(
        self, chat_id: int, call: Call, now: datetime, *, committed: Committed | None = None
    ) -> Outcome:
        """Run ``call`` in one session and commit; then ``committed`` (a button's toast), then deliver what an
        earlier delivery left for the chat, then this update's replies."""
        async with self.sessions() as s:
            await lock_chat(s, chat_id)  # several processes: this parent's updates one at a time
            await retention.heard_from(s, chat_id)
            left = await undelivered.take(s, chat_id)
            outcome = await call(s)
            await s.commit()
        if committed is not None:
            await committed(outcome)
        await self.deliver(chat_id, outcome, now, left=[_reply(kept) for kept in left])
        if outcome.erased:  # after the replies: the parent need not wait for the disk
            await wipe_freed_pages(self.sessions)
        return outcome

    async def deliver(
        self, chat_id: int, outcome: Outcome, now: datetime, *, left: Sequence[tuple[Reply, bool]] = ()
    ) -> None:
        """``left`` over from before, then the replies in order (an urgent reply first: safety before anything
        stale), then notices to other chats, then tips now. Replies that cannot be sent are stored for the
        parent's next message, and then no tip is sent (the chat cannot be reached now); not after a step that
        erased data (/deletedata, a child removed): a stored copy would keep the chat id, and maybe the name,
        that the parent was just told are gone."""
        new = [(reply, outcome.urgent) for reply in outcome.replies]
        replies = [*new, *left] if outcome.urgent else [*left, *new]
        reached = await self._send_all(chat_id, replies, now, store=not outcome.erased)
        if reached is Reached.BLOCKED:
            return
        if left and reached is Reached.ALL:
            log.info("chat %s got %d reply(s) an earlier delivery could not send", chat_id, len(left))
        for other_chat, notice in outcome.notices:
            try:
                await self.send(other_chat, notice)
            except Exception as exc:  # someone else's chat must not spoil this parent's update
                log.warning("notice to chat %s failed: %s", other_chat, type(exc).__name__)
        if reached is Reached.KEPT:
            return
        for parent_id, child_id in outcome.tips:
            try:
                sent = await self.tips.send_now(parent_id, child_id, now)
            except Exception as exc:
                if not self.passing(exc):
                    raise
                log.warning(
                    "tip to chat %s not sent now (%s); a later pass sends it", chat_id, type(exc).__name__
                )
                continue
            if not sent:
                await self._send_all(chat_id, [(Reply(NO_TIP), False)], now)

    async def _send_all(
        self, chat_id: int, replies: list[tuple[Reply, bool]], now: datetime, *, store: bool = True
    ) -> Reached:
        for index, (reply, urgent) in enumerate(replies):
            try:
                if not await self.send(chat_id, reply, urgent=urgent):
                    return Reached.BLOCKED
            except Exception as exc:
                if not self.passing(exc):
                    raise
                if self.arrived(exc):
                    log.warning(
                        "reply to chat %s may have arrived (%s); not sent again", chat_id, type(exc).__name__
                    )
                    continue
                if store:
                    await self._keep(chat_id, replies[index:], exc, now)
                else:
                    log.warning(
                        "%d reply(s) to chat %s not delivered (%s) after an erasure; not stored",
                        len(replies) - index,
                        chat_id,
                        type(exc).__name__,
                    )
                return Reached.KEPT
        return Reached.ALL

    async def _keep(
        self, chat_id: int, replies: list[tuple[Reply, bool]], error: Exception, now: datetime
    ) -> None:
        """Store the replies left for the chat's next update. A document (an export) is not stored: it holds
        all the parent's data, and /mydata makes a fresh one."""
        kept = [_left(reply, urgent) for reply, urgent in replies if reply.document is None]
        try:
            async with self.sessions() as s:
                await undelivered.keep(s, chat_id, kept, now)
                await s.commit()
        except Exception as exc:  # the database is down too: the replies are lost, and the log says so
            log.warning(
                "%d reply(s) to chat %s not delivered (%s) and not stored (%s)",
                len(replies),
                chat_id,
                type(error).__name__,
                type(exc).__name__,
            )
            return
        log.warning(
            "%d reply(s) to chat %s not delivered (%s); kept for their next message",
            len(kept),
            chat_id,
            type(error).__name__,
        )

    async def send(self, chat_id: int, reply: Reply, *, urgent: bool = False) -> bool:
        """Send; a parent who blocked the bot is marked blocked (nothing more goes to them). False if not sent."""
        if await self.outbox.send_reply(chat_id, reply, urgent=urgent):
            return True
        log.info("chat %s has blocked the bot; marking it blocked", chat_id)
        async with self.sessions() as s:
            await mark_blocked(s, chat_id)
            await s.commit()
        return False


def _left(reply: Reply, urgent: bool) -> undelivered.Left:
    buttons = [[[button.label, button.data] for button in row] for row in reply.buttons]
    return undelivered.Left(reply.text, buttons, urgent)


def _reply(left: undelivered.Left) -> tuple[Reply, bool]:
    buttons = tuple(tuple(Button(label, data) for label, data in row) for row in left.buttons)
    return Reply(left.text, buttons), left.urgent
