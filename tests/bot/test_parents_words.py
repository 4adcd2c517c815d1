"""Session 9's ten parents in the terminal chat, the replies they minded most: a name put right at a later
question, a name said in a sentence, a date typed where the name was asked, and how early said in a parent's
own words. Through the fake Bot API; today is the harness's clock (Sunday 29 November 2026)."""

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


async def test_actually_her_name_is_puts_the_name_right_at_the_birthdate_and_early_questions(bot: Harness):
    sam = TgParent(3901)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    renamed = await bot.say(sam, "actually her name is Lily")
    assert renamed[0].text == "Got it, Lily it is.\n\n" + BIRTHDATE.format(name="Lily")
    early = await bot.say(sam, "15 March 2026")
    assert early[0].text.startswith("Was Lily born early")
    again = await bot.say(sam, "Sorry, her name is Ava")
    assert again[0].text.startswith("Got it, Ava it is.\n\nWas Ava born early")
    await bot.tap(sam, "No")
    assert await stored(bot) == [("Ava", date(2026, 3, 15), None)]


async def test_a_grandparent_naming_the_child_in_a_sentence_is_heard(bot: Harness):
    gran = TgParent(3902)
    await bot.say(gran, "/start")
    asked = await bot.say(gran, "I am her grandma, she is called Rosie")
    assert asked[0].text == BIRTHDATE.format(name="Rosie")
    # A neutral sentence with "it's" in it is not a name (a tired one is answered as distress first).
    busy = TgParent(3903)
    await bot.say(busy, "/start")
    reply = await bot.say(busy, "just got home, it's been a busy week")
    assert reply[0].text.startswith("Sorry, I didn't catch a name there.")
    assert not any("busy week" in r.text for r in reply)


def test_a_sentence_with_its_in_it_is_not_a_name_said():
    assert said_name("I'm tired, it's been a long day") is None
    assert said_name("just got home, it's been a busy week") is None


async def test_a_date_typed_at_the_name_question_is_not_taken_as_the_name(bot: Harness):
    sam = TgParent(3904)
    await bot.say(sam, "/start")
    for said in ("2 weeks ago", "15th of june 2025", "last tuesday"):
        reply = await bot.say(sam, said)
        assert reply[0].text == (
            "That looks like when your child was born: I'll ask for that next.\n\n"
            "What's your child's name? A nickname is fine."
        ), said
    # A month alone may well be a name.
    assert (await bot.say(sam, "June"))[0].text == BIRTHDATE.format(name="June")


async def test_how_early_in_a_dads_own_words_gives_the_due_date_to_confirm(bot: Harness):
    for chat_id, said, due in (
        (3905, "she came 7 weeks early", "18 November 2026"),
        (3906, "7 weeks", "18 November 2026"),
        (3907, "yes about 7 weeks", "18 November 2026"),
        (3908, "born at 33 weeks", "18 November 2026"),
    ):
        dad = TgParent(chat_id)
        await bot.say(dad, "/start")
        await bot.say(dad, "Ava")
        await bot.say(dad, "30 September 2026")
        offered = await bot.say(dad, said)
        assert offered[0].text.startswith(f"Thank you! That puts Ava's due date at about <b>{due}</b>."), said
        assert "couldn't find" not in offered[0].text


async def test_tips_more_often_or_twice_a_week_at_the_days_question(bot: Harness):
    sam = TgParent(3909)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "London")
    for said in ("more often", "every day", "can I have them more often?"):
        most = await bot.say(sam, said)
        assert most[0].text.startswith(
            "Three a week is the most I send, so each tip has time to settle in. To get three, tap three days "
            "(like Mon, Wed and Fri), or say <i>3 a week</i>.\n\nWhen would you like your tips?"
        ), said
        assert "couldn't read" not in most[0].text
        assert most[0].button_labels[0] == "Sunday 09:00 is fine"
    times = await bot.say(sam, "twice a week please")
    assert times[0].text.startswith("What time of day?")
    done = await bot.tap(sam, "09:00")
    assert "Tips come on Wednesdays and Sundays at 09:00 (London time)." in done[0].text


async def test_tips_a_week_in_words_in_settings(bot: Harness):
    sam = TgParent(3910)
    await onboard(bot, sam)
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🔢 Tips a week")
    done = await bot.say(sam, "three times a week")
    assert done[0].text.startswith("3 a week it is. Tips come on Tuesdays, Thursdays and Sundays at 09:00")
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🔢 Tips a week")
    more = await bot.say(sam, "every day")
    assert more[0].text.startswith("I send one to three tips a week, so each one has time to settle in.")


