"""The dispatcher against a real database and a real PTB Bot talking to the fake Bot API."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation.schedules import reschedule
from db.deliveries import record_feedback
from db.families import create_invite, get_or_create_parent, list_children, redeem_invite
from db.models import Caregiver, Delivery, Feedback, Parent
from tests.dispatch.support import make_dispatcher, make_family
from tests.fake_telegram import FakeBotAPI

UTC = dt.UTC
# Sunday 1 March 2026, 08:00 UTC (09:00 in London is 09:00 UTC in winter).
SUNDAY = dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


async def test_sends_due_tip_once_with_buttons(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    parent_id = await make_family(
        sessions, 11, [("Mia", dt.date(2025, 5, 20))], now=SUNDAY, tz="Europe/London"
    )
    dispatcher = make_dispatcher(api, sessions)

    early = await dispatcher.run_once(SUNDAY + dt.timedelta(minutes=59))
    assert early.sent == 0
    report = await dispatcher.run_once(SUNDAY + dt.timedelta(hours=1))
    assert report.sent == 1
    again = await dispatcher.run_once(SUNDAY + dt.timedelta(hours=1, minutes=1))
    assert again.sent == 0

    message = api.last_to(11)
    assert message.parse_mode == "HTML"
    assert "<b>Mia</b> · 9 months" in message.text
    assert "Try this" in message.text
    assert "You may notice" in message.text
    async with sessions() as s:
        delivery = (await s.scalars(select(Delivery))).one()
        parent = await s.get(Parent, parent_id)
    assert parent is not None
    assert parent.next_due_at == dt.datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
    assert delivery.state == "sent"
    assert delivery.message_id == message.message_id
    assert message.data_for("👍 Helpful") == f"tip:h:{delivery.id}"
    assert message.data_for("🙅 Not for us") == f"tip:n:{delivery.id}"
    assert message.data_for("➕ Another tip") == f"tip:more:{delivery.child_id}"
    assert message.data_for("⏸ Pause tips") == "tip:pause"


async def test_children_in_order_and_names_escaped(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    kids = [("<Zoe>", dt.date(2024, 1, 10)), ("Al & Bo", dt.date(2025, 12, 1))]
    await make_family(sessions, 12, kids, now=SUNDAY)
    report = await make_dispatcher(api, sessions).run_once(SUNDAY + dt.timedelta(hours=1))
    assert report.sent == 2
    texts = [m.text for m in api.messages_to(12)]
    assert texts[0].startswith("<b>&lt;Zoe&gt;</b>")
    assert texts[1].startswith("<b>Al &amp; Bo</b>")


async def test_feedback_only_for_own_delivery(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    mine = await make_family(sessions, 13, [("Mia", dt.date(2025, 5, 20))], now=SUNDAY)
    other = await make_family(sessions, 14, [("Leo", dt.date(2025, 5, 20))], now=SUNDAY)
    await make_dispatcher(api, sessions).run_once(SUNDAY + dt.timedelta(hours=1))
    async with sessions() as s:
        delivery = (await s.scalars(select(Delivery).where(Delivery.parent_id == mine))).one()
        assert not await record_feedback(s, other, delivery.id, Feedback.HELPFUL)
        assert await record_feedback(s, mine, delivery.id, Feedback.NOT_FOR_US)
        await s.commit()
        link = (await s.scalars(select(Caregiver).where(Caregiver.parent_id == mine))).one()
    assert (
        link.announced_bands == "sa-band-7-18,sa-band-0-9"
        or link.announced_bands == "sa-band-0-9,sa-band-7-18"
    )


async def test_not_for_us_from_one_caregiver_holds_for_the_other(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    api = FakeBotAPI()
    first = await make_family(sessions, 15, [("Mia", dt.date(2025, 5, 20))], now=SUNDAY)
    async with sessions() as s:
        (mia,) = await list_children(s, first)
        invite = await create_invite(s, first, mia.id, now=SUNDAY, ttl=dt.timedelta(hours=1))
        second, _ = await get_or_create_parent(s, 16, first_name="Alex", language_code="en", time_zone="UTC")
        await redeem_invite(s, invite.code, second, now=SUNDAY)
        await reschedule(s, second, SUNDAY)
        await s.commit()
        second_id = second.id
    # Only the first caregiver's schedule comes round; they turn the tip down.
    async with sessions() as s:
        await s.execute(update(Parent).where(Parent.id == second_id).values(next_due_at=None))
        await s.commit()
    dispatcher = make_dispatcher(api, sessions)
    await dispatcher.run_once(SUNDAY + dt.timedelta(hours=1))
    async with sessions() as s:
        rejected = (await s.scalars(select(Delivery))).one()
        assert await record_feedback(s, first, rejected.id, Feedback.NOT_FOR_US)
        await s.commit()
    # The second caregiver's first tip would have been the same one; the family said no, so it is not.
    assert await make_dispatcher(api, sessions).send_now(second_id, mia.id, SUNDAY + dt.timedelta(hours=2))
    async with sessions() as s:
        theirs = (await s.scalars(select(Delivery).where(Delivery.parent_id == second_id))).one()
    assert theirs.item_id != rejected.item_id
    assert api.last_to(16).text.startswith("<b>Mia</b>")


async def test_a_stage_with_few_ideas_brings_one_back_told_differently(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Birth to 9 months has four ideas: the fifth weekly tip is the first again, says so, and is not a copy."""
    api = FakeBotAPI()
    await make_family(sessions, 17, [("Mia", dt.date(2025, 12, 20))], now=SUNDAY)
    dispatcher = make_dispatcher(api, sessions)
    for week in range(6):
        assert (await dispatcher.run_once(SUNDAY + dt.timedelta(weeks=week, hours=1))).sent == 1
    texts = [m.text for m in api.messages_to(17)]
    ideas = [text.split("\n\n")[1] for text in texts]
    assert all(idea.startswith("<b>Try this</b>\n") for idea in ideas[:4])
    assert len(set(ideas[:4])) == 4
    for first, again in ((0, 4), (1, 5)):
        tried = ideas[first].removeprefix("<b>Try this</b>\n")
        assert ideas[again] == f"<b>One to come back to</b>\nA favourite again: {tried}"
        assert texts[again] != texts[first]
        assert texts[again].split("\n\n")[2:] != texts[first].split("\n\n")[2:]  # another companion
