"""Session 9's second walk through the terminal chat: what a parent types instead of the answer, and what
they read back. A birthdate turned down or put off, a twin's birthdate said as the sibling's, /resume with
nothing paused, a question asked again in its short form, and an emoji at a question. Through the fake Bot
API; today is the harness's clock (Sunday 29 November 2026)."""

from datetime import date

from sqlalchemy import select

from db.models import Child
from tests.bot.support import Harness, onboard, texts, to_time_zone
from tests.fake_telegram import Parent as TgParent

BIRTHDATE = "When was <b>{name}</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
NEED = (
    "I need Mia's birthdate to fit the tips to Mia's age. A close guess is fine (like <i>1 March 2026</i>), or "
    "tell me Mia's age (like <i>4 months</i>). If now isn't a good time, tap <b>Not now</b>, and I'll keep "
    "what you've told me.\n\n"
)
HELD = "OK, we've stopped there. Mia isn't saved yet: I still need to know the birthdate."
DAYS_SHORT = "When would you like your tips? Keep <b>Sunday at 09:00</b>, or pick another day."


async def stored(bot: Harness) -> list[tuple[str, date, date | None]]:
    async with bot.sessions() as s:
        rows = (await s.scalars(select(Child).order_by(Child.id))).all()
    return [(c.name, c.birthdate, c.due_date) for c in rows]


async def test_later_at_the_birthdate_is_the_not_now_button(bot: Harness):
    for chat_id, said in ((4001, "later"), (4002, "not now"), (4003, "skip for now"), (4004, "ok later")):
        sam = TgParent(chat_id)
        await bot.say(sam, "/start")
        await bot.say(sam, "Mia")
        held = await bot.say(sam, said)
        assert held[0].text == HELD, said
        assert held[0].button_labels == ["Carry on with Mia", "Start afresh"]
        # Nothing given is lost: carrying on asks for the birthdate of Mia.
        assert (await bot.tap(sam, "Carry on with Mia"))[0].text == BIRTHDATE.format(name="Mia")


async def test_a_birthdate_turned_down_twice_is_not_asked_the_same_way_twice(bot: Harness):
    for chat_id, first, second in (
        (4005, "skip", "no thanks"),
        (4006, "no thanks", "skip"),
        (4007, "idk", "no"),
    ):
        sam = TgParent(chat_id)
        await bot.say(sam, "/start")
        await bot.say(sam, "Mia")
        once = await bot.say(sam, first)
        assert once[0].text == NEED + BIRTHDATE.format(name="Mia"), first
        assert once[0].button_labels == ["Not now"]
        twice = await bot.say(sam, second)
        assert twice[0].text == (
            "No problem, we'll leave it there for now. Mia isn't saved yet: whenever you have the birthdate "
            "(a close guess is fine), tap <b>Carry on with Mia</b>."
        ), second
        assert twice[0].text != once[0].text
        assert twice[0].button_labels == ["Carry on with Mia", "Start afresh"]
        carried = await bot.tap(sam, "Carry on with Mia")
        assert carried[0].text == BIRTHDATE.format(name="Mia")
        # After carrying on, a refusal is explained again before anything stops.
        assert (await bot.say(sam, "skip"))[0].text == NEED + BIRTHDATE.format(name="Mia")
        assert (await bot.say(sam, "4 months"))[0].text.startswith("Thank you! That puts Mia's birthdate at")


