"""Setup messages a review of session 12 found misread, each driven through the real handlers: "not sure" with
a guess after it at the due date, a hello before a word that is no name, a subject typed before an age, a
question or a guess after "not sure" at the birthdate, and a hello before an answer at any step."""

import pytest
from sqlalchemy import select

from db.models import Child
from tests.bot.support import Harness, onboard, texts, to_born_early, to_time_zone
from tests.fake_telegram import Parent as TgParent

NAME_QUESTION = "What's your child's name? A nickname is fine."
DUE_QUESTION = "What was the due date?"
AGAIN = "Now, back to where we were:\n"


async def children(bot: Harness) -> list[Child]:
    async with bot.sessions() as s:
        return list((await s.scalars(select(Child).order_by(Child.id))).all())


async def to_due(bot: Harness, mum: TgParent) -> None:
    await to_born_early(bot, mum, "Mia", "1 November 2026")
    await bot.tap(mum, "Yes, born early")


@pytest.mark.parametrize(
    ("said", "offered"),
    [
        ("don't know, about 6 weeks early", "13 December 2026"),
        ("idk, she was 5 weeks early", "6 December 2026"),
    ],
)
async def test_not_sure_then_how_early_at_the_due_date_offers_that_due_date(
    bot: Harness, said: str, offered: str
):
    mum = TgParent(3101)
    await to_due(bot, mum)
    sent = await bot.say(mum, said)  # was "Mia is all set", the due date skipped without a word
    assert sent[0].text.startswith(f"Thank you! That puts Mia's due date at about <b>{offered}</b>.")
    assert await children(bot) == []


async def test_not_sure_then_a_due_date_is_that_due_date(bot: Harness):
    mum = TgParent(3102)
    await to_due(bot, mum)
    sent = await bot.say(mum, "not sure, around 20 December")
    assert sent[0].text.startswith("Thank you! Mia is all set. Born 1 November 2026, due 20 December 2026")


@pytest.mark.parametrize(
    ("said", "lead"),
    [
        ("not sure, she came at 34 weeks", "No problem, a close guess is fine. "),
        ("can't remember, mid December", "No problem, a close guess is fine. "),
        ("not sure, let me check", "No problem, a close guess is fine. "),
        ("not sure, hopeless", "No problem, a close guess is fine. "),
        ("not sure, early January", "No problem, a close guess is fine. "),
    ],
)
async def test_not_sure_then_a_guess_not_read_at_the_due_date_asks_again(bot: Harness, said: str, lead: str):
    mum = TgParent(3103)
    await to_due(bot, mum)
    sent = await bot.say(mum, said)  # was "Mia is all set", counted from the birthdate without a word
    assert len(sent) == 1
    assert sent[0].text.startswith(f"{lead}{DUE_QUESTION}")
    assert await children(bot) == []
    sent = await bot.say(mum, "15 December")
    assert sent[0].text.startswith("Thank you! Mia is all set. Born 1 November 2026, due 15 December 2026")


@pytest.mark.parametrize("said", ["not sure, early March", "dunno, sometime in May", "not sure, March 2025"])
async def test_not_sure_then_a_month_at_the_birthdate_asks_for_the_date_again(bot: Harness, said: str):
    mum = TgParent(3115)
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    sent = await bot.say(mum, said)  # was "Which day, roughly?", and "the 10th" then read in this month
    assert len(sent) == 1
    assert sent[0].text.startswith("No problem, a close guess is fine. When was <b>Mia</b> born?")
    assert "Which day" not in sent[0].text
    sent = await bot.say(mum, "10 March 2026")  # the date in full, read as typed
    assert sent[-1].text.startswith("Was Mia born early, before the due date?")
    await bot.tap(mum, "No")
    assert [child.birthdate.isoformat() for child in await children(bot)] == ["2026-03-10"]


@pytest.mark.parametrize("said", ["not sure", "hi, not sure", "skip"])
async def test_a_due_date_skipped_says_it_was_left_out_and_how_to_add_it(bot: Harness, said: str):
    mum = TgParent(3117)
    await to_due(bot, mum)
    sent = await bot.say(mum, said)  # was "Mia is all set. Born 1 November 2026", the due date unsaid
    assert sent[0].text.startswith(
        "Thank you! Mia is all set. Born 1 November 2026. I've left the due date out for now, so I'll go by "
        "the birthdate (to add it later, or change anything: /children)."
    )


@pytest.mark.parametrize("at_due", [False, True])
@pytest.mark.parametrize("said", ["not sure, overwhelmed", "not sure, crying all day"])
async def test_a_feeling_after_not_sure_is_heard_as_if_said_alone(bot: Harness, said: str, at_due: bool):
    mum = TgParent(3118)
    if at_due:
        await to_due(bot, mum)
    else:
        await bot.say(mum, "/start")
        await bot.say(mum, "Mia")
    sent = await bot.say(mum, said)  # was skipped at the due date, or "not sure" at the birthdate
    assert sent[0].text.startswith("<b>Thank you for telling me how you're feeling.")
    assert "all set" not in "\n".join(texts(sent))
    assert await children(bot) == []


@pytest.mark.parametrize("at_due", [False, True])
async def test_not_sure_then_have_to_go_leaves_as_have_to_go_does(bot: Harness, at_due: bool):
    mum = TgParent(3119)
    if at_due:
        await to_due(bot, mum)
    else:
        await bot.say(mum, "/start")
        await bot.say(mum, "Mia")
    sent = await bot.say(mum, "not sure, have to go?")
    assert sent[0].text.startswith("OK, we've stopped there. Mia isn't saved yet")


