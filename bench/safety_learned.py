"""Cross-validation of the learned safety layer: does it add recall without false alarms on unseen files?

Every labelled set is a fold of its own (the development set's first lists and its later batches apart, each
formerly held-out set, each answer-evaluation set): the layer is trained on the other folds and scored on
the one left out, so each message is judged by a model that never saw its file. Prints, per setting, recall
per kind and false alarms on ordinary messages for the phrases alone, the layer alone and both together,
and picks per-kind thresholds: the lowest at which the layer raises no more than ``--allowed`` false alarms
out of fold. Ends with one JSON line. ``--validate FILE`` then scores a validation batch once with the
chosen model trained on everything (run it at the end, never while choosing settings).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.safety_corpus import Example, training_examples, yaml_examples  # noqa: E402
from bench.safety_layer import Settings, fit  # noqa: E402
from bot.core.safety import SafetyKind, mend  # noqa: E402
from bot.core.safety import check as check_phrases  # noqa: E402
from content.safety import default_safety, normalise  # noqa: E402

URGENT = {SafetyKind.CRISIS, SafetyKind.EMERGENCY}
GRID = [round(x, 2) for x in np.arange(0.3, 0.96, 0.05)]


def idiom_in(text: str) -> bool:
    """Whether one of the phrases' idiom or play exceptions is in ``text``: then the layer stays silent."""
    phrases = default_safety()
    plain = normalise(text)
    return any(p.search(v) for v in (plain, mend(plain, phrases)) for p in phrases.not_alarms)


def recognised(expected: SafetyKind | None, got: SafetyKind | None) -> bool:
    if expected is None:
        return got is None
    if expected in URGENT:
        return got in URGENT
    return got in {SafetyKind.WELLBEING, SafetyKind.CRISIS}


def out_of_fold(examples: Sequence[Example], settings: Settings) -> dict[SafetyKind, np.ndarray]:
    sources = sorted({example.source for example in examples})
    probabilities = {kind: np.zeros(len(examples)) for kind in SafetyKind}
    for source in sources:
        train = [example for example in examples if example.source != source]
        held = [i for i, example in enumerate(examples) if example.source == source]
        model = fit(train, settings)
        scored = model.probabilities([examples[i].text for i in held])
        for kind in SafetyKind:
            probabilities[kind][held] = scored[kind]
    return probabilities


def combine(
    phrases: list[SafetyKind | None],
    vetoed: list[bool],
    probabilities: dict[SafetyKind, np.ndarray],
    thresholds: dict[SafetyKind, float],
    use_phrases: bool = True,
) -> list[SafetyKind | None]:
    verdicts: list[SafetyKind | None] = []
    for i, said in enumerate(phrases):
        if use_phrases and said is not None:
            verdicts.append(said)
            continue
        raised = None
        if not vetoed[i]:
            raised = next((k for k in SafetyKind if probabilities[k][i] >= thresholds[k]), None)
        verdicts.append(raised)
    return verdicts


def figures(examples: Sequence[Example], verdicts: Sequence[SafetyKind | None]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for kind in [*SafetyKind, None]:
        mine = [(e, v) for e, v in zip(examples, verdicts, strict=True) if e.kind is kind]
        if kind is None:
            out["false_alarms"] = [sum(v is not None for _e, v in mine), len(mine)]
        else:
            out[kind.value] = [sum(recognised(kind, v) for _e, v in mine), len(mine)]
    return out


def pick_thresholds(
    examples: Sequence[Example],
    phrases: list[SafetyKind | None],
    vetoed: list[bool],
    probabilities: dict[SafetyKind, np.ndarray],
    allowed: int,
) -> dict[SafetyKind, float]:
    """Per kind, the lowest threshold at which the layer raises that kind on at most ``allowed`` ordinary
    messages the phrases passed (out of fold)."""
    ordinary = [i for i, e in enumerate(examples) if e.kind is None and phrases[i] is None and not vetoed[i]]
    chosen: dict[SafetyKind, float] = {}
    for kind in SafetyKind:
        chosen[kind] = next(
            t for t in [*GRID, 1.01] if sum(probabilities[kind][i] >= t for i in ordinary) <= allowed
        )
    return chosen


def show(name: str, scored: dict[str, list[int]]) -> str:
    return f"{name:28} " + " ".join(f"{k} {v[0]}/{v[1]}" for k, v in scored.items())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--allowed", type=int, default=0, help="out-of-fold false alarms allowed per kind")
    parser.add_argument("--validate", type=Path, help="score this batch once, after choosing settings")
    args = parser.parse_args(argv)
    examples = training_examples()
    phrases = [check_phrases(e.text) for e in examples]
    vetoed = [idiom_in(e.text) for e in examples]
    print(show("phrases alone", figures(examples, phrases)))
    results: dict[str, object] = {"phrases": figures(examples, phrases)}
    best: tuple[int, str, Settings] | None = None
    for c in (1.0, 4.0, 16.0):
        for chars in ((2, 5), (3, 5)):
            settings = Settings(char_ngrams=chars, regularisation=c)
            probabilities = out_of_fold(examples, settings)
            thresholds = pick_thresholds(examples, phrases, vetoed, probabilities, args.allowed)
            settings = replace(settings, thresholds=thresholds)
            alone = figures(examples, combine(phrases, vetoed, probabilities, thresholds, use_phrases=False))
            both = figures(examples, combine(phrases, vetoed, probabilities, thresholds))
            name = f"C={c} chars={chars}"
            print(f"{name}  thresholds " + " ".join(f"{k.value} {v}" for k, v in thresholds.items()))
            print(show("  layer alone (out of fold)", alone))
            print(show("  phrases + layer", both))
            caught = sum(alone[k.value][0] for k in SafetyKind)
            results[name] = {
                "thresholds": {k.value: v for k, v in thresholds.items()},
                "alone": alone,
                "both": both,
            }
            if best is None or caught > best[0]:
                best = (caught, name, settings)
    assert best is not None
    print(f"chosen: {best[1]} {dict((k.value, v) for k, v in best[2].thresholds.items())}")
    results["chosen"] = best[1]
    if args.validate:
        results["validation"] = validate(args.validate, best[2], examples)
    print(json.dumps(results))


def validate(path: Path, settings: Settings, examples: Sequence[Example]) -> dict[str, object]:
    batch = yaml_examples(path)
    started = time.perf_counter()
    model = fit(examples, settings)
    print(f"trained on everything in {time.perf_counter() - started:.2f} s")
    phrases = [check_phrases(e.text) for e in batch]
    vetoed = [idiom_in(e.text) for e in batch]
    probabilities = model.probabilities([e.text for e in batch])
    before = figures(batch, phrases)
    after = figures(batch, combine(phrases, vetoed, probabilities, dict(settings.thresholds)))
    print(show("validation, phrases alone", before))
    print(show("validation, phrases + layer", after))
    return {"before": before, "after": after}


if __name__ == "__main__":
    main()
