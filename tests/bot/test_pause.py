"""/pause for a while comes back by itself; /stop says how it differs and asks first."""

from datetime import UTC, datetime

from tests.bot.support import Harness, onboard, texts
from tests.dispatch.support import make_dispatcher
from tests.fake_telegram import Parent as TgParent


async def test_a_pause_of_a_week_skips_one_tip_and_resumes_by_itself(bot: Harness):
    sam = TgParent(901)
    await onboard(bot, sam)
    ask = await bot.say(sam, "/pause")
    assert ask[0].text.startswith("Pause tips for how long?")
    assert ask[0].button_labels == ["One week", "Two weeks", "A month", "Until I resume", "Never mind"]
    assert texts(await bot.tap(sam, "One week")) == [
        "Tips are paused until Sunday 6 December, then they come back by themselves. The next one comes on "
        "Sunday 13 December at 09:00. Send /resume to have them sooner."
    ]
    settings = await bot.say(sam, "/settings")
    assert "They are paused until Sunday 6 December, then come back by themselves." in settings[0].text
    # Changing the time during the pause keeps the pause.
    await bot.tap(sam, "🕘 Time")
    assert "The next one comes on Sunday 13 December at 08:00." in texts(await bot.say(sam, "8:00"))[0]

    dispatcher = make_dispatcher(bot.api, bot.sessions)
    during = await dispatcher.run_once(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    after = await dispatcher.run_once(datetime(2026, 12, 13, 8, 1, tzinfo=UTC))
    assert (during.sent, after.sent) == (0, 1)
    parent = await bot.parent_row(901)
    assert parent is not None
    assert parent.state == "active"
    assert parent.next_due_at is not None
    assert parent.next_due_at.isoformat() == "2026-12-20T08:00:00+00:00"


async def test_pause_lengths_typed_and_resume_sooner(bot: Harness):
    sam = TgParent(902)
    await onboard(bot, sam)
    await bot.say(sam, "/pause")
    assert texts(await bot.say(sam, "for two weeks"))[0].startswith(
        "Tips are paused until Sunday 13 December"
    )
    assert texts(await bot.say(sam, "/resume"))[0].startswith("Tips are back on.")
    parent = await bot.parent_row(902)
    assert parent is not None
    assert parent.paused_until is None
    assert parent.next_due_at is not None
    assert parent.next_due_at.isoformat() == "2026-12-06T09:00:00+00:00"
    await bot.say(sam, "/pause")
    assert texts(await bot.say(sam, "a fortnight please"))[0].startswith("Please tap how long")
    assert texts(await bot.say(sam, "never mind")) == ["OK, your tips carry on as before."]


async def test_the_pause_button_under_a_tip_asks_for_how_long_too(bot: Harness):
    sam = TgParent(903)
    done = await onboard(bot, sam)
    asked = await bot.press(sam, done[-1].data_for("⏸ Pause tips"))
    assert asked[0].text.startswith("Pause tips for how long?")
    assert texts(await bot.tap(sam, "Until I resume")) == [
        "Tips are paused until you send /resume. You can still ask me anything."
    ]
    parent = await bot.parent_row(903)
    assert parent is not None
    assert (parent.state, parent.next_due_at) == ("paused", None)


async def test_stop_says_how_it_differs_from_a_pause_and_asks_first(bot: Harness):
    sam = TgParent(904)
    await onboard(bot, sam)
    asked = await bot.say(sam, "/stop")
    assert texts(asked) == [
        "Stop your tips? They stop until you send /resume or /start; your details stay for 12 months after "
        "your last message (erase them now with /deletedata). If you only need a break, a pause brings tips "
        "back by itself."
    ]
    assert asked[0].button_labels == ["Yes, stop tips", "Pause instead", "Keep them coming"]
    assert texts(await bot.tap(sam, "Keep them coming")) == ["OK, your tips carry on as before."]
    await bot.say(sam, "/stop")
    assert texts(await bot.tap(sam, "Pause instead"))[0].startswith("Pause tips for how long?")
    await bot.say(sam, "/stop")
    assert texts(await bot.say(sam, "yes"))[0].startswith("I've stopped your tips.")
    parent = await bot.parent_row(904)
    assert parent is not None
    assert (parent.state, parent.next_due_at) == ("stopped", None)


NOTHING_TO_PAUSE = "There's nothing to pause yet: tips start once your child is set up.\n\n"
ASK_BIRTHDATE = "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."


async def test_pause_while_the_only_child_is_half_added_asks_the_step_again(bot: Harness):
    sam = TgParent(920)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    for said in ("/pause", "pause", "Pause tips!"):
        again = await bot.say(sam, said)
        assert texts(again) == [NOTHING_TO_PAUSE + ASK_BIRTHDATE]
        assert again[0].button_labels == ["Not now"]
    parent = await bot.parent_row(920)
    assert parent is not None
    assert (parent.flow, parent.paused_until, str(parent.state)) == ("birthdate", None, "active")
    # The step goes on as if nothing happened.
    early = await bot.say(sam, "15 March 2026")
    assert early[0].text.startswith("Was Mia born early")
    again = await bot.say(sam, "/pause")
    assert again[0].text.startswith(NOTHING_TO_PAUSE + "Was Mia born early")
    assert again[0].button_labels == ["Yes, born early", "No"]


async def test_pause_after_leaving_a_half_added_child_offers_to_carry_on(bot: Harness):
    sam = TgParent(921)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "/cancel")
    sent = await bot.say(sam, "/pause")
    assert texts(sent) == [
        NOTHING_TO_PAUSE + "We were adding Mia, and I still need to know the birthdate. Carry on?"
    ]
    assert sent[0].button_labels == ["Carry on with Mia", "Start afresh"]
    assert texts(await bot.tap(sam, "Carry on with Mia")) == [ASK_BIRTHDATE]


