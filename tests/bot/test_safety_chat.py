"""A parent in distress, as they see it in the chat: before /start, in the middle of setup, while paused;
the operator's support text verbatim, the emergency number, repeats worded differently, nothing stored."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import timedelta
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, MessageHandler

from bot import conversation
from bot.app import housekeeping
from bot.conversation import Env, Who
from bot.core.answers import listed_text
from bot.core.reply import Reply
from bot.core.safety import SafetyKind
from bot.telegram.app import Handlers
from bot.telegram.lanes import UrgentFirstRateLimiter
from bot.telegram.sender import TelegramSender
from content import default_library
from db.models import Parent
from tests.bot.support import NOW, Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent

SUPPORT = "Samaritans: call 116 123 (free, day & night)\nShout: text SHOUT to 85258"
ASK_NAME = "What's your child's name? A nickname is fine."
ASK_BIRTHDATE = "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
CRISIS_START = "<b>I'm really glad you told me. You don't have to carry this alone.</b>"
VIOLENCE_START = "<b>I'm really glad you told me. Your safety, and your child's, matter.</b>"
PARTNER_START = "<b>It sounds like you're worried about someone close to you. Thank you for telling me.</b>"
WHERE_TO_FIND_SUPPORT = "💛 Where to find support"


def seen(text: str) -> str:
    """What Telegram shows for our HTML."""
    return html.unescape(re.sub(r"</?[a-z]+>", "", text))


async def test_crisis_before_start_gets_support_and_stores_nothing(bot: Harness):
    sam = TgParent(301, "Sam")
    sent = texts(await bot.say(sam, "I don't want to be here anymore"))
    assert len(sent) == 1
    assert sent[0].startswith(CRISIS_START)
    assert "call your local emergency number" in sent[0]
    assert await bot.count(Parent) == 0
    # The chat stays open: the next ordinary message gets the ordinary answer.
    assert texts(await bot.say(sam, "hello"))[0].startswith("Hello!")


async def test_crisis_at_the_name_prompt_keeps_the_step(bot: Harness):
    sam = TgParent(302, "Sam")
    assert texts(await bot.say(sam, "/start"))[-1] == ASK_NAME
    sent = texts(await bot.say(sam, "i wnat to die"))
    assert sent[0].startswith(CRISIS_START)
    parent = await bot.parent_row(302)
    assert parent is not None
    assert parent.flow == "name"
    assert "die" not in str(parent.flow_data)
    assert texts(await bot.say(sam, "Mia")) == [ASK_BIRTHDATE]


async def test_emergency_in_the_middle_of_setup_then_setup_goes_on(bot: Harness):
    sam = TgParent(303, "Sam")
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    sent = texts(await bot.say(sam, "she's not breathing!!"))
    assert sent == [
        "<b>Call your local emergency number now.</b>\n"
        "Stay with your child and do what the person on the phone tells you."
    ]
    early = texts(await bot.say(sam, "15 March 2026"))
    assert early[0].startswith("Was Mia born early")


async def test_while_paused_and_stopped_distress_is_still_answered(bot: Harness):
    sam = TgParent(304, "Sam")
    await onboard(bot, sam)
    await bot.say(sam, "/pause")
    assert texts(await bot.say(sam, "my husband hits me"))[0].startswith(VIOLENCE_START)
    await bot.say(sam, "/stop")
    emergency = texts(await bot.say(sam, "my baby swallowed a battery"))[0]
    assert emergency.startswith("<b>Call your local emergency number now.</b>")  # a first emergency


async def test_operator_support_text_verbatim_and_emergency_number(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(305, "Sam")
        crisis = texts(await bot.say(sam, "quiero morir"))[0]
        assert seen(crisis).split("\n\n")[1] == SUPPORT
        assert "If you or anyone else is in danger right now, call 999." in crisis
        emergency = texts(await bot.say(sam, "he's having a seizure"))[0]
        assert emergency.split("\n")[0] == "<b>Call 999 now.</b>"


async def test_a_repeat_is_worded_differently_and_forgotten_after_a_day(bot: Harness):
    sam = TgParent(306, "Sam")
    await onboard(bot, sam)
    first = texts(await bot.say(sam, "I want to kill myself"))[0]
    again = texts(await bot.say(sam, "I want to kill myself"))[0]
    assert first.startswith(CRISIS_START)
    assert again != first
    assert again.startswith("<b>I'm still here, and I'm glad you wrote to me again.</b>")
    parent = await bot.parent_row(306)
    assert parent is not None
    assert parent.distress_about == "crisis:2"
    assert parent.distress_at == bot.clock.now
    bot.clock.advance(days=2)
    assert texts(await bot.say(sam, "I want to kill myself"))[0] == first


async def test_housekeeping_forgets_distress_after_a_day(bot: Harness):
    sam = TgParent(312, "Sam")
    await onboard(bot, sam)
    await bot.say(sam, "I feel so alone")
    await housekeeping.sweep(bot.sessions, bot.clock.now + timedelta(hours=23))
    parent = await bot.parent_row(312)
    assert parent is not None
    assert parent.distress_about == "wellbeing:1"
    await housekeeping.sweep(bot.sessions, bot.clock.now + timedelta(hours=25))
    parent = await bot.parent_row(312)
    assert parent is not None
    assert (parent.distress_at, parent.distress_about) == (None, None)


async def test_the_next_ordinary_question_gets_an_ordinary_answer(bot: Harness):
    sam = TgParent(307, "Sam")
    await onboard(bot, sam)
    await bot.say(sam, "I feel like a bad mum")
    answer = texts(await bot.say(sam, "is stranger anxiety normal?"))[0]
    stranger_anxiety = default_library().item("sa-7-18-stranger-anxiety")
    assert stranger_anxiety is not None
    assert html.escape(listed_text(stranger_anxiety), quote=False) in answer
    assert "own doctor" not in answer


async def test_replies_to_distress_never_point_to_the_childs_doctor(bot: Harness):
    sam = TgParent(308, "Sam")
    await onboard(bot, sam)
    for message in ("i feel depressed", "I want to hurt myself", "I feel like a bad mum", "I'm so exhausted"):
        for text in texts(await bot.say(sam, message)):
            assert "child's doctor" not in text
            assert "own doctor" in text or "crisis line" in text


async def test_the_parents_own_health_points_to_their_own_care(bot: Harness):
    sam = TgParent(309, "Sam")
    await onboard(bot, sam)
    answer = texts(await bot.say(sam, "is it ok to get pregnant again so soon?"))[0]
    assert "your own doctor, midwife or health visitor" in answer
    assert "child's doctor" not in answer


async def test_the_outcome_names_the_kind_for_counting_and_sending_first(
    sessions: async_sessionmaker[AsyncSession],
):
    env = Env(library=default_library())
    who = Who(311, "Sam")
    async with sessions() as s:
        crisis = await conversation.on_text(s, env, who, "I want to end it all", NOW)
        emergency = await conversation.on_text(s, env, who, "he's unconscious", NOW)
        wellbeing = await conversation.on_text(s, env, who, "I feel so alone", NOW)
        ordinary = await conversation.on_text(s, env, who, "hello", NOW)
    assert (crisis.safety, crisis.urgent) == (SafetyKind.CRISIS, True)
    assert (emergency.safety, emergency.urgent) == (SafetyKind.EMERGENCY, True)
    assert (wellbeing.safety, wellbeing.urgent) == (SafetyKind.WELLBEING, False)
    assert (ordinary.safety, ordinary.urgent) == (None, False)


async def test_a_feeling_and_a_question_get_the_kind_reply_then_the_answer(bot: Harness):
    sam = TgParent(313, "Sam")
    await onboard(bot, sam)
    sent = texts(await bot.say(sam, "is it my fault he's clingy?"))
    assert len(sent) == 2
    assert sent[0].startswith("<b>Thank you for telling me how you're feeling.")
    assert "own doctor" in sent[0]
    assert "<b>Mia</b>" in sent[1]  # the ordinary answer, for the parent's child
    assert "own doctor" not in sent[1]
    # The content is in the answer: the kind reply carries none, so no paragraph comes twice in a row.
    assert "From the guidance I answer from" not in sent[0]
    assert sent[0].endswith("call your local emergency number or a crisis line straight away.")


async def test_a_feeling_without_a_question_gets_one_reply(bot: Harness):
    sam = TgParent(314, "Sam")
    await onboard(bot, sam)
    assert len(texts(await bot.say(sam, "I feel like a bad mum"))) == 1
    # A question the content does not cover gets no second message ("the guidance doesn't cover ...").
    assert len(texts(await bot.say(sam, "I'm exhausted, how do I get her to nap?"))) == 1


async def test_at_a_step_a_feeling_with_a_question_keeps_the_step(bot: Harness):
    sam = TgParent(315, "Sam")
    await bot.say(sam, "/start")
    sent = texts(await bot.say(sam, "is it my fault he's clingy?"))
    # The kind reply, the answer from the content, then the name question again: never left hanging.
    assert len(sent) == 3
    assert sent[0].startswith("<b>Thank you for telling me how you're feeling.")
    assert "own doctor" not in sent[1]
    assert "name" not in sent[1].lower()
    assert sent[2].startswith("Now, back to where we were:")
    assert "name" in sent[2]
    assert texts(await bot.say(sam, "Mia")) == [ASK_BIRTHDATE]


async def test_at_a_step_a_feeling_without_a_question_waits_for_the_step(bot: Harness):
    sam = TgParent(316, "Sam")
    await bot.say(sam, "/start")
    assert len(texts(await bot.say(sam, "I feel like a terrible father"))) == 1
    assert texts(await bot.say(sam, "Mia")) == [ASK_BIRTHDATE]


class HeldThrottle(AIORateLimiter):
    """A throttle that holds every request it is given: as if our queue were full for a long time."""

    def __init__(self) -> None:
        super().__init__()
        self.held = 0

    async def process_request(self, *args: Any, **kwargs: Any) -> Any:
        self.held += 1
        raise RetryAfter(3600)


async def test_crisis_and_emergency_replies_skip_our_rate_limiter(bot: Harness):
    limiter = bot.app.bot.rate_limiter
    assert isinstance(limiter, UrgentFirstRateLimiter)
    held = HeldThrottle()
    limiter.throttle = held
    sam = TgParent(316, "Sam")
    assert texts(await bot.say(sam, "I want to end it all"))[0].startswith(CRISIS_START)
    assert texts(await bot.say(sam, "he's having a fit"))[0].startswith("<b>Call your local emergency number")
    assert held.held == 0
    # An ordinary reply waits in the queue (here: is held back for good, so it is not sent).
    assert texts(await bot.say(sam, "hello")) == []
    assert held.held >= 1


async def test_a_crisis_does_not_queue_behind_questions_being_worked_out(bot: Harness):
    """Questions wait their turn to be worked out (the sentence model takes tens of milliseconds each); a
    crisis or an emergency the phrases see goes straight through, however many are waiting."""
    handlers = next(
        cast(Handlers, getattr(handler.callback, "__self__", None))
        for group in bot.app.handlers.values()
        for handler in group
        if isinstance(handler, MessageHandler)
    )
    slots = 0
    while not handlers.thinking.locked():
        await handlers.thinking.acquire()  # every slot busy with someone's question
        slots += 1
    try:
        sam = TgParent(317, "Sam")
        sent = await asyncio.wait_for(bot.say(sam, "I want to end it all"), timeout=30)
        assert texts(sent)[0].startswith(CRISIS_START)
        sent = await asyncio.wait_for(bot.say(sam, "he's having a fit"), timeout=30)
        assert texts(sent)[0].startswith("<b>Call your local emergency number")
    finally:
        for _ in range(slots):
            handlers.thinking.release()
    assert texts(await bot.say(sam, "what's normal at 10 months?"))  # questions go on once slots are free


async def test_an_urgent_reply_waits_out_telegrams_own_flood_answer():
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    class Flooded:
        calls = 0

        async def send_message(self, *args: Any, **kwargs: Any) -> str:
            self.calls += 1
            if self.calls < 3:
                raise RetryAfter(60)
            return "sent"

    sender = TelegramSender(cast(Bot, Flooded()), sleep=sleep)
    assert await sender.send_reply(1, Reply("help"), urgent=True) is True
    assert sleeps == [60.0, 60.0]
    # An ordinary reply is not worth a minute's wait: it is given up at once.
    with pytest.raises(RetryAfter):
        await TelegramSender(cast(Bot, Flooded()), sleep=sleep).send_reply(1, Reply("hi"))


async def test_violence_at_home_gets_its_own_words_with_the_operators_text_first(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(316, "Sam")
        await bot.say(sam, "/start")
        sent = await bot.say(sam, "he threatened to hurt me and the baby")
        assert len(sent) == 1
        assert seen(sent[0].text).split("\n\n") == [
            "I'm really glad you told me. Your safety, and your child's, matter.",
            SUPPORT,
            "If you, your child or anyone else is in danger right now, call 999.",
            "Otherwise, when it's safe for you, please talk to someone: a domestic abuse helpline where you live, "
            "or your own doctor, midwife or health visitor.",
            "What's happening is not your fault. You can keep writing to me whenever you like.",
        ]
        assert sent[0].button_labels == []
        # A crisis still: it goes out first, the step is kept, and a repeat is worded differently.
        again = texts(await bot.say(sam, "my partner hits me"))[0]
        assert again.startswith("<b>Thank you for telling me. You and your child deserve to be safe.</b>")
        assert texts(await bot.say(sam, "Mia")) == [ASK_BIRTHDATE]
    async with sessions() as s:
        env = Env(library=default_library())
        outcome = await conversation.on_text(s, env, Who(317, "Sam"), "my husband beats me", NOW)
    assert (outcome.safety, outcome.urgent) == (SafetyKind.CRISIS, True)


@pytest.mark.parametrize(
    "said", ["Mein Mann schlägt mich, wenn das Baby schreit", "he punched the wall right next to my head"]
)
async def test_violence_at_home_in_any_wording_gets_its_own_words(
    sessions: async_sessionmaker[AsyncSession], said: str
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(319, "Sam")
        await onboard(bot, sam)
        sent = await bot.say(sam, said)
        assert len(sent) == 1
        first, support, *_rest = seen(sent[0].text).split("\n\n")
        assert first == "I'm really glad you told me. Your safety, and your child's, matter."
        assert support == SUPPORT
        assert "a domestic abuse helpline where you live" in sent[0].text


async def test_a_partner_threatening_to_kill_himself_gets_the_crisis_words_not_the_domestic_abuse_ones(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(320, "Sam")
        await onboard(bot, sam)
        sent = await bot.say(sam, "my partner threatened to kill himself")
        assert len(sent) == 1
        assert SUPPORT in seen(sent[0].text)
        assert "domestic abuse" not in sent[0].text


async def test_a_partners_low_mood_gets_their_own_care_and_support_a_tap_away(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(318, "Sam")
        await onboard(bot, sam)
        sent = await bot.say(sam, "my partner hasn't been himself since the baby came")
        assert len(sent) == 1
        assert sent[0].text == (
            PARTNER_START
            + "\nTheir own doctor, midwife or health visitor is there for them: it's OK to gently "
            "encourage them to get in touch, or to help them do it.\n\n"
            "Caring for someone who is low is hard too. Your own doctor, midwife or health visitor is there for "
            "you as well.\n\n"
            "If you ever think they might harm themselves or anyone else, call 999 straight away."
        )
        assert sent[0].button_labels == [WHERE_TO_FIND_SUPPORT]
        support = await bot.tap(sam, WHERE_TO_FIND_SUPPORT)
        assert SUPPORT in seen(support[0].text)
        # The parent's own feelings beside it: both are met, each with their own doctor, midwife or health
        # visitor.
        both = seen(texts(await bot.say(sam, "my husband seems so sad and I feel like a failure"))[0])
        assert "both" in both.split("\n")[0]
        assert "their own doctor, midwife or health visitor" in both.lower()
        assert "Please tell your own doctor, midwife or health visitor how you're feeling as well" in both


async def test_a_partners_low_mood_and_the_parents_own_get_both_met(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, emergency_number="999") as bot:
        sam = TgParent(321, "Sam")
        await onboard(bot, sam)
        sent = await bot.say(sam, "my wife is depressed, and honestly me too")
        assert len(sent) == 1
        assert seen(sent[0].text).split("\n\n") == [
            "It sounds like a really hard time for both of you. Thank you for telling me.\n"
            "Their own doctor, midwife or health visitor is there for them: it's OK to gently encourage them to "
            "get in touch, or to help them do it.",
            "Please talk to your own doctor, midwife or health visitor about how you're feeling too: you deserve "
            "support as much as they do.",
            "If you ever feel you might harm yourself or anyone else, or think they might, call 999 straight away.",
        ]
        assert sent[0].button_labels == [WHERE_TO_FIND_SUPPORT]
        # Said in two clauses, each with its own words: both met too.
        two = seen(texts(await bot.say(sam, "my wife is depressed and I'm depressed too"))[0])
        assert "both" in two.split("\n")[0]
        assert "your own doctor, midwife or health visitor" in two
        # Only the partner: their care, and the parent's as the one caring.
        partner = seen(texts(await bot.say(sam, "my wife is depressed"))[0])
        assert "for both of you" not in partner
        assert "their own doctor, midwife or health visitor" in partner.lower()
        # "and ... me" at the end is the parent only when it says so, not what the partner does to them.
        for said in ("my husband is depressed and blames me", "my wife is depressed and ignores me"):
            alone = seen(texts(await bot.say(sam, said))[0])
            assert "both" not in alone.split("\n")[0], said


async def test_only_the_same_worry_again_is_greeted_as_a_repeat(bot: Harness):
    sam = TgParent(322, "Sam")
    await onboard(bot, sam)
    first = texts(await bot.say(sam, "I'm so exhausted I can't cope"))[0]
    assert first.startswith("<b>Thank you for telling me how you're feeling. It matters, and so do you.</b>")
    again = texts(await bot.say(sam, "I'm so exhausted I can't cope"))[0]
    assert again.startswith("<b>I hear you, and I'm glad you keep telling me how it is.</b>")
    # Something else: a first reply about it, not "you keep telling me".
    partner = texts(await bot.say(sam, "my husband seems so sad"))[0]
    assert partner.startswith(PARTNER_START)
    crisis = texts(await bot.say(sam, "I want to kill myself"))[0]
    assert crisis.startswith(CRISIS_START)
    # Back to their own tiredness: said before today, so it is greeted as said again, whatever came between.
    own = texts(await bot.say(sam, "I'm so exhausted I can't cope"))[0]
    assert own.startswith("<b>It sounds like things are still really hard. Thank you for saying so.</b>")
    parent = await bot.parent_row(322)
    assert parent is not None
    assert parent.distress_about == "wellbeing:3,partner_mood:1,crisis:1"


async def test_a_crisis_said_again_after_another_worry_is_not_the_same_block_twice(bot: Harness):
    sam = TgParent(323, "Sam")
    await onboard(bot, sam)
    first = texts(await bot.say(sam, "I want to die"))[0]
    await bot.say(sam, "I feel like a failure")
    again = texts(await bot.say(sam, "I want to die"))[0]
    assert first.startswith(CRISIS_START)
    assert again.startswith("<b>I'm still here, and I'm glad you wrote to me again.</b>")
    assert "If you or anyone else is in danger right now, call your local emergency number." in again


async def test_a_partner_who_wants_to_die_gets_the_crisis_support(bot: Harness):
    sam = TgParent(319, "Sam")
    await onboard(bot, sam)
    sent = texts(await bot.say(sam, "my partner says she wants to die"))
    assert sent[0].startswith(CRISIS_START)
    assert "If you or anyone else is in danger right now, call your local emergency number." in sent[0]


async def test_a_concerns_first_mention_after_other_distress_claims_no_repeat(bot: Harness):
    """The day's count of distress replies words them differently; none of the words for violence at home or
    a partner's low mood may say the parent raised it before, as it may be the first time."""
    sam = TgParent(320, "Sam")
    await onboard(bot, sam)
    for n in range(3):
        await bot.say(sam, "I want to kill myself")
        violence = texts(await bot.say(sam, "my partner hits me"))[0]
        partner = texts(await bot.say(sam, "my husband seems so sad"))[0]
        for text in (violence, partner):
            assert not any(word in text.split("</b>")[0] for word in ("again", "still")), (n, text)


