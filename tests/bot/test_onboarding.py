"""/start to the first-tip promise, exactly as a parent sees it, including a restart half-way through."""

from datetime import date

from sqlalchemy import select

from bot.conversation import texts as wording
from bot.core.answers import ChildInfo, typical_now
from content import default_library
from db.models import Child, Parent
from tests.bot.support import NOW, Harness, onboard, texts, to_time_zone
from tests.fake_telegram import Parent as TgParent

WELCOME = (
    "Hello Sam! I'm Secure Base, here to help you build a warm, secure bond with your little one.\n"
    "Each week I'll send a short, practical idea that fits your child's age, and you can ask me what's "
    "typical any time."
)
ASK_NAME = "What's your child's name? A nickname is fine."
ASK_BIRTHDATE = "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
ASK_EARLY = (
    "Was Mia born early, before the due date? If so, I count the age from the due date (the corrected "
    "age), as doctors do for babies born early."
)


def typical(name: str, birthdate: date, due_date: date | None = None) -> str:
    info = ChildInfo(name=name, birthdate=birthdate, due_date=due_date)
    return typical_now(info, library=default_library(), today=NOW.date()).text


async def test_whole_onboarding_with_defaults(bot: Harness):
    sam = TgParent(101, "Sam")
    assert texts(await bot.say(sam, "/start")) == [WELCOME, ASK_NAME]
    assert texts(await bot.say(sam, "  Mia  ")) == [ASK_BIRTHDATE]
    early = await bot.say(sam, "15 March 2026")
    assert texts(early) == [ASK_EARLY]
    assert early[0].buttons == [[("Yes, born early", "f:early:yes"), ("No", "f:early:no")]]

    zones = await bot.tap(sam, "No")
    assert zones[0].text.startswith(
        "Thank you! Mia is all set. Born 15 March 2026 (to change it: /children).\n\nWhich time zone are you in?"
    )
    assert zones[0].button_labels == [
        "London", "Berlin", "New York", "Chicago", "Los Angeles", "Kolkata", "Singapore", "Sydney",
        "Skip: keep UTC time",
    ]  # fmt: skip
    days = await bot.say(sam, "London")
    assert days[0].text.startswith(
        "Time zone set: London time, now 10:00.\n\nLast thing: when would you like your tips?"
    )
    assert days[0].buttons[0] == [("Sunday 09:00 is fine", "f:days:keep")]
    assert days[0].button_labels[1:] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    done = await bot.tap(sam, "Sunday 09:00 is fine")
    assert done[0].text == (
        "All set! Here's a first idea to try with Mia now.\nTips come on Sundays at 09:00 (London "
        "time). The next one comes on Sunday 6 December at 09:00.\nAsk me anything, or send /help."
    )
    assert done[0].button_labels == ["🌱 What's typical now"]
    assert done[1].text.startswith("<b>Mia</b> · 8 months\n\n<b>Try this</b>\n")  # the idea to try now
    assert len(done) == 2
    typical_now = await bot.press(sam, done[0].data_for("🌱 What's typical now"))
    assert texts(typical_now) == [typical("Mia", date(2026, 3, 15))]
    parent = await bot.parent_row(101)
    assert parent is not None
    assert (parent.time_zone, parent.tip_days, parent.flow, parent.flow_data) == (
        "Europe/London",
        "6",
        None,
        None,
    )
    assert parent.next_due_at is not None
    assert parent.next_due_at.isoformat() == "2026-12-06T09:00:00+00:00"


async def test_ambiguous_date_early_birth_typed_zone_and_own_time(bot: Harness):
    sam = TgParent(102, "Sam")
    await bot.say(sam, "/start")
    await bot.say(sam, "Leo")
    pick = await bot.say(sam, "03/04/2026")
    assert texts(pick) == ["Just to be sure, which date do you mean?"]
    assert pick[0].buttons == [
        [("3 April 2026", "f:birthdate_pick:2026-04-03")],
        [("4 March 2026", "f:birthdate_pick:2026-03-04")],
        [("Neither: I'll type it again", "f:birthdate_pick:back")],
    ]
    await bot.tap(sam, "4 March 2026")
    due = await bot.tap(sam, "Yes, born early")
    assert texts(due) == [
        "What was the due date? Write it like 2026-03-15, 15/03/2026 or 15 March 2026, or say how early (like "
        "<i>5 weeks early</i>). Not sure? Tap Skip, and I'll use the birthdate."
    ]
    assert due[0].buttons == [[("Skip: no due date", "f:due:skip")]]
    assert texts(await bot.say(sam, "1 March 2026")) == [
        "The due date (1 March 2026) should be after the birthdate (4 March 2026). It only matters for a baby "
        "born early, so you can skip it if your baby arrived on time or late."
    ]
    await bot.say(sam, "2026-04-20")
    choose = await bot.say(sam, "new")  # part of a name: the biggest places it could be, to choose from
    assert choose[0].text == "Which one do you mean?"
    assert choose[0].buttons[:2] == [
        [("New York City, United States", "f:tz:America/New_York")],
        [("New Taipei City, Taiwan", "f:tz:Asia/Taipei")],
    ]
    days = await bot.tap(sam, "New York City, United States")
    assert days[0].text.startswith("Time zone set: New York time, now 05:00.\n\nLast thing")
    assert texts(await bot.tap(sam, "Wed"))[0].startswith("What time of day?")
    not_a_time = await bot.say(sam, "quarter past")  # the question again, with its buttons
    assert not_a_time[0].text.startswith("I couldn't read “quarter past” as a time.\n\nWhat time of day?")
    assert not_a_time[0].button_labels[:2] == ["07:00", "09:00"]
    done = await bot.say(sam, "7:30pm")
    assert done[0].text.startswith(
        "All set! Here's a first idea to try with Leo now.\nTips come on Wednesdays at 19:30 "
        "(New York time). The next one comes on Wednesday 2 December at 19:30."
    )
    assert done[1].text.startswith("<b>Leo</b> · 7 months (corrected)")
    assert texts(await bot.press(sam, done[0].data_for("🌱 What's typical now"))) == [
        typical("Leo", date(2026, 3, 4), date(2026, 4, 20))
    ]
    async with bot.sessions() as s:
        child = await s.scalar(select(Child))
    assert child is not None
    assert (child.name, child.birthdate, child.due_date) == ("Leo", date(2026, 3, 4), date(2026, 4, 20))


