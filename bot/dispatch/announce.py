"""Sending confirmed announcements, a batch each dispatcher pass, through the same sender as tips.

It runs after the pass's tips, in the same periodic job (so never beside a pass of its own), a bounded batch
at a time so a large announcement spreads over several passes instead of holding a pass up. Replies to
parents never wait for it beyond the few sends in flight: they go out from the update handlers, and the
rate limiter and flood control are shared. A claim is a lease, as for tips: past half the stale time the
message is left for a later pass. A parent who blocked the bot is marked blocked, as a tip would.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.reply import Reply
from bot.dispatch.sending import TipSender
from db import announcements
from db.announcements import Claimed, Result
from db.families import mark_blocked
from db.models import AnnouncementDeliveryState, DeliveryState

log = logging.getLogger(__name__)

BATCH_SIZE = 500
CONCURRENCY = 4

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class AnnounceReport:
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    deferred: int = 0


class Announcer:
    def __init__(
        self,
        sender: TipSender,
        sessions: async_sessionmaker[AsyncSession],
        *,
        stale_after: dt.timedelta = dt.timedelta(minutes=10),
        batch_size: int = BATCH_SIZE,
        concurrency: int = CONCURRENCY,
        clock: Clock = utc_now,
    ) -> None:
        self.sender = sender
        self.sessions = sessions
        self.stale_after = stale_after
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.clock = clock

    async def run_once(self, now: dt.datetime) -> AnnounceReport:
        """Claim one batch (committed before sending), send it, record it."""
        report = AnnounceReport()
        started = self.clock()
        if self.sender.quiet_left() >= self.stale_after.total_seconds() / 2:
            return report  # flood control outlasts a lease: claim nothing now
        async with self.sessions() as s:
            claimed = await announcements.claim(s, now, stale_after=self.stale_after, limit=self.batch_size)
            await s.commit()
        if not claimed:
            return report
        queue = iter(claimed)
        results: list[Result] = []
        blocked: list[int] = []

        async def worker() -> None:
            for message in queue:
                result, was_blocked = await self._send(message, started)
                results.append(result)
                if was_blocked:
                    blocked.append(message.chat_id)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(claimed)))))
        async with self.sessions() as s:
            await announcements.record(s, results)
            for chat_id in sorted(set(blocked)):
                await mark_blocked(s, chat_id)
            await s.commit()
        for result in results:
            if result.state is AnnouncementDeliveryState.SENT:
                report.sent += 1
            elif result.state is AnnouncementDeliveryState.FAILED:
                report.failed += 1
            else:
                report.deferred += 1
        report.blocked = len(set(blocked))
        log.info(
            "announcements: %d sent, %d failed, %d blocked, %d left for later",
            report.sent,
            report.failed,
            report.blocked,
            report.deferred,
        )
        return report

    async def _send(self, message: Claimed, started: dt.datetime) -> tuple[Result, bool]:
        """The stored text is HTML already (escaped when the operator wrote it)."""
        lease = self.stale_after / 2 - max(self.clock() - started, dt.timedelta(0))
        sent = await self.sender.send_tip(
            message.chat_id, Reply(message.text), max_wait=lease.total_seconds()
        )
        state: AnnouncementDeliveryState | None = None
        if sent.state is DeliveryState.SENT:
            state = AnnouncementDeliveryState.SENT
        elif sent.state is DeliveryState.FAILED:
            state = AnnouncementDeliveryState.FAILED
        return Result(message.delivery_id, state, self.clock(), sent.message_id, sent.error), sent.blocked
