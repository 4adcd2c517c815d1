"""How well the answer engine answers a set of parents' questions: top-1/top-3, scope and age accuracy.

Run: ``.venv/bin/python bench/answer_quality.py --set bench/eval/dev.yaml``. Each entry of the set has ``q``
(the question), ``age_months`` (the age the answer should be about, or null), optionally ``child_months``
(the parent's child, whose age is used when the question names none), ``scope`` (in, out, smalltalk or
foreign), ``expect`` (item ids: any one among the first three shown counts) and ``category``. The report
prints the figures overall and per category, then the misses; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.core.ages import add_months
from bot.core.answers import Answer, ChildInfo, answer
from content import Library, default_library

TODAY = date(2026, 11, 29)
SCOPES = ("in", "out", "smalltalk", "foreign")


@dataclass(frozen=True)
class Case:
    q: str
    age_months: int | None
    child_months: int | None
    scope: str
    expect: tuple[str, ...]
    category: str


@dataclass
class Outcome:
    case: Case
    scope: str
    age: int | None
    shown: tuple[str, ...]

    @property
    def scope_ok(self) -> bool:
        return self.scope == self.case.scope

    @property
    def age_ok(self) -> bool:
        return self.age == self.case.age_months

    @property
    def graded(self) -> bool:
        """Only in-scope questions with expected items count for top-1 and top-3."""
        return self.case.scope == "in" and bool(self.case.expect)

    @property
    def top1(self) -> bool:
        return self.scope == "in" and bool(self.shown) and self.shown[0] in self.case.expect

    @property
    def top3(self) -> bool:
        return self.scope == "in" and any(item in self.case.expect for item in self.shown[:3])


@dataclass
class Tally:
    total: int = 0
    graded: int = 0
    top1: int = 0
    top3: int = 0
    scope: int = 0
    age: int = 0
    misses: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        self.scope += outcome.scope_ok
        self.age += outcome.age_ok
        if outcome.graded:
            self.graded += 1
            self.top1 += outcome.top1
            self.top3 += outcome.top3

    def figures(self) -> dict[str, float | int]:
        return {
            "questions": self.total,
            "graded": self.graded,
            "top1": _share(self.top1, self.graded),
            "top3": _share(self.top3, self.graded),
            "scope": _share(self.scope, self.total),
            "age": _share(self.age, self.total),
        }


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def load_set(path: Path, library: Library) -> list[Case]:
    """The entries of a set file (a list, or a mapping with ``questions``), checked against the content."""
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = raw.get("questions", raw) if isinstance(raw, dict) else raw
    if not isinstance(entries, list):
        raise SystemExit(f"{path}: expected a list of questions")
    cases = []
    for number, entry in enumerate(entries):
        expect = entry.get("expect") or []
        if isinstance(expect, str):
            expect = [expect]
        unknown = [item for item in expect if library.item(item) is None]
        if unknown:
            raise SystemExit(f"{path}: entry {number} ({entry.get('q')!r}) expects unknown items {unknown}")
        scope = str(entry.get("scope", "in"))
        if scope not in SCOPES:
            raise SystemExit(f"{path}: entry {number}: scope {scope!r} is not one of {SCOPES}")
        cases.append(
            Case(
                q=str(entry["q"]),
                age_months=entry.get("age_months"),
                child_months=entry.get("child_months"),
                scope=scope,
                expect=tuple(expect),
                category=str(entry.get("category", "uncategorised")),
            )
        )
    return cases


def child_of(months: int | None) -> ChildInfo | None:
    """A child exactly ``months`` old on TODAY."""
    return None if months is None else ChildInfo("Your child", add_months(TODAY, -months))


def predicted_scope(result: Answer) -> str:
    return str(result.scope)


def run_case(case: Case, library: Library) -> Outcome:
    result = answer(case.q, library=library, today=TODAY, child=child_of(case.child_months))
    return Outcome(case, predicted_scope(result), result.age_months, tuple(i.id for i in result.items))


def evaluate(cases: Iterable[Case], library: Library) -> tuple[Tally, dict[str, Tally]]:
    overall = Tally()
    per_category: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        outcome = run_case(case, library)
        overall.add(outcome)
        per_category[case.category].add(outcome)
        if not (outcome.scope_ok and outcome.age_ok and (outcome.top3 or not outcome.graded)):
            overall.misses.append(outcome)
    return overall, dict(per_category)


def _row(name: str, tally: Tally) -> str:
    f = tally.figures()
    return (
        f"{name:<28} {f['questions']:>4} {f['graded']:>6} {f['top1']:>6.1f} {f['top3']:>6.1f} "
        f"{f['scope']:>6.1f} {f['age']:>6.1f}"
    )


def report(overall: Tally, per_category: dict[str, Tally], *, show_misses: bool) -> list[str]:
    lines = [f"{'category':<28} {'n':>4} {'graded':>6} {'top1%':>6} {'top3%':>6} {'scope%':>6} {'age%':>6}"]
    lines += [_row(name, tally) for name, tally in sorted(per_category.items())]
    lines.append(_row("ALL", overall))
    if show_misses and overall.misses:
        lines.append("")
        lines.append(f"misses ({len(overall.misses)}):")
        for miss in overall.misses:
            problems = []
            if not miss.scope_ok:
                problems.append(f"scope {miss.scope} (want {miss.case.scope})")
            if not miss.age_ok:
                problems.append(f"age {miss.age} (want {miss.case.age_months})")
            if miss.graded and not miss.top3:
                problems.append(f"top3 {list(miss.shown[:3])} (want one of {list(miss.case.expect)})")
            lines.append(f"- [{miss.case.category}] {miss.case.q!r}: " + "; ".join(problems))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=Path("bench/eval/dev.yaml"), help="the set file")
    parser.add_argument("--no-misses", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    library = default_library()
    overall, per_category = evaluate(load_set(args.set, library), library)
    print("\n".join(report(overall, per_category, show_misses=not args.no_misses)))
    summary: dict[str, object] = {"set": str(args.set), **overall.figures()}
    summary["per_category"] = {name: tally.figures() for name, tally in sorted(per_category.items())}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
