"""Days and times said together, or a day typed where the time was asked, through the fake Bot API: the
parent is understood instead of being asked the same question again."""

import pytest

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
