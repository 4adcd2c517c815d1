"""The messages of turning tips down, goodbyes and shared invites stay under 1,200 characters with the longest
names a parent may give and several children."""

from __future__ import annotations

from bot.conversation.texts import MAX_NAME_CHARS
from tests.bot.support import Harness, onboard
from tests.bot.test_turned_down import add_child, tip_for
from tests.fake_telegram import Parent as TgParent

LIMIT = 1200
NAMES = [chr(ord("A") + i) * (MAX_NAME_CHARS - 1) + "ö" for i in range(4)]


async def test_longest_names_and_several_children_stay_short(bot: Harness):
    sam = TgParent(801, "S" * 64)
    await onboard(bot, sam, name=NAMES[0], birthdate="20 November 2023")  # 36 months today
    for name in NAMES[1:3]:
        await add_child(bot, sam, name, "20 November 2023")
    await add_child(bot, sam, NAMES[3], "15 August 2026")
    seen = []
    for _ in range(4):
        seen += await tip_for(bot, sam, NAMES[3])
        seen += await bot.tap(sam, "🙅 Not for us")
    assert "That was the last idea" in seen[-1].text
    seen += await tip_for(bot, sam, NAMES[3])
    assert "Every idea for" in seen[-1].text
    await bot.say(sam, "/children")
    await bot.tap(sam, NAMES[0])
    seen += await bot.tap(sam, "👥 Invite a caregiver")
    seen += await bot.tap(sam, "👥 All my children")
    assert "They'll get the tips for" in seen[-1].text
    alex = TgParent(802, "A" * 64)
    code = seen[-1].text.split("?start=", 1)[1].split("\n", 1)[0]
    seen += await bot.say(alex, f"/start {code}")
    seen.append(bot.api.last_to(801))
    assert seen[-1].text.startswith("A" * 64 + " joined as a caregiver for")
    bot.clock.advance(days=22)  # the three eldest are past 36 months; only the youngest remains
    await bot.say(sam, "/children")
    await bot.tap(sam, NAMES[3])
    await bot.tap(sam, "🗑 Remove")
    await bot.tap(sam, f"Yes, remove {NAMES[3]}")
    seen += await bot.say(sam, "/tip")
    assert seen[-1].text.startswith("Tips for ")
    seen += await bot.say(sam, "/children")
    seen += await bot.say(sam, "/settings")
    seen += await bot.tap(sam, "🙅 Tips you turned down")
    longest = max(seen, key=lambda m: len(m.text))
    assert len(longest.text) < LIMIT, longest.text
