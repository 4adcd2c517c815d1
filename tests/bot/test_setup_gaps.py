"""Gaps parents hit in the setup conversation (session 12), told as each met the bot: goodbyes typed the way
parents type them, a question about going taken for leaving, months that are names, a name with an age after
it, and a surname typed first."""

import pytest
from sqlalchemy import select

from bot.core.text import esc
from db.models import Child
from tests.bot.support import Harness, texts
from tests.fake_telegram import Parent as TgParent

NAME_QUESTION = "What's your child's name? A nickname is fine."
LEFT_AT_NAME = "OK, we've left that. Nothing was saved. Send /start when you're ready."
LEFT_AT_BIRTHDATE = "OK, we've stopped there. Mia isn't saved yet: I still need to know the birthdate."


async def children(bot: Harness) -> list[Child]:
    async with bot.sessions() as s:
        return list((await s.scalars(select(Child).order_by(Child.id))).all())


@pytest.mark.parametrize("goodbye", ["Bye-bye", "bye bye", "ttyl", "gtg", "Bye-bye!", "ok gtg, baby crying"])
async def test_goodbyes_as_parents_type_them_leave_a_step_as_bye_does(bot: Harness, goodbye: str):
    mum = TgParent(3001)
    await bot.say(mum, "/start")
    assert texts(await bot.say(mum, goodbye)) == [LEFT_AT_NAME]  # was "When was Bye-bye born?"
    assert await children(bot) == []
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    sent = await bot.say(mum, goodbye)
    assert sent[0].text == LEFT_AT_BIRTHDATE  # was "I couldn't read “gtg” as a date."


async def test_a_question_about_having_to_go_is_answered_not_taken_for_leaving(bot: Harness):
    mum = TgParent(3002)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "she's crying. have to go?")
    text = "\n".join(texts(sent))
    assert "Nothing was saved" not in text  # was: the setup left
    assert sent[-1].text == f"Now, back to where we were:\n{NAME_QUESTION}"
    await bot.say(mum, "Mia")
    sent = await bot.say(
        mum, "Have to go?"
    )  # alone: a tired parent going (was a wall of text about guidance)
    assert texts(sent)[0] == LEFT_AT_BIRTHDATE


@pytest.mark.parametrize("said", ["have to go?", "sorry, have to go?"])
async def test_have_to_go_with_nothing_else_said_leaves_the_name_question(bot: Harness, said: str):
    mum = TgParent(3003)
    await bot.say(mum, "/start")
    assert texts(await bot.say(mum, said)) == [LEFT_AT_NAME]  # was "I couldn't find that in the guidance..."


@pytest.mark.parametrize("leaving", ["brb baby crying", "need to go, baby just woke up", "gotta go!"])
async def test_leaving_with_a_reason_still_leaves(bot: Harness, leaving: str):
    mum = TgParent(3003)
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    assert (await bot.say(mum, leaving))[0].text == LEFT_AT_BIRTHDATE


@pytest.mark.parametrize(
    ("said", "first", "second"), [("April and May", "April", "May"), ("June & August", "June", "August")]
)
async def test_months_that_are_names_are_twins_at_the_name_question(
    bot: Harness, said: str, first: str, second: str
):
    mum = TgParent(3004)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, said)  # was "Sorry, I didn't catch a name there." for "April and May"
    assert sent[0].text.startswith(
        f"Lovely names! {first} first; once we're done, send /addchild for {second} (I'll notice if they "
        f"share a birthday).\n\nWhen was <b>{first}</b> born?"
    )
    sent = await bot.say(mum, "May")  # at the birthdate question a month, never a name
    assert sent[0].text.startswith("I couldn't read “May” as a date.")
    sent = await bot.say(mum, "12 May 2026")
    assert sent[0].text.startswith(f"Was {first} born early")


async def test_a_month_that_is_a_name_with_a_comma_is_used_as_other_names_are(bot: Harness):
    mum = TgParent(3005)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "May, Ella")  # was "Sorry, I didn't catch a name there."
    assert sent[0].text.startswith(
        "I'll use May. If Ella is another child, send /addchild once we're done.\n\nWhen was <b>May</b> born?"
    )


async def test_rhyming_twins_are_two_children_with_and_and_one_with_a_comma(bot: Harness):
    mum = TgParent(3006)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "Ella and Bella")
    assert sent[0].text.startswith(
        "Lovely names! Ella first; once we're done, send /addchild for Bella (I'll notice if they share a "
        "birthday).\n\nWhen was <b>Ella</b> born?"
    )
    await bot.say(mum, "3 September 2026")
    await bot.tap(mum, "No")
    await bot.say(mum, "London")
    sent = await bot.tap(mum, "Sunday 09:00 is fine")
    assert "\nWhen you're ready, send /addchild for Bella." in sent[0].text
    dad = TgParent(3007)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, "Ella, Bella")
    assert sent[0].text.startswith(
        "I'll use Ella. If Bella is another child, send /addchild once we're done.\n\nWhen was <b>Ella</b> born?"
    )


