"""Replies a failed delivery left behind, per chat: kept (a few, oldest dropped first), taken in the chat's
next update, erased with the parent, and dropped by housekeeping once too old to help.

Plain values only (text, buttons as [label, data] pairs, urgent); the application turns them into replies.
Every function takes the caller's session and never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import UndeliveredReply

# At most this many per chat (the newest); more would be a conversation the parent never saw anyway.
MAX_PER_CHAT = 5
# Older than this, a left-over question or answer no longer fits where the parent is: housekeeping drops it.
KEEP_FOR = dt.timedelta(days=7)

ButtonRows = list[list[list[str]]]


@dataclass(frozen=True, slots=True)
class Left:
    """One left-over reply as stored."""

    text: str
    buttons: ButtonRows
    urgent: bool


async def keep(s: AsyncSession, chat_id: int, replies: Sequence[Left], now: dt.datetime) -> None:
    """Store these after any already kept for the chat, keeping the newest :data:`MAX_PER_CHAT`."""
    for reply in replies:
        s.add(
            UndeliveredReply(
                chat_id=chat_id,
                text=reply.text,
                buttons=reply.buttons or None,
                urgent=reply.urgent,
                created_at=now,
            )
        )
    await s.flush()
    newest = (
        select(UndeliveredReply.id)
        .where(UndeliveredReply.chat_id == chat_id)
        .order_by(UndeliveredReply.id.desc())
        .limit(MAX_PER_CHAT)
        .scalar_subquery()
    )
    await s.execute(
        delete(UndeliveredReply)
        .where(UndeliveredReply.chat_id == chat_id, UndeliveredReply.id.not_in(newest))
        .execution_options(synchronize_session=False)
    )


async def take(s: AsyncSession, chat_id: int) -> list[Left]:
    """The chat's left-over replies, oldest first, deleted (for good once the caller commits)."""
    rows = await for_chat(s, chat_id)
    if not rows:
        return []
    await s.execute(
        delete(UndeliveredReply)
        .where(UndeliveredReply.id.in_([row.id for row in rows]))
        .execution_options(synchronize_session=False)
    )
    return [Left(row.text, row.buttons or [], row.urgent) for row in rows]


async def for_chat(s: AsyncSession, chat_id: int) -> list[UndeliveredReply]:
    """What is kept for the chat (for the export)."""
    return list(
        await s.scalars(
            select(UndeliveredReply).where(UndeliveredReply.chat_id == chat_id).order_by(UndeliveredReply.id)
        )
    )


async def forget_chat(s: AsyncSession, chat_id: int) -> None:
    await s.execute(
        delete(UndeliveredReply)
        .where(UndeliveredReply.chat_id == chat_id)
        .execution_options(synchronize_session=False)
    )


async def forget_older_than(s: AsyncSession, before: dt.datetime) -> int:
    """Drop left-overs kept since before ``before``; how many."""
    result = await s.execute(
        delete(UndeliveredReply)
        .where(UndeliveredReply.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
