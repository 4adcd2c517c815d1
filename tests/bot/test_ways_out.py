"""No dead ends: every step has a way forward by button and in parents' words, a question on the way is
answered, and leaving a step keeps what was given. Told as a parent meets it, through the fake Bot API."""

from datetime import date

from sqlalchemy import select

from bot.core.answers import answer
from content import default_library
from db.models import Child, Parent
from tests.bot.support import NOW, Harness, onboard, texts, to_time_zone
from tests.fake_telegram import Parent as TgParent

ASK_NAME = "What's your child's name? A nickname is fine."
AGAIN = "Now, back to where we were:\n"


def answered(question: str) -> str:
    return answer(question, library=default_library(), today=NOW.date(), child=None).text


async def children(bot: Harness) -> list[tuple[str, date, date | None]]:
    async with bot.sessions() as s:
        rows = (await s.scalars(select(Child).order_by(Child.id))).all()
    return [(c.name, c.birthdate, c.due_date) for c in rows]


async def test_a_due_date_can_be_skipped_by_button_or_in_words(bot: Harness):
    sam = TgParent(801)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "15 March 2026")
    due = await bot.tap(sam, "Yes, born early")
    assert due[0].button_labels == ["Skip: no due date"]
    zones = await bot.tap(sam, "Skip: no due date")
    assert zones[0].text.startswith(
        "Thank you! Mia is all set. Born 15 March 2026. I've left the due date out for now, so I'll go by the "
        "birthdate (to add it later, or change anything: /children).\n\nWhich time zone are you in?"
    )
    assert await children(bot) == [("Mia", date(2026, 3, 15), None)]

    for n, words in enumerate(("I don't know", "not sure", "skip", "no")):  # typed, at /addchild
        await bot.say(sam, "/addchild")
        await bot.say(sam, "Leo")
        if n:
            await bot.tap(sam, "Yes, add another Leo")
        await bot.say(sam, "1 February 2026")
        await bot.tap(sam, "Yes, born early")
        added = await bot.say(sam, words)
        assert added[0].text.startswith(
            "Leo is added! Born 1 February 2026. I've left the due date out for now, so I'll go by the birthdate "
            "(to add it later, or change anything: /children). Here's a first idea"
        ), words
        bot.clock.advance(minutes=1)
    assert [due for _, _, due in await children(bot)] == [None] * 5


async def test_a_question_at_the_name_prompt_is_answered_and_the_name_asked_again(bot: Harness):
    sam = TgParent(802)
    await bot.say(sam, "/start")
    question = "what's normal at 10 months?"
    sent = await bot.say(sam, question)
    assert texts(sent) == [answered(question), AGAIN + ASK_NAME]
    assert "born?" not in "".join(texts(sent))
    assert texts(await bot.say(sam, "Her name is Mia")) == [
        "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
    ]
    question = "my 8 month old cries when I leave the room"
    sent = await bot.say(sam, question)
    assert texts(sent) == [
        answered(question),
        AGAIN + "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026.",
    ]
    assert texts(await bot.say(sam, "15 March 2026"))[0].startswith("Was Mia born early")


async def test_names_that_look_like_words_are_still_names(bot: Harness):
    sam = TgParent(803)
    await bot.say(sam, "/start")
    for name in ("Jo-Ann", "Noah James", "Will", "Baby Leo"):
        assert texts(await bot.say(sam, name))[0].startswith(f"When was <b>{name}</b> born?")
        assert texts(await bot.say(sam, "back")) == [ASK_NAME]


async def test_back_goes_one_question_back_and_keeps_the_answers(bot: Harness):
    sam = TgParent(804)
    await bot.say(sam, "/start")
    assert texts(await bot.say(sam, "back")) == ["This is the first question.\n" + ASK_NAME]
    await bot.say(sam, "Mia")
    assert texts(await bot.say(sam, "back")) == [ASK_NAME]
    await bot.say(sam, "Maya")
    await bot.say(sam, "15 March 2026")
    birthdate = await bot.say(sam, "go back")
    assert texts(birthdate)[0].startswith("When was <b>Maya</b> born?")
    await bot.say(sam, "16 March 2026")
    await bot.tap(sam, "Yes, born early")
    assert texts(await bot.say(sam, "back"))[0].startswith("Was Maya born early")
    await bot.tap(sam, "No")
    assert await children(bot) == [("Maya", date(2026, 3, 16), None)]


