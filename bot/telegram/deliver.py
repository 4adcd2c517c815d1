"""Carry out an :class:`Outcome` after its transaction committed: replies, notices to others, tips now."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import Forbidden, TelegramError

from bot.conversation import Outcome
from bot.core.reply import Reply
from bot.dispatch import Dispatcher
from bot.telegram.sender import TelegramSender
from db.families import mark_blocked

log = logging.getLogger(__name__)

NO_TIP = "I have no new tip to send right now. Ask me a question any time, or send /normal."


async def _blocked(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> None:
    async with sessions() as s:
        await mark_blocked(s, chat_id)
        await s.commit()


async def send_or_mark(
    sender: TelegramSender,
    sessions: async_sessionmaker[AsyncSession],
    chat_id: int,
    reply: Reply,
    *,
    urgent: bool = False,
) -> bool:
    """Send; a parent who blocked the bot is marked blocked (nothing more goes to them). False if not sent."""
    try:
        await sender.send_reply(chat_id, reply, urgent=urgent)
    except Forbidden:
        log.info("chat %s has blocked the bot; marking it blocked", chat_id)
        await _blocked(sessions, chat_id)
        return False
    return True


async def deliver(
    tips: Dispatcher, sender: TelegramSender, chat_id: int, outcome: Outcome, now: datetime
) -> None:
    """Replies, then notices to other chats, then tips now through the process's dispatcher (so a /tip
    respects a flood wait already running, and is recorded like any tip). Replies to a crisis or an
    emergency go past our rate limiter's queue (:mod:`bot.telegram.lanes`)."""
    sessions = tips.sessions
    for reply in outcome.replies:
        if not await send_or_mark(sender, sessions, chat_id, reply, urgent=outcome.urgent):
            return
    for other_chat, notice in outcome.notices:
        try:
            await send_or_mark(sender, sessions, other_chat, notice)
        except TelegramError as exc:  # someone else's chat must not spoil this parent's update
            log.warning("notice to chat %s failed: %s", other_chat, type(exc).__name__)
    for parent_id, child_id in outcome.tips:
        if not await tips.send_now(parent_id, child_id, now):
            await send_or_mark(sender, sessions, chat_id, Reply(NO_TIP))
