"""Operators in ADMIN_CHAT_IDS: /stats (aggregates only) and rate-limited error alerts, through the fake Bot
API; to anyone else /stats does not exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation.texts import SOMETHING_WRONG
from bot.telegram.admin import AlertLimiter
from db.models import Child, Delivery, Parent
from tests.bot.support import NOW, Harness, onboard, texts
from tests.fake_telegram import Parent as TgParent

ADMIN = 900


@pytest.fixture
async def bot(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Harness]:
    async with Harness(sessions, admin_chat_ids=[ADMIN]) as harness:
        yield harness


async def _tips(bot: Harness, chat_id: int, states: list[tuple[str, str | None]]) -> None:
    """Deliveries for the parent's child: (state, feedback), sent or claimed an hour ago."""
    async with bot.sessions() as s:
        parent = await s.scalar(select(Parent).where(Parent.chat_id == chat_id))
        child = await s.scalar(select(Child))
        assert parent is not None
        assert child is not None
        for n, (state, feedback) in enumerate(states):
            when = NOW - dt.timedelta(hours=1)
            s.add(
                Delivery(
                    parent_id=parent.id,
                    child_id=child.id,
                    item_id=f"item-{n}",
                    slot_at=when - dt.timedelta(days=n),
                    state=state,
                    claimed_at=when,
                    sent_at=when if state == "sent" else None,
                    feedback=feedback,
                )
            )
        await s.commit()


async def test_stats_for_an_admin_are_aggregates_only(bot: Harness) -> None:
    parent = TgParent(501, first_name="Robin")
    await onboard(bot, parent, name="Mia", birthdate="15 March 2026")
    await _tips(bot, 501, [("sent", "helpful"), ("sent", "not_for_us"), ("sent", None), ("failed", None)])
    await bot.say(TgParent(502), "/start")  # a second family, still in setup
    await bot.say(parent, "is stranger anxiety normal?")

    sent = await bot.say(TgParent(ADMIN), "/stats")

    assert len(sent) == 1
    text = sent[0].text
    assert text.startswith("<b>Secure Base: figures</b>")
    assert "<b>Families</b>: 2 active, 0 paused, 0 stopped, 0 blocked (2 in all)" in text
    assert "<b>Children</b>: 1\n  Birth to 9 months: 1" in text
    # The three sent above, and the first tip that ends setup.
    assert "<b>Tips, last 7 days</b>: 4 sent, 1 failed" in text
    assert "Helpful: 1 (25%), not for us: 1 (25%)" in text
    assert "answered" in text
    for private in ("Mia", "Robin", "501", "502", "2026-03-15"):
        assert private not in text
    assert len(text) < 1200
    async with bot.sessions() as s:  # the admin did not become a parent by asking
        assert await s.scalar(select(Parent).where(Parent.chat_id == ADMIN)) is None


async def test_stats_do_not_exist_for_anyone_else(bot: Harness) -> None:
    parent = TgParent(501)
    await onboard(bot, parent)
    sent = await bot.say(parent, "/stats")
    assert not any("Secure Base: figures" in text for text in texts(sent))
    assert sent  # the conversation answered as it answers any unknown command


async def test_without_admins_stats_is_an_ordinary_command(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with Harness(sessions) as plain:
        sent = await plain.say(TgParent(ADMIN), "/stats")
    assert not any("Secure Base: figures" in text for text in texts(sent))


async def test_a_failed_update_alerts_the_admins_once_with_type_and_place_only(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("the parent wrote: my secret words")

    monkeypatch.setattr("bot.telegram.app.conversation.on_text", broken)
    await bot.say(TgParent(501), "my secret words")
    await bot.say(TgParent(502), "more words")  # same failure, same place: held back

    assert [m.text for m in bot.api.messages_to(501)] == [SOMETHING_WRONG]
    alerts = bot.api.messages_to(ADMIN)
    assert len(alerts) == 1
    assert alerts[0].text.startswith("⚠️ An update failed: RuntimeError at ")
    assert " at bot/telegram/app.py:" in alerts[0].text  # the deepest frame of the bot's own code
    assert "secret" not in alerts[0].text


def test_the_alert_limiter_holds_back_repeats_and_floods() -> None:
    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    limiter = AlertLimiter(lambda: now[0], quiet=dt.timedelta(minutes=15), per_hour=3)
    assert limiter.allow("A x.py:1")
    assert not limiter.allow("A x.py:1")  # the same, at once
    now[0] += dt.timedelta(minutes=15)
    assert limiter.allow("A x.py:1")  # the same, after the quiet time
    assert limiter.allow("B y.py:2")
    assert not limiter.allow("C z.py:3")  # three in this hour already
    now[0] += dt.timedelta(hours=1)
    assert limiter.allow("C z.py:3")
    assert limiter.suppressed == 2
