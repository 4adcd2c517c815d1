"""The safety check's sentence layer: what it adds to the phrases on wordings they lack, what it leaves
quiet (dramatic idioms, play, a decision about work), the coefficients validated on load, and the phrases
alone when the model cannot load."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bot.conversation.distress import recognise
from bot.core import safety_sentence
from bot.core.safety import SafetyKind, assess, check
from content.safety import SafetyError
from content.safety_sentence import (
    DIMENSIONS,
    MODEL,
    SENTENCE_LAYER_PATH,
    Vector,
    default_sentence_layer,
    load_sentence_layer,
)

URGENT = {SafetyKind.CRISIS, SafetyKind.EMERGENCY}

# Written for these tests, not in any labelled set: distress the phrases have no words for.
LAYER_FINDS: list[tuple[str, set[SafetyKind]]] = [
    ("me quiero ir de este mundo", URGENT),
    (
        "I look at my baby and feel nothing, like he's someone else's",
        {SafetyKind.WELLBEING, SafetyKind.CRISIS},
    ),
    ("everyone can see I have no idea what I am doing as a mum", {SafetyKind.WELLBEING}),
]
# Ordinary messages with dramatic words, and look-alikes of the layer's nearest ordinary messages.
STAYS_QUIET = [
    "she's killing me with these tantrums",
    "he pretends to shoot his teddy",
    "I'm dying to know when this phase ends",
    "my 2 year old screams I hate you when I say no",
    "I've decided to go back to work part time",
    "I've made up my mind to stop breastfeeding",
    "we walked into the sea on holiday and she loved it",
    "I'd rather die than miss her first steps haha",
    "he fell and scraped his knee at the park",
    "she has a runny nose and a little cough but is eating fine",
    "my toddler hits when he's angry, how do I handle it?",
    "how do I get my 10 month old to nap in the cot?",
]
# Replies to the setup's questions: a child's name, a date, a city.
SHORT_REPLIES = ["Will", "Hope", "Noah James", "Baby Leo", "15 March 2026", "London", "yes", "ok thanks"]


@pytest.fixture
def layer_reset() -> Iterator[None]:
    yield
    safety_sentence.reset()


@pytest.mark.parametrize("text", STAYS_QUIET)
def test_ordinary_messages_with_dramatic_words_stay_ordinary(text: str):
    assert assess(text) is None


def test_short_replies_are_left_to_the_phrases(layer_reset: None):
    class Failing:
        def query(self, texts: str) -> Vector:
            raise AssertionError(f"the model was asked about {texts!r}")

    safety_sentence.use(Failing())
    for text in SHORT_REPLIES:
        assert assess(text) is None


@pytest.mark.parametrize(("text", "kinds"), LAYER_FINDS)
def test_the_layer_finds_distress_the_phrases_have_no_words_for(text: str, kinds: set[SafetyKind]):
    assert check(text) is None  # the phrases alone miss it
    assert assess(text) in kinds


def test_a_crisis_the_phrases_find_stays_a_crisis_without_asking_the_model(layer_reset: None):
    calls: list[str] = []

    class Counting:
        def query(self, texts: str) -> Vector:
            calls.append(texts)
            return np.zeros(DIMENSIONS, dtype=np.float32)

    safety_sentence.use(Counting())
    assert assess("I want to end my life") is SafetyKind.CRISIS
    assert assess("she's killing me with these tantrums") is None  # an idiom: the phrases know better
    assert calls == []
    assert assess("how do I get him to sleep") is None
    assert calls == ["how do I get him to sleep"]


def test_without_the_model_the_phrases_work_alone(layer_reset: None, monkeypatch: pytest.MonkeyPatch):
    def broken() -> None:
        raise OSError("no model here")

    safety_sentence.reset()
    monkeypatch.setattr(safety_sentence, "_open", broken)
    assert safety_sentence.load() is False
    for text in ["I want to end my life", "he's not breathing", "I feel like a bad mum", "hello"]:
        assert assess(text) is check(text)


def test_the_model_runs_outside_the_event_loop_thread(layer_reset: None):
    threads: list[int] = []

    class Recording:
        def query(self, texts: str) -> Vector:
            threads.append(threading.get_ident())
            return np.zeros(DIMENSIONS, dtype=np.float32)

    safety_sentence.use(Recording())
    assert asyncio.run(recognise("how do I get him to sleep")) is None
    assert threads
    assert threads[0] != threading.get_ident()


def test_a_long_message_is_read_up_to_the_layers_limit(layer_reset: None):
    seen: list[str] = []

    class Recording:
        def query(self, texts: str) -> Vector:
            seen.append(texts)
            return np.zeros(DIMENSIONS, dtype=np.float32)

    safety_sentence.use(Recording())
    assess("a  long\nday " * 1000)
    assert len(seen[0]) == default_sentence_layer().max_chars
    assert "  " not in seen[0]
    assert "\n" not in seen[0]


# --- the coefficients, validated on load ---


def arrays() -> dict[str, np.ndarray]:
    with np.load(SENTENCE_LAYER_PATH, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def test_the_shipped_coefficients_load():
    layer = load_sentence_layer()
    assert layer.kinds == tuple(SafetyKind)
    assert layer.weights.shape == (3, DIMENSIONS)
    assert np.isfinite(layer.thresholds).all()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda a: a.update(kinds=np.array(["emergency", "crisis", "wellbeing"])), "kinds"),
        (lambda a: a.update(weights=a["weights"][:, :100]), "weights"),
        (lambda a: a["bias"].__setitem__(0, np.nan), "bias: not every value"),
        (lambda a: a.pop("thresholds"), "arrays"),
        (lambda a: a.update(model=np.array("another model")), "trained for"),
        (lambda a: a.update(max_chars=np.array(10)), "max_chars"),
    ],
)
def test_coefficients_that_do_not_fit_fail_on_load(tmp_path: Path, change, problem: str):
    data = arrays()
    change(data)
    path = tmp_path / "layer.npz"
    np.savez(path, allow_pickle=False, **data)
    with pytest.raises(SafetyError, match=problem):
        load_sentence_layer(path)


def test_a_file_that_is_not_coefficients_fails_on_load(tmp_path: Path):
    path = tmp_path / "layer.npz"
    path.write_text("not a zip")
    with pytest.raises(SafetyError, match="cannot read"):
        load_sentence_layer(path)
    assert arrays()["model"] == MODEL
