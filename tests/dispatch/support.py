"""Building families and a bot for dispatcher tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.ext import ExtBot

from bot.conversation.schedules import reschedule
from bot.core.schedule import format_days
from bot.dispatch import Dispatcher
from bot.telegram.sender import DEFAULTS, TelegramSender
from db.families import add_child, get_or_create_parent
from db.models import Caregiver
from tests.fake_telegram import TOKEN, FakeBotAPI

Kid = tuple[str, dt.date] | tuple[str, dt.date, dt.date | None]


def wall_time_missing(day: dt.date, at: dt.time, zone: ZoneInfo) -> bool:
    """Whether the wall time ``at`` does not exist on ``day`` (it does not survive a round trip via UTC)."""
    wall = dt.datetime.combine(day, at)
    return wall.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != wall


class FakeSleep:
    """Records the waits the dispatcher asks for instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class FakeClock:
    """Simulated time that only moves when a FakeSleep (or the test) moves it."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


class ClockSleep(FakeSleep):
    """A FakeSleep that also moves a FakeClock on by the time it was asked to wait."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock

    async def __call__(self, seconds: float) -> None:
        await super().__call__(seconds)
        self.clock.now += dt.timedelta(seconds=seconds)


async def make_family(
    sessions: async_sessionmaker[AsyncSession],
    chat_id: int,
    kids: Sequence[Kid],
    *,
    now: dt.datetime,
    tz: str = "UTC",
    days: Sequence[int] = (6,),
    at: dt.time = dt.time(9, 0),
) -> int:
    """A registered parent with children and a schedule, as onboarding leaves it; returns the parent id."""
    async with sessions() as s:
        parent, _ = await get_or_create_parent(s, chat_id, first_name="Sam", language_code="en", time_zone=tz)
        parent.tip_days = format_days(days)
        parent.tip_time = at
        for kid in kids:
            due = kid[2] if len(kid) == 3 else None
            child = await add_child(s, parent, name=kid[0], birthdate=kid[1], due_date=due)
            # Joined "now" in the simulated timeline, not on the wall-clock day the test runs.
            await s.execute(
                update(Caregiver)
                .where(Caregiver.parent_id == parent.id, Caregiver.child_id == child.id)
                .values(joined_at=now)
            )
        await reschedule(s, parent, now)
        await s.commit()
        return parent.id


def make_bot(api: FakeBotAPI) -> Bot:
    """A bot like the application's: HTML by default (``DEFAULTS``)."""
    return ExtBot(TOKEN, request=api, defaults=DEFAULTS)


def make_dispatcher(
    api: FakeBotAPI,
    sessions: async_sessionmaker[AsyncSession],
    sleep: FakeSleep | None = None,
    *,
    clock: FakeClock | None = None,
    **kwargs: Any,
) -> Dispatcher:
    """A dispatcher with its own sender (so its own flood-control state), sleeping and telling time as told."""
    timing: dict[str, Any] = {} if clock is None else {"clock": clock}
    sender = TelegramSender(make_bot(api), sleep=sleep or FakeSleep(), **timing)
    return Dispatcher(sender, sessions, **timing, **kwargs)
