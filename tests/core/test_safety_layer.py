"""The experimental learned safety layer (bench/safety_layer.py, not used by the bot) reads every labelled
set and trains deterministically, so its cross-validation figures can be repeated."""

from __future__ import annotations

from bench.safety_corpus import devset_examples, training_examples
from bench.safety_layer import fit
from content.safety import SafetyKind


def test_the_corpus_has_every_kind_from_each_labelled_safety_set():
    examples = training_examples()
    sources = {example.source for example in examples}
    assert {"safety_devset.py:base", "safety_devset.py:variants", "safety_round1.yaml"} <= sources
    assert {"safety_fresh.yaml", "dev.yaml", "round1.yaml"} <= sources
    for kind in [*SafetyKind, None]:
        assert sum(example.kind is kind for example in examples) >= 100
    assert {
        "safety_round11.yaml",
        "safety_round13.yaml",
        "safety_round15.yaml",
        "safety_round16.yaml",
        "safety_round17.yaml",
        "safety_lookalikes_s12.yaml",
        "safety_tuner_s9.yaml",
        "safety_tuner_s10.yaml",
        "heldout_round10.yaml",
        "heldout_round14.yaml",
        "heldout_round16.yaml",
        "heldout_round17.yaml",
        "tuner_s9.yaml",
        "tuner_s11.yaml",
    } <= sources
    # The two answer sets bench/safety_sentence.py only checks the layer on are never trained on.
    assert not sources & {"heldout.yaml", "heldout_round3.yaml"}


def test_training_is_deterministic_and_recognises_its_own_examples():
    examples = devset_examples()
    first, second = fit(examples), fit(examples)
    texts = [next(e.text for e in examples if e.kind is kind) for kind in [*SafetyKind, None]]
    for kind, probabilities in first.probabilities(texts).items():
        assert list(probabilities) == list(second.probabilities(texts)[kind])
    # The chosen thresholds are strict (emergency 0.95): only the clearest messages cross them.
    assert first.raise_kind(texts[0]) is SafetyKind.CRISIS
    assert first.raise_kind(texts[-1]) is None
