"""The time zone step as a parent meets it: typed the way parents say it, confirmed in plain words with the
clock now, a choice when it could mean several places, and the buttons again when nothing fits."""

from tests.bot.support import Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent

COMMON = ["London", "Berlin", "New York", "Chicago", "Los Angeles", "Kolkata", "Singapore", "Sydney"]
ASK_DAYS = "Last thing: when would you like your tips?"


async def at_the_zone_step(bot: Harness, parent: TgParent) -> None:
    await bot.say(parent, "/start")
    await bot.say(parent, "Mia")
    await bot.say(parent, "15 March 2026")
    asked = await bot.tap(parent, "No")
    assert "Which time zone are you in?" in asked[0].text


async def test_a_city_with_its_accent_is_confirmed_with_its_clock(bot: Harness):
    sam = TgParent(701)
    await at_the_zone_step(bot, sam)
    days = await bot.say(sam, "sao paulo")
    assert days[0].text.startswith(f"Time zone set: São Paulo time, now 07:00.\n\n{ASK_DAYS}")
    done = await bot.tap(sam, "Sunday 09:00 is fine")
    assert texts(done) == [  # it is 07:00 there: today's tip is still to come, so no tip now as well
        "All set! The first idea for Mia comes later today.\nTips come on Sundays at 09:00 (São Paulo time). "
        "The next one comes on Sunday 29 November at 09:00.\nAsk me anything, or send /help."
    ]
    parent = await bot.parent_row(701)
    assert parent is not None
    assert parent.time_zone == "America/Sao_Paulo"
    assert parent.next_due_at is not None
    assert parent.next_due_at.isoformat() == "2026-11-29T12:00:00+00:00"


async def test_gmt_plus_two_means_two_hours_ahead_and_says_it_is_fixed(bot: Harness):
    sam = TgParent(702)
    await at_the_zone_step(bot, sam)
    days = await bot.say(sam, "GMT+2")
    assert days[0].text.startswith(
        "Time zone set: UTC+2, now 12:00. That is a fixed offset: it won't change for daylight saving, so "
        f"if your clocks do, send me your city instead.\n\n{ASK_DAYS}"
    )
    done = await bot.tap(sam, "Sunday 09:00 is fine")
    assert done[0].text.startswith(
        "All set! Here's a first idea to try with Mia now.\nTips come on Sundays at 09:00 (UTC+2 time)."
    )
    parent = await bot.parent_row(702)
    assert parent is not None
    assert parent.time_zone == "Etc/GMT-2"  # POSIX writes UTC+2 with the other sign
    assert parent.next_due_at is not None
    assert parent.next_due_at.isoformat() == "2026-12-06T07:00:00+00:00"


async def test_an_abbreviation_with_one_meaning(bot: Harness):
    sam = TgParent(703)
    await at_the_zone_step(bot, sam)
    days = await bot.say(sam, "PST")
    assert days[0].text.startswith(f"Time zone set: Los Angeles time, now 02:00.\n\n{ASK_DAYS}")


async def test_ist_is_a_choice_of_three_countries(bot: Harness):
    sam = TgParent(704)
    await at_the_zone_step(bot, sam)
    choose = await bot.say(sam, "IST")
    assert texts(choose) == ["Which one do you mean?"]
    assert choose[0].buttons == [
        [("Kolkata, India", "f:tz:Asia/Kolkata")],
        [("Dublin, Ireland", "f:tz:Europe/Dublin")],
        [("Jerusalem, Israel", "f:tz:Asia/Jerusalem")],
    ]
    days = await bot.tap(sam, "Jerusalem, Israel")
    assert days[0].text.startswith(f"Time zone set: Jerusalem time, now 12:00.\n\n{ASK_DAYS}")


async def test_a_miss_shows_the_zone_buttons_again(bot: Harness):
    sam = TgParent(705)
    await at_the_zone_step(bot, sam)
    missed = await bot.say(sam, "Xyzzy")
    assert missed[0].text.startswith(
        "I couldn't find a time zone for “Xyzzy”.\n\nWhich time zone are you in? Tap one, or type your city"
    )
    assert missed[0].button_labels == [*COMMON, "Skip: keep UTC time"]
    days = await bot.tap(sam, "Berlin")
    assert days[0].text.startswith(f"Time zone set: Berlin time, now 11:00.\n\n{ASK_DAYS}")


async def test_etc_gmt_names_are_explained_and_asked(bot: Harness):
    sam = TgParent(706)
    await at_the_zone_step(bot, sam)
    ask = await bot.say(sam, "Etc/GMT+2")
    assert texts(ask) == [
        "Careful: despite its name, Etc/GMT+2 is UTC-2, not UTC+2 (those names count the other way round). "
        "Which do you mean?"
    ]
    assert ask[0].buttons == [[("UTC+2", "f:tz:UTC+2")], [("UTC-2", "f:tz:UTC-2")]]
    days = await bot.tap(sam, "UTC-2")
    assert days[0].text.startswith("Time zone set: UTC-2, now 08:00.")
    parent = await bot.parent_row(706)
    assert parent is not None
    assert parent.time_zone == "Etc/GMT+2"


async def test_settings_offer_a_fixed_zone_back_and_take_a_half_hour_offset(bot: Harness):
    sam = TgParent(707)
    await onboard(bot, sam, zone="UTC+2")
    menu = await bot.say(sam, "/settings")
    assert "\nTime zone: UTC+2\n" in menu[0].text
    asked = await bot.tap(sam, "🌍 Time zone")
    assert asked[0].buttons[0][0] == ("UTC+2", "f:tz:UTC+2")  # pressing it keeps the same zone
    assert asked[0].button_labels[1:] == [*COMMON, "Leave it as it is"]
    choose = await bot.say(sam, "+0530")
    assert choose[0].buttons == [
        [("Kolkata, India", "f:tz:Asia/Kolkata")],
        [("Colombo, Sri Lanka", "f:tz:Asia/Colombo")],
    ]
    assert texts(await bot.tap(sam, "Kolkata, India")) == [
        "Time zone set: Kolkata time, now 15:30. Tips come on Sundays at 09:00 (Kolkata time). "
        "The next one comes on Sunday 6 December at 09:00."
    ]
