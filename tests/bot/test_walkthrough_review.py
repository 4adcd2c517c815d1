"""What a review of the walkthrough fixes found, told as the parent met it: a sentence about the child taken
for the name, guilt or worry taken for a correction, feelings taken for a place, the child's routine taken for
the tips' schedule, what is said with a yes at "Carry on?", and weeks of pregnancy read as weeks early."""

import pytest

from tests.bot.support import Harness, hold_child, onboard, texts, to_born_early
from tests.fake_telegram import Parent as TgParent

NAME_AGAIN = "Now, back to where we were:\nWhat's your child's name? A nickname is fine."


@pytest.mark.parametrize(
    "words",
    [
        "my son is shy",
        "my daughter is jealous",
        "my baby is colicky",
        "my son is hitting",
        "my son hates nursery",
        "my baby is grizzly",
    ],
)
async def test_a_sentence_about_the_child_at_the_name_question_is_answered_never_the_name(
    bot: Harness, words: str
):
    sam = TgParent(2001)
    await bot.say(sam, "/start")
    sent = await bot.say(sam, words)
    assert not any("When was" in t for t in texts(sent))
    assert len(sent) == 2
    assert texts(sent)[1] == NAME_AGAIN
    assert "When was <b>Mia</b> born?" in texts(await bot.say(sam, "Mia"))[0]


@pytest.mark.parametrize(
    ("words", "name"),
    [
        ("my son Leo", "Leo"),
        ("this is Leo", "Leo"),
        ("she is Mia", "Mia"),
        ("she is mia", "mia"),
        ("my daughter May", "May"),
        ("my son Teddy", "Teddy"),
        ("my son Will", "Will"),
        ("he is Will", "Will"),
        ("this is May", "May"),
    ],
)
async def test_a_name_that_is_also_a_word_is_taken_with_who_the_child_is(bot: Harness, words: str, name: str):
    sam = TgParent(2002)
    await bot.say(sam, "/start")
    assert texts(await bot.say(sam, words)) == [
        f"When was <b>{name}</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
    ]


PUT_RIGHT = "No problem. To put something right about Noah, tap below."


@pytest.mark.parametrize(
    "words",
    [
        "I made a mistake and shouted at him, he was born so small",
        "he was born at 32 weeks and I worry I got everything wrong",
        "I think we got his feeding wrong since he was born",
        "we're due to change nursery next week",
    ],
)
async def test_guilt_or_worry_after_setup_is_answered_not_taken_for_a_correction(bot: Harness, words: str):
    noah = TgParent(2003)
    await onboard(bot, noah, "Noah", "12 March 2026")  # nothing in progress after
    sent = await bot.say(noah, words)
    assert PUT_RIGHT not in texts(sent)
    assert not any("📅 Change dates" in m.button_labels for m in sent)


@pytest.mark.parametrize(
    "words",
    [
        "I made a mistake with his birthday",
        "actually he was born on the 14th",
        "I typed his name wrong",
        "his due date is wrong",
    ],
)
async def test_the_childs_details_said_to_be_wrong_get_the_buttons_to_put_them_right(
    bot: Harness, words: str
):
    noah = TgParent(2004)
    await onboard(bot, noah, "Noah", "12 March 2026")  # nothing in progress after
    sent = await bot.say(noah, words)
    assert texts(sent) == [PUT_RIGHT]
    assert sent[0].button_labels == ["✏️ Rename", "📅 Change dates"]


@pytest.mark.parametrize("words", ["I'm in pain", "we're in bed", "I'm in love"])
@pytest.mark.parametrize("name", [None, "Noah"])
async def test_a_feeling_or_health_said_like_a_place_is_never_thanked_as_a_place(
    bot: Harness, words: str, name: str | None
):
    sam = TgParent(2005)
    await bot.say(sam, "/start")
    if name is not None:
        await bot.say(sam, name)
    sent = await bot.say(sam, words)
    assert not any("time zone" in t for t in texts(sent))
    assert texts(sent)[-1].startswith("Now, back to where we were:")


@pytest.mark.parametrize(
    "words",
    [
        "change the time she naps",
        "how do I change the time he goes to bed",
        "how do I switch the day and night around for him",
        "I want to move the time of his bath",
    ],
)
async def test_the_childs_routine_after_setup_is_a_question_not_the_settings(bot: Harness, words: str):
    noah = TgParent(2007)
    await onboard(bot, noah, "Noah", "12 March 2026")  # nothing in progress after
    sent = await bot.say(noah, words)
    assert not any(t.startswith("<b>Your settings</b>") for t in texts(sent))


@pytest.mark.parametrize(
    ("words", "start"),
    [
        ("can I change the time?", "What time of day?"),
        ("can I change the time to the evening?", "Done. Tips come on Sundays at 19:00 (London time)."),
        ("change the day of my tips", "Which day should tips come on?"),
        ("move the tips time", "What time of day?"),
        ("change my time zone", "Which time zone are you in?"),
        ("I'm moving, change the time zone to Berlin", "Time zone set: Berlin time"),
    ],
)
async def test_the_tips_time_or_day_to_change_after_setup_gets_that_question(
    bot: Harness, words: str, start: str
):
    noah = TgParent(2008)
    await onboard(bot, noah, "Noah", "12 March 2026")  # nothing in progress after
    sent = await bot.say(noah, words)
    assert sent[0].text.startswith(start)


