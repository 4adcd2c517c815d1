"""A second caregiver joins a child through a single-use, expiring deep link, and then gets its tips too."""

from sqlalchemy import select

from db.models import Caregiver, Child, Invite
from tests.bot.support import Harness, invite_link, onboard, texts
from tests.bot.test_turned_down import add_child
from tests.fake_telegram import BOT_USERNAME
from tests.fake_telegram import Parent as TgParent


async def test_second_caregiver_joins_and_sets_their_own_schedule(bot: Harness):
    sam, alex = TgParent(301, "Sam"), TgParent(302, "Alex")
    await onboard(bot, sam)
    code = await invite_link(bot, sam)

    joined = await bot.say(alex, f"/start {code}")
    assert joined[0].text.startswith("Hello Alex! I'm Secure Base")
    assert joined[1].text.startswith(
        "Welcome! You now share Mia, and you'll get the tips for Mia here.\n\nWhich time zone are you in?"
    )
    assert bot.api.last_to(301).text == "Alex joined as a caregiver for Mia."
    await bot.say(alex, "Sydney")
    done = await bot.tap(alex, "Sunday 09:00 is fine")
    assert done[0].text.startswith(
        "All set! Here's a first idea to try with Mia now.\nTips come on Sundays at 09:00 (Sydney time)."
    )
    assert done[1].text.startswith("<b>Mia</b> · 8 months")

    async with bot.sessions() as s:
        links = (await s.scalars(select(Caregiver))).all()
    assert len(links) == 2
    assert len({link.child_id for link in links}) == 1

    # Both now see Mia; the link is used up.
    assert (await bot.say(alex, "/children"))[0].button_labels == ["Mia", "➕ Add a child"]
    carol = TgParent(303, "Carol")
    again = await bot.say(carol, f"/start {code}")
    assert again[1].text.startswith(
        "That invite link has already been used. Each link works once; please ask for a new one."
    )


async def test_expired_unknown_and_own_invites(bot: Harness):
    sam, alex = TgParent(311, "Sam"), TgParent(312, "Alex")
    await onboard(bot, sam)
    code = await invite_link(bot, sam)
    assert texts(await bot.say(sam, f"/start {code}")) == [
        "You already share this child, so there's nothing more to do."
    ]
    bot.clock.advance(hours=49)
    expired = await bot.say(alex, f"/start {code}")
    assert expired[1].text.startswith(
        "That invite link has expired. Please ask for a new one (they last 48 hours)."
    )
    # Alex can still set up their own child from there.
    assert expired[1].text.endswith(
        "You can also set up your own child. What's your child's name? A nickname is fine."
    )
    unknown = await bot.say(TgParent(313), "/start nonsense<code>")
    assert unknown[1].text.startswith("That invite link doesn't work. Please ask for a new one.")


def code_in(text: str) -> str:
    """The invite code in a link message."""
    prefix = f"Send this link to the other caregiver:\nhttps://t.me/{BOT_USERNAME}?start="
    assert text.startswith(prefix)
    return text.removeprefix(prefix).split("\n", 1)[0]


async def test_one_link_shares_all_the_children(bot: Harness):
    sam, alex = TgParent(321, "Sam"), TgParent(322, "Alex")
    await onboard(bot, sam, name="Leo", birthdate="1 February 2025")
    await add_child(bot, sam, "Maya", "10 June 2026")
    await bot.say(sam, "/children")
    await bot.tap(sam, "Leo")
    who = await bot.tap(sam, "👥 Invite a caregiver")
    assert texts(who) == [
        "Which children do you want to share with the other caregiver? They'll get those children's tips in their own chat."
    ]
    assert who[0].button_labels == ["Just Leo", "Just Maya", "👥 All my children"]
    link = await bot.tap(sam, "👥 All my children")
    assert link[0].text.endswith(
        "\n\nThey'll get the tips for Leo and Maya in their own chat. The link works once, for the next 48 hours."
    )

    joined = await bot.say(alex, f"/start {code_in(link[0].text)}")
    assert joined[1].text.startswith(
        "Welcome! You now share Leo and Maya, and you'll get the tips for them here.\n\nWhich time zone"
    )
    assert bot.api.last_to(321).text == "Alex joined as a caregiver for Leo and Maya."
    await bot.say(alex, "London")
    await bot.tap(alex, "Sunday 09:00 is fine")
    assert (await bot.say(alex, "/children"))[0].button_labels[:2] == ["Leo", "Maya"]
    again = await bot.say(alex, f"/start {code_in(link[0].text)}")
    assert texts(again) == ["You already share these children, so there's nothing more to do."]


async def test_choosing_several_of_three_children(bot: Harness):
    sam, bea = TgParent(331, "Sam"), TgParent(332, "")
    await onboard(bot, sam, name="Leo", birthdate="1 February 2025")
    await add_child(bot, sam, "Maya", "10 June 2026")
    await add_child(bot, sam, "Nia", "10 June 2026")
    await bot.say(sam, "/children")
    await bot.tap(sam, "Maya")
    who = await bot.tap(sam, "👥 Invite a caregiver")
    assert who[0].button_labels == [
        "Just Maya",
        "Just Leo",
        "Just Nia",
        "👥 All my children",
        "Choose several",
    ]
    ticks = await bot.tap(sam, "Choose several")
    assert ticks[0].button_labels == ["▫️ Leo", "▫️ Maya", "▫️ Nia"]
    await bot.tap(sam, "▫️ Maya")
    ticks = await bot.tap(sam, "▫️ Nia")
    assert ticks[0].button_labels == ["▫️ Leo", "✅ Maya", "✅ Nia", "🔗 Make the link"]
    ticks = await bot.tap(sam, "✅ Nia")  # changed their mind, and back
    ticks = await bot.tap(sam, "▫️ Nia")
    link = await bot.tap(sam, "🔗 Make the link")
    assert "They'll get the tips for Maya and Nia in their own chat." in link[0].text

    await bot.say(bea, f"/start {code_in(link[0].text)}")
    assert bot.api.last_to(331).text == "A new caregiver joined for Maya and Nia."
    await bot.say(bea, "London")
    await bot.tap(bea, "Sunday 09:00 is fine")
    assert (await bot.say(bea, "/children"))[0].button_labels[:2] == ["Maya", "Nia"]


async def test_a_forged_choice_of_children_expires(bot: Harness):
    sam, eve = TgParent(341, "Sam"), TgParent(342, "Eve")
    await onboard(bot, sam, name="Leo", birthdate="1 February 2025")
    await add_child(bot, sam, "Maya", "10 June 2026")
    await onboard(bot, eve, name="Secret")
    async with bot.sessions() as s:
        ids = {c.name: c.id for c in (await s.scalars(select(Child))).all()}
    for data in (f"i:{ids['Leo']}.{ids['Secret']}", f"i:pick:{ids['Secret']}", f"i:{ids['Leo']}.{ids['Leo']}",
                 "i:", "i:pick:x", "i:who", "i:all.all"):  # fmt: skip
        assert texts(await bot.press(sam, data)) == [
            "That button has expired. Send /help to see what you can do now."
        ], data
    assert await bot.count(Invite) == 0
