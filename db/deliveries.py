"""Tip deliveries: the due query, claims, outcomes and feedback, in set-based statements.

The dispatcher works in batches, so everything here takes or returns many rows per statement: one query for
who is due, one for their children, one for their tip history, one insert for the claims. A claim is a
``deliveries`` row in state ``claimed``; the unique (parent, child, slot) rule makes a second claim of the
same slot a no-op, whichever process tries it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Select, Table, bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Caregiver, Child, Delivery, DeliveryState, Feedback, Parent, ParentState

PARENTS = cast(Table, Parent.__table__)
DELIVERIES = cast(Table, Delivery.__table__)
CAREGIVERS = cast(Table, Caregiver.__table__)


@dataclass(frozen=True, slots=True)
class DueParent:
    id: int
    chat_id: int
    time_zone: str
    tip_days: str
    tip_time: dt.time
    next_due_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ChildLink:
    """One child as one parent sees it, with what this parent was last told about the child's stage."""

    parent_id: int
    child_id: int
    name: str
    birthdate: dt.date
    due_date: dt.date | None
    announced_bands: str | None
    farewell_at: dt.datetime | None
    joined_at: dt.datetime
    declined_bands: str | None = None


@dataclass(frozen=True, slots=True)
class NewClaim:
    parent_id: int
    child_id: int
    item_id: str
    slot_at: dt.datetime
    kind: str


@dataclass(frozen=True, slots=True)
class StaleClaim:
    id: int
    parent_id: int
    chat_id: int
    time_zone: str
    parent_state: ParentState
    child_id: int
    item_id: str
    slot_at: dt.datetime
    claimed_at: dt.datetime
    attempts: int


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What happened to one claimed delivery. ``state`` None leaves it claimed, to be retried when stale."""

    delivery_id: int
    state: DeliveryState | None
    at: dt.datetime
    message_id: int | None = None
    error: str | None = None


@dataclass
class History:
    """Past deliveries of a batch of families, summarised for tip choice: per (parent, child), how many times
    each item was sent and the id of its latest delivery (a larger id is more recent); and what was marked
    "not for us" for each child (by any of its caregivers). The dispatcher turns it into each child's tip
    state."""

    counts: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    last: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    excluded_by_child: dict[int, set[str]] = field(default_factory=dict)

    def excluded(self, parent_id: int, child_id: int) -> frozenset[str]:
        """A "not for us" holds for the child it was shown for, in every caregiver's chat, and no other."""
        return frozenset(self.excluded_by_child.get(child_id, set()))


def _is_postgresql(s: AsyncSession) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def due_parents_query(now: dt.datetime, limit: int) -> Select[int, int, str, str, dt.time, dt.datetime]:
    """Active parents whose next slot has come, oldest first: a range scan of ``ix_parents_due``."""
    return (
        select(
            PARENTS.c.id,
            PARENTS.c.chat_id,
            PARENTS.c.time_zone,
            PARENTS.c.tip_days,
            PARENTS.c.tip_time,
            PARENTS.c.next_due_at,
        )
        .where(PARENTS.c.state == ParentState.ACTIVE, PARENTS.c.next_due_at <= now)
        .order_by(PARENTS.c.next_due_at)
        .limit(limit)
    )


async def due_parents(s: AsyncSession, now: dt.datetime, limit: int, *, lock: bool = True) -> list[DueParent]:
    """The next batch of due parents. On PostgreSQL the rows stay locked until the caller's commit, and rows
    another dispatcher has locked are skipped, so two dispatchers split the work instead of racing for it.
    ``lock=False`` (a dry run) locks nothing and skips nothing."""
    query = due_parents_query(now, limit)
    if lock and _is_postgresql(s):
        query = query.with_for_update(skip_locked=True)
    rows = (await s.execute(query)).all()
    return [DueParent(*row) for row in rows]


async def links_of(s: AsyncSession, parent_ids: Sequence[int]) -> dict[int, list[ChildLink]]:
    """Each parent's children in the parent's order."""
    rows = (
        await s.execute(
            select(
                CAREGIVERS.c.parent_id,
                CAREGIVERS.c.child_id,
                Child.name,
                Child.birthdate,
                Child.due_date,
                CAREGIVERS.c.announced_bands,
                CAREGIVERS.c.farewell_at,
                CAREGIVERS.c.joined_at,
                CAREGIVERS.c.declined_bands,
            )
            .join(Child, Child.id == CAREGIVERS.c.child_id)
            .where(CAREGIVERS.c.parent_id.in_(parent_ids))
            .order_by(CAREGIVERS.c.parent_id, CAREGIVERS.c.position, CAREGIVERS.c.child_id)
        )
    ).all()
    links: dict[int, list[ChildLink]] = {}
    for row in rows:
        links.setdefault(row[0], []).append(ChildLink(*row))
    return links