# Session 9: what the parent reads for a young child's hitting, ordinary look-alikes, and control at home.
DISTRESS_WORDS = (
    "glad you told me",
    "domestic abuse helpline",
    "emergency number",
    "your own doctor, midwife or health visitor",
)


@pytest.mark.parametrize(
    "said",
    [
        "my 2 year old hits me when she's angry",
        "my toddler bites me when he's cross",
        "my 18 month old slaps my face when I say no",
        "my son kicks me when I change his nappy",
        "my little one scratches me when she's tired",
        "I want to give up on potty training",
        "I'm giving up on baby-led weaning",
        "he choked on his milk a bit but he's fine now",
        "she loves shaking her rattle",
        "I've been shaking her rattle all morning",
        "I could just cry, she finally slept through",
        "he's obsessed with the ambulance in his books",
    ],
)
async def test_a_young_childs_hitting_and_ordinary_look_alikes_get_no_distress_reply(bot: Harness, said: str):
    sam = TgParent(340, "Sam")
    await onboard(bot, sam)
    sent = texts(await bot.say(sam, said))
    assert sent
    for text in sent:
        assert not any(words in text for words in DISTRESS_WORDS), text
    async with bot.sessions() as s:
        outcome = await conversation.on_text(s, Env(library=default_library()), Who(341, "Sam"), said, NOW)
    assert outcome.safety is None


