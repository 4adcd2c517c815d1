"""Periodic clean-up that keeps the database to what the product needs: old invites and distress marks go,
and so do replies left undelivered for a week, parents inactive for longer than the retention period (a month
for a parent with no child: a setup never finished) and children past the tips and the grace period
(``bot.core.retention``), erased as completely as /deletedata would.

The Telegram adapter runs :func:`sweep` every ``INTERVAL_SECONDS`` (``bot.telegram.jobs``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.retention import (
    DEFAULT_RETENTION_MONTHS,
    born_on_or_before,
    child_is_past_keeping,
    childless_before,
    inactive_before,
)
from content import Library, default_library
from db import retention, undelivered
from db.engine import wipe_freed_pages
from db.families import DISTRESS_MEMORY, delete_children, delete_old_invites, forget_old_distress
from db.locks import claim_job
from db.privacy import delete_parent

# An invite is deleted this long after it expired (used or not); until then a late tap still hears "expired".
KEEP_INVITES_AFTER_EXPIRY = dt.timedelta(days=30)
INTERVAL_SECONDS = 3600


@dataclass(frozen=True)
class Swept:
    """What one clean-up pass deleted (counts only)."""

    invites: int = 0
    parents: int = 0
    children: int = 0

    def __bool__(self) -> bool:
        return bool(self.invites or self.parents or self.children)


async def sweep(
    sessions: async_sessionmaker[AsyncSession],
    now: dt.datetime,
    *,
    retention_months: int = DEFAULT_RETENTION_MONTHS,
    library: Library | None = None,
) -> Swept:
    """One clean-up pass at ``now``, in one transaction."""
    library = library or default_library()
    async with sessions() as s:
        if not await claim_job(s, "housekeeping"):  # another bot process is at it right now
            return Swept()
        invites = await delete_old_invites(s, now - KEEP_INVITES_AFTER_EXPIRY)
        await forget_old_distress(s, now - DISTRESS_MEMORY)
        await undelivered.forget_older_than(s, now - undelivered.KEEP_FOR)
        await retention.stamp_inactive(s, now)
        parents = await retention.inactive_parents(
            s, inactive_before(now, retention_months), childless_before(now)
        )
        for parent_id in parents:
            await delete_parent(s, parent_id)
        today = now.date()
        children = [
            child_id
            for child_id, birthdate in await retention.children_born_by(s, born_on_or_before(today, library))
            if child_is_past_keeping(birthdate, today, library)
        ]
        await delete_children(s, children)
        await s.commit()
    # What was deleted, and anything an erasure's own wipe could not reach while the log was being read.
    await wipe_freed_pages(sessions)
    return Swept(invites, len(parents), len(children))
