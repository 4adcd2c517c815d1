"""The periodic jobs on python-telegram-bot's job queue: dispatcher passes and housekeeping.

One :class:`Dispatcher` (with one :class:`TelegramSender`, so one flood-control state) serves the whole
application: the periodic passes and the on-demand tips of /tip and "another tip".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes

from bot.app import housekeeping, metrics
from bot.app.config import Settings
from bot.dispatch import Dispatcher
from bot.dispatch.announce import Announcer
from bot.telegram.sender import TelegramSender

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]
_SENDING = "securebase.sending"


@dataclass(frozen=True)
class Sending:
    """The application's one sender and the one dispatcher that sends tips through it."""

    sender: TelegramSender
    tips: Dispatcher


def sending_of(application: App, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> Sending:
    """The application's :class:`Sending`, made on first use."""
    found = application.bot_data.get(_SENDING)
    if isinstance(found, Sending):
        return found
    sender = TelegramSender(application.bot)
    sending = Sending(sender, Dispatcher.from_settings(sender, sessions, settings))
    application.bot_data[_SENDING] = sending
    return sending


def _require_job_queue(application: App) -> None:
    if application.job_queue is None:
        raise RuntimeError('the job queue is missing: install python-telegram-bot with the "job-queue" extra')


def register_dispatch_job(
    application: App, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """One repeating job for everyone (not one per parent): each run is a dispatcher pass."""
    _require_job_queue(application)
    assert application.job_queue is not None
    sending = sending_of(application, sessions, settings)
    dispatcher = sending.tips
    announcer = Announcer(
        sending.sender, sessions, stale_after=dt.timedelta(minutes=settings.claim_stale_minutes)
    )

    async def tick(_context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            report = await dispatcher.run_once(dt.datetime.now(dt.UTC))
        except Exception as exc:
            metrics.failure(exc)
            log.exception("dispatch pass failed; the next one will pick up where it stopped")
            return
        if report.due or report.retried:
            log.info("dispatch pass: %s", report.summary())
        try:  # announcements after the tips, a batch a pass
            await announcer.run_once(dt.datetime.now(dt.UTC))
        except Exception as exc:
            metrics.failure(exc)
            log.exception("announcement batch failed; the next pass retries")

    interval = settings.dispatch_interval_seconds
    application.job_queue.run_repeating(
        tick,
        interval=interval,
        first=min(interval, 10),
        name="dispatch",
        job_kwargs={"misfire_grace_time": max(10 * interval, 600), "coalesce": True, "max_instances": 1},
    )


def register_housekeeping_job(application: App, sessions: async_sessionmaker[AsyncSession]) -> None:
    """An hourly job beside the dispatcher's; a failure is logged and the next hour tries again."""
    _require_job_queue(application)
    assert application.job_queue is not None

    async def tick(_context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            deleted = await housekeeping.sweep(sessions, dt.datetime.now(dt.UTC))
        except Exception as exc:
            metrics.failure(exc)
            log.exception("housekeeping failed; the next run tries again")
            return
        if deleted:
            log.info("housekeeping: deleted %d old invite(s)", deleted)

    application.job_queue.run_repeating(
        tick,
        interval=housekeeping.INTERVAL_SECONDS,
        first=60,
        name="housekeeping",
        job_kwargs={"coalesce": True, "misfire_grace_time": housekeeping.INTERVAL_SECONDS},
    )