async def test_a_date_typed_where_a_new_name_was_asked_changes_the_birthdate_not_the_name(bot: Harness):
    sam = TgParent(3911)
    await onboard(bot, sam)
    await bot.say(sam, "/children")
    await bot.tap(sam, "Mia")
    await bot.tap(sam, "✏️ Rename")
    reply = await bot.say(sam, "14 March 2026")
    assert "is now called" not in reply[0].text
    assert reply[0].text == (
        "That looks like a date, not a name. Change Mia's birthdate from 15 March 2026 to "
        "<b>Saturday 14 March 2026</b>?"
    )
    assert reply[0].button_labels == ["Yes, use 14 March 2026", "No, keep 15 March 2026"]
    kept = await bot.tap(sam, "No, keep 15 March 2026")
    assert await stored(bot) == [("Mia", date(2026, 3, 15), None)]
    assert "is now called" not in " ".join(r.text for r in kept)
    # A day of the week is a name here, not a date.
    await bot.say(sam, "/children")
    await bot.tap(sam, "Mia")
    await bot.tap(sam, "✏️ Rename")
    named = await bot.say(sam, "Tuesday")
    assert named[0].text == "Done: Mia is now called Tuesday."
    assert await stored(bot) == [("Tuesday", date(2026, 3, 15), None)]


async def test_a_parent_of_twins_is_told_how_to_set_up_both(bot: Harness):
    sam = TgParent(3912)
    await bot.say(sam, "/start")
    reply = await bot.say(sam, "we have twins, Mia and Leo")
    assert reply[0].text == (
        "How lovely! I'll take them one at a time: tell me about one now, and once we're done, send /addchild "
        "for the next (I'll notice they share a birthday).\n\nWhat's the first one's name? A nickname is fine."
    )
    assert reply[0].button_labels == ["Skip for now"]
    assert "couldn't find" not in " ".join(r.text for r in reply)
    assert (await bot.say(sam, "Mia"))[0].text == BIRTHDATE.format(name="Mia")


async def test_mydata_in_the_middle_of_setup_then_setup_goes_on(bot: Harness):
    sam = TgParent(3913)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    shown = await bot.say(sam, "/mydata")
    assert "• <b>In the middle of:</b> adding a child" in shown[0].text
    assert shown[1].document is not None
    assert shown[-1].text == "Now, back to where we were:\n" + BIRTHDATE.format(name="Mia")
    early = await bot.say(sam, "15 March 2026")
    assert early[0].text.startswith("Was Mia born early")


async def test_a_name_typed_in_capitals_is_not_shouted_back(bot: Harness):
    sam = TgParent(3914)
    await bot.say(sam, "/start")
    assert (await bot.say(sam, "MIA ROSE"))[0].text == BIRTHDATE.format(name="Mia Rose")
    await bot.say(sam, "15 MARCH 2026")
    await bot.say(sam, "NO")
    aj = TgParent(3915)
    await bot.say(aj, "/start")
    assert (await bot.say(aj, "AJ"))[0].text == BIRTHDATE.format(name="AJ")  # initials stay as typed
    assert await stored(bot) == [("Mia Rose", date(2026, 3, 15), None)]


async def test_a_tips_buttons_typed_instead_of_tapped(bot: Harness):
    sam = TgParent(3916)
    await onboard(bot, sam)
    eve = TgParent(3917)
    await onboard(bot, eve)
    bot.clock.advance(minutes=5)  # a while after the first tip, which setup sent
    another = await bot.say(sam, "another tip")
    assert "couldn't find" not in another[0].text
    assert another[0].button_labels[:2] == ["👍 Helpful", "🙅 Not for us"]
    assert [(r.text, r.button_labels) for r in another] == [
        (r.text, r.button_labels) for r in await bot.say(eve, "/tip")
    ]
    not_for_us = await bot.say(sam, "not for us")
    assert not_for_us[0].text == (
        "Thanks for telling me. To keep a tip from coming again, tap <b>🙅 Not for us</b> under it, and I'll "
        "leave it out from now on. Send /tip for a different one."
    )


async def test_days_said_in_a_sentence_are_the_answer_not_a_question(bot: Harness):
    sam = TgParent(3918)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "London")
    times = await bot.say(sam, "we would love them on weekends")
    assert times[0].text.startswith("What time of day?")
    done = await bot.tap(sam, "09:00")
    assert "Tips come on Saturdays and Sundays at 09:00 (London time)." in done[0].text
