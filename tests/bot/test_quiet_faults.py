"""Under faults: one log line per kind of failure, repeats counted, no tracebacks for outages; and a reply that
could not be sent after its step was saved reaches the parent with their next message, not an apology."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from telegram.ext import ApplicationBuilder

from bot.app.failures import RepeatedFailures
from bot.conversation.texts import SOMETHING_WRONG
from bot.dispatch import DispatchReport
from bot.telegram.jobs import register_dispatch_job
from db.engine import create_engine, session_factory
from tests.bot.support import Harness, settings, texts
from tests.fake_telegram import TOKEN, FakeBotAPI
from tests.fake_telegram import Parent as TgParent

OUTAGE = OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records]


def test_an_outage_is_one_line_then_a_count_then_one_line_when_it_passes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    clock = Clock()
    failures = RepeatedFailures(
        "dispatch pass", logging.getLogger("bot.test"), summary_every=600, clock=clock
    )
    for _ in range(50):
        failures.failed(OUTAGE)
        clock.now += 60
    failures.succeeded()
    assert lines(caplog) == [
        "dispatch pass failed: OperationalError (from ConnectionRefusedError)",
        "dispatch pass still failing: OperationalError (from ConnectionRefusedError) 10 more time(s)",
        "dispatch pass still failing: OperationalError (from ConnectionRefusedError) 10 more time(s)",
        "dispatch pass still failing: OperationalError (from ConnectionRefusedError) 10 more time(s)",
        "dispatch pass still failing: OperationalError (from ConnectionRefusedError) 10 more time(s)",
        "dispatch pass works again after 50 failure(s)",
    ]
    assert all(record.exc_info is None for record in caplog.records)  # an outage is no bug: no traceback


def test_a_bug_gets_its_code_locations_once(caplog: pytest.LogCaptureFixture) -> None:
    failures = RepeatedFailures("update", logging.getLogger("bot.test"))
    for _ in range(3):
        try:
            raise KeyError("Mia")
        except KeyError as exc:
            failures.failed(exc, "update 7")
    (line,) = lines(caplog)
    assert line.startswith("update failed: KeyError (update 7)\n  ")
    assert "test_quiet_faults.py" in line  # where it happened
    assert "Mia" not in line


class NoAnnouncements:
    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    async def run_once(self, now: dt.datetime) -> None:
        return None


async def test_a_dispatch_job_during_a_database_outage_logs_one_line(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.telegram.jobs.Announcer", NoAnnouncements)

    class Down:
        calls = 0
        sender = object()
        sessions = None

        async def run_once(self, now: dt.datetime) -> DispatchReport:
            self.calls += 1
            if self.calls <= 5:
                raise OUTAGE
            return DispatchReport()

    application: Any = ApplicationBuilder().token(TOKEN).request(FakeBotAPI()).build()
    register_dispatch_job(application, Down(), settings())  # type: ignore[arg-type]
    (job,) = application.job_queue.jobs()
    caplog.set_level(logging.INFO)
    for _ in range(6):
        await job.callback(None)
    assert lines(caplog) == [
        "dispatch pass failed: OperationalError (from ConnectionRefusedError) "
        "(the next pass picks up where this one stopped)",
        "dispatch pass works again after 5 failure(s)",
    ]


async def test_a_reply_that_could_not_be_sent_comes_with_the_next_message(bot: Harness) -> None:
    sam = TgParent(971)
    await bot.say(sam, "/start")
    bot.api.fail(502, "Bad Gateway")  # Telegram away just as the next question goes out
    assert await bot.say(sam, "Mia") == []  # the step is saved; no apology (which could not be sent either)
    sent = texts(await bot.say(sam, "hello?"))
    assert sent[0].startswith("When was <b>Mia</b> born?")
    assert SOMETHING_WRONG not in sent
    assert len(sent) >= 2  # and then the answer to "hello?" (not a date) in the step they are in
    assert texts(await bot.say(sam, "15 March 2026"))[0].startswith("Was Mia born early")


async def test_an_update_failing_in_an_outage_is_one_line(
    bot: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot import conversation

    async def down(*_args: Any) -> Any:
        raise OUTAGE

    monkeypatch.setattr(conversation, "on_text", down)
    sam = TgParent(972)
    for _ in range(3):
        assert texts(await bot.say(sam, "hello")) == [SOMETHING_WRONG]
    failed = [line for line in lines(caplog) if "failed" in line]
    assert len(failed) == 1  # the repeats are counted, for a summary later
    assert failed[0].startswith("update failed: OperationalError (from ConnectionRefusedError) (update ")
    assert all(record.exc_info is None for record in caplog.records)


async def test_a_database_that_accepts_connections_but_never_answers_costs_an_apology_not_silence(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A PostgreSQL server that takes the connection and then says nothing: each parent gets the apology (a
    parent in distress the crisis reply) once the connect time limit passes, instead of waiting for ever;
    the failures are one line without a traceback. The limit is shortened here; the bot's own is
    ``CONNECT_TIMEOUT_SECONDS``."""
    held: list[asyncio.StreamWriter] = []

    async def say_nothing(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(say_nothing, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    engine = create_engine(f"postgresql://postgres@127.0.0.1:{port}/bot", connect_args={"timeout": 0.1})
    caplog.set_level(logging.INFO)
    try:
        async with Harness(session_factory(engine)) as bot, asyncio.timeout(10):
            assert texts(await bot.say(TgParent(973), "/help")) == [SOMETHING_WRONG]
            assert texts(await bot.say(TgParent(974), "is stranger anxiety normal?")) == [SOMETHING_WRONG]
            (crisis,) = await bot.say(TgParent(975), "I want to end it all")
            assert crisis.text.startswith("<b>I'm really glad you told me.")
    finally:
        for writer in held:
            writer.close()
        server.close()
        await engine.dispose()
    assert held  # the bot did connect, and got no answer
    failed = [line for line in lines(caplog) if "failed" in line]
    assert len(failed) == 1
    assert failed[0].startswith("update failed: TimeoutError")
    assert all(record.exc_info is None for record in caplog.records)