async def history_of(s: AsyncSession, parent_ids: Sequence[int], child_ids: Sequence[int]) -> History:
    """Everything sent (or being sent) in these chats, and what was marked "not for us" for these children.

    Counted per (parent, child, item) in the database: a family's history grows by a row a week, and fetching
    every row made a pass's work per tip twice as heavy after a year (measured; see the README).
    """
    history = History()
    if not parent_ids:
        return history
    not_for_us = case((DELIVERIES.c.feedback == Feedback.NOT_FOR_US.value, 1), else_=0)
    own = await s.execute(
        select(
            DELIVERIES.c.parent_id,
            DELIVERIES.c.child_id,
            DELIVERIES.c.item_id,
            func.count(),
            func.max(DELIVERIES.c.id),
            func.max(not_for_us),
        )
        .where(DELIVERIES.c.parent_id.in_(parent_ids), DELIVERIES.c.state != DeliveryState.FAILED.value)
        .group_by(DELIVERIES.c.parent_id, DELIVERIES.c.child_id, DELIVERIES.c.item_id)
    )
    for parent_id, child_id, item_id, count, latest, rejected in own:
        history.counts.setdefault((parent_id, child_id), {})[item_id] = count
        history.last.setdefault((parent_id, child_id), {})[item_id] = latest
        if rejected:
            history.excluded_by_child.setdefault(child_id, set()).add(item_id)
    if child_ids:
        shared = await s.execute(
            select(DELIVERIES.c.child_id, DELIVERIES.c.item_id).where(
                DELIVERIES.c.child_id.in_(child_ids), DELIVERIES.c.feedback == Feedback.NOT_FOR_US.value
            )
        )
        for child_id, item_id in shared:
            history.excluded_by_child.setdefault(child_id, set()).add(item_id)
    return history


async def sent_before(s: AsyncSession, claims: Sequence[StaleClaim]) -> dict[int, list[str]]:
    """For each claim (by id), the items its chat was sent before it, oldest first: a retried delivery
    renders the message the first attempt would have. Only for the few claims a crash leaves behind."""
    if not claims:
        return {}
    rows = await s.execute(
        select(DELIVERIES.c.id, DELIVERIES.c.parent_id, DELIVERIES.c.child_id, DELIVERIES.c.item_id)
        .where(
            DELIVERIES.c.parent_id.in_({c.parent_id for c in claims}),
            DELIVERIES.c.child_id.in_({c.child_id for c in claims}),
            DELIVERIES.c.state != DeliveryState.FAILED.value,
        )
        .order_by(DELIVERIES.c.id)
    )
    chats: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for delivery_id, parent_id, child_id, item_id in rows:
        chats.setdefault((parent_id, child_id), []).append((delivery_id, item_id))
    return {
        c.id: [
            item_id for delivery_id, item_id in chats.get((c.parent_id, c.child_id), []) if delivery_id < c.id
        ]
        for c in claims
    }


async def claim(s: AsyncSession, claims: Sequence[NewClaim], now: dt.datetime) -> dict[tuple[int, int], int]:
    """Insert claims, skipping slots already claimed by anyone; returns (parent, child) -> new delivery id."""
    if not claims:
        return {}
    rows = [
        {
            "parent_id": c.parent_id,
            "child_id": c.child_id,
            "item_id": c.item_id,
            "slot_at": c.slot_at,
            "kind": c.kind,
            "state": DeliveryState.CLAIMED.value,
            "claimed_at": now,
            "attempts": 1,
        }
        for c in claims
    ]
    dialect = postgresql if _is_postgresql(s) else sqlite
    statement = (
        dialect.insert(DELIVERIES)
        .on_conflict_do_nothing(index_elements=["parent_id", "child_id", "slot_at"])
        .returning(DELIVERIES.c.id, DELIVERIES.c.parent_id, DELIVERIES.c.child_id)
    )
    result = await s.execute(statement, rows)
    return {(parent_id, child_id): delivery_id for delivery_id, parent_id, child_id in result}


async def advance(s: AsyncSession, moves: Iterable[tuple[int, dt.datetime, dt.datetime | None]]) -> None:
    """Move each (parent, from, to) schedule on, unless someone else already moved it."""
    params = [{"pid": pid, "old": old, "new": new} for pid, old, new in moves]
    if params:
        await s.execute(
            update(PARENTS)
            .where(PARENTS.c.id == bindparam("pid"), PARENTS.c.next_due_at == bindparam("old"))
            .values(next_due_at=bindparam("new")),
            params,
        )


async def last_scheduled_slot(s: AsyncSession, parent_id: int) -> dt.datetime | None:
    """The latest scheduled slot this parent was sent (or is being sent) a tip for."""
    latest: dt.datetime | None = await s.scalar(
        select(func.max(DELIVERIES.c.slot_at)).where(
            DELIVERIES.c.parent_id == parent_id,
            DELIVERIES.c.kind == "scheduled",
            DELIVERIES.c.state != DeliveryState.FAILED.value,
        )
    )
    return latest


