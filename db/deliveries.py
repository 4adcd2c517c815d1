"""Tip deliveries: the due query, claims, outcomes and feedback, in set-based statements.

The dispatcher works in batches, so everything here takes or returns many rows per statement: one query for
who is due, one for their children (with each chat's tip history summarised on the caregiver row), one insert
for the claims. A claim is a ``deliveries`` row in state ``claimed``; the unique (parent, child, slot) rule
makes a second claim of the same slot a no-op, whichever process tries it.

The summary on each caregiver row (``tips_sent``, ``tip_counts``, ``tip_latest``, ``tips_not_for_us``) is
kept equal to what :func:`recount` would compute from the deliveries: a claim adds to it in the claim's
transaction, and a failure or feedback recounts that chat. Every change locks the caregiver row first (on
PostgreSQL; SQLite has one writer), so a /tip and a pass, or two dispatchers, cannot lose each other's count.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Select, Table, bindparam, case, func, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db import sqlite_claims
from db.models import Caregiver, Child, Delivery, DeliveryState, Feedback, Parent, ParentState

PARENTS = cast(Table, Parent.__table__)
# Ids per IN list, well under SQLite's and PostgreSQL's limits on bound parameters.
IN_LIMIT = 1000
CLAIMED_ONLY = text("deliveries.state = 'claimed'")
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
    """One child as one parent sees it: what this parent was last told about the child's stage, and the
    summary of the tips this chat had for the child (counts and latest delivery id per strategy)."""

    parent_id: int
    child_id: int
    name: str
    birthdate: dt.date
    due_date: dt.date | None
    announced_bands: str | None
    farewell_at: dt.datetime | None
    joined_at: dt.datetime
    declined_bands: str | None = None
    tips_sent: int = 0
    tip_counts: dict[str, int] | None = None
    tip_latest: dict[str, int] | None = None
    tips_not_for_us: list[str] | None = None
    # The two maps' stored JSON as read (SQLite claims on the loop's thread): a claim adds one tip to each by
    # editing that text (``db.sqlite_claims``) instead of writing the whole map again. None: not read so.
    tip_counts_text: str | None = field(default=None, compare=False, repr=False)
    tip_latest_text: str | None = field(default=None, compare=False, repr=False)


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


def _is_postgresql(s: AsyncSession) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def _on_loop(s: AsyncSession) -> sqlite3.Connection | None:
    """The plain SQLite connection of a claim on the event loop's thread (``db.loop_session``), whose
    heaviest statements go through ``db.sqlite_claims``; None for every other session."""
    raw = getattr(s, "sqlite_connection", None)
    return None if raw is None else cast(sqlite3.Connection, raw())


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
    ``lock=False`` (a dry run) locks nothing and skips nothing.

    The lock is ``FOR NO KEY UPDATE``: it keeps other dispatchers off, but lets a /tip for the same parent
    insert its delivery (whose foreign key takes a key-share lock on the parent) while it holds the caregiver
    row this pass is waiting for, instead of deadlocking with it."""
    if (db := _on_loop(s)) is not None:
        return [DueParent(*row) for row in sqlite_claims.due_parents(db, now, limit)]
    query = due_parents_query(now, limit)
    if lock and _is_postgresql(s):
        query = query.with_for_update(skip_locked=True, key_share=True)
    rows = (await s.execute(query)).all()
    return [DueParent(*row) for row in rows]


async def links_of(
    s: AsyncSession, parent_ids: Sequence[int], *, lock: bool = False
) -> dict[int, list[ChildLink]]:
    """Each parent's children in the parent's order, with this chat's tip summary. ``lock``: the caregiver
    rows stay locked until the caller's commit (PostgreSQL), for a claim that will add to their counts."""
    links: dict[int, list[ChildLink]] = {}
    if (db := _on_loop(s)) is not None:
        for row in sqlite_claims.links_of(db, parent_ids):
            links.setdefault(row[0], []).append(ChildLink(*row))
        return links
    query = (
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
            CAREGIVERS.c.tips_sent,
            CAREGIVERS.c.tip_counts,
            CAREGIVERS.c.tip_latest,
            CAREGIVERS.c.tips_not_for_us,
        )
        .join(Child, Child.id == CAREGIVERS.c.child_id)
        .where(CAREGIVERS.c.parent_id.in_(parent_ids))
        .order_by(CAREGIVERS.c.parent_id, CAREGIVERS.c.position, CAREGIVERS.c.child_id)
    )
    if lock and _is_postgresql(s):
        query = query.with_for_update(of=CAREGIVERS)
    for row in (await s.execute(query)).all():
        links.setdefault(row[0], []).append(ChildLink(*row))
    return links


