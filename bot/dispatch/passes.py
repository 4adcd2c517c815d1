"""The scheduled-tip dispatcher: one periodic pass finds due parents, claims their slots, sends, records.

A pass claims due parents in batches (one transaction per batch: due query, children, history, claim
insert, schedule advance), sends each batch with a bounded pool of workers (one parent's children in order,
so siblings arrive in the parent's order), and stores each outcome before its worker sends again. A slot is
claimed before it is sent and the claim is unique, so a tip can be late (a crash leaves the claim behind, and
it is retried once stale) but is sent twice only if the process dies between Telegram accepting a message and
the storing of its outcome: at most one message per worker, ``concurrency`` in all. A send that got no answer
after the request went out (a read timeout) is stored as unconfirmed and not sent again. A claim is also a
lease: a message whose claim is half-way to stale is not sent (nor waited for) by the dispatcher that made
it, so a second dispatcher taking it over cannot double it.

Deciding and claiming live in ``bot.dispatch.claims``; talking to the transport is the :class:`TipSender`'s
job (the Telegram adapter's sender keeps one flood-control state for the whole process). This module runs
passes and records their outcomes, and sends on-demand tips (/tip) through the same locks and sender.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.core.reply import Reply
from bot.core.tips import TipPlan, format_band_ids, plan_tip
from bot.dispatch.claims import (
    DispatchReport,
    Exclusions,
    Outgoing,
    Rules,
    plan_due,
    take_stale,
    tip_state,
)
from bot.dispatch.sending import SendResult, TipSender
from bot.metrics import TipOutcome
from content import Library, default_library
from db import deliveries, quick_store
from db.deliveries import NewClaim, SendOutcome
from db.families import mark_blocked
from db.loop_session import Busy as LoopBusy
from db.loop_session import checkpoint, loop_session
from db.models import DeliveryState, Parent, ParentState
from db.quick_store import Announced, QuickStore, quick_store_for

log = logging.getLogger(__name__)

BATCH_SIZE = 500
CONCURRENCY = 16

_NO_TIME = dt.timedelta(0)

_WRITE_LOCKS: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _write_lock(sessions: async_sessionmaker[AsyncSession]) -> asyncio.Lock:
    """One lock per database for every dispatcher in this process (the periodic pass, /tip): SQLite has a
    single writer, and a transaction that read before another one committed cannot write afterwards."""
    return _WRITE_LOCKS.setdefault(sessions, asyncio.Lock())


class NotStored(Exception):
    """Outcomes could not be stored: the worker that needed them stored stops sending (they are kept, and a
    later store writes them)."""


class DispatchSettings(Protocol):
    """The settings a dispatcher reads (``bot.app.config.Settings`` has them)."""

    missed_slot_grace_hours: int
    claim_stale_minutes: int


class Dispatcher:
    """Sends due tips. Safe to run in several processes against one PostgreSQL database."""

    def __init__(
        self,
        sender: TipSender | None,
        sessions: async_sessionmaker[AsyncSession],
        *,
        library: Library | None = None,
        grace: dt.timedelta = dt.timedelta(hours=24),
        claim_stale: dt.timedelta = dt.timedelta(minutes=10),
        batch_size: int = BATCH_SIZE,
        concurrency: int = CONCURRENCY,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        keep_messages: bool = False,
    ) -> None:
        self.sender = sender
        self.sessions = sessions
        self.library = library or default_library()
        self.rules = Rules(self.library, grace, claim_stale)
        self._half_lease = claim_stale.total_seconds() / 2  # see _lease_left
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.clock = clock
        self.keep_messages = keep_messages
        self._db = _write_lock(sessions)
        self._outcomes: list[SendOutcome] = []
        self._announced: list[Announced] = []
        self._blocked: set[int] = set()
        # Outcomes noted and stored so far (counts): a worker waits until its own is stored.
        self._noted = 0
        self._stored = 0
        self._quick: QuickStore | Literal[False] | None = None  # made on first use; False: not SQLite

    @classmethod
    def from_settings(
        cls,
        sender: TipSender | None,
        sessions: async_sessionmaker[AsyncSession],
        settings: DispatchSettings,
        **kwargs: Any,
    ) -> Dispatcher:
        return cls(
            sender,
            sessions,
            grace=dt.timedelta(hours=settings.missed_slot_grace_hours),
            claim_stale=dt.timedelta(minutes=settings.claim_stale_minutes),
            **kwargs,
        )

    # --- one pass ---

    async def run_once(self, now: dt.datetime) -> DispatchReport:
        """Send everything due at ``now`` (stale claims first), then return what happened."""
        started = time.perf_counter()
        try:
            report = await self._pass(now)
        finally:
            metrics.dispatch_pass(time.perf_counter() - started)
        metrics.due_backlog(report.due + report.retried)
        return report

    async def _pass(self, now: dt.datetime) -> DispatchReport:
        report = DispatchReport()
        started = self.clock()
        clock = self.clock

        def pass_time() -> dt.datetime:
            # A long pass moves ``now`` on with the clock: a claim stamped with the pass's start would look
            # stale to another dispatcher while this one is still about to send it.
            elapsed = clock() - started
            return now + elapsed if elapsed > _NO_TIME else now

        await self._flush()  # what a failed pass sent but could not store
        if self._held_past_a_lease():
            return report
        await self._send_all(await self.claim_stale(now, report), report, pass_time)
        more = True
        while more and not self._held_past_a_lease():
            jobs, more = await self.claim_batch(pass_time(), report)
            await self._send_all(jobs, report, pass_time)
        return report

    def _held_past_a_lease(self) -> bool:
        """Whether flood control lasts longer than a claim would: claiming now would only defer every tip (and
        spend one of its attempts), so the pass stops and a later one claims once Telegram lets us send."""
        held = self._quiet_left() >= self._half_lease
        if held:
            log.info("flood control for %.0f s more: no claims this pass", self._quiet_left())
        return held

    async def preview(self, now: dt.datetime) -> DispatchReport:
        """What ``run_once(now)`` would send (stale retries aside), changing nothing."""
        report = DispatchReport()
        async with self.sessions() as s:
            jobs, _ = await plan_due(s, now, report, self.rules, limit=None)
            for job in jobs:
                report.messages.extend(job)
            await s.rollback()
        return report

    async def claim_stale(self, now: dt.datetime, report: DispatchReport) -> list[list[Outgoing]]:
        """Take over claims left stale by a crash or a transient failure (committed before returning)."""
        async with self._db, self.sessions() as s:
            jobs = await take_stale(s, now, report, self.rules, limit=self.batch_size)
            await s.commit()
        return jobs

    async def claim_batch(
        self, now: dt.datetime, report: DispatchReport
    ) -> tuple[list[list[Outgoing]], bool]:
        """Claim the next batch of due parents (committed before returning); True when more may be due.

        On SQLite the claim runs on this thread (``db.loop_session``) unless another connection is writing."""
        async with self._db:
            try:
                async with loop_session(self.sessions) as quick:
                    if quick is not None:
                        jobs, seen = await plan_due(
                            quick, now, report, self.rules, limit=self.batch_size, claim=True
                        )
                        await quick.commit()
                if quick is not None:
                    checkpoint(self.sessions)
                    return jobs, seen >= self.batch_size
            except LoopBusy:
                pass  # another writer: the async driver waits for it without holding up the loop
            async with self.sessions() as s:
                jobs, seen = await plan_due(s, now, report, self.rules, limit=self.batch_size, claim=True)
                await s.commit()
        return jobs, seen >= self.batch_size

    # --- sending ---

    async def _send_all(
        self, jobs: Sequence[list[Outgoing]], report: DispatchReport, pass_time: Callable[[], dt.datetime]
    ) -> None:
        """Send a batch with ``concurrency`` workers; each has a message's outcome stored before it sends the
        next, so a crash can repeat at most ``concurrency`` tips (see :meth:`_store_noted`).

        Claiming stays apart from sending (a batch is claimed, then sent): with SQLite the driver runs in a
        thread that needs the interpreter lock back for every row, and while the send workers keep the event
        loop busy each row waits for it. Measured with claims overlapping the sends (bench/dispatch.py, 5,000
        families), a claim of 500 took 184 ms instead of 40.
        """
        if not jobs:
            return
        pending = iter(jobs)
        workers = min(self.concurrency, len(jobs))
        results = await asyncio.gather(
            *(self._drain(pending, report, pass_time) for _ in range(workers)), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _drain(
        self, jobs: Iterator[list[Outgoing]], report: DispatchReport, pass_time: Callable[[], dt.datetime]
    ) -> None:
        for job in jobs:
            try:
                await self._deliver(job, report, pass_time)
            except NotStored:
                raise  # this worker stops: it sends nothing more while an outcome of its own is unstored
            except Exception as exc:
                metrics.failure(exc)
                log.exception("delivering to parent %s failed; its claims will be retried", job[0].parent_id)

    async def _deliver(
        self,
        job: Sequence[Outgoing],
        report: DispatchReport,
        pass_time: Callable[[], dt.datetime] | None = None,
    ) -> None:
        """Send one parent's messages in order, each outcome stored before the next send."""
        blocked = False
        for message in job:
            assert message.delivery_id is not None
            if blocked:
                result = SendResult(DeliveryState.FAILED, error="blocked")
            else:
                result = await self._send_within_lease(message, pass_time)
            blocked = blocked or result.blocked
            self._note(message, result, report)
            if not blocked:
                await self._store_noted()
        if blocked:
            self._blocked.add(job[0].chat_id)
            self._noted += 1
            report.blocked += 1
            await self._store_noted()

    def _note(self, message: Outgoing, result: SendResult, report: DispatchReport) -> None:
        now = self.clock()
        assert message.delivery_id is not None
        self._outcomes.append(
            SendOutcome(message.delivery_id, result.state, now, result.message_id, result.error)
        )
        self._noted += 1
        metrics.tips(_tip_outcome(result))
        if result.state in (DeliveryState.SENT, DeliveryState.UNCONFIRMED):
            # An unconfirmed tip most likely arrived: its stage news counts as told, like a sent one's.
            if result.state is DeliveryState.SENT:
                report.sent += 1
            else:
                report.unconfirmed += 1
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

    async def _send_within_lease(
        self, message: Outgoing, pass_time: Callable[[], dt.datetime] | None
    ) -> SendResult:
        """Send within what is left of the claim's lease (flood waits included): past it, the message is left
        claimed, to be retried once stale."""
        if self.sender is None:
            raise RuntimeError("this dispatcher has no sender: it can only preview")
        return await self.sender.send_tip(
            message.chat_id, message.reply(self.library), max_wait=self._lease_left(message, pass_time)
        )

    def _lease_left(self, message: Outgoing, pass_time: Callable[[], dt.datetime] | None) -> float:
        """Seconds this dispatcher may still spend on a claimed message.

        A claim counts as this dispatcher's for half the stale time: another dispatcher takes over only after
        the whole of it, and the other half covers a request already under way (its timeouts are far shorter).
        """
        lease = self._half_lease
        if message.claimed_at is not None and pass_time is not None:
            lease -= (pass_time() - message.claimed_at).total_seconds()
        return lease

    def _quiet_left(self) -> float:
        return self.sender.quiet_left() if self.sender is not None else 0.0

    async def send(self, chat_id: int, reply: Reply, *, max_wait: float = math.inf) -> SendResult:
        """Send one message through the sender; a preview-only dispatcher has none to send with."""
        if self.sender is None:
            raise RuntimeError("this dispatcher has no sender: it can only preview")
        return await self.sender.send_tip(chat_id, reply, max_wait=max_wait)

    async def _flush(self) -> None:
        """Store every outcome noted so far."""
        async with self._db:
            await self._write_noted()

    async def _store_noted(self) -> None:
        """Return once every outcome noted so far is stored: a worker calls this before its next send, so a
        crash can repeat only the sends in flight, one per worker.

        A store takes every outcome noted when it begins; a worker whose outcome an earlier store took finds
        it written. On SQLite the store runs on this thread (``db.quick_store``), so it neither waits for the
        driver's thread nor makes the sends wait for it.
        """
        upto = self._noted
        async with self._db:
            if self._stored >= upto:
                return
            try:
                await self._write_noted()
            except Exception as exc:
                raise NotStored from exc

    async def _write_noted(self) -> None:
        """Write outcomes so far in one transaction (the end of the duplicate window for those messages);
        the caller holds the write lock. On SQLite the common case is written on this thread
        (``db.quick_store``)."""
        outcomes, announced, blocked, upto = self._outcomes, self._announced, self._blocked, self._noted
        if not (outcomes or blocked):
            self._stored = max(self._stored, upto)
            return
        self._outcomes, self._announced, self._blocked = [], [], set()  # what is noted meanwhile: next time
        try:
            if not self._quick_store(outcomes, announced, blocked):
                async with self.sessions() as s:
                    await deliveries.record(s, outcomes)
                    await deliveries.mark_announced(s, announced)
                    for chat_id in sorted(blocked):
                        await mark_blocked(s, chat_id)
                    await s.commit()
        except BaseException:
            # Kept until stored: when the database fails, a later store (the next pass's first) writes them,
            # so tips already sent are not taken for lost (stale claims) and sent again. Storing twice is
            # harmless.
            self._outcomes[:0] = outcomes
            self._announced[:0] = announced
            self._blocked |= blocked
            raise
        self._stored = max(self._stored, upto)

    def _quick_store(
        self, outcomes: list[SendOutcome], announced: list[Announced], blocked: set[int]
    ) -> bool:
        if blocked or any(o.state is DeliveryState.FAILED for o in outcomes):
            return False
        if self._quick is None:
            try:
                self._quick = quick_store_for(self.sessions) or False
            except quick_store.Busy:  # locked while it opened: the async path now, this next time
                return False
        return self._quick is not False and self._quick.try_store(outcomes, announced)

    # --- on demand ---

    async def send_now(self, parent_id: int, child_id: int, now: dt.datetime) -> bool:
        """One extra tip for one child right away (/tip, "another tip"); False when there is none to send."""
        async with self._db, self.sessions() as s:
            parent = await s.get(Parent, parent_id)
            if parent is None or parent.state == ParentState.BLOCKED:
                return False
            links = await deliveries.links_of(s, [parent_id], lock=True)
            link = next((c for c in links.get(parent_id, []) if c.child_id == child_id), None)
            if link is None:
                return False
            exclusions = await Exclusions.read(s, links)
            day = now.astimezone(ZoneInfo(parent.time_zone)).date()
            plan = plan_tip(tip_state(link, exclusions.of(link)), day, self.library)
            if plan is None:
                return False
            ids = await deliveries.claim(
                s, [NewClaim(parent_id, child_id, plan.item_id, now, "on_demand")], now
            )
            if ids:
                await deliveries.count_claims(s, [(link, plan.item_id, ids[(parent_id, child_id)])])
            await s.commit()
        if not ids:
            return False
        message = Outgoing(
            parent_id, parent.chat_id, child_id, now, "on_demand", plan, ids[(parent_id, child_id)]
        )
        report = DispatchReport()
        await self._deliver([message], report)
        return report.sent + report.unconfirmed == 1


def _tip_outcome(result: SendResult) -> TipOutcome:
    if result.state is DeliveryState.SENT:
        return TipOutcome.SENT
    if result.state is DeliveryState.UNCONFIRMED:
        return TipOutcome.UNCONFIRMED
    if result.state is DeliveryState.FAILED:
        return TipOutcome.BLOCKED if result.blocked or result.error == "blocked" else TipOutcome.FAILED
    return TipOutcome.DEFERRED


def _stored(plan: TipPlan) -> str | None:
    bands = plan.child.announced_bands
    return None if bands is None else ",".join(sorted(bands))
