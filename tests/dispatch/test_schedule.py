"""Schedule arithmetic: one slot per chosen local day, whatever daylight saving does."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import (
    DEFAULT_DAYS,
    DEFAULT_TIME,
    describe_days,
    format_days,
    next_slot,
    parse_days,
    previous_slot,
)
from tests.dispatch.support import wall_time_missing

UTC = dt.UTC
EVERY_DAY = frozenset(range(7))


def test_days_round_trip_and_defaults() -> None:
    assert parse_days("6") == DEFAULT_DAYS == frozenset({6})
    assert parse_days(" 4, 0,2") == frozenset({0, 2, 4})
    assert format_days([6, 2, 2]) == "2,6"
    assert parse_days(format_days(EVERY_DAY)) == EVERY_DAY
    assert dt.time(9, 0) == DEFAULT_TIME
    assert describe_days({0, 3}) == "Mondays and Thursdays"
    assert describe_days(EVERY_DAY) == "every day"


@pytest.mark.parametrize("text", ["", "7", "sunday", "1,,2", "-1"])
def test_bad_days_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="weekdays"):
        parse_days(text)


def test_format_refuses_empty_or_out_of_range() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        format_days([])
    with pytest.raises(ValueError, match="weekdays"):
        format_days([7])


def test_next_slot_is_strictly_after_and_in_local_time() -> None:
    # Sunday 1 March 2026 is 09:00 in London at 09:00 UTC; Sydney is UTC+11 (daylight time).
    at_slot = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    london = {"days": DEFAULT_DAYS, "at": DEFAULT_TIME, "tz": "Europe/London"}
    assert next_slot(at_slot - dt.timedelta(seconds=1), **london) == at_slot  # type: ignore[arg-type]
    assert next_slot(at_slot, **london) == at_slot + dt.timedelta(days=7)  # type: ignore[arg-type]
    sydney = next_slot(at_slot, days=DEFAULT_DAYS, at=DEFAULT_TIME, tz="Australia/Sydney")
    assert sydney == dt.datetime(2026, 3, 7, 22, 0, tzinfo=UTC)  # Sunday 8 March, 09:00 in Sydney


def test_naive_or_empty_input_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_slot(dt.datetime(2026, 1, 1), days=DEFAULT_DAYS, at=DEFAULT_TIME, tz="UTC")
    with pytest.raises(ValueError, match="weekdays"):
        next_slot(dt.datetime(2026, 1, 1, tzinfo=UTC), days=frozenset(), at=DEFAULT_TIME, tz="UTC")


def _daily(tz: str, at: dt.time, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    slots, moment = [], start
    while (moment := next_slot(moment, days=EVERY_DAY, at=at, tz=tz)) < end:
        slots.append(moment)
    return slots


@pytest.mark.parametrize(
    "tz",
    [
        "Europe/London",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Kolkata",
        "Pacific/Auckland",
        "Australia/Lord_Howe",  # a 30-minute change: 02:00 -> 02:30 in October, 02:00 -> 01:30 in April
    ],
)
@pytest.mark.parametrize(
    "at", [dt.time(2, 30), dt.time(1, 30), dt.time(9, 0), dt.time(0, 0), dt.time(2, 15), dt.time(1, 45)]
)
def test_a_year_of_daily_slots_has_exactly_one_per_local_day(tz: str, at: dt.time) -> None:
    zone = ZoneInfo(tz)
    start = dt.datetime(2026, 1, 1, tzinfo=zone).astimezone(UTC) - dt.timedelta(seconds=1)
    end = dt.datetime(2027, 1, 1, tzinfo=zone).astimezone(UTC)
    slots = _daily(tz, at, start, end)
    local_days = [slot.astimezone(zone).date() for slot in slots]
    assert len(local_days) == len(set(local_days)) == 365
    for slot in slots:
        local = slot.astimezone(zone)
        # On the day the clocks jump over the chosen time it arrives as much later as the jump; never
        # earlier. A repeated time is taken at its first occurrence.
        shift = dt.datetime.combine(local.date(), local.time()) - dt.datetime.combine(local.date(), at)
        assert shift in (dt.timedelta(0), dt.timedelta(hours=1), dt.timedelta(minutes=30))
        assert local.fold == 0
        if shift:
            assert wall_time_missing(local.date(), at, zone)
        assert previous_slot(slot, days=EVERY_DAY, at=at, tz=tz) == slot
        assert previous_slot(slot - dt.timedelta(seconds=1), days=EVERY_DAY, at=at, tz=tz) < slot


def test_lord_howe_half_hour_change_days() -> None:
    # 4 October 2026: 02:00 (+10:30) -> 02:30 (+11); 5 April 2026: 02:00 (+11) -> 01:30 (+10:30).
    tz, zone = "Australia/Lord_Howe", ZoneInfo("Australia/Lord_Howe")
    spring = next_slot(dt.datetime(2026, 10, 3, 12, 0, tzinfo=UTC), days=EVERY_DAY, at=dt.time(2, 15), tz=tz)
    assert spring.astimezone(zone).replace(tzinfo=None) == dt.datetime(2026, 10, 4, 2, 45)
    autumn_start = dt.datetime(2026, 4, 4, 12, 0, tzinfo=UTC)
    autumn = _daily(tz, dt.time(1, 45), autumn_start, autumn_start + dt.timedelta(days=1))
    assert autumn == [dt.datetime(2026, 4, 4, 14, 45, tzinfo=UTC)]  # 01:45 at +11, the first of two


def test_a_changed_time_zone_moves_the_next_slot_to_the_new_zone() -> None:
    moment = dt.datetime(2026, 6, 7, 7, 0, tzinfo=UTC)  # Sunday; 08:00 in London, 17:00 in Sydney
    london = next_slot(moment, days=DEFAULT_DAYS, at=DEFAULT_TIME, tz="Europe/London")
    sydney = next_slot(moment, days=DEFAULT_DAYS, at=DEFAULT_TIME, tz="Australia/Sydney")
    assert london == dt.datetime(2026, 6, 7, 8, 0, tzinfo=UTC)
    assert sydney == dt.datetime(2026, 6, 13, 23, 0, tzinfo=UTC)  # Sunday 14 June, 09:00 in Sydney


def test_new_york_change_days() -> None:
    # 8 March 2026: 02:00 -> 03:00, so 02:30 does not exist; 1 November: 01:30 happens twice.
    tz, zone = "America/New_York", ZoneInfo("America/New_York")
    spring = next_slot(dt.datetime(2026, 3, 8, 5, 0, tzinfo=UTC), days=EVERY_DAY, at=dt.time(2, 30), tz=tz)
    assert spring.astimezone(zone).replace(tzinfo=None) == dt.datetime(2026, 3, 8, 3, 30)
    autumn_start = dt.datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    autumn = _daily(tz, dt.time(1, 30), autumn_start, autumn_start + dt.timedelta(days=1))
    assert autumn == [dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]  # the first 01:30 (EDT), once
