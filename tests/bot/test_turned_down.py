"""“Not for us” as a parent meets it: for the child the tip was shown for, said plainly, undone from the answer
or from /settings, and, once a stage has no ideas left, said once with a way to bring them back."""

from __future__ import annotations

from sqlalchemy import select

from bot.dispatch import Dispatcher
from bot.telegram.sender import TelegramSender
from content import default_library
from db.models import Delivery
from tests.bot.support import Harness, invite_link, onboard, settings, texts
from tests.fake_telegram import Parent as TgParent
from tests.fake_telegram import Sent

LIBRARY = default_library()
BIRTH_TO_9 = {s.parent for s in LIBRARY.band("sa-band-0-9").strategies}  # type: ignore[union-attr]


async def add_child(bot: Harness, parent: TgParent, name: str, birthdate: str) -> None:
    await bot.say(parent, "/addchild")
    await bot.say(parent, name)
    await bot.say(parent, birthdate)
    await bot.tap(parent, "No")


async def tip_for(bot: Harness, parent: TgParent, name: str | None = None) -> list[Sent]:
    """/tip, tapping the child when asked which (a minute later than the last: a tip's time is its slot)."""
    bot.clock.advance(minutes=1)
    sent = await bot.say(parent, "/tip")
    if name is not None and sent and sent[-1].text == "A tip for which child?":
        sent = await bot.tap(parent, name)
    return sent


def idea(tip: Sent) -> str:
    """The idea a tip carries, in the parent's words."""
    part = tip.text.split("\n\n")[1]
    return part.split("\n", 1)[1].removeprefix("A favourite again: ")


async def scheduled_pass(bot: Harness) -> list[Sent]:
    """One run of the scheduled dispatcher at the bot's clock; what it sent."""
    before = len(bot.api.sent)
    sender = TelegramSender(bot.app.bot)
    await Dispatcher.from_settings(sender, bot.sessions, settings()).run_once(bot.clock.now)
    return bot.api.sent[before:]


async def test_not_for_us_is_for_that_child_only_says_so_and_can_be_undone(bot: Harness):
    sam = TgParent(601, "Sam")
    await onboard(bot, sam, name="Maya", birthdate="10 June 2026")  # 5 months: birth to 9 months
    await add_child(bot, sam, "Leo", "15 August 2026")  # 3 months: the same stage, the same four ideas

    shown = (await tip_for(bot, sam, "Maya"))[-1]
    turned = idea(shown)
    answer = await bot.tap(sam, "🙅 Not for us")
    assert texts(answer) == [
        "🙅 Got it: I won't send this one for Maya again. You can bring it back any time in /settings."
    ]
    assert answer[0].button_labels == ["↩️ Undo"]

    # Leo still gets every idea of the stage, that one included; Maya gets the other three.
    leos = [idea((await tip_for(bot, sam, "Leo"))[-1]) for _ in range(4)]
    assert set(leos) == BIRTH_TO_9
    mayas = [idea((await tip_for(bot, sam, "Maya"))[-1]) for _ in range(3)]
    assert set(mayas) == BIRTH_TO_9 - {turned}

    # Undo from the answer: the idea is back for Maya (the least sent comes first, so it is next).
    undone = await bot.press(sam, answer[0].data_for("↩️ Undo"))
    assert texts(undone) == ["↩️ Done: that idea is back for Maya."]
    assert idea((await tip_for(bot, sam, "Maya"))[-1]) == turned


async def test_settings_lists_what_was_turned_down_per_child_in_pages(bot: Harness):
    sam = TgParent(602, "Sam")
    await onboard(bot, sam, name="Maya", birthdate="20 March 2026")  # 8 months: two stages, nine ideas
    await add_child(bot, sam, "Leo", "1 April 2026")
    for name in ("Maya", "Leo"):
        for _ in range(9):
            await tip_for(bot, sam, name)
            await bot.tap(sam, "🙅 Not for us")

    settings_menu = await bot.say(sam, "/settings")
    assert "🙅 Tips you turned down" in settings_menu[0].button_labels
    pages = [await bot.tap(sam, "🙅 Tips you turned down")]
    while "Next ›" in pages[-1][0].button_labels:
        pages.append(await bot.tap(sam, "Next ›"))
    assert len(pages) == 4
    firsts = [page[0].text.split("\n")[0] for page in pages]
    assert firsts == [f"<b>Tips you turned down</b> (page {n} of 4)" for n in (1, 2, 3, 4)]
    assert all(len(page[0].text) < 1200 for page in pages)
    whole = "\n".join(page[0].text for page in pages)
    assert whole.count("<b>Maya</b>") == 2  # pages 1 and 2
    assert whole.count("<b>Leo</b>") == 3  # pages 2, 3 and 4
    numbers = [label for page in pages for label in page[0].button_labels if label.startswith("↩️")]
    assert numbers == [f"↩️ {n}" for n in range(1, 19)]
    assert "‹ Previous" in pages[3][0].button_labels

    # Number 1 is Maya's latest turned down; bringing it back leaves 17.
    back = await bot.tap(sam, "↩️ 16")
    assert texts(back) == ["↩️ Done: that idea is back for Leo."]
    again = await bot.tap(sam, "🙅 Tips you turned down")
    assert again[0].text.startswith("<b>Tips you turned down</b> (page 1 of 4)")
    labels = []
    page = again
    while True:
        labels += [label for label in page[0].button_labels if label.startswith("↩️")]
        if "Next ›" not in page[0].button_labels:
            break
        page = await bot.tap(sam, "Next ›")
    assert len(labels) == 17