async def not_for_us_by_child(s: AsyncSession, child_ids: Sequence[int]) -> dict[int, set[str]]:
    """For each child, the strategies any of its caregivers marked "not for us" (a shared child's family
    agrees on what does not suit it). Only rows with such marks are read."""
    found: dict[int, set[str]] = {}
    if not child_ids:
        return found
    if (db := _on_loop(s)) is not None:
        for child_id, items in sqlite_claims.not_for_us_by_child(db, child_ids):
            found.setdefault(child_id, set()).update(items or ())
        return found
    rows = await s.execute(
        select(CAREGIVERS.c.child_id, CAREGIVERS.c.tips_not_for_us).where(
            CAREGIVERS.c.child_id.in_(child_ids), CAREGIVERS.c.tips_not_for_us.is_not(None)
        )
    )
    for child_id, items in rows:
        found.setdefault(child_id, set()).update(items or ())
    return found


async def count_claims(s: AsyncSession, claimed: Sequence[tuple[ChildLink, str, int]]) -> None:
    """Add just-claimed deliveries (link as read under lock, item, delivery id) to their chats' summaries,
    in the claim's transaction. One claim per chat at most: a chat is claimed once per slot."""
    if claimed and (db := _on_loop(s)) is not None:
        sqlite_claims.count_claims(db, claimed)
        return
    summaries = []
    for link, item_id, delivery_id in claimed:
        counts = dict(link.tip_counts or {})
        counts[item_id] = counts.get(item_id, 0) + 1
        latest = dict(link.tip_latest or {})
        latest[item_id] = delivery_id
        summaries.append((link.parent_id, link.child_id, link.tips_sent + 1, counts, latest))
    params = [
        {"pid": pid, "cid": cid, "sent": sent, "counts": counts, "latest": latest}
        for pid, cid, sent, counts, latest in summaries
    ]
    if params:
        await s.execute(
            update(CAREGIVERS)
            .where(CAREGIVERS.c.parent_id == bindparam("pid"), CAREGIVERS.c.child_id == bindparam("cid"))
            .values(
                tips_sent=bindparam("sent"),
                tip_counts=bindparam("counts", type_=CAREGIVERS.c.tip_counts.type),
                tip_latest=bindparam("latest", type_=CAREGIVERS.c.tip_latest.type),
            ),
            params,
        )


@dataclass(frozen=True, slots=True)
class Summary:
    """A chat's tip summary as :func:`recount` computes it from the deliveries."""

    tips_sent: int = 0
    tip_counts: dict[str, int] | None = None
    tip_latest: dict[str, int] | None = None
    tips_not_for_us: list[str] | None = None


