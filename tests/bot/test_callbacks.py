"""Every button is checked again when pressed: another family's ids, stale buttons and garbage all expire."""

import pytest
from sqlalchemy import select

from db.models import Child, Delivery
from tests.bot.support import Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent

EXPIRED = ["That button has expired. Send /help to see what you can do now."]


@pytest.fixture
async def families(bot: Harness) -> tuple[TgParent, TgParent, int, int]:
    """Two unrelated parents with a child each; returns them, the other family's child id and tip id."""
    sam, eve = TgParent(401, "Sam"), TgParent(402, "Eve")
    await onboard(bot, sam, name="Mia")
    await onboard(bot, eve, name="Secret")
    await bot.say(eve, "/tip")
    async with bot.sessions() as s:
        child = await s.scalar(select(Child).where(Child.name == "Secret"))
        delivery = await s.scalar(select(Delivery))
    assert child is not None
    assert delivery is not None
    return sam, eve, child.id, delivery.id


@pytest.mark.parametrize(
    "data",
    [
        "c:menu:{child}",
        "c:rename:{child}",
        "c:dates:{child}",
        "c:invite:{child}",
        "c:remove:{child}",
        "c:removeyes:{child}",
        "c:normal:{child}",
        "c:tip:{child}",
        "tip:more:{child}",
        "tip:h:{delivery}",
        "tip:n:{delivery}",
        "tip:h:999999",
        "c:menu:99999999999999999999",
        "c:menu:-1",
        "c:menu:abc",
        "tip:h:",
        "tip:x:1",
        "f:tz:Europe/London",
        "f:delete:yes",
        "f:nosuchstep:1",
        "s:nothing",
        "garbage",
        ":::",
        "c",
    ],
)
async def test_forged_or_stale_buttons_expire(bot: Harness, families, data: str):
    sam, _eve, child_id, delivery_id = families
    sent_before = len(bot.api.messages_to(402))
    replies = await bot.press(sam, data.format(child=child_id, delivery=delivery_id))
    assert texts(replies) == EXPIRED
    assert bot.toasts()[-1] == "That button has expired."
    assert all("Secret" not in m.text for m in bot.api.messages_to(401))
    assert len(bot.api.messages_to(402)) == sent_before  # nothing reached the other family
    async with bot.sessions() as s:
        secret = await s.get(Child, child_id)
        delivery = await s.get(Delivery, delivery_id)
    assert secret is not None
    assert secret.name == "Secret"
    assert delivery is not None
    assert delivery.feedback is None


async def test_a_press_from_someone_who_never_started(bot: Harness):
    assert texts(await bot.press(TgParent(499), "c:menu:1")) == EXPIRED


async def test_own_tip_feedback_works_but_not_after_the_child_is_removed(bot: Harness, families):
    _sam, eve, _child_id, delivery_id = families
    assert await bot.press(eve, f"tip:n:{delivery_id}") == []
    assert bot.toasts()[-1] == "Thanks, noted."
    await bot.say(eve, "/children")
    await bot.tap(eve, "Secret")
    await bot.tap(eve, "🗑 Remove")
    await bot.tap(eve, "Yes, remove Secret")
    assert texts(await bot.press(eve, f"tip:h:{delivery_id}")) == EXPIRED


async def test_another_familys_child_for_a_waiting_question_expires(bot: Harness, families):
    sam, _eve, child_id, _delivery_id = families
    await bot.say(sam, "/addchild")
    await bot.say(sam, "Leo")
    await bot.say(sam, "1 February 2025")
    await bot.tap(sam, "No")
    assert texts(await bot.say(sam, "why does he bite?")) == ["Which child is this about?"]
    assert texts(await bot.press(sam, f"f:ask:{child_id}")) == EXPIRED
    assert all("Secret" not in m.text for m in bot.api.messages_to(401))
