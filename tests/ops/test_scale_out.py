"""Several bot processes on one PostgreSQL database: one parent's updates are handled one at a time, whichever
process gets them, and a clean-up every process schedules runs once at a time.

Two Applications, each with its own engine (its own connection pool), stand for two processes behind a load
balancer. The first is held inside a parent's update; the second gets that parent's next update meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import conversation
from bot.conversation import Heard
from db import locks
from db.engine import create_engine, session_factory
from db.models import Parent
from tests.bot.support import Harness, texts
from tests.fake_telegram import Parent as TgParent

Handler = Callable[..., Awaitable[Any]]


@pytest.fixture
def postgresql_only(db_backend: str) -> None:
    if db_backend != "postgresql":
        pytest.skip("several processes share a PostgreSQL database (SQLite is for one process)")


@pytest.fixture
async def second_engine(db_url: str, engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    other = create_engine(db_url)
    yield other
    await other.dispose()


class Held:
    """Holds ``on_text`` for one message text until released, after the process took the parent's lock."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, hold_text: str) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        real: Handler = conversation.on_text

        async def on_text(s: AsyncSession, env: Any, who: Any, text_: str | Heard, now: Any) -> Any:
            if (text_.text if isinstance(text_, Heard) else text_) == hold_text:
                self.entered.set()
                await self.release.wait()
            return await real(s, env, who, text_, now)

        monkeypatch.setattr("bot.telegram.app.conversation.on_text", on_text)


async def _waiting_for_a_lock(sessions: async_sessionmaker[AsyncSession]) -> bool:
    """Poll (bounded) until some connection waits for an advisory lock; False if none ever does."""
    for _ in range(500):
        async with sessions() as s:
            waiting = await s.scalar(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            )
        if waiting:
            return True
        await asyncio.sleep(0.01)
    return False


async def _state(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> tuple[Any, ...]:
    """Where the parent's conversation stands (step and what it gathered so far), as stored."""
    async with sessions() as s:
        parent = await s.scalar(select(Parent).where(Parent.chat_id == chat_id))
    assert parent is not None
    return parent.flow, parent.flow_data, parent.state


async def test_one_parents_updates_take_turns_across_processes(
    postgresql_only: None,
    sessions: async_sessionmaker[AsyncSession],
    second_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What one process makes of "/start", "Mia", "15 March 2026".
    async with Harness(sessions) as alone:
        for message in ("/start", "Mia", "15 March 2026"):
            expected_reply = texts(await alone.say(TgParent(700), message))
    expected = await _state(sessions, 700)

    held = Held(monkeypatch, "Mia")
    async with Harness(sessions) as first, Harness(session_factory(second_engine)) as second:
        parent = TgParent(701)
        await first.say(parent, "/start")
        naming = asyncio.create_task(first.say(parent, "Mia"))  # held after taking the parent's lock
        await held.entered.wait()
        dating = asyncio.create_task(second.say(parent, "15 March 2026"))
        assert await _waiting_for_a_lock(sessions), "the second process did not wait for the first"
        assert not dating.done()
        held.release.set()
        await naming
        reply = texts(await dating)

    assert "born early" in " ".join(expected_reply)  # the step after a birthdate
    assert reply == expected_reply  # the second read what the first stored: the birthdate step
    assert await _state(sessions, 701) == expected


async def test_without_the_lock_the_second_process_reads_a_stale_step(
    postgresql_only: None,
    sessions: async_sessionmaker[AsyncSession],
    second_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The control: the same interleaving with the lock removed goes wrong, so the test above can fail."""

    async def no_lock(_session: AsyncSession, _chat_id: int) -> None:
        return None

    monkeypatch.setattr("bot.app.serve.lock_chat", no_lock)
    held = Held(monkeypatch, "Mia")
    async with Harness(sessions) as first, Harness(session_factory(second_engine)) as second:
        parent = TgParent(702)
        await first.say(parent, "/start")
        naming = asyncio.create_task(first.say(parent, "Mia"))
        await held.entered.wait()
        reply = texts(await second.say(parent, "15 March 2026"))  # not held back: reads the name step
        held.release.set()
        await naming
    assert "born early" not in " ".join(reply)


async def test_a_job_runs_in_one_process_at_a_time(
    postgresql_only: None, sessions: async_sessionmaker[AsyncSession], second_engine: AsyncEngine
) -> None:
    other = session_factory(second_engine)
    async with sessions() as s, other() as t:
        assert await locks.claim_job(s, "housekeeping")
        assert not await locks.claim_job(t, "housekeeping")  # while the first transaction holds it
        assert await locks.claim_job(t, "something else")
        await s.commit()
        await t.rollback()
        assert await locks.claim_job(t, "housekeeping")  # released at the end of the first transaction
