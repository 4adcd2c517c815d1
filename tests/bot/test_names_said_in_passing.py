"""A reviewer's findings on names said in a sentence, tips a week said after setup, a date typed at Rename,
capitals in names and twins: what the parent reads. Through the fake Bot API; today is the harness's clock
(Sunday 29 November 2026)."""

from datetime import date

from sqlalchemy import select

from bot.core.step_words import said_name
from db.models import Child
from tests.bot.support import Harness, onboard, to_time_zone
from tests.fake_telegram import Parent as TgParent

BIRTHDATE = "When was <b>{name}</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."


async def stored(bot: Harness) -> list[tuple[str, date, date | None]]:
    async with bot.sessions() as s:
        rows = (await s.scalars(select(Child).order_by(Child.id))).all()
    return [(c.name, c.birthdate, c.due_date) for c in rows]


async def test_a_name_in_passing_at_the_birthdate_question_does_not_rename_the_child(bot: Harness):
    sam = TgParent(4001)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    for said in ("she hates the bath and we call her a water baby", "oh, her name is not decided yet"):
        reply = await bot.say(sam, said)
        assert not any("Got it" in r.text or " it is." in r.text for r in reply), said
    # A correction with more after the name: the name alone.
    bub = await bot.say(sam, "sorry, we call her Bub when she's grumpy")
    assert bub[0].text == "Got it, Bub it is.\n\n" + BIRTHDATE.format(name="Bub")


async def test_a_name_and_the_birthdate_in_one_sentence_are_both_taken(bot: Harness):
    sam = TgParent(4002)
    await bot.say(sam, "/start")
    await bot.say(sam, "Baby")
    reply = await bot.say(sam, "she's called Mia and she was born on 15 March")
    assert reply[0].text.startswith("Got it, Mia it is.\n\n")
    assert "Mia and she was" not in reply[0].text
    assert "Was Mia born early" in reply[0].text or "15 March 2026" in reply[0].text
    await bot.tap(sam, "No")
    assert await stored(bot) == [("Mia", date(2026, 3, 15), None)]


def test_said_name_ends_the_name_and_turns_down_what_is_no_name():
    assert said_name("I'm tired, it's been a long day") is None
    assert said_name("she hates the bath and we call her a water baby") is None
    assert said_name("oh, her name is not decided yet") is None
    assert said_name("sorry, we call her Bub when she's grumpy") == "Bub"
    assert said_name("she's called Mia and she was born on 15 March") == "Mia"
    assert said_name("her name is Mia, born in March") == "Mia"
    assert said_name("her name is Mary Jane Anne Rose") is None
    assert said_name("it's Noah James") == "Noah James"
    assert said_name("my twin sister helped name her Mia") == "Mia"
    assert said_name("we named him Leo after his grandad") == "Leo"
    assert said_name("I haven't named her yet") is None
    assert said_name("her name is yet to be decided") is None


async def test_wed_said_for_wednesday_at_the_days_question(bot: Harness):
    sam = TgParent(4003)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "London")
    reply = await bot.say(sam, "can I have them wed and fri")
    if reply[0].text.startswith("What time of day?"):
        reply = await bot.tap(sam, "09:00")
    assert "Tips come on Wednesdays and Fridays" in " ".join(r.text for r in reply)


async def test_more_often_or_twice_a_week_after_setup_opens_the_tips_a_week_setting(bot: Harness):
    sam = TgParent(4004)
    await onboard(bot, sam)
    more = await bot.say(sam, "can I have tips more often?")
    assert more[0].text == (
        "I send one to three tips a week, so each one has time to settle in.\n\nHow many tips a week would you like?"
    )
    assert more[0].button_labels[:3] == ["1 a week", "2 a week", "3 a week"]
    await bot.tap(sam, "Leave it as it is")
    twice = await bot.say(sam, "twice a week please")
    assert twice[0].text.startswith("2 a week it is. Tips come on ")
    assert not any("999" in r.text or "emergency" in r.text.lower() for r in twice)


async def test_a_name_typed_in_capitals_is_said_back_word_by_word(bot: Harness):
    for chat_id, typed, shown in (
        (4005, "ELİF", "Elif"),
        (4006, "MJ ROSE", "MJ Rose"),
        (4007, "LEO III", "Leo III"),
    ):
        sam = TgParent(chat_id)
        await bot.say(sam, "/start")
        asked = await bot.say(sam, typed)
        assert asked[0].text == BIRTHDATE.format(name=shown), typed
        assert "\u0307" not in asked[0].text


async def test_twin_said_of_one_child_is_not_a_parent_of_twins(bot: Harness):
    for chat_id, said, name in (
        (4008, "my twin sister helped name her Mia", "Mia"),
        (4009, "Noah. He's a twin", "Noah"),
    ):
        sam = TgParent(chat_id)
        await bot.say(sam, "/start")
        asked = await bot.say(sam, said)
        assert "first one's name" not in asked[0].text, said
        assert asked[0].text == BIRTHDATE.format(name=name), said
    twins = TgParent(4010)
    await bot.say(twins, "/start")
    asked = await bot.say(twins, "I've got twins")
    assert asked[0].text.endswith("What's the first one's name? A nickname is fine.")