async def test_skipping_the_name_calls_the_child_baby_for_now(bot: Harness):
    sam = TgParent(805)
    await bot.say(sam, "/start")
    assert texts(await bot.say(sam, "skip")) == [
        "No problem: I'll call your child <b>Baby</b> for now. To change the name any time, send /children and tap ✏️ Rename. If your child really is called "
        "Skip, send <i>their name is Skip</i>.\n\nWhen was <b>Baby</b> born? Write the "
        "date like 2026-03-15, 15/03/2026 or 15 March 2026."
    ]
    skipped = await bot.say(sam, "don't know")
    assert texts(skipped)[0].startswith("I need Baby's birthdate to fit the tips to Baby's age.")


async def test_cancel_half_way_keeps_the_child_to_carry_on_with(bot: Harness):
    sam = TgParent(806)
    await onboard(bot, sam)
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    left = await bot.say(sam, "never mind")
    assert texts(left) == [
        "OK, we've stopped there. Leo isn't saved yet: I still need to know the birthdate."
    ]
    assert left[0].button_labels == ["Carry on with Leo", "Start afresh"]
    await bot.say(sam, "/normal")  # anything else in between: Leo is still held
    offer = await bot.say(sam, "/addchild")
    assert texts(offer) == ["We were adding Leo, and I still need to know the birthdate. Carry on?"]
    assert texts(await bot.tap(sam, "Carry on with Leo"))[0].startswith("When was <b>Leo</b> born?")
    await bot.say(sam, "1 February 2025")
    await bot.tap(sam, "No")
    assert [name for name, _, _ in await children(bot)] == ["Mia", "Leo"]
    parent = await bot.parent_row(806)
    assert parent is not None
    assert (parent.flow, parent.flow_data) == (None, None)


async def test_cancel_says_what_was_kept(bot: Harness):
    sam = TgParent(807)
    await bot.say(sam, "/start")
    assert texts(await bot.say(sam, "/cancel")) == [
        "OK, we've left that. Nothing was saved. Send /start when you're ready."
    ]
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    kept = await bot.say(sam, "cancel")
    assert texts(kept) == [
        "OK, we've left that. What you chose so far is saved. Tips come on Sundays at 09:00 (UTC time). The "
        "next one comes on Sunday 6 December at 09:00. Change it any time in /settings."
    ]
    await bot.say(sam, "/settings")
    await bot.tap(sam, "🕘 Time")
    assert texts(await bot.say(sam, "skip")) == ["OK, nothing changed."]


async def test_a_second_child_with_the_same_name_gets_a_gentle_check(bot: Harness):
    sam = TgParent(808)
    await onboard(bot, sam, name="Maya")
    await bot.say(sam, "/addchild")
    check = await bot.say(sam, "maya")
    assert texts(check) == ["You already have a child called maya here. Add another maya?"]
    assert check[0].button_labels == ["Yes, add another maya", "Use a different name"]
    assert texts(await bot.tap(sam, "Use a different name")) == [
        "Which name should I use? A nickname or an initial is fine."
    ]
    await bot.say(sam, "Maya")
    assert texts(await bot.tap(sam, "Yes, add another Maya"))[0].startswith("When was <b>Maya</b> born?")


async def test_a_twin_is_offered_the_same_due_date(bot: Harness):
    sam = TgParent(809)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    await bot.say(sam, "1 April 2026")
    await bot.tap(sam, "Yes, born early")
    await bot.say(sam, "20 May 2026")
    await bot.say(sam, "London")
    await bot.tap(sam, "Sunday 09:00 is fine")
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    twin = await bot.say(sam, "1 April 2026")
    assert texts(twin) == [
        "Leo was born the same day as Mia. Is Leo's due date the same too? I count the age from the due date "
        "(the corrected age) for babies born early."
    ]
    assert twin[0].button_labels == ["Same as Mia (20 May 2026)", "Another due date", "Not born early"]
    await bot.tap(sam, "Same as Mia (20 May 2026)")
    assert await children(bot) == [
        ("Mia", date(2026, 4, 1), date(2026, 5, 20)),
        ("Leo", date(2026, 4, 1), date(2026, 5, 20)),
    ]


async def test_more_than_three_days_a_week_is_refused_kindly(bot: Harness):
    sam = TgParent(810)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    await bot.say(sam, "London")
    refused = await bot.say(sam, "mon tue wed thu fri sat sun")
    assert refused[0].text.startswith(
        "I send one to three tips a week, so each one has time to settle in. Please pick up to three days."
    )
    assert "Sunday 09:00 is fine" in refused[0].button_labels
    parent = await bot.parent_row(810)
    assert parent is not None
    assert parent.tip_days == "6"


