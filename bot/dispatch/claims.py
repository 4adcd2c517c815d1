"""Deciding and claiming what a pass sends: who is due, which slot they are owed, which tip each child gets,
and taking over (or giving up) claims that a crash or a transient failure left behind.

Everything here runs inside the caller's transaction; nothing talks to Telegram.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.reply import Reply
from bot.core.schedule import next_slot, parse_days, previous_slot
from bot.core.tips import (
    ChildTipState,
    TipHistory,
    TipPlan,
    format_band_ids,
    parse_band_ids,
    plan_tip,
    render_tip,
)
from content import Library
from db import deliveries, turned_down
from db.deliveries import ChildLink, DueParent, NewClaim, StaleClaim
from db.families import MAX_CHILDREN
from db.models import ParentState

T = TypeVar("T")

log = logging.getLogger(__name__)

# Passes that may try one delivery (its first claim and each takeover of a stale claim).
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message for one child at one slot; ``delivery_id`` is None in a dry run."""

    parent_id: int
    chat_id: int
    child_id: int
    slot_at: dt.datetime
    kind: str  # "scheduled" or "on_demand" when claimed; "retry" when a stale claim is taken over
    plan: TipPlan
    delivery_id: int | None = None
    claimed_at: dt.datetime | None = None  # in the pass's time: when the claim's lease began

    def reply(self, library: Library) -> Reply:
        return render_tip(self.plan, library, delivery_id=self.delivery_id or 0)


@dataclass
class DispatchReport:
    """Counts of one pass; ``messages`` lists what went out only when the dispatcher keeps them (memory)."""

    due: int = 0
    skipped: int = 0
    sent: int = 0
    unconfirmed: int = 0  # no answer after the request went out: possibly delivered, not sent again
    blocked: int = 0
    failed: int = 0
    deferred: int = 0
    retried: int = 0
    messages: list[Outgoing] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"due={self.due} sent={self.sent} unconfirmed={self.unconfirmed} skipped_missed={self.skipped} "
            f"retried_stale={self.retried} "
            f"deferred={self.deferred} blocked={self.blocked} failed={self.failed}"
        )


@dataclass(frozen=True, slots=True)
class Rules:
    """What a pass needs to decide: the content, how late a slot may still be sent, when a claim is stale."""

    library: Library
    grace: dt.timedelta
    stale_after: dt.timedelta


# A batch's children share a few stage combinations: each stored list of band ids is parsed once.
_band_ids = lru_cache(maxsize=256)(parse_band_ids)


def tip_state(link: ChildLink, excluded: frozenset[str], *, replay: list[str] | None = None) -> ChildTipState:
    """The child's tip state in this chat, from the summary on its caregiver row; ``replay`` (item ids, oldest
    first) replaces that history, for a retry that renders what an earlier attempt would have."""
    if replay is not None:
        sent = TipHistory.of(replay)
    else:
        sent = TipHistory(link.tips_sent, link.tip_counts or {}, link.tip_latest or {})
    return ChildTipState(
        child_id=link.child_id,
        name=link.name,
        birthdate=link.birthdate,
        due_date=link.due_date,
        announced_bands=_band_ids(link.announced_bands),
        farewell_sent=link.farewell_at is not None,
        sent=sent,
        excluded=excluded,
        joined_on=link.joined_at.date(),
        declined_told=_band_ids(link.declined_bands),
    )


class Exclusions:
    """What each child must not be sent: the strategies any of its caregivers marked "not for us" (a verdict
    holds for the child it was given for, in every caregiver's chat, and no other)."""

    def __init__(self, by_child: dict[int, set[str]]) -> None:
        self._by_child = {child_id: frozenset(items) for child_id, items in by_child.items()}

    def of(self, link: ChildLink) -> frozenset[str]:
        return self._by_child.get(link.child_id, frozenset())

    @classmethod
    async def read(cls, s: AsyncSession, links: dict[int, list[ChildLink]]) -> Exclusions:
        children = sorted({link.child_id for group in links.values() for link in group})
        return cls(await deliveries.not_for_us_by_child(s, children))


async def plan_due(
    s: AsyncSession,
    now: dt.datetime,
    report: DispatchReport,
    rules: Rules,
    *,
    limit: int | None,
    claim: bool = False,
) -> tuple[list[list[Outgoing]], int]:
    """One batch: who is due, their children and history, the tips chosen; claimed when ``claim``.

    Returns one list of messages per parent (children in the parent's order) and how many parents were due.
    """
    due = await deliveries.due_parents(s, now, limit or 2**31 - 1, lock=claim)
    report.due += len(due)
    if not due:
        return [], 0
    links = await deliveries.links_of(s, [p.id for p in due], lock=claim)
    exclusions = await Exclusions.read(s, links)
    # Per parent: (parent, slot, the child's link, its plan); made into messages once the ids are known.
    planned: list[list[tuple[DueParent, dt.datetime, ChildLink, TipPlan]]] = []
    moves: list[tuple[int, dt.datetime, dt.datetime | None]] = []
    schedules: dict[tuple[str, str, dt.time], tuple[dt.datetime, dt.datetime] | None] = {}
    days: dict[tuple[dt.datetime, str], dt.date] = {}  # the slot's local date, per slot and zone
    for parent in due:
        slot, following = _slots(parent, now, schedules)
        active = [link for link in links.get(parent.id, []) if link.farewell_at is None]
        moves.append((parent.id, parent.next_due_at, following if active else None))
        if slot is None or not active:
            continue
        if now - slot > rules.grace:
            report.skipped += 1
            continue
        day = days.get(local := (slot, parent.time_zone))
        if day is None:
            day = days[local] = slot.astimezone(ZoneInfo(parent.time_zone)).date()
        chosen = [
            (link, plan)
            for link in active
            if (plan := plan_tip(tip_state(link, exclusions.of(link)), day, rules.library)) is not None
        ]
        job = [(parent, slot, link, plan) for link, plan in at_most_a_pass(chosen)]
        if job:
            planned.append(job)
    if not claim:
        return [
            [Outgoing(p.id, p.chat_id, link.child_id, slot, "scheduled", plan) for p, slot, link, plan in job]
            for job in planned
        ], len(due)
    new = [
        NewClaim(p.id, link.child_id, plan.item_id, slot, "scheduled")
        for job in planned
        for p, slot, link, plan in job
    ]
    ids = await deliveries.claim(s, new, now)
    await deliveries.advance(s, moves)
    await deliveries.count_claims(
        s,
        [
            (link, plan.item_id, ids[key])
            for job in planned
            for _, _, link, plan in job
            if (key := (link.parent_id, link.child_id)) in ids
        ],
    )
    jobs = _with_ids(planned, ids, now)
    # Told once, at the claim: a notice that fails to send is not worth a second try (the parent hears it
    # again from /tip, and sees it in /settings).
    told = [
        (m.parent_id, m.child_id, format_band_ids(m.plan.bands))
        for j in jobs
        for m in j
        if m.plan.all_declined
    ]
    await turned_down.mark_told(s, told)
    return jobs, len(due)


