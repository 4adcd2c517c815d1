"""A reply that could not be sent after its step was saved is stored, not kept in one process's memory: a
restart (or another process) sends it with the parent's next message. Kept a few per chat, erased by
/deletedata, in the export, and dropped by housekeeping after a week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import housekeeping
from bot.conversation.texts import SOMETHING_WRONG
from db import undelivered
from db.models import Parent, UndeliveredReply
from db.privacy import export_parent
from tests.bot.support import Harness, onboard, texts
from tests.bot.test_retention import traces_of
from tests.bot.test_turned_down import add_child
from tests.fake_telegram import Parent as TgParent


async def kept(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> list[UndeliveredReply]:
    async with sessions() as s:
        return await undelivered.for_chat(s, chat_id)


async def test_a_reply_lost_before_a_restart_comes_with_the_next_message_after_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    sam = TgParent(981)
    async with Harness(sessions) as first:
        await first.say(sam, "/start")
        first.api.fail(502, "Bad Gateway")  # Telegram away just as the next question goes out
        assert await first.say(sam, "Mia") == []
    (stored,) = await kept(sessions, 981)
    assert stored.text.startswith("When was <b>Mia</b> born?")
    async with Harness(sessions) as second:  # a new process on the same database
        sent = texts(await second.say(sam, "hello?"))
        assert sent[0].startswith("When was <b>Mia</b> born?")
        assert SOMETHING_WRONG not in sent
        assert len(sent) >= 2  # then the answer to "hello?" in the step they are in
        assert await kept(sessions, 981) == []  # delivered: gone
        assert texts(await second.say(sam, "15 March 2026"))[0].startswith("Was Mia born early")


async def test_buttons_survive_the_store(bot: Harness) -> None:
    sam = TgParent(982)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    bot.api.fail(502, "Bad Gateway")
    assert await bot.say(sam, "15 March 2026") == []  # "Was Mia born early?" with Yes / No, lost
    (again, *_) = await bot.say(sam, "hm")
    assert again.text.startswith("Was Mia born early")
    assert "No" in again.button_labels
    assert texts(await bot.tap(sam, "No"))  # the stored button works like the original


async def test_still_unreachable_keeps_them_and_at_most_five(bot: Harness) -> None:
    sam = TgParent(983)
    await bot.say(sam, "/start")
    bot.api.fail(502, "Bad Gateway", times=100)
    for word in ("Mia", "hello", "are you there", "hi", "?", "??"):
        assert await bot.say(sam, word) == []
    left = await kept(bot.sessions, 983)
    assert len(left) == undelivered.MAX_PER_CHAT


async def test_the_export_shows_them_and_deletedata_erases_them(bot: Harness) -> None:
    sam = TgParent(984)
    await onboard(bot, sam, name="Mia")
    bot.api.fail(502, "Bad Gateway")
    assert await bot.say(sam, "/children") == []  # the list of children (Mia) is left over
    async with bot.sessions() as s:
        parent_id = await s.scalar(select(Parent.id).where(Parent.chat_id == 984))
        assert parent_id is not None
        (row,) = (await export_parent(s, parent_id))["undelivered_replies"]
    assert "Mia" in row["text"]
    await bot.say(sam, "/deletedata")
    await bot.tap(sam, "Yes, erase everything")
    async with bot.sessions() as s:
        rows = list(await s.scalars(select(UndeliveredReply)))
    assert all("Mia" not in row.text for row in rows)


async def test_housekeeping_drops_them_after_a_week(bot: Harness) -> None:
    sam = TgParent(985)
    await bot.say(sam, "/start")
    bot.api.fail(502, "Bad Gateway")
    await bot.say(sam, "Mia")
    await housekeeping.sweep(bot.sessions, bot.clock.now + undelivered.KEEP_FOR - timedelta(hours=1))
    assert len(await kept(bot.sessions, 985)) == 1
    await housekeeping.sweep(bot.sessions, bot.clock.now + undelivered.KEEP_FOR + timedelta(hours=1))
    assert await kept(bot.sessions, 985) == []


async def test_nothing_is_stored_for_a_chat_whose_data_was_just_erased(bot: Harness) -> None:
    """/deletedata's "Done" lost on the way: storing it (or anything left with it) would keep the chat id, and
    maybe a child's name, after the parent was told everything is erased."""
    sam = TgParent(986, "Sam")
    await onboard(bot, sam, name="Mia")
    await bot.say(sam, "/deletedata")
    bot.api.fail(502, "Bad Gateway")
    assert await bot.tap(sam, "Yes, erase everything") == []
    assert await kept(bot.sessions, 986) == []
    assert await traces_of(bot, 986, {"Sam", "Mia"}) == []


