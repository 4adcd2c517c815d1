"""The periodic jobs on python-telegram-bot's job queue: dispatcher passes and housekeeping.

The dispatch job runs the application's dispatcher of scheduled tips; it sends through the same
:class:`TelegramSender` as the replies and the tips asked for (/tip, "another tip"), so one flood-control
state holds for every send of the process.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, ContextTypes, JobQueue

from bot import metrics
from bot.app import housekeeping
from bot.app.config import Settings
from bot.app.failures import RepeatedFailures
from bot.core.retention import DEFAULT_RETENTION_MONTHS
from bot.dispatch import Dispatcher
from bot.dispatch.announce import Announcer

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]


def _job_queue(application: App) -> JobQueue[Any]:
    if application.job_queue is None:
        raise RuntimeError('the job queue is missing: install python-telegram-bot with the "job-queue" extra')
    return application.job_queue


def register_dispatch_job(application: App, dispatcher: Dispatcher, settings: Settings) -> None:
    """One repeating job for everyone (not one per parent): each run is a dispatcher pass."""
    jobs = _job_queue(application)
    failures = RepeatedFailures("dispatch pass", log)
    announcing = RepeatedFailures("announcement batch", log)
    assert dispatcher.sender is not None, "the periodic job sends: its dispatcher needs a sender"
    announcer = Announcer(
        dispatcher.sender, dispatcher.sessions, stale_after=dt.timedelta(minutes=settings.claim_stale_minutes)
    )

    async def tick(_context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            report = await dispatcher.run_once(dt.datetime.now(dt.UTC))
        except Exception as exc:
            metrics.failure(exc)
            failures.failed(exc, "the next pass picks up where this one stopped")
            return
        failures.succeeded()
        if report.due or report.retried:
            log.info("dispatch pass: %s", report.summary())
        try:  # announcements after the tips, a batch a pass
            await announcer.run_once(dt.datetime.now(dt.UTC))
        except Exception as exc:
            metrics.failure(exc)
            announcing.failed(exc, "the next pass retries")
            return
        announcing.succeeded()

    interval = settings.dispatch_interval_seconds
    jobs.run_repeating(
        tick,
        interval=interval,
        first=min(interval, 10),
        name="dispatch",
        job_kwargs={"misfire_grace_time": max(10 * interval, 600), "coalesce": True, "max_instances": 1},
    )


def register_housekeeping_job(
    application: App, sessions: async_sessionmaker[AsyncSession], settings: Settings | None = None
) -> None:
    """An hourly job beside the dispatcher's; a failure is logged and the next hour tries again."""
    jobs = _job_queue(application)
    months = settings.retention_months if settings is not None else DEFAULT_RETENTION_MONTHS
    failures = RepeatedFailures("housekeeping", log)

    async def tick(_context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            swept = await housekeeping.sweep(sessions, dt.datetime.now(dt.UTC), retention_months=months)
        except Exception as exc:
            metrics.failure(exc)
            failures.failed(exc, "the next run tries again")
            return
        failures.succeeded()
        if swept:
            log.info(
                "housekeeping: deleted %d old invite(s); erased %d inactive parent(s) and %d child(ren) past "
                "the tips",
                swept.invites,
                swept.parents,
                swept.children,
            )

    jobs.run_repeating(
        tick,
        interval=housekeeping.INTERVAL_SECONDS,
        first=60,
        name="housekeeping",
        job_kwargs={"coalesce": True, "misfire_grace_time": housekeeping.INTERVAL_SECONDS},
    )
