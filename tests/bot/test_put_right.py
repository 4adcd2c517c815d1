"""Putting a mistake right, and the ways out said when nothing is in progress: "I made a mistake", "wrong date",
"stop", "never mind", "go back" lead somewhere useful at every point, never to an answer from the guidance."""

from datetime import date

from sqlalchemy import select

from bot.conversation.detours import BEFORE_START_WORD, FIXED, IDLE_OK
from db.models import Child, ParentState
from tests.bot.support import Harness, onboard, texts, to_time_zone
from tests.fake_telegram import Parent as TgParent

ASK_MIA = "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
GUIDANCE = ("What the guidance says", "I couldn't find that", "Which child is this about?", "Common patterns")


async def children(bot: Harness) -> list[tuple[str, date, date | None]]:
    async with bot.sessions() as s:
        rows = (await s.scalars(select(Child).order_by(Child.id))).all()
    return [(c.name, c.birthdate, c.due_date) for c in rows]


def no_guidance(sent: list[str]) -> None:
    for text in sent:
        assert not text.startswith(GUIDANCE), text


async def test_ways_out_before_start_say_nothing_is_set_up(bot: Harness):
    sam = TgParent(1301)
    for words in (
        "stop",
        "cancel",
        "never mind",
        "go back",
        "I made a mistake",
        "skip",
        "not now",
        "/cancel",
    ):
        assert texts(await bot.say(sam, words)) == [BEFORE_START_WORD], words
    assert await bot.parent_row(1301) is None  # nothing stored for it


async def test_a_mistake_while_adding_a_child_goes_back_to_the_answer_that_was_wrong(bot: Harness):
    sam = TgParent(1302)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mai")
    named = await bot.say(sam, "I made a mistake")  # the name was wrong
    assert texts(named) == ["What's your child's name? A nickname is fine."]
    assert texts(await bot.say(sam, "Mia")) == [ASK_MIA]
    assert texts(await bot.say(sam, "wrong date")) == [FIXED + ASK_MIA]  # not "couldn't read it as a date"
    await bot.say(sam, "1 March 2026")
    early = await bot.say(sam, "oops, wrong date")
    assert texts(early) == [FIXED + ASK_MIA]
    await bot.say(sam, "2 March 2026")
    await bot.tap(sam, "Yes, born early")
    assert texts(await bot.say(sam, "wrong birthdate")) == [FIXED + ASK_MIA]
    await bot.say(sam, "3 March 2026")
    await bot.tap(sam, "No")
    assert await children(bot) == [("Mia", date(2026, 3, 3), None)]


async def test_a_mistake_noticed_at_the_time_zone_question_is_put_right_and_setup_carries_on(bot: Harness):
    sam = TgParent(1303)
    await to_time_zone(bot, sam, "Mai", "3 March 2026")
    fix = await bot.say(sam, "I made a mistake")
    assert fix[0].text == "No problem: tap what to put right for Mai, or carry on below."
    assert fix[0].button_labels == ["📅 Change Mai's birthdate", "✏️ Change the name Mai"]
    assert fix[1].text.startswith("Which time zone are you in?")
    asked = await bot.press(sam, fix[0].data_for("✏️ Change the name Mai"))
    assert texts(asked) == ["What should I call Mai?"]
    renamed = await bot.say(sam, "Mia")
    assert renamed[0].text.startswith("Done: Mai is now called Mia.\n\nWhich time zone are you in?")
    fix = await bot.say(sam, "wrong date")
    assert texts(await bot.press(sam, fix[0].data_for("📅 Change Mia's birthdate"))) == [ASK_MIA]
    await bot.say(sam, "13 March 2026")
    saved = await bot.tap(sam, "No")
    assert saved[0].text.startswith("Saved. Mia is 8 months old.\n\nWhich time zone are you in?")
    await bot.say(sam, "London")
    done = await bot.tap(sam, "Sunday 09:00 is fine")
    assert done[0].text.startswith("All set!")
    assert await children(bot) == [("Mia", date(2026, 3, 13), None)]


async def test_wrong_date_where_the_dates_are_being_changed_asks_again_instead_of_leaving(bot: Harness):
    sam = TgParent(1304)
    await onboard(bot, sam)
    await bot.say(sam, "/children")
    await bot.tap(sam, "Mia")
    await bot.tap(sam, "📅 Change dates")
    assert texts(await bot.say(sam, "wrong date")) == [FIXED + ASK_MIA]
    await bot.say(sam, "/children")
    await bot.tap(sam, "Mia")
    await bot.tap(sam, "✏️ Rename")
    again = await bot.say(sam, "I made a mistake")
    assert texts(again) == [FIXED + "What should I call Mia from now on?"]
    assert texts(await bot.say(sam, "Mimi")) == ["Done: Mia is now called Mimi."]


