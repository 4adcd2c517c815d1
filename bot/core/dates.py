"""Read a date the way parents type it: 2026-03-15, 15/03/2026, 15.3.26, "15 March 2026", "March 15", also
said in a sentence ("she was born on 3 March", "actually it's the 14th of May").

When a numeric date reads two ways (03/04/2026: 3 April or March 4) both readings come back, so the
conversation can ask instead of silently guessing. Impossible dates (31/02) and nonsense raise DateProblem
with a sentence fit to show the parent. A date said relative to today ("last Tuesday", "the 3rd") is read by
:func:`relative_date`, for the conversation to offer back to confirm rather than take silently.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.ages import DateProblem

EXAMPLES = "like 2026-03-15, 15/03/2026 or 15 March 2026"

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9


def month_named(text: str) -> str | None:
    """ "Mid December", "sometime in may" -> "December", "May": the first month named in the words (a guess
    at a date, where no date was read); None when none is."""
    months = [_MONTHS[word] for word in re.findall(r"[a-z]+", text.lower()) if word in _MONTHS]
    return calendar.month_name[months[0]] if months else None


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"([a-z]+)\.?"
_YEAR = r"(?:\s+(\d{4}|\d{2}))?"
_DAY_MONTH = re.compile(rf"(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}")
_MONTH_DAY = re.compile(rf"{_MONTH}\s+(?:the\s+)?{_DAY}{_YEAR}")
# Words said around a date that change nothing: "actually it's", "sorry, she was born on".
_LEAD = r"^(?:(?:actually|sorry|oops|oh|wait|hmm|um|no|so|ok|okay|i mean|i meant)[\s.!:;-]+)*"
_SAID = r"it's|its|it is|it was|that's|thats|that is|he's|she's|he was|she was|they were|was|were"
_SAID_AROUND = re.compile(rf"{_LEAD}(?:(?:{_SAID}|born|birthday is|birthdate is)\s+)*(?:on\s+)?")
# Only where a due date is asked ("due on the 20th"): at the birthdate, "due" means it is not the birthdate.
_SAID_AROUND_DUE = re.compile(
    rf"{_LEAD}(?:(?:{_SAID}|(?:the\s+)?due date (?:is|was)|(?:she|he|they)\s+(?:was|were)\s+due|due)\s+)*"
    r"(?:on\s+)?"
)
_SAYS_DUE = re.compile(r"\bdue\b")
_YEAR_SAID = re.compile(r"\s+(?P<which>this|last)\s+year$")
_WEEKDAY = re.compile(
    r"(?:last\s+|this\s+(?:past\s+)?|on\s+)?(?P<day>"
    + "|".join(name.lower() for name in calendar.day_name)
    + r")(?:\s+just\s+gone|\s+gone)?"
)
_DAY_ONLY = re.compile(
    r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(?P<which>this|the|last)\s+month)?"
    r"|the\s+(?P<bare>\d{1,2})"
)


@dataclass(frozen=True)
class DateParse:
    """The date(s) the text can mean: one normally, two when day and month could be swapped."""

    candidates: tuple[date, ...]


def _cleaned(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace(",", " ").replace("’", "'")).strip(" .!")


def _unsaid(cleaned: str, *, due: bool = False) -> str:
    """The date in "actually it's the 14th of May" (or, for a due date, "she was due on the 20th"): the words
    around it dropped."""
    return (_SAID_AROUND_DUE if due else _SAID_AROUND).sub("", cleaned, count=1).strip()


def says_due(text: str) -> bool:
    """The text speaks of the due date ("due 20 March", "she was due on the 20th")."""
    return bool(_SAYS_DUE.search(_cleaned(text)))


def parse_date(text: str, today: date, *, after: date | None = None) -> DateParse:
    """Parse ``text``; without a year, the most recent such day up to ``today`` is meant, or with ``after``
    (a due date, which may still be to come) the first such day after it."""
    cleaned = _cleaned(text)
    if not cleaned:
        raise DateProblem(f"Please send a date, {EXAMPLES}.")
    # "the 3rd of June this year", "15 March last year": the year said in words.
    cleaned = _YEAR_SAID.sub(lambda m: f" {today.year - (m['which'] == 'last')}", cleaned)
    try:
        return _parse(cleaned, today, after, text)
    except DateProblem:
        bare = _unsaid(cleaned, due=after is not None)
        if not bare or bare == cleaned:
            raise
        return _parse(bare, today, after, text)


def day_of_month(text: str) -> int | None:
    """The day in "the 30th" or "born on the 3rd", said without its month; None for anything else."""
    m = _DAY_ONLY.fullmatch(_unsaid(_cleaned(text)))
    if m is None or m["which"] in ("this", "last"):
        return None
    return int(m["day"] or m["bare"])


def reads_as_date(text: str, today: date, *, after: date | None = None) -> bool:
    """A day the message says, relative to today ("last Tuesday", "the 14th") or written out ("15/06/2025",
    "born on 15 March"): what each question asking about a child reads as a date, whatever it asked."""
    if relative_date(text[:64], today, after=after) is not None:
        return True
    try:
        parse_date(text[:64], today, after=after)
    except DateProblem:
        return False
    return True


def relative_date(text: str, today: date, *, after: date | None = None) -> date | None:
    """A day said relative to today ("yesterday", "last Tuesday", "on the 3rd", "it's the 14th"), or None.

    Without ``after``: the latest such day before today (a weekday) or up to today (a day of the month). With
    ``after`` (a due date): a day of the month only, the first one after it. A day no month has is None.
    """
    bare = _unsaid(_cleaned(text), due=after is not None)
    if after is None and bare in ("today", "yesterday"):  # shown back in full like any day said so
        return today - timedelta(days=bare == "yesterday")
    if after is None and (m := _WEEKDAY.fullmatch(bare)):
        weekday = [name.lower() for name in calendar.day_name].index(m["day"])
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    m = _DAY_ONLY.fullmatch(bare)
    if m is None:
        return None
    day = int(m["day"] or m["bare"])
    if not 1 <= day <= 31:
        return None
    if m["which"] in ("this", "last"):  # "the 3rd of last month": that month, or nothing
        return _in_month(day, today, back=m["which"] == "last", after=after)
    year, month = (today.year, today.month) if after is None else (after.year, after.month)
    step = -1 if after is None else 1
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            found = date(year, month, day)
            if (after is None and found <= today) or (after is not None and found > after):
                return found
        year, month = divmod(year * 12 + month - 1 + step, 12)
        month += 1
    return None


def _in_month(day: int, today: date, *, back: bool, after: date | None) -> date | None:
    """``day`` of this month or of last month, when that month has it and it fits (up to today for a birth,
    after ``after`` for a due date); None otherwise, so the question is asked again."""
    year, month = (today.year, today.month - 1) if back else (today.year, today.month)
    if month == 0:
        year, month = year - 1, 12
    if day > calendar.monthrange(year, month)[1]:
        return None
    found = date(year, month, day)
    fits = found <= today if after is None else found > after
    return found if fits else None


def _parse(cleaned: str, today: date, after: date | None, text: str) -> DateParse:
    if cleaned in ("today", "yesterday"):
        return DateParse((today - timedelta(days=cleaned == "yesterday"),))
    if m := _ISO.fullmatch(cleaned):
        return DateParse((_make(int(m[1]), int(m[2]), int(m[3]), text),))
    if m := _NUMERIC.fullmatch(cleaned):
        return _numeric(int(m[1]), int(m[2]), m[3], today, text, after)
    if (m := _DAY_MONTH.fullmatch(cleaned)) and m[2] in _MONTHS:
        return DateParse((_named(int(m[1]), _MONTHS[m[2]], m[3], today, text, after),))
    if (m := _MONTH_DAY.fullmatch(cleaned)) and m[1] in _MONTHS:
        return DateParse((_named(int(m[2]), _MONTHS[m[1]], m[3], today, text, after),))
    raise DateProblem(f"I couldn't read “{text.strip()}” as a date. Please send it {EXAMPLES}.")


def _numeric(
    first: int, second: int, year_text: str | None, today: date, text: str, after: date | None
) -> DateParse:
    """Day-first and month-first readings; only those that are real dates survive."""
    readings: list[tuple[int, int]] = [(first, second)]
    if first != second:
        readings.append((second, first))
    candidates: list[date] = []
    for day, month in readings:
        if not 1 <= month <= 12:
            continue
        try:
            candidates.append(_named(day, month, year_text, today, text, after))
        except DateProblem:
            continue
    if not candidates:
        # Neither reading is a real date: explain with the day-first reading when its month exists.
        if 1 <= second <= 12:
            _named(first, second, year_text, today, text, after)
        raise DateProblem(f"“{text.strip()}” isn't a real date. Please send it {EXAMPLES}.")
    return DateParse(tuple(dict.fromkeys(candidates)))


def _named(
    day: int, month: int, year_text: str | None, today: date, text: str, after: date | None = None
) -> date:
    if year_text is None:
        return (
            _most_recent(day, month, today, text) if after is None else _next_after(day, month, after, text)
        )
    year = int(year_text)
    return _make(year + 2000 if len(year_text) == 2 else year, month, day, text)


def _most_recent(day: int, month: int, today: date, text: str) -> date:
    """The latest ``day``/``month`` on or before ``today`` (29 February looks back to the last leap year)."""
    if not 1 <= month <= 12:
        raise _no_such_month(text, month)
    longest = calendar.monthrange(2024, month)[1]  # a leap year: every month at its longest
    if not 1 <= day <= longest:
        raise _no_such_day(text, calendar.month_name[month], longest)
    year = today.year
    while day > calendar.monthrange(year, month)[1] or date(year, month, day) > today:
        year -= 1
    return date(year, month, day)


def _next_after(day: int, month: int, after: date, text: str) -> date:
    """The first ``day``/``month`` after ``after`` (a due date said without its year)."""
    if not 1 <= month <= 12:
        raise _no_such_month(text, month)
    longest = calendar.monthrange(2024, month)[1]
    if not 1 <= day <= longest:
        raise _no_such_day(text, calendar.month_name[month], longest)
    year = after.year
    while day > calendar.monthrange(year, month)[1] or date(year, month, day) <= after:
        year += 1
    return date(year, month, day)


def _make(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise _no_such_month(text, month)
    if not 1900 <= year <= 2200:
        raise DateProblem(f"“{text.strip()}” has the year {year}, which can't be right. Please check it.")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise _no_such_day(text, f"{calendar.month_name[month]} {year}", days_in_month)
    return date(year, month, day)


def _no_such_month(text: str, month: int) -> DateProblem:
    return DateProblem(f"“{text.strip()}” has no month {month}: months go from 1 to 12.")


def _no_such_day(text: str, month: str, days: int) -> DateProblem:
    return DateProblem(f"“{text.strip()}” isn't a real date: {month} has {days} days.")
