"""How dates, days and times are shown to parents, and read back when they type them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.core.schedule import WEEKDAY_NAMES
from bot.core.step_words import normal_words
from content.conversation import alternatives, conversation_words
from db.families import MAX_CHILDREN

# The word lists kept as data in content/conversation.yaml (checked on load: a typo fails at start-up).
WORDS = conversation_words()

_DAY_PREFIX = re.compile(r"[a-z]+")
_TIME = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")


def hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def local_moment(moment: datetime, zone: str) -> str:
    """A UTC moment as the parent's wall clock: "Sunday 6 December at 09:00"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{WEEKDAY_NAMES[local.weekday()]} {local.day} {calendar.month_name[local.month]} at {hhmm(local.time())}"


def local_day(moment: datetime, zone: str) -> str:
    """A UTC moment as the parent's calendar day: "Sunday 6 December"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{WEEKDAY_NAMES[local.weekday()]} {local.day} {calendar.month_name[local.month]}"


def read_days(text: str) -> frozenset[int] | None:
    """Weekdays typed as words or abbreviations ("mon thu", "Tuesday, Friday"), ranges with every day in them
    ("mon-fri", "Monday to Wednesday"); None if any word is not one (a date like "the 5th" is no Thursday)."""
    return _days_in(_DAY_TOKEN.findall(text.lower().replace("every day", "daily")))


# A word, or a dash between two days ("mon-fri", "Mon – Fri").
_DAY_TOKEN = re.compile(r"[a-z0-9]+|[-–—]")
_DAY_FILLERS = frozenset({"and", "on", "s", "at", "the", "every", "from", "&"})
_DASHES = frozenset({"-", "–", "—"})
_RANGE = _DASHES | {"to", "till", "until", "through", "thru"}


def _dash_list(words: list[str]) -> bool:
    """Day, dash, day, dash, day...: more than one dash between single words reads as a list."""
    return len(words) >= 5 and all((word in _DASHES) == (i % 2 == 1) for i, word in enumerate(words))


def _days_in(words: list[str]) -> frozenset[int] | None:
    """The days ``words`` name, every day of a range included; None unless each word is a day, a range
    between two days, or a filler like "and"."""
    words = [word for word in words if word not in _DAY_FILLERS]
    if not words:
        return None
    if _dash_list(words):  # "mon-wed-fri": three days in a row of dashes are a list, not a range
        return _days_in([word for word in words if word not in _DASHES])
    days: set[int] = set()
    start: int | None = None  # the single day a range may run from
    ranging = False
    for word in words:
        if word in _RANGE:
            if start is None or ranging:
                return None
            ranging = True
            continue
        day = _day_of(word) if _DAY_WORD.fullmatch(word) else None
        if day is None:
            return None
        if ranging:
            if start is None or len(day) != 1:
                return None
            end = min(day)
            days |= {(start + step) % 7 for step in range((end - start) % 7 + 1)}
            ranging, start = False, None
            continue
        days |= day
        start = min(day) if len(day) == 1 else None
    return None if ranging else frozenset(days)


# How often, said instead of days: "twice a week", "3 times a week", "more often", "every day".
_HOW_MANY = {"once": 1, "one": 1, "1": 1, "twice": 2, "two": 2, "2": 2, "three": 3, "thrice": 3, "3": 3}
_A_WEEK = re.compile(r"^(?P<n>[a-z0-9]+)(?: times?| tips?)?(?: a| per| each| every)? ?(?:week|wk)?$")
# Asking for more than the most there is: read as "as many as you send".
_MORE_OFTEN = WORDS.more_often


# Asking around the count: "can I have them twice a week", "could you send tips every day".
_ASKING = re.compile(r"^(?:(?:" + "|".join(re.escape(words) for words in WORDS.asking) + r")\s+)+")
# "we'd", "I'd" said in full before the asking words go, so "wed" (Wednesday) and "id" are never taken for them.
# "sunday is fine", "mondays please": what only says it suits, dropped from the end.
_ASKING_AFTER = re.compile(rf"(?:\s+(?:{alternatives(WORDS.asking_after)}))+$")
_WOULD = re.compile(r"\b(we|i|they|you)'d\b")


def _asked(text: str) -> str:
    """What a sentence asking for days or tips a week says once the asking around it is gone: "can I have
    them wed and fri please" -> "wed and fri", "we'd love them on weekends" -> "weekends"."""
    said = _WOULD.sub(r"\1 would", text.lower().replace("’", "'"))
    said = " ".join(re.sub(r"[^a-z0-9 ]", " ", said.replace("'", "")).split())
    return _ASKING_AFTER.sub("", _ASKING.sub("", said))


def read_day_and_time_said(text: str) -> tuple[frozenset[int], SaidTime | None] | None:
    """Days and perhaps a time said in a sentence: "could we have them on Saturday mornings instead"."""
    return read_day_and_time(text) or (read_day_and_time(said) if (said := _asked(text)) else None)


