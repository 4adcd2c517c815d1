"""A simulated year of ticks for families across time zones: every slot once, no early repeats, each new
band announced once, the goodbye once."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.ages import age_on
from bot.core.tips import FAREWELL_ITEM
from content import default_library
from db.deliveries import record_feedback
from db.models import Caregiver, Child, Delivery, Feedback, Parent, ParentState
from tests.dispatch.support import Kid, make_dispatcher, make_family, wall_time_missing
from tests.fake_telegram import FakeBotAPI

LIB = default_library()
UTC = dt.UTC
# Local calendar year 2026 in every zone below starts after START and ends before END.
START = dt.datetime(2025, 12, 31, 12, 0, tzinfo=UTC)
END = dt.datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
EVERY_DAY = tuple(range(7))


@dataclass(frozen=True)
class Family:
    chat_id: int
    tz: str
    days: tuple[int, ...]
    at: dt.time
    kids: tuple[Kid, ...]


FAMILIES = (
    # Sundays 09:00 in London; Mia enters 7-18 in January and 16-24 in October.
    Family(101, "Europe/London", (6,), dt.time(9, 0), (("Mia", dt.date(2025, 6, 15)),)),
    # Every day at 02:30 in New York: the spring change day has no 02:30.
    Family(102, "America/New_York", EVERY_DAY, dt.time(2, 30), (("Leo", dt.date(2024, 5, 10)),)),
    # Sundays 02:30 in Sydney: 37 months on 1 April, goodbye on 5 April (02:30 happens twice that night).
    Family(103, "Australia/Sydney", (6,), dt.time(2, 30), (("Ava", dt.date(2023, 3, 1)),)),
    # Tuesdays and Saturdays 20:00 in Kolkata (no daylight saving); two children, one born early.
    Family(
        104,
        "Asia/Kolkata",
        (1, 5),
        dt.time(20, 0),
        (("Noa", dt.date(2025, 11, 20), dt.date(2026, 1, 10)), ("Eli", dt.date(2024, 2, 2))),
    ),
    # Every day at 02:30 in Auckland: repeated in April, missing in September.
    Family(105, "Pacific/Auckland", EVERY_DAY, dt.time(2, 30), (("Kai", dt.date(2025, 12, 1)),)),
    # Every day at 02:15 on Lord Howe Island: a 30-minute change, missing in October.
    Family(106, "Australia/Lord_Howe", EVERY_DAY, dt.time(2, 15), (("Isla", dt.date(2025, 9, 9)),)),
)


async def _earliest_due(sessions: async_sessionmaker[AsyncSession]) -> dt.datetime | None:
    async with sessions() as s:
        due: dt.datetime | None = await s.scalar(
            select(func.min(Parent.next_due_at)).where(Parent.state == ParentState.ACTIVE.value)
        )
        return due


def _expected_days(family: Family) -> list[dt.date]:
    first, last = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() in family.days]


async def test_a_year_of_tips(sessions: async_sessionmaker[AsyncSession]) -> None:
    api = FakeBotAPI()
    for family in FAMILIES:
        await make_family(
            sessions, family.chat_id, family.kids, now=START, tz=family.tz, days=family.days, at=family.at
        )
    dispatcher = make_dispatcher(api, sessions, concurrency=4)
    rng = random.Random(6)
    rejected: str | None = None
    ticks = 0
    while (due := await _earliest_due(sessions)) is not None and due < END:
        ticks += 1
        # The periodic job runs a little after the slot; sometimes two ticks land in one minute.
        report = await dispatcher.run_once(due + dt.timedelta(seconds=rng.randrange(0, 120)))
        assert report.failed == report.blocked == report.skipped == 0
        if rejected is None:  # Mia's family says "not for us" to her first tip.
            async with sessions() as s:
                first = await s.scalar(select(Delivery).join(Parent).where(Parent.chat_id == 101))
                if first is not None:
                    assert await record_feedback(s, first.parent_id, first.id, Feedback.NOT_FOR_US)
                    await s.commit()
                    rejected = first.item_id
    assert rejected is not None
    assert ticks > 700

    async with sessions() as s:
        rows = (
            await s.execute(
                select(Delivery, Parent.chat_id, Parent.time_zone, Child)
                .join(Parent, Parent.id == Delivery.parent_id)
                .join(Child, Child.id == Delivery.child_id)
                .order_by(Delivery.slot_at, Delivery.id)
            )
        ).all()
        farewells = {c.child_id: c.farewell_at for c in await s.scalars(select(Caregiver))}
        sydney = await s.scalar(select(Parent).where(Parent.chat_id == 103))
    messages = {m.message_id: m for m in api.sent}
    assert len(messages) == len(api.sent) == len(rows)
    assert all(d.state == "sent" for d, *_ in rows)

    for family in FAMILIES:
        zone = ZoneInfo(family.tz)
        for kid in family.kids:
            mine = [
                (d, child) for d, chat, _, child in rows if chat == family.chat_id and child.name == kid[0]
            ]
            days = [d.slot_at.astimezone(zone).date() for d, _ in mine]
            expected = _expected_days(family)
            if kid[0] == "Ava":
                expected = [d for d in expected if d <= dt.date(2026, 4, 5)]
            # Every due slot exactly once: one message per chosen local day, none missing, none doubled.
            assert days == expected, (family.tz, kid[0])
            _check_local_times([d for d, _ in mine], family, zone)
            texts = [messages[d.message_id].text for d, _ in mine if d.message_id is not None]
            assert len(texts) == len(mine)
            assert all(messages[d.message_id].chat_id == family.chat_id for d, _ in mine if d.message_id)
            _check_rotation(mine, zone, frozenset({rejected}) if family.chat_id == 101 else frozenset())
            _check_announcements(mine, texts, zone)

    # Several children: one message each, in the parent's order, at every slot.
    kolkata = [messages[d.message_id] for d, chat, _, _ in rows if chat == 104 and d.message_id]
    assert all(
        a.text.startswith("<b>Noa</b>") and b.text.startswith("<b>Eli</b>")
        for a, b in zip(kolkata[::2], kolkata[1::2], strict=True)
    )

    # Mia's family never again sees the strategy they turned down.
    mia = [d.item_id for d, chat, _, _ in rows if chat == 101]
    assert mia.count(rejected) == 1

    # Ava: one goodbye, on her first slot past 36 months, then nothing; her parent is off the due list.
    ava = [d for d, chat, _, _ in rows if chat == 103]
    assert [d.item_id for d in ava].count(FAREWELL_ITEM) == 1
    assert ava[-1].item_id == FAREWELL_ITEM
    assert ava[-1].slot_at.astimezone(ZoneInfo("Australia/Sydney")).date() == dt.date(2026, 4, 5)
    assert "last one for Ava" in messages[ava[-1].message_id or 0].text
    assert sum(1 for when in farewells.values() if when is not None) == 1
    assert sydney is not None
    assert sydney.next_due_at is None


def _check_local_times(mine: list[Delivery], family: Family, zone: ZoneInfo) -> None:
    """Each slot is at the chosen wall time (its first occurrence when repeated); only on a day the clocks
    jump over that time is it later, by less than an hour."""
    for delivery in mine:
        local = delivery.slot_at.astimezone(zone)
        wall = dt.datetime.combine(local.date(), family.at)
        assert local.fold == 0
        if wall_time_missing(local.date(), family.at, zone):
            assert dt.timedelta(0) < local.replace(tzinfo=None) - wall <= dt.timedelta(hours=1)
        else:
            assert local.replace(tzinfo=None) == wall


def _bands(child: Child, day: dt.date) -> frozenset[str]:
    return frozenset(b.id for b in LIB.bands_at(age_on(child.birthdate, day, child.due_date).months))


def _check_rotation(mine: list[tuple[Delivery, Child]], zone: ZoneInfo, rejected: frozenset[str]) -> None:
    """Each tip was a least-sent strategy of the child's bands that day, among those not turned down after
    their first sending: no repeat before exhaustion."""
    counts: Counter[str] = Counter()
    for delivery, child in mine:
        if delivery.item_id == FAREWELL_ITEM:
            continue
        day = delivery.slot_at.astimezone(zone).date()
        candidates = [
            s.id
            for b in LIB.bands_at(age_on(child.birthdate, day, child.due_date).months)
            for s in b.strategies
            if not (s.id in rejected and counts[s.id])
        ]
        assert delivery.item_id in candidates
        assert counts[delivery.item_id] <= min(counts[c] for c in candidates)
        counts[delivery.item_id] += 1


def _check_announcements(mine: list[tuple[Delivery, Child]], texts: list[str], zone: ZoneInfo) -> None:
    """A band is announced on the first tip after the child enters it, and only then."""
    previous: frozenset[str] | None = None
    announced: list[str] = []
    for (delivery, child), text in zip(mine, texts, strict=True):
        if delivery.item_id == FAREWELL_ITEM:
            continue
        bands = _bands(child, delivery.slot_at.astimezone(zone).date())
        new = sorted(bands - previous) if previous is not None else []
        for band_id in new:
            band = LIB.band(band_id)
            assert band is not None
            assert f"a new stage begins</b> ({band.label})" in text
        assert text.count("a new stage begins") == len(new)
        announced += new
        previous = bands
    assert len(announced) == len(set(announced))
    if mine and mine[0][1].name == "Mia":
        assert announced == ["sa-band-7-18", "sa-band-16-24"]
