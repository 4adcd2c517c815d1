"""The learned second layer of the safety check: a small linear classifier over character and word n-grams.

The phrases in ``content/safety.yaml`` recognise what the team has seen, but miss paraphrases nobody wrote
down (mostly the parent's own wellbeing). This layer is trained, deterministically, from every message the
team has labelled (``bot/core/safety_corpus.py``) when the process warms up, so the labelled sets stay the
source of truth and there is no fitted artefact to keep in step. It is transparent: TF-IDF over character
2-5-grams within words and word 1-2-grams, and one logistic regression per kind against everything else.

It is only ever asked when the phrases found nothing, and it may only raise an alarm: the per-kind
thresholds were chosen by cross-validation over the labelled sets (grouped by the file each came from,
``bench/safety_learned.py``) so that ordinary questions almost never cross them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from bot.core.safety_corpus import CorpusError, Example, training_examples
from content.safety import SafetyKind, normalise

__all__ = ["SafetyModel", "Settings", "default_model", "fit", "learned_kind"]


@dataclass(frozen=True)
class Settings:
    """How the layer is trained and when it speaks; the defaults are those chosen by cross-validation."""

    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    regularisation: float = 4.0  # LogisticRegression's C: larger fits the training data more closely
    # The probability each kind must reach before the layer raises it, checked most urgent first.
    thresholds: Mapping[SafetyKind, float] = field(
        default_factory=lambda: {
            SafetyKind.CRISIS: 0.9,
            SafetyKind.EMERGENCY: 0.95,
            SafetyKind.WELLBEING: 0.85,
        }
    )


class SafetyModel:
    """Fitted vectorisers and one binary classifier per kind; :meth:`raise_kind` is the layer's verdict."""

    def __init__(
        self,
        chars: TfidfVectorizer,
        words: TfidfVectorizer,
        classifiers: Mapping[SafetyKind, LogisticRegression],
        settings: Settings,
    ) -> None:
        self._chars = chars
        self._words = words
        self._classifiers = classifiers
        self.settings = settings

    def probabilities(self, texts: Sequence[str]) -> dict[SafetyKind, np.ndarray]:
        """Per kind, the probability that each text is of that kind."""
        with threadpool_limits(limits=1):  # threads only cost here: the matrices are tiny
            features = _features(self._chars, self._words, [normalise(text) for text in texts])
            return {kind: model.predict_proba(features)[:, 1] for kind, model in self._classifiers.items()}

    def raise_kind(self, text: str) -> SafetyKind | None:
        """The most urgent kind whose probability reaches its threshold, or None."""
        probabilities = self.probabilities([text])
        for kind in SafetyKind:
            if probabilities[kind][0] >= self.settings.thresholds[kind]:
                return kind
        return None


def _features(chars: TfidfVectorizer, words: TfidfVectorizer, texts: list[str]) -> object:
    return hstack([chars.transform(texts), words.transform(texts)]).tocsr()


def fit(examples: Sequence[Example], settings: Settings | None = None) -> SafetyModel:
    """Train the layer on ``examples``; the same examples and settings always give the same model."""
    settings = settings or Settings()
    texts = [normalise(example.text) for example in examples]
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=settings.char_ngrams, sublinear_tf=True, min_df=1)
    words = TfidfVectorizer(
        analyzer="word", ngram_range=settings.word_ngrams, sublinear_tf=True, token_pattern=r"\b\w+\b"
    )
    classifiers: dict[SafetyKind, LogisticRegression] = {}
    # One thread: on a busy machine, BLAS threads made a 0.05 s fit take seconds.
    with threadpool_limits(limits=1):
        chars.fit(texts)
        words.fit(texts)
        features = _features(chars, words, texts)
        for kind in SafetyKind:
            labels = np.array([example.kind is kind for example in examples], dtype=int)
            model = LogisticRegression(
                C=settings.regularisation, class_weight="balanced", solver="liblinear", max_iter=1000
            )
            model.fit(features, labels)
            classifiers[kind] = model
    return SafetyModel(chars, words, classifiers, settings)


_lock = threading.Lock()
_model: SafetyModel | None = None
_unavailable = False
log = logging.getLogger(__name__)


def default_model() -> SafetyModel:
    """The layer trained on every labelled set, once per process (the first call takes a fraction of a second)."""
    global _model
    with _lock:
        if _model is None:
            _model = fit(training_examples())
        return _model


def learned_kind(text: str) -> SafetyKind | None:
    """The layer's verdict on ``text``; if the labelled sets cannot be read, the phrases stand alone (logged
    once, without any message text)."""
    global _unavailable
    if _unavailable:
        return None
    try:
        model = default_model()
    except CorpusError as exc:
        _unavailable = True
        log.error("safety: the learned layer is off, its training data could not be read: %s", exc)
        return None
    return model.raise_kind(text)
