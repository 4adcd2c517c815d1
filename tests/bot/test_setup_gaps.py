"""Gaps parents hit in the setup conversation (session 12), told as each met the bot: goodbyes typed the way
parents type them, a question about going taken for leaving, months that are names, a name with an age after
it, and a surname typed first."""

import pytest
from sqlalchemy import select

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
    sent = await bot.say(mum, "Have to go?")
    assert "stopped there" not in "\n".join(texts(sent))
    assert sent[-1].text.startswith("Now, back to where we were:\nWhen was <b>Mia</b> born?")


@pytest.mark.parametrize("leaving", ["brb baby crying", "need to go, baby just woke up", "gotta go!"])
async def test_leaving_with_a_reason_still_leaves(bot: Harness, leaving: str):
    mum = TgParent(3003)
    await bot.say(mum, "/start")
    await bot.say(mum, "Mia")
    assert (await bot.say(mum, leaving))[0].text == LEFT_AT_BIRTHDATE