async def test_with_nothing_in_progress_ways_out_are_answered_not_looked_up(bot: Harness):
    sam = TgParent(1305)
    await onboard(bot, sam)
    for words in ("never mind", "cancel", "not now", "skip", "forget it"):
        assert texts(await bot.say(sam, words)) == [IDLE_OK], words
    fix = await bot.say(sam, "I made a mistake")
    assert texts(fix) == [
        "There's nothing to go back to right now. To put something right about Mia, tap below."
    ]
    assert fix[0].button_labels == ["✏️ Rename", "📅 Change dates"]
    assert texts(await bot.tap(sam, "📅 Change dates")) == [ASK_MIA]
    await bot.say(sam, "/cancel")
    stop = await bot.say(sam, "stop")
    assert texts(stop) == [
        "Nothing is in progress, so nothing has changed. If you meant your tips, you can pause or stop them:"
    ]
    assert stop[0].button_labels == ["⏸ Pause tips", "⏹ Stop tips"]
    asked = await bot.tap(sam, "⏹ Stop tips")
    assert asked[0].text.startswith("Stop your tips?")
    await bot.tap(sam, "Yes, stop tips")
    parent = await bot.parent_row(1305)
    assert parent is not None
    assert parent.state == ParentState.STOPPED
    stopped = texts(await bot.say(sam, "stop"))
    assert stopped[0].startswith("Nothing is in progress, so nothing has changed. Tips come on Sundays")
    assert "They are stopped right now: send /resume" in stopped[0]


async def test_never_mind_at_a_button_question_with_several_children_asks_no_which_child(bot: Harness):
    sam = TgParent(1306)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    await bot.say(sam, "1 February 2026")
    await bot.tap(sam, "No")
    await bot.say(sam, "/children")
    await bot.tap(sam, "Leo")
    await bot.tap(sam, "🗑 Remove")
    sent = texts(await bot.say(sam, "never mind"))
    assert sent == [IDLE_OK]
    no_guidance(sent)
    fix = await bot.say(sam, "wrong date")
    assert fix[0].text == "No problem. To put a name or a date right, tap the child."
    assert fix[0].button_labels == ["Mia", "Leo"]
    assert [name for name, _, _ in await children(bot)] == ["Mia", "Leo"]


async def test_yes_after_leaving_a_child_half_added_carries_on_with_it(bot: Harness):
    sam = TgParent(1307)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    await bot.say(sam, "not now")
    carried = await bot.say(sam, "yes")
    assert texts(carried)[0].startswith("When was <b>Leo</b> born?")
    await bot.say(sam, "1 February 2026")
    await bot.tap(sam, "No")
    assert [name for name, _, _ in await children(bot)] == ["Mia", "Leo"]
    back = await bot.say(sam, "go back")  # nothing held any more: the children to put right
    assert back[0].button_labels == ["Mia", "Leo"]


async def test_an_age_typed_for_the_birthdate_is_offered_back_as_a_date(bot: Harness):
    sam = TgParent(1308)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    offer = await bot.say(sam, "she's 4 months old")  # 29 November 2026: about 29 July
    assert texts(offer) == [
        "Thank you! That puts Mia's birthdate at about <b>29 July 2026</b>. Shall I use it? A close guess is "
        "fine, or type the date if you know it."
    ]
    assert offer[0].button_labels == ["Yes, use 29 July 2026"]
    assert texts(await bot.say(sam, "yes"))[0].startswith("Was Mia born early")
    assert texts(await bot.say(sam, "wrong date")) == [FIXED + ASK_MIA]
    assert texts(await bot.say(sam, "about 6 weeks"))[0].startswith(
        "Thank you! That puts Mia's birthdate at about <b>18 October 2026</b>."
    )
    assert texts(await bot.say(sam, "20 October 2026"))[0].startswith("Was Mia born early")  # typed instead
    await bot.tap(sam, "No")
    assert await children(bot) == [("Mia", date(2026, 10, 20), None)]


