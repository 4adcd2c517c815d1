"""How the safety check does on its development sets, and how long it takes per message.

Prints, per set, recall per kind and false alarms on ordinary questions, and the mean time per message; ends
with one JSON line. The sets: the phrasings in tests/core/safety_devset.py and every formerly held-out set
(bench/eval/SAFETY.md says what each measured while it was unseen). The phrases have been tuned against all
of them, so these figures say nothing about unseen phrasings. ``--misses SET`` lists what a set's messages got wrong; never use it, or this script, on a set kept for validation.

A crisis answered as an emergency, or the reverse, counts as recognised (both put help first); a wellbeing
message answered as a crisis counts as recognised too, but is counted apart as over-alarmed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the development set lives with the tests

from bot.core.safety import SafetyKind, check  # noqa: E402
from tests.core import safety_devset as dev  # noqa: E402

EVAL = ROOT / "bench" / "eval"
Labelled = list[tuple[str, SafetyKind | None]]
KINDS: dict[str, SafetyKind | None] = {kind.value: kind for kind in SafetyKind} | {"none": None}
URGENT = {SafetyKind.CRISIS, SafetyKind.EMERGENCY}


def load_yaml(path: Path) -> Labelled:
    """A labelled set: a list of ``{kind: crisis|emergency|wellbeing|none, text: ...}``."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(entry["text"]), KINDS[str(entry["kind"])]) for entry in entries]


def devset() -> Labelled:
    return (
        [(t, SafetyKind.CRISIS) for t in dev.CRISIS + dev.CRISIS_VARIANTS]
        + [(t, SafetyKind.EMERGENCY) for t in dev.EMERGENCY + dev.EMERGENCY_VARIANTS]
        + [(t, SafetyKind.WELLBEING) for t in dev.WELLBEING + dev.WELLBEING_VARIANTS]
        + [(t, None) for t in dev.ORDINARY + dev.ORDINARY_DRAMATIC + dev.ORDINARY_VARIANTS]
    )


def recognised(expected: SafetyKind | None, got: SafetyKind | None) -> bool:
    if expected is None:
        return got is None
    if expected in URGENT:
        return got in URGENT
    return got is SafetyKind.WELLBEING or got is SafetyKind.CRISIS


def name_of(kind: SafetyKind | None) -> str:
    return kind.value if kind else "none"


def sets() -> dict[str, Labelled]:
    return {
        "dev": devset(),
        "round1": load_yaml(EVAL / "safety_round1.yaml"),
        "fresh": load_yaml(EVAL / "safety_fresh.yaml"),
        "round2": load_yaml(EVAL / "safety_round2.yaml"),
        "round3": load_yaml(EVAL / "safety_round3.yaml"),
        "learned_val": load_yaml(EVAL / "safety_learned_val.yaml"),
    }


def score(labelled: Labelled) -> dict[str, list[int] | int]:
    figures: dict[str, list[int] | int] = {}
    for name, kind in KINDS.items():
        mine = [(text, got) for text, expected in labelled if expected is kind for got in [check(text)]]
        right = sum(recognised(kind, got) for _text, got in mine)
        figures["ordinary" if kind is None else name] = [right, len(mine)]
        if kind is SafetyKind.WELLBEING:
            figures["wellbeing_as_crisis"] = sum(got is SafetyKind.CRISIS for _text, got in mine)
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--misses",
        choices=["dev", "round1", "fresh", "round2", "round3", "learned_val"],
        help="list the messages a set gets wrong",
    )
    args = parser.parse_args(argv)
    labelled_sets = sets()
    if args.misses:
        for text, expected in labelled_sets[args.misses]:
            got = check(text)
            if not recognised(expected, got):
                print(f"{name_of(expected):10} got {name_of(got):10} {text}")
        return
    check("warm up")
    figures: dict[str, object] = {}
    for name, labelled in labelled_sets.items():
        scored = score(labelled)
        figures[name] = scored
        print(
            name,
            " ".join(f"{k} {v[0]}/{v[1]}" if isinstance(v, list) else f"{k} {v}" for k, v in scored.items()),
        )
    texts = [text for labelled in labelled_sets.values() for text, _ in labelled]
    started = time.perf_counter()
    for text in texts:
        check(text)
    per_message_ms = (time.perf_counter() - started) / len(texts) * 1000
    print(f"{per_message_ms:.2f} ms per message ({len(texts)} messages)")
    figures["ms_per_message"] = round(per_message_ms, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
