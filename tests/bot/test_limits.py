"""Limits everywhere: at most MAX_CHILDREN children a parent (with a friendly word at /addchild and at an
invite), /children a page at a time, at most that many tips a pass to one chat, and no message near Telegram's
4,096 characters: every message that grows with the children, rendered with the longest names allowed and the
most children, stays under 4,096 (as Telegram counts: UTF-16, after the HTML is parsed) and under the product's
1,200."""

from __future__ import annotations

import datetime as dt
from html import unescape
from html.parser import HTMLParser

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation.texts import MAX_NAME_CHARS, TOO_MANY_CHILDREN
from db import families
from db.families import MAX_CHILDREN
from db.models import Caregiver, Child, Invite
from tests.bot.support import Harness, invite_link, onboard, texts
from tests.dispatch.support import make_dispatcher, make_family
from tests.fake_telegram import FakeBotAPI, Sent
from tests.fake_telegram import Parent as TgParent

TELEGRAM_LIMIT = 4096
PRODUCT_LIMIT = 1200
BIRTHDATES = ["15 March 2026", "1 February 2025", "10 June 2024"]


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.parts.append(unescape(f"&#{name};"))


def visible(text: str) -> str:
    """The message as the parent reads it (tags gone, entities decoded): what Telegram's limit counts."""
    parser = _Visible()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def telegram_length(text: str) -> int:
    return len(visible(text).encode("utf-16-le")) // 2


async def add_child(bot: Harness, parent: TgParent, name: str, birthdate: str) -> list[Sent]:
    await bot.say(parent, "/addchild")
    await bot.say(parent, name)
    await bot.say(parent, birthdate)
    return await bot.tap(parent, "No")


async def full_family(bot: Harness, parent: TgParent, names: list[str]) -> None:
    await onboard(bot, parent, name=names[0], birthdate=BIRTHDATES[0])
    for n, name in enumerate(names[1:], 1):
        await add_child(bot, parent, name, BIRTHDATES[n % len(BIRTHDATES)])


def names_of(letter: str) -> list[str]:
    """MAX_CHILDREN distinct names of the longest length allowed, ending in ``letter`` (an emoji counts twice
    for Telegram; "&" is five characters of HTML)."""
    return [f"{n:02d}" + letter * (MAX_NAME_CHARS - 2) for n in range(MAX_CHILDREN)]


async def test_addchild_at_the_limit_says_so_before_any_question(bot: Harness):
    sam = TgParent(1001, "Sam")
    await full_family(bot, sam, [f"Kid {n}" for n in range(MAX_CHILDREN)])
    assert await bot.count(Child) == MAX_CHILDREN
    assert texts(await bot.say(sam, "/addchild")) == [TOO_MANY_CHILDREN]
    (page,) = await bot.say(sam, "/children")
    assert "➕ Add a child" not in page.button_labels
    assert await bot.count(Child) == MAX_CHILDREN


async def test_an_invite_past_the_limit_is_refused_and_still_works_after_a_removal(bot: Harness):
    sam, ana = TgParent(1002, "Sam"), TgParent(1003, "Ana")
    await onboard(bot, sam, name="Mia")
    code = await invite_link(bot, sam)
    await full_family(bot, ana, [f"Kid {n}" for n in range(MAX_CHILDREN)])
    refused = texts(await bot.say(ana, f"/start {code}"))
    assert refused[-1].startswith(f"You'd have more than {MAX_CHILDREN} children with me")
    async with bot.sessions() as s:
        assert (await s.scalars(select(Invite.used_at))).one() is None  # not used up
    await bot.say(ana, "/children")
    await bot.tap(ana, "Kid 0")
    await bot.tap(ana, "🗑 Remove")
    await bot.tap(ana, "Yes, remove Kid 0")
    joined = texts(await bot.say(ana, f"/start {code}"))
    assert any(text.startswith("Welcome! You now share Mia") for text in joined)


async def test_children_come_a_page_at_a_time(bot: Harness):
    sam = TgParent(1004, "Sam")
    await full_family(bot, sam, [f"Kid {n}" for n in range(7)])
    (first,) = await bot.say(sam, "/children")
    assert first.text.startswith("<b>Your children</b> (page 1 of 2)")
    assert first.button_labels == ["Kid 0", "Kid 1", "Kid 2", "Kid 3", "Kid 4", "Next ›", "➕ Add a child"]
    (second,) = await bot.tap(sam, "Next ›")
    assert second.text.startswith("<b>Your children</b> (page 2 of 2)\n• <b>Kid 5</b>")
    assert second.button_labels == ["Kid 5", "Kid 6", "‹ Previous", "➕ Add a child"]
    (back,) = await bot.tap(sam, "‹ Previous")
    assert back.text == first.text
    assert texts(await bot.press(sam, "c:page:99"))[0].startswith("<b>Your children</b> (page 2 of 2)")
    assert texts(await bot.press(sam, "c:page:x")) == [
        "That button has expired. Send /help to see what you can do now."
    ]