async def test_dates_that_cannot_be_right_are_refused_kindly(bot: Harness):
    sam = TgParent(103, "Sam")
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    assert texts(await bot.say(sam, "31/02/2026")) == [
        "“31/02/2026” isn't a real date: February 2026 has 28 days."
    ]
    future = await bot.say(sam, "2027-01-05")
    assert future[0].text.startswith("5 January 2027 is in the future.")
    too_old = await bot.say(sam, "2023-01-05")
    assert texts(too_old) == [
        "Mia is past 36 months, and my tips are written for children from birth to three, so I wouldn't have "
        "much to offer. Thank you for thinking of me! If the date has a typo, just send it again; or say "
        "<i>never mind</i> to leave it here."
    ]
    nonsense = await bot.say(sam, "<b>soon</b>")
    assert "&lt;b&gt;soon&lt;/b&gt;" in nonsense[0].text
    parent = await bot.parent_row(103)
    assert parent is not None
    assert parent.flow == "birthdate"


async def test_onboarding_continues_after_a_restart(sessions):
    sam = TgParent(104, "Sam")
    async with Harness(sessions) as first:
        await first.say(sam, "/start")
        await first.say(sam, "Mia")
        await first.say(sam, "15 March 2026")
    async with Harness(sessions) as second:  # a new process: nothing shared but the database
        zones = await second.press(sam, "f:early:no")
        assert zones[0].text.startswith("Thank you! Mia is all set.")
        await second.say(sam, "Berlin")
        done = await second.tap(sam, "Sunday 09:00 is fine")
        assert done[0].text.startswith(
            "All set! Here's a first idea to try with Mia now.\nTips come on Sundays"
        )


async def test_cancel_leaves_the_flow_and_a_stale_button_then_expires(bot: Harness):
    sam = TgParent(105, "Sam")
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    cancelled = await bot.say(sam, "/cancel")
    assert texts(cancelled) == [
        "OK, we've stopped there. Mia isn't saved yet: I still need to know whether Mia was born early."
    ]
    assert cancelled[0].button_labels == ["Carry on with Mia", "Start afresh"]
    assert texts(await bot.press(sam, "f:early:no")) == [wording.EXPIRED]
    assert bot.toasts()[-1] == wording.EXPIRED_TOAST
    assert texts(await bot.say(sam, "/cancel")) == [wording.NOTHING_TO_CANCEL]


async def test_leaving_the_setup_questions_still_schedules_tips(bot: Harness):
    sam = TgParent(107, "Sam")
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "/cancel")
    parent = await bot.parent_row(107)
    assert parent is not None
    assert (parent.time_zone, parent.flow) == ("UTC", None)
    assert parent.next_due_at is not None
    assert parent.next_due_at.isoformat() == "2026-12-06T09:00:00+00:00"


async def test_start_again_after_onboarding_welcomes_back(bot: Harness):
    sam = TgParent(106, "Sam")
    await onboard(bot, sam)
    back = await bot.say(sam, "/start")
    assert texts(back) == [
        "Welcome back, Sam! You're set up for <b>Mia</b>.\nTips come on Sundays at 09:00 (London "
        "time). The next one comes on Sunday 6 December at 09:00.\nAsk me anything, or send /help."
    ]
    assert await bot.count(Parent) == 1


async def test_names_are_escaped_everywhere(bot: Harness):
    sam = TgParent(108, "<Sam>")
    sent = await bot.say(sam, "/start")
    assert sent[0].text.startswith("Hello &lt;Sam&gt;!")
    sent += await bot.say(sam, "<b>Mia & co")
    sent += await bot.say(sam, "15 March 2026")
    sent += await bot.tap(sam, "No")
    sent += await bot.say(sam, "<u>Paris")
    sent += await bot.say(sam, "London")
    sent += await bot.tap(sam, "Sunday 09:00 is fine")
    sent += await bot.say(sam, "/children")
    assert "<b>&lt;b&gt;Mia &amp; co</b>" in sent[-1].text
    for m in sent:
        assert "<b>Mia" not in m.text, m.text
        assert "<u>Paris" not in m.text, m.text
    assert "“&lt;u&gt;Paris”" in "".join(m.text for m in sent)