def at_most_a_pass(chosen: list[tuple[ChildLink, T]]) -> list[tuple[ChildLink, T]]:
    """At most MAX_CHILDREN tips a pass to one chat. A family from before the limit gets those of its
    children with the fewest tips so far (the parent's order among equals), still in the parent's order: the
    ones left out come first next time, so over the passes every child gets its turn."""
    if len(chosen) <= MAX_CHILDREN:
        return chosen
    order = sorted(range(len(chosen)), key=lambda i: chosen[i][0].tips_sent)  # stable: position order
    return [chosen[i] for i in sorted(order[:MAX_CHILDREN])]


def _slots(
    parent: DueParent,
    now: dt.datetime,
    known: dict[tuple[str, str, dt.time], tuple[dt.datetime, dt.datetime] | None],
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The slot owed now (the latest one passed) and the one after; (None, None) for a broken schedule.

    ``known`` holds the slots of each schedule (zone, days, time) already worked out for this ``now``: a batch
    has few distinct schedules, and the zone arithmetic was a visible share of a pass's CPU.
    """
    key = (parent.time_zone, parent.tip_days, parent.tip_time)
    if key not in known:
        try:
            days = parse_days(parent.tip_days)
            known[key] = (
                previous_slot(now, days=days, at=parent.tip_time, tz=parent.time_zone),
                next_slot(now, days=days, at=parent.tip_time, tz=parent.time_zone),
            )
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            known[key] = None
    slots = known[key]
    if slots is None:
        log.error("parent %s has an unusable schedule; unscheduling", parent.id)
        return None, None
    latest, following = slots
    return max(latest, parent.next_due_at), following


async def take_stale(
    s: AsyncSession, now: dt.datetime, report: DispatchReport, rules: Rules, *, limit: int
) -> list[list[Outgoing]]:
    """Claims left behind by a crash or a transient failure, taken over and re-rendered identically, or given
    up when their parent is no longer active, their slot is older than the grace period, or they ran out of
    attempts."""
    stale = await deliveries.stale_claims(s, now - rules.stale_after, limit)
    if not stale:
        return []
    parents = sorted({c.parent_id for c in stale})
    grouped = await deliveries.links_of(s, parents)
    links = {(link.parent_id, link.child_id): link for group in grouped.values() for link in group}
    exclusions = await Exclusions.read(s, grouped)
    replays = await deliveries.sent_before(s, stale)
    give_up: list[tuple[StaleClaim, str]] = []
    jobs: dict[int, list[Outgoing]] = {}
    for claim in stale:
        link = links.get((claim.parent_id, claim.child_id))
        plan = None
        if claim.parent_state != ParentState.ACTIVE:
            reason = "parent paused, stopped or blocked"
        elif now - claim.slot_at > rules.grace:
            reason = "missed: older than the grace period"  # after downtime: no flood of old tips
        else:
            reason = "gave up after retries"
            if link is not None and claim.attempts < MAX_ATTEMPTS:
                day = claim.slot_at.astimezone(ZoneInfo(claim.time_zone)).date()
                state = tip_state(link, exclusions.of(link), replay=replays[claim.id])
                plan = plan_tip(state, day, rules.library, item_id=claim.item_id)
        if plan is None:
            give_up.append((claim, reason))
            continue
        if not await deliveries.reclaim(s, claim, now):
            continue
        report.retried += 1
        jobs.setdefault(claim.parent_id, []).append(
            Outgoing(
                claim.parent_id, claim.chat_id, claim.child_id, claim.slot_at, "retry", plan, claim.id, now
            )
        )
    report.failed += await deliveries.give_up(s, give_up)
    return list(jobs.values())


def _with_ids(
    planned: list[list[tuple[DueParent, dt.datetime, ChildLink, TipPlan]]],
    ids: dict[tuple[int, int], int],
    claimed_at: dt.datetime,
) -> list[list[Outgoing]]:
    """The messages whose claim went in (someone else may have claimed the rest), with their ids."""
    jobs: list[list[Outgoing]] = []
    for job in planned:
        kept = [
            Outgoing(p.id, p.chat_id, link.child_id, slot, "scheduled", plan, ids[key], claimed_at)
            for p, slot, link, plan in job
            if (key := (p.id, link.child_id)) in ids
        ]
        if kept:
            jobs.append(kept)
    return jobs
