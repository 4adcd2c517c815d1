"""Several children: adding, listing, renaming, new dates, removing, and questions about the right one."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.conversation import texts as wording
from bot.core.answers import ChildInfo, answer, typical_now
from content import default_library
from db.models import Child, Delivery
from tests.bot.support import NOW, Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent


def answered(question: str, child: ChildInfo | None) -> str:
    return answer(question, library=default_library(), today=NOW.date(), child=child).text


MIA = ChildInfo("Mia", date(2026, 3, 15), None)
LEO = ChildInfo("Leo", date(2025, 2, 1), None)


async def two_children(bot: Harness, parent: TgParent) -> None:
    await onboard(bot, parent)
    assert texts(await bot.say(parent, "/addchild")) == ["What's this child's name? A nickname is fine."]
    await bot.say(parent, "Leo")
    await bot.say(parent, "1 February 2025")
    added = await bot.tap(parent, "No")
    assert added[0].text == (
        "Leo is added! Born 1 February 2025 (to change it: /children). Here's a first idea to try with Leo "
        "now.\nTips come on Sundays at 09:00 "
        "(London time). The next one comes on Sunday 6 December at 09:00.\nAsk me anything, or "
        "send /help."
    )
    assert added[1].text.startswith("<b>Leo</b> · 1 year 9 months\n\n<b>Try this</b>")
    assert texts(await bot.press(parent, added[0].data_for("🌱 What's typical now"))) == [
        typical_now(LEO, library=default_library(), today=NOW.date()).text
    ]


async def test_children_list_and_menu(bot: Harness):
    sam = TgParent(201)
    await two_children(bot, sam)
    listing = await bot.say(sam, "/children")
    assert texts(listing) == [
        "<b>Your children</b>\n• <b>Mia</b>, 8 months\n• <b>Leo</b>, 1 year 9 months\n\n"
        "Tap a name to rename, change dates, invite a caregiver or remove."
    ]
    assert listing[0].button_labels == ["Mia", "Leo", "➕ Add a child"]
    menu = await bot.tap(sam, "Leo")
    assert menu[0].text == "<b>Leo</b>, 1 year 9 months\nBorn 1 February 2025"
    # At 21 months the end of the tips is over a year away: no "keep after age 3" yet.
    assert menu[0].button_labels == ["✏️ Rename", "📅 Change dates", "👥 Invite a caregiver", "🗑 Remove"]

    assert texts(await bot.tap(sam, "✏️ Rename")) == ["What should I call Leo from now on?"]
    assert texts(await bot.say(sam, "Leo <the lion>")) == ["Done: Leo is now called Leo &lt;the lion&gt;."]

    await bot.say(sam, "/children")
    await bot.tap(sam, "Mia")
    assert texts(await bot.tap(sam, "📅 Change dates"))[0].startswith("When was <b>Mia</b> born?")
    await bot.say(sam, "1 April 2026")
    await bot.tap(sam, "Yes, born early")
    assert texts(await bot.say(sam, "2026-05-20")) == [
        "Saved. Mia is 6 months old (corrected for being born early)."
    ]
    async with bot.sessions() as s:
        mia = await s.scalar(select(Child).where(Child.name == "Mia"))
    assert mia is not None
    assert (mia.birthdate, mia.due_date) == (date(2026, 4, 1), date(2026, 5, 20))


async def test_remove_a_child_after_confirming(bot: Harness):
    sam = TgParent(202)
    await two_children(bot, sam)
    await bot.say(sam, "/children")
    await bot.tap(sam, "Leo")
    confirm = await bot.tap(sam, "🗑 Remove")
    assert confirm[0].text == (
        "Remove Leo from your list? You'll get no more tips for Leo. Anyone else who shares Leo keeps them."
    )
    assert texts(await bot.tap(sam, "Yes, remove Leo")) == ["Leo is removed from your list."]
    assert await bot.count(Child) == 1
    # The same confirmation pressed again is stale now.
    assert texts(await bot.press(sam, confirm[0].data_for("Yes, remove Leo"))) == [wording.EXPIRED]


async def test_question_asks_which_child_unless_it_names_an_age(bot: Harness):
    sam = TgParent(203)
    await two_children(bot, sam)
    which = await bot.say(sam, "Why does she cry when I leave the room?")
    assert texts(which) == ["Which child is this about?"]
    assert which[0].button_labels == ["Mia", "Leo"]
    assert texts(await bot.tap(sam, "Leo")) == [answered("Why does she cry when I leave the room?", LEO)]
    parent = await bot.parent_row(203)
    assert parent is not None
    assert parent.flow_data is None

    question = "what's normal at 10 months?"
    assert texts(await bot.say(sam, question)) == [answered(question, None)]


async def test_typing_while_asked_which_child_is_a_new_question(bot: Harness):
    sam = TgParent(210)
    await two_children(bot, sam)
    await bot.say(sam, "Why does she cry when I leave the room?")
    mia_id = bot.api.last_to(210).data_for("Mia").rsplit(":", 1)[1]
    # The child's id typed is not a tap: it is a (meaningless) new question, answered as one at once (the
    # guidance has nothing on it whatever the child's age, so there is no child to ask about).
    assert texts(await bot.say(sam, mia_id))[0].startswith("I couldn't find that in the guidance")
    assert texts(await bot.say(sam, "does he bite?")) == ["Which child is this about?"]
    for forged in ("-1", "abc", "", "999999"):  # junk in place of a child: the question keeps waiting
        assert texts(await bot.press(sam, f"f:ask:{forged}"))[0].startswith(wording.EXPIRED_TOAST)
    assert texts(await bot.tap(sam, "Mia")) == [answered("does he bite?", MIA)]
    assert texts(await bot.press(sam, f"f:ask:{mia_id}"))[0].startswith(wording.EXPIRED_TOAST)


async def test_one_child_needs_no_choice_and_normal_and_tip(bot: Harness):
    sam = TgParent(204)
    await onboard(bot, sam)
    assert texts(await bot.say(sam, "my baby cries at night")) == [answered("my baby cries at night", MIA)]
    assert texts(await bot.say(sam, "/normal")) == [
        typical_now(MIA, library=default_library(), today=NOW.date()).text
    ]
    bot.clock.advance(minutes=5)  # a while after the first tip, which setup sent
    tip = await bot.say(sam, "/tip")
    assert len(tip) == 1
    async with bot.sessions() as s:
        delivery = await s.scalar(select(Delivery).order_by(Delivery.id.desc()))
    assert delivery is not None
    assert delivery.kind == "on_demand"
    assert tip[0].buttons[0] == [
        ("👍 Helpful", f"tip:h:{delivery.id}"),
        ("🙅 Not for us", f"tip:n:{delivery.id}"),
    ]

    assert await bot.tap(sam, "👍 Helpful") == []
    assert bot.toasts()[-1] == "Thanks! Glad it helped."
    async with bot.sessions() as s:
        delivery = await s.scalar(select(Delivery).order_by(Delivery.id.desc()))
    assert delivery is not None
    assert delivery.feedback == "helpful"

    more = await bot.tap(sam, "➕ Another tip")
    assert len(more) == 1
    assert more[0].text != tip[0].text
    assert bot.toasts()[-1] == "A tip for Mia is on its way."


async def test_normal_and_tip_with_two_children_offer_buttons(bot: Harness):
    sam = TgParent(205)
    await two_children(bot, sam)
    which = await bot.say(sam, "/normal")
    assert texts(which) == ["Which child?"]
    assert texts(await bot.tap(sam, "Leo")) == [
        typical_now(LEO, library=default_library(), today=NOW.date()).text
    ]
    bot.clock.advance(minutes=5)
    which = await bot.say(sam, "/tip")
    assert texts(which) == ["A tip for which child?"]
    tip = await bot.tap(sam, "Mia")
    assert len(tip) == 1
    assert tip[0].text.startswith("<b>Mia</b>")


async def test_settings_change_days_time_zone_and_tips_a_week(bot: Harness):
    sam = TgParent(206)
    await onboard(bot, sam)
    menu = await bot.say(sam, "/settings")
    assert menu[0].text.startswith("<b>Your settings</b>\nDays: Sundays\nTime: 09:00\nTime zone: London\n")
    await bot.tap(sam, "🔢 Tips a week")
    assert texts(await bot.tap(sam, "3 a week")) == [
        "3 a week it is. Tips come on Tuesdays, Thursdays and Sundays at 09:00 (London time). "
        "The next one comes on Tuesday 1 December at 09:00."
    ]
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    ask = await bot.say(sam, "6")
    assert ask[0].text == "Do you mean 06:00 or 18:00?"
    assert ask[0].buttons == [
        [("06:00", "f:time:06:00"), ("18:00", "f:time:18:00")],
        [("Leave it as it is", "f:time:cancel")],
    ]
    assert texts(await bot.say(sam, "20:15"))[0].startswith(
        "Done. Tips come on Tuesdays, Thursdays and Sundays at 20:15 (London time)."
    )
    await bot.say(sam, "/settings")
    await bot.tap(sam, "📅 Days")
    assert texts(await bot.say(sam, "mon fri"))[0].startswith(
        "Done. Tips come on Mondays and Fridays at 20:15"
    )
    await bot.say(sam, "/settings")
    await bot.tap(sam, "📅 Days")
    too_many = await bot.say(sam, "mon tue wed thu fri")
    assert too_many[0].text.startswith("I send one to three tips a week, so each one has time to settle in.")
    assert too_many[0].button_labels == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Leave it as it is"]
    assert texts(await bot.say(sam, "mon wed fri"))[0].startswith(
        "Done. Tips come on Mondays, Wednesdays and Fridays at"
    )
    await bot.say(sam, "/settings")
    await bot.tap(sam, "📅 Days")
    assert texts(await bot.tap(sam, "Sat"))[0].startswith(
        "Done. Tips come on Mondays, Wednesdays and Saturdays at"
    )
    await bot.say(sam, "/settings")
    await bot.tap(sam, "📅 Days")
    await bot.say(sam, "Monday and Friday")
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🌍 Time zone")
    assert texts(await bot.say(sam, "Tokyo")) == [
        "Time zone set: Tokyo time, now 19:00. Tips come on Mondays and Fridays at 20:15 (Tokyo time). "
        "The next one comes on Monday 30 November at 20:15."
    ]


async def test_pause_resume_stop(bot: Harness):
    sam = TgParent(207)
    await onboard(bot, sam)
    await bot.say(sam, "/pause")
    assert texts(await bot.tap(sam, "Until I resume")) == [
        "Tips are paused until you send /resume. You can still ask me anything."
    ]
    parent = await bot.parent_row(207)
    assert parent is not None
    assert (parent.state, parent.next_due_at) == ("paused", None)
    assert texts(await bot.say(sam, "/resume"))[0].startswith("Tips are back on. They come on Sundays")
    await bot.say(sam, "/stop")
    await bot.tap(sam, "Yes, stop tips")
    parent = await bot.parent_row(207)
    assert parent is not None
    assert (parent.state, parent.next_due_at) == ("stopped", None)
    await bot.say(sam, "/start")
    parent = await bot.parent_row(207)
    assert parent is not None
    assert parent.state == "active"
    assert parent.next_due_at is not None


async def test_tips_a_week_one_two_three_and_typed_numbers_are_not_days(bot: Harness):
    sam = TgParent(208)
    await onboard(bot, sam)
    expected = {
        "2 a week": "Tips come on Wednesdays and Sundays",
        "1 a week": "Tips come on Sundays",
        "3 a week": "Tips come on Tuesdays, Thursdays and Sundays",
    }
    for label, schedule in expected.items():
        await bot.say(sam, "/settings")
        await bot.tap(sam, "🔢 Tips a week")
        assert texts(await bot.tap(sam, label))[0].startswith(
            f"{label.split()[0]} a week it is. {schedule} at"
        )
    assert texts(await bot.say(sam, "/settings"))[0].count("Tips a week: 3") == 1
    days = await bot.tap(sam, "📅 Days")
    assert days[0].buttons[0][0] == ("Mon", "f:days:mon")
    not_days = await bot.say(sam, "3")  # the question again, with its buttons
    assert not_days[0].text.startswith("I couldn't read “3” as days of the week.\n\nWhich day should tips")
    assert not_days[0].buttons[0][0] == ("Mon", "f:days:mon")
    # One day typed or tapped: three tips a week still, spread out from it.
    assert texts(await bot.say(sam, "wednesday"))[0].startswith(
        "Done. Tips come on Wednesdays, Fridays and Sundays at 09:00"
    )


async def test_keeping_the_default_schedule_sets_what_the_button_says(bot: Harness):
    """A parent who set up before (children since removed) and keeps "Sunday 09:00" gets exactly that."""
    sam = TgParent(209)
    await onboard(bot, sam)
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    await bot.say(sam, "7pm")
    await bot.say(sam, "/children")
    await bot.tap(sam, "Mia")
    await bot.tap(sam, "🗑 Remove")
    await bot.tap(sam, "Yes, remove Mia")
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    await bot.say(sam, "1 May 2026")
    await bot.tap(sam, "No")
    await bot.say(sam, "London")
    done = await bot.tap(sam, "Sunday 09:00 is fine")
    assert done[0].text.startswith(
        "All set! Here's a first idea to try with Leo now.\nTips come on Sundays at 09:00 (London time)."
    )


async def test_on_the_due_date_a_baby_born_early_reads_naturally(bot: Harness):
    sam = TgParent(4990)
    bot.clock.now = datetime(2026, 10, 6, 12, 0, tzinfo=UTC)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 September 2026")
    await bot.tap(sam, "Yes, born early")
    await bot.say(sam, "6 October 2026")
    listing = texts(await bot.say(sam, "/children"))
    assert "• <b>Mia</b>, 5 weeks, due date today" in listing[0]
    assert "0 days" not in listing[0]
    bot.clock.advance(days=1)
    assert "• <b>Mia</b>, 1 day, corrected age" in texts(await bot.say(sam, "/children"))[0]