async def summaries_from_deliveries(
    s: AsyncSession, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], Summary]:
    """Each (parent, child) chat's summary counted from its deliveries: failed ones count for nothing, an
    unconfirmed one as sent; "not for us" from any of them."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    parents = {p for p, _ in wanted}
    children = {c for _, c in wanted}
    not_for_us = case((DELIVERIES.c.feedback == Feedback.NOT_FOR_US.value, 1), else_=0)
    counted = case((DELIVERIES.c.state != DeliveryState.FAILED.value, 1), else_=0)
    latest = case((DELIVERIES.c.state != DeliveryState.FAILED.value, DELIVERIES.c.id), else_=None)
    rows = await s.execute(
        select(
            DELIVERIES.c.parent_id,
            DELIVERIES.c.child_id,
            DELIVERIES.c.item_id,
            func.sum(counted),
            func.max(latest),
            func.max(not_for_us),
        )
        .where(DELIVERIES.c.parent_id.in_(parents), DELIVERIES.c.child_id.in_(children))
        .group_by(DELIVERIES.c.parent_id, DELIVERIES.c.child_id, DELIVERIES.c.item_id)
    )
    counts: dict[tuple[int, int], dict[str, int]] = {}
    latests: dict[tuple[int, int], dict[str, int]] = {}
    rejected: dict[tuple[int, int], list[str]] = {}
    for parent_id, child_id, item_id, count, last, marked in rows:
        key = (parent_id, child_id)
        if count:
            counts.setdefault(key, {})[item_id] = int(count)
            latests.setdefault(key, {})[item_id] = int(last)
        if marked:
            rejected.setdefault(key, []).append(item_id)
    return {
        key: Summary(
            sum(counts.get(key, {}).values()),
            counts.get(key),
            latests.get(key),
            sorted(rejected[key]) if key in rejected else None,
        )
        for key in wanted
    }


async def recount(s: AsyncSession, pairs: Iterable[tuple[int, int]]) -> None:
    """Recount these chats' summaries from their deliveries (after a failure or feedback changed them).

    The caregiver rows are locked first (PostgreSQL), then the deliveries read: a claim that holds the lock
    commits before this reads, and one that comes later waits for this commit and adds to the new count."""
    wanted = sorted(set(pairs))
    if not wanted:
        return
    if _is_postgresql(s):
        await s.execute(
            select(CAREGIVERS.c.parent_id)
            .where(tuple_(CAREGIVERS.c.parent_id, CAREGIVERS.c.child_id).in_(wanted))
            .order_by(CAREGIVERS.c.parent_id, CAREGIVERS.c.child_id)
            .with_for_update()
        )
    summaries = await summaries_from_deliveries(s, wanted)
    json_type = CAREGIVERS.c.tip_counts.type
    await s.execute(
        update(CAREGIVERS)
        .where(CAREGIVERS.c.parent_id == bindparam("pid"), CAREGIVERS.c.child_id == bindparam("cid"))
        .values(
            tips_sent=bindparam("sent"),
            tip_counts=bindparam("counts", type_=json_type),
            tip_latest=bindparam("latest", type_=json_type),
            tips_not_for_us=bindparam("rejected", type_=json_type),
        ),
        [
            {
                "pid": parent_id,
                "cid": child_id,
                "sent": summary.tips_sent,
                "counts": summary.tip_counts,
                "latest": summary.tip_latest,
                "rejected": summary.tips_not_for_us,
            }
            for (parent_id, child_id), summary in summaries.items()
        ],
    )


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
    if (db := _on_loop(s)) is not None:
        return sqlite_claims.claim(
            db, [(c.parent_id, c.child_id, c.item_id, c.slot_at, c.kind) for c in claims], now
        )
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
    """Move each (parent, from, to) schedule on, unless someone else already moved it.

    Parents with the same move (the same schedule, due at the same slot: most of a batch) share a statement,
    so fewer statements are bound and run (the index updates stay: this saved little, about 2 µs a tip)."""
    groups: dict[tuple[dt.datetime, dt.datetime | None], list[int]] = {}
    for pid, old, new in moves:
        groups.setdefault((old, new), []).append(pid)
    db = _on_loop(s)
    for (old, new), ids in groups.items():
        for start in range(0, len(ids), IN_LIMIT):
            if db is not None:
                sqlite_claims.advance(db, ids[start : start + IN_LIMIT], old, new)
                continue
            await s.execute(
                update(PARENTS)
                .where(PARENTS.c.id.in_(ids[start : start + IN_LIMIT]), PARENTS.c.next_due_at == old)
                .values(next_due_at=new)
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
            # The state as a literal, not a parameter: that is what lets both planners use the partial index.
            .where(CLAIMED_ONLY, DELIVERIES.c.claimed_at < claimed_before)
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
    await recount(s, [(c.parent_id, c.child_id) for c, _ in stale])
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
    failed = [o.delivery_id for o in outcomes if o.state is DeliveryState.FAILED]
    if failed:
        await recount(s, await _chats_of(s, failed))


async def _chats_of(s: AsyncSession, delivery_ids: Sequence[int]) -> list[tuple[int, int]]:
    rows = await s.execute(
        select(DELIVERIES.c.parent_id, DELIVERIES.c.child_id).where(DELIVERIES.c.id.in_(delivery_ids))
    )
    return [(parent_id, child_id) for parent_id, child_id in rows]


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
    """Remember a parent's verdict on a tip (and what it means for that chat's "not for us" list); False when
    the delivery is not this parent's."""
    result = await s.execute(
        update(DELIVERIES)
        .where(DELIVERIES.c.id == delivery_id, DELIVERIES.c.parent_id == parent_id)
        .values(feedback=feedback.value)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    await recount(s, await _chats_of(s, [delivery_id]))
    return True