@pytest.mark.parametrize(
    ("said", "name", "about"),
    [
        ("Mia, 2 weeks", "Mia", "15 November 2026"),
        ("Mia 2 weeks old", "Mia", "15 November 2026"),
        ("Leo (8 months)", "Leo", "29 March 2026"),
        ("Mary Jane, aged 3 months", "Mary Jane", "29 August 2026"),
        ("Mia, she's 8 months", "Mia", "29 March 2026"),
    ],
)
async def test_a_name_with_the_age_after_it_is_the_name_and_the_age_offered_as_a_likely_birthdate(
    bot: Harness, said: str, name: str, about: str
):
    mum = TgParent(3010)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, said)  # was "When was Mia, 2 weeks born?"
    assert texts(sent) == [
        f"Thank you! That puts {name}'s birthdate at about <b>{about}</b>. Shall I use it? A close guess is "
        "fine, or type the date if you know it."
    ]
    assert sent[0].button_labels == [f"Yes, use {about}"]
    assert await children(bot) == []  # nothing saved before the parent says yes
    await bot.tap(mum, f"Yes, use {about}")
    sent = await bot.tap(mum, "No")
    assert sent[0].text.startswith(f"Thank you! {name} is all set.")
    [child] = await children(bot)
    assert child.name == name


async def test_a_name_with_the_birthdate_after_it_is_the_name_and_the_birthdate(bot: Harness):
    dad = TgParent(3011)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, "Mia, born 15/03/2026")  # was "When was Mia, born 15/03/2026 born?"
    assert sent[0].text.startswith("Was Mia born early")
    await bot.tap(dad, "No")
    [mia] = await children(bot)
    assert (mia.name, mia.birthdate.isoformat()) == ("Mia", "2026-03-15")


async def test_an_age_without_a_name_is_still_no_name(bot: Harness):
    dad = TgParent(3012)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, "she's 8 months")
    assert sent[0].text.startswith("That looks like when your child was born: I'll ask for that next.")
    sent = await bot.say(dad, "my baby 2 weeks")
    assert "birthdate at about" not in "\n".join(texts(sent))
    assert sent[-1].text.endswith(NAME_QUESTION)


@pytest.mark.parametrize(
    ("said", "surname", "name"),
    [
        ("Smith, John", "Smith", "John"),
        ("SMITH, John", "SMITH", "John"),
        ("O'Brien, Saoirse", "O'Brien", "Saoirse"),
        ("Smith-Jones, Amelia Rose", "Smith-Jones", "Amelia Rose"),
    ],
)
async def test_a_family_name_typed_first_is_left_out_said_back_and_the_first_name_used(
    bot: Harness, said: str, surname: str, name: str
):
    dad = TgParent(3020)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, said)  # was "I'll use Smith. If John is another child, send /addchild ..."
    said_back = esc(surname)
    assert sent[0].text.startswith(
        f"I'll call your child {name}, with {said_back} as the family name. If you meant "
        f"another name, say <i>back</i>.\n\nWhen was <b>{name}</b> born?"
    )
    assert "/addchild" not in sent[0].text
    sent = await bot.say(dad, "back")
    assert sent[0].text == NAME_QUESTION
    await bot.say(dad, "Johnny")
    await bot.say(dad, "3 September 2026")
    await bot.tap(dad, "No")
    [child] = await children(bot)
    assert child.name == "Johnny"


async def test_two_first_names_with_a_comma_are_still_one_child_and_the_other_said_back(bot: Harness):
    pairs = [
        ("Noah, Ella", "Noah", "Ella"),
        ("Thomas, Tom", "Thomas", "Tom"),
        ("Harrison, Riley", "Harrison", "Riley"),  # was "I'll call your child Riley": Harrison dropped
        ("Murphy, Rose", "Murphy", "Rose"),
        ("Khan, Aisha", "Khan", "Aisha"),
        ("Kaya, Mia", "Kaya", "Mia"),
        (
            "MIA, Leo",
            "Mia",
            "Leo",
        ),  # was "I'll call your child Leo": a first word in capitals taken as a surname
        ("EVA, Mia", "Eva", "Mia"),
    ]
    for n, (said, first, other) in enumerate(pairs):
        mum = TgParent(3021 + n)
        await bot.say(mum, "/start")
        sent = await bot.say(mum, said)
        assert sent[0].text.startswith(
            f"I'll use {first}. If {other} is another child, send /addchild once we're done.\n\n"
        )


