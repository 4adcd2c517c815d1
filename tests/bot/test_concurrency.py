"""Updates in parallel, each parent's in order: one parent waiting (a slow send, a long flood wait) holds up
nobody else, and a parent's own messages are handled one after another."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from bot.conversation.texts import SOMETHING_WRONG
from bot.dispatch import Dispatcher
from bot.telegram.app import build_application
from bot.telegram.lanes import Lane, current_lane
from bot.telegram.limiter import PriorityRateLimiter
from bot.telegram.ordering import ChatOrderedProcessor, chat_key
from bot.telegram.sender import TelegramSender
from db.engine import INTERACTIVE_BUSY_TIMEOUT_MS
from db.models import Delivery, DeliveryState
from tests.bot.support import Harness, onboard, settings, texts
from tests.fake_telegram import FakeBotAPI
from tests.fake_telegram import Parent as TgParent

# A bound on how long a test may wait for work done in the background; a pass takes milliseconds.
PATIENCE = 10


def update(parent: TgParent, text: str) -> Update:
    return Update.de_json(parent.message(text), None)


async def test_one_chat_in_order_other_chats_alongside() -> None:
    processor = ChatOrderedProcessor(max_concurrent=4)
    ann, bo = TgParent(801), TgParent(802)
    release, bo_done = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def handle(name: str, wait: bool = False) -> None:
        order.append(f"{name} starts")
        if wait:
            await release.wait()
        order.append(f"{name} ends")
        if name == "bo 1":
            bo_done.set()

    async with processor:
        tasks = [
            asyncio.create_task(processor.process_update(update(ann, "1"), handle("ann 1", wait=True))),
            asyncio.create_task(processor.process_update(update(ann, "2"), handle("ann 2"))),
            asyncio.create_task(processor.process_update(update(bo, "1"), handle("bo 1"))),
        ]
        await asyncio.wait_for(bo_done.wait(), PATIENCE)
        assert "ann 2 starts" not in order  # behind Ann's first, which is still waiting
        assert processor.waiting_chats() == 1
        release.set()
        await asyncio.wait_for(asyncio.gather(*tasks), PATIENCE)
    assert order.index("ann 1 ends") < order.index("ann 2 starts")
    assert processor.waiting_chats() == 0


async def test_waiting_for_ones_own_chat_takes_no_running_slot() -> None:
    processor = ChatOrderedProcessor(max_concurrent=1)
    ann, bo = TgParent(803), TgParent(804)
    release = asyncio.Event()
    done: list[str] = []

    async def handle(name: str, wait: bool = False) -> None:
        if wait:
            await release.wait()
        done.append(name)

    async with processor:
        first = asyncio.create_task(processor.process_update(update(ann, "1"), handle("ann 1", wait=True)))
        queued = [
            asyncio.create_task(processor.process_update(update(ann, str(n)), handle(f"ann {n}")))
            for n in range(2, 6)
        ]
        await asyncio.sleep(0)
        other = asyncio.create_task(processor.process_update(update(bo, "1"), handle("bo 1")))
        release.set()
        await asyncio.wait_for(asyncio.gather(first, other, *queued), PATIENCE)
    assert done[:1] == ["ann 1"]
    assert [name for name in done if name.startswith("ann")] == [f"ann {n}" for n in range(1, 6)]


def test_the_chat_of_an_update() -> None:
    assert chat_key(update(TgParent(805), "hi")) == 805
    assert chat_key(Update.de_json(TgParent(806).press("x"), None)) == 806
    assert chat_key(Update(update_id=1)) is None
    assert chat_key("not an update") is None


async def test_a_slow_chat_does_not_hold_up_another_parent(bot: Harness) -> None:
    """The real application, fed as polling feeds it: Ann's reply hangs, Bo's /help is answered meanwhile."""
    ann, bo = TgParent(811), TgParent(812)
    held = bot.api.hold(811)
    await bot.app.start()
    try:
        await bot.app.update_queue.put(Update.de_json(ann.message("/help"), bot.app.bot))
        await bot.app.update_queue.put(Update.de_json(ann.message("/about"), bot.app.bot))
        await bot.app.update_queue.put(Update.de_json(bo.message("/help"), bot.app.bot))
        sent = await asyncio.wait_for(bot.api.until_sent(812), PATIENCE)
        assert "/tip" in sent[0].text
        assert bot.api.messages_to(811) == []
        held.set()
        ann_sent = await asyncio.wait_for(bot.api.until_sent(811, 2), PATIENCE)
        assert "/tip" in ann_sent[0].text  # /help first, then /about: in the order sent
        assert "/tip" not in ann_sent[1].text
    finally:
        await bot.app.stop()


async def test_a_long_flood_wait_on_a_tip_asked_for_holds_nobody(
    bot: Harness, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A 100 s flood answer to Ann's /tip: not waited out (a reply would not), the claim stays for a later
    pass, and Bo's /tip right after goes out at once, not held back by Ann's flood wait."""
    ann, bo = TgParent(813), TgParent(814)
    await onboard(bot, ann)
    await onboard(bot, bo, name="Leo")
    bot.clock.advance(minutes=1)  # past the first tips that setting up sent
    bot.api.fail(429, "Too Many Requests: retry after 100", chat_id=813, retry_after=100, times=3)
    async with asyncio.timeout(PATIENCE):
        await bot.say(ann, "/tip")
        sent = await bot.say(bo, "/tip")
    assert "Leo" in sent[0].text
    async with sessions() as s:
        asked = list(await s.scalars(select(Delivery).where(Delivery.slot_at == bot.clock.now)))
    assert sorted(d.state for d in asked) == [DeliveryState.CLAIMED, DeliveryState.SENT]