async def stale_claims(s: AsyncSession, claimed_before: dt.datetime, limit: int) -> list[StaleClaim]:
    """Claims nobody finished (a crash, or a transient failure) for long enough to be taken over or given up.

    Ordered by id among equal times, so two dispatchers taking them over lock rows in the same order."""
    rows = (
        await s.execute(
            select(
                DELIVERIES.c.id,
                DELIVERIES.c.parent_id,
                PARENTS.c.chat_id,
                PARENTS.c.time_zone,
                PARENTS.c.state.label("parent_state"),
                DELIVERIES.c.child_id,
                DELIVERIES.c.item_id,
                DELIVERIES.c.slot_at,
                DELIVERIES.c.claimed_at,
                DELIVERIES.c.attempts,
            )
            .join(PARENTS, PARENTS.c.id == DELIVERIES.c.parent_id)
            .where(
                DELIVERIES.c.state == DeliveryState.CLAIMED.value,
                DELIVERIES.c.claimed_at < claimed_before,
            )
            .order_by(DELIVERIES.c.claimed_at, DELIVERIES.c.id)
            .limit(limit)
        )
    ).all()
    return [StaleClaim(**row._asdict()) for row in rows]


async def reclaim(s: AsyncSession, stale: StaleClaim, now: dt.datetime) -> bool:
    """Take over a stale claim; False when another dispatcher took it first."""
    result = await s.execute(
        update(DELIVERIES)
        .where(
            DELIVERIES.c.id == stale.id,
            DELIVERIES.c.state == DeliveryState.CLAIMED.value,
            DELIVERIES.c.claimed_at == stale.claimed_at,
        )
        .values(claimed_at=now, attempts=DELIVERIES.c.attempts + 1)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def give_up(s: AsyncSession, stale: Sequence[tuple[StaleClaim, str]]) -> int:
    """Mark stale claims failed with a reason, unless another dispatcher took them over meanwhile."""
    params = [{"did": c.id, "at": c.claimed_at, "err": reason} for c, reason in stale]
    if not params:
        return 0
    result = await s.execute(
        update(DELIVERIES)
        .where(
            DELIVERIES.c.id == bindparam("did"),
            DELIVERIES.c.state == DeliveryState.CLAIMED.value,
            DELIVERIES.c.claimed_at == bindparam("at"),
        )
        .values(state=DeliveryState.FAILED.value, error=bindparam("err")),
        params,
    )
    count = getattr(result, "rowcount", -1)
    return len(params) if count is None or count < 0 else int(count)


async def record(s: AsyncSession, outcomes: Sequence[SendOutcome]) -> None:
    """Store send outcomes; those without a final state keep their claim and only note the error."""
    final = [
        {
            "did": o.delivery_id,
            "st": o.state.value,
            "mid": o.message_id,
            "at": o.at if o.state is DeliveryState.SENT else None,
            "err": o.error,
        }
        for o in outcomes
        if o.state is not None
    ]
    if final:
        await s.execute(
            update(DELIVERIES)
            .where(DELIVERIES.c.id == bindparam("did"))
            .values(
                state=bindparam("st"),
                message_id=bindparam("mid"),
                sent_at=bindparam("at"),
                error=bindparam("err"),
            ),
            final,
        )
    pending = [{"did": o.delivery_id, "err": o.error} for o in outcomes if o.state is None]
    if pending:
        await s.execute(
            update(DELIVERIES).where(DELIVERIES.c.id == bindparam("did")).values(error=bindparam("err")),
            pending,
        )


async def mark_announced(
    s: AsyncSession, rows: Iterable[tuple[int, int, str | None, dt.datetime | None]]
) -> None:
    """Store (parent, child, announced bands, farewell time) after the message that told the parent went out."""
    params = [{"pid": p, "cid": c, "bands": bands, "bye": bye} for p, c, bands, bye in rows]
    if params:
        await s.execute(
            update(CAREGIVERS)
            .where(CAREGIVERS.c.parent_id == bindparam("pid"), CAREGIVERS.c.child_id == bindparam("cid"))
            .values(
                announced_bands=bindparam("bands"),
                farewell_at=func.coalesce(CAREGIVERS.c.farewell_at, bindparam("bye")),
            ),
            params,
        )


async def record_feedback(s: AsyncSession, parent_id: int, delivery_id: int, feedback: Feedback) -> bool:
    """Remember a parent's verdict on a tip; False when the delivery is not this parent's."""
    result = await s.execute(
        update(DELIVERIES)
        .where(DELIVERIES.c.id == delivery_id, DELIVERIES.c.parent_id == parent_id)
        .values(feedback=feedback.value)
    )
    return bool(getattr(result, "rowcount", 0) == 1)