async def test_a_grandparent_naming_the_baby_with_its_age_in_a_sentence_gets_the_age_offered(bot: Harness):
    gran = TgParent(3030)
    await bot.say(gran, "/start")
    sent = await bot.say(gran, "Hello, I'm setting this up for my daughter's baby")
    assert texts(sent) == ["How lovely! What's your grandchild's name? A nickname is fine."]
    sent = await bot.say(gran, "she's called Rosie, born 3 weeks ago")  # was "When was Rosie born?"
    assert sent[0].text.startswith("Thank you! That puts Rosie's birthdate at about <b>8 November 2026</b>.")
    gramps = TgParent(3031)
    await bot.say(gramps, "/start")
    sent = await bot.say(gramps, "we call him Alfie, he's 8 weeks")
    assert sent[0].text.startswith("Thank you! That puts Alfie's birthdate at about <b>4 October 2026</b>.")


@pytest.mark.parametrize("unsure", ["not sure, my daughter would know", "no idea, I'll ask my son"])
async def test_a_grandparent_unsure_of_the_birthdate_is_told_a_guess_or_an_age_will_do(
    bot: Harness, unsure: str
):
    gran = TgParent(3032)
    await bot.say(gran, "/start")
    await bot.say(gran, "Rosie")
    sent = await bot.say(gran, unsure)  # was "I couldn't read “not sure, my daughter would know” as a date."
    assert "couldn't read" not in sent[0].text
    assert sent[0].text.startswith(
        "I need Rosie's birthdate to fit the tips to Rosie's age. A close guess is fine (like <i>1 March 2026</i>), "
        "or tell me Rosie's age (like <i>4 months</i>)."
    )
    sent = await bot.say(gran, "not sure, about 3 weeks ago")  # the guess after it is read
    assert sent[0].text.startswith("Thank you! That puts Rosie's birthdate at about <b>8 November 2026</b>.")


async def test_unsure_of_the_due_date_in_a_sentence_asks_again_never_skipped_silently(bot: Harness):
    mum = TgParent(3033)
    await bot.say(mum, "/start")
    await bot.say(mum, "Rosie")
    await bot.say(mum, "1 November 2026")
    await bot.tap(mum, "Yes, born early")
    sent = await bot.say(mum, "not sure, I'll have to check the red book")
    assert sent[0].text.startswith("No problem, a close guess is fine. What was the due date?")
    sent = await bot.say(mum, "skip")  # a plain skip leaves it out, and says so
    assert sent[0].text.startswith(
        "Thank you! Rosie is all set. Born 1 November 2026. I've left the due date out for now"
    )


@pytest.mark.parametrize(
    "said", ["hiya, we have twin girls, they came at 32 weeks", "twin boys!", "we've got twin baby girls"]
)
async def test_twin_girls_or_boys_at_the_name_question_are_taken_one_at_a_time(bot: Harness, said: str):
    mum = TgParent(3040)
    await bot.say(mum, "/start")
    sent = await bot.say(
        mum, said
    )  # was "I couldn't find that in the guidance ..." and the name question again
    assert texts(sent) == [
        "How lovely! I'll take them one at a time: tell me about one now, and once we're done, send /addchild "
        "for the next (I'll notice they share a birthday).\n\nWhat's the first one's name? A nickname is fine."
    ]
    sent = await bot.say(mum, "Isla and Skye")
    assert sent[0].text.startswith("Lovely names! Isla first; once we're done, send /addchild for Skye")


async def test_my_twin_sister_is_still_one_child(bot: Harness):
    mum = TgParent(3041)
    await bot.say(mum, "/start")
    sent = await bot.say(mum, "my twin sister helped name her Mia")
    assert sent[0].text.startswith("When was <b>Mia</b> born?")


async def test_a_dad_saying_hello_and_who_he_is_gets_a_hello_and_the_name_question(bot: Harness):
    dad = TgParent(3050)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, "hey. dad here, mum's asleep lol")  # read as it would be alone: no name in it
    assert sent[-1].text.endswith(NAME_QUESTION)
    assert "born?" not in "\n".join(texts(sent))
    sent = await bot.say(dad, "hi, Alfie")  # was a hello to a question, and the name question again
    assert texts(sent)[0].startswith("When was <b>Alfie</b> born?")
    sent = await bot.say(dad, "hello. he's 8 weeks")
    assert sent[0].text.startswith("Thank you! That puts Alfie's birthdate at about <b>4 October 2026</b>.")


async def test_a_question_after_a_hello_at_a_setup_question_is_still_answered(bot: Harness):
    dad = TgParent(3051)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, "hi, is it normal she cries when I leave?")
    assert len(sent) == 2
    assert sent[-1].text == f"Now, back to where we were:\n{NAME_QUESTION}"
    sent = await bot.say(dad, "hi, thanks")  # no name in it: the thanks, as alone
    assert texts(sent) == [f"You're welcome! {NAME_QUESTION}"]