OFFER = "We were adding Mia, and I still need to know the birthdate. Carry on?"


@pytest.mark.parametrize(
    "words",
    [
        "yes but first is it normal she cries when I leave?",
        "yes my son has been crying all night and I dont know what to do",
    ],
)
async def test_a_yes_with_a_question_at_carry_on_is_answered_and_the_offer_kept(bot: Harness, words: str):
    sam = TgParent(2009)
    await hold_child(bot, sam)
    sent = await bot.say(sam, words)
    assert len(sent) == 2
    assert not texts(sent)[0].startswith("When was")
    assert texts(sent)[1] == OFFER
    assert sent[1].button_labels == ["Carry on with Mia", "Start afresh"]
    assert texts(await bot.say(sam, "yes"))[0].startswith("When was <b>Mia</b> born?")


async def test_a_yes_with_the_date_at_carry_on_takes_the_date(bot: Harness):
    sam = TgParent(2010)
    await hold_child(bot, sam)
    assert texts(await bot.say(sam, "yes it's 15 March 2026"))[0].startswith("Was Mia born early")


@pytest.mark.parametrize("words", ["yeah no", "yes but not now"])
async def test_a_yes_taken_back_at_carry_on_keeps_the_child_and_says_how_to_come_back(
    bot: Harness, words: str
):
    sam = TgParent(2011)
    await hold_child(bot, sam)
    sent = await bot.say(sam, words)
    assert texts(sent) == [
        "No problem, I'll keep what you've told me about Mia. Whenever you're ready, tap <b>Carry on with "
        "Mia</b> or send /addchild."
    ]
    assert sent[0].button_labels == ["Carry on with Mia", "Start afresh"]
    assert texts(await bot.say(sam, "ok"))[0].startswith("When was <b>Mia</b> born?")


@pytest.mark.parametrize("words", ["yes", "ok", "yes let's carry on", "yep that's right", "sure"])
async def test_a_plain_or_short_yes_at_carry_on_carries_on(bot: Harness, words: str):
    sam = TgParent(2012)
    await hold_child(bot, sam)
    assert texts(await bot.say(sam, words))[0].startswith("When was <b>Mia</b> born?")


@pytest.mark.parametrize(
    "words", ["no, she was born at 39 weeks", "no, 40 weeks", "she was born at 37 weeks", "38+5 weeks"]
)
async def test_born_at_37_weeks_or_more_is_on_time(bot: Harness, words: str):
    sam = TgParent(2013)
    await to_born_early(bot, sam)
    sent = await bot.say(sam, words)
    assert sent[0].text.startswith("Thank you! Mia is all set. Born 15 March 2026 (to change it: /children).")


@pytest.mark.parametrize("words", ["born at 32 weeks", "no, she was born at 32 weeks"])
async def test_born_before_37_weeks_is_early_by_the_weeks_short_of_40(bot: Harness, words: str):
    sam = TgParent(2014)
    await to_born_early(bot, sam)
    sent = await bot.say(sam, words)
    assert "due date at about <b>10 May 2026</b>" in sent[0].text  # 8 weeks after 15 March


async def test_a_place_said_while_the_child_is_set_up_is_offered_at_the_time_zone_question(bot: Harness):
    ava = TgParent(2015)
    await bot.say(ava, "/start")
    await bot.say(ava, "Ava")
    await bot.say(ava, "we live in Chicago")
    await bot.say(ava, "15 March 2026")
    sent = await bot.tap(ava, "No")
    assert "You told me where you live earlier: if that's <b>Chicago</b> time, tap it below." in sent[0].text
    assert sent[0].button_labels[0] == "Chicago"
    assert texts(await bot.tap(ava, "Chicago"))[0].startswith("Time zone set: Chicago time")


@pytest.mark.parametrize("first", ["/stop", "/cancel"])
async def test_stop_typed_with_a_child_held_says_what_is_kept_as_stop_does(bot: Harness, first: str):
    sam = TgParent(2016)
    await to_born_early(bot, sam)
    await bot.say(sam, first)
    sent = await bot.say(sam, "stop")
    assert texts(sent) == [
        "There are no tips to stop: Mia isn't set up yet, so I send nothing. I've kept what you told me so far "
        "(Mia's name and birthdate, 15 March 2026). To finish, tap <b>Carry on with Mia</b> below or send "
        "/addchild any time; to erase it instead, send /deletedata."
    ]
    assert sent[0].button_labels == ["Carry on with Mia", "Start afresh"]


async def test_ok_at_the_name_question_gets_a_word_back_then_the_question(bot: Harness):
    sam = TgParent(2017)
    await bot.say(sam, "/start")
    sent = await bot.say(sam, "ok")
    assert texts(sent) == ["Great! What's your child's name? A nickname is fine."]
    assert sent[0].button_labels == ["Skip for now"]