async def test_same_day_as_the_sister_is_her_birthdate_said_back(bot: Harness):
    for chat_id, said in (
        (4008, "same day as Mia"),
        (4009, "same as her sister"),
        (4010, "same birthday"),
        (4011, "it's the same as Mia's"),
        (4012, "twins"),
    ):
        sam = TgParent(chat_id)
        await onboard(bot, sam)
        await bot.say(sam, "/addchild")
        await bot.say(sam, "Leo")
        same = await bot.say(sam, said)
        assert same[0].text.startswith(
            "Got it: Leo's birthdate is <b>Sunday 15 March 2026</b>, the same as Mia's. If not, just type the "
            "date.\n\nWas Leo born early"
        ), said
        done = await bot.tap(sam, "No")
        assert done[0].text.startswith("Leo is added! Born 15 March 2026"), said
    async with bot.sessions() as s:
        leos = (await s.scalars(select(Child).where(Child.name == "Leo"))).all()
    assert {c.birthdate for c in leos} == {date(2026, 3, 15)}


async def test_same_day_is_only_a_sibling_of_the_same_parent(bot: Harness):
    other = TgParent(4013)
    await onboard(bot, other, name="Mia", birthdate="1 June 2026")
    sam = TgParent(4014)
    await bot.say(sam, "/start")
    await bot.say(sam, "Leo")
    # No brother or sister here: another family's Mia is not read, the date is asked for.
    reply = await bot.say(sam, "same day as Mia")
    assert "Got it" not in reply[0].text
    assert "1 June" not in reply[0].text
    assert reply[0].text.startswith("I couldn't read")


async def test_same_day_with_siblings_born_on_different_days_asks_which(bot: Harness):
    sam = TgParent(4015)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Ava")
    await bot.say(sam, "1 October 2024")
    await bot.tap(sam, "No")
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    which = await bot.say(sam, "same as his sister")
    assert which[0].text == "The same day as which of them?"
    assert which[0].button_labels == ["Ava: 1 October 2024", "Mia: 15 March 2026", "Neither: I'll type it"]
    picked = await bot.tap(sam, "Mia: 15 March 2026")
    assert picked[0].text.startswith("Was Leo born early")
    await bot.tap(sam, "No")
    assert (await stored(bot))[-1] == ("Leo", date(2026, 3, 15), None)


async def test_resume_with_nothing_paused_says_tips_are_already_on(bot: Harness):
    sam = TgParent(4016)
    await onboard(bot, sam)
    on = texts(await bot.say(sam, "/resume"))
    assert on == [
        "Your tips are already on: nothing is paused. They come on Sundays at 09:00 (London time). The next "
        "one comes on Sunday 6 December at 09:00."
    ]
    await bot.say(sam, "/pause")
    await bot.tap(sam, "Until I resume")
    back = texts(await bot.say(sam, "/resume"))
    assert back[0].startswith("Tips are back on. They come on Sundays at 09:00 (London time).")
    assert "Tips come on" not in back[0]


async def test_resume_before_any_child_keeps_the_question(bot: Harness):
    sam = TgParent(4017)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    reply = await bot.say(sam, "/resume")
    assert reply[0].text == (
        "There's nothing to resume yet: tips start once your child is set up.\n\n"
        + BIRTHDATE.format(name="Mia")
    )
    assert "back on" not in reply[0].text


async def test_resume_in_the_middle_of_setup_says_so_and_setup_goes_on(bot: Harness):
    sam = TgParent(4018)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "London")
    reply = await bot.say(sam, "/resume")
    assert reply[0].text.startswith("Your tips are already on: nothing is paused.")
    assert reply[1].text == "Now, back to where we were:\n" + DAYS_SHORT
    assert (await bot.tap(sam, "Sunday 09:00 is fine"))[0].text.startswith("All set!")


async def test_the_days_question_asked_again_is_the_short_form(bot: Harness):
    sam = TgParent(4019)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    first = await bot.say(sam, "London")
    assert "Last thing: when would you like your tips?" in first[0].text
    for said, lead in (
        ("hello", "Hello! "),
        ("purple", "I couldn't read “purple” as days of the week.\n\n"),
        ("the 5th", "Tips come on days of the week rather than on dates, so I can't use “the 5th”.\n\n"),
    ):
        again = await bot.say(sam, said)
        assert again[0].text == lead + DAYS_SHORT, said
        assert "Last thing" not in again[0].text
        assert again[0].button_labels[0] == "Sunday 09:00 is fine"
    # "back" to the time zone and on again: the question in full once more, as it comes first there.
    await bot.say(sam, "back")
    assert "Last thing" in (await bot.say(sam, "London"))[0].text