async def test_an_age_past_three_or_a_question_with_an_age_is_not_taken_for_a_birthdate(bot: Harness):
    sam = TgParent(1309)
    await bot.say(sam, "/start")
    await bot.say(sam, "Leo")
    (past,) = texts(await bot.say(sam, "4 years old"))
    assert past.startswith("Leo is past 36 months")
    asked = texts(await bot.say(sam, "my 4 month old cries when I leave"))
    assert asked[-1] == "Now, back to where we were:\nWhen was <b>Leo</b> born? Write the date like " + (
        "2026-03-15, 15/03/2026 or 15 March 2026."
    )
    assert await children(bot) == []


async def test_start_again_said_to_the_offer_to_carry_on_starts_afresh(bot: Harness):
    sam = TgParent(1310)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    await bot.say(sam, "/cancel")
    offer = await bot.say(sam, "/addchild")
    assert offer[0].button_labels == ["Carry on with Leo", "Start afresh"]
    assert texts(await bot.say(sam, "start again")) == ["What's this child's name? A nickname is fine."]


async def test_a_caregiver_who_joined_and_goes_back_is_told_what_they_share_not_about_a_child_saved(
    bot: Harness,
):
    from tests.bot.support import invite_link

    sam, alex = TgParent(1311, "Sam"), TgParent(1312, "Alex")
    await onboard(bot, sam)
    code = await invite_link(bot, sam)
    await bot.say(alex, f"/start {code}")
    for words in ("go back", "I made a mistake"):
        back = texts(await bot.say(alex, words))
        assert back[0].startswith(
            "You share the children already; this is the first question about your tips.\n\nWhich time zone"
        ), words
    assert texts(await bot.say(alex, "never mind"))[0].startswith("OK, we've left that.")


async def test_skip_and_back_typed_as_commands_mean_the_words(bot: Harness):
    sam = TgParent(1313)
    assert texts(await bot.say(sam, "/skip")) == [BEFORE_START_WORD]
    await bot.say(sam, "/start")
    assert texts(await bot.say(sam, "/skip"))[0].startswith(
        "No problem: I'll call your child <b>Baby</b> for now"
    )
    assert texts(await bot.say(sam, "/back")) == ["What's your child's name? A nickname is fine."]
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "Yes, born early")
    zones = texts(await bot.say(sam, "/skip"))  # no due date
    assert zones[0].startswith("Thank you! Mia is all set.")
    await bot.say(sam, "/cancel")
    assert texts(await bot.say(sam, "/skip")) == [IDLE_OK]
    assert texts(await bot.say(sam, "/undo"))[0].startswith("There's nothing to go back to right now.")


async def test_stop_and_erase_read_a_typed_yes_and_ask_again_rather_than_guess(bot: Harness):
    sam = TgParent(1314)
    await onboard(bot, sam)
    await bot.say(sam, "/stop")
    again = texts(await bot.say(sam, "hmm"))
    assert again[0].startswith("Please tap one of these, so I get it right.\n\nStop your tips?")
    assert texts(await bot.say(sam, "yes please"))[0].startswith("I've stopped your tips.")
    parent = await bot.parent_row(1314)
    assert parent is not None
    assert parent.state == ParentState.STOPPED
    await bot.say(sam, "/resume")
    await bot.say(sam, "/stop")
    assert texts(await bot.say(sam, "no thanks")) == ["OK, your tips carry on as before."]
    await bot.say(sam, "/deletedata")
    sure = await bot.say(sam, "yes please")
    assert sure[0].text.startswith(
        "To be sure, please tap “Yes, erase everything”.\n\nThis erases everything"
    )
    assert await bot.parent_row(1314) is not None
    assert texts(await bot.say(sam, "not now")) == ["OK, nothing was deleted."]


async def test_any_way_out_at_which_child_lets_the_question_go(bot: Harness):
    sam = TgParent(1316)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    await bot.say(sam, "1 February 2026")
    await bot.tap(sam, "No")
    for words in ("go back", "I made a mistake", "skip", "never mind"):
        assert texts(await bot.say(sam, "she cries when I leave the room")) == ["Which child is this about?"]
        assert texts(await bot.say(sam, words)) == ["OK, I've let that question go."], words


