"""A parent who has lost a baby, or someone close, as they see it in the chat: sorrow first, their own care and
bereavement charities, nothing else; before /start, after setup, at a setup question (kept, nothing taken as a
name or a date), while paused; a wish to die beside the loss still gets the crisis words."""

from __future__ import annotations

import html
import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Parent
from tests.bot.support import Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent

SUPPORT = "Samaritans: call 116 123 (free, day & night)\nShout: text SHOUT to 85258"
ASK_NAME = "What's your child's name? A nickname is fine."
ASK_BIRTHDATE = "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
SORRY_BABY = "<b>I'm so sorry about your baby.</b>\n"
SORRY_LOSS = "<b>I'm so sorry for your loss.</b>\n"
FIRST_LOSS = (
    SORRY_BABY + "There's no right way to feel after losing a baby, and no timetable for it. Whatever you're "
    "feeling is OK.\n\n"
    "Your own doctor, midwife or health visitor is there for you, whenever you're ready to talk. There are also "
    "bereavement charities for parents who have lost a baby, where you can talk to people who understand.\n\n"
    "If it ever feels too much to bear, or you think of harming yourself, call your local emergency number or a "
    "crisis line straight away.\n\n"
)
PAUSE = "If you'd like a break from my tips, you can pause them any time with /pause."
CLOSER = "You can keep writing to me whenever you like."
CRISIS_START = "<b>I'm really glad you told me. You don't have to carry this alone.</b>"
WHERE_TO_FIND_SUPPORT = "💛 Where to find support"
# What the ordinary replies and the wellbeing reply say, that a bereaved parent must never read.
NEVER = ("couldn't find", "How lovely", "From the guidance", "Talk and sing", "child's doctor", "?")


def seen(text: str) -> str:
    """What Telegram shows for our HTML."""
    return html.unescape(re.sub(r"</?[a-z]+>", "", text))


def kind_only(text: str) -> None:
    for unwanted in NEVER:
        assert unwanted not in text
    assert len(text) < 1200


async def test_a_stillbirth_before_start_is_met_with_sorrow_and_nothing_is_stored(bot: Harness):
    sam = TgParent(401, "Sam")
    sent = await bot.say(sam, "our baby was stillborn last month")
    assert [message.text for message in sent] == [FIRST_LOSS + CLOSER]
    assert sent[0].buttons == []  # no helplines set by the operator: nothing to tap to
    kind_only(sent[0].text)
    assert await bot.count(Parent) == 0


async def test_after_setup_the_reply_says_tips_can_be_paused_and_a_repeat_is_worded_differently(bot: Harness):
    sam = TgParent(402, "Sam")
    await onboard(bot, sam)
    first = texts(await bot.say(sam, "we lost our baby at 20 weeks and I can't stop crying"))
    assert first == [FIRST_LOSS + PAUSE + "\n\n" + CLOSER]
    again = texts(await bot.say(sam, "I had a miscarriage and I can't stop thinking about it"))
    assert len(again) == 1
    assert again[0].startswith(SORRY_BABY)
    assert again[0] != first[0]
    assert PAUSE in again[0]
    kind_only(again[0])
    parent = await bot.parent_row(402)
    assert parent is not None
    assert parent.distress_about == "grief:2"  # the kind of worry and a count, never the words


async def test_while_paused_a_loss_says_nothing_about_tips(bot: Harness):
    sam = TgParent(403, "Sam")
    await onboard(bot, sam)
    await bot.say(sam, "/pause")
    await bot.tap(sam, "Until I resume")
    sent = texts(await bot.say(sam, "our son passed away in the NICU three weeks ago"))
    assert sent[0].startswith(SORRY_BABY)
    assert "/pause" not in sent[0]


async def test_at_the_name_question_a_loss_is_no_name_and_the_step_is_kept(bot: Harness):
    sam = TgParent(404, "Sam")
    assert texts(await bot.say(sam, "/start"))[-1] == ASK_NAME
    sent = texts(await bot.say(sam, "our baby was stillborn last month"))
    assert sent == [FIRST_LOSS + CLOSER]  # no child yet, so no tips to pause
    parent = await bot.parent_row(404)
    assert parent is not None
    assert parent.flow == "name"
    assert "stillborn" not in str(parent.flow_data)
    assert texts(await bot.say(sam, "Mia")) == [ASK_BIRTHDATE]


