"""How the safety check does on its development sets, and how long it takes per message.

Prints, per set, recall per kind and false alarms on ordinary questions, for the phrases alone and with the
sentence layer (bot/core/safety_sentence.py), the time per message (p50, p99) and the memory; ends
with one JSON line. The sets: the phrasings in tests/core/safety_devset.py, every formerly held-out set
(bench/eval/SAFETY.md says what each measured while it was unseen) and the session-8, -9 and -10 tuners' own batches.
The phrases have been tuned against all of them, so these figures say nothing about unseen phrasings. ``--misses SET`` lists what a set's messages got wrong; never use it, or this script, on a set kept for validation.

A crisis answered as an emergency, or the reverse, counts as recognised (both put help first); a wellbeing
message answered as a crisis counts as recognised too, but is counted apart as over-alarmed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the development set lives with the tests

from bot.core import safety_sentence  # noqa: E402
from bot.core.safety import SafetyKind, assess, check  # noqa: E402
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
        + [
            (t, SafetyKind.WELLBEING)
            for t in dev.WELLBEING + dev.WELLBEING_VARIANTS + dev.GRIEF + dev.BEREAVEMENT
        ]
        + [(t, None) for t in dev.ORDINARY + dev.ORDINARY_DRAMATIC + dev.ORDINARY_VARIANTS + dev.NOT_A_LOSS]
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
        "round4": load_yaml(EVAL / "safety_round4.yaml"),
        "round4_dev_val": load_yaml(EVAL / "safety_round4_dev_val.yaml"),
        "round5": load_yaml(EVAL / "safety_round5.yaml"),
        "round6": load_yaml(EVAL / "safety_round6.yaml"),
        "round7": load_yaml(EVAL / "safety_round7.yaml"),
        "round8": load_yaml(EVAL / "safety_round8.yaml"),
        "lookalikes": load_yaml(EVAL / "safety_lookalikes.yaml"),
        "lookalikes_s12": load_yaml(EVAL / "safety_lookalikes_s12.yaml"),
        "round9": load_yaml(EVAL / "safety_round9.yaml"),
        "tuner_s8": load_yaml(EVAL / "safety_tuner_s8.yaml"),
        "round10": load_yaml(EVAL / "safety_round10.yaml"),
        "round11": load_yaml(EVAL / "safety_round11.yaml"),
        "round12": load_yaml(EVAL / "safety_round12.yaml"),
        "round13": load_yaml(EVAL / "safety_round13.yaml"),
        "round15": load_yaml(EVAL / "safety_round15.yaml"),
        "round16": load_yaml(EVAL / "safety_round16.yaml"),
        "round17": load_yaml(EVAL / "safety_round17.yaml"),
        "round18": load_yaml(EVAL / "safety_round18.yaml"),
        "tuner_s9": load_yaml(EVAL / "safety_tuner_s9.yaml"),
        "tuner_s10": load_yaml(EVAL / "safety_tuner_s10.yaml"),
    }


def score(labelled: Labelled, judge: Callable[[str], SafetyKind | None]) -> dict[str, list[int] | int]:
    figures: dict[str, list[int] | int] = {}
    for name, kind in KINDS.items():
        mine = [(text, got) for text, expected in labelled if expected is kind for got in [judge(text)]]
        right = sum(recognised(kind, got) for _text, got in mine)
        figures["ordinary" if kind is None else name] = [right, len(mine)]
        if kind is SafetyKind.WELLBEING:
            figures["wellbeing_as_crisis"] = sum(got is SafetyKind.CRISIS for _text, got in mine)
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--misses",
        choices=[
            "dev",
            "round1",
            "fresh",
            "round2",
            "round3",
            "learned_val",
            "round4",
            "round4_dev_val",
            "round5",
            "round6",
            "round7",
            "round8",
            "lookalikes",
            "lookalikes_s12",
            "round9",
            "tuner_s8",
            "round10",
            "round11",
            "round12",
            "round13",
            "round15",
            "round16",
            "round17",
            "round18",
            "tuner_s9",
            "tuner_s10",
        ],
        help="list the messages a set gets wrong",
    )
    parser.add_argument("--phrases-only", action="store_true", help="measure the phrases without the layer")
    args = parser.parse_args(argv)
    labelled_sets = sets()
    if args.misses:
        for text, expected in labelled_sets[args.misses]:
            got = check(text)
            if not recognised(expected, got):
                print(f"{name_of(expected):10} got {name_of(got):10} {text}")
        return
    report: dict[str, object] = {}
    judges = {"phrases": check} if args.phrases_only else {"phrases": check, "phrases+layer": assess}
    memory_before = rss_mb()
    loaded = args.phrases_only or safety_sentence.load()
    report["rss_mb_before_layer"] = memory_before
    report["rss_mb_after_layer"] = rss_mb()
    report["layer_loaded"] = loaded
    for label, judge in judges.items():
        judge("warm up")
        figures: dict[str, object] = {}
        for name, labelled in labelled_sets.items():
            scored = score(labelled, judge)
            figures[name] = scored
            print(
                label,
                name,
                " ".join(
                    f"{k} {v[0]}/{v[1]}" if isinstance(v, list) else f"{k} {v}" for k, v in scored.items()
                ),
            )
        # The time per message (the sets again, one at a time: what a parent's message waits for).
        timings = []
        for labelled in labelled_sets.values():
            for text, _ in labelled:
                started = time.perf_counter()
                judge(text)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99)]
        print(
            f"{label}: p50 {p50:.2f} ms, p99 {p99:.2f} ms, mean {statistics.fmean(timings):.2f} ms per message"
        )
        figures["ms_p50"], figures["ms_p99"] = round(p50, 2), round(p99, 2)
        report[label] = figures
    print(f"memory: {memory_before} MB before the sentence layer, {rss_mb()} MB after using it")
    report["rss_mb_end"] = rss_mb()
    print(json.dumps(report))


def rss_mb() -> int:
    """The process's resident memory (Linux), in MB; 0 where /proc is not there."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


if __name__ == "__main__":
    main()
