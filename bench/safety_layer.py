"""An experimental learned second layer for the safety check: a small linear classifier over n-grams.

NOT wired into the bot: measured on a fresh validation batch it added recall (crisis +3, wellbeing +3) but
also a false alarm, and cost more than the 5 ms budget per message (bench/eval/SAFETY.md). It is kept here,
with its cross-validation (``bench/safety_learned.py``), so the experiment can be repeated as the labelled
sets grow.

Trained deterministically from every message the team has labelled (``bench/safety_corpus.py``): TF-IDF
over character 2-5-grams within words and word 1-2-grams, one logistic regression per kind against
everything else. Meant to be asked only when the phrases found nothing and no idiom is in the message, and
only to raise a kind; the per-kind thresholds were chosen by cross-validation grouped by source file so
that no ordinary message out of fold crossed them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from bench.safety_corpus import Example
from content.safety import SafetyKind, normalise

__all__ = ["SafetyModel", "Settings", "fit"]


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
        analyzer="word",
        ngram_range=settings.word_ngrams,
        sublinear_tf=True,
        token_pattern=r"\b\w+\b",  # noqa: S106 (a regex, not a password)
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