async def test_a_name_and_an_age_when_a_child_has_that_name_says_the_age_comes_after(bot: Harness):
    mum = TgParent(3116)
    await onboard(bot, mum, "Mia", "1 October 2026")
    await bot.say(mum, "/addchild")
    sent = await bot.say(mum, "Mia, 2 weeks")  # was the same-name question alone, the age dropped unsaid
    assert sent[0].text.startswith(
        "Thank you. I'll ask when your child was born in a moment.\n\nYou already have a child called Mia here."
    )
    sent = await bot.tap(mum, "Yes, add another Mia")
    assert "When was <b>Mia</b> born?" in sent[-1].text


@pytest.mark.parametrize(
    "said",
    [
        "hello, there", "hi, lol", "hello, testing", "hi, morning", "hi, colic", "hi, tantrums", "hi, help",
        "hey, quick question", "hey, exhausted",
    ],
)  # fmt: skip
async def test_a_hello_and_a_word_that_is_no_name_names_no_child(bot: Harness, said: str):
    mum = TgParent(3104)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, said)  # was "When was <b>colic</b> born?"
    assert "born?" not in "\n".join(texts(sent))
    assert sent[-1].text.endswith(NAME_QUESTION)


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("hi, cancel", "OK, we've left that. Nothing was saved. Send /start when you're ready."),
        ("hi, stop", "OK, we've left that. Nothing was saved. Send /start when you're ready."),
        ("hi, back", f"This is the first question.\n{NAME_QUESTION}"),
    ],
)
async def test_a_hello_and_a_way_out_is_that_way_out(bot: Harness, said: str, reply: str):
    mum = TgParent(3105)
    await bot.say(mum, "/start")
    assert texts(await bot.say(mum, said)) == [reply]  # was "When was <b>cancel</b> born?"


async def test_a_hello_and_skip_at_the_name_skips_it_as_skip_does(bot: Harness):
    mum = TgParent(3106)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "hi, skip")
    assert sent[0].text.startswith("No problem: I'll call your child <b>Baby</b> for now.")


async def test_a_hello_and_a_name_with_an_age_is_both(bot: Harness):
    mum = TgParent(3107)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "hi, Leo, 8 months")  # was "Hello! What's your child's name?"
    assert sent[0].text.startswith("Thank you! That puts Leo's birthdate at about <b>29 March 2026</b>.")


async def test_a_hello_and_the_due_date_is_the_due_date(bot: Harness):
    mum = TgParent(3108)
    await to_due(bot, mum)
    sent = await bot.say(mum, "hi, 20 December 2026")  # was "Hello!" and the due date question again
    assert sent[0].text.startswith("Thank you! Mia is all set. Born 1 November 2026, due 20 December 2026")


async def test_a_hello_and_a_place_then_a_day_and_time_are_read(bot: Harness):
    mum = TgParent(3109)
    await to_time_zone(bot, mum, "Mia", "1 November 2026")
    sent = await bot.say(mum, "hi, London")  # was "Hello!" and the time zone question again
    assert sent[0].text.startswith("Time zone set: London time")
    sent = await bot.say(mum, "hey, Monday 8pm")
    assert "Tips come on Mondays at 20:00 (London time)." in sent[0].text


@pytest.mark.parametrize(
    "said", ["Colic, 3 weeks", "Reflux 3 weeks", "Separation anxiety, 9 months", "Struggling, 3 weeks"]
)
async def test_a_subject_before_an_age_is_a_question_not_a_name(bot: Harness, said: str):
    mum = TgParent(3110)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, said)  # was "That puts Colic's birthdate at about ..."
    assert len(sent) == 2
    assert "birthdate" not in sent[0].text
    assert sent[-1].text == f"{AGAIN}{NAME_QUESTION}"


async def test_a_name_before_an_age_is_still_both(bot: Harness):
    mum = TgParent(3111)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "May, 3 weeks")
    assert sent[0].text.startswith("Thank you! That puts May's birthdate at about <b>8 November 2026</b>.")


async def test_not_sure_then_a_question_at_the_birthdate_is_answered(bot: Harness):
    mum = TgParent(3112)
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    sent = await bot.say(
        mum, "no idea, is it normal she cries all the time?"
    )  # was "I need Mia's birthdate..."
    assert len(sent) == 2
    assert not sent[0].text.startswith("I need Mia's birthdate")
    assert sent[-1].text.startswith(f"{AGAIN}When was <b>Mia</b> born?")


async def test_not_sure_then_a_hedged_date_at_the_birthdate_is_that_date(bot: Harness):
    mum = TgParent(3113)
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    sent = await bot.say(mum, "not sure, I think 12 March")  # was "A close guess is fine..."
    assert sent[0].text.startswith("Was Mia born early, before the due date?")


async def test_a_hello_and_a_feeling_at_the_birthdate_is_answered_not_dropped(bot: Harness):
    mum = TgParent(3114)
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    sent = await bot.say(mum, "hi, exhausted")  # was "Hello! When was Mia born?"
    assert len(sent) == 2
    assert sent[-1].text.startswith(f"{AGAIN}When was <b>Mia</b> born?")
