"""Turn a transport-free :class:`Reply` into a Telegram message (HTML text, inline buttons, or a document)."""

from __future__ import annotations

from typing import Any

from telegram import Bot, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot.core.reply import Reply
from bot.dispatch import reply_markup

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

# A reply to a parent that gets a flood-control answer (429) is waited out and retried this often by the
# rate limiter before the update counts as failed. Only replies ask for it: the limiter's own default is no
# retries, because a scheduled tip must not be retried behind the dispatcher's back (it waits within its
# claim's lease itself; see bot.dispatch_send).
REPLY_RETRIES = 2


def with_retries(bot: Bot) -> dict[str, Any]:
    """The keyword that asks the rate limiter to retry a reply (a bot without one takes no such keyword)."""
    return {"rate_limit_args": REPLY_RETRIES} if isinstance(bot, ExtBot) and bot.rate_limiter else {}


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> Message:
    """Send one reply; Telegram errors (Forbidden when blocked, ...) propagate to the caller."""
    if reply.document is not None:
        document = InputFile(reply.document.content, filename=reply.document.filename)
        return await bot.send_document(
            chat_id,
            document,
            caption=reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=reply_markup(reply),
            **with_retries(bot),
        )
    return await bot.send_message(
        chat_id,
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=reply_markup(reply),
        link_preview_options=NO_PREVIEW,
        **with_retries(bot),
    )
