"""What a review of the walkthrough fixes found, told as the parent met it: a sentence about the child taken
for the name, guilt or worry taken for a correction, feelings taken for a place, the child's routine taken for
the tips' schedule, what is said with a yes at "Carry on?", and weeks of pregnancy read as weeks early."""

import pytest

from tests.bot.support import Harness, texts
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
