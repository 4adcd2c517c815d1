"""Every button is checked again when pressed: another family's ids, stale buttons and garbage all expire."""

import pytest
from sqlalchemy import func, select

from bot.conversation import texts as wording
from bot.conversation.turn import parse_id
from db.models import Child, Delivery, Invite, Parent
from tests.bot.support import Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent

EXPIRED = [wording.EXPIRED]


@pytest.fixture
async def families(bot: Harness) -> tuple[TgParent, TgParent, int, int]:
    """Two unrelated parents with a child each; returns them, the other family's child id and tip id."""
    sam, eve = TgParent(401, "Sam"), TgParent(402, "Eve")
    await onboard(bot, sam, name="Mia")
    await onboard(bot, eve, name="Secret")
    bot.clock.advance(minutes=5)
    await bot.say(eve, "/tip")
    async with bot.sessions() as s:
        child = await s.scalar(select(Child).where(Child.name == "Secret"))
        delivery = await s.scalar(
            select(Delivery)
            .join(Parent, Parent.id == Delivery.parent_id)
            .where(Parent.chat_id == 402)
            .order_by(Delivery.id.desc())
        )
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
        "tip:u:{delivery}",
        "c:revive:{child}",
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
    assert bot.toasts()[-1] == wording.EXPIRED_TOAST
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
    assert texts(await bot.press(eve, f"tip:n:{delivery_id}")) == [
        "🙅 Got it: I won't send this one for Secret again. You can bring it back any time in /settings."
    ]
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


CHILD_BUTTONS = ("c:menu:", "c:rename:", "c:dates:", "c:invite:", "c:remove:", "c:removeyes:", "c:normal:",
                 "c:tip:", "tip:more:", "c:revive:")  # fmt: skip
DELIVERY_BUTTONS = ("tip:h:", "tip:n:", "tip:u:")
# Ids a modified client could send instead of a real one; "{own}" is the presser's own id, disguised.
FORGED_IDS = ("{other}", "-{own}", "0", "-1", "abc", "", " {own}", "{own} ", "+{own}", "0{own}", "{own}.0",
              "{own}١", "١", "1e3", "0x1", "9" * 11, "9" * 60, "{own}:{own}", "{own}\n")  # fmt: skip


@pytest.mark.parametrize("prefix", CHILD_BUTTONS + DELIVERY_BUTTONS)
async def test_every_id_button_refuses_forged_ids(bot: Harness, prefix: str):
    """Each id-carrying button type, with the other family's id and with garbage in place of the id."""
    sam, eve = TgParent(411, "Sam"), TgParent(412, "Eve")
    await onboard(bot, sam, name="Mia")
    await onboard(bot, eve, name="Secret")
    await bot.say(sam, "/tip")
    await bot.say(eve, "/tip")
    async with bot.sessions() as s:
        kids = {c.name: c.id for c in (await s.scalars(select(Child))).all()}
        tips = {d.child_id: d.id for d in (await s.scalars(select(Delivery))).all()}
    ids = {"own": kids["Mia"], "other": kids["Secret"]}
    if prefix in DELIVERY_BUTTONS:
        ids = {"own": tips[kids["Mia"]], "other": tips[kids["Secret"]]}
    eve_before = len(bot.api.messages_to(412))
    for forged in FORGED_IDS:
        replies = await bot.press(sam, prefix + forged.format(**ids))
        assert texts(replies) == EXPIRED, forged
        assert bot.toasts()[-1] == wording.EXPIRED_TOAST
    assert len(bot.api.messages_to(412)) == eve_before
    async with bot.sessions() as s:
        names = sorted(c.name for c in (await s.scalars(select(Child))).all())
        feedback = [d.feedback for d in (await s.scalars(select(Delivery))).all()]
        invites = await s.scalar(select(func.count()).select_from(Invite))
        sam_row = await s.scalar(select(Parent).where(Parent.chat_id == 411))
    assert names == ["Mia", "Secret"]
    assert feedback == [None, None]
    assert invites == 0
    assert sam_row is not None
    assert sam_row.flow is None
    # The real button still works, so the refusals above were not a broken button.
    real = await bot.press(sam, prefix + str(ids["own"]))
    assert texts(real) != EXPIRED


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), ("2147483647", 2147483647), ("2147483648", None), ("0", None), ("01", None), ("-1", None),
     ("1١", None), ("١", None), ("１", None), (" 1", None), ("1\n", None), ("", None)],
)  # fmt: skip
def test_parse_id_takes_only_plain_ascii_database_ids(text: str, expected: int | None):
    assert parse_id(text) == expected
