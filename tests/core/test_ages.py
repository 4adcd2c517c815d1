"""Ages: calendar-correct months, corrected age, band membership at every boundary, band changes."""

from datetime import date, timedelta

import pytest

from bot.core.ages import (
    ChildAge,
    DateProblem,
    add_months,
    age_note,
    age_on,
    describe_age,
    describe_months,
    is_past_36_months,
    validate_birthdate,
    validate_due_date,
)
from content import default_library


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("birthdate", "today", "months"),
    [
        (date(2026, 1, 31), date(2026, 2, 27), 0),
        (date(2026, 1, 31), date(2026, 2, 28), 1),  # born 31 Jan: one month old on the last day of Feb
        (date(2024, 1, 31), date(2024, 2, 28), 0),  # a leap year: February has a 29th
        (date(2024, 1, 31), date(2024, 2, 29), 1),
        (date(2026, 1, 31), date(2026, 3, 30), 1),
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2024, 2, 29), date(2025, 2, 28), 12),  # leap-day birthday
        (date(2024, 2, 29), date(2025, 2, 27), 11),
        (date(2026, 3, 15), date(2026, 4, 14), 0),
        (date(2026, 3, 15), date(2026, 4, 15), 1),
        (date(2025, 12, 20), date(2026, 1, 20), 1),  # across a year end
        (date(2026, 5, 1), date(2026, 5, 1), 0),  # born today
        (date(2023, 11, 29), date(2026, 11, 29), 36),
        (date(2023, 11, 29), date(2026, 12, 28), 36),
        (date(2023, 11, 29), date(2026, 12, 29), 37),
    ],
)
def test_completed_months_are_calendar_correct(birthdate, today, months):
    assert age_on(birthdate, today).months == months
    assert age_on(birthdate, today).actual_months == months


def test_weeks_and_days_count_from_birth():
    age = age_on(date(2026, 1, 1), date(2026, 2, 12))
    assert age == ChildAge(months=1, weeks=6, days=42, corrected=False, actual_months=1)


@pytest.mark.parametrize(
    ("birthdate", "due", "today", "months", "corrected", "actual"),
    [
        # Born 2 months early: corrected age from the due date.
        (date(2026, 1, 10), date(2026, 3, 10), date(2026, 11, 29), 8, True, 10),
        # Before the due date the corrected age is zero.
        (date(2026, 1, 10), date(2026, 3, 10), date(2026, 2, 1), 0, True, 0),
        # Corrected age is used up to 23 completed months corrected ...
        (date(2024, 1, 10), date(2024, 3, 10), date(2026, 3, 9), 23, True, 25),
        # ... and from 24 months corrected the actual age takes over.
        (date(2024, 1, 10), date(2024, 3, 10), date(2026, 3, 10), 26, False, 26),
        # A due date on or before the birth changes nothing.
        (date(2026, 3, 10), date(2026, 3, 10), date(2026, 11, 29), 8, False, 8),
        (date(2026, 3, 10), date(2026, 3, 1), date(2026, 11, 29), 8, False, 8),
    ],
)
def test_corrected_age_until_24_months(birthdate, due, today, months, corrected, actual):
    age = age_on(birthdate, today, due)
    assert (age.months, age.corrected, age.actual_months) == (months, corrected, actual)


def test_corrected_weeks_count_from_the_due_date():
    age = age_on(date(2026, 1, 1), date(2026, 3, 1), date(2026, 2, 15))
    assert (age.weeks, age.days, age.corrected) == (2, 14, True)


def test_age_before_birth_is_a_date_problem():
    with pytest.raises(DateProblem, match="future"):
        age_on(date(2026, 12, 1), date(2026, 11, 29))