async def test_help_privacy_and_about_do_not_interrupt_onboarding(bot: Harness):
    sam = TgParent(109, "Sam")
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    assert (await bot.say(sam, "/help"))[0].text.startswith(
        "<b>What I can do</b>\n/start — Set up, or start again"
    )
    assert (await bot.say(sam, "/privacy"))[0].text.startswith("<b>Your privacy</b>")
    about = (await bot.say(sam, "/about"))[0].text
    assert "Source: Early-learning guidance" in about
    assert "Ainsworth, Mary D. (1970)" in about
    assert texts(await bot.say(sam, "15 March 2026")) == [ASK_EARLY]


async def test_markup_in_names_is_shown_as_typed_on_every_path(bot: Harness):
    """Names with tags, ampersands and quotes: escaped wherever they appear, so Telegram shows them as typed."""
    sam, alex = TgParent(110, '<x>Sam & "S"'), TgParent(111, "<i>Al & 'Co'")
    sent = await onboard(bot, sam, name='<x>Mia & "Co"')
    sent += await bot.say(sam, "/start")
    sent += await bot.say(sam, "/normal")
    sent += await bot.say(sam, "/children")
    sent += await bot.tap(sam, '<x>Mia & "Co"')
    sent += await bot.tap(sam, "✏️ Rename")
    sent += await bot.say(sam, "<y>Mia & 'Co'")
    sent += await bot.say(sam, "/children")
    sent += await bot.tap(sam, "<y>Mia & 'Co'")
    sent += await bot.tap(sam, "👥 Invite a caregiver")
    code = sent[-1].text.split("start=", 1)[1].split("\n", 1)[0]
    sent += await bot.say(alex, f"/start {code}")  # with the notice to Sam that Alex joined
    sent += await bot.say(sam, "/children")
    sent += await bot.tap(sam, "<y>Mia & 'Co'")
    sent += await bot.tap(sam, "🗑 Remove")
    shown = "\n".join(m.text for m in sent)
    for raw in ("<x>", "<y>", "<i>Al", "& "):
        assert raw not in shown
    assert '&lt;x&gt;Mia &amp; "Co"' in shown
    assert "Done: &lt;x&gt;Mia &amp; \"Co\" is now called &lt;y&gt;Mia &amp; 'Co'." in shown
    assert "&lt;i&gt;Al &amp; 'Co' joined as a caregiver for &lt;y&gt;Mia &amp; 'Co'." in shown
    assert "Remove &lt;y&gt;Mia &amp; 'Co' from your list?" in shown
    assert sent[-1].button_labels[0] == "Yes, remove <y>Mia & 'Co'"  # buttons are plain text, not HTML


async def test_morning_at_the_time_question_is_a_time_and_ok_keeps_which_hour(bot: Harness):
    sam = TgParent(1340)
    await onboard(bot, sam)
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    assert texts(await bot.say(sam, "Morning"))[0].startswith("Done. Tips come on Sundays at 09:00")
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    assert texts(await bot.say(sam, "3")) == ["Do you mean 03:00 or 15:00?"]
    for words in ("ok", "yes"):
        again = await bot.say(sam, words)
        assert texts(again) == ["Do you mean 03:00 or 15:00?"], words
        assert again[0].button_labels == ["03:00", "15:00", "Leave it as it is"]
    assert texts(await bot.tap(sam, "15:00"))[0].startswith("Done. Tips come on Sundays at 15:00")


async def test_a_baby_before_the_due_date_is_shown_by_age_since_birth_everywhere(bot: Harness):
    sam = TgParent(2090)
    await bot.say(sam, "/start")
    await bot.say(sam, "Leo")
    await bot.say(sam, "15 November 2026")
    await bot.tap(sam, "Yes, born early")
    await bot.say(sam, "20 December 2026")
    await bot.say(sam, "London")
    done = await bot.tap(sam, "Sunday 09:00 is fine")
    assert done[1].text.startswith("<b>Leo</b> · 2 weeks (due date still 3 weeks ahead)\n\n")
    assert "0 days" not in done[1].text
    listed = texts(await bot.say(sam, "/children"))[0]
    assert "<b>Leo</b>, 2 weeks, due date still 3 weeks ahead" in listed
    shown = texts(await bot.tap(sam, "Leo"))[0]
    assert shown.startswith("<b>Leo</b>, 2 weeks, due date still 3 weeks ahead\n")
    answer = texts(await bot.say(sam, "is it normal he cries when I put him down?"))[0]
    assert "0 days" not in answer
    assert "<b>Leo</b> (2 weeks, due date still 3 weeks ahead), not a checklist:" in answer
    exported = texts(await bot.say(sam, "/mydata"))[0]
    assert "2 weeks, due date still 3 weeks ahead" in exported
