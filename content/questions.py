"""Load and validate ``content/questions/*.yaml``: how parents ask the questions each content item answers.

Parents rarely use the guidance's words ("seeks proximity"); they write "she follows me to the bathroom".
Each item therefore carries parents' phrasings of the questions it answers, and each concept a parent names
("bond", "trust") lists the items that do it. These are questions, never advice: the answer a parent reads
is always the item's own text. Validated on load against the library, so a typo in an id fails at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from content.library import ContentError, Library, default_library, describe_location

QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"
# Every indicator, strategy and background snippet needs at least this many phrasings.
MIN_PHRASINGS = 3

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]


class QuestionsError(ContentError):
    """A questions file is malformed or names an item that does not exist."""


@dataclass(frozen=True, slots=True)
class Concept:
    """Something parents name ("bond") and the items that do it, in the order they are preferred; ``signs``
    are the indicators that show it, for "what's typical for bonding" rather than "how do I bond"."""

    name: str
    phrases: tuple[str, ...]
    items: tuple[str, ...]
    signs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Questions:
    phrasings: Mapping[str, tuple[str, ...]]  # item id -> parents' phrasings
    concepts: tuple[Concept, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ConceptSpec(_Strict):
    name: Phrase
    phrases: list[Phrase]
    items: list[Phrase]
    signs: list[Phrase] = []


class _FileSpec(_Strict):
    topic: Phrase
    questions: dict[str, list[Phrase]]
    concepts: list[_ConceptSpec] = []


def _parse(path: Path) -> _FileSpec:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise QuestionsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise QuestionsError(f"{path}: a questions file must be a mapping with topic, questions, concepts")
    try:
        return _FileSpec.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{describe_location(raw, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise QuestionsError(f"{path}: " + "; ".join(problems)) from None


def load_questions(library: Library, directory: Path = QUESTIONS_DIR) -> Questions:
    """Every questions file, checked: known topic and item ids, and every item of a topic phrased."""
    phrasings: dict[str, tuple[str, ...]] = {}
    concepts: list[Concept] = []
    topics = {topic.id: topic for topic in library.topics}
    for path in sorted(directory.glob("*.yaml")):
        spec = _parse(path)
        topic = topics.get(spec.topic)
        if topic is None:
            raise QuestionsError(f"{path}: topic {spec.topic!r} is not in the content")
        own = {item.id for item in topic.items()}
        problems = [f"questions.{i}: no such item in {spec.topic}" for i in spec.questions if i not in own]
        problems += [
            f"questions.{i}: needs at least {MIN_PHRASINGS} phrasings"
            for i in sorted(own)
            if len(spec.questions.get(i, ())) < MIN_PHRASINGS
        ]
        for n, concept in enumerate(spec.concepts):
            problems += [
                f"concepts[{n}] ({concept.name}): no such item {i}"
                for i in [*concept.items, *concept.signs]
                if i not in own
            ]
            if not concept.phrases or not concept.items:
                problems.append(f"concepts[{n}] ({concept.name}): needs phrases and items")
        if problems:
            raise QuestionsError(f"{path}: " + "; ".join(problems))
        phrasings.update({item: tuple(texts) for item, texts in spec.questions.items()})
        concepts += [Concept(c.name, tuple(c.phrases), tuple(c.items), tuple(c.signs)) for c in spec.concepts]
    return Questions(phrasings, tuple(concepts))


@cache
def default_questions() -> Questions:
    """The packaged questions for the packaged library, loaded once per process."""
    return load_questions(default_library())
