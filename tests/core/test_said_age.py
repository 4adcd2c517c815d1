"""An age typed where a birthdate was asked for, read as the birthdate it makes."""

from datetime import date

import pytest

from bot.core.said_age import said_age, said_due_date

TODAY = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("text", "label", "born"),
    [
        ("4 months", "4 months", date(2025, 11, 30)),
        ("he's 4 months old", "4 months", date(2025, 11, 30)),
        ("She is about one month", "1 month", date(2026, 2, 28)),  # the last day of a shorter month
        ("6 weeks old", "6 weeks", date(2026, 2, 17)),
        ("born 3 days ago", "3 days", date(2026, 3, 28)),
        ("2 years old", "2 years", date(2024, 3, 31)),
        ("a year", "1 year", date(2025, 3, 31)),
        ("10 mths", "10 months", date(2025, 5, 31)),
        ("born yesterday", "born yesterday", date(2026, 3, 30)),
        ("today", "born today", TODAY),
    ],
)
def test_an_age_said_alone_gives_a_birthdate(text: str, label: str, born: date) -> None:
    said = said_age(text, TODAY)
    assert said is not None
    assert (said.label, said.birthdate) == (label, born)


@pytest.mark.parametrize(
    "text",
    ["my 4 month old cries when I leave", "is 4 months normal?", "15 March 2026", "Mia", "4", "months", ""],
)
def test_anything_more_than_an_age_is_not_one(text: str) -> None:
    assert said_age(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("5 weeks early", date(2026, 3, 8)),
        ("she was born about three weeks early", date(2026, 2, 22)),
        ("10 days early", date(2026, 2, 11)),
        ("born at 34 weeks", date(2026, 3, 15)),
        ("34+2 weeks", date(2026, 3, 13)),
        ("at 30w", date(2026, 4, 12)),
    ],
)
def test_how_early_gives_a_due_date(text: str, due: date) -> None:
    assert said_due_date(text, date(2026, 2, 1)) == due


@pytest.mark.parametrize("text", ["15 March 2026", "early", "born at 41 weeks", "5 weeks", "was she early?"])
def test_anything_else_gives_no_due_date(text: str) -> None:
    assert said_due_date(text, date(2026, 2, 1)) is None
