"""What parents really type: dates said relative to today, second thoughts, a way out by words or by button,
and a calm reply to a question the guidance has nothing on. Told as a parent meets it, through the fake Bot
API; today comes from the harness's clock (Sunday 29 November 2026), never the wall clock."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Child
from tests.bot.support import Harness, onboard, texts, to_time_zone
from tests.fake_telegram import Parent as TgParent

EARLY = (
    "Was Mia born early, before the due date? If so, I count the age from the due date (the corrected "
    "age), as doctors do for babies born early."
)


async def stored(bot: Harness) -> list[tuple[str, date, date | None]]:
    async with bot.sessions() as s:
        rows = (await s.scalars(select(Child).order_by(Child.id))).all()
    return [(c.name, c.birthdate, c.due_date) for c in rows]


async def test_a_birthdate_said_relative_to_today_is_offered_back_in_full(bot: Harness):
    sam = TgParent(3101)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    offered = await bot.say(sam, "she was born last Tuesday")
    assert offered[0].text == (
        "Thank you! So Mia's birthdate is <b>Tuesday 24 November 2026</b>? If I got it wrong, just type "
        "the date."
    )
    assert offered[0].button_labels == ["Yes, use 24 November 2026", "No, I'll type it"]
    # Not that one after all: "on the 3rd" is the latest 3rd up to today.
    offered = await bot.say(sam, "no wait, born on the 3rd")
    assert offered[0].text.startswith("Thank you! So Mia's birthdate is <b>Tuesday 3 November 2026</b>?")
    assert texts(await bot.tap(sam, "Yes, use 3 November 2026")) == [EARLY]
    zones = await bot.tap(sam, "No")
    assert zones[0].text.startswith(
        "Thank you! Mia is all set. Born 3 November 2026 (to change it: /children).\n\nWhich time zone"
    )
    assert await stored(bot) == [("Mia", date(2026, 11, 3), None)]


async def test_days_ago_is_an_exact_day_not_a_guess(bot: Harness):
    sam = TgParent(3102)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    offered = await bot.say(sam, "3 days ago")
    assert offered[0].text.startswith("Thank you! So Mia's birthdate is <b>Thursday 26 November 2026</b>?")
    assert "about" not in offered[0].text


async def test_second_thoughts_about_the_birthdate_at_the_next_question_change_it(bot: Harness):
    sam = TgParent(3103)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    assert texts(await bot.say(sam, "15 March 2026")) == [EARLY]
    offered = await bot.say(sam, "actually it's the 14th of March")  # offered first, never changed silently
    assert texts(offered) == ["Change Mia's birthdate from 15 March 2026 to <b>Saturday 14 March 2026</b>?"]
    changed = await bot.tap(sam, "Yes, use 14 March 2026")
    assert texts(changed) == [f"OK, Mia's birthdate is now <b>14 March 2026</b>.\n\n{EARLY}"]
    assert changed[0].button_labels == ["Yes, born early", "No"]
    await bot.tap(sam, "No")
    assert await stored(bot) == [("Mia", date(2026, 3, 14), None)]


async def test_an_age_at_the_born_early_question_still_says_how_early_not_a_new_birthdate(bot: Harness):
    sam = TgParent(3104)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    # "6 weeks" here is not "born 6 weeks ago" but how early, the question asked: the due date offered to confirm.
    again = await bot.say(sam, "6 weeks")
    assert again[0].text.startswith("Thank you! That puts Mia's due date at about <b>26 April 2026</b>.")
    assert "birthdate is now" not in again[0].text


async def test_a_due_date_without_its_year_may_still_be_to_come(bot: Harness):
    sam = TgParent(3105)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 November")
    await bot.tap(sam, "Yes, born early")
    zones = await bot.say(sam, "20 December")  # before: read as 20 December 2025, "before the birthdate"
    assert zones[0].text.startswith(
        "Thank you! Mia is all set. Born 1 November 2026, due 20 December 2026 (to change it: /children)."
    )
    assert await stored(bot) == [("Mia", date(2026, 11, 1), date(2026, 12, 20))]


async def test_a_due_date_said_as_a_day_of_the_month_is_the_next_one_after_the_birth(bot: Harness):
    sam = TgParent(3106)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 November")
    await bot.tap(sam, "Yes, born early")
    offered = await bot.say(sam, "she was due on the 20th")
    assert offered[0].text.startswith("Thank you! So Mia's due date is <b>Friday 20 November 2026</b>?")
    await bot.tap(sam, "Yes, use 20 November 2026")
    assert await stored(bot) == [("Mia", date(2026, 11, 1), date(2026, 11, 20))]


async def test_the_skip_command_at_the_name_is_no_name_and_typed_skip_says_how_to_use_it(bot: Harness):
    sam = TgParent(3107)
    await bot.say(sam, "/start")
    skipped = await bot.say(sam, "/skip")
    assert skipped[0].text.startswith(
        "No problem: I'll call your child <b>Baby</b> for now. To change the name any time, send /children and tap ✏️ Rename.\n\n"
    )
    lea = TgParent(3108)
    await bot.say(lea, "/start")
    typed = await bot.say(lea, "skip")
    assert typed[0].text.startswith(
        "No problem: I'll call your child <b>Baby</b> for now. To change the name any time, send /children and tap ✏️ Rename. If your child really is called Skip, "
        "send <i>their name is Skip</i>.\n\n"
    )


async def test_a_question_with_no_answer_is_calm_and_support_is_a_tap_away(
    sessions: async_sessionmaker[AsyncSession],
):
    helplines = "Samaritans: call 116 123 (free, day or night)"
    async with Harness(sessions, crisis_support_text=helplines, emergency_number="999") as bot:
        sam = TgParent(3109)
        await onboard(bot, sam)
        lost = await bot.say(sam, "what's the capital of France?")
        assert lost[0].text.startswith("I couldn't find that in the guidance I answer from")
        # One calm clause with the operator's number; the helplines wait behind the button.
        assert lost[0].text.endswith(
            "If something about your child's health or development worries you, your child's doctor is the "
            "best person to ask.\nAnd if things feel hard for you, your own doctor, midwife or health visitor "
            "is there for you too. If anyone is in danger right now, call 999."
        )
        assert helplines not in lost[0].text
        assert len(lost[0].text) < 1200
        assert lost[0].button_labels == ["💛 Where to find support"]
        support = await bot.tap(sam, "💛 Where to find support")
        assert support[0].text.startswith("<b>Here's where to find support.</b>")
        assert helplines in support[0].text
        assert "If you or anyone else is in danger right now, call 999." in support[0].text
        assert len(support[0].text) < 1200

        # Before /start too, with the invitation to set up.
        ava = TgParent(3110)
        before = await bot.say(ava, "what's the capital of France?")
        assert before[0].button_labels == ["💛 Where to find support"]
        assert (await bot.tap(ava, "💛 Where to find support"))[0].text == support[0].text


async def test_an_answer_a_step_cannot_read_asks_again_with_its_buttons(bot: Harness):
    sam = TgParent(3111)
    await bot.say(sam, "/start")
    too_long = await bot.say(sam, "M" * 41)
    assert too_long[0].button_labels == ["Skip for now"]
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "No")
    await bot.say(sam, "London")
    days = await bot.say(sam, "whenever")
    assert days[0].text.startswith(
        "I couldn't read “whenever” as days of the week.\n\nWhen would you like your tips?"
    )
    assert days[0].button_labels[0] == "Sunday 09:00 is fine"
    times = await bot.say(sam, "weekends")
    assert times[0].text.startswith("What time of day?")
    again = await bot.say(sam, "noonish")
    assert again[0].text.startswith("I couldn't read “noonish” as a time.\n\nWhat time of day?")
    assert again[0].button_labels[-1] == "Skip: keep 09:00"
    done = await bot.tap(sam, "19:00")
    assert "Tips come on Saturdays and Sundays at 19:00" in done[0].text

    await bot.say(sam, "/settings")
    await bot.tap(sam, "🔢 Tips a week")
    four = await bot.say(sam, "4")
    assert four[0].text.startswith("I send one to three tips a week")
    assert four[0].button_labels == ["1 a week", "2 a week", "3 a week", "Leave it as it is"]


async def test_a_place_said_in_a_sentence_at_the_time_zone_question_is_the_answer(bot: Harness):
    sam = TgParent(3112)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    sent = await bot.say(sam, "I'm in Manchester")
    assert sent[0].text.startswith("Time zone set: Manchester")


async def test_the_date_typed_after_the_offer_to_carry_on_carries_on(bot: Harness):
    sam = TgParent(3113)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "/start")  # "We were adding Mia, and I still need to know the birthdate. Carry on?"
    assert texts(await bot.say(sam, "15 March 2026")) == [EARLY]


async def test_cancelling_the_very_first_question_points_back_to_start(bot: Harness):
    sam = TgParent(3114)
    await bot.say(sam, "/start")
    assert texts(await bot.say(sam, "cancel")) == [
        "OK, we've left that. Nothing was saved. Send /start when you're ready."
    ]


async def test_a_question_at_the_erase_confirmation_asks_again_and_erases_nothing(bot: Harness):
    sam = TgParent(3115)
    await onboard(bot, sam)
    await bot.say(sam, "/deletedata")
    again = await bot.say(sam, "wait, what does this delete?")
    assert again[0].text.startswith(
        "Nothing is erased unless you tap “Yes, erase everything”.\n\nThis erases everything I store about you"
    )
    assert again[0].button_labels == ["Yes, erase everything", "No, keep it"]
    assert await bot.parent_row(3115) is not None
    assert texts(await bot.tap(sam, "No, keep it")) == ["OK, nothing was deleted."]


async def test_an_emoji_or_i_dont_know_is_answered_kindly_not_taken_as_a_name_or_a_question(bot: Harness):
    sam = TgParent(3116)
    await bot.say(sam, "/start")
    sad = await bot.say(sam, "😢")
    assert texts(sad) == [
        "I'm sorry if things feel hard right now. There's no rush: we can carry on whenever you like.\n\n"
        "What's your child's name? A nickname is fine."
    ]
    assert texts(await bot.say(sam, "👍")) == [
        "Lovely, thank you! What's your child's name? A nickname is fine."
    ]
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "No")
    await bot.say(sam, "London")
    await bot.tap(sam, "Sunday 09:00 is fine")
    assert texts(await bot.say(sam, "😢")) == [
        "I'm sorry if things feel hard right now. You can write to me whenever you like, and your own doctor, "
        "midwife or health visitor is there for you too."
    ]
    assert texts(await bot.say(sam, "I don't know")) == [
        "OK, nothing has changed. Ask me anything when you're ready, or send /help."
    ]


async def test_a_time_said_in_words_is_read_and_a_bare_hour_still_asked(bot: Harness):
    sam = TgParent(3117)
    await onboard(bot, sam)
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    done = await bot.say(sam, "half past seven in the evening")
    assert done[0].text.startswith("Done. Tips come on Sundays at 19:30 (London time).")
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    assert texts(await bot.say(sam, "3 o'clock")) == ["Do you mean 03:00 or 15:00?"]
    done = await bot.tap(sam, "15:00")
    assert done[0].text.startswith("Done. Tips come on Sundays at 15:00")
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    done = await bot.say(sam, "quarter to 8")
    assert done[0].text.startswith("Done. Tips come on Sundays at 07:45")
