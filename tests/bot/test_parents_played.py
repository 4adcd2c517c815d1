"""Parents played through the terminal chat in session 11, told as each met the bot: how early said as a
pregnancy at term, a birthday said to be wrong after setup, a pet name typed in lower case, a parent's own
headache, and what the next fixes found."""

from sqlalchemy import select

from db.models import Child
from tests.bot.support import Harness, onboard, texts, to_born_early
from tests.fake_telegram import Parent as TgParent


async def children(bot: Harness) -> list[Child]:
    async with bot.sessions() as s:
        return list((await s.scalars(select(Child).order_by(Child.id))).all())


async def test_forty_weeks_where_how_early_was_asked_is_on_time(bot: Harness):
    dad = TgParent(1101)
    await to_born_early(bot, dad)
    await bot.tap(dad, "Yes, born early")
    sent = await bot.say(dad, "40 weeks")
    assert sent[0].text.startswith(
        "That's full term, so I'll count from the birthdate.\n\nThank you! Mia is all set."
    )
    assert "couldn't read" not in sent[0].text
    [mia] = await children(bot)
    assert mia.due_date is None


async def test_no_she_was_born_at_39_weeks_where_how_early_was_asked_is_on_time(bot: Harness):
    mum = TgParent(1102)
    await to_born_early(bot, mum)
    await bot.tap(mum, "Yes, born early")
    sent = await bot.say(mum, "no, she was born at 39 weeks")
    assert sent[0].text.startswith("That's full term")
    [mia] = await children(bot)
    assert mia.due_date is None


async def test_wrong_birthday_sorry_after_setup_offers_to_change_the_dates(bot: Harness):
    mum = TgParent(1103)
    await onboard(bot, mum)
    sent = await bot.say(mum, "wrong birthday, sorry")
    assert texts(sent) == ["No problem. To put something right about Mia, tap below."]
    assert sent[0].button_labels == ["✏️ Rename", "📅 Change dates"]
    assert "nothing to go back to" not in sent[0].text


async def test_my_son_teddy_in_lower_case_is_his_name(bot: Harness):
    dad = TgParent(1104)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, "my son teddy")
    assert sent[0].text.startswith("When was teddy born?")
    await bot.say(dad, "1 September 2026")
    await bot.tap(dad, "No")
    assert [c.name for c in await children(bot)] == ["teddy"]


async def test_my_son_is_shy_is_still_no_name(bot: Harness):
    dad = TgParent(1105)
    await bot.say(dad, "/start")
    sent = await bot.say(dad, "my son is shy")
    assert sent[-1].text.endswith("What's your child's name? A nickname is fine.")


async def test_a_headache_of_the_parent_names_their_own_doctor_once_and_never_the_childs(bot: Harness):
    mum = TgParent(1106)
    await onboard(bot, mum)
    sent = await bot.say(mum, "I've got a headache")
    text = "\n".join(texts(sent))
    assert "child's doctor" not in text
    assert text.count("your own doctor, midwife or health visitor") == 1
    assert len(text) < 1200


async def test_own_health_outside_the_guidance_names_their_own_doctor_once(bot: Harness):
    mum = TgParent(1107)
    await onboard(bot, mum)
    sent = await bot.say(mum, "I have mastitis")
    text = "\n".join(texts(sent))
    assert text.startswith("The guidance I answer from covers")
    assert "child's doctor" not in text
    assert text.count("your own doctor, midwife or health visitor") == 1
    assert "emergency number" in text