async def test_hello_thanks_and_ok_are_not_taken_for_a_name_a_date_or_a_time_zone(bot: Harness):
    sam = TgParent(1317)
    await bot.say(sam, "/start")
    assert texts(await bot.say(sam, "hello")) == ["Hello! What's your child's name? A nickname is fine."]
    assert texts(await bot.say(sam, "ok")) == ["Great! What's your child's name? A nickname is fine."]
    await bot.say(sam, "Mia")
    assert texts(await bot.say(sam, "thanks")) == ["You're welcome! " + ASK_MIA]
    not_a_date = texts(await bot.say(sam, "Maya"))
    assert not_a_date[0].endswith("To change the name instead, say <i>back</i>.")
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "No")
    zones = texts(await bot.say(sam, "yes"))  # not Moscow, Seoul or Istanbul
    assert zones[0].startswith("No rush! Just tap the time zone you're in below")
    assert await children(bot) == [("Mia", date(2026, 3, 15), None)]


async def test_every_question_has_a_way_out_by_button_too(bot: Harness):
    """Name, birthdate, time zone, time, settings, rename, pause: each has a button that skips, keeps or leaves
    it, and pressing it does what the word would."""
    sam = TgParent(1318)
    await bot.say(sam, "/start")
    name = await bot.tap(sam, "Skip for now")
    assert name[0].text.startswith("No problem: I'll call your child <b>Baby</b> for now")
    assert name[0].button_labels == ["Not now"]
    held = await bot.tap(sam, "Not now")
    assert texts(held) == [
        "OK, we've stopped there. Baby isn't saved yet: I still need to know the birthdate."
    ]
    await bot.tap(sam, "Carry on with Baby")
    pick = await bot.say(sam, "03/04/2026")
    assert texts(await bot.tap(sam, "Neither: I'll type it again"))[0].startswith(
        "When was <b>Baby</b> born?"
    )
    await bot.say(sam, "3 April 2026")
    await bot.tap(sam, "No")
    days = await bot.tap(sam, "Skip: keep UTC time")
    assert days[0].text.startswith("I'll keep UTC time for now.")
    await bot.tap(sam, "Mon")
    done = await bot.tap(sam, "Skip: keep 09:00")
    assert done[0].text.startswith("All set!")
    assert "Tips come on Mondays at 09:00 (UTC time)." in done[0].text
    for button in ("📅 Days", "🕘 Time", "🌍 Time zone", "🔢 Tips a week"):
        await bot.say(sam, "/settings")
        await bot.tap(sam, button)
        assert texts(await bot.tap(sam, "Leave it as it is")) == ["OK, nothing changed."], button
    await bot.say(sam, "/children")
    await bot.tap(sam, "Baby")
    await bot.tap(sam, "✏️ Rename")
    assert texts(await bot.tap(sam, "Keep the name")) == ["OK, the name stays as it is."]
    await bot.say(sam, "/children")
    await bot.tap(sam, "Baby")
    await bot.tap(sam, "📅 Change dates")
    assert texts(await bot.tap(sam, "Keep the dates as they are")) == [
        "OK, nothing changed: Baby's dates stay as they were."
    ]
    await bot.say(sam, "/pause")
    assert texts(await bot.tap(sam, "Never mind")) == ["OK, your tips carry on as before."]
    assert pick
    assert await children(bot) == [("Baby", date(2026, 4, 3), None)]


async def add_twin(bot: Harness, sam: TgParent, name: str) -> list[str]:
    await bot.say(sam, "/addchild")
    await bot.say(sam, name)
    return texts(await bot.say(sam, "1 April 2026"))


async def test_a_twins_due_date_is_taken_from_a_typed_yes_or_same_and_another_date_stays_possible(
    bot: Harness,
):
    sam = TgParent(1319)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 April 2026")
    await bot.tap(sam, "Yes, born early")
    await bot.say(sam, "20 May 2026")
    await bot.say(sam, "London")
    await bot.tap(sam, "Sunday 09:00 is fine")
    for name, said in (("Leo", "yes"), ("Ava", "same as Mia")):
        asked = await add_twin(bot, sam, name)
        assert asked[0].startswith(f"{name} was born the same day as Mia. Is {name}'s due date the same too?")
        assert texts(await bot.say(sam, said))[0].startswith(f"{name} is added!"), said
    await add_twin(bot, sam, "Bo")
    due = await bot.tap(sam, "Another due date")
    assert texts(due)[0].startswith("What was the due date?")
    await bot.say(sam, "25 May 2026")
    assert await children(bot) == [
        ("Mia", date(2026, 4, 1), date(2026, 5, 20)),
        ("Leo", date(2026, 4, 1), date(2026, 5, 20)),
        ("Ava", date(2026, 4, 1), date(2026, 5, 20)),
        ("Bo", date(2026, 4, 1), date(2026, 5, 25)),
    ]


