"""The hourly housekeeping job is registered beside the dispatcher and survives failing runs, quietly."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ApplicationBuilder

from bot.app import housekeeping
from bot.telegram.jobs import register_housekeeping_job
from db.families import delete_old_invites
from tests.fake_telegram import TOKEN, FakeBotAPI


async def test_an_hourly_job_that_logs_a_failure_and_carries_on(
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    application: Any = ApplicationBuilder().token(TOKEN).request(FakeBotAPI()).build()
    register_housekeeping_job(application, sessions)
    (job,) = application.job_queue.jobs()
    assert (job.name, job.job.trigger.interval.total_seconds()) == (
        "housekeeping",
        housekeeping.INTERVAL_SECONDS,
    )
    assert job.job.misfire_grace_time == housekeeping.INTERVAL_SECONDS
    await job.callback(None)  # nothing to delete
    assert "housekeeping failed" not in caplog.text

    async def broken(*_args: object) -> int:
        raise OSError("database unreachable")

    real = delete_old_invites
    monkeypatch.setattr(housekeeping, "delete_old_invites", broken)
    caplog.set_level(logging.INFO)
    for _ in range(3):  # an outage lasting three hours: one line, no traceback, then one when it passes
        await job.callback(None)
    monkeypatch.setattr(housekeeping, "delete_old_invites", real)
    await job.callback(None)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("housekeeping")]
    assert lines == [
        "housekeeping failed: OSError (the next run tries again)",
        "housekeeping works again after 3 failure(s)",
    ]
    assert all(record.exc_info is None for record in caplog.records)
    assert "database unreachable" not in caplog.text  # the error's message may quote anything
