"""Periodic clean-up that keeps the database to what the product needs: old invites are deleted."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes

from db.families import delete_old_invites

log = logging.getLogger(__name__)

# An invite is deleted this long after it expired (used or not); until then a late tap still hears "expired".
KEEP_INVITES_AFTER_EXPIRY = dt.timedelta(days=30)
INTERVAL_SECONDS = 3600


async def sweep(sessions: async_sessionmaker[AsyncSession], now: dt.datetime) -> int:
    """One clean-up pass at ``now``; returns how many invites were deleted."""
    async with sessions() as s:
        deleted = await delete_old_invites(s, now - KEEP_INVITES_AFTER_EXPIRY)
        await s.commit()
    return deleted


def register_housekeeping_job(
    application: Application[Any, Any, Any, Any, Any, Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    """An hourly job beside the dispatcher's; a failure is logged and the next hour tries again."""
    if application.job_queue is None:
        raise RuntimeError('the job queue is missing: install python-telegram-bot with the "job-queue" extra')

    async def tick(_context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            deleted = await sweep(sessions, dt.datetime.now(dt.UTC))
        except Exception:
            log.exception("housekeeping failed; the next run tries again")
            return
        if deleted:
            log.info("housekeeping: deleted %d old invite(s)", deleted)

    application.job_queue.run_repeating(
        tick,
        interval=INTERVAL_SECONDS,
        first=60,
        name="housekeeping",
        job_kwargs={"coalesce": True, "misfire_grace_time": INTERVAL_SECONDS},
    )
