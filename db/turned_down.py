"""Tips turned down ("not for us") for a child, and bringing them back.

A "not for us" is the feedback on one delivery, and it holds for the child that delivery was for, in every
caregiver's chat (the dispatcher reads it from every caregiver's tip summary, ``db.deliveries``). Bringing an idea back clears it on
every delivery of that child, and forgets that caregivers were told the child's stage had no ideas left.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.deliveries import recount
from db.models import Caregiver, Delivery, Feedback

CAREGIVERS = cast(Table, Caregiver.__table__)


@dataclass(frozen=True, slots=True)
class TurnedDown:
    """One idea turned down for one child; ``delivery_id`` is the latest delivery that carried the verdict
    (what a "bring back" button names)."""

    child_id: int
    item_id: str
    delivery_id: int


async def delivery_for(s: AsyncSession, parent_id: int, delivery_id: int) -> Delivery | None:
    """The delivery, only if its child is one of this parent's (sent to them or to another caregiver)."""
    result: Delivery | None = await s.scalar(
        select(Delivery)
        .join(Caregiver, Caregiver.child_id == Delivery.child_id)
        .where(Delivery.id == delivery_id, Caregiver.parent_id == parent_id)
    )
    return result


async def excluded_for(s: AsyncSession, child_id: int) -> frozenset[str]:
    """The items turned down for this child, by any of its caregivers."""
    rows = await s.scalars(
        select(Delivery.item_id)
        .where(Delivery.child_id == child_id, Delivery.feedback == Feedback.NOT_FOR_US.value)
        .distinct()
    )
    return frozenset(rows)


async def of_parent(s: AsyncSession, parent_id: int) -> list[TurnedDown]:
    """Everything turned down for this parent's children: in the parent's order of children, latest first."""
    latest = func.max(Delivery.id)
    rows = await s.execute(
        select(Delivery.child_id, Delivery.item_id, latest)
        .join(Caregiver, Caregiver.child_id == Delivery.child_id)
        .where(Caregiver.parent_id == parent_id, Delivery.feedback == Feedback.NOT_FOR_US.value)
        .group_by(Caregiver.position, Delivery.child_id, Delivery.item_id)
        .order_by(Caregiver.position, Delivery.child_id, latest.desc())
    )
    return [TurnedDown(child_id, item_id, delivery_id) for child_id, item_id, delivery_id in rows]


async def bring_back(s: AsyncSession, child_id: int, item_ids: Collection[str]) -> int:
    """Send these ideas for this child again; returns how many deliveries' verdicts were cleared."""
    if not item_ids:
        return 0
    result = await s.execute(
        update(Delivery)
        .where(
            Delivery.child_id == child_id,
            Delivery.item_id.in_(list(item_ids)),
            Delivery.feedback == Feedback.NOT_FOR_US.value,
        )
        .values(feedback=None)
        .execution_options(synchronize_session=False)
    )
    await s.execute(
        update(Caregiver)
        .where(Caregiver.child_id == child_id)
        .values(declined_bands=None)
        .execution_options(synchronize_session=False)
    )
    caregivers = await s.scalars(select(Caregiver.parent_id).where(Caregiver.child_id == child_id))
    await recount(s, [(parent_id, child_id) for parent_id in caregivers])
    return int(getattr(result, "rowcount", 0) or 0)


async def mark_told(s: AsyncSession, rows: Iterable[tuple[int, int, str]]) -> None:
    """Remember (parent, child, band ids) that this caregiver was told every idea of those bands is turned
    down, so it is said once."""
    params = [{"pid": p, "cid": c, "bands": bands} for p, c, bands in rows]
    if params:
        await s.execute(
            update(CAREGIVERS)
            .where(CAREGIVERS.c.parent_id == bindparam("pid"), CAREGIVERS.c.child_id == bindparam("cid"))
            .values(declined_bands=bindparam("bands")),
            params,
        )