async def test_at_the_birthdate_question_a_loss_is_no_date(bot: Harness):
    sam = TgParent(405, "Sam")
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    sent = texts(await bot.say(sam, "we lost her twin at 20 weeks"))
    assert len(sent) == 1
    assert sent[0].startswith(SORRY_BABY)
    parent = await bot.parent_row(405)
    assert parent is not None
    assert parent.flow == "birthdate"
    assert texts(await bot.say(sam, "15 March 2026"))[0].startswith("Was Mia born early")


async def test_the_loss_of_someone_close_is_met_with_sorrow_for_the_loss(bot: Harness):
    sam = TgParent(406, "Sam")
    await onboard(bot, sam)
    sent = texts(await bot.say(sam, "my mum died last month and I can barely cope"))
    assert len(sent) == 1
    assert sent[0].startswith(SORRY_LOSS)
    assert "bereavement charities" in sent[0]
    assert "lost a baby" not in sent[0]
    kind_only(sent[0])


async def test_with_the_operators_helplines_they_are_a_tap_away(sessions: async_sessionmaker[AsyncSession]):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(407, "Sam")
        sent = await bot.say(sam, "we lost our baby")
        assert sent[0].text.startswith(SORRY_BABY)
        assert SUPPORT not in seen(sent[0].text)  # the helplines are not pasted under the sorrow
        assert sent[0].button_labels == [WHERE_TO_FIND_SUPPORT]
        support = await bot.tap(sam, WHERE_TO_FIND_SUPPORT)
        assert SUPPORT in seen(support[0].text)


async def test_a_wish_to_die_beside_a_loss_gets_the_crisis_words(sessions: async_sessionmaker[AsyncSession]):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(408, "Sam")
        sent = texts(await bot.say(sam, "we lost our baby and I don't want to live anymore"))
        assert len(sent) == 1
        assert sent[0].startswith(CRISIS_START)
        assert seen(sent[0]).split("\n\n")[1] == SUPPORT
        assert "sorry about your baby" not in sent[0]


async def test_a_baby_who_died_a_while_ago_is_no_emergency(sessions: async_sessionmaker[AsyncSession]):
    async with Harness(sessions, emergency_number="999") as bot:
        sam = TgParent(409, "Sam")
        grief = texts(await bot.say(sam, "my baby died last month"))[0]
        assert grief.startswith(SORRY_BABY)
        assert "Call 999 now" not in grief
        # Said with no time, or with signs of now, it is still an emergency.
        now = texts(await bot.say(sam, "my baby died, he's not breathing, help"))[0]
        assert now.startswith("<b>Call 999 now.</b>")


async def test_look_alikes_of_a_loss_get_ordinary_replies(bot: Harness):
    sam = TgParent(410, "Sam")
    await onboard(bot, sam)
    for message in (
        "we lost his dummy",
        "we lost the baby monitor",
        "she lost her first tooth",
        "my phone died",
        "good grief, she's finally asleep",
        "my goldfish died and she asked where it went",
    ):
        for reply in texts(await bot.say(sam, message)):
            assert "sorry about your baby" not in reply
            assert "sorry for your loss" not in reply
    parent = await bot.parent_row(410)
    assert parent is not None
    assert parent.distress_about is None  # no reply to distress went out


async def test_a_past_loss_beside_a_question_gets_a_short_kind_word_then_the_answer(bot: Harness):
    sam = TgParent(411, "Sam")
    await onboard(bot, sam)
    sent = texts(
        await bot.say(
            sam,
            "after our miscarriage last year I'm so protective of my rainbow baby, is it ok to hold her all the time?",
        )
    )
    assert len(sent) == 2
    assert sent[0] == (
        SORRY_BABY
        + "There's no right way to feel after losing a baby, and no timetable for it. Whatever you're "
        "feeling is OK.\n\nYour own doctor, midwife or health visitor is there for you, whenever you're ready to "
        "talk. If it ever feels too much to bear, or you think of harming yourself, call your local emergency "
        "number or a crisis line straight away."
    )
    assert "<b>Mia</b>" in sent[1]  # the ordinary answer, for the parent's child
    assert "sorry" not in sent[1]
    assert "own doctor" not in sent[1]


