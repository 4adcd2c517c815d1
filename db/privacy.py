"""A parent's rights over their data: export everything stored about them, or delete it.

The export walks the mapped columns rather than a hand-written field list, so a column added later is
exported without anyone remembering to; the only things left out are other families' ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from db import undelivered
from db.families import delete_children
from db.models import (
    Announcement,
    AnnouncementDelivery,
    Caregiver,
    Child,
    Delivery,
    Invite,
    InviteChild,
    Parent,
)


def _json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):  # datetime is a date too
        return value.isoformat()
    return value


def _columns(row: DeclarativeBase, exclude: Collection[str] = ()) -> dict[str, Any]:
    return {
        column.key: _json(getattr(row, column.key))
        for column in row.__mapper__.column_attrs
        if column.key not in exclude
    }


async def export_parent(s: AsyncSession, parent_id: int) -> dict[str, Any]:
    """Everything stored about the parent and their children, ready for ``json.dumps``.

    Raises ``LookupError`` when there is no such parent.
    """
    parent = await s.get(Parent, parent_id)
    if parent is None:
        raise LookupError(f"no parent with id {parent_id}")
    caregivers = func.count().label("caregivers")
    shared = select(Caregiver.child_id, caregivers).group_by(Caregiver.child_id).subquery("caregiver_counts")
    links = await s.execute(
        select(Caregiver, Child, shared.c.caregivers)
        .join(Child, Child.id == Caregiver.child_id)
        .join(shared, shared.c.child_id == Child.id)
        .where(Caregiver.parent_id == parent_id)
        .order_by(Caregiver.position, Child.id)
    )
    deliveries = await s.scalars(
        select(Delivery).where(Delivery.parent_id == parent_id).order_by(Delivery.slot_at, Delivery.id)
    )
    invites = list(
        await s.scalars(
            select(Invite).where(Invite.created_by == parent_id).order_by(Invite.created_at, Invite.id)
        )
    )
    shares: dict[int, list[int]] = {}
    for invite_id, child_id in await s.execute(
        select(InviteChild.invite_id, InviteChild.child_id)
        .where(InviteChild.invite_id.in_([i.id for i in invites]))
        .order_by(InviteChild.invite_id, InviteChild.child_id)
    ):
        shares.setdefault(invite_id, []).append(child_id)
    announced = await s.execute(
        select(AnnouncementDelivery, Announcement.text)
        .join(Announcement, Announcement.id == AnnouncementDelivery.announcement_id)
        .where(AnnouncementDelivery.parent_id == parent_id)
        .order_by(AnnouncementDelivery.id)
    )
    left = await undelivered.for_chat(s, parent.chat_id)
    return {
        "parent": _columns(parent),
        "children": [
            _columns(child) | _columns(link, exclude=("parent_id", "child_id")) | {"caregivers": count}
            for link, child, count in links
        ],
        "deliveries": [_columns(d, exclude=("parent_id",)) for d in deliveries],
        # Who used an invite is another family's data: the export says only when it was used.
        "invites": [
            _columns(i, exclude=("created_by", "used_by")) | {"child_ids": shares.get(i.id, [])}
            for i in invites
        ],
        "announcements": [_columns(a, exclude=("parent_id",)) | {"text": text} for a, text in announced],
        # Replies a failed delivery left for the next message (they may name a child).
        "undelivered_replies": [_columns(r, exclude=("chat_id",)) for r in left],
    }


async def delete_parent(s: AsyncSession, parent_id: int) -> None:
    """Remove the parent, their deliveries, invites and undelivered replies, and every child no other caregiver
    shares.

    A shared child stays, with everything the other caregiver has for it. Flushes, never commits.
    """
    child_ids = list(await s.scalars(select(Caregiver.child_id).where(Caregiver.parent_id == parent_id)))
    if child_ids:
        only_theirs = list(
            await s.scalars(
                select(Caregiver.child_id)
                .where(Caregiver.child_id.in_(child_ids))
                .group_by(Caregiver.child_id)
                .having(func.count() == 1)
            )
        )
        await delete_children(s, only_theirs)
    await s.execute(delete(Delivery).where(Delivery.parent_id == parent_id))
    await s.execute(delete(AnnouncementDelivery).where(AnnouncementDelivery.parent_id == parent_id))
    theirs = select(Invite.id).where(Invite.created_by == parent_id).scalar_subquery()
    await s.execute(delete(InviteChild).where(InviteChild.invite_id.in_(theirs)))
    await s.execute(delete(Invite).where(Invite.created_by == parent_id))
    await s.execute(update(Invite).where(Invite.used_by == parent_id).values(used_by=None))
    chat_id = await s.scalar(select(Parent.chat_id).where(Parent.id == parent_id))
    if chat_id is not None:
        await undelivered.forget_chat(s, chat_id)
    await s.execute(delete(Caregiver).where(Caregiver.parent_id == parent_id))
    await s.execute(delete(Parent).where(Parent.id == parent_id))
    await s.flush()
