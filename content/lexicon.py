"""Load and validate ``content/lexicon.yaml``: the words parents use, kept as data next to the topics.

The lexicon says which words carry no topic, how a question asks (normal / help / why), which parent phrases
mean which content words, and which subjects the content does not cover. Like the topic files it is
validated on load, so a bad entry fails at start-up with the entry named, not as a silently missed question.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from content.library import ContentError, describe_location

LEXICON_PATH = Path(__file__).resolve().parent / "lexicon.yaml"

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class LexiconError(ContentError):
    """The lexicon file is malformed; the message names the file and the entry at fault."""


class Intent(StrEnum):
    NORMAL = "normal"
    HELP = "help"
    WHY = "why"


@dataclass(frozen=True, slots=True)
class Synonym:
    """Parent phrases that all point at the same content words."""

    phrases: tuple[str, ...]
    means: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """A subject the content does not cover; ``health`` adds the pointer to the child's doctor, or with
    ``own_health`` (the parent's own health) to the parent's own doctor, midwife or health visitor."""

    topic: str
    health: bool
    phrases: tuple[str, ...]
    own_health: bool = False
    child_does: bool = False  # phrases say what the child does: "walks her round", "talking to him" do not
    # Its phrases also name who a child is ("her big brother (26 months)"): in a message about several children,
    # a part that says only that is no question about the subject.
    names_child: bool = False
    urgent: bool = (
        True  # with ``health``: "if it feels urgent" is said too (never for a diagnosis' name alone)
    )


@dataclass(frozen=True, slots=True)
class AgeHint:
    """Words such as "baby" or "toddler" that hint at an age when none is known (months inclusive)."""

    words: tuple[str, ...]
    first_month: int
    last_month: int


@dataclass(frozen=True)
class Lexicon:
    stopwords: frozenset[str]
    modifiers: frozenset[str]
    intents: Mapping[Intent, tuple[str, ...]]
    synonyms: tuple[Synonym, ...]
    out_of_scope: tuple[OutOfScope, ...]
    age_hints: tuple[AgeHint, ...] = ()
    smalltalk: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()
    reactions: frozenset[str] = frozenset()
    bond_words: frozenset[str] = frozenset()
    # "weaning is going fine, that's not what I'm asking": an uncovered subject the parent sets aside is not
    # what is asked. ``aside_clause`` sets aside its own clause and those before it, ``aside_before`` only
    # those before it ("my real worry is ..." says the worry itself). Normalised phrases (see ``words``).
    aside_clause: tuple[str, ...] = ()
    aside_before: tuple[str, ...] = ()
    # "which we're seeing the GP about": the only phrases that set aside the child's health too.
    aside_care: tuple[str, ...] = ()
    # "nothing medical to ask": sets aside the child's health in its clause and every clause before it.
    aside_medical: tuple[str, ...] = ()
    # "what signs should I look for": words after "what" that frame the question, not a subject of it.
    what_frames: frozenset[str] = frozenset()


_REWRITES = [
    (re.compile(r"[’‘`]"), "'"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"\b(do|does|did|is|was|are|were|has|have|should|would|could)nt\b"), r"\1 not"),
    (re.compile(r"\b(what|that|it|he|she|there|who|where|how)'s\b"), r"\1 is"),
    (re.compile(r"\b(what|that)s\b"), r"\1 is"),
    (re.compile(r"\bim\b|\bi'm\b"), "i am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'d\b"), " would"),
    # Text-speak a parent types on a phone: "wat shud my 1yr old b doing", "r u sure", "cud it be".
    (re.compile(r"\bwat\b"), "what"),
    (re.compile(r"\bshud\b|\bshld\b"), "should"),
    (re.compile(r"\bcud\b"), "could"),
    (re.compile(r"\bwud\b"), "would"),
    (re.compile(r"\bb\b(?=\s+\w+ing\b)"), "be"),
    (re.compile(r"\bu\b"), "you"),
    (re.compile(r"\br\b(?=\s+(?:you|u|they|we)\b)"), "are"),
    (re.compile(r"\b(?:coz|cos|cuz|bc)\b"), "because"),
    (re.compile(r"\bevery single\b"), "every"),
    (
        re.compile(r"\bstep(?:s|ped|ping)? in\b"),
        "intervene",
    ),  # "how should I step in": no first steps  # "every single trip": emphasis, not a single parent
]
_WORD = re.compile(r"[a-z]+")


def normalise(text: str) -> str:
    """Lower case with contractions spelled out ("won't" -> "will not") and possessive 's dropped."""
    text = text.lower()
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return text.replace("'s", "")


def split_words(normalised: str) -> list[str]:
    """The words of text already passed through :func:`normalise`."""
    return _WORD.findall(normalised)


def words(text: str) -> list[str]:
    """Lower-case words with contractions spelled out ("won't" -> "will not"; possessive 's dropped).

    Questions and lexicon phrases both go through this, so they always compare like with like.
    """
    return _WORD.findall(normalise(text))


# --- the file schema ---


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SynonymSpec(_Strict):
    phrases: list[Phrase]
    means: list[Phrase]


class _OutOfScopeSpec(_Strict):
    topic: Phrase
    health: bool = False
    own_health: bool = False
    child_does: bool = False
    names_child: bool = False
    urgent: bool = True
    phrases: list[Phrase]


class _IntentsSpec(_Strict):
    normal: list[Phrase]
    help: list[Phrase]
    why: list[Phrase]


class _AgeHintSpec(_Strict):
    words: list[Phrase]
    first_month: int
    last_month: int


class _LexiconSpec(_Strict):
    stopwords: list[Phrase]
    modifiers: list[Phrase]
    intents: _IntentsSpec
    synonyms: list[_SynonymSpec]
    out_of_scope: list[_OutOfScopeSpec]
    age_hints: list[_AgeHintSpec] = []
    smalltalk: list[Phrase] = []
    generic: list[Phrase] = []
    reactions: list[Phrase] = []
    bond_words: list[Phrase] = []
    aside_clause: list[Phrase] = []
    aside_before: list[Phrase] = []
    aside_care: list[Phrase] = []
    aside_medical: list[Phrase] = []
    what_frames: list[Phrase] = []


def _phrase_problems(
    where: str, phrases: list[str], stopwords: frozenset[str], modifiers: frozenset[str]
) -> list[str]:
    """A phrase must keep a word after stopwords are dropped, and not be a lone modifier like "not"."""
    if not phrases:
        return [f"{where}: needs at least one phrase"]
    problems = []
    for phrase in phrases:
        kept = [w for w in words(phrase) if w not in stopwords]
        if not kept or (len(kept) == 1 and kept[0] in modifiers):
            problems.append(
                f"{where}: phrase {phrase!r} has only stopwords or a lone modifier, "
                "so it would match far too many questions"
            )
    return problems


def _parse(path: Path) -> _LexiconSpec:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise LexiconError(
            f"{path}: the lexicon must be a mapping with stopwords, intents, synonyms, out_of_scope"
        )
    try:
        return _LexiconSpec.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{describe_location(raw, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise LexiconError(f"{path}: " + "; ".join(problems)) from None


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Load and check the lexicon, raising LexiconError that names the entry at fault."""
    spec = _parse(path)
    stopwords = frozenset(w for s in spec.stopwords for w in words(s))
    modifiers = frozenset(w for s in spec.modifiers for w in words(s))
    intents = {
        Intent.NORMAL: tuple(spec.intents.normal),
        Intent.HELP: tuple(spec.intents.help),
        Intent.WHY: tuple(spec.intents.why),
    }
    problems = [
        f"intents.{intent}: phrase {phrase!r} has no words"
        for intent, phrases in intents.items()
        for phrase in phrases
        if not words(phrase)
    ]
    for n, syn in enumerate(spec.synonyms):
        where = f"synonyms[{n}] ({syn.phrases[0] if syn.phrases else '?'})"
        problems += _phrase_problems(where, syn.phrases, stopwords, modifiers)
        problems += _phrase_problems(where + " means", syn.means, stopwords, modifiers)
    for n, oos in enumerate(spec.out_of_scope):
        problems += _phrase_problems(f"out_of_scope[{n}] ({oos.topic})", oos.phrases, stopwords, modifiers)
    for n, hint in enumerate(spec.age_hints):
        if not 0 <= hint.first_month <= hint.last_month:
            problems.append(f"age_hints[{n}]: months out of order ({hint.first_month} to {hint.last_month})")
    problems += [
        f"{name}: phrase {phrase!r} has no words"
        for name, phrases in (
            ("aside_clause", spec.aside_clause),
            ("aside_before", spec.aside_before),
            ("aside_care", spec.aside_care),
            ("aside_medical", spec.aside_medical),
        )
        for phrase in phrases
        if not words(phrase)
    ]
    if problems:
        raise LexiconError(f"{path}: " + "; ".join(problems))
    return Lexicon(
        stopwords=stopwords,
        modifiers=modifiers,
        intents=intents,
        synonyms=tuple(Synonym(tuple(s.phrases), tuple(s.means)) for s in spec.synonyms),
        out_of_scope=tuple(
            OutOfScope(
                o.topic, o.health, tuple(o.phrases), o.own_health, o.child_does, o.names_child, o.urgent
            )
            for o in spec.out_of_scope
        ),
        age_hints=tuple(
            AgeHint(tuple(w for p in h.words for w in words(p)), h.first_month, h.last_month)
            for h in spec.age_hints
        ),
        smalltalk=frozenset(" ".join(words(p)) for p in spec.smalltalk),
        generic=frozenset(w for p in spec.generic for w in words(p)),
        reactions=frozenset(w for p in spec.reactions for w in words(p)),
        bond_words=frozenset(w for p in spec.bond_words for w in words(p)),
        aside_clause=tuple(" ".join(words(p)) for p in spec.aside_clause),
        aside_before=tuple(" ".join(words(p)) for p in spec.aside_before),
        aside_care=tuple(" ".join(words(p)) for p in spec.aside_care),
        aside_medical=tuple(" ".join(words(p)) for p in spec.aside_medical),
        what_frames=frozenset(w for p in spec.what_frames for w in words(p)),
    )


@cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon, loaded once per process."""
    return load_lexicon()