async def test_an_emoji_at_a_question_gets_a_word_back_then_the_question(bot: Harness):
    sam = TgParent(4020)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    for said in ("👍", "❤️", "🥰"):
        reply = await bot.say(sam, said)
        assert reply[0].text.startswith("Lovely, thank you! Which time zone are you in?"), said
        assert reply[0].button_labels[-1] == "Skip: keep UTC time"
    await bot.say(sam, "London")
    # A thumbs up at "Sunday 09:00 is fine?" keeps it.
    assert (await bot.say(sam, "👍"))[0].text.startswith("All set!")


async def test_a_thumbs_up_at_the_one_date_offered_takes_it(bot: Harness):
    sam = TgParent(4021)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    offered = await bot.say(sam, "she's 4 months old")
    assert offered[0].button_labels == ["Yes, use 29 July 2026"]
    assert (await bot.say(sam, "👍"))[0].text.startswith("Was Mia born early")


async def test_a_name_said_for_a_sibling_not_in_the_list_asks_which(bot: Harness):
    sam = TgParent(4022)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    which = await bot.say(sam, "same day as mila")
    assert which[0].text == "I don't have a child called Mila here. The same day as which of them?"
    assert which[0].button_labels == ["Mia: 15 March 2026", "Neither: I'll type it"]
    assert (await bot.tap(sam, "Neither: I'll type it"))[0].text == BIRTHDATE.format(name="Leo")


async def test_a_name_typed_at_the_offer_to_carry_on_names_the_child_skipped_before(bot: Harness):
    sam = TgParent(4023)
    await bot.say(sam, "/start")
    await bot.tap(sam, "Skip for now")
    await bot.tap(sam, "Not now")
    offer = await bot.say(sam, "/start")
    assert offer[-1].text == "We were adding Baby, and I still need to know the birthdate. Carry on?"
    named = await bot.say(sam, "Noah")
    assert named[0].text == "Got it, Noah it is.\n\n" + BIRTHDATE.format(name="Noah")
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "No")
    assert await stored(bot) == [("Noah", date(2026, 3, 15), None)]


async def test_a_subject_typed_at_the_offer_to_carry_on_is_a_question_not_a_name(bot: Harness):
    sam = TgParent(4024)
    await bot.say(sam, "/start")
    await bot.tap(sam, "Skip for now")
    await bot.tap(sam, "Not now")
    await bot.say(sam, "/start")
    for said in ("tantrums", "sleep"):
        reply = await bot.say(sam, said)
        assert "it is." not in reply[0].text, said
        assert "born?" not in reply[0].text, said


async def test_her_name_is_at_the_offer_renames_the_held_child(bot: Harness):
    sam = TgParent(4025)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "not now")
    await bot.say(sam, "/start")
    named = await bot.say(sam, "her name is Lily")
    assert named[0].text == "Got it, Lily it is.\n\n" + BIRTHDATE.format(name="Lily")


async def test_a_time_typed_at_the_days_question_sets_the_time(bot: Harness):
    sam = TgParent(4026)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "London")
    done = await bot.say(sam, "7pm")
    assert done[0].text.startswith("All set!")
    assert "Tips come on Sundays at 19:00 (London time)." in done[0].text
    await bot.say(sam, "/settings")
    await bot.tap(sam, "📅 Days")
    saved = await bot.say(sam, "8:30")
    assert saved[0].text.startswith("Done. Tips come on Sundays at 08:30 (London time).")


