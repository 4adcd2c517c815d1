"""The similarity model kept in float16 embeds exactly as the float32 model it was loaded as."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core import semantic

SENTENCES = ["she beams when I come in", "my toddler bites at nursery", "zzzz qqq", "sleep regression"]


def test_narrow_weights_embed_bit_for_bit_as_the_wide_ones() -> None:
    wordllama = pytest.importorskip("wordllama")
    narrow = semantic._model()
    assert narrow is not None
    assert narrow.embedding.dtype == np.float16
    folder = Path(wordllama.__file__).resolve().parent
    wide = wordllama.WordLlama.load(cache_dir=folder, disable_download=True)
    assert wide.embedding.dtype == np.float32
    expected = wide.embed(SENTENCES, norm=True)
    found = narrow.embed(SENTENCES, norm=True)
    assert found.dtype == expected.dtype
    assert found.tobytes() == expected.tobytes()