@pytest.mark.parametrize(
    ("months", "band_ids"),
    [
        (0, ["sa-band-0-9"]),
        (6, ["sa-band-0-9"]),
        (7, ["sa-band-0-9", "sa-band-7-18"]),
        (8, ["sa-band-0-9", "sa-band-7-18"]),
        (9, ["sa-band-0-9", "sa-band-7-18"]),
        (10, ["sa-band-7-18"]),
        (15, ["sa-band-7-18"]),
        (16, ["sa-band-7-18", "sa-band-16-24"]),
        (18, ["sa-band-7-18", "sa-band-16-24"]),
        (19, ["sa-band-16-24"]),
        (20, ["sa-band-16-24"]),
        (21, ["sa-band-16-24", "sa-band-21-36"]),
        (24, ["sa-band-16-24", "sa-band-21-36"]),
        (25, ["sa-band-21-36"]),
        (36, ["sa-band-21-36"]),
        (37, []),
        (48, []),
    ],
)
def test_band_membership_counts_completed_months_inclusive(months, band_ids):
    assert [band.id for band in default_library().bands_at(months)] == band_ids


def test_band_membership_from_a_birthdate_at_a_month_end():
    # Born 31 Jan 2025: 7 months old on 31 Aug 2025 (entering 7-18), still 6 the day before.
    library = default_library()
    birthdate = date(2025, 1, 31)
    assert [b.id for b in library.bands_at(age_on(birthdate, date(2025, 8, 30)).months)] == ["sa-band-0-9"]
    assert [b.id for b in library.bands_at(age_on(birthdate, date(2025, 8, 31)).months)] == [
        "sa-band-0-9",
        "sa-band-7-18",
    ]


def _band_ids(birthdate: date, day: date, due: date | None = None) -> list[str]:
    return [b.id for b in default_library().bands_at(age_on(birthdate, day, due).months)]


@pytest.mark.parametrize(
    ("day", "bands"),
    [
        (date(2026, 8, 31), ["sa-band-0-9", "sa-band-7-18"]),
        (date(2026, 11, 30), ["sa-band-7-18"]),  # 10 months on the last day of November
        (date(2027, 5, 31), ["sa-band-7-18", "sa-band-16-24"]),
        (date(2027, 8, 31), ["sa-band-16-24"]),
        (date(2027, 10, 31), ["sa-band-16-24", "sa-band-21-36"]),
        (date(2028, 2, 29), ["sa-band-21-36"]),  # 25 months on a leap day
        (date(2029, 2, 28), []),  # leaving the last stage at 37 months
    ],
)
def test_stages_change_on_the_monthly_anniversary(day: date, bands: list[str]) -> None:
    birthdate = date(2026, 1, 31)
    assert _band_ids(birthdate, day) == bands
    assert _band_ids(birthdate, day - timedelta(days=1)) != bands


def test_stages_follow_corrected_age_then_actual():
    birthdate, due = date(2024, 1, 10), date(2024, 3, 10)
    # On 1 Jan 2026: 21 months corrected (23 actual), so in 16-24 and 21-36.
    assert _band_ids(birthdate, date(2026, 1, 1), due) == ["sa-band-16-24", "sa-band-21-36"]
    assert _band_ids(birthdate, date(2026, 3, 9), due) == ["sa-band-16-24", "sa-band-21-36"]
    # On 10 March 2026 corrected age reaches 24, the actual age (26 months) takes over: 21-36 only.
    assert _band_ids(birthdate, date(2026, 3, 10), due) == ["sa-band-21-36"]


@pytest.mark.parametrize(
    ("birthdate", "today", "message"),
    [
        (date(2026, 12, 1), date(2026, 11, 29), "in the future"),
        (date(2019, 1, 1), date(2026, 11, 29), "more than 6 years ago"),
    ],
)
def test_validate_birthdate_rejects_implausible_dates(birthdate, today, message):
    with pytest.raises(DateProblem, match=message) as caught:
        validate_birthdate(birthdate, today)
    assert "1 December 2026" in str(caught.value) or "2019" in str(caught.value)


