"""Turn a transport-free :class:`Reply` into a Telegram message (HTML text, inline buttons, or a document)."""

from __future__ import annotations

import asyncio

from telegram import Bot, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from bot.core.reply import Reply
from bot.dispatch import reply_markup
from bot.dispatch_send import retry_after_seconds

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

# A reply that gets a flood-control answer (429) is retried this often, after waiting as told, but only when
# the wait is short: a parent should not wait minutes, and the bot's rate limiter is not asked to retry, since
# it would hold back every other send (scheduled tips included, whose claims are leases) while it waits.
REPLY_RETRIES = 2
LONGEST_REPLY_WAIT_SECONDS = 30.0
_sleep = asyncio.sleep  # tests replace it: no waiting on the wall clock


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> Message:
    """Send one reply; Telegram errors (Forbidden when blocked, a long flood wait, ...) reach the caller."""
    attempt = 0
    while True:
        try:
            return await _send(bot, chat_id, reply)
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            if attempt == REPLY_RETRIES or seconds > LONGEST_REPLY_WAIT_SECONDS:
                raise
            attempt += 1
            await _sleep(seconds)


async def _send(bot: Bot, chat_id: int, reply: Reply) -> Message:
    if reply.document is not None:
        document = InputFile(reply.document.content, filename=reply.document.filename)
        return await bot.send_document(
            chat_id, document, caption=reply.text, parse_mode=ParseMode.HTML, reply_markup=reply_markup(reply)
        )
    return await bot.send_message(
        chat_id,
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=reply_markup(reply),
        link_preview_options=NO_PREVIEW,
    )
