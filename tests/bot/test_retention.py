"""Kept no longer than needed: housekeeping erases parents blocked or stopped (and silent) past the retention
period, and children past the tips plus the grace period unless a caregiver keeps them; as completely as
/deletedata. Time travels with the harness's clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import housekeeping
from bot.app.housekeeping import Swept
from bot.core.retention import SETUP_RETENTION_DAYS
from db.models import Base, Caregiver, Child, Parent
from tests.bot.support import NOW, Harness, invite_link, onboard, texts
from tests.db.test_privacy import all_rows
from tests.fake_telegram import Parent as TgParent

YEAR = timedelta(days=365)


async def stop(bot: Harness, parent: TgParent) -> None:
    await bot.say(parent, "/stop")
    (stopped,) = await bot.tap(parent, "Yes, stop tips")
    assert stopped.text.startswith(
        "I've stopped your tips. I keep your details for 12 months after your last"
    )


async def sweep(bot: Harness, at: datetime | None = None) -> Swept:
    return await housekeeping.sweep(bot.sessions, at or bot.clock.now)


async def traces_of(bot: Harness, chat_id: int, names: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """Every row in any table that holds this chat id or one of these names, or points at the parent."""
    async with bot.sessions() as s:
        rows = await all_rows(s)
        parent_id = await s.scalar(select(Parent.id).where(Parent.chat_id == chat_id))
    found = []
    for table in Base.metadata.sorted_tables:
        parent_columns = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "parents"]
        for row in rows[table.name]:
            values = list(row.values())
            held = chat_id in values or any(name in values for name in names)
            if held or any(row[c] == parent_id for c in parent_columns):
                found.append((table.name, row))
    return found


async def test_a_stopped_parent_is_erased_after_the_retention_period_and_not_before(bot: Harness):
    sam, ben = TgParent(901, "Sam"), TgParent(902, "Ben")
    await onboard(bot, sam, name="Mia")
    await onboard(bot, ben, name="Zoe")
    await bot.say(sam, "/tip")
    await stop(bot, sam)
    assert await traces_of(bot, 901, {"Sam", "Mia"})  # the check below can see Sam's data
    assert (await sweep(bot)).parents == 0
    assert (await sweep(bot, NOW + YEAR - timedelta(days=1))).parents == 0
    assert await bot.parent_row(901) is not None
    assert await sweep(bot, NOW + YEAR + timedelta(days=2)) == Swept(parents=1)
    assert await traces_of(bot, 901, {"Sam", "Mia"}) == []
    assert await bot.parent_row(902) is not None  # another family, untouched
    assert [c.name for c in await children(bot)] == ["Zoe"]


async def test_a_word_from_a_stopped_parent_restarts_the_clock(bot: Harness):
    sam = TgParent(903, "Sam")
    await onboard(bot, sam, name="Mia")
    await stop(bot, sam)
    await sweep(bot)
    bot.clock.advance(days=200)
    assert texts(await bot.say(sam, "is it normal to cry at drop-off?"))  # stopped, but still asking
    await sweep(bot)
    assert (await sweep(bot, NOW + YEAR + timedelta(days=2))).parents == 0
    assert (await sweep(bot, NOW + timedelta(days=200) + YEAR + timedelta(days=2))).parents == 1


async def test_resuming_stops_the_clock(bot: Harness):
    sam = TgParent(904, "Sam")
    await onboard(bot, sam, name="Mia")
    await stop(bot, sam)
    await sweep(bot)
    await bot.say(sam, "/resume")
    assert (await sweep(bot, NOW + 2 * YEAR)).parents == 0
    parent = await bot.parent_row(904)
    assert parent is not None
    assert parent.inactive_since is None


async def test_a_parent_who_blocked_the_bot_goes_and_a_shared_child_stays_with_the_other(bot: Harness):
    sam, ana = TgParent(905, "Sam"), TgParent(906, "Ana")
    await onboard(bot, sam, name="Mia")
    code = await invite_link(bot, sam)
    await bot.say(ana, f"/start {code}")
    await bot.feed(sam.blocks_bot())
    await sweep(bot)
    assert (await sweep(bot, NOW + YEAR + timedelta(days=2))).parents == 1
    assert await traces_of(bot, 905, {"Sam"}) == []
    assert [c.name for c in await children(bot)] == ["Mia"]  # Ana still shares Mia
    assert await bot.parent_row(906) is not None


async def children(bot: Harness) -> list[Child]:
    async with bot.sessions() as s:
        return list(await s.scalars(select(Child).order_by(Child.id)))


async def test_a_child_goes_three_months_after_the_tips_end_unless_kept(bot: Harness):
    """Leo turns 36 months on 20 November 2026, so his tips end at 37 months (20 December); his details go
    once he is past 39 months, from 20 March 2027."""
    sam = TgParent(907, "Sam")
    await onboard(bot, sam, name="Leo", birthdate="20 November 2023")
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "No")
    assert (await sweep(bot, datetime(2027, 3, 19, 12, tzinfo=NOW.tzinfo))).children == 0
    assert (await sweep(bot, datetime(2027, 3, 20, 12, tzinfo=NOW.tzinfo))).children == 1
    assert [c.name for c in await children(bot)] == ["Mia"]
    assert await bot.parent_row(907) is not None  # an active parent stays, with the other child


async def test_keep_after_three_is_a_button_in_children_and_can_be_undone(bot: Harness):
    sam = TgParent(908, "Sam")
    await onboard(bot, sam, name="Leo", birthdate="20 November 2023")
    await bot.say(sam, "/children")
    await bot.tap(sam, "Leo")
    kept = await bot.tap(sam, "📌 Keep after age 3")
    assert texts(kept) == ["📌 I'll keep Leo's details after the tips end at 3, until you remove Leo."]
    later = datetime(2027, 6, 1, 12, tzinfo=NOW.tzinfo)
    assert (await sweep(bot, later)).children == 0
    await bot.say(sam, "/children")
    menu = await bot.tap(sam, "Leo")
    assert "✅ Kept after age 3" in menu[0].button_labels
    undone = await bot.tap(sam, "✅ Kept after age 3")
    assert texts(undone) == [
        "OK: Leo's details will be erased 3 months after the tips end at 3, unless another caregiver "
        "keeps them."
    ]
    assert (await sweep(bot, later)).children == 1
    async with bot.sessions() as s:
        assert list(await s.scalars(select(Caregiver))) == []


async def test_privacy_says_how_long(bot: Harness):
    sam = TgParent(909, "Sam")
    (short,) = await bot.say(sam, "/privacy")
    assert short.button_labels == ["🔎 The details"]
    (reply,) = await bot.tap(sam, "🔎 The details")  # before /start too
    assert "everything 12 months after you block me or stop the tips and don't write again" in (reply.text)
    assert "or 30 days after your last message if no child is set up" in reply.text
    assert "a child's details 3 months after the tips end at 3 (unless you tap 📌 Keep in /children)" in (
        reply.text
    )
    assert len(reply.text) < 1200


async def test_a_setup_left_unfinished_is_erased_after_a_month_and_not_before(bot: Harness):
    gave_a_name, gave_nothing, done = TgParent(910, "Sam"), TgParent(911, "Kim"), TgParent(912, "Ben")
    await bot.say(gave_a_name, "/start")
    await bot.say(gave_a_name, "Mia")  # then vanished before the birthdate
    await bot.say(gave_nothing, "/start")
    await onboard(bot, done, name="Zoe")
    assert await traces_of(bot, 910, {"Sam", "Mia"})  # the check below can see the name kept in the step
    await sweep(bot)  # starts the clock
    month = timedelta(days=SETUP_RETENTION_DAYS)
    assert (await sweep(bot, NOW + month - timedelta(hours=2))).parents == 0
    assert await sweep(bot, NOW + month + timedelta(hours=2)) == Swept(parents=2)
    assert await traces_of(bot, 910, {"Sam", "Mia"}) == []
    assert await traces_of(bot, 911, {"Kim"}) == []
    assert await bot.parent_row(912) is not None  # a family with a child is not touched
    assert [c.name for c in await children(bot)] == ["Zoe"]


async def test_a_word_restarts_the_clock_of_an_unfinished_setup(bot: Harness):
    sam = TgParent(913, "Sam")
    await bot.say(sam, "/start")
    await sweep(bot)
    bot.clock.advance(days=20)
    await bot.say(sam, "Mia")
    await sweep(bot)  # from now
    assert (await sweep(bot, NOW + timedelta(days=20 + SETUP_RETENTION_DAYS - 1))).parents == 0
    assert (await sweep(bot, NOW + timedelta(days=20 + SETUP_RETENTION_DAYS + 1))).parents == 1
    # Coming back after that is a fresh start.
    assert texts(await bot.say(sam, "/start"))[0].startswith("Hello Sam! I'm Secure Base")


async def test_removing_the_last_child_starts_the_same_clock(bot: Harness):
    sam = TgParent(914, "Sam")
    await onboard(bot, sam, name="Mia")
    await bot.say(sam, "/children")
    await bot.tap(sam, "Mia")
    await bot.tap(sam, "🗑 Remove")
    await bot.tap(sam, "Yes, remove Mia")
    await sweep(bot)
    assert (await sweep(bot, NOW + timedelta(days=SETUP_RETENTION_DAYS + 1))).parents == 1
    assert await traces_of(bot, 914, {"Sam"}) == []


async def test_coming_back_with_start_to_an_unfinished_setup_stops_the_clock(bot: Harness):
    """/start is how most people come back: the setup it asks again must not be erased under them."""
    sam = TgParent(915, "Sam")
    await bot.say(sam, "/start")
    await sweep(bot)  # starts the clock
    bot.clock.advance(days=SETUP_RETENTION_DAYS + 1)
    assert await bot.say(sam, "/start")
    assert (await sweep(bot)).parents == 0  # the hourly clean-up comes while they type the name
    assert texts(await bot.say(sam, "Mia"))[0].startswith("When was <b>Mia</b> born?")


async def test_telling_how_they_feel_stops_the_clock_too(bot: Harness):
    """A parent who comes back in distress gets the kind reply first; they are not erased right after it."""
    sam = TgParent(916, "Sam")
    await bot.say(sam, "/start")
    await sweep(bot)
    bot.clock.advance(days=SETUP_RETENTION_DAYS + 1)
    (kind,) = texts(await bot.say(sam, "I feel like a terrible father"))
    assert kind.startswith("<b>Thank you for telling me how you're feeling.")
    assert (await sweep(bot)).parents == 0
    assert texts(await bot.say(sam, "Mia"))[0].startswith("When was <b>Mia</b> born?")


async def test_any_update_stops_the_clock_even_help(bot: Harness):
    """Not only answers to steps: /help, /privacy or a button from a parent with no child count as a word."""
    sam = TgParent(917, "Sam")
    await bot.say(sam, "/start")
    await sweep(bot)  # starts the clock
    bot.clock.advance(days=SETUP_RETENTION_DAYS - 1)
    assert texts(await bot.say(sam, "/help"))
    bot.clock.advance(days=2)
    assert (await sweep(bot)).parents == 0
    assert await bot.parent_row(917) is not None


async def test_privacy_and_stop_say_the_retention_the_operator_set(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """RETENTION_MONTHS=6: the parent is told 6 months, which is what housekeeping does."""
    async with Harness(sessions, retention_months=6) as bot:
        sam = TgParent(920, "Sam")
        await bot.say(sam, "/privacy")
        (reply,) = await bot.tap(sam, "🔎 The details")
        assert "everything 6 months after you block me or stop the tips" in reply.text
        await onboard(bot, sam, name="Mia")
        await bot.say(sam, "/stop")
        (stopped,) = await bot.tap(sam, "Yes, stop tips")
        assert stopped.text.startswith("I've stopped your tips. I keep your details for 6 months after your")


@pytest.mark.parametrize(
    ("birthdate", "offered"),
    [
        ("1 November 2026", False),  # a newborn: years away
        ("30 May 2024", False),  # 29 months
        ("29 May 2024", True),  # 30 months: from here
        ("20 November 2023", True),  # 36 months
    ],
)
async def test_keep_after_three_is_offered_only_when_it_is_near(bot: Harness, birthdate: str, offered: bool):
    sam = TgParent(909, "Sam")
    await onboard(bot, sam, name="Leo", birthdate=birthdate)
    await bot.say(sam, "/children")
    menu = await bot.tap(sam, "Leo")
    assert ("📌 Keep after age 3" in menu[0].button_labels) is offered
    assert menu[0].button_labels[-1] == "🗑 Remove"


async def test_a_kept_child_can_be_let_go_at_any_age(bot: Harness):
    """Kept by another caregiver's earlier choice or an old button: the ✅ shows, to undo it."""
    sam = TgParent(910, "Sam")
    await onboard(bot, sam, name="Leo", birthdate="1 November 2026")
    await bot.say(sam, "/children")
    menu = await bot.tap(sam, "Leo")
    await bot.press(sam, menu[0].data_for("✏️ Rename").replace("rename", "keep"))
    await bot.say(sam, "/children")
    menu = await bot.tap(sam, "Leo")
    assert "✅ Kept after age 3" in menu[0].button_labels
