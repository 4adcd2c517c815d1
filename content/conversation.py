"""Load and validate ``content/conversation.yaml``: the word lists the conversation reads parents' messages by.

Like the lexicon, kept as data beside the guidance and checked on load: an entry not written as the
conversation compares it (capitals, a double space, a full stop at the end), a duplicate, or a list left
empty fails at start-up with the list and the entry named, instead of a phrase silently never matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from content.library import ContentError, _describe

CONVERSATION_PATH = Path(__file__).resolve().parent / "conversation.yaml"

Phrase = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class ConversationWordsError(ContentError):
    """The conversation's word lists are malformed; the message names the list and the entry at fault."""


@dataclass(frozen=True)
class ConversationWords:
    """Each list as the conversation reads it (see the comments in the YAML file for where)."""

    same_day_alone: frozenset[str]
    same_day_as: frozenset[str]
    sibling_words: frozenset[str]
    relations: frozenset[str]
    on_time: frozenset[str]
    no_name_yet: frozenset[str]
    not_a_name: frozenset[str]
    describing_endings: tuple[str, ...]
    not_name_openers: frozenset[str]
    carry_on_openers: frozenset[str]
    name_endings: tuple[str, ...]
    tip_words: frozenset[str]
    not_for_us_words: frozenset[str]
    more_often: frozenset[str]
    asking: tuple[str, ...]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    same_day_alone: list[Phrase]
    same_day_as: list[Phrase]
    sibling_words: list[Phrase]
    relations: list[Phrase]
    on_time: list[Phrase]
    no_name_yet: list[Phrase]
    not_a_name: list[Phrase]
    describing_endings: list[Phrase]
    not_name_openers: list[Phrase]
    carry_on_openers: list[Phrase]
    name_endings: list[Phrase]
    tip_words: list[Phrase]
    not_for_us_words: list[Phrase]
    more_often: list[Phrase]
    asking: list[Phrase]


# Lists of single words, and lists compared once punctuation is gone (letters, figures and spaces only).
_ONE_WORD = frozenset(
    {"not_a_name", "describing_endings", "not_name_openers", "carry_on_openers", "name_endings"}
)
_PLAIN = frozenset({"more_often", "asking"})
_PLAIN_CHARS = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def normal_form(phrase: str) -> str:
    """A phrase as the conversation compares messages: lower case, one space, no punctuation at the end
    (the same as ``bot.core.step_words.normal_words``, which content may not import)."""
    return " ".join(phrase.lower().replace("’", "'").split()).strip(" .!,;")


def _problems(name: str, phrases: list[str]) -> list[str]:
    if not phrases:
        return [f"{name}: needs at least one entry"]
    problems: list[str] = []
    seen: set[str] = set()
    for phrase in phrases:
        if phrase != normal_form(phrase) or not phrase:
            problems.append(
                f"{name}: {phrase!r} is not written as messages are compared ({normal_form(phrase)!r})"
            )
        elif name in _ONE_WORD and " " in phrase:
            problems.append(f"{name}: {phrase!r} must be one word")
        elif name in _PLAIN and not _PLAIN_CHARS.fullmatch(phrase):
            problems.append(f"{name}: {phrase!r} may have only letters, figures and single spaces")
        if phrase in seen:
            problems.append(f"{name}: {phrase!r} is listed twice")
        seen.add(phrase)
    return problems


def load_conversation_words(path: Path = CONVERSATION_PATH) -> ConversationWords:
    """Load and check the word lists, raising ConversationWordsError that names the entry at fault."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConversationWordsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConversationWordsError(f"{path}: must be a mapping of list names to lists of phrases")
    try:
        spec = _Spec.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{_describe(raw, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ConversationWordsError(f"{path}: " + "; ".join(problems)) from None
    lists: dict[str, list[str]] = spec.model_dump()
    problems = [problem for name, phrases in lists.items() for problem in _problems(name, phrases)]
    if problems:
        raise ConversationWordsError(f"{path}: " + "; ".join(problems))
    return ConversationWords(
        same_day_alone=frozenset(spec.same_day_alone),
        same_day_as=frozenset(spec.same_day_as),
        sibling_words=frozenset(spec.sibling_words),
        relations=frozenset(spec.relations),
        on_time=frozenset(spec.on_time),
        no_name_yet=frozenset(spec.no_name_yet),
        not_a_name=frozenset(spec.not_a_name),
        describing_endings=tuple(spec.describing_endings),
        not_name_openers=frozenset(spec.not_name_openers),
        carry_on_openers=frozenset(spec.carry_on_openers),
        name_endings=tuple(spec.name_endings),
        tip_words=frozenset(spec.tip_words),
        not_for_us_words=frozenset(spec.not_for_us_words),
        more_often=frozenset(spec.more_often),
        asking=tuple(spec.asking),
    )


@cache
def conversation_words() -> ConversationWords:
    """The packaged word lists, loaded (and checked) once per process."""
    return load_conversation_words()