async def test_start_in_the_middle_of_adding_a_child_keeps_it_and_offers_to_carry_on(bot: Harness):
    sam = TgParent(1320)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    back = await bot.say(sam, "/start")
    assert back[0].text.startswith("Welcome back, Sam! You're set up for <b>Mia</b>.")
    assert back[1].text == "We were adding Leo, and I still need to know the birthdate. Carry on?"
    assert back[1].button_labels == ["Carry on with Leo", "Start afresh"]


async def test_how_early_a_baby_came_is_offered_back_as_a_due_date(bot: Harness):
    sam = TgParent(1321)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 February 2026")
    await bot.tap(sam, "Yes, born early")
    offer = await bot.say(sam, "she was 5 weeks early")
    assert texts(offer) == [
        "Thank you! That puts Mia's due date at about <b>8 March 2026</b>. Shall I use it? A close guess is "
        "fine, or type the date if you know it."
    ]
    assert texts(await bot.say(sam, "born at 34 weeks"))[0].startswith(
        "Thank you! That puts Mia's due date at about <b>15 March 2026</b>."
    )
    done = await bot.tap(sam, "Yes, use 15 March 2026")
    assert done[0].text.startswith("Thank you! Mia is all set.")
    assert await children(bot) == [("Mia", date(2026, 2, 1), date(2026, 3, 15))]


async def test_stop_words_at_stop_your_tips_stop_the_tips(bot: Harness):
    sam = TgParent(1330)
    await onboard(bot, sam)
    for words in ("stop please", "stop", "Stop it.", "stop that", "please stop"):
        await bot.say(sam, "/stop")
        stopped = texts(await bot.say(sam, words))
        assert stopped[0].startswith("I've stopped your tips."), words
        parent = await bot.parent_row(1330)
        assert parent is not None
        assert parent.state == ParentState.STOPPED
        await bot.say(sam, "/resume")
    await bot.say(sam, "/stop")
    assert texts(await bot.say(sam, "never mind")) == ["OK, your tips carry on as before."]


async def test_leaving_a_correction_made_during_setup_goes_back_to_setup(bot: Harness):
    sam = TgParent(1331)
    await to_time_zone(bot, sam, "Mai", "3 March 2026")
    ways_out = [
        ("📅 Change Mai's birthdate", "tap:Keep the dates as they are"),
        ("📅 Change Mai's birthdate", "back"),
    ]
    ways_out += [("✏️ Change the name Mai", "tap:Keep the name"), ("✏️ Change the name Mai", "never mind")]
    ways_out += [("✏️ Change the name Mai", "/cancel"), ("📅 Change Mai's birthdate", "cancel")]
    for button, way in ways_out:
        fix = await bot.say(sam, "oops")
        await bot.press(sam, fix[0].data_for(button))
        left = await (bot.tap(sam, way[4:]) if way.startswith("tap:") else bot.say(sam, way))
        assert left[0].text.startswith("OK, nothing changed.\n\nWhich time zone are you in?"), (button, way)
    await bot.say(sam, "London")
    done = await bot.tap(sam, "Sunday 09:00 is fine")
    assert done[0].text.startswith("All set!")
    parent = await bot.parent_row(1331)
    assert parent is not None
    assert parent.time_zone == "Europe/London"
    assert await children(bot) == [("Mai", date(2026, 3, 3), None)]


async def test_how_early_said_at_born_early_is_offered_as_a_due_date(bot: Harness):
    sam = TgParent(1332)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 February 2026")
    for said in ("yes, 5 weeks early", "5 weeks early", "she was 5 weeks early"):
        offer = await bot.say(sam, said)
        assert texts(offer) == [
            "Thank you! That puts Mia's due date at about <b>8 March 2026</b>. Shall I use it? A close guess "
            "is fine, or type the date if you know it."
        ], said
        await bot.say(sam, "back")
        asked = texts(await bot.say(sam, "back"))
        assert asked[0].startswith("Was Mia born early"), said
    again = texts(await bot.say(sam, "a bit"))
    assert again[0].startswith(
        "Please tap Yes or No, or tell me how early (for example <i>5 weeks early</i>).\n\nWas Mia born early"
    )
    await bot.say(sam, "yes, 5 weeks early")
    done = await bot.tap(sam, "Yes, use 8 March 2026")
    assert done[0].text.startswith("Thank you! Mia is all set.")
    assert await children(bot) == [("Mia", date(2026, 2, 1), date(2026, 3, 8))]


