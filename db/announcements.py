"""Announcements (``/announce``): a draft, its confirmation, and one delivery row per parent, claimed, sent and
recorded the way tips are, so each parent gets it once however many dispatchers run.

Confirming writes a ``pending`` row for every parent who gets tips at that moment. A pass claims a batch of
pending rows (on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so dispatchers split them), skipping parents who
paused, stopped or blocked the bot since; a claim left by a crash is taken over once it is stale, three
tries at most, like a tip's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementDeliveryState,
    AnnouncementState,
    Parent,
    ParentState,
)

MAX_ATTEMPTS = 3
Pending = AnnouncementDeliveryState


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    chat_id: int
    text: str
    claimed_at: dt.datetime


@dataclass(frozen=True)
class Result:
    delivery_id: int
    state: AnnouncementDeliveryState | None  # None: leave it claimed, a later pass retries once it is stale
    at: dt.datetime
    message_id: int | None = None
    error: str | None = None


async def recipients(s: AsyncSession) -> int:
    """How many parents an announcement confirmed now would go to (those who get tips)."""
    return int(await s.scalar(select(func.count()).where(Parent.state == ParentState.ACTIVE)) or 0)


async def create_draft(s: AsyncSession, text: str, now: dt.datetime) -> Announcement:
    draft = Announcement(text=text, state=AnnouncementState.DRAFT.value, created_at=now)
    s.add(draft)
    await s.flush()
    return draft


async def confirm(s: AsyncSession, announcement_id: int, now: dt.datetime) -> int | None:
    """Queue a draft for every parent who gets tips; the number queued, or None when it was no longer a draft
    (a second press, or cancelled): confirming twice never queues twice."""
    confirmed = await s.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.state == AnnouncementState.DRAFT.value)
        .values(state=AnnouncementState.SENDING.value, confirmed_at=now)
    )
    if confirmed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    active = select(literal(announcement_id), Parent.id, literal(Pending.PENDING.value), literal(0)).where(
        Parent.state == ParentState.ACTIVE
    )
    queued = await s.execute(
        insert(AnnouncementDelivery).from_select(
            ["announcement_id", "parent_id", "state", "attempts"], active
        )
    )
    return int(queued.rowcount)  # type: ignore[attr-defined]


async def cancel(s: AsyncSession, announcement_id: int) -> bool:
    """Drop a draft; False when it was already confirmed or cancelled."""
    cancelled = await s.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.state == AnnouncementState.DRAFT.value)
        .values(state=AnnouncementState.CANCELLED.value)
    )
    return bool(cancelled.rowcount == 1)  # type: ignore[attr-defined]


async def claim(s: AsyncSession, now: dt.datetime, *, stale_after: dt.timedelta, limit: int) -> list[Claimed]:
    """Claim up to ``limit`` rows due to go out: pending ones, and claims older than ``stale_after``. Rows of
    parents who no longer get tips are marked skipped on the way. The caller commits."""
    stale = (AnnouncementDelivery.state == Pending.CLAIMED.value) & (
        AnnouncementDelivery.claimed_at < now - stale_after
    )
    query = (
        select(
            AnnouncementDelivery.id,
            AnnouncementDelivery.attempts,
            Parent.chat_id,
            Parent.state,
            Announcement.text,
        )
        .join(Parent, Parent.id == AnnouncementDelivery.parent_id)
        .join(Announcement, Announcement.id == AnnouncementDelivery.announcement_id)
        .where((AnnouncementDelivery.state == Pending.PENDING.value) | stale)
        .order_by(AnnouncementDelivery.id)
        .limit(limit)
    )
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=AnnouncementDelivery, skip_locked=True)
    rows = (await s.execute(query)).all()
    claimed, skipped, given_up = [], [], []
    for row_id, attempts, chat_id, state, text in rows:
        if state != ParentState.ACTIVE:
            skipped.append(row_id)
        elif attempts >= MAX_ATTEMPTS:
            given_up.append(row_id)
        else:
            claimed.append(Claimed(row_id, chat_id, text, now))
    await _set(s, skipped, state=Pending.SKIPPED.value)
    await _set(s, given_up, state=Pending.FAILED.value, error="gave up after three tries")
    if claimed:
        await s.execute(
            update(AnnouncementDelivery)
            .where(AnnouncementDelivery.id.in_([c.delivery_id for c in claimed]))
            .values(
                state=Pending.CLAIMED.value,
                claimed_at=now,
                attempts=AnnouncementDelivery.attempts + 1,
            )
        )
    return claimed


async def _set(s: AsyncSession, ids: Sequence[int], **values: object) -> None:
    if ids:
        await s.execute(update(AnnouncementDelivery).where(AnnouncementDelivery.id.in_(ids)).values(**values))


async def record(s: AsyncSession, results: Sequence[Result]) -> None:
    """Store what happened to claimed rows (only while still claimed: a takeover's record wins)."""
    for result in results:
        if result.state is None:
            continue
        await s.execute(
            update(AnnouncementDelivery)
            .where(
                AnnouncementDelivery.id == result.delivery_id,
                AnnouncementDelivery.state == Pending.CLAIMED.value,
            )
            .values(
                state=result.state.value,
                sent_at=result.at if result.state is Pending.SENT else None,
                message_id=result.message_id,
                error=result.error[:200] if result.error else None,
            )
        )


async def latest_confirmed(s: AsyncSession) -> int | None:
    """The most recently confirmed announcement's id, if any."""
    return await s.scalar(
        select(Announcement.id)
        .where(Announcement.state == AnnouncementState.SENDING.value)
        .order_by(Announcement.confirmed_at.desc(), Announcement.id.desc())
        .limit(1)
    )


async def progress(s: AsyncSession, announcement_id: int) -> dict[AnnouncementDeliveryState, int]:
    rows = await s.execute(
        select(AnnouncementDelivery.state, func.count())
        .where(AnnouncementDelivery.announcement_id == announcement_id)
        .group_by(AnnouncementDelivery.state)
    )
    counts = {state: int(count) for state, count in rows}
    return {state: counts.get(state.value, 0) for state in AnnouncementDeliveryState}
