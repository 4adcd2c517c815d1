"""A parent's next tip slot, kept up to date whenever what it depends on changes (days, time, zone, state,
children): the schedule arithmetic of ``bot.core.schedule`` plus the database. The dispatcher moves the slot
on by itself after each pass; this is for the changes a parent makes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import next_slot, parse_days, previous_slot
from db import deliveries, families
from db.models import Parent, ParentState


def resting_until(parent: Parent, now: dt.datetime) -> dt.datetime | None:
    """The end of a pause for a while that has not ended yet, or None."""
    until = parent.paused_until
    return until if until is not None and until > now else None


async def reschedule(s: AsyncSession, parent: Parent, now: dt.datetime) -> None:
    """Set ``parent.next_due_at`` from their days, time, zone and state; None when nothing is to be sent.

    A slot that is already due and not yet sent is kept, so editing settings a moment after the slot
    does not lose it; a local day that already had its tip gets no second one (moving 09:00 to 09:30 at
    09:10 waits for the next chosen day).
    """
    await s.flush()
    links = (await deliveries.links_of(s, [parent.id])).get(parent.id, [])
    if parent.state != ParentState.ACTIVE or not any(link.farewell_at is None for link in links):
        await families.set_next_due(s, parent, None)
        return
    days = parse_days(parent.tip_days)
    due = parent.next_due_at
    rest = resting_until(parent, now)
    if (
        rest is None
        and due is not None
        and due <= now
        and due == previous_slot(now, days=days, at=parent.tip_time, tz=parent.time_zone)
    ):
        return
    # During a pause for a while the next slot is the first after it: the dispatcher needs no other rule.
    following = next_slot(rest or now, days=days, at=parent.tip_time, tz=parent.time_zone)
    last = await deliveries.last_scheduled_slot(s, parent.id)
    zone = ZoneInfo(parent.time_zone)
    if last is not None and last.astimezone(zone).date() >= following.astimezone(zone).date():
        following = next_slot(
            dt.datetime.combine(last.astimezone(zone).date(), dt.time.max, tzinfo=zone).astimezone(dt.UTC),
            days=days,
            at=parent.tip_time,
            tz=parent.time_zone,
        )
    await families.set_next_due(s, parent, following)