# Session 12's review: what a parent reads for the messages the reviewer found wrong.
JUST_NOW = (
    "my baby died 5 minutes ago",
    "I think my baby died a few minutes ago, he's cold",
    "my baby died in my arms at home an hour ago",
    "my baby died 2 hours ago and I don't know what to do",
    "my baby died in the nicu just now",
    "our baby died at the hospital an hour ago",
    "my baby died this morning",
    "my baby passed away",
    "my baby passed away in his sleep",
    "my newborn died in hospital",
)
NOT_THEIR_LOSS = (
    "I'm 10 weeks pregnant and terrified of miscarriage, is it normal to worry this much?",
    "can carrying my toddler while pregnant cause a miscarriage?",
    "my toddler asked what a miscarriage is after hearing me on the phone",
    "my friend's miscarriage has made me so anxious about my own pregnancy",
    "the doctor ruled out an ectopic pregnancy, now I'm 30 weeks, how can I bond with the bump?",
    "we had an ectopic scare but it was fine, how do I bond with the bump",
    "the midwife said the pregnancy was ectopic-free, all fine, how do I settle her",
    "he was born still a bit jaundiced, is that why he's sleepy",
    "she was born still in her sac, the midwife said it was lucky",
    "still born yesterday? no she was born on time",
    "we lost our first football match and my son cried all the way home",
    "my twin died when we were born, now I have twins, how do I bond with both",
    "my sister is pregnant again after a miscarriage, how can I help my toddler understand a new cousin is coming",
    "she hates her car seat, it's grief every journey",
    "grief, she never sleeps",
    "my toddler is grieving the dog, how do I help him",
    "my son is grieving his old nanny who left, is that normal?",
    "our nanny quit and I'm grieving a bit, how do I help my toddler adjust",
    "my mum is grieving my dad, she helps with the baby, how do I support her",
)


async def test_a_baby_who_died_just_now_or_with_no_time_said_is_an_emergency(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, emergency_number="999") as bot:
        sam = TgParent(420, "Sam")
        for message in JUST_NOW:
            first = texts(await bot.say(sam, message))[0]
            assert first.startswith("<b>Call 999 now.</b>"), message
            assert "sorry about your baby" not in first


async def test_a_loss_a_while_ago_or_after_the_milk_came_in_is_grief_not_an_emergency(bot: Harness):
    sam = TgParent(421, "Sam")
    for message in ("my milk came in after my baby died", "our baby died in the nicu 3 weeks ago"):
        first = texts(await bot.say(sam, message))[0]
        assert first.startswith(SORRY_BABY), message
        assert "Call " not in first.split("\n")[0]


async def test_a_parent_whose_baby_is_alive_is_never_told_sorry_about_your_baby(bot: Harness):
    sam = TgParent(422, "Sam")
    await onboard(bot, sam)
    for message in NOT_THEIR_LOSS:
        for reply in texts(await bot.say(sam, message)):
            assert "sorry about your baby" not in reply, message
            assert "sorry for your loss" not in reply, message


async def test_every_wording_of_the_grief_reply_keeps_a_safety_line(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, emergency_number="999") as bot:
        sam = TgParent(423, "Sam")
        await onboard(bot, sam)
        for message in (
            "I had a miscarriage yesterday",
            "we lost our baby at 12 weeks last week",
            "our baby was stillborn last month",
        ):
            sent = texts(await bot.say(sam, message))
            assert sent[0].startswith(SORRY_BABY)
            assert "If it ever feels too much to bear, or you think of harming yourself, call 999" in sent[0]
            kind_only(sent[0])


async def test_the_support_after_a_loss_leads_with_the_parents_own_care(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(424, "Sam")
        sent = await bot.say(sam, "I had a miscarriage yesterday")
        assert sent[0].button_labels == [WHERE_TO_FIND_SUPPORT]
        support = seen((await bot.tap(sam, WHERE_TO_FIND_SUPPORT))[0].text)
        assert support.split("\n\n")[1].startswith("Your own doctor, midwife or health visitor")
        assert "child's doctor" not in support
        assert SUPPORT in support


async def test_a_question_about_a_living_child_after_a_loss_long_past_gets_the_ordinary_reply(bot: Harness):
    sam = TgParent(425, "Sam")
    await onboard(bot, sam)
    for message in (
        "I had two miscarriages before my son, how do I get him to nap?",
        "my mum died years ago and I'm struggling with my toddler's tantrums",
    ):
        sent = texts(await bot.say(sam, message))
        assert sent, message
        for reply in sent:
            assert "sorry" not in reply, message
            assert "/pause" not in reply, message
