"""The labelled messages the experimental learned safety layer is trained from: every set already labelled.

The sets stay where they are kept and reviewed (the development set beside its tests, the formerly held-out
sets and the answer evaluation's questions in bench/eval), so they remain the one source of truth; this
module only reads them. The development set is a Python module of lists, read with ``ast`` rather than
imported, so the runtime never imports the test package. Sets held out for validation are never read here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.safety import check
from content.safety import SafetyKind

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "tests" / "core" / "safety_devset.py"
EVAL = ROOT / "bench" / "eval"
# Labelled safety sets: each a list of {kind, text}.
SAFETY_SETS = (
    "safety_round1.yaml",
    "safety_fresh.yaml",
    "safety_round2.yaml",
    "safety_round3.yaml",
    "safety_learned_val.yaml",
    "safety_round4.yaml",
    "safety_round4_dev_val.yaml",
    "safety_round5.yaml",
    "safety_round6.yaml",
    "safety_round7.yaml",
    "safety_round8.yaml",
    "safety_lookalikes.yaml",
    "safety_round9.yaml",
    "safety_round10.yaml",
    "safety_round11.yaml",
    "safety_round12.yaml",
    "safety_round13.yaml",
    "safety_round15.yaml",
    "safety_round16.yaml",
    "safety_round17.yaml",
    "safety_lookalikes_s12.yaml",
    "safety_tuner_s8.yaml",
    "safety_tuner_s9.yaml",
    "safety_tuner_s10.yaml",
)
# The answer evaluation's development sets: parents' ordinary questions, none of them an alarm.
# heldout.yaml and heldout_round3.yaml stay out: bench/safety_sentence.py only checks the layer on them.
QUESTION_SETS = (
    "dev.yaml",
    "round1.yaml",
    "heldout_round4.yaml",
    "heldout_round5.yaml",
    "heldout_round6.yaml",
    "heldout_round7.yaml",
    "heldout_round8.yaml",
    "heldout_round9.yaml",
    "heldout_round10.yaml",
    "heldout_round11.yaml",
    "heldout_round12.yaml",
    "heldout_round14.yaml",
    "heldout_round16.yaml",
    "heldout_round17.yaml",
    "tuner_s8.yaml",
    "tuner_s9.yaml",
    "tuner_s11.yaml",
)
# libyaml's safe loader where PyYAML was built with it: the same documents, read several times faster (the
# sets are about a megabyte; the pure-Python reader took seconds of every test run).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KINDS: dict[str, SafetyKind | None] = {kind.value: kind for kind in SafetyKind} | {"none": None}
# The development set's lists, by kind; the *_VARIANTS lists are later batches, kept as a source of their own.
DEVSET_LISTS: dict[str, SafetyKind | None] = {
    "CRISIS": SafetyKind.CRISIS,
    "EMERGENCY": SafetyKind.EMERGENCY,
    "WELLBEING": SafetyKind.WELLBEING,
    "ORDINARY": None,
    "ORDINARY_DRAMATIC": None,
    "GRIEF": SafetyKind.WELLBEING,
    "BEREAVEMENT": SafetyKind.WELLBEING,
    "NOT_A_LOSS": None,
}


class CorpusError(RuntimeError):
    """A labelled set is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    kind: SafetyKind | None  # None: an ordinary message
    source: str  # the file (and batch) it comes from: the unit of cross-validation


def devset_examples(path: Path = DEVSET) -> list[Example]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError) as exc:
        raise CorpusError(f"{path.name}: {exc}") from None
    examples: list[Example] = []
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        name = target.id
        base = name.removesuffix("_VARIANTS")
        if base not in DEVSET_LISTS:
            continue
        texts = ast.literal_eval(node.value)
        source = f"{path.name}:{'variants' if name != base else 'base'}"
        examples += [Example(str(text), DEVSET_LISTS[base], source) for text in texts]
    if not examples:
        raise CorpusError(f"{path.name}: no labelled lists found")
    return examples


def yaml_examples(path: Path) -> list[Example]:
    try:
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
        return [Example(str(entry["text"]), KINDS[str(entry["kind"])], path.name) for entry in entries]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path.name}: {exc!r}") from None


def question_examples(path: Path) -> list[Example]:
    """The answer evaluation's questions, as ordinary messages, less the few that speak of the parent's own
    guilt ("did I ruin our attachment?"): the phrases rightly answer those with a kind word first, so they
    are neither ordinary nor labelled, and are left out."""
    try:
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
        questions = [str(entry["q"]) for entry in entries]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise CorpusError(f"{path.name}: {exc!r}") from None
    return [Example(q, None, path.name) for q in questions if check(q) is None]


def training_examples() -> list[Example]:
    """All labelled messages, in a fixed order (the model is trained deterministically from them)."""
    examples = devset_examples()
    for name in SAFETY_SETS:
        examples += yaml_examples(EVAL / name)
    for name in QUESTION_SETS:
        examples += question_examples(EVAL / name)
    return examples
