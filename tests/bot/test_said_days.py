"""Days and times said together, or a day typed where the time was asked, through the fake Bot API: the
parent is understood instead of being asked the same question again."""

from datetime import time

import pytest

from bot.conversation.formats import read_day_and_time, read_days, said_a_date
from tests.bot.support import Harness, texts, to_time_zone
from tests.fake_telegram import Parent as TgParent


async def at_the_day_question(bot: Harness, parent: TgParent) -> None:
    await to_time_zone(bot, parent, "Mia", "15 March 2026")
    asked = await bot.say(parent, "London")
    assert "when would you like your tips?" in asked[0].text


@pytest.mark.parametrize(
    ("said", "when"),
    [
        ("Saturday at 8:30am", "Saturdays at 08:30"),
        ("8:30 on saturday", "Saturdays at 08:30"),
        ("sat 7pm please", "Saturdays at 19:00"),
        ("every sunday at 7 in the evening", "Sundays at 19:00"),
        ("monday morning", "Mondays at 09:00"),
    ],
)
async def test_a_day_and_a_time_in_one_message_set_both(bot: Harness, said: str, when: str):
    sam = TgParent(3501)
    await at_the_day_question(bot, sam)
    done = await bot.say(sam, said)
    assert done[0].text.startswith("All set!")
    assert f"Tips come on {when} (London time)." in done[0].text


async def test_a_day_typed_at_the_time_question_changes_the_day_and_asks_the_time_again(bot: Harness):
    sam = TgParent(3502)
    await at_the_day_question(bot, sam)
    await bot.tap(sam, "Mon")
    asked = await bot.say(sam, "actually saturday")
    assert texts(asked)[0].startswith("Saturdays it is.\n\nWhat time of day?")
    assert "07:00" in asked[0].button_labels
    done = await bot.say(sam, "half 8 in the morning")
    assert "Tips come on Saturdays at 08:30 (London time)." in done[0].text


async def test_a_day_and_a_time_at_the_time_question_set_both(bot: Harness):
    sam = TgParent(3503)
    await at_the_day_question(bot, sam)
    await bot.tap(sam, "Mon")
    done = await bot.say(sam, "Friday at 7pm")
    assert "Tips come on Fridays at 19:00 (London time)." in done[0].text


async def test_a_day_and_an_hour_that_could_be_either_asks_which(bot: Harness):
    sam = TgParent(3504)
    await at_the_day_question(bot, sam)
    asked = await bot.say(sam, "saturday at 6")
    assert texts(asked) == ["Do you mean 06:00 or 18:00?"]
    done = await bot.tap(sam, "18:00")
    assert "Tips come on Saturdays at 18:00 (London time)." in done[0].text


async def test_what_is_neither_a_day_nor_a_time_is_asked_again_with_its_buttons(bot: Harness):
    sam = TgParent(3505)
    await at_the_day_question(bot, sam)
    await bot.tap(sam, "Mon")
    asked = await bot.say(sam, "sometime later")
    assert texts(asked)[0].startswith("I couldn't read “sometime later” as a time.")
    assert "09:00" in asked[0].button_labels


async def test_a_day_typed_at_the_time_question_in_settings_moves_the_next_tip_at_once(bot: Harness):
    """Leaving the time question after typing a day keeps the new day, and the next tip comes on it."""
    from tests.bot.support import onboard

    sam = TgParent(3506)
    await onboard(bot, sam)
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    await bot.say(sam, "actually monday")
    shown = await bot.say(sam, "/settings")
    assert "Tips come on Mondays at 09:00 (London time). The next one comes on Monday" in shown[0].text


async def test_a_day_typed_while_morning_or_evening_is_asked_says_so(bot: Harness):
    sam = TgParent(3507)
    await at_the_day_question(bot, sam)
    await bot.tap(sam, "Mon")
    assert texts(await bot.say(sam, "3")) == ["Do you mean 03:00 or 15:00?"]
    asked = await bot.say(sam, "actually saturday")
    assert texts(asked) == ["Saturdays it is.\n\nDo you mean 03:00 or 15:00?"]


@pytest.mark.parametrize("said", ["the 5th", "friday 25", "on the 12th", "12 March"])
async def test_a_date_at_the_day_question_is_asked_again_kindly(bot: Harness, said: str):
    sam = TgParent(3520)
    await at_the_day_question(bot, sam)
    asked = await bot.say(sam, said)
    assert texts(asked)[0].startswith(
        f"Tips come on days of the week rather than on dates, so I can't use “{said}”.\n\n"
        "When would you like your tips? Keep <b>Sunday at 09:00</b>, or pick another day."
    )
    assert "Sunday 09:00 is fine" in asked[0].button_labels
    parent = await bot.parent_row(3520)
    assert parent is not None
    assert parent.tip_days == "6"  # nothing was guessed: still Sundays


async def test_a_range_of_days_gives_every_day_in_it(bot: Harness):
    sam = TgParent(3521)
    await at_the_day_question(bot, sam)
    asked = await bot.say(sam, "mon-fri")
    assert texts(asked)[0].startswith("I send one to three tips a week")  # five days, not Monday and Friday
    done = await bot.say(sam, "Monday to Wednesday at 8pm")
    assert "Tips come on Mondays, Tuesdays and Wednesdays at 20:00 (London time)." in done[0].text


@pytest.mark.parametrize(
    ("said", "days"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("Mon – Wed", {0, 1, 2}),
        ("friday to monday", {4, 5, 6, 0}),
        ("tue and thu", {1, 3}),
        ("weekends", {5, 6}),
        ("the 5th", None),  # a date, not Thursday
        ("fri 25th", None),
        ("friday 25", None),  # the 25 is not dropped
        ("mon-wed-fri", {0, 2, 4}),  # a row of dashes is a list, not a range
        ("Mon - Wed - Fri", {0, 2, 4}),
    ],
)
def test_read_days(said: str, days: set[int] | None):
    assert read_days(said) == (frozenset(days) if days is not None else None)


def test_may_is_a_word_not_a_month():
    assert not said_a_date("mon or wed, may change later")
    assert said_a_date("12 March")


def test_a_day_and_time_keeps_every_number():
    assert read_day_and_time("friday 25") is None
    both = read_day_and_time("mon-wed at 8pm")
    assert both is not None
    assert both[0] == frozenset({0, 1, 2})
    assert both[1] is not None
    assert both[1].at == time(20, 0)