async def test_a_removed_childs_name_is_not_stored_with_the_lost_confirmation(bot: Harness) -> None:
    sam = TgParent(987, "Sam")
    await onboard(bot, sam, name="Mia")
    await add_child(bot, sam, "Leo", "1 March 2026")
    await bot.say(sam, "/children")
    await bot.tap(sam, "Leo")
    await bot.tap(sam, "🗑 Remove")
    bot.api.fail(502, "Bad Gateway")
    assert await bot.tap(sam, "Yes, remove Leo") == []
    assert all("Leo" not in row.text for row in await kept(bot.sessions, 987))


async def test_an_emergency_reply_goes_before_what_was_left_over(bot: Harness) -> None:
    """Safety first: a parent writing about an emergency reads what to do now, not a stale question first."""
    sam = TgParent(988)
    await bot.say(sam, "/start")
    bot.api.fail(502, "Bad Gateway")
    assert await bot.say(sam, "Mia") == []  # "When was Mia born?" is left over
    sent = texts(await bot.say(sam, "she's not breathing!!"))
    assert sent[0].startswith("<b>Call your local emergency number now.</b>")
    assert sent[1].startswith("When was <b>Mia</b> born?")  # then where they were
    assert await kept(bot.sessions, 988) == []


STICKER = {
    "sticker": {
        "file_id": "s",
        "file_unique_id": "s",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
}
PHOTO = {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]}
VOICE = {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}}


@pytest.mark.parametrize(
    "next_update",
    [
        lambda sam: sam.message(None, **STICKER),
        lambda sam: sam.message(None, **PHOTO),
        lambda sam: sam.message(None, **VOICE),
        lambda sam: sam.press("nonsense"),
        lambda sam: sam.message("/help"),
    ],
    ids=["sticker", "photo", "voice note", "button press", "command"],
)
async def test_whatever_comes_next_brings_the_lost_reply_first(
    bot: Harness, next_update: Callable[[TgParent], dict[str, Any]]
) -> None:
    sam = TgParent(988)
    await bot.say(sam, "/start")
    bot.api.fail(502, "Bad Gateway")
    assert await bot.say(sam, "Mia") == []
    sent = texts(await bot.feed(next_update(sam)))
    assert sent[0].startswith("When was <b>Mia</b> born?")
    assert len(sent) >= 2  # and then the answer to the update itself
    assert SOMETHING_WRONG not in sent
    assert await kept(bot.sessions, 988) == []
    assert texts(await bot.say(sam, "15 March 2026"))[0].startswith("Was Mia born early")


async def test_a_reply_whose_answer_timed_out_counts_as_delivered_and_comes_once(bot: Harness) -> None:
    """A read timeout: Telegram had the message (the parent sees it) but its answer was lost. Sending it again
    would show it twice; it is taken as delivered, and the replies after it still go out."""
    sam = TgParent(989)
    await bot.say(sam, "/start")
    bot.api.time_out(delivered=True)
    await bot.say(sam, "Mia")
    assert await kept(bot.sessions, 989) == []
    sent = texts(await bot.say(sam, "hello?"))
    assert not sent[0].startswith("When was <b>Mia</b> born?")  # the answer to "hello?", not a repeat
    asked = [m for m in texts(bot.api.messages_to(989)) if m.startswith("When was <b>Mia</b> born?")]
    assert len(asked) == 1
    assert SOMETHING_WRONG not in texts(bot.api.messages_to(989))


async def test_a_reply_that_never_left_is_kept_and_comes_with_the_next_message(bot: Harness) -> None:
    """A connect timeout: the request never reached Telegram, so the reply is kept and sent later, once."""
    sam = TgParent(990)
    await bot.say(sam, "/start")
    bot.api.time_out(delivered=False)
    assert await bot.say(sam, "Mia") == []
    sent = texts(await bot.say(sam, "hello?"))
    assert sent[0].startswith("When was <b>Mia</b> born?")
    asked = [m for m in texts(bot.api.messages_to(990)) if m.startswith("When was <b>Mia</b> born?")]
    assert len(asked) == 1
