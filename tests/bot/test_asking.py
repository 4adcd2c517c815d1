"""Questions as a parent meets them: short answers with "more", small talk, other languages, several
children in one message, and questions before /start."""

from html import escape

from bot.core.answers import SHORT_CHARS, listed_text
from content import default_library
from db.models import Parent
from tests.bot.support import Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent

INVITE = "Send /start to tell me about your child and get a short tip for their age every week."


async def test_an_answer_is_short_and_more_shows_further_items(bot: Harness):
    sam = TgParent(701)
    await onboard(bot, sam)  # Mia, born 15 March 2026
    (reply,) = await bot.say(sam, "she follows me everywhere, is that normal?")
    assert len(reply.text) <= SHORT_CHARS
    assert reply.text.startswith("Common patterns for <b>Mia</b>")
    assert "following you when you leave the room" in reply.text
    assert "stage:" not in reply.text  # no stage summary repeated on every answer
    (more,) = await bot.tap(sam, "More")
    assert more.text.count("• ") >= 2
    assert "following you when you leave the room" not in more.text


async def test_small_talk_gets_a_short_friendly_reply_never_a_summary_or_a_picker(bot: Harness):
    sam = TgParent(702)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    await bot.say(sam, "1 February 2025")
    await bot.say(sam, "No")
    for message, start in (
        ("thank you!", "You're welcome"),
        ("hi", "Hello!"),
        ("ok", "I'm here"),
        ("👍", "I'm here"),
    ):
        sent = await bot.say(sam, message)
        assert len(sent) == 1
        assert sent[0].text.startswith(start), sent[0].text
        assert len(sent[0].text) < 300
        assert not sent[0].buttons


async def test_another_language_is_told_answers_are_in_english(bot: Harness):
    sam = TgParent(703)
    await onboard(bot, sam)
    (reply,) = texts(await bot.say(sam, "Meine Tochter weint in der Kita, wenn ich gehe"))
    assert reply.startswith("It looks like you wrote in German. For now I can only answer in English")
    assert "wean" not in reply
    assert "feeding" not in reply


async def test_two_children_in_one_message_each_get_their_own_age(bot: Harness):
    sam = TgParent(704)
    await onboard(bot, sam)
    (reply,) = texts(await bot.say(sam, "my 8 month old and my 2 year old both cry when I leave"))
    first, second = reply.split("\n\n", 1)[0], reply.split("at <b>2 years</b>", 1)[1]
    assert "at <b>8 months</b>:" in first
    two_year_stages = default_library().bands_at(24)
    assert any(
        escape(listed_text(item), quote=False) in second
        for band in two_year_stages
        for item in (*band.indicators, *band.strategies)
    ), second


async def test_a_question_before_start_is_answered_with_a_stage_choice_and_an_invite(bot: Harness):
    stranger = TgParent(705)
    (reply,) = await bot.say(stranger, "how do I help my baby feel safe?")
    assert reply.text.startswith("Ways to help")
    assert "How old is your child?" in reply.text
    assert reply.text.endswith(f"{INVITE}</i>")
    (stage,) = await bot.tap(stranger, "16 to 24 months")
    assert "(16 to 24 months)" in stage.text
    assert "(Birth to 9 months)" not in stage.text
    assert await bot.parent_row(705) is None
    assert await bot.count(Parent) == 0


async def test_a_question_naming_an_age_before_start_is_answered_for_that_age(bot: Harness):
    (reply,) = texts(await bot.say(TgParent(706), "what's normal at 10 months?"))
    assert reply.startswith("Common patterns at <b>10 months</b>, not a checklist")
    assert reply.endswith(f"{INVITE}</i>")


async def test_a_forged_or_stale_more_button_has_expired(bot: Harness):
    sam = TgParent(707)
    await onboard(bot, sam)
    for data in ("m:zz:0a", "m:", "m:00:0", "m:00:zz"):
        assert texts(await bot.press(sam, data))[0].startswith("That button has expired.")


async def test_is_it_normal_reads_as_common_patterns_never_a_checklist(bot: Harness):
    """A worried parent of an 8-week-old reads what is typical as patterns that vary, not a test to pass."""
    sam = TgParent(708)
    await onboard(bot, sam, birthdate="4 October 2026")  # 8 weeks old on 29 November 2026
    (reply,) = texts(await bot.say(sam, "is it normal she doesnt smile yet"))
    lead, rest = reply.split("\n", 1)
    assert lead == (
        "Common patterns for <b>Mia</b> (8 weeks), not a checklist: every child develops at their own pace."
    )
    assert "• Your baby smiling and cooing back at you." in rest
    assert "What's common" not in reply
    assert "own pace" not in rest  # said once, in the lead
    for alarming in ("urgent", "danger", "worr", "warning", "should"):
        assert alarming not in reply.lower()


async def test_an_uncovered_question_before_start_says_what_can_be_asked(bot: Harness):
    """Not a dead end: what the guidance does not cover, one line of what it can answer, then /start."""
    (reply,) = texts(await bot.say(TgParent(709), "hi, how do I get my baby to sleep?"))
    covered, examples, invite = reply.split("\n\n")
    assert "It doesn't cover sleep" in covered
    assert examples == (
        "You could ask me, for example, “what's normal at 10 months?”, “my baby cries when I leave the room”"
        " or “how do I help with tantrums?”"
    )
    assert invite == f"<i>{INVITE}</i>"
    for alarming in ("urgent", "danger", "emergency", "doctor"):
        assert alarming not in reply.lower()


async def test_a_separate_room_is_separation_and_sleeping_in_one_is_sleep(bot: Harness):
    """ "She screams if I'm in a separate room" is the separation the guidance answers; where a child sleeps
    is sleep, which it does not cover."""
    sam = TgParent(710)
    await onboard(bot, sam)
    for message in ("she screams if I'm in a separate room", "cries when I go to a separate room"):
        (reply,) = texts(await bot.say(sam, message))
        assert "following you when you leave the room" in reply, message
        assert "doesn't cover" not in reply, message
    (reply,) = texts(await bot.say(sam, "should the twins sleep in separate rooms?"))
    assert "It doesn't cover sleep" in reply


async def test_not_helpful_gets_a_kind_sorry_and_praise_of_the_child_is_no_thanks(bot: Harness):
    sam = TgParent(711)
    await onboard(bot, sam)
    # ("not helpful" said whole is taken for a tip that was not for us: the detour says how to tap it.)
    for message in ("that's not really useful", "that wasn't very helpful tbh"):
        (reply,) = texts(await bot.say(sam, message))
        assert "welcome" not in reply.lower(), message
        assert reply.startswith("I'm sorry that wasn't helpful. You could try asking in other words"), reply
    (reply,) = texts(await bot.say(sam, "he's a little legend"))
    assert reply == "How lovely! Ask me anything about your little one whenever you like."
    (reply,) = texts(await bot.say(sam, "you're a legend"))
    assert reply.startswith("You're welcome!")


async def test_a_link_to_the_bond_gets_the_bond_half_answered(bot: Harness):
    sam = TgParent(712)
    await onboard(bot, sam)
    (reply,) = texts(await bot.say(sam, "is there a link between breastfeeding and bonding"))
    assert "• " in reply  # the guidance on the bond
    assert "The guidance doesn't cover feeding and eating, so that part I can't answer from it." in reply
    (reply,) = texts(await bot.say(sam, "is there a link between reflux and crying"))
    assert "It doesn't cover illness and health" in reply
    assert "• " not in reply