def read_days_said(text: str) -> frozenset[int] | None:
    """Days said in a sentence: "we'd love them on weekends", "can I have them Mon and Fri please"."""
    said = _asked(text)
    return read_days(said) if said else None


def read_per_week(text: str) -> int | None:
    """Tips a week said in words ("twice a week", "3 times a week", "once"): the number; "more often" or
    "every day" ask for more than any choice (7); None when the message says no number of tips."""
    said = _asked(text)
    if said in _MORE_OFTEN:
        return 7
    match = _A_WEEK.match(said)
    if match is None or (match["n"] not in _HOW_MANY and not match["n"].isdigit()):
        return None
    if said == match["n"] and not said.isdigit() and said not in {"once", "twice", "thrice"}:
        return None  # "one" or "two" alone is no count a week
    n = _HOW_MANY.get(match["n"]) or int(match["n"])
    return n if 1 <= n <= 7 else None


_ORDINAL = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b")
_DAY_OF_MONTH = re.compile(r"(?<![\d:.])\b(?:1[3-9]|2\d|3[01])\b(?![:.]\d)")
# Not "may": "mon or wed, may change later" names no date.
_MONTHS = (
    frozenset(name.lower() for name in calendar.month_name if name)
    | frozenset(name.lower() for name in calendar.month_abbr if name)
) - {"may"}


def said_a_date(text: str) -> bool:
    """ "the 5th", "friday 25", "12 March": a date where days of the week were asked for."""
    lowered = text.lower()
    if _ORDINAL.search(lowered) or _DAY_OF_MONTH.search(lowered):
        return True
    return any(word in _MONTHS for word in re.findall(r"[a-z]+", lowered))


# A part of the day typed for a time: the button for it (the tip times offered).
_PARTS_OF_DAY = {
    "morning": time(9, 0),
    "in the morning": time(9, 0),
    "early morning": time(7, 0),
    "midday": time(12, 0),
    "noon": time(12, 0),
    "lunchtime": time(12, 0),
    "lunch": time(12, 0),
    "afternoon": time(15, 0),
    "in the afternoon": time(15, 0),
    "evening": time(19, 0),
    "in the evening": time(19, 0),
    "night": time(20, 30),
    "at night": time(20, 30),
}
_PLURAL_PART = re.compile(r"(?<=ing|oon|ght)s\b|^(?:the|mostly|usually)\s+(?=\w)")


_HOUR_WORDS = {
    word: n
    for n, word in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"],
        start=1,
    )
}
_AFTERNOON = frozenset({"pm", "in the afternoon", "in the evening"})
_NIGHT = frozenset({"at night", "tonight"})
_MORNING = frozenset({"am", "in the morning"})
_SAID_TIME = re.compile(
    r"(?:(?P<part>half|quarter)(?:\s+(?P<way>past|after|to))?\s+)?(?P<hour>\d{1,2}|"
    + "|".join(_HOUR_WORDS)
    + r")(?:[:.h](?P<minute>\d{2}))?(?:\s+o'?clock)?"
    r"(?:\s*(?P<when>am|pm|in the morning|in the afternoon|in the evening|at night|tonight))?"
)
# Hours said without morning or evening that are asked back: hardly anyone wants tips at 3 at night, and
# "half six" may be either. From 7 the morning is meant, as a bare "7" always has been.
_EITHER_HOURS = range(1, 7)


@dataclass(frozen=True)
class SaidTime:
    """A time of day as read; ``either``: said without morning or evening where both are likely ("3",
    "half past six", "six o'clock"), so ``at`` (the morning one) is asked back with its evening twin."""

    at: time
    either: bool = False


def _said_time(said: str) -> SaidTime | None:
    """ "half past seven", "half six", "quarter to 8 in the evening", "7 o'clock at night", "seven pm",
    "seven": morning or evening judged on the hour as said, and asked back for 1 to 6 with neither said."""
    m = _SAID_TIME.fullmatch(said)
    if m is None:
        return None
    if m["part"] is not None and (m["minute"] is not None or (m["way"] is None and m["part"] != "half")):
        return None  # "quarter 7", "half past 7:30": not a time
    said_hour = int(m["hour"]) if m["hour"].isdigit() else _HOUR_WORDS[m["hour"]]
    when = m["when"]
    if m["part"] is None and m["hour"].isdigit() and when is None:
        if m["minute"] is not None or 0 <= said_hour <= 23:  # "9", "09:30", "15", "3 o'clock"
            return _plain(said_hour, int(m["minute"] or 0), bare=m["minute"] is None)
        return None
    if not 1 <= said_hour <= 12:
        return None
    hour, minute = said_hour, int(m["minute"] or 0)
    if m["part"] is not None:  # "half six" is half past six, as said in Britain
        minute = 30 if m["part"] == "half" else 15
        if m["way"] == "to":
            hour, minute = hour - 1 if hour > 1 else 12, 60 - minute
    if minute > 59:
        return None
    if when in _AFTERNOON:
        hour = hour % 12 + 12
    elif when in _NIGHT:  # "11 at night" is 23:00, "1 at night" 01:00, "12 at night" midnight
        hour = hour % 12 + (12 if 6 <= said_hour <= 11 else 0)
    elif when in _MORNING:
        hour %= 12
    elif said_hour in _EITHER_HOURS:
        return SaidTime(time(hour % 12, minute), either=True)
    return SaidTime(time(hour, minute))


