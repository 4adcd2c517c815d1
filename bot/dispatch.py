"""The scheduled-tip dispatcher: one periodic pass finds due parents, claims their slots, sends, records.

A pass claims due parents in batches (one transaction per batch: due query, children, history, claim
insert, schedule advance), sends each batch with a bounded pool of workers (one parent's children in order,
so siblings arrive in the parent's order), and records outcomes after every ``RECORD_EVERY`` messages. A slot
is claimed before it is sent and the claim is unique, so a tip can be late (a crash leaves the claim behind,
and it is retried once stale) but is sent twice only if the process dies between Telegram accepting a
message and the recording of its chunk (at most ``RECORD_EVERY`` messages later).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.core.reply import Reply
from bot.core.schedule import next_slot, parse_days, previous_slot
from bot.core.tips import TipPlan, format_band_ids, plan_tip, render_tip
from content import Library, default_library
from db import deliveries
from db.deliveries import DueParent, NewClaim, Outcome
from db.families import mark_blocked
from db.models import DeliveryState, Parent, ParentState

log = logging.getLogger(__name__)

BATCH_SIZE = 500
CONCURRENCY = 16
SEND_RETRIES = 4
MAX_BACKOFF_SECONDS = 30.0
# Passes that may try one delivery (its first claim and each takeover of a stale claim).
MAX_ATTEMPTS = 3
RECORD_EVERY = 100

Sleep = Callable[[float], Awaitable[Any]]


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

    def reply(self, library: Library) -> Reply:
        return render_tip(self.plan, library, delivery_id=self.delivery_id or 0)


@dataclass
class DispatchReport:
    """Counts of one pass; ``messages`` lists what went out only when the dispatcher keeps them (memory)."""

    due: int = 0
    skipped: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    deferred: int = 0
    retried: int = 0
    messages: list[Outgoing] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"due={self.due} sent={self.sent} skipped_missed={self.skipped} retried_stale={self.retried} "
            f"deferred={self.deferred} blocked={self.blocked} failed={self.failed}"
        )


@dataclass(frozen=True, slots=True)
class SendResult:
    """``state`` None: not sent for a reason that may pass; the claim stays and is retried once stale."""

    state: DeliveryState | None
    message_id: int | None = None
    error: str | None = None
    blocked: bool = False


def reply_markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )


_WRITE_LOCKS: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _write_lock(sessions: async_sessionmaker[AsyncSession]) -> asyncio.Lock:
    """One lock per database for every dispatcher in this process (the periodic pass, /tip): SQLite has a
    single writer, and a transaction that read before another one committed cannot write afterwards."""
    return _WRITE_LOCKS.setdefault(sessions, asyncio.Lock())


def _seconds(value: int | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class Dispatcher:
    """Sends due tips. Safe to run in several processes against one PostgreSQL database."""

    def __init__(
        self,
        bot: Bot | None,
        sessions: async_sessionmaker[AsyncSession],
        *,
        library: Library | None = None,
        grace: dt.timedelta = dt.timedelta(hours=24),
        claim_stale: dt.timedelta = dt.timedelta(minutes=10),
        batch_size: int = BATCH_SIZE,
        concurrency: int = CONCURRENCY,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        keep_messages: bool = False,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.library = library or default_library()
        self.grace = grace
        self.stale_after = claim_stale
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.sleep = sleep
        self.clock = clock
        self.keep_messages = keep_messages
        self._db = _write_lock(sessions)
        self._outcomes: list[Outcome] = []
        self._announced: list[tuple[int, int, str | None, dt.datetime | None]] = []
        self._blocked: set[int] = set()

    @classmethod
    def from_settings(
        cls, bot: Bot | None, sessions: async_sessionmaker[AsyncSession], settings: Settings, **kwargs: Any
    ) -> Dispatcher:
        return cls(
            bot,
            sessions,
            grace=dt.timedelta(hours=settings.missed_slot_grace_hours),
            claim_stale=dt.timedelta(minutes=settings.claim_stale_minutes),
            **kwargs,
        )

    # --- one pass ---

    async def run_once(self, now: dt.datetime) -> DispatchReport:
        """Send everything due at ``now`` (stale claims first), then return what happened."""
        report = DispatchReport()
        started = self.clock()
        await self._send_all(await self.claim_stale(now, report), report)
        more = True
        while more:
            # A long pass moves ``now`` on with the clock: a claim stamped with the pass's start would look
            # stale to another dispatcher while this one is still about to send it.
            moved = now + max(self.clock() - started, dt.timedelta(0))
            jobs, more = await self.claim_batch(moved, report)
            await self._send_all(jobs, report)
        return report

    async def preview(self, now: dt.datetime) -> DispatchReport:
        """What ``run_once(now)`` would send (stale retries aside), changing nothing."""
        report = DispatchReport()
        async with self.sessions() as s:
            jobs, _ = await self._plan_due(s, now, report, limit=None)
            for job in jobs:
                report.messages.extend(job)
            await s.rollback()
        return report

    async def claim_stale(self, now: dt.datetime, report: DispatchReport) -> list[list[Outgoing]]:
        """Take over claims left stale by a crash or a transient failure (committed before returning)."""
        async with self._db, self.sessions() as s:
            jobs = await self._take_stale(s, now, report)
            await s.commit()
        return jobs

    async def claim_batch(
        self, now: dt.datetime, report: DispatchReport
    ) -> tuple[list[list[Outgoing]], bool]:
        """Claim the next batch of due parents (committed before returning); True when more may be due."""
        async with self._db, self.sessions() as s:
            jobs, seen = await self._plan_due(s, now, report, limit=self.batch_size, claim=True)
            await s.commit()
        return jobs, seen >= self.batch_size

    async def _plan_due(
        self,
        s: AsyncSession,
        now: dt.datetime,
        report: DispatchReport,
        *,
        limit: int | None,
        claim: bool = False,
    ) -> tuple[list[list[Outgoing]], int]:
        """One batch: who is due, their children and history, the tips chosen; claimed when ``claim``."""
        due = await deliveries.due_parents(s, now, limit or 2**31 - 1)
        report.due += len(due)
        if not due:
            return [], 0
        links = await deliveries.links_of(s, [p.id for p in due])
        children = sorted({link.child_id for group in links.values() for link in group})
        history = await deliveries.history_of(s, [p.id for p in due], children)
        planned: list[list[Outgoing]] = []
        moves: list[tuple[int, dt.datetime, dt.datetime | None]] = []
        for parent in due:
            slot, following = self._slots(parent, now)
            active = [link for link in links.get(parent.id, []) if link.farewell_at is None]
            moves.append((parent.id, parent.next_due_at, following if active else None))
            if slot is None or not active:
                continue
            if now - slot > self.grace:
                report.skipped += 1
                continue
            day = slot.astimezone(ZoneInfo(parent.time_zone)).date()
            job = [
                Outgoing(parent.id, parent.chat_id, link.child_id, slot, "scheduled", plan)
                for link in active
                if (plan := plan_tip(history.state_for(link), day, self.library)) is not None
            ]
            if job:
                planned.append(job)
        if not claim:
            return planned, len(due)
        new = [
            NewClaim(m.parent_id, m.child_id, m.plan.item_id, m.slot_at, m.kind)
            for job in planned
            for m in job
        ]
        ids = await deliveries.claim(s, new, now)
        await deliveries.advance(s, moves)
        return _with_ids(planned, ids), len(due)

    def _slots(self, parent: DueParent, now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The slot owed now (the latest one passed) and the one after; (None, None) for a broken schedule."""
        try:
            days = parse_days(parent.tip_days)
            latest = previous_slot(now, days=days, at=parent.tip_time, tz=parent.time_zone)
            following = next_slot(now, days=days, at=parent.tip_time, tz=parent.time_zone)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            log.error("parent %s has an unusable schedule; unscheduling", parent.id)
            return None, None
        return max(latest, parent.next_due_at), following

    async def _take_stale(
        self, s: AsyncSession, now: dt.datetime, report: DispatchReport
    ) -> list[list[Outgoing]]:
        """Claims left behind by a crash or a transient failure, taken over and re-rendered identically."""
        stale = await deliveries.stale_claims(s, now - self.stale_after, self.batch_size)
        if not stale:
            return []
        parents = sorted({c.parent_id for c in stale})
        links = {
            (link.parent_id, link.child_id): link
            for group in (await deliveries.links_of(s, parents)).values()
            for link in group
        }
        history = await deliveries.history_of(s, parents, sorted({c.child_id for c in stale}))
        give_up: list[tuple[deliveries.StaleClaim, str]] = []
        jobs: dict[int, list[Outgoing]] = {}
        for claim in stale:
            link = links.get((claim.parent_id, claim.child_id))
            plan = None
            if claim.parent_state != ParentState.ACTIVE.value:
                reason = "parent paused, stopped or blocked"
            elif now - claim.slot_at > self.grace:
                reason = "missed: older than the grace period"  # after downtime: no flood of old tips
            else:
                reason = "gave up after retries"
                if link is not None and claim.attempts < MAX_ATTEMPTS:
                    day = claim.slot_at.astimezone(ZoneInfo(claim.time_zone)).date()
                    plan = plan_tip(
                        history.state_for(link, before_id=claim.id), day, self.library, item_id=claim.item_id
                    )
            if plan is None:
                give_up.append((claim, reason))
                continue
            if not await deliveries.reclaim(s, claim, now):
                continue
            report.retried += 1
            jobs.setdefault(claim.parent_id, []).append(
                Outgoing(
                    claim.parent_id, claim.chat_id, claim.child_id, claim.slot_at, "retry", plan, claim.id
                )
            )
        report.failed += await deliveries.give_up(s, give_up)
        return list(jobs.values())

    # --- sending ---

    async def _send_all(self, jobs: Sequence[list[Outgoing]], report: DispatchReport) -> None:
        """Send in chunks of about ``RECORD_EVERY`` messages, recording each chunk before the next one.

        The database and the network take turns instead of overlapping: with SQLite's driver thread every
        row read or written during a send costs the event loop a thread switch, which was measured to cost
        more than the overlap saves. It also keeps at most one chunk sent but unrecorded at any moment.
        """
        start = 0
        while start < len(jobs):
            end, count = start, 0
            while end < len(jobs) and count < RECORD_EVERY:
                count += len(jobs[end])
                end += 1
            pending = iter(jobs[start:end])
            workers = min(self.concurrency, end - start)
            await asyncio.gather(*(self._drain(pending, report) for _ in range(workers)))
            await self._flush()
            start = end

    async def _drain(self, jobs: Iterator[list[Outgoing]], report: DispatchReport) -> None:
        for job in jobs:
            try:
                await self._deliver(job, report)
            except Exception:
                log.exception("delivering to parent %s failed; its claims will be retried", job[0].parent_id)

    async def _deliver(self, job: Sequence[Outgoing], report: DispatchReport) -> None:
        blocked = False
        for message in job:
            assert message.delivery_id is not None
            if blocked:
                result = SendResult(DeliveryState.FAILED, error="blocked")
            else:
                result = await self.send(message.chat_id, message.reply(self.library))
            blocked = blocked or result.blocked
            self._note(message, result, report)
        if blocked:
            self._blocked.add(job[0].chat_id)
            report.blocked += 1

    def _note(self, message: Outgoing, result: SendResult, report: DispatchReport) -> None:
        now = self.clock()
        assert message.delivery_id is not None
        self._outcomes.append(
            Outcome(message.delivery_id, result.state, now, result.message_id, result.error)
        )
        if result.state is DeliveryState.SENT:
            report.sent += 1
            if self.keep_messages:
                report.messages.append(message)
            plan = message.plan
            if plan.is_farewell:
                self._announced.append((message.parent_id, message.child_id, _stored(plan), now))
            elif plan.child.announced_bands != frozenset(b.id for b in plan.bands):
                self._announced.append(
                    (message.parent_id, message.child_id, format_band_ids(plan.bands), None)
                )
        elif result.state is DeliveryState.FAILED:
            report.failed += 1
        else:
            report.deferred += 1

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        """Send one message, waiting out flood limits and retrying network trouble with backoff."""
        if self.bot is None:
            raise RuntimeError("this dispatcher has no bot: it can only preview")
        error = "not sent"
        for attempt in range(SEND_RETRIES + 1):
            try:
                sent = await self.bot.send_message(
                    chat_id, reply.text, parse_mode=ParseMode.HTML, reply_markup=reply_markup(reply)
                )
                return SendResult(DeliveryState.SENT, sent.message_id)
            except RetryAfter as exc:
                error = "flood control"
                await self.sleep(_seconds(exc.retry_after))
            except Forbidden as exc:
                return SendResult(DeliveryState.FAILED, error=_short(exc), blocked=True)
            except BadRequest as exc:
                blocked = "chat not found" in exc.message.lower()
                return SendResult(DeliveryState.FAILED, error=_short(exc), blocked=blocked)
            except NetworkError as exc:  # includes timeouts and 5xx
                error = _short(exc)
                await self.sleep(min(2.0**attempt, MAX_BACKOFF_SECONDS))
            except TelegramError as exc:
                return SendResult(None, error=_short(exc))
        return SendResult(None, error=error)

    async def _flush(self) -> None:
        """Write outcomes so far in one transaction (the end of the duplicate window for those messages)."""
        if not (self._outcomes or self._blocked):
            return
        outcomes, self._outcomes = self._outcomes, []
        announced, self._announced = self._announced, []
        blocked, self._blocked = self._blocked, set()
        async with self._db, self.sessions() as s:
            await deliveries.record(s, outcomes)
            await deliveries.mark_announced(s, announced)
            for chat_id in sorted(blocked):
                await mark_blocked(s, chat_id)
            await s.commit()

    # --- on demand ---

    async def send_now(self, parent_id: int, child_id: int, now: dt.datetime) -> bool:
        """One extra tip for one child right away (/tip, "another tip"); False when there is none to send."""
        async with self._db, self.sessions() as s:
            parent = await s.get(Parent, parent_id)
            if parent is None or parent.state == ParentState.BLOCKED.value:
                return False
            link = next(
                (
                    c
                    for c in (await deliveries.links_of(s, [parent_id])).get(parent_id, [])
                    if c.child_id == child_id
                ),
                None,
            )
            if link is None:
                return False
            history = await deliveries.history_of(s, [parent_id], [child_id])
            day = now.astimezone(ZoneInfo(parent.time_zone)).date()
            plan = plan_tip(history.state_for(link), day, self.library)
            if plan is None:
                return False
            ids = await deliveries.claim(
                s, [NewClaim(parent_id, child_id, plan.item_id, now, "on_demand")], now
            )
            await s.commit()
        if not ids:
            return False
        message = Outgoing(
            parent_id, parent.chat_id, child_id, now, "on_demand", plan, ids[(parent_id, child_id)]
        )
        report = DispatchReport()
        await self._deliver([message], report)
        await self._flush()
        return report.sent == 1


