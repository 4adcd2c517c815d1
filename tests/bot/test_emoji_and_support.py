"""Emoji sent alone at any question, and where to find support under the replies that have no answer, as a
parent meets them through the fake Bot API (today from the harness's clock, never the wall clock)."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.bot.support import Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent

KIND = "I'm sorry if things feel hard right now. There's no rush: we can carry on whenever you like.\n\n"
EARLY = (
    "Was Mia born early, before the due date? If so, I count the age from the due date (the corrected "
    "age), as doctors do for babies born early."
)
SUPPORT = "💛 Where to find support"


async def test_a_crying_face_at_born_early_gets_a_kind_word_and_the_question_again(bot: Harness):
    sam = TgParent(3501)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    sad = await bot.say(sam, "😢")
    assert texts(sad) == [KIND + EARLY]
    assert sad[0].button_labels == ["Yes, born early", "No"]
    assert texts(await bot.say(sam, "👍")) == ["Lovely, thank you! " + EARLY]


async def test_emoji_at_the_days_question_are_not_read_as_days(bot: Harness):
    sam = TgParent(3502)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "No")
    await bot.say(sam, "London")
    sad = await bot.say(sam, "😢")
    assert sad[0].text.startswith(KIND + "When would you like your tips? Keep <b>Sunday at 09:00</b>")
    assert "couldn't read" not in sad[0].text
    assert sad[0].button_labels[0] == "Sunday 09:00 is fine"
    heart = await bot.say(sam, "❤️")
    assert heart[0].text.startswith("Lovely, thank you! When would you like your tips?")
    # A thumbs up at "Sunday at 09:00: keep that?" keeps it.
    thumbs = await bot.say(sam, "👍")
    assert thumbs[0].text.startswith("All set!")


async def test_a_heart_is_not_a_name(bot: Harness):
    sam = TgParent(3503)
    await bot.say(sam, "/start")
    heart = await bot.say(sam, "❤️")
    assert heart[0].text.startswith("Lovely, thank you! What's your child's name?")
    assert "born" not in heart[0].text
    assert heart[0].button_labels == ["Skip for now"]


async def test_support_is_a_tap_away_under_outside_the_guidance_and_a_crying_face(
    sessions: async_sessionmaker[AsyncSession],
):
    helplines = "Samaritans: call 116 123 (free, day or night)"
    async with Harness(sessions, crisis_support_text=helplines, emergency_number="999") as bot:
        sam = TgParent(3504)
        await onboard(bot, sam)
        outside = await bot.say(sam, "what vaccines does my baby need?")
        assert "It doesn't cover" in outside[0].text
        assert outside[0].button_labels[-1] == SUPPORT
        sad = await bot.say(sam, "😢")
        assert texts(sad) == [
            "I'm sorry if things feel hard right now. You can write to me whenever you like, and your own "
            "doctor, midwife or health visitor is there for you too."
        ]
        assert sad[0].button_labels == [SUPPORT]
        support = await bot.tap(sam, SUPPORT)
        assert helplines in support[0].text
        assert "If you or anyone else is in danger right now, call 999." in support[0].text
