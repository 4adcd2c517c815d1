"""An age typed where a birthdate was asked for ("he's 4 months old", "6 weeks", "born 3 months ago"): the
birthdate it puts the child at, for the parent to confirm. Only whole messages that say an age and nothing
else count; "my 4 month old cries" is a question, not an answer.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "wks": "week",
    "month": "month",
    "months": "month",
    "mo": "month",
    "mos": "month",
    "mth": "month",
    "mths": "month",
    "year": "year",
    "years": "year",
    "yr": "year",
    "yrs": "year",
}
_SAID = re.compile(
    r"^(?:(?:he|she|they|it|baby|my baby|the baby)(?:'s|\s+is|\s+are|'re|\s+was)\s+)?"
    r"(?:born\s+)?(?:(?:about|around|roughly|nearly|almost|just|exactly|approximately|approx|over|under)\s+)*"
    r"(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")\s*(?P<unit>" + "|".join(_UNITS) + r")"
    r"(?:\s+old|-old)?(?:\s+ago)?(?:\s+(?:now|today))?$"
)
_TODAY = re.compile(r"^(?:(?:he|she|they|it)\s+was\s+)?(?:born\s+)?(?P<day>today|yesterday)$")


@dataclass(frozen=True, slots=True)
class SaidAge:
    """The age as the parent put it ("4 months") and the birthdate it means on the day it was said."""

    label: str
    birthdate: date
    exact: bool = False  # said to the day ("3 days ago", "yesterday"), not roughly ("4 months")


def said_age(text: str, today: date) -> SaidAge | None:
    """The age a whole message says, as a likely birthdate; None when the message says something else."""
    said = " ".join(text.lower().replace("’", "'").split()).strip(" .!,;")
    day = _TODAY.match(said)
    if day is not None:
        return SaidAge(f"born {day['day']}", today - timedelta(days=day["day"] == "yesterday"), exact=True)
    match = _SAID.match(said)
    if match is None:
        return None
    raw = match["n"]
    n = int(raw) if raw.isdigit() else _NUMBERS[raw]
    unit = _UNITS[match["unit"]]
    label = f"{n} {unit}{'s' if n != 1 else ''}"
    if unit == "day":
        return SaidAge(label, today - timedelta(days=n), exact=True)
    if unit == "week":
        return SaidAge(label, today - timedelta(weeks=n))
    return SaidAge(label, _months_before(today, n * 12 if unit == "year" else n))


def _months_before(today: date, months: int) -> date:
    """The same day of the month ``months`` earlier (the last day, when that month is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


_EARLY = re.compile(
    r"^(?:(?:he|she|they|it|baby)\s+(?:was|were|came|arrived)\s+)?(?:born\s+|came\s+|arrived\s+)?"
    r"(?:(?:about|around|roughly|nearly|almost|just)\s+)*"
    r"(?P<n>\d{1,2}|" + "|".join(_NUMBERS) + r")\s*(?P<unit>weeks?|wks?|days?)\s+(?:early|premature|prem)$"
)
_AT_WEEKS = re.compile(
    r"^(?:(?:he|she|they|it)\s+(?:was|were)\s+)?(?:born\s+)?(?:at\s+)?(?P<weeks>\d{2})\s*(?:\+\s*(?P<days>[0-6]))?"
    r"\s*(?:weeks?|wks?|w)(?:\s+(?:pregnant|gestation))?$"
)
# A pregnancy at term, as due dates count it: born "at 34 weeks" is 6 weeks before the due date.
TERM_WEEKS = 40
# Born from 37 weeks of pregnancy is born at term, on time: not early (and no corrected age).
FULL_TERM_WEEKS = 37
LATEST_WEEKS = 42


def born_at_term(text: str) -> bool:
    """ "Born at 39 weeks", "40 weeks", "38+5 weeks": a pregnancy of 37 weeks or more, so not born early."""
    at = _AT_WEEKS.match(" ".join(text.lower().replace("’", "'").split()).strip(" .!,;"))
    return at is not None and FULL_TERM_WEEKS <= int(at["weeks"]) <= LATEST_WEEKS


def said_due_date(text: str, birthdate: date) -> date | None:
    """The due date a whole message gives by how early the baby came ("5 weeks early", "born at 34+2
    weeks"), for the parent to confirm; None when the message says something else."""
    said = " ".join(text.lower().replace("’", "'").split()).strip(" .!,;")
    early = _EARLY.match(said)
    if early is not None:
        raw = early["n"]
        n = int(raw) if raw.isdigit() else _NUMBERS[raw]
        return birthdate + (timedelta(days=n) if early["unit"].startswith("day") else timedelta(weeks=n))
    at = _AT_WEEKS.match(said)
    if at is not None and 22 <= int(at["weeks"]) < TERM_WEEKS:
        born_at = timedelta(weeks=int(at["weeks"]), days=int(at["days"] or 0))
        return birthdate + timedelta(weeks=TERM_WEEKS) - born_at
    return None