async def test_nothing_turned_down_yet(bot: Harness):
    sam = TgParent(603)
    await onboard(bot, sam)
    await bot.say(sam, "/settings")
    listed = await bot.tap(sam, "🙅 Tips you turned down")
    assert texts(listed)[0].startswith("You haven't turned any tips down.")


async def test_every_idea_turned_down_is_said_once_and_tips_wait_for_the_next_stage(bot: Harness):
    sam = TgParent(604, "Sam")
    await onboard(bot, sam, name="Maya", birthdate="10 May 2026")  # 6 months; 7 to 18 begins on 10 December
    await add_child(bot, sam, "Leo", "1 January 2025")
    for _ in range(4):
        await tip_for(bot, sam, "Maya")
        last = await bot.tap(sam, "🙅 Not for us")
    assert texts(last) == [
        "🙅 Got it: I won't send this one for Maya again.\n\nThat was the last idea for Maya's stage, so "
        "I'll pause Maya's tips until the next stage begins, at 7 months."
    ]
    assert last[0].button_labels == ["↩️ Undo", "↩️ Bring back Maya's ideas"]

    # /tip for Maya says so plainly: no "on its way", no "no new tip".
    toasts = len(bot.toasts())
    asked = await tip_for(bot, sam, "Maya")
    assert texts(asked)[0].startswith(
        "⏸ <b>Every idea for Maya's stage has been turned down</b>, so I'll pause"
    )
    assert asked[0].button_labels == ["↩️ Bring back Maya's ideas"]
    assert "on its way" not in " ".join(t or "" for t in bot.toasts()[toasts:])
    assert len(asked) == 1

    # Sunday 6 December: Leo's tip only, and no word about Maya.
    bot.clock.advance(days=7)
    week1 = await scheduled_pass(bot)
    assert [m.text.split("</b>")[0] for m in week1] == ["<b>Leo"]
    # Sunday 13 December: Maya is 7 months, a new stage begins, and tips come again.
    bot.clock.advance(days=7)
    week2 = await scheduled_pass(bot)
    assert [m.text.split("</b>")[0] for m in week2] == ["<b>Maya", "<b>Leo"]
    assert "a new stage begins" in week2[0].text


async def test_bringing_the_ideas_back_starts_the_tips_again(bot: Harness):
    sam = TgParent(605, "Sam")
    await onboard(bot, sam, name="Nia", birthdate="15 August 2026")
    for _ in range(4):
        await tip_for(bot, sam)
        await bot.tap(sam, "🙅 Not for us")
    bot.clock.advance(days=7)
    assert await scheduled_pass(bot) == []
    bot.clock.advance(days=7)
    assert await scheduled_pass(bot) == []  # quiet, week after week: no repeat of the notice

    back = await bot.tap(sam, "↩️ Bring back Nia's ideas")
    assert back[0].text.startswith(
        "↩️ Done: Nia's ideas are back, so Nia's tips carry on. Tips come on Sundays"
    )
    assert idea((await tip_for(bot, sam))[-1]) in BIRTH_TO_9
    async with bot.sessions() as s:
        turned = (await s.scalars(select(Delivery).where(Delivery.feedback == "not_for_us"))).all()
    assert turned == []


async def test_the_other_caregiver_hears_once_from_the_schedule(bot: Harness):
    """Sam turns down Mia's last idea; Alex, who shares Mia, is told at their next tip time, and only then."""
    sam, alex = TgParent(606, "Sam"), TgParent(607, "Alex")
    await onboard(bot, sam, birthdate="15 August 2026")
    code = await invite_link(bot, sam)
    await bot.say(alex, f"/start {code}")
    await bot.say(alex, "London")
    await bot.tap(alex, "Sunday 09:00 is fine")
    for _ in range(4):
        await tip_for(bot, sam)
        await bot.tap(sam, "🙅 Not for us")

    bot.clock.advance(days=7)
    week1 = await scheduled_pass(bot)
    assert [m.chat_id for m in week1] == [607]
    assert week1[0].text.startswith("⏸ <b>Every idea for Mia's stage has been turned down</b>")
    assert len(week1[0].text) < 1200
    bot.clock.advance(days=7)
    assert await scheduled_pass(bot) == []