async def test_back_to_the_days_question_says_the_day_picked(bot: Harness):
    sam = TgParent(4027)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "London")
    await bot.tap(sam, "Tue")
    back = await bot.say(sam, "back")
    assert (
        back[0].text
        == "Which day would you like your tips? So far it's <b>Tuesdays</b>: tap a day to change it."
    )


async def test_a_grandparent_saying_who_the_child_is_is_asked_the_name(bot: Harness):
    gran = TgParent(4028)
    await bot.say(gran, "/start")
    for said, who in (
        ("it's for my grandson", "grandson"),
        ("my daughter", "daughter"),
        ("for my little girl", "little girl"),
    ):
        asked = await bot.say(gran, said)
        assert asked[0].text == f"How lovely! What's your {who}'s name? A nickname is fine.", said
        assert asked[0].button_labels == ["Skip for now"]
    setting_up = await bot.say(gran, "I'm setting this up for my granddaughter")
    assert setting_up[0].text == "How lovely! What's your granddaughter's name? A nickname is fine."
    assert len(setting_up) == 1
    named = await bot.say(gran, "my grandson is called Oliver")
    assert named[0].text == BIRTHDATE.format(name="Oliver")


async def test_born_early_answered_in_a_sentence(bot: Harness):
    for chat_id, said, after in (
        (4029, "no he wasn't early", "Thank you! Mia is all set."),
        (4030, "she was on time", "Thank you! Mia is all set."),
        (4031, "a week late", "Thank you! Mia is all set."),
        (4032, "full term", "Thank you! Mia is all set."),
        (4033, "yes she was", "What was the due date?"),
        (4034, "he was premature", "What was the due date?"),
    ):
        sam = TgParent(chat_id)
        await bot.say(sam, "/start")
        await bot.say(sam, "Mia")
        await bot.say(sam, "1 October 2026")
        reply = await bot.say(sam, said)
        assert reply[0].text.startswith(after), said
        assert "couldn't find" not in " ".join(texts(reply)), said


async def test_no_at_the_twins_same_due_date_question_asks_for_the_other_due_date(bot: Harness):
    sam = TgParent(4035)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 September 2026")
    await bot.say(sam, "3 weeks early")
    await bot.tap(sam, "Yes, use 22 September 2026")
    await bot.say(sam, "London")
    await bot.tap(sam, "Sunday 09:00 is fine")
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    twin = await bot.say(sam, "same day as Mia")
    assert twin[0].text.startswith(
        "Got it: <b>Tuesday 1 September 2026</b>. If not, just type the date.\n\nLeo was born the same day as Mia."
    )
    other = await bot.say(sam, "no she wasn't")
    assert other[0].text.startswith("What was the due date?")


async def test_mornings_at_the_time_question(bot: Harness):
    sam = TgParent(4036)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "London")
    await bot.say(sam, "wednesdays please")
    done = await bot.say(sam, "mornings")
    assert "Tips come on Wednesdays at 09:00 (London time)." in done[0].text


async def test_a_date_at_the_time_zone_question_offers_to_put_the_child_right(bot: Harness):
    sam = TgParent(4037)
    await to_time_zone(bot, sam, "Ava", "12 March 2026")
    for said in ("14 March 2026", "about 4 weeks early"):
        reply = await bot.say(sam, said)
        assert reply[0].text == (
            "That looks like Ava's dates rather than a place. To change them, tap below; or carry on."
        ), said
        assert reply[0].button_labels == ["📅 Change Ava's birthdate", "✏️ Change the name Ava"]
        assert reply[1].text.startswith("Which time zone are you in?")
        assert "couldn't find a time zone" not in " ".join(texts(reply))
    asked = await bot.press(sam, reply[0].data_for("📅 Change Ava's birthdate"))
    assert asked[0].text == BIRTHDATE.format(name="Ava")
    # A place is still a place.
    await bot.tap(sam, "Keep the dates as they are")
    assert (await bot.say(sam, "Paris"))[0].text.startswith("Time zone set: Paris")
