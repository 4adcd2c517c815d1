"""What a walkthrough of the conversation found, told as the parent met it: a name not given yet, how early
said after a "no", small talk at the offer to carry on, no time zone at the time zone question, /stop with a
child half added, and a name said with who the child is."""

from datetime import date

import pytest
from sqlalchemy import select

from db.models import Child
from tests.bot.support import Harness, hold_child, onboard, texts, to_born_early, to_time_zone
from tests.fake_telegram import Parent as TgParent

SKIPPED = (
    "No problem: I'll call your child <b>Baby</b> for now. To change the name any time, send /children and tap "
    "✏️ Rename."
)


async def names(bot: Harness) -> list[str]:
    async with bot.sessions() as s:
        return [c.name for c in (await s.scalars(select(Child).order_by(Child.id))).all()]


@pytest.mark.parametrize(
    "words",
    [
        "later",
        "not sure yet",
        "skip",
        "dunno yet",
        "we haven't picked one yet",
        "still deciding!",
        "undecided",
    ],
)
async def test_no_name_yet_is_the_name_skipped_kindly_never_a_name(bot: Harness, words: str):
    sam = TgParent(1001)
    await bot.say(sam, "/start")
    sent = await bot.say(sam, words)
    assert len(sent) == 1
    assert sent[0].text.startswith(SKIPPED)
    assert "\n\nWhen was <b>Baby</b> born?" in sent[0].text
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "No")
    assert await names(bot) == ["Baby"]


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("no, 3 weeks early", "5 April 2026"),
        ("yes 3 weeks early", "5 April 2026"),
        ("nope, 2 weeks early", "29 March 2026"),
        ("no, she was early by 3 weeks", "5 April 2026"),
        ("yes by 3 weeks", "5 April 2026"),
        ("no, 10 days early", "25 March 2026"),
    ],
)
async def test_how_early_is_read_whatever_word_comes_first(bot: Harness, words: str, due: str):
    sam = TgParent(1002)
    await to_born_early(bot, sam)
    sent = await bot.say(sam, words)
    assert texts(sent) == [
        f"Thank you! That puts Mia's due date at about <b>{due}</b>. Shall I use it? A close guess is fine, "
        "or type the date if you know it."
    ]
    assert sent[0].button_labels == [f"Yes, use {due}"]


@pytest.mark.parametrize("words", ["no she was on time", "no she was 3 weeks late", "she was 2 days late"])
async def test_on_time_or_late_at_born_early_saves_the_child_without_a_due_date(bot: Harness, words: str):
    sam = TgParent(1003)
    await to_born_early(bot, sam)
    sent = await bot.say(sam, words)
    assert sent[0].text.startswith("Thank you! Mia is all set. Born 15 March 2026 (to change it: /children).")
    async with bot.sessions() as s:
        child = (await s.scalars(select(Child))).one()
    assert (child.birthdate, child.due_date) == (date(2026, 3, 15), None)


OFFER = "We were adding Mia, and I still need to know the birthdate. Carry on?"


@pytest.mark.parametrize(
    ("words", "lead"),
    [("hello", "Hello! "), ("thanks", "You're welcome! "), ("❤️", "Lovely, thank you! ")],
)
async def test_small_talk_at_the_offer_to_carry_on_keeps_the_offer(bot: Harness, words: str, lead: str):
    sam = TgParent(1004)
    await hold_child(bot, sam)
    sent = await bot.say(sam, words)
    assert texts(sent) == [lead + OFFER]
    assert sent[0].button_labels == ["Carry on with Mia", "Start afresh"]
    assert texts(await bot.say(sam, "yes"))[0].startswith("When was <b>Mia</b> born?")


@pytest.mark.parametrize("words", ["🤔", "yes", "ok", "??"])
async def test_no_zone_at_the_time_zone_question_says_how_to_answer(bot: Harness, words: str):
    sam = TgParent(1005)
    zones = await to_time_zone(bot, sam, "Mia", "15 March 2026")
    sent = await bot.say(sam, words)
    assert texts(sent) == [
        "No rush! Just tap the time zone you're in below, or type the town or city you live in (like "
        "<i>Manchester</i>), so your tips come at a good time for you."
    ]
    assert sent[0].button_labels == zones[0].button_labels
    assert (await bot.say(sam, "Manchester"))[0].text.startswith(
        "Time zone set: Manchester (United Kingdom) time"
    )


async def test_stop_with_a_child_half_added_says_what_is_kept_and_how_to_come_back(bot: Harness):
    sam = TgParent(1006)
    await to_born_early(bot, sam)
    sent = await bot.say(sam, "/stop")
    assert texts(sent) == [
        "There are no tips to stop: Mia isn't set up yet, so I send nothing. I've kept what you told me so far "
        "(Mia's name and birthdate, 15 March 2026). To finish, tap <b>Carry on with Mia</b> below or send "
        "/addchild any time; to erase it instead, send /deletedata."
    ]
    assert sent[0].button_labels == ["Carry on with Mia", "Start afresh"]
    assert texts(await bot.tap(sam, "Carry on with Mia"))[0].startswith("Was Mia born early")

    leo = TgParent(1007)  # only the name given, and the child held before /stop
    await hold_child(bot, leo, "Leo")
    sent = await bot.say(leo, "/stop")
    assert "I've kept what you told me so far (the name Leo)." in sent[0].text
    assert texts(await bot.say(leo, "/addchild")) == [
        "We were adding Leo, and I still need to know the birthdate. Carry on?"
    ]