async def test_no_to_a_twins_same_due_date_asks_for_another_due_date(bot: Harness):
    sam = TgParent(1333)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 April 2026")
    await bot.tap(sam, "Yes, born early")
    await bot.say(sam, "20 May 2026")
    await bot.say(sam, "London")
    await bot.tap(sam, "Sunday 09:00 is fine")
    await add_twin(bot, sam, "Leo")
    due = texts(await bot.say(sam, "no"))
    assert due[0].startswith("What was the due date?")
    await bot.say(sam, "25 May 2026")
    await add_twin(bot, sam, "Ava")
    assert texts(await bot.tap(sam, "Not born early"))[0].startswith("Ava is added!")
    assert await children(bot) == [
        ("Mia", date(2026, 4, 1), date(2026, 5, 20)),
        ("Leo", date(2026, 4, 1), date(2026, 5, 25)),
        ("Ava", date(2026, 4, 1), None),
    ]


async def test_ok_long_after_leaving_a_child_half_added_is_no_yes_to_carry_on(bot: Harness):
    sam = TgParent(1334)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    left = await bot.say(sam, "not now")
    assert left[0].button_labels == ["Carry on with Leo", "Start afresh"]
    await bot.say(sam, "what's normal at 8 months?")
    for words in ("ok", "yes", "thanks"):
        said = texts(await bot.say(sam, words))
        assert not any("Leo" in text for text in said), (words, said)
    offer = await bot.say(sam, "go back")  # the offer again: now a "yes" answers it
    assert texts(offer) == ["We were adding Leo, and I still need to know the birthdate. Carry on?"]
    assert texts(await bot.say(sam, "yes"))[0].startswith("When was <b>Leo</b> born?")
    await bot.say(sam, "/cancel")
    await bot.say(sam, "/settings")
    assert not any("Leo" in text for text in texts(await bot.say(sam, "ok")))
    carried = await bot.press(sam, left[0].data_for("Carry on with Leo"))  # the button still works
    assert texts(carried)[0].startswith("When was <b>Leo</b> born?")


async def test_a_child_called_ty_or_skip_can_be_named(bot: Harness):
    sam = TgParent(1335)
    await bot.say(sam, "/start")
    assert texts(await bot.say(sam, "Ty")) == [ASK_MIA.replace("Mia", "Ty")]
    await bot.say(sam, "back")
    skipped = texts(await bot.say(sam, "Skip"))
    assert skipped == [
        "No problem: I'll call your child <b>Baby</b> for now. To change the name any time, send /children and tap ✏️ Rename. If your child really is called "
        "Skip, send <i>their name is Skip</i>.\n\n" + ASK_MIA.replace("Mia", "Baby")
    ]
    await bot.say(sam, "back")
    assert texts(await bot.say(sam, "their name is Skip")) == [ASK_MIA.replace("Mia", "Skip")]
    await bot.say(sam, "back")
    assert texts(await bot.say(sam, "not sure"))[0].startswith(
        "No problem: I'll call your child <b>Baby</b> for now. To change the name any time, send /children and tap ✏️ Rename.\n\n"
    )


async def test_a_date_that_cannot_be_read_keeps_the_way_out_button(bot: Harness):
    sam = TgParent(1336)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    unread = await bot.say(sam, "32/13/2026")
    assert unread[0].text.startswith("“32/13/2026” isn't a real date.")
    assert unread[0].button_labels == ["Not now"]
    future = await bot.say(sam, "1 January 2030")
    assert future[0].button_labels == ["Not now"]
    await bot.say(sam, "1 February 2026")
    await bot.tap(sam, "Yes, born early")
    due = await bot.say(sam, "soon after 5")
    assert due[0].text.startswith("I couldn't read")
    assert due[0].button_labels == ["Skip: no due date"]
    assert texts(await bot.tap(sam, "Skip: no due date"))[0].startswith("Thank you! Mia is all set.")
    await bot.say(sam, "/children")
    await bot.tap(sam, "Mia")
    await bot.tap(sam, "📅 Change dates")
    edit = await bot.say(sam, "the 45th")
    assert edit[0].button_labels == ["Keep the dates as they are"]
    assert texts(await bot.tap(sam, "Keep the dates as they are")) == [
        "OK, nothing changed: Mia's dates stay as they were."
    ]
