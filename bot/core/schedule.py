"""Schedule arithmetic: which UTC instants a parent's "Sundays at 09:00 in Europe/London" means.

Slots are computed per local calendar date (one candidate per chosen weekday), so a daylight-saving change
can neither skip nor double a slot: a local time that does not exist that day (spring forward) lands on the
corresponding time after the jump (02:30 becomes 03:30), and one that happens twice (fall back) is taken at its first occurrence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

DEFAULT_DAYS: frozenset[int] = frozenset({6})
DEFAULT_TIME = dt.time(9, 0)

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse_days(text: str) -> frozenset[int]:
    """Read the stored form ("0,3,6": Monday=0 ... Sunday=6); raises ValueError on anything else."""
    parts = [part.strip() for part in text.split(",")]
    if not text.strip() or not all(part.isdigit() for part in parts):
        raise ValueError(f"weekdays must be numbers 0-6 separated by commas, got {text!r}")
    days = frozenset(int(part) for part in parts)
    if not days <= frozenset(range(7)):
        raise ValueError(f"weekdays must be between 0 (Monday) and 6 (Sunday), got {text!r}")
    return days


def format_days(days: Iterable[int]) -> str:
    """The stored form, ascending: {6, 2} -> "2,6"."""
    chosen = sorted(set(days))
    if not chosen or chosen[0] < 0 or chosen[-1] > 6:
        raise ValueError(f"weekdays must be a non-empty set of 0-6, got {chosen}")
    return ",".join(str(day) for day in chosen)


def describe_days(days: Iterable[int]) -> str:
    """For people: "Sundays", "Mondays and Thursdays", "every day"."""
    chosen = sorted(set(days))
    if len(chosen) == 7:
        return "every day"
    names = [WEEKDAY_NAMES[day] + "s" for day in chosen]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _local_slot(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    # fold=0: the first occurrence of a repeated time; a missing time is read with the offset from before
    # the gap, which puts it as far after the jump as it was meant to be after the gap's start.
    return dt.datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone).astimezone(dt.UTC)


def _check(moment: dt.datetime, days: frozenset[int]) -> None:
    if moment.tzinfo is None:
        raise ValueError("pass an aware datetime (UTC)")
    if not days or not days <= frozenset(range(7)):
        raise ValueError(f"weekdays must be a non-empty set of 0-6, got {sorted(days)}")


def next_slot(after: dt.datetime, *, days: frozenset[int], at: dt.time, tz: str) -> dt.datetime:
    """The first slot strictly after ``after``, as aware UTC."""
    _check(after, days)
    zone = ZoneInfo(tz)
    start = after.astimezone(zone).date() - dt.timedelta(days=1)
    for offset in range(9):
        day = start + dt.timedelta(days=offset)
        if day.weekday() in days:
            slot = _local_slot(day, at, zone)
            if slot > after:
                return slot
    raise AssertionError("unreachable: a chosen weekday occurs within any 9 consecutive days")


def previous_slot(before: dt.datetime, *, days: frozenset[int], at: dt.time, tz: str) -> dt.datetime:
    """The latest slot at or before ``before``, as aware UTC (the one a late dispatcher still owes)."""
    _check(before, days)
    zone = ZoneInfo(tz)
    start = before.astimezone(zone).date() + dt.timedelta(days=1)
    for offset in range(9):
        day = start - dt.timedelta(days=offset)
        if day.weekday() in days:
            slot = _local_slot(day, at, zone)
            if slot <= before:
                return slot
    raise AssertionError("unreachable: a chosen weekday occurs within any 9 consecutive days")
