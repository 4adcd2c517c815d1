"""A child's age on a given day, and which age bands that age falls in.

Months are completed calendar months, clamped at month ends (born 31 January: one month old on the last
day of February), because that is how parents count and how the content's bands are written. For a baby
born early the age comes from the due date (corrected age) until 24 months of corrected age, then from
the birthdate, which is the usual practice for prematurity.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.text import day_date

CORRECTED_UNTIL_MONTHS = 24
# Further back than this a birthdate is far more likely a typo (wrong year) than a real child of this age.
PLAUSIBLE_MAX_YEARS = 6
# A due date more than this far after the birth would mean a birth before viability: surely a typo.
MAX_WEEKS_EARLY = 20
# Weeks read better than months for the youngest babies ("6 weeks", not "1 month").
WEEKS_BELOW = 12


class DateProblem(ValueError):
    """A date a parent gave that cannot be right; ``str()`` is a friendly sentence to show them."""


@dataclass(frozen=True)
class ChildAge:
    """Age on one day. ``months``, ``weeks`` and ``days`` are all on the same basis: corrected when
    ``corrected`` is true (clamped at 0 before the due date), actual otherwise. ``actual_months`` is always
    from the birthdate; ``until_due`` counts the days still to the due date of a baby born early (0 once
    it has passed), with ``since_birth`` the days lived so far, so that age can be told truly."""

    months: int
    weeks: int
    days: int
    corrected: bool
    actual_months: int
    until_due: int = 0
    since_birth: int = 0

    @property
    def by_birth(self) -> bool:
        """A baby born early not yet past the due date (the due date itself too): the corrected age would be
        "0 days", so the age is told from the birth, with :func:`age_note` saying when the baby was due."""
        return self.corrected and self.days == 0


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months, clamped to the end of a shorter month."""
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def completed_months(start: date, on: date) -> int:
    """Whole calendar months from ``start`` to ``on`` (0 when ``on`` is before ``start``)."""
    if on <= start:
        return 0
    months = (on.year - start.year) * 12 + on.month - start.month
    if add_months(start, months) > on:
        months -= 1
    return months


def age_on(birthdate: date, today: date, due_date: date | None = None) -> ChildAge:
    """The age used for bands on ``today``; raises DateProblem when the child is not born yet."""
    if birthdate > today:
        raise DateProblem(
            f"{day_date(birthdate)} is after today ({day_date(today)}): a birthdate can't be in the future."
        )
    actual = completed_months(birthdate, today)
    if due_date is not None and due_date > birthdate:
        corrected = completed_months(due_date, today)
        if corrected < CORRECTED_UNTIL_MONTHS:
            days = max(0, (today - due_date).days)
            until_due = max(0, (due_date - today).days)
            since_birth = (today - birthdate).days
            return ChildAge(corrected, days // 7, days, True, actual, until_due, since_birth)
    days = (today - birthdate).days
    return ChildAge(actual, days // 7, days, corrected=False, actual_months=actual)


def validate_birthdate(birthdate: date, today: date) -> None:
    """Reject a birthdate in the future or implausibly long ago (being past 36 months is a separate check)."""
    if birthdate > today:
        raise DateProblem(
            f"{day_date(birthdate)} is in the future. Please send your child's birthdate "
            "(for a baby not born yet, come back after the birth)."
        )
    if birthdate < add_months(today, -12 * PLAUSIBLE_MAX_YEARS):
        raise DateProblem(
            f"{day_date(birthdate)} is more than {PLAUSIBLE_MAX_YEARS} years ago. Could the year be a typo? "
            "Please check it and send the birthdate again."
        )


def validate_due_date(due_date: date, birthdate: date) -> None:
    """A due date only matters for a baby born early: it must fall after the birth, and not absurdly late."""
    if due_date <= birthdate:
        raise DateProblem(
            f"The due date ({day_date(due_date)}) should be after the birthdate ({day_date(birthdate)}). "
            "It only matters for a baby born early, so you can skip it if your baby arrived on time or late."
        )
    if due_date - birthdate > timedelta(weeks=MAX_WEEKS_EARLY):
        raise DateProblem(
            f"The due date ({day_date(due_date)}) is more than {MAX_WEEKS_EARLY} weeks after the birthdate "
            f"({day_date(birthdate)}). Please check both dates."
        )


def is_past_36_months(birthdate: date, today: date, due_date: date | None = None) -> bool:
    """True when the child has outgrown the content (older than 36 completed months)."""
    return age_on(birthdate, today, due_date).months > 36


def describe_age(age: ChildAge) -> str:
    """Short words for an age: "3 days", "6 weeks", "10 months", "1 year 3 months", "2 years".

    Before the due date the corrected age would be "0 days" for weeks on end: the age since birth is
    shown instead, with :func:`age_note` saying the due date is still ahead.
    """
    if age.by_birth:
        return _days_or_weeks(age.since_birth)
    if age.weeks == 0:
        return _plural(age.days, "day")
    if age.weeks < WEEKS_BELOW and age.months < 3:
        return _plural(age.weeks, "week")
    return describe_months(age.months)


def age_note(age: ChildAge) -> str:
    """What goes with :func:`describe_age`: "due date still 3 weeks ahead", "due date tomorrow", "due date
    today", "corrected age" for a baby born early, or nothing."""
    if age.by_birth and not age.until_due:
        return "due date today"
    if age.until_due == 1:
        return "due date tomorrow"
    if age.until_due:
        return f"due date still {_days_or_weeks(age.until_due)} ahead"
    return "corrected age" if age.corrected else ""


def _days_or_weeks(days: int) -> str:
    return _plural(days, "day") if days < 7 else _plural(days // 7, "week")


def describe_months(months: int) -> str:
    """Months as parents say them: "10 months" below a year, then "1 year 3 months", "2 years"."""
    if months < 12:
        return _plural(months, "month")
    years, rest = divmod(months, 12)
    return _plural(years, "year") + (f" {_plural(rest, 'month')}" if rest else "")


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
