"""Parsing the dates parents type during onboarding."""

from datetime import date

import pytest

from bot.core.ages import DateProblem
from bot.core.dates import parse_date, relative_date

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-15", date(2026, 3, 15)),
        ("2026/3/5", date(2026, 3, 5)),
        ("15/03/2026", date(2026, 3, 15)),
        ("15.3.26", date(2026, 3, 15)),
        ("15-03-2026", date(2026, 3, 15)),
        ("3/15/2026", date(2026, 3, 15)),  # only the month-first reading is a real date
        ("05/05/2026", date(2026, 5, 5)),  # both readings are the same day
        ("15 March 2026", date(2026, 3, 15)),
        ("15th of March, 2026", date(2026, 3, 15)),
        ("the 1st of june 2025", date(2025, 6, 1)),
        ("March 15, 2026", date(2026, 3, 15)),
        ("Mar. 3 2025", date(2025, 3, 3)),
        ("  15 sept 2026 ", date(2026, 9, 15)),
        ("March 15", date(2026, 3, 15)),  # no year: the most recent past one
        ("December 25", date(2025, 12, 25)),  # this year's is still to come
        ("29 February", date(2024, 2, 29)),  # back to the last leap year
        ("today", TODAY),
        ("Yesterday", date(2026, 11, 28)),
    ],
)
def test_parse_date_single_reading(text, expected):
    assert parse_date(text, TODAY).candidates == (expected,)


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("03/04/2026", (date(2026, 4, 3), date(2026, 3, 4))),
        ("1.2.25", (date(2025, 2, 1), date(2025, 1, 2))),
        ("4/7", (date(2026, 7, 4), date(2026, 4, 7))),
    ],
)
def test_parse_date_ambiguous_gives_both_readings(text, candidates):
    assert parse_date(text, TODAY).candidates == candidates


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2026", "February 2026 has 28 days"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("29/02/2025", "February 2025 has 28 days"),
        ("April 31", "April has 30 days"),
        ("2026-13-01", "no month 13"),
        ("13/13/2026", "isn't a real date"),
        ("15 March 1850", "year 1850"),
        ("hello", "couldn't read"),
        ("15 Smarch 2026", "couldn't read"),
        ("", "Please send a date"),
    ],
)
def test_parse_date_problems_are_friendly(text, message):
    with pytest.raises(DateProblem, match=message) as caught:
        parse_date(text, TODAY)
    assert "Traceback" not in str(caught.value)
    assert str(caught.value).endswith(".")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("born on the 3rd of November", date(2026, 11, 3)),
        ("actually it's 14 October", date(2026, 10, 14)),
        ("She was born on 3 March", date(2026, 3, 3)),
        ("sorry, it was 15/03/2026", date(2026, 3, 15)),
    ],
)
def test_a_date_said_in_a_sentence_is_read(text, expected):
    assert parse_date(text, TODAY).candidates == (expected,)


def test_a_due_date_without_a_year_is_the_first_such_day_after_the_birth():
    born = date(2026, 11, 1)
    assert parse_date("20 December", TODAY, after=born).candidates == (date(2026, 12, 20),)
    assert parse_date("20/12", TODAY, after=born).candidates == (date(2026, 12, 20),)
    assert parse_date("20 December 2026", TODAY, after=born).candidates == (date(2026, 12, 20),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last Tuesday", date(2026, 11, 24)),  # TODAY is a Sunday
        ("on Sunday", date(2026, 11, 22)),  # today would be "today": a week ago
        ("she was born on Saturday", date(2026, 11, 28)),
        ("the 3rd", date(2026, 11, 3)),
        ("born on the 29th", date(2026, 11, 29)),
        ("actually it's the 30th", date(2026, 10, 30)),  # this month's is still to come
        ("31st", date(2026, 10, 31)),
        ("march", None),
        ("the 32nd", None),
        ("Mia", None),
    ],
)
def test_relative_dates_count_back_from_today(text, expected):
    assert relative_date(text, TODAY) == expected


def test_a_relative_due_date_is_the_next_such_day_after_the_birth():
    born = date(2026, 11, 25)
    assert relative_date("on the 20th", TODAY, after=born) == date(2026, 12, 20)
    assert relative_date("last Tuesday", TODAY, after=born) is None  # a weekday says nothing of a due date
