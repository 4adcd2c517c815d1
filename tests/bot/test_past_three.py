"""A child past 36 months: a goodbye with nothing promised before it, and out of the /tip and /normal choice
(still in /children, to keep or remove)."""

from __future__ import annotations

from datetime import datetime

from bot.app import housekeeping
from bot.conversation.texts import MAX_NAME_CHARS
from tests.bot.support import NOW, Harness, onboard, texts
from tests.bot.test_turned_down import add_child, scheduled_pass
from tests.fake_telegram import Parent as TgParent

GOODBYE = "🎈 <b>Leo is now past 36 months</b>"


async def test_another_tip_past_36_months_is_the_goodbye_with_no_promise_first(bot: Harness):
    sam = TgParent(701, "Sam")
    await onboard(bot, sam, name="Leo", birthdate="20 November 2023")  # 36 months today
    bot.clock.advance(minutes=5)  # a while after the tip that setup sent
    assert (await bot.say(sam, "/tip"))[0].text.startswith("<b>Leo</b> · 3 years")
    bot.clock.advance(days=22)  # 21 December: 37 months
    toasts = len(bot.toasts())
    bye = await bot.tap(sam, "➕ Another tip")
    assert len(bye) == 1
    assert bye[0].text.startswith(GOODBYE)
    assert bye[0].button_labels == ["📌 Keep Leo's details"]  # the one thing left to decide
    assert all("on its way" not in (toast or "") for toast in bot.toasts()[toasts:])
    # Afterwards /tip says the tips have ended, and where to keep or remove Leo.
    assert texts(await bot.say(sam, "/tip")) == [
        "Tips for Leo have ended: Leo is past 36 months, beyond the ages my guidance covers. You can keep "
        "Leo in /children, or remove them there."
    ]
    bot.clock.advance(days=7)
    assert await scheduled_pass(bot) == []


async def test_a_child_past_36_months_leaves_the_pickers_but_stays_in_children(bot: Harness):
    sam = TgParent(702, "Sam")
    await onboard(bot, sam, name="Leo", birthdate="20 November 2023")
    await add_child(bot, sam, "Maya", "10 June 2026")
    assert (await bot.say(sam, "/tip"))[0].text == "A tip for which child?"
    bot.clock.advance(days=7)  # Sunday 6 December: Leo is 36 months still, both get a tip
    assert len(await scheduled_pass(bot)) == 2
    bot.clock.advance(days=14)  # Sunday 20 December: Leo is 37 months

    week = await scheduled_pass(bot)
    assert len(week) == 2
    assert week[0].text.startswith(GOODBYE)
    assert week[1].text.startswith("<b>Maya</b> · 6 months")
    # /tip and /normal go straight to Maya now.
    bot.clock.advance(minutes=5)
    tip = await bot.say(sam, "/tip")
    assert tip[0].text.startswith("<b>Maya</b>")
    normal = await bot.say(sam, "/normal")
    assert "Leo" not in normal[0].text
    assert normal[0].button_labels == ["More"]  # no child to choose; the rest of the stage
    listing = await bot.say(sam, "/children")
    assert "<b>Leo</b>, 3 years 1 month (tips have ended)" in listing[0].text
    assert listing[0].button_labels[:2] == ["Leo", "Maya"]
    await bot.tap(sam, "Leo")
    await bot.tap(sam, "🗑 Remove")
    assert texts(await bot.tap(sam, "Yes, remove Leo")) == ["Leo is removed from your list."]


async def test_the_goodbye_offers_to_keep_the_details_by_button_with_undo(bot: Harness):
    """Where the parent meets the end of the tips, not only in /children: keep, undo, keep after all."""
    sam = TgParent(703, "Sam")
    await onboard(bot, sam, name="Leo", birthdate="20 November 2023")
    bot.clock.advance(days=21)  # Sunday 20 December: 37 months
    (bye,) = await scheduled_pass(bot)
    assert bye.text.startswith(GOODBYE)
    assert "I'll erase Leo's details in 3 months; to keep them, tap 📌 below" in bye.text
    kept = await bot.tap(sam, "📌 Keep Leo's details")
    assert texts(kept) == ["📌 I'll keep Leo's details after the tips end at 3, until you remove Leo."]
    later = datetime(2027, 6, 1, 12, tzinfo=NOW.tzinfo)
    assert (await housekeeping.sweep(bot.sessions, later)).children == 0
    undone = await bot.tap(sam, "↩️ Undo")
    assert texts(undone) == [
        "OK: Leo's details will be erased 3 months after the tips end at 3, unless another caregiver "
        "keeps them."
    ]
    assert undone[0].button_labels == ["📌 Keep them after all"]  # no dead end either way
    again = await bot.tap(sam, "📌 Keep them after all")
    assert texts(again)[0].startswith("📌 I'll keep Leo's details")
    await bot.tap(sam, "↩️ Undo")
    assert (await housekeeping.sweep(bot.sessions, later)).children == 1


async def test_the_goodbye_with_the_longest_name_stays_short(bot: Harness):
    name = ("Lé&" * MAX_NAME_CHARS)[:MAX_NAME_CHARS]
    sam = TgParent(704, "S" * 64)
    await onboard(bot, sam, name=name, birthdate="20 November 2023")
    bot.clock.advance(days=21)
    (bye,) = await scheduled_pass(bot)
    assert bye.text.startswith("🎈 <b>Lé&amp;")
    assert len(bye.text) < 1200, len(bye.text)
    assert bye.button_labels == [f"📌 Keep {name}'s details"]
    assert texts(await bot.tap(sam, f"📌 Keep {name}'s details"))[0].startswith("📌 I'll keep Lé&amp;")


async def test_someone_elses_keep_button_does_nothing(bot: Harness):
    sam, eve = TgParent(705, "Sam"), TgParent(706, "Eve")
    await onboard(bot, sam, name="Leo", birthdate="20 November 2023")
    await onboard(bot, eve, name="Ada", birthdate="20 November 2023")
    bot.clock.advance(days=21)
    await scheduled_pass(bot)
    leo = bot.api.last_to(705).data_for("📌 Keep Leo's details")
    assert "expired" in texts(await bot.press(eve, leo))[0]
