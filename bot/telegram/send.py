"""Turn a transport-free :class:`Reply` into a Telegram message (HTML text, inline buttons, or a document)."""

from __future__ import annotations

from telegram import Bot, InputFile, LinkPreviewOptions, Message
from telegram.constants import ParseMode

from bot.core.reply import Reply
from bot.dispatch import reply_markup

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> Message:
    """Send one reply; Telegram errors (Forbidden when blocked, ...) propagate to the caller."""
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