async def test_one_pass_sends_at_most_the_limit_to_a_family_from_before_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A parent with more children than allowed (stored before the limit) gets at most the limit of tips a
    pass: the first ones the first time."""
    kids = [(f"Kid {n}", dt.date(2025, 5, 20)) for n in range(MAX_CHILDREN + 3)]
    sunday = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    parent_id = await make_family_past_limit(sessions, kids, sunday)
    api = FakeBotAPI()
    report = await make_dispatcher(api, sessions).run_once(sunday + dt.timedelta(minutes=1))
    assert report.sent == MAX_CHILDREN
    assert [m.text.split("</b>")[0] for m in api.messages_to(77)] == [
        f"<b>Kid {n}" for n in range(MAX_CHILDREN)
    ]
    async with sessions() as s:
        assert await families.count_children(s, parent_id) == MAX_CHILDREN + 3


async def test_passes_take_turns_so_every_child_of_such_a_family_gets_tips(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Not always the first ones: each pass sends to the children with the fewest tips so far."""
    kids = [(f"Kid {n}", dt.date(2025, 5, 20)) for n in range(MAX_CHILDREN + 3)]
    sunday = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    await make_family_past_limit(sessions, kids, sunday)
    api = FakeBotAPI()
    per_pass = []
    for week in range(3):
        before = len(api.sent)
        at = sunday + dt.timedelta(weeks=week, minutes=1)
        report = await make_dispatcher(api, sessions).run_once(at)
        assert report.sent == MAX_CHILDREN
        per_pass.append([int(m.text.split("</b>")[0].removeprefix("<b>Kid ")) for m in api.sent[before:]])
    assert per_pass[0] == list(range(10))
    assert per_pass[1] == [0, 1, 2, 3, 4, 5, 6, 10, 11, 12]  # the three left out first, in the parent's order
    assert per_pass[2] == [0, 1, 2, 3, 7, 8, 9, 10, 11, 12]
    got = [sum(n in sent for sent in per_pass) for n in range(MAX_CHILDREN + 3)]
    assert min(got) == 2  # every child twice or more in three passes
    assert max(got) == 3


async def make_family_past_limit(
    sessions: async_sessionmaker[AsyncSession], kids: list[tuple[str, dt.date]], now: dt.datetime
) -> int:
    """Chat 77 with more children than the limit allows, as a database from before the limit may hold."""
    parent_id = await make_family(sessions, 77, kids[:MAX_CHILDREN], now=now - dt.timedelta(hours=1))
    async with sessions() as s:
        for position, (name, born) in enumerate(kids[MAX_CHILDREN:], MAX_CHILDREN):
            child = Child(name=name, birthdate=born)
            s.add(child)
            await s.flush()
            s.add(Caregiver(parent_id=parent_id, child_id=child.id, position=position, joined_at=now))
        await s.commit()
    return parent_id


@pytest.mark.parametrize("letter", ["👶", "&"])
async def test_messages_that_grow_with_the_children_stay_short(bot: Harness, letter: str):
    sam = TgParent(1005, letter * 64)  # Telegram allows first names of up to 64 characters
    names = names_of(letter)
    await full_family(bot, sam, names)
    seen: list[Sent] = []
    seen += await bot.say(sam, "/children")
    seen += await bot.tap(sam, "Next ›")
    seen += await bot.tap(sam, names[MAX_CHILDREN - 1])  # a child's menu
    seen += await bot.say(sam, "/start")  # welcome back, with every name
    seen += await bot.say(sam, "/mydata")
    seen += await bot.say(sam, "/tip")  # which child
    seen += await bot.say(sam, "/normal")
    seen += await bot.say(sam, "my baby cries when I leave the room")  # which child is this about
    seen += await bot.say(sam, "/children")
    await bot.tap(sam, names[0])
    seen += await bot.tap(sam, "👥 Invite a caregiver")  # whom to share
    seen += await bot.tap(sam, "👥 All my children")  # the link, naming every child
    code = seen[-1].text.split("?start=", 1)[1].split("\n", 1)[0]
    ana = TgParent(1006, letter * 64)
    seen += await bot.say(ana, f"/start {code}")  # joining all of them
    seen.append(bot.api.last_to(sam.user_id))  # "... joined as a caregiver for" every name
    bot.clock.advance(days=3 * 365)  # all of them past the tips
    seen += await bot.say(sam, "/tip")  # tips have ended for every name
    assert seen[-1].text.startswith("Tips for ")
    assert len(seen) >= 14
    for message in seen:
        assert telegram_length(message.text) < TELEGRAM_LIMIT, message.text
        assert len(visible(message.text)) < PRODUCT_LIMIT, message.text
    longest = max(seen, key=lambda m: len(visible(m.text)))
    assert len(visible(longest.text)) > 400  # the names really are in there


