"""Carry out an :class:`Outcome` after its transaction committed: replies, notices to others, tips now."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import Forbidden, TelegramError

from bot.conversation import Outcome
from bot.core.reply import Reply
from bot.dispatch import send_tip_now
from bot.telegram.send import send_reply
from db.families import mark_blocked

log = logging.getLogger(__name__)

NO_TIP = "I have no new tip to send right now. Ask me a question any time, or send /normal."


async def _blocked(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> None:
    async with sessions() as s:
        await mark_blocked(s, chat_id)
        await s.commit()


async def send_or_mark(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], chat_id: int, reply: Reply
) -> bool:
    """Send; a parent who blocked the bot is marked blocked (nothing more goes to them). False if not sent."""
    try:
        await send_reply(bot, chat_id, reply)
    except Forbidden:
        log.info("chat %s has blocked the bot; marking it blocked", chat_id)
        await _blocked(sessions, chat_id)
        return False
    return True


async def deliver(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], chat_id: int, outcome: Outcome, now: datetime
) -> None:
    for reply in outcome.replies:
        if not await send_or_mark(bot, sessions, chat_id, reply):
            return
    for other_chat, notice in outcome.notices:
        try:
            await send_or_mark(bot, sessions, other_chat, notice)
        except TelegramError as exc:  # someone else's chat must not spoil this parent's update
            log.warning("notice to chat %s failed: %s", other_chat, type(exc).__name__)
    for parent_id, child_id in outcome.tips:
        if not await send_tip_now(bot, sessions, parent_id, child_id, now):
            await send_or_mark(bot, sessions, chat_id, Reply(NO_TIP))
