"""Aggregates for operators (``/stats``): counts only, never a name, a chat id or a date of birth leaves here.

Children's stages are worked out by the caller from the birth and due dates read here (the ages live in the
core, which ``db`` does not import).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Caregiver, Child, Delivery, DeliveryState, Feedback, Parent, ParentState


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int
    failed: int
    helpful: int
    not_for_us: int


@dataclass(frozen=True)
class FamilyCounts:
    parents: dict[ParentState, int]
    #: (birthdate, due date) of every child some parent still has; the caller turns them into stages.
    children: Sequence[tuple[dt.date, dt.date | None]]
    #: Tips sent or failed since ``since``, and the feedback given on the ones sent.
    tips: DeliveryCounts


async def family_counts(session: AsyncSession, since: dt.datetime) -> FamilyCounts:
    rows = await session.execute(select(Parent.state, func.count()).group_by(Parent.state))
    by_state = {state: int(count) for state, count in rows}
    parents = {state: by_state.get(state, 0) for state in ParentState}
    linked = select(Caregiver.child_id).distinct()
    dates = await session.execute(select(Child.birthdate, Child.due_date).where(Child.id.in_(linked)))
    children = [(birthdate, due_date) for birthdate, due_date in dates]
    return FamilyCounts(parents, children, await delivery_counts(session, since))


async def delivery_counts(session: AsyncSession, since: dt.datetime) -> DeliveryCounts:
    sent_since = (Delivery.state == DeliveryState.SENT.value) & (Delivery.sent_at >= since)
    row = (
        await session.execute(
            select(
                func.count().filter(sent_since),
                func.count().filter(
                    (Delivery.state == DeliveryState.FAILED.value) & (Delivery.claimed_at >= since)
                ),
                func.count().filter(sent_since & (Delivery.feedback == Feedback.HELPFUL.value)),
                func.count().filter(sent_since & (Delivery.feedback == Feedback.NOT_FOR_US.value)),
            )
        )
    ).one()
    return DeliveryCounts(*(int(value) for value in row))