def _plain(hour: int, minute: int, *, bare: bool) -> SaidTime | None:
    """A time typed in figures alone: "9", "09:30", "15"; a bare hour from 1 to 6 is asked back."""
    if hour > 23 or minute > 59:
        return None
    return SaidTime(time(hour, minute), either=bare and hour in _EITHER_HOURS)


def read_said_time(text: str) -> SaidTime | None:
    """ "9", "09:30", "8.15", "7pm", "7:30 pm", "20h00", "morning", "half past seven", "7 in the evening";
    None when it is not a time of day."""
    said = _POLITE.sub("", normal_words(text))
    part = _PLURAL_PART.sub("", said)  # "mornings", "in the evenings"
    if part in _PARTS_OF_DAY:
        return SaidTime(_PARTS_OF_DAY[part])
    spoken = _said_time(said)
    if spoken is not None:
        return spoken
    m = _TIME.fullmatch(re.sub(r"\s*o'?clock$", "", _POLITE.sub("", text.strip().lower())))
    if m is None:
        return None
    hour, minute = int(m[1]), int(m[2] or 0)
    suffix = (m[3] or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return SaidTime(time(hour, minute))


# Said around a day or a time without changing it: "at 8", "Saturday please", "actually Monday".
_POLITE = re.compile(
    r"^(?:(?:actually|oh|ok|okay|sorry|no|make it|can we do|can it be|let's say|lets say|every|at|around|"
    r"about|on)\s+)+|(?:\s+(?:please|pls|thanks|thank you|instead|would be (?:good|great|best)|is best))+$"
)
_DAY_WORD = re.compile(r"[a-z]+")


def _day_of(word: str) -> frozenset[int] | None:
    """One weekday word ("sat", "Saturdays", "weekends"), or None."""
    if word in ("weekend", "weekends"):
        return frozenset((5, 6))
    if word in ("weekday", "weekdays"):
        return frozenset(range(5))
    if word in ("daily", "everyday"):
        return frozenset(range(7))
    stem = word.removesuffix("s") if len(word) > 3 else word
    matches = [i for i, name in enumerate(WEEKDAY_NAMES) if len(stem) >= 2 and name.lower().startswith(stem)]
    return frozenset(matches) if len(matches) == 1 else None


def read_day_and_time(text: str) -> tuple[frozenset[int], SaidTime | None] | None:
    """Days, and perhaps a time, in one message: "Saturday at 8:30am", "8pm on Fridays", "mon-fri at 7",
    "actually Monday please"; the time None when only days were said. None unless days were said and the
    rest is a time (or nothing), so a parent who answers the day question with the time too, or the time
    question with another day, is understood instead of asked again; a number that is no time ("friday 25")
    is never dropped."""
    said = _POLITE.sub("", normal_words(text).replace(",", " ").replace("every day", "daily"))
    said = re.sub(r"\s*[-–—]\s*(?=[a-z])", " - ", said)  # "mon-fri": a range; "8-9" stays as typed
    day_words: list[str] = []
    rest: list[str] = []
    after_day = False
    for word in said.split():
        if _DAY_WORD.fullmatch(word) and word not in _NOT_DAYS and _day_of(word) is not None:
            day_words.append(word)
            after_day = True
        elif word in _RANGE and after_day:  # "monday to friday"; not the "to" of "quarter to 8"
            day_words.append(word)
            after_day = False
        else:
            rest.append(word)
            after_day = False
    days = _days_in(day_words)
    if days is None:
        return None
    leftover = _POLITE.sub("", " ".join(w for w in rest if w not in ("and", "&", "on", "every")))
    if not leftover:
        return days, None
    at = read_said_time(leftover)
    return None if at is None else (days, at)


# Words a day's prefix would otherwise claim: "the" is no Thursday, "we" no Wednesday.
_NOT_DAYS = frozenset({"the", "we"})


def read_time(text: str) -> time | None:
    """The time of day ``text`` says (the morning one when it could be either), or None."""
    said = read_said_time(text)
    return said.at if said is not None else None


def join_names(names: list[str]) -> str:
    """ "Leo", "Leo and Maya", "Leo, Maya and Nia" (plain text: escape the result for HTML). Past
    ``MAX_CHILDREN`` names (a family from before the limit) the first ones and "and 60 more", so the message
    stays short whatever the family."""
    if len(names) > MAX_CHILDREN:
        return f"{', '.join(names[:MAX_CHILDREN])} and {len(names) - MAX_CHILDREN} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