def test_validate_birthdate_accepts_today_and_older_children():
    validate_birthdate(date(2026, 11, 29), date(2026, 11, 29))
    validate_birthdate(date(2022, 1, 1), date(2026, 11, 29))  # past 36 months is a separate check
    assert is_past_36_months(date(2022, 1, 1), date(2026, 11, 29))
    assert not is_past_36_months(date(2023, 11, 29), date(2026, 11, 29))


@pytest.mark.parametrize(
    ("due", "birthdate", "message"),
    [
        (date(2026, 3, 1), date(2026, 3, 1), "after the birthdate"),
        (date(2026, 2, 1), date(2026, 3, 1), "after the birthdate"),
        (date(2026, 9, 1), date(2026, 3, 1), "more than 20 weeks"),
    ],
)
def test_validate_due_date(due, birthdate, message):
    with pytest.raises(DateProblem, match=message):
        validate_due_date(due, birthdate)


def test_validate_due_date_accepts_a_baby_born_early():
    validate_due_date(date(2026, 5, 1), date(2026, 3, 1))
    assert age_on(date(2026, 3, 1), date(2026, 6, 1), date(2026, 5, 1)).corrected


@pytest.mark.parametrize(
    ("birthdate", "today", "words"),
    [
        (date(2026, 11, 29), date(2026, 11, 29), "0 days"),
        (date(2026, 11, 28), date(2026, 11, 29), "1 day"),
        (date(2026, 11, 24), date(2026, 11, 29), "5 days"),
        (date(2026, 11, 22), date(2026, 11, 29), "1 week"),
        (date(2026, 10, 18), date(2026, 11, 29), "6 weeks"),
        (date(2026, 9, 10), date(2026, 11, 29), "11 weeks"),
        (date(2026, 9, 1), date(2026, 11, 29), "2 months"),
        (date(2026, 1, 29), date(2026, 11, 29), "10 months"),
        (date(2025, 11, 29), date(2026, 11, 29), "1 year"),
        (date(2025, 8, 29), date(2026, 11, 29), "1 year 3 months"),
        (date(2024, 10, 29), date(2026, 11, 29), "2 years 1 month"),
        (date(2024, 11, 29), date(2026, 11, 29), "2 years"),
    ],
)
def test_describe_age(birthdate, today, words):
    assert describe_age(age_on(birthdate, today)) == words


def test_describe_months():
    assert [describe_months(m) for m in (1, 11, 12, 18, 36)] == [
        "1 month",
        "11 months",
        "1 year",
        "1 year 6 months",
        "3 years",
    ]


@pytest.mark.parametrize(
    ("birthdate", "due", "words", "note"),
    [
        # Born 29 days early, two weeks ago: the age since birth, and the due date still ahead.
        (date(2026, 11, 15), date(2026, 12, 20), "2 weeks", "due date still 3 weeks ahead"),
        (date(2026, 11, 26), date(2026, 12, 3), "3 days", "due date still 4 days ahead"),
        (date(2026, 11, 29), date(2026, 11, 30), "0 days", "due date tomorrow"),
        # On the due date itself the age is still told since birth ("0 days" corrected would read oddly).
        (date(2026, 11, 1), date(2026, 11, 29), "4 weeks", "due date today"),
        (date(2026, 11, 26), date(2026, 11, 29), "3 days", "due date today"),
        # After the due date: the corrected age.
        (date(2026, 10, 31), date(2026, 11, 28), "1 day", "corrected age"),
        (date(2026, 9, 1), date(2026, 10, 1), "8 weeks", "corrected age"),
        (date(2026, 9, 1), None, "2 months", ""),
    ],
)
def test_before_the_due_date_the_age_is_since_birth_with_the_due_date_ahead(birthdate, due, words, note):
    age = age_on(birthdate, date(2026, 11, 29), due)
    assert (describe_age(age), age_note(age)) == (words, note)
    assert age.months == 0 or not age.until_due  # the bands still use the corrected age