async def test_pause_with_no_child_at_all_says_so(bot: Harness):
    sam = TgParent(922)
    await bot.say(sam, "/start")
    await bot.tap(sam, "Skip for now")
    sent = texts(await bot.say(sam, "/pause"))
    assert sent[-1].startswith("There's nothing to pause yet")


async def test_pause_once_a_child_is_saved_asks_how_long(bot: Harness):
    sam = TgParent(923)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    await bot.tap(sam, "No")  # Mia is saved; tips are planned from here
    ask = await bot.say(sam, "/pause")
    assert ask[0].text.startswith("Pause tips for how long?")


NOTHING_TO_STOP = "There are no tips to stop yet: they start once your child is set up.\n\n"


async def test_stop_before_any_child_is_saved_asks_the_step_again(bot: Harness):
    sam = TgParent(924)
    await bot.say(sam, "/start")
    asked = await bot.say(sam, "/stop")
    assert texts(asked) == [NOTHING_TO_STOP + "What's your child's name? A nickname is fine."]
    assert asked[0].button_labels == ["Skip for now"]
    await bot.say(sam, "Mia")
    again = await bot.say(sam, "/stop")  # with a child half added: what is kept, and how to come back
    assert texts(again)[0].startswith("There are no tips to stop: Mia isn't set up yet")
    assert again[0].button_labels == ["Carry on with Mia", "Start afresh"]
    # Nothing was lost: the birthdate typed goes on to the next question.
    assert (await bot.say(sam, "15 March 2026"))[0].text.startswith("Was Mia born early")


async def test_pause_instead_at_stop_with_no_child_left_says_there_is_nothing_to_pause(bot: Harness):
    sam = TgParent(925)
    await onboard(bot, sam)
    listing = await bot.say(sam, "/children")
    menu = await bot.press(sam, listing[-1].data_for(listing[-1].button_labels[0]))
    remove = menu[-1].data_for("🗑 Remove")
    await bot.say(sam, "/stop")
    confirm = await bot.press(sam, remove)
    await bot.press(sam, confirm[-1].data_for(confirm[-1].button_labels[0]))  # "Yes, remove ..."
    sent = await bot.press(sam, "f:stop:pause")
    assert texts(sent)[0].startswith("There's nothing to pause yet")
    parent = await bot.parent_row(925)
    assert parent is not None
    assert (parent.flow, parent.paused_until) == (None, None)


async def test_pause_typed_while_a_child_is_held_offers_to_carry_on(bot: Harness):
    sam = TgParent(926)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "/cancel")
    sent = await bot.say(sam, "pause")
    assert texts(sent) == [
        NOTHING_TO_PAUSE + "We were adding Mia, and I still need to know the birthdate. Carry on?"
    ]
    assert sent[0].button_labels == ["Carry on with Mia", "Start afresh"]
    assert texts(await bot.tap(sam, "Carry on with Mia")) == [ASK_BIRTHDATE]


async def test_pause_typed_while_adding_a_second_child_is_like_pause_there(bot: Harness):
    sam = TgParent(927)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    asked = await bot.say(sam, "pause")  # not a date: /pause, as it would be typed with nothing in progress
    assert asked[0].text.startswith("Pause tips for how long?")
    assert texts(await bot.tap(sam, "One week"))[0].startswith("Tips are paused until")


async def test_start_after_stop_says_the_tips_are_back_on(bot: Harness):
    sam = TgParent(928, "Sam")
    await onboard(bot, sam)
    await bot.say(sam, "/stop")
    await bot.tap(sam, "Yes, stop tips")
    back = texts(await bot.say(sam, "/start"))
    assert back[0].startswith(
        "Welcome back, Sam! You're set up for <b>Mia</b>. Your tips are back on.\nTips come on"
    )
    parent = await bot.parent_row(928)
    assert parent is not None
    assert str(parent.state) == "active"
    assert parent.next_due_at is not None


async def test_the_held_childs_name_at_the_offer_carries_on(bot: Harness):
    sam = TgParent(929)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "/cancel")
    await bot.say(sam, "/start")  # "We were adding Mia, and I still need to know the birthdate. Carry on?"
    assert texts(await bot.say(sam, "mia")) == [ASK_BIRTHDATE]