class LaneRecorder(FakeBotAPI):
    def __init__(self) -> None:
        super().__init__()
        self.lanes: list[tuple[str, Lane]] = []

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        self.lanes.append((url.rsplit("/", 1)[-1], current_lane()))
        return await super().do_request(url, method, *args, **kwargs)


async def test_scheduled_tips_wait_in_the_tip_lane_replies_and_tips_asked_for_do_not(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    harness = Harness(sessions)
    harness.api = api = LaneRecorder()
    harness.app = build_application(
        settings(),
        request=api,
        get_updates_request=FakeBotAPI(),
        sessions=sessions,
        clock=harness.clock,
        rate_limiter=PriorityRateLimiter(per_chat=False),
    )
    ann = TgParent(815)
    async with harness:
        await onboard(harness, ann)
        await harness.say(ann, "/tip")
        asked = [lane for method, lane in api.lanes if method == "sendMessage"]
        assert set(asked) == {Lane.REPLY}
        api.lanes.clear()
        tips = Dispatcher(TelegramSender(harness.app.bot), sessions)  # as the dispatch job has it
        report = await tips.run_once(dt.datetime(2026, 12, 6, 9, 0, 30, tzinfo=dt.UTC))  # Ann's next Sunday
    assert report.sent == 1
    assert [lane for method, lane in api.lanes if method == "sendMessage"] == [Lane.TIP]


async def test_a_locked_database_costs_the_writer_a_second_and_nobody_else(
    bot: Harness, sessions: async_sessionmaker[AsyncSession], db_backend: str
) -> None:
    """Another process holds SQLite's write lock: Ann's /addchild (a write) gives up after the short interactive
    wait with a friendly word, Bo's question (a read) is answered as usual, and Ann's retry works later."""
    if db_backend != "sqlite":
        pytest.skip("SQLite's file lock")
    ann, bo = TgParent(817), TgParent(818)
    await onboard(bot, ann)
    await onboard(bot, bo, name="Leo")
    path = sessions.kw["bind"].url.database
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        async with asyncio.timeout(INTERACTIVE_BUSY_TIMEOUT_MS / 1000 + 4):
            assert texts(await bot.say(ann, "/addchild")) == [SOMETHING_WRONG]
            answer = await bot.say(bo, "is stranger anxiety normal?")
        assert "Leo" in answer[0].text
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "name" in texts(await bot.say(ann, "/addchild"))[0]