async def test_a_legacy_family_past_the_limit_can_still_list_and_remove(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Everything in /children stays reachable, a page at a time, so such a parent can get under the limit."""
    async with Harness(sessions) as bot:
        kids = [(f"Kid {n}", dt.date(2025, 5, 20)) for n in range(MAX_CHILDREN + 3)]
        await make_family_past_limit(sessions, kids, bot.clock.now)
        sam = TgParent(77, "Sam")
        pages = [await bot.say(sam, "/children")]
        while "Next ›" in pages[-1][0].button_labels:
            pages.append(await bot.tap(sam, "Next ›"))
        assert len(pages) == 3
        assert pages[-1][0].button_labels[:3] == ["Kid 10", "Kid 11", "Kid 12"]
        await bot.tap(sam, "Kid 12")
        await bot.tap(sam, "🗑 Remove")
        assert texts(await bot.tap(sam, "Yes, remove Kid 12")) == ["Kid 12 is removed from your list."]
        async with bot.sessions() as s:
            parent = await families.get_parent(s, 77)
            assert parent is not None
            assert await families.count_children(s, parent.id) == MAX_CHILDREN + 2


async def test_a_legacy_family_past_the_limit_can_pick_every_child(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The child choices of /tip, /normal and a question come a page at a time too, so no child is out of
    reach; "More ›" goes round."""
    async with Harness(sessions) as bot:
        kids = [(f"Kid {n}", dt.date(2025, 5, 20)) for n in range(MAX_CHILDREN + 3)]
        await make_family_past_limit(sessions, kids, bot.clock.now)
        sam = TgParent(77, "Sam")
        first = [f"Kid {n}" for n in range(MAX_CHILDREN)] + ["More ›"]
        (which,) = await bot.say(sam, "/tip")
        assert which.text == "A tip for which child?"
        assert which.button_labels == first
        (rest,) = await bot.tap(sam, "More ›")
        assert rest.button_labels == ["Kid 10", "Kid 11", "Kid 12", "More ›"]
        assert (await bot.tap(sam, "More ›"))[0].button_labels == first  # round again
        await bot.tap(sam, "More ›")
        (tip, *_) = await bot.tap(sam, "Kid 11")
        assert tip.text.startswith("<b>Kid 11</b>")

        await bot.say(sam, "/normal")
        await bot.tap(sam, "More ›")
        (typical,) = await bot.tap(sam, "Kid 12")
        assert "Kid 12" in typical.text

        (asked,) = await bot.say(sam, "my baby cries when I leave the room")
        assert asked.text == "Which child is this about?"
        assert asked.button_labels == first
        await bot.tap(sam, "More ›")
        (answer, *_) = await bot.tap(sam, "Kid 10")
        assert answer.text
        assert "Which child" not in answer.text


async def test_a_forged_page_in_the_question_choice_has_expired(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Callback data can be forged: a page "number" in other digits ("²" passes str.isdigit, not int) is no
    page, and says so like any other stale button."""
    async with Harness(sessions) as bot:
        kids = [(f"Kid {n}", dt.date(2025, 5, 20)) for n in range(MAX_CHILDREN + 3)]
        await make_family_past_limit(sessions, kids, bot.clock.now)
        sam = TgParent(77, "Sam")
        (asked,) = await bot.say(sam, "my baby cries when I leave the room")
        assert asked.text == "Which child is this about?"
        assert "expired" in texts(await bot.press(sam, "f:ask:p²"))[0]
        (rest,) = await bot.press(sam, "f:ask:p1")  # the real one still works
        assert rest.button_labels == ["Kid 10", "Kid 11", "Kid 12", "More ›"]
