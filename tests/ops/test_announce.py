"""/announce for operators, through the fake Bot API: a preview, a confirmation, then a batch per dispatcher
pass to the parents who get tips, once each, skipping those who paused, stopped or blocked the bot."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.conversation.texts import EXPIRED_TOAST
from bot.dispatch.announce import Announcer, AnnounceReport
from bot.telegram.admin import ALREADY_DONE
from bot.telegram.sender import TelegramSender
from db import announcements
from db.engine import create_engine, session_factory
from db.models import AnnouncementDelivery, Parent, ParentState
from tests.bot.support import NOW, Harness, onboard
from tests.dispatch.support import FakeSleep, make_bot, make_family
from tests.fake_telegram import FakeBotAPI
from tests.fake_telegram import Parent as TgParent

ADMIN = 900


@pytest.fixture
async def bot(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Harness]:
    async with Harness(sessions, admin_chat_ids=[ADMIN]) as harness:
        yield harness


def announcer(bot: Harness) -> Announcer:
    """An announcer on the bot's own sender, as the periodic job builds it."""
    return Announcer(TelegramSender(bot.app.bot), bot.sessions, clock=lambda: NOW)


async def rows(bot: Harness) -> dict[int, str]:
    """chat id -> state of each announcement delivery row."""
    async with bot.sessions() as s:
        found = await s.execute(
            select(Parent.chat_id, AnnouncementDelivery.state).join(
                Parent, Parent.id == AnnouncementDelivery.parent_id
            )
        )
        return {chat_id: state for chat_id, state in found}


async def test_preview_confirm_and_send_once_to_parents_who_get_tips(bot: Harness) -> None:
    active, paused, stopped = TgParent(501), TgParent(502), TgParent(503)
    for parent in (active, paused, stopped):
        await onboard(bot, parent)
    await bot.say(paused, "/pause")
    await bot.tap(paused, "Until I resume")
    await bot.say(stopped, "/stop")
    await bot.tap(stopped, "Yes, stop tips")

    preview = await bot.say(TgParent(ADMIN), "/announce Closed on Monday <28 Dec> & back Tuesday.\nThanks!")
    assert [m.chat_id for m in preview] == [ADMIN, ADMIN]
    assert preview[0].text == "Closed on Monday &lt;28 Dec&gt; &amp; back Tuesday.\nThanks!"
    assert preview[1].text.startswith("That is how it will look. Send it to the 1 parent who get")
    assert preview[1].button_labels == ["📣 Send to 1 parent", "Cancel"]
    assert await rows(bot) == {}  # nothing queued before the confirmation

    confirmed = await bot.press(TgParent(ADMIN), preview[1].data_for("📣 Send to 1 parent"))
    assert confirmed[-1].text.startswith("Sending to 1 parent, a batch with each dispatcher pass")
    again = await bot.press(TgParent(ADMIN), preview[1].data_for("📣 Send to 1 parent"))
    assert again[-1].text == ALREADY_DONE  # a second press queues nothing more
    assert await rows(bot) == {501: "pending"}

    before = len(bot.api.messages_to(501))
    report = await announcer(bot).run_once(NOW)
    assert report.sent == 1
    assert [m.text for m in bot.api.messages_to(501)[before:]] == [preview[0].text]
    assert (await announcer(bot).run_once(NOW)).sent == 0  # once only
    assert await rows(bot) == {501: "sent"}
    stats = await bot.say(TgParent(ADMIN), "/stats")
    assert "<b>Last announcement</b>: 1 sent" in stats[0].text


async def test_parents_who_stop_or_block_after_the_confirmation_are_skipped_or_marked(bot: Harness) -> None:
    for chat_id in (511, 512, 513):
        await onboard(bot, TgParent(chat_id))
    preview = await bot.say(TgParent(ADMIN), "/announce New tips for toddlers from next week.")
    await bot.press(TgParent(ADMIN), preview[1].data_for("📣 Send to 3 parents"))
    await bot.say(TgParent(512), "/stop")
    await bot.tap(TgParent(512), "Yes, stop tips")
    bot.api.fail(403, "Forbidden: bot was blocked by the user", chat_id=513)

    report = await announcer(bot).run_once(NOW)

    assert (report.sent, report.blocked) == (1, 1)
    assert await rows(bot) == {511: "sent", 512: "skipped", 513: "failed"}
    blocked = await bot.parent_row(513)
    assert blocked is not None
    assert blocked.state == ParentState.BLOCKED


async def test_cancel_sends_nothing(bot: Harness) -> None:
    await onboard(bot, TgParent(521))
    preview = await bot.say(TgParent(ADMIN), "/announce Never mind.")
    cancelled = await bot.press(TgParent(ADMIN), preview[1].data_for("Cancel"))
    assert cancelled[-1].text == "Cancelled: nothing was sent."
    late = await bot.press(TgParent(ADMIN), preview[1].data_for("📣 Send to 1 parent"))
    assert late[-1].text == ALREADY_DONE
    assert await rows(bot) == {}


async def test_usage_and_length(bot: Harness) -> None:
    usage = await bot.say(TgParent(ADMIN), "/announce")
    assert usage[0].text.startswith("Write the announcement after the command")
    long = await bot.say(TgParent(ADMIN), "/announce " + "x" * 1001)
    assert long[0].text == "That is 1,001 characters; an announcement is at most 1,000."


async def test_for_anyone_else_announce_does_not_exist(bot: Harness) -> None:
    parent = TgParent(531)
    await onboard(bot, parent)
    preview = await bot.say(TgParent(ADMIN), "/announce Hello all.")
    data = preview[1].data_for("📣 Send to 1 parent")

    answered = await bot.say(parent, "/announce Hello all.")
    assert all("That is how it will look" not in m.text for m in answered)
    await bot.press(parent, data)  # a parent pressing (forging) the admin's button
    assert bot.toasts()[-1] == EXPIRED_TOAST
    assert await rows(bot) == {}


@pytest.fixture
async def second_engine(db_url: str, engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    other = create_engine(db_url)
    yield other
    await other.dispose()


async def test_two_dispatchers_split_an_announcement_and_send_each_once(
    db_backend: str, sessions: async_sessionmaker[AsyncSession], second_engine: AsyncEngine
) -> None:
    if db_backend != "postgresql":
        pytest.skip("concurrent dispatchers share a PostgreSQL database (SQLite has a single writer)")
    start = NOW - dt.timedelta(days=1)
    for chat_id in range(600, 640):
        await make_family(sessions, chat_id, [("Mia", dt.date(2025, 5, 20))], now=start)
    async with sessions() as s:
        draft = await announcements.create_draft(s, "Hello", NOW)
        assert await announcements.confirm(s, draft.id, NOW) == 40
        await s.commit()
    api = FakeBotAPI()
    first = Announcer(TelegramSender(make_bot(api), sleep=FakeSleep()), sessions, batch_size=10)
    other = session_factory(second_engine)
    second = Announcer(TelegramSender(make_bot(api), sleep=FakeSleep()), other, batch_size=10)
    reports: list[AnnounceReport] = []
    for _ in range(3):
        reports += await asyncio.gather(first.run_once(NOW), second.run_once(NOW))
    assert sorted(m.chat_id for m in api.sent) == list(range(600, 640))  # everyone, nobody twice
    assert reports[0].sent == reports[1].sent == 10  # the first round: each took a batch of its own
