"""A child past 36 months: a goodbye with nothing promised before it, and out of the /tip and /normal choice
(still in /children, to keep or remove)."""

from __future__ import annotations

from tests.bot.support import Harness, onboard, texts
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
    assert bye[0].buttons == []
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
    assert normal[0].button_labels == []
    listing = await bot.say(sam, "/children")
    assert "<b>Leo</b>, 3 years 1 month (tips have ended)" in listing[0].text
    assert listing[0].button_labels[:2] == ["Leo", "Maya"]
    await bot.tap(sam, "Leo")
    await bot.tap(sam, "🗑 Remove")
    assert texts(await bot.tap(sam, "Yes, remove Leo")) == ["Leo is removed from your list."]