def _with_ids(planned: list[list[Outgoing]], ids: dict[tuple[int, int], int]) -> list[list[Outgoing]]:
    """Keep the messages whose claim went in (someone else may have claimed the rest), with their ids."""
    jobs: list[list[Outgoing]] = []
    for job in planned:
        kept = [
            Outgoing(m.parent_id, m.chat_id, m.child_id, m.slot_at, m.kind, m.plan, ids[key])
            for m in job
            if (key := (m.parent_id, m.child_id)) in ids
        ]
        if kept:
            jobs.append(kept)
    return jobs


def _stored(plan: TipPlan) -> str | None:
    bands = plan.child.announced_bands
    return None if bands is None else ",".join(sorted(bands))


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


async def send_tip_now(
    bot: Bot, sessions: async_sessionmaker[AsyncSession], parent_id: int, child_id: int, now: dt.datetime
) -> bool:
    """For /tip and the "another tip" button: send one tip for this parent's child now."""
    return await Dispatcher(bot, sessions).send_now(parent_id, child_id, now)


async def reschedule(s: AsyncSession, parent: Parent, now: dt.datetime) -> None:
    """Set ``parent.next_due_at`` from their days, time, zone and state; None when nothing is to be sent.

    A slot that is already due and not yet sent is kept, so editing settings a moment after the slot
    does not lose it.
    """
    await s.flush()
    links = (await deliveries.links_of(s, [parent.id])).get(parent.id, [])
    if parent.state != ParentState.ACTIVE.value or not any(link.farewell_at is None for link in links):
        parent.next_due_at = None
        return
    days = parse_days(parent.tip_days)
    due = parent.next_due_at
    if (
        due is not None
        and due <= now
        and due == previous_slot(now, days=days, at=parent.tip_time, tz=parent.time_zone)
    ):
        return
    parent.next_due_at = next_slot(now, days=days, at=parent.tip_time, tz=parent.time_zone)


def register_dispatch_job(
    application: Application[Any, Any, Any, Any, Any, Any],
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    """One repeating job for everyone (not one per parent): each run is a dispatcher pass."""
    if application.job_queue is None:
        raise RuntimeError('the job queue is missing: install python-telegram-bot with the "job-queue" extra')
    dispatcher = Dispatcher.from_settings(application.bot, sessions, settings)

    async def tick(_context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            report = await dispatcher.run_once(dt.datetime.now(dt.UTC))
        except Exception:
            log.exception("dispatch pass failed; the next one will pick up where it stopped")
            return
        if report.due or report.retried:
            log.info("dispatch pass: %s", report.summary())

    interval = settings.dispatch_interval_seconds
    application.job_queue.run_repeating(
        tick,
        interval=interval,
        first=min(interval, 10),
        name="dispatch",
        job_kwargs={"misfire_grace_time": max(10 * interval, 600), "coalesce": True, "max_instances": 1},
    )


__all__ = [
    "DispatchReport",
    "Dispatcher",
    "Outgoing",
    "register_dispatch_job",
    "reply_markup",
    "reschedule",
    "send_tip_now",
]
