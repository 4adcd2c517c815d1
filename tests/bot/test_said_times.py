"""Tip times said the way parents say them, through the fake Bot API: morning or evening is judged on the
hour as said, an hour that could be either is asked back (in figures, in words, or as "half six"), and "at
night" never turns 1 into 13:00."""

import pytest

from tests.bot.support import Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent


async def at_the_time_question(bot: Harness, parent: TgParent) -> None:
    await bot.say(parent, "/settings")
    await bot.tap(parent, "🕘 Time")


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("1 at night", "01:00"),
        ("11 at night", "23:00"),
        ("9 at night", "21:00"),
        ("quarter to seven", "06:45"),
        ("half past seven", "07:30"),
        ("seven o'clock", "07:00"),
        ("seven", "07:00"),
        ("half seven", "07:30"),
        ("half six in the evening", "18:30"),
    ],
)
async def test_a_time_said_in_words_is_read_on_the_hour_as_said(bot: Harness, said: str, read: str):
    sam = TgParent(3401)
    await onboard(bot, sam)
    await at_the_time_question(bot, sam)
    done = await bot.say(sam, said)
    assert done[0].text.startswith(f"Done. Tips come on Sundays at {read} (London time).")


@pytest.mark.parametrize(
    ("said", "morning", "evening"),
    [
        ("half past six", "06:30", "18:30"),
        ("half six", "06:30", "18:30"),
        ("six", "06:00", "18:00"),
        ("three o'clock", "03:00", "15:00"),
        ("quarter past four", "04:15", "16:15"),
        ("6", "06:00", "18:00"),
    ],
)
async def test_an_hour_that_could_be_morning_or_evening_is_asked_back(
    bot: Harness, said: str, morning: str, evening: str
):
    sam = TgParent(3402)
    await onboard(bot, sam)
    await at_the_time_question(bot, sam)
    asked = await bot.say(sam, said)
    assert texts(asked) == [f"Do you mean {morning} or {evening}?"]
    assert asked[0].button_labels == [morning, evening, "Leave it as it is"]
    # A greeting in between does not lose the question, minutes and all.
    assert texts(await bot.say(sam, "ok")) == [f"Do you mean {morning} or {evening}?"]
    done = await bot.tap(sam, evening)
    assert done[0].text.startswith(f"Done. Tips come on Sundays at {evening} (London time).")
