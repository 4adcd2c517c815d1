"""/mydata sends everything as JSON; /deletedata (after confirming) leaves nothing of the parent behind."""

import json

from sqlalchemy import select

from bot.conversation import texts as wording
from db.models import Caregiver, Child, Delivery, Invite, Parent
from tests.bot.support import Harness, invite_link, onboard, texts
from tests.fake_telegram import Parent as TgParent


async def test_export_is_a_json_document_of_the_parents_data(bot: Harness):
    sam = TgParent(501, "Sam")
    await onboard(bot, sam)
    sent = await bot.say(sam, "/mydata")
    assert [m.method for m in sent] == ["sendMessage", "sendDocument"]
    summary = sent[0].text  # in plain words beside the file: days as names, times with the zone, ages
    assert summary.startswith("<b>What I store about you</b>, in plain words (the complete file follows):")
    for line in (
        "• <b>You:</b> Sam, Telegram language setting en, with me since ",
        "• <b>Tips:</b> Sundays at 09:00 (London time), 1 a week, on\n",
        "• <b>Next tip:</b> Sunday 6 December at 09:00\n",
        "• <b>Children:</b> Mia, born 15 March 2026, 8 months\n",
        "• <b>Tips sent:</b> 1 (0 marked helpful, 0 not for us)\n",
        "• <b>Invite links you made:</b> 0\n",
        "• <b>In the middle of:</b> nothing",
    ):
        assert line in summary
    assert "tip_days" not in summary
    assert sent[1].text == "Everything I store about you, complete, in a file computers can read (JSON)."
    assert sent[1].filename == "securebase-my-data.json"
    assert sent[1].document is not None
    data = json.loads(sent[1].document)
    assert data["parent"]["chat_id"] == 501
    assert [child["name"] for child in data["children"]] == ["Mia"]


async def test_delete_asks_first_and_then_erases_everything(bot: Harness):
    sam, alex = TgParent(511, "Sam"), TgParent(512, "Alex")
    await onboard(bot, sam)
    await bot.say(sam, "/tip")
    await bot.say(alex, f"/start {await invite_link(bot, sam)}")  # Alex shares Mia
    await bot.say(alex, "/cancel")
    await bot.say(alex, "/addchild")
    await bot.say(alex, "Ben")
    await bot.say(alex, "1 June 2026")
    await bot.tap(alex, "No")
    await invite_link(bot, sam)  # an unused invite of Sam's

    ask = await bot.say(sam, "/deletedata")
    assert ask[0].button_labels == ["Yes, erase everything", "No, keep it"]
    assert texts(await bot.tap(sam, "No, keep it")) == ["OK, nothing was deleted."]
    assert await bot.count(Child) == 2

    await bot.say(sam, "/deletedata")
    done = await bot.tap(sam, "Yes, erase everything")
    assert texts(done) == [
        "Done: everything I stored about you is erased. Thank you for the time we had together. "
        "If you ever want to come back, send /start."
    ]
    async with bot.sessions() as s:
        assert await s.scalar(select(Parent).where(Parent.chat_id == 511)) is None
        (alex_row,) = (await s.scalars(select(Parent))).all()
        assert alex_row.chat_id == 512
        # Mia stays, for Alex only; nothing else of Sam's is left anywhere.
        assert sorted(c.name for c in (await s.scalars(select(Child))).all()) == ["Ben", "Mia"]
        links = (await s.scalars(select(Caregiver))).all()
        tips = (await s.scalars(select(Delivery))).all()
        invites = (await s.scalars(select(Invite))).all()
        assert {row.parent_id for row in links} == {alex_row.id}
        assert all(row.parent_id == alex_row.id for row in tips)
        assert all(row.created_by == alex_row.id and row.used_by in (None, alex_row.id) for row in invites)
    # Old buttons now lead nowhere, and nothing is re-created by pressing them.
    assert texts(await bot.press(sam, "c:menu:1"))[0].startswith(wording.EXPIRED_TOAST)
    assert await bot.parent_row(511) is None
    assert texts(await bot.say(sam, "/children")) == [
        "I don't have any details for you yet. Send /start to set things up (it takes a minute)."
    ]  # not "we haven't met yet", to a parent who has just erased everything


async def test_privacy_says_the_point_first_in_a_few_lines_and_the_details_behind_a_button(bot: Harness):
    sam = TgParent(1390, "Sam")
    (short,) = await bot.say(sam, "/privacy")
    lines = short.text.split("\n")
    assert lines[:2] == [
        "<b>Your privacy</b>",
        "I keep only what I need to send you tips that fit your child's age, and I share nothing with anyone.",
    ]
    assert len(short.text) < 700
    assert "/mydata" in short.text
    assert "/deletedata" in short.text
    (details,) = await bot.tap(sam, "🔎 The details")
    assert details.text.startswith("<b>Privacy: the details</b>\n")
    assert "<b>How long:</b>" in details.text
    assert len(details.text) < 1200