async def test_a_command_for_another_bot_is_left_alone(bot: Harness):
    sam = TgParent(811)
    assert texts(await bot.say(sam, "/start@OtherBot")) == [
        "That command is addressed to another bot, so I've left it. Send /help to see mine."
    ]
    assert await bot.count(Parent) == 0
    assert texts(await bot.say(sam, "/start@SecureBaseTestBot"))[0].startswith("Hello Sam!")


async def test_welcome_back_names_the_children_in_plain_words(bot: Harness):
    sam = TgParent(812)
    await onboard(bot, sam, name="Leo")
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Maya")
    await bot.say(sam, "1 June 2026")
    await bot.tap(sam, "No")
    back = await bot.say(sam, "/start")
    assert texts(back)[0].startswith("Welcome back, Sam! You're set up for <b>Leo</b> and <b>Maya</b>.\n")


async def test_start_again_half_way_offers_the_child_so_far(bot: Harness):
    sam = TgParent(813)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    again = await bot.say(sam, "/start")
    assert texts(again)[1] == "We were adding Mia, and I still need to know the birthdate. Carry on?"
    assert texts(await bot.tap(sam, "Start afresh")) == [ASK_NAME]


async def test_back_at_the_time_zone_says_the_child_is_saved_and_how_to_put_it_right(bot: Harness):
    sam = TgParent(814)
    await to_time_zone(bot, sam, "Mia", "15 March 2026")
    back = await bot.say(sam, "back")
    assert back[0].text == "Mia is saved already: tap below to put something right, or carry on."
    assert back[0].button_labels == ["📅 Change Mia's birthdate", "✏️ Change the name Mia"]
    assert back[1].text.startswith("Which time zone are you in?")
    days = await bot.say(sam, "skip")
    assert days[0].text.startswith("I'll keep UTC time for now.")


async def test_where_to_find_support_tapped_mid_setup_asks_the_step_again(bot: Harness):
    sam = TgParent(2990)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    unknown = await bot.say(sam, "what is the capital of france?")
    sent = await bot.press(sam, unknown[0].data_for("💛 Where to find support"))
    assert sent[0].text.startswith("<b>Here's where to find support.</b>")
    assert sent[-1].text == (
        "Now, back to where we were:\n"
        "When was <b>Mia</b> born? Write the date like 2026-03-15, 15/03/2026 or 15 March 2026."
    )
    assert sent[-1].button_labels == ["Not now"]
    for command in ("/help", "/privacy", "/about"):
        looked = await bot.say(sam, command)
        assert len(looked) == 2, command
        assert looked[-1].text.startswith("Now, back to where we were:\nWhen was <b>Mia</b> born?")
    # Nothing was lost: the date answers the step.
    assert (await bot.say(sam, "15 March 2026"))[0].text.startswith("Was Mia born early")


async def test_where_to_find_support_under_a_reply_to_distress_comes_alone(bot: Harness):
    sam = TgParent(2991)
    await bot.say(sam, "/start")
    await bot.say(sam, "Mia")
    low = await bot.say(sam, "my wife is depressed")
    sent = await bot.press(sam, low[0].data_for("💛 Where to find support"))
    assert len(sent) == 1
    assert sent[0].text.startswith("<b>Here's where to find support.</b>")
    # The step waited: the next message answers it.
    assert (await bot.say(sam, "15 March 2026"))[0].text.startswith("Was Mia born early")


async def test_a_command_half_way_through_the_first_child_offers_to_carry_on_not_to_start(bot: Harness):
    sam = TgParent(830)
    await bot.say(sam, "/start")
    await bot.say(sam, "Sam")
    await bot.say(sam, "1 February 2026")
    for command in ("/children", "/normal", "/tip"):
        offer = await bot.say(sam, command)
        assert texts(offer) == [
            "We were adding Sam, and I still need to know whether Sam was born early. Carry on?"
        ]
        assert offer[0].button_labels == ["Carry on with Sam", "Start afresh"]
    again = await bot.tap(sam, "Carry on with Sam")
    assert texts(again)[0].startswith("Was Sam born early")
    await bot.tap(sam, "No")
    assert await children(bot) == [("Sam", date(2026, 2, 1), None)]


async def test_thanks_or_hello_at_a_yes_or_no_step_is_met_and_the_question_asked_again(bot: Harness):
    sam = TgParent(831)
    await bot.say(sam, "/start")
    await bot.say(sam, "Sam")
    await bot.say(sam, "1 February 2026")
    for said, lead in (("thanks!", "You're welcome! "), ("hello", "Hello! ")):
        again = await bot.say(sam, said)
        assert texts(again)[0].startswith(lead + "Was Sam born early")
        assert again[-1].button_labels == ["Yes, born early", "No"]
    await bot.tap(sam, "No")
    assert await children(bot) == [("Sam", date(2026, 2, 1), None)]
