"""Dates said at the questions after the birthdate, as a parent meets them through the fake Bot API: a due
date typed at "born early?" is the due date (never a new birthdate a year back), a birthdate typed again is
offered back before it changes anything, and "the 3rd of last month" means last month. Today is the
harness's clock, set here to Sunday 1 March 2026, never the wall clock."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Child
from tests.bot.support import Clock, Harness, texts
from tests.fake_telegram import Parent as TgParent

MARCH_1 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
EARLY = (
    "Was Mia born early, before the due date? If so, I count the age from the due date (the corrected "
    "age), as doctors do for babies born early."
)


@pytest.fixture
async def march(sessions: async_sessionmaker[AsyncSession]):
    async with Harness(sessions, clock=Clock(MARCH_1)) as harness:
        yield harness


async def stored(bot: Harness) -> list[tuple[str, date, date | None]]:
    async with bot.sessions() as s:
        rows = (await s.scalars(select(Child).order_by(Child.id))).all()
    return [(c.name, c.birthdate, c.due_date) for c in rows]


async def at_born_early(bot: Harness, parent: TgParent, name: str = "Mia") -> None:
    await bot.say(parent, "/start")
    await bot.say(parent, name)
    assert texts(await bot.say(parent, "1 February 2026"))[0].endswith("as doctors do for babies born early.")


@pytest.mark.parametrize(
    "said", ["20/03", "due 20 March", "yes, 20 March", "yes she was due on 20 March", "20 March 2026"]
)
async def test_a_due_date_typed_at_born_early_is_offered_as_the_due_date(march: Harness, said: str):
    sam = TgParent(3301)
    await at_born_early(march, sam)
    offered = await march.say(sam, said)
    assert offered[0].text == (
        "Thank you! So Mia's due date is <b>Friday 20 March 2026</b>? If I got it wrong, just type the date."
    )
    assert "birthdate is now" not in offered[0].text
    assert offered[0].button_labels == ["Yes, use 20 March 2026", "No, I'll type it"]
    done = await march.tap(sam, "Yes, use 20 March 2026")
    assert done[0].text.startswith(
        "Thank you! Mia is all set. Born 1 February 2026, due 20 March 2026 (to change it: /children)."
    )
    assert await stored(march) == [("Mia", date(2026, 2, 1), date(2026, 3, 20))]


async def test_due_on_the_20th_at_born_early_is_the_20th_after_the_birth(march: Harness):
    sam = TgParent(3302)
    await at_born_early(march, sam)
    offered = await march.say(sam, "she was due on the 20th")
    assert offered[0].text.startswith("Thank you! So Mia's due date is <b>Friday 20 February 2026</b>?")


async def test_a_due_date_at_the_birthdate_question_is_not_taken_as_the_birthdate(march: Harness):
    sam = TgParent(3303)
    await march.say(sam, "/start")
    await march.say(sam, "Mia")
    asked = await march.say(sam, "due 20 March")
    assert asked[0].text.startswith("I couldn't read “due 20 March” as a date.")
    assert await stored(march) == []


async def test_no_and_another_date_at_the_twin_question_is_the_twins_due_date(march: Harness):
    sam = TgParent(3304)
    await at_born_early(march, sam, "Leo")
    await march.tap(sam, "Yes, born early")
    await march.say(sam, "20 March 2026")
    await march.say(sam, "/addchild")
    await march.say(sam, "Mia")
    twin = await march.say(sam, "1 February 2026")
    assert "Is Mia's due date the same too?" in twin[0].text
    offered = await march.say(sam, "no, 25/03")
    assert offered[0].text.startswith("Thank you! So Mia's due date is <b>Wednesday 25 March 2026</b>?")
    await march.tap(sam, "Yes, use 25 March 2026")
    assert await stored(march) == [
        ("Leo", date(2026, 2, 1), date(2026, 3, 20)),
        ("Mia", date(2026, 2, 1), date(2026, 3, 25)),
    ]


async def test_a_birthdate_typed_again_at_born_early_is_offered_and_can_be_kept(march: Harness):
    sam = TgParent(3305)
    await at_born_early(march, sam)
    offered = await march.say(sam, "actually it's the 30th of January")
    assert offered[0].text == "Change Mia's birthdate from 1 February 2026 to <b>Friday 30 January 2026</b>?"
    assert offered[0].button_labels == ["Yes, use 30 January 2026", "No, keep 1 February 2026"]
    kept = await march.tap(sam, "No, keep 1 February 2026")
    assert texts(kept) == [f"OK, Mia's birthdate stays <b>1 February 2026</b>.\n\n{EARLY}"]
    await march.say(sam, "actually it's the 30th of January")
    changed = await march.tap(sam, "Yes, use 30 January 2026")
    assert texts(changed) == [f"OK, Mia's birthdate is now <b>30 January 2026</b>.\n\n{EARLY}"]
    await march.tap(sam, "No")
    assert await stored(march) == [("Mia", date(2026, 1, 30), None)]


async def test_no_to_the_day_worked_out_from_last_tuesday_asks_for_the_date_again(march: Harness):
    sam = TgParent(3306)
    await march.say(sam, "/start")
    await march.say(sam, "Mia")
    offered = await march.say(sam, "she was born last Tuesday")
    assert offered[0].button_labels == ["Yes, use 24 February 2026", "No, I'll type it"]
    again = await march.tap(sam, "No, I'll type it")
    assert again[0].text.startswith("No problem.\nWhen was <b>Mia</b> born? Write the date")
    assert texts(await march.say(sam, "1 February 2026")) == [EARLY]
    lea = TgParent(3313)  # said in words, the same
    await march.say(lea, "/start")
    await march.say(lea, "Mia")
    await march.say(lea, "she was born last Tuesday")
    assert (await march.say(lea, "no"))[0].text.startswith("No problem.\nWhen was <b>Mia</b> born?")


async def test_the_3rd_of_last_month_is_last_month_and_this_month_is_this_one(march: Harness):
    sam = TgParent(3307)
    await march.say(sam, "/start")
    await march.say(sam, "Mia")
    offered = await march.say(sam, "the 3rd of last month")
    assert offered[0].text.startswith("Thank you! So Mia's birthdate is <b>Tuesday 3 February 2026</b>?")
    lea = TgParent(3308)
    await march.say(lea, "/start")
    await march.say(lea, "Mia")
    later = await march.say(lea, "the 31st of this month")  # not yet come: asked again, nothing guessed
    assert later[0].text.startswith("I couldn't read “the 31st of this month” as a date.")
    assert await stored(march) == []


async def test_yesterday_is_shown_back_in_full_before_it_is_used(march: Harness):
    sam = TgParent(3309)
    await march.say(sam, "/start")
    await march.say(sam, "Mia")
    offered = await march.say(sam, "she was born yesterday")
    assert offered[0].text.startswith("Thank you! So Mia's birthdate is <b>Saturday 28 February 2026</b>?")
    assert offered[0].button_labels == ["Yes, use 28 February 2026", "No, I'll type it"]


async def test_before_the_time_zone_a_day_that_may_be_today_somewhere_asks_for_the_month(
    sessions: async_sessionmaker[AsyncSession],
):
    # 22:00 on 28 February by the server's clock is already Sunday 1 March morning in Sydney.
    late = Clock(datetime(2026, 2, 28, 22, 0, tzinfo=UTC))
    async with Harness(sessions, clock=late) as bot:
        sam = TgParent(3310)
        await bot.say(sam, "/start")
        await bot.say(sam, "Mia")
        asked = await bot.say(sam, "born on the 1st")  # not 1 February, a month back
        assert asked[0].text.startswith("Just to be sure of the month, please send the full date, like")
        assert asked[0].buttons  # the ways out of the question stay
        assert await stored(bot) == []
        offered = await bot.say(sam, "the 27th")  # a day no zone puts in doubt: offered back as before
        assert offered[0].text.startswith("Thank you! So Mia's birthdate is <b>Friday 27 February 2026</b>?")


async def test_no_to_a_due_date_offered_at_born_early_asks_for_the_due_date(march: Harness):
    sam = TgParent(3311)
    await at_born_early(march, sam)
    await march.say(sam, "due 20 March")
    again = await march.tap(sam, "No, I'll type it")
    assert again[0].text.startswith("No problem.\nWhat was the due date?")
    assert again[0].button_labels == ["Skip: no due date"]
    done = await march.say(sam, "21 March 2026")
    assert done[0].text.startswith("Thank you! Mia is all set. Born 1 February 2026, due 21 March 2026")


async def test_a_due_date_that_cannot_be_says_why_and_keeps_the_way_out(march: Harness):
    sam = TgParent(3312)
    await at_born_early(march, sam)
    said = await march.say(sam, "due 20 January 2026")
    assert said[0].text.startswith("The due date (20 January 2026) should be after the birthdate")
    assert said[0].button_labels == ["Skip: no due date"]
    assert await stored(march) == []


async def test_no_typed_to_a_due_date_offered_is_not_skipping_the_due_date(march: Harness):
    sam = TgParent(3314)
    await at_born_early(march, sam)
    await march.say(sam, "she was due on the 20th")
    again = await march.say(sam, "no")
    assert again[0].text.startswith("No problem.\nWhat was the due date?")
    assert await stored(march) == []


# 12:00 UTC on Sunday 29 November is already 01:00 on Monday 30 November in Auckland: a server
# counting from its own (UTC) day would make "yesterday" Saturday 28 and "last Sunday" the 22nd.
DAY_BOUNDARY = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


async def test_before_the_time_zone_relative_days_count_from_the_default_time_zones_day(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, clock=Clock(DAY_BOUNDARY), default_time_zone="Pacific/Auckland") as bot:
        sam = TgParent(5101)
        await bot.say(sam, "/start")
        await bot.say(sam, "Mia")
        assert texts(await bot.say(sam, "yesterday")) == [
            "Thank you! So Mia's birthdate is <b>Sunday 29 November 2026</b>? If I got it wrong, just type the "
            "date."
        ]
        await bot.say(sam, "back")
        assert "<b>Sunday 29 November 2026</b>" in texts(await bot.say(sam, "last Sunday"))[0]


async def test_once_the_time_zone_is_known_relative_days_count_from_the_parents_day(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, clock=Clock(DAY_BOUNDARY)) as bot:  # DEFAULT_TIME_ZONE is UTC here
        sam = TgParent(5102)
        await bot.say(sam, "/start")
        await bot.say(sam, "Mia")
        await bot.say(sam, "15 March 2026")
        await bot.tap(sam, "No")
        zone = texts(await bot.say(sam, "Auckland"))[0]
        assert zone.startswith("Time zone set: Auckland time, now 01:00.")
        await bot.tap(sam, "Sunday 09:00 is fine")
        await bot.say(sam, "/children")
        await bot.tap(sam, "Mia")
        await bot.tap(sam, "📅 Change dates")
        assert "<b>Sunday 29 November 2026</b>" in texts(await bot.say(sam, "yesterday"))[0]
