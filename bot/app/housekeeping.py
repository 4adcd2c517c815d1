"""Periodic clean-up that keeps the database to what the product needs: old invites and distress marks go.

The Telegram adapter runs :func:`sweep` every ``INTERVAL_SECONDS`` (``bot.telegram.jobs``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.families import DISTRESS_MEMORY, delete_old_invites, forget_old_distress

# An invite is deleted this long after it expired (used or not); until then a late tap still hears "expired".
KEEP_INVITES_AFTER_EXPIRY = dt.timedelta(days=30)
INTERVAL_SECONDS = 3600


async def sweep(sessions: async_sessionmaker[AsyncSession], now: dt.datetime) -> int:
    """One clean-up pass at ``now``; returns how many invites were deleted."""
    async with sessions() as s:
        deleted = await delete_old_invites(s, now - KEEP_INVITES_AFTER_EXPIRY)
        await forget_old_distress(s, now - DISTRESS_MEMORY)
        await s.commit()
    return deleted