@pytest.mark.parametrize(
    ("words", "name"),
    [
        ("my son Leo", "Leo"),
        ("my daughter, Mia", "Mia"),
        ("our baby girl Ava", "Ava"),
        ("Leo, my son", "Leo"),
        ("Noah James is my grandson", "Noah James"),
        ("this is Leo", "Leo"),
        ("she is Mia", "Mia"),
        ("Mia's her name", "Mia"),
        ("name's Leo", "Leo"),
        ("her name is Mia", "Mia"),
        ("it's Leo", "Leo"),
        ("we call him Leo", "Leo"),
    ],
)
async def test_a_name_said_with_who_the_child_is_is_taken(bot: Harness, words: str, name: str):
    sam = TgParent(1008)
    await bot.say(sam, "/start")
    sent = await bot.say(sam, words)
    assert texts(sent) == [
        f"When was <b>{name}</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
    ]


@pytest.mark.parametrize("words", ["my son cries", "this is hard", "she is tired", "my baby sleep"])
async def test_a_sentence_at_the_name_question_is_still_no_name(bot: Harness, words: str):
    sam = TgParent(1009)
    await bot.say(sam, "/start")
    sent = await bot.say(sam, words)
    assert not any("When was" in m.text for m in sent)
    assert texts(sent)[-1].endswith("What's your child's name? A nickname is fine.")


# Parents played through the whole setup, each in their own words.


async def test_a_parent_in_their_own_words_at_every_step(bot: Harness):
    ava = TgParent(1010)
    await bot.say(ava, "/start")
    said = await bot.say(ava, "she was born on the 3rd of june this year")  # the date before the name
    assert texts(said)[0].startswith("That looks like when your child was born: I'll ask for that next.")
    assert texts(await bot.say(ava, "yes that's right"))[0].startswith(
        "Sorry, I didn't catch a name there.\n\nWhat's your child's name?"
    )
    assert texts(await bot.say(ava, "it's my daughter, she's called Ava"))[0].startswith(
        "When was <b>Ava</b> born?"
    )
    place = await bot.say(ava, "we live in Glasgow")
    assert texts(place) == [
        "Thank you! I'll ask about your time zone once your child is set up.\n\nWhen was <b>Ava</b> born? "
        "Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
    ]
    assert texts(await bot.say(ava, "she was born on the 3rd of june this year"))[0].startswith(
        "Was Ava born early"
    )
    assert (
        "due date at about <b>15 July 2026</b>"
        in texts(await bot.say(ava, "yes she came about 6 weeks early"))[0]
    )
    saved = await bot.say(ava, "yes that's right")
    assert saved[0].text.startswith("Thank you! Ava is all set. Born 3 June 2026, due 15 July 2026")
    assert texts(await bot.say(ava, "we live in Glasgow"))[0].startswith("Time zone set: Glasgow time")
    done = await bot.say(ava, "could we have them on saturday mornings instead")
    assert "Tips come on Saturdays at 09:00 (London time)." in done[0].text
    for message in done:
        assert len(message.text) <= 1200


async def test_a_longer_yes_at_the_offer_to_carry_on_carries_on(bot: Harness):
    sam = TgParent(1011)
    await hold_child(bot, sam)
    assert texts(await bot.say(sam, "yes let's carry on"))[0].startswith("When was <b>Mia</b> born?")
    await bot.say(sam, "/cancel")
    assert not any(t.startswith("When was") for t in texts(await bot.say(sam, "yes but not now")))


async def test_a_parent_who_puts_a_birthdate_right_after_setup_is_shown_how(bot: Harness):
    noah = TgParent(1012)
    await onboard(bot, noah, "Noah", "12 March 2026")
    for words in ("actually he was born on the 14th", "I made a mistake with his birthday"):
        sent = await bot.say(noah, words)
        assert texts(sent) == ["No problem. To put something right about Noah, tap below."], words
        assert sent[0].button_labels == ["✏️ Rename", "📅 Change dates"]
    await bot.tap(noah, "📅 Change dates")
    await bot.say(noah, "14 March 2026")
    assert texts(await bot.tap(noah, "No")) == ["Saved. Noah is 8 months old."]


async def test_a_parent_who_asks_to_change_the_time_gets_it_changed(bot: Harness):
    sam = TgParent(1013)
    await onboard(bot, sam)
    sent = await bot.say(sam, "can I change the time to the evening?")
    assert sent[0].text.startswith("Done. Tips come on Sundays at 19:00 (London time).")
    sent = await bot.say(sam, "can I change the time?")
    assert sent[0].text.startswith("What time of day?")
    assert "Leave it as it is" in sent[0].button_labels