@pytest.mark.parametrize(
    "said",
    [
        "he hits me when he's angry",
        "my partner bites me when he's cross",
        "he controls all the money and won't let me see my friends",
        "my husband checks my phone and tracks where I go",
        "I'm not allowed out without him",
        "I'm not allowed to go out without my boyfriend",
        "when he drinks he gets rough with me and I'm scared for the kids",
    ],
)
async def test_an_adult_hitting_or_controlling_the_parent_gets_the_violence_at_home_words(
    sessions: async_sessionmaker[AsyncSession], said: str
):
    """A "he" or "she" with no child named is read as an adult: recall first, and the support does no harm."""
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(342, "Sam")
        await onboard(bot, sam)
        sent = await bot.say(sam, said)
        assert len(sent) == 1
        first, support, *_rest = seen(sent[0].text).split("\n\n")
        assert first == "I'm really glad you told me. Your safety, and your child's, matter."
        assert support == SUPPORT
        assert "a domestic abuse helpline where you live" in sent[0].text


# Session 9, second safety helper: round 11's families, as the parent reads them.
@pytest.mark.parametrize(
    "said",
    [
        "sorry for all the messages. this will be my last one. look after her for me",
        "been planning it. I've picked the day, I just want her to have a nice Christmas first",
        "the voices keep telling me I need to get rid of him",
        "I'm this close to doing something I'll regret, he won't stop screaming",
        "ik wil er niet meer zijn",
    ],
)
async def test_a_goodbye_a_plan_voices_or_a_breaking_point_get_the_crisis_support(
    sessions: async_sessionmaker[AsyncSession], said: str
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(350, "Sam")
        await onboard(bot, sam)
        sent = await bot.say(sam, said)
        assert len(sent) == 1
        first, support, *_rest = seen(sent[0].text).split("\n\n")
        assert first == "I'm really glad you told me. You don't have to carry this alone."
        assert support == SUPPORT
        assert "your child's doctor" not in sent[0].text
        # The chat stays open: an ordinary question next gets an ordinary answer.
        after = texts(await bot.say(sam, "hello"))[0]
        assert after.startswith("Hello!")
        assert not any(words in after for words in DISTRESS_WORDS)


@pytest.mark.parametrize(
    "said",
    [
        "my husband locks me and the baby in the bedroom when his friends come round",
        "he takes the front door key to work so me and the kids can't leave",
        "my ex said he'll make sure neither of us sees another birthday",
        "he put his hands round my throat last night",
        "my brother has been hitting my 3 year old when I'm at work",
    ],
)
async def test_being_locked_in_a_veiled_threat_or_an_adult_hurting_the_child_get_the_violence_words(
    sessions: async_sessionmaker[AsyncSession], said: str
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(351, "Sam")
        await onboard(bot, sam)
        sent = await bot.say(sam, said)
        assert len(sent) == 1
        first, support, *_rest = seen(sent[0].text).split("\n\n")
        assert first == "I'm really glad you told me. Your safety, and your child's, matter."
        assert support == SUPPORT


async def test_an_open_packet_of_pills_gets_the_emergency_number_first(
    sessions: async_sessionmaker[AsyncSession],
):
    async with Harness(sessions, crisis_support_text=SUPPORT, emergency_number="999") as bot:
        sam = TgParent(352, "Sam")
        await onboard(bot, sam)
        sent = texts(
            await bot.say(
                sam, "found her with my sleeping tablets, the packet's open, no idea how many she's had"
            )
        )
        assert len(sent) == 1
        assert sent[0].startswith("<b>Call 999 now.</b>")


@pytest.mark.parametrize(
    "said",
    [
        "I grabbed her hard as she ran towards the road, how do I teach her road safety?",
        "she choked on some banana but coughed it up and was fine, what's safer?",
        "when she was 9 months she had a febrile seizure, she's fine now. will it happen again?",
        "his lips went a bit blue in the sea but pinked up straight away, normal?",
        "I need to get out of the house, any ideas for toddler groups?",
        "what will happen to the kids if I'm not around for the weekend",
        "my baby puts her hands round my neck when I carry her",
    ],
)
async def test_round_elevens_look_alikes_get_an_ordinary_answer(bot: Harness, said: str):
    sam = TgParent(353, "Sam")
    await onboard(bot, sam)
    sent = texts(await bot.say(sam, said))
    assert sent
    for text in sent:
        assert not any(words in text for words in DISTRESS_WORDS), text
