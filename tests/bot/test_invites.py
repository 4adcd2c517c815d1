"""A second caregiver joins a child through a single-use, expiring deep link, and then gets its tips too."""

from sqlalchemy import select

from db.models import Caregiver
from tests.bot.support import Harness, invite_link, onboard, texts
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
    assert bot.api.last_to(301).text == "Alex joined you as a caregiver for Mia."
    await bot.say(alex, "Sydney")
    done = await bot.tap(alex, "Sunday 09:00 is fine")
    assert done[-1].text.startswith("All set! Tips come on Sundays at 09:00 (Sydney time).")

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
