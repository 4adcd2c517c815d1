"""Choose the shipped sentence layer's crisis threshold on some sets, and report it on sets nobody chose it on.

The coefficients in ``content/safety_sentence.npz`` were trained on the sets of rounds 1-5 (and the answer
evaluation's ``dev.yaml`` and ``round1.yaml``); every later set is one they never saw. Those later sets are split
in two by file, once, before anything is scored:

- CHOICE: safety rounds 6-11, the look-alikes, the session-8 and -9 tuners' batches, and the answer questions of
  held-out rounds 4-9 and the session-8 and -9 tuners (as ordinary messages);
- ASIDE: safety rounds 12, 13 and 16, the session-10 tuner's batch, and the answer questions of held-out rounds
  3 (``heldout_round3.yaml``), 10, 11, 12 and 14, ``heldout.yaml`` and the session-10 tuner's.

Only the crisis threshold moves (emergency and wellbeing stay as shipped). It is set to the highest crisis score
an ordinary CHOICE message the layer is asked about reached (as at run time: four words or more, and the phrases
not settled), plus a margin. The margin is chosen nested, inside CHOICE: each CHOICE file is left out in turn, the
threshold set from the others, and the smallest margin at which no left-out file gets a crisis false alarm the
shipped threshold did not give is taken. The threshold so chosen is then reported on ASIDE, which neither the
layer nor the choice saw: crisis recall (layer alone, and phrases + layer as in the bot) and false alarms.

    .venv/bin/python bench/safety_crisis_threshold.py [--cache FILE] [--write]

``--write`` rewrites ``content/safety_sentence.npz`` with the chosen crisis threshold; nothing else in it changes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.safety_corpus import EVAL, Example, yaml_examples  # noqa: E402
from bench.safety_sentence import combined, embed, recognised  # noqa: E402
from bot.core.safety import read  # noqa: E402
from content.safety import SafetyKind  # noqa: E402
from content.safety_sentence import MIN_WORDS, SENTENCE_LAYER_PATH, default_sentence_layer  # noqa: E402

CHOICE_SAFETY = (
    "safety_round6.yaml",
    "safety_round7.yaml",
    "safety_round8.yaml",
    "safety_round9.yaml",
    "safety_round10.yaml",
    "safety_round11.yaml",
    "safety_lookalikes.yaml",
    "safety_tuner_s8.yaml",
    "safety_tuner_s9.yaml",
)
CHOICE_QUESTIONS = (
    "heldout_round4.yaml",
    "heldout_round5.yaml",
    "heldout_round6.yaml",
    "heldout_round7.yaml",
    "heldout_round8.yaml",
    "heldout_round9.yaml",
    "tuner_s8.yaml",
    "tuner_s9.yaml",
)
ASIDE_SAFETY = (
    "safety_round12.yaml",
    "safety_round13.yaml",
    "safety_round15.yaml",
    "safety_round16.yaml",
    "safety_round17.yaml",
    "safety_tuner_s10.yaml",
)
ASIDE_QUESTIONS = (
    "heldout.yaml",
    "heldout_round3.yaml",
    "heldout_round10.yaml",
    "heldout_round11.yaml",
    "heldout_round12.yaml",
    "heldout_round14.yaml",
    "tuner_s10.yaml",
)
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 1.0)
CRISIS = 0  # the crisis row of the layer


def questions(name: str) -> list[Example]:
    """Every question of an answer set, as an ordinary message (the layer is judged on all of them)."""
    entries = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
    return [Example(str(entry["q"]), None, name) for entry in entries]


def layer_kinds(scores: np.ndarray, thresholds: np.ndarray, texts: Sequence[str]) -> list[SafetyKind | None]:
    layer = default_sentence_layer()
    kinds: list[SafetyKind | None] = []
    for row, text in zip(scores, texts, strict=True):
        over = [kind for kind, s, t in zip(layer.kinds, row, thresholds, strict=True) if s > t]
        kinds.append(over[0] if over and len(text.split()) >= MIN_WORDS else None)
    return kinds


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", type=Path, help="a file to keep the message vectors in between runs")
    parser.add_argument(
        "--write", action="store_true", help=f"write the chosen threshold to {SENTENCE_LAYER_PATH.name}"
    )
    args = parser.parse_args(argv)

    choice = [e for n in CHOICE_SAFETY for e in yaml_examples(EVAL / n)] + [
        e for n in CHOICE_QUESTIONS for e in questions(n)
    ]
    aside = [e for n in ASIDE_SAFETY for e in yaml_examples(EVAL / n)] + [
        e for n in ASIDE_QUESTIONS for e in questions(n)
    ]
    examples = choice + aside
    layer = default_sentence_layer()
    shipped = layer.thresholds.astype(np.float64)
    x = embed([e.text for e in examples], args.cache)
    scores = x @ layer.weights.T.astype(np.float64) + layer.bias.astype(np.float64)
    readings = [read(e.text) for e in examples]
    asked = np.array(
        [
            not (r.kind is SafetyKind.CRISIS or r.excused) and len(e.text.split()) >= MIN_WORDS
            for e, r in zip(examples, readings, strict=True)
        ]
    )
    ordinary = np.array([e.kind is None for e in examples])
    in_choice = np.arange(len(examples)) < len(choice)
    files = np.array([e.source for e in examples])

    def crisis_alarms(threshold: float, mask: np.ndarray) -> set[int]:
        """Ordinary messages in ``mask`` the layer (as at run time) calls a crisis at this threshold."""
        return {int(i) for i in np.flatnonzero(mask & ordinary & asked & (scores[:, CRISIS] > threshold))}

    # Nested choice of the margin, inside CHOICE only.
    choice_files = sorted(set(files[in_choice]))
    inner: dict[float, int] = {}
    for margin in MARGINS:
        new = 0
        for name in choice_files:
            others = in_choice & (files != name) & ordinary & asked
            threshold = float(scores[others, CRISIS].max()) + margin
            left = in_choice & (files == name)
            new += len(
                crisis_alarms(min(threshold, shipped[CRISIS]), left) - crisis_alarms(shipped[CRISIS], left)
            )
        inner[margin] = new
    chosen_margin = next((m for m in MARGINS if inner[m] == 0), None)
    top = float(scores[in_choice & ordinary & asked, CRISIS].max())
    print("inner new crisis false alarms per margin:", inner)
    print(
        f"highest crisis score of an asked ordinary CHOICE message: {top:.3f}; shipped threshold {shipped[CRISIS]:.3f}"
    )
    candidates = {"shipped": float(shipped[CRISIS])}
    if chosen_margin is not None:
        candidates["chosen"] = min(top + chosen_margin, float(shipped[CRISIS]))
    for margin in MARGINS:
        candidates[f"max+{margin:g}"] = top + margin

    report: dict[str, object] = {"inner": inner, "chosen_margin": chosen_margin, "top": top}
    for label, threshold in candidates.items():
        thresholds = shipped.copy()
        thresholds[CRISIS] = threshold
        lay = layer_kinds(scores, thresholds, [e.text for e in examples])
        both = combined(readings, lay)
        phrases = [r.kind for r in readings]
        print(f"\n{label}: crisis threshold {threshold:.3f}")
        figures: dict[str, object] = {}
        for part, mask in (("CHOICE", in_choice), ("ASIDE", ~in_choice)):
            idx = [int(i) for i in np.flatnonzero(mask)]
            row: dict[str, object] = {}
            for name, got in (("phrases", phrases), ("layer", lay), ("both", both)):
                cells = {}
                for kind in (*SafetyKind, None):
                    mine = [recognised(kind, got[i]) for i in idx if examples[i].kind is kind]
                    cells[kind.value if kind else "ordinary"] = [sum(mine), len(mine)]
                crisis_fa = sum(1 for i in idx if examples[i].kind is None and got[i] is SafetyKind.CRISIS)
                cells["ordinary_as_crisis"] = [crisis_fa]
                row[name] = cells
                print(
                    f"  {part:6} {name:8} "
                    + " ".join(f"{k} {'/'.join(map(str, v))}" for k, v in cells.items())
                )
            figures[part] = row
        # Per ASIDE file, phrases + layer.
        for name in [*ASIDE_SAFETY, *ASIDE_QUESTIONS]:
            idx = [int(i) for i in np.flatnonzero(files == name)]
            per_file: dict[str, str] = {}
            for kind in (*SafetyKind, None):
                mine = [recognised(kind, both[i]) for i in idx if examples[i].kind is kind]
                if mine:
                    per_file[kind.value if kind else "ordinary"] = f"{sum(mine)}/{len(mine)}"
            print(f"    {name:24} both {per_file}")
        new_fa = [
            examples[i].text
            for i in range(len(examples))
            if examples[i].kind is None
            and both[i] is not None
            and readings[i].kind is None
            and label != "shipped"
        ]
        figures["layer_alarms_on_ordinary"] = new_fa
        report[label] = figures
    print(json.dumps(report)[:2000])
    if args.write and "chosen" in candidates:
        write_threshold(candidates["chosen"])


def write_threshold(threshold: float) -> None:
    """Rewrite the shipped coefficients with a new crisis threshold; every other array stays as it is."""
    with np.load(SENTENCE_LAYER_PATH, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    thresholds = arrays["thresholds"].copy()
    thresholds[CRISIS] = np.float32(threshold)
    arrays["thresholds"] = thresholds
    np.savez_compressed(SENTENCE_LAYER_PATH, **arrays)
    print(f"wrote {SENTENCE_LAYER_PATH.relative_to(ROOT)}: crisis threshold {threshold:.3f}")


if __name__ == "__main__":
    main()
