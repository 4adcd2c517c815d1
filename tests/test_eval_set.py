"""Schema check for the answer-quality evaluation set (bench/eval): a broken entry would silently skew the figures."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from content import default_library

EVAL_DIR = Path(__file__).resolve().parents[1] / "bench" / "eval"
# The held-out part joins the tree only once the answer engine is tuned, so that no tuning can read it.
MIN_ENTRIES = {
    name: minimum
    for name, minimum in {
        "dev.yaml": 320,
        "round1.yaml": 120,
        "heldout.yaml": 100,
        "heldout_round3.yaml": 100,
        "heldout_round4.yaml": 140,
        "heldout_round5.yaml": 140,
        "heldout_round6.yaml": 140,
        "heldout_round7.yaml": 140,
        "heldout_round8.yaml": 145,
        "tuner_s8.yaml": 60,
        "heldout_round9.yaml": 140,
        "tuner_s9.yaml": 80,
        "heldout_round10.yaml": 145,
        "heldout_round11.yaml": 140,
        "tuner_s10.yaml": 80,
        "heldout_round12.yaml": 140,
        "heldout_round14.yaml": 140,
        "tuner_s11.yaml": 60,
        "heldout_round16.yaml": 145,
        "heldout_round17.yaml": 145,
        "heldout_round18.yaml": 145,
    }.items()
    if (EVAL_DIR / name).exists()
}

REQUIRED_KEYS = {"q", "age_months", "scope", "expect", "category"}
OPTIONAL_KEYS = {"child_months", "note"}
SCOPES = {"in", "out", "smalltalk", "foreign"}
TOPIC_CATEGORIES = {
    "separation",
    "strangers",
    "comfort-calm",
    "bond-trust",
    "play-exploration",
    "checking-in",
    "communication",
    "routines-consistency",
    "independence-autonomy",
    "caregivers-childcare",
    "emotions-tantrums",
    "typical-overview",
    "why-background",
    "parent-guilt",
}
CATEGORIES = TOPIC_CATEGORIES | {"out-of-scope", "borderline", "smalltalk", "foreign"}
MAX_MONTHS = 48
# Categories a part was written without, on purpose: round 8's writer wrote no question in another language (its
# 150 went to parents' English), the session 8 tuner's 60 have no borderline one, and the session 9 tuner's 80
# (aimed at the families earlier rounds showed weak) have no borderline and no strangers one; the session 10
# tuner's 80 (aimed at the families still weak) have no routines one; the session 11 tuner's 60 (aimed at scope
# lookalikes, borderline questions, small talk and awkward ages) have no independence, routines, typical-overview,
# why-background or foreign one. Named here, so no other part may silently lose a category.
WRITTEN_WITHOUT = {
    "heldout_round8.yaml": {"foreign"},
    "tuner_s8.yaml": {"borderline"},
    "tuner_s9.yaml": {"borderline", "strangers"},
    "tuner_s10.yaml": {"routines-consistency"},
    "tuner_s11.yaml": {
        "foreign",
        "independence-autonomy",
        "routines-consistency",
        "typical-overview",
        "why-background",
    },
}


@cache
def _load(name: str) -> list[dict[str, Any]]:
    """A part's entries, read once per run (four tests read each part; none changes what it reads)."""
    data = yaml.safe_load((EVAL_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{name}: the top level must be a list of entries"
    assert all(isinstance(entry, dict) for entry in data), f"{name}: every entry must be a mapping"
    return data


def _is_month(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_MONTHS


def _entry_problems(entry: dict[str, Any]) -> list[str]:
    """Everything wrong with one entry, as readable sentences (empty when it is valid)."""
    problems: list[str] = []
    keys = set(entry)
    if missing := REQUIRED_KEYS - keys:
        problems.append(f"missing {sorted(missing)}")
    if unknown := keys - REQUIRED_KEYS - OPTIONAL_KEYS:
        problems.append(f"unknown keys {sorted(unknown)}")
    if not isinstance(entry.get("q"), str) or not entry["q"].strip():
        problems.append("q must be a non-empty string")
    age = entry.get("age_months")
    if age is not None and not _is_month(age):
        problems.append(f"age_months {age!r} is not null or 0..{MAX_MONTHS}")
    if "child_months" in entry:
        if not _is_month(entry["child_months"]):
            problems.append(f"child_months {entry['child_months']!r} is not 0..{MAX_MONTHS}")
        elif age != entry["child_months"]:
            problems.append(
                "a question naming no age is about the registered child: age_months == child_months"
            )
    scope = entry.get("scope")
    if scope not in SCOPES:
        problems.append(f"scope {scope!r} not in {sorted(SCOPES)}")
    category = entry.get("category")
    if category not in CATEGORIES:
        problems.append(f"category {category!r} is unknown")
    if (scope == "smalltalk") != (category == "smalltalk"):
        problems.append("smalltalk scope and category go together")
    if (scope == "foreign") != (category == "foreign"):
        problems.append("foreign scope and category go together")
    if category == "out-of-scope" and scope != "out":
        problems.append("category out-of-scope needs scope out")
    if category in TOPIC_CATEGORIES and scope != "in":
        problems.append(f"category {category} needs scope in (use borderline for mixed cases)")
    if "note" in entry and not (isinstance(entry["note"], str) and entry["note"].strip()):
        problems.append("note must be a non-empty string")
    problems.extend(_expect_problems(entry.get("expect"), scope))
    return problems


def _expect_problems(expect: object, scope: object) -> list[str]:
    if not isinstance(expect, list) or not all(isinstance(item_id, str) for item_id in expect):
        return ["expect must be a list of item ids"]
    problems: list[str] = []
    if scope == "in" and not expect:
        problems.append("an in-scope question needs at least one expected item")
    if scope != "in" and expect:
        problems.append("only in-scope questions expect items")
    if len(set(expect)) != len(expect):
        problems.append("expect repeats an id")
    library = default_library()
    problems.extend(f"unknown item id {item_id!r}" for item_id in expect if library.item(item_id) is None)
    return problems


def _normalised(question: str) -> str:
    return re.sub(r"\s+", " ", question).strip().casefold()


@pytest.mark.parametrize("name", sorted(MIN_ENTRIES))
def test_every_entry_is_valid(name: str) -> None:
    entries = _load(name)
    problems = [
        f"{name} #{index} ({entry.get('q')!r}): {problem}"
        for index, entry in enumerate(entries)
        for problem in _entry_problems(entry)
    ]
    assert problems == []


@pytest.mark.parametrize(("name", "minimum"), sorted(MIN_ENTRIES.items()))
def test_each_part_is_large_enough(name: str, minimum: int) -> None:
    assert len(_load(name)) >= minimum


def test_no_question_appears_twice_across_both_parts() -> None:
    seen = Counter(_normalised(entry["q"]) for name in MIN_ENTRIES for entry in _load(name))
    assert [question for question, count in seen.items() if count > 1] == []


@pytest.mark.parametrize("name", sorted(MIN_ENTRIES))
def test_each_part_covers_every_category(name: str) -> None:
    categories = {entry["category"] for entry in _load(name)}
    assert CATEGORIES - categories == WRITTEN_WITHOUT.get(name, set())


def test_the_checks_catch_a_bad_entry() -> None:
    bad = {"q": "hi", "age_months": 50, "scope": "maybe", "expect": ["sa-nope"], "category": "x", "extra": 1}
    problems = " | ".join(_entry_problems(bad))
    for fragment in ("unknown keys", "age_months 50", "scope 'maybe'", "category 'x'", "unknown item id"):
        assert fragment in problems
