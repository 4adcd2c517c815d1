"""Sentence similarity between a question and each content item: a second ranker beside the word-based one.

Parents describe what they see in words the guidance and its phrasings may not share ("she beams when I come
in" against "smiles and coos"). A small static word-embedding model (WordLlama, whose 16 MB of weights ship
inside its package, so nothing is downloaded at run time) places sentences of similar meaning close together.
Every item's own text and each of parents' phrasings of it are embedded once per process; a question is then
one embedding (tens of microseconds) and one matrix product. An item's similarity is the best of its text and
its phrasings. When the model cannot load, ``semantic_index`` returns None and answers rank by words alone.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from content import Item
from content.questions import Questions

log = logging.getLogger(__name__)

Vector = npt.NDArray[np.float32]


class SemanticIndex:
    """Unit embeddings of every item's text and phrasings, with the item each row belongs to."""

    def __init__(self, model: Any, items: tuple[Item, ...], questions: Questions) -> None:
        self._model = model
        texts: list[str] = []
        owners: list[int] = []
        for number, item in enumerate(items):
            texts.append(" ".join(t for t in (item.title, item.parent, item.text) if t))
            owners.append(number)
            for phrasing in questions.phrasings.get(item.id, ()):
                texts.append(phrasing)
                owners.append(number)
        order = np.argsort(np.array(owners), kind="stable")
        self._rows: Vector = self._embed([texts[i] for i in order])
        sorted_owners = np.array(owners)[order]
        # Where each item's rows start, for a per-item maximum in one call.
        self._starts = np.searchsorted(sorted_owners, np.arange(len(items)))
        self._size = len(items)

    def _embed(self, texts: list[str]) -> Vector:
        vectors = np.asarray(self._model.embed(texts, norm=True), dtype=np.float32)
        return vectors

    def similarities(self, text: str) -> Vector:
        """Cosine similarity of ``text`` to each item (the best of its own text and its phrasings)."""
        if not text.strip():
            return np.zeros(self._size, dtype=np.float32)
        vector = self._embed([text])[0]
        if not np.any(vector):
            return np.zeros(self._size, dtype=np.float32)
        scores = self._rows @ vector
        return np.maximum.reduceat(scores, self._starts)


@cache
def _model() -> Any | None:
    """The packaged WordLlama model, loaded offline once per process (None when it cannot be)."""
    try:
        import wordllama  # type: ignore[import-untyped]

        folder = Path(wordllama.__file__).resolve().parent
        model = wordllama.WordLlama.load(cache_dir=folder, disable_download=True)
    except Exception as exc:  # any failure means: rank by words alone
        log.warning("semantic ranker unavailable: %s", type(exc).__name__)
        return None
    # The weights ship as float16 and are widened to float32 on load (32 MB kept for the process). Kept
    # narrow, the rows a sentence picks are widened when they meet the float32 mask in pooling, exactly as
    # before, so every embedding is bit for bit the same (tests/core/test_semantic.py) at half the memory.
    model.embedding = np.ascontiguousarray(model.embedding.astype(np.float16))
    return model


def semantic_index(items: tuple[Item, ...], questions: Questions) -> SemanticIndex | None:
    """A similarity index over ``items``, or None when the model is not available."""
    model = _model()
    return None if model is None else SemanticIndex(model, items, questions)
