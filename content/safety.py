"""Load and validate ``content/safety.yaml``: the phrases that mean a parent is in distress.

The phrases are data so they can be reviewed and extended without touching code; like the topics they are
validated on load (unknown keys, empty lists, unknown macros, patterns that do not compile or that would
match anything), so a mistake fails at start-up with the entry named instead of silently missing a crisis.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from content.library import ContentError, ItemId, describe_location

SAFETY_PATH = Path(__file__).resolve().parent / "safety.yaml"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]

_APOSTROPHES = re.compile(r"['’‘`´ʼʹʻ′]")
_NOT_WORD = re.compile(r"[\W_]+")
_REPEATS = re.compile(r"(\w)\1{2,}")
_MACRO = re.compile(r"<([a-z_][a-z0-9_]*)>")
# Escapes whose meaning changes with case (\S vs \s): patterns are folded to lower case, so these would flip.
_CASED_ESCAPE = re.compile(r"\\[A-Z]")
_MACRO_DEPTH = 5
_MARKS = frozenset({"Mn", "Mc", "Me"})


class SafetyError(ContentError):
    """``safety.yaml`` is malformed; the message names the file and the entry at fault."""


class SafetyKind(StrEnum):
    """What a message means, most urgent first: the order is the precedence when several match."""

    CRISIS = "crisis"
    EMERGENCY = "emergency"
    WELLBEING = "wellbeing"


class Concern(StrEnum):
    """What a distress reply can speak to beyond its kind: violence or threats at home (a crisis); the loss
    of a baby, the loss of someone else close, or a partner's or co-parent's low mood rather than the
    parent's own (wellbeing). Named groups of rules say it."""

    VIOLENCE_AT_HOME = "violence_at_home"
    GRIEF = "grief"
    BEREAVEMENT = "bereavement"
    PARTNER_MOOD = "partner_mood"

    @property
    def kind(self) -> SafetyKind:
        """The kind whose rules can say this concern."""
        return SafetyKind.CRISIS if self is Concern.VIOLENCE_AT_HOME else SafetyKind.WELLBEING


def fold(text: str) -> str:
    """Lower case without accents or apostrophes ("Don’t" -> "dont", "Está" -> "esta", "й" -> "и")."""
    text = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    return "".join(c for c in text if not _mark(c)).casefold()


def _mark(char: str) -> bool:
    """An accent or a vowel sign: dropped, since Hindi's vowel signs are not word characters to a regular
    expression, and kept they would split "जीना" into pieces no pattern (folded alike) could meet."""
    return bool(unicodedata.combining(char)) or unicodedata.category(char) in _MARKS


def normalise(text: str) -> str:
    """The form messages are matched in: folded, words separated by single spaces, no punctuation.

    A letter typed three times or more is kept twice ("sooo" -> "soo", "killll" -> "kill").
    """
    return " ".join(_REPEATS.sub(r"\1\1", _NOT_WORD.sub(" ", fold(text))).split())


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of one kind; ``group`` is its heading in the file (``crisis.self_harm``).

    ``when`` and ``unless`` look at the whole message: the rule counts only if one of ``when`` (if any) is
    somewhere in it and none of ``unless`` is. They let a phrase that is only sometimes an alarm ("he hits me",
    "having a fit") depend on what else the parent says (a toddler, a tantrum; drink, a pregnancy).
    """

    kind: SafetyKind
    group: str
    regex: re.Pattern[str]
    when: tuple[re.Pattern[str], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    about: Concern | None = None  # the concern its group says (``concerns`` in the file)


@dataclass(frozen=True)
class SafetyPhrases:
    rules: tuple[Rule, ...]  # most urgent kind first
    not_alarms: tuple[re.Pattern[str], ...]
    negators: frozenset[str]
    fillers: frozenset[str]
    reach: int
    keywords: frozenset[str]
    known_words: frozenset[str]
    spellings: Mapping[str, str]
    wellbeing_content: tuple[tuple[str, ...], ...]
    # Over and done with ("I was in a dark place but therapy helped"): blanked out like a not-alarm, but never
    # an excuse: what is said after is still read, by the phrases and by the sentence layer.
    past: tuple[re.Pattern[str], ...] = ()

    def rules_of(self, kind: SafetyKind) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.kind is kind)

    def rules_about(self, concern: Concern) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.about is concern)


# --- the file schema ---


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RuleSpec(_Strict):
    match: Text
    when: list[Text] = []
    unless: list[Text] = []


Patterns = Annotated[list[Text | _RuleSpec], Field(min_length=1)]


class _NegationSpec(_Strict):
    words: Annotated[list[Word], Field(min_length=1)]
    fillers: list[Word]
    reach: int = Field(ge=1, le=8)


class _SafetySpec(_Strict):
    macros: dict[Name, Text]
    crisis: Annotated[dict[Name, Patterns], Field(min_length=1)]
    emergency: Annotated[dict[Name, Patterns], Field(min_length=1)]
    wellbeing: Annotated[dict[Name, Patterns], Field(min_length=1)]
    not_alarms: Annotated[list[Text], Field(min_length=1)]
    past: list[Text] = []
    negation: _NegationSpec
    keywords: Annotated[list[Word], Field(min_length=1)]
    known_words: list[Word]
    spellings: dict[Word, Text] = {}
    wellbeing_content: Annotated[list[Annotated[list[ItemId], Field(min_length=1)]], Field(min_length=1)]
    concerns: dict[Concern, Annotated[list[Text], Field(min_length=1)]]


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    for _ in range(_MACRO_DEPTH):
        unknown = [name for name in _MACRO.findall(pattern) if name not in macros]
        if unknown:
            raise ValueError(f"unknown macro <{unknown[0]}>")
        expanded = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
        if expanded == pattern:
            return pattern
        pattern = expanded
    raise ValueError(f"macros nested more than {_MACRO_DEPTH} deep")


def _compile(pattern: str, macros: Mapping[str, str]) -> re.Pattern[str]:
    """A pattern as matched: macros expanded, folded like the messages, wrapped in word boundaries."""
    if _CASED_ESCAPE.search(pattern):
        raise ValueError(r"upper-case escapes such as \S or \W change meaning when folded; use [^ ] instead")
    if "(?P" in pattern:
        raise ValueError("named groups are not supported (the <name> syntax is for macros)")
    try:
        regex = re.compile(rf"\b(?:{fold(_expand(pattern, macros))})\b")
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    if any(match.end() == match.start() for match in regex.finditer("what is normal at ten months")):
        raise ValueError("matches an empty message, so it would match every message")
    return regex


def _parse(path: Path) -> tuple[_SafetySpec, Any]:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SafetyError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SafetyError(f"{path}: the safety file must be a mapping with crisis, emergency, wellbeing, ...")
    try:
        return _SafetySpec.model_validate(raw), raw
    except ValidationError as exc:
        problems = [f"{describe_location(raw, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise SafetyError(f"{path}: " + "; ".join(problems)) from None


def load_safety(path: Path = SAFETY_PATH) -> SafetyPhrases:
    """Load and check the safety phrases, raising SafetyError that names the entry at fault."""
    spec, _raw = _parse(path)
    rules: list[Rule] = []
    seen: dict[str, str] = {}  # what a rule matches, and when, to the first entry that says so
    groups = {SafetyKind.CRISIS: spec.crisis, SafetyKind.EMERGENCY: spec.emergency}
    groups[SafetyKind.WELLBEING] = spec.wellbeing
    about, problems = _concerns(spec, groups)
    for kind, by_group in groups.items():
        for group, patterns in by_group.items():
            for n, entry in enumerate(patterns):
                where = f"{kind}.{group}[{n}]"
                rule = entry if isinstance(entry, _RuleSpec) else _RuleSpec(match=entry)
                key = repr((rule.match, rule.when, rule.unless))
                if key in seen:
                    problems.append(f"{where}: the same pattern as {seen[key]}")
                    continue
                seen[key] = where
                try:
                    rules.append(
                        Rule(
                            kind,
                            f"{kind}.{group}",
                            _compile(rule.match, spec.macros),
                            when=tuple(_compile(p, spec.macros) for p in rule.when),
                            unless=tuple(_compile(p, spec.macros) for p in rule.unless),
                            about=about.get(f"{kind}.{group}"),
                        )
                    )
                except ValueError as exc:
                    problems.append(f"{where}: {exc}")
    not_alarms: list[re.Pattern[str]] = []
    for n, pattern in enumerate(spec.not_alarms):
        try:
            not_alarms.append(_compile(pattern, spec.macros))
        except ValueError as exc:
            problems.append(f"not_alarms[{n}]: {exc}")
    past: list[re.Pattern[str]] = []
    for n, pattern in enumerate(spec.past):
        try:
            past.append(_compile(pattern, spec.macros))
        except ValueError as exc:
            problems.append(f"past[{n}]: {exc}")
    words = {
        "negation.words": spec.negation.words,
        "negation.fillers": spec.negation.fillers,
        "keywords": spec.keywords,
        "known_words": spec.known_words,
    }
    words["spellings"] = list(spec.spellings)
    for where, listed in words.items():
        problems += [f"{where}: {w!r} is not a single word" for w in listed if len(normalise(w).split()) != 1]
    spellings = {normalise(word): normalise(meant) for word, meant in spec.spellings.items()}
    problems += [f"spellings: {word!r} has no replacement" for word, meant in spellings.items() if not meant]
    if problems:
        raise SafetyError(f"{path}: " + "; ".join(problems))
    keywords = frozenset(normalise(w) for w in spec.keywords)
    return SafetyPhrases(
        rules=tuple(rules),
        not_alarms=tuple(not_alarms),
        past=tuple(past),
        negators=frozenset(normalise(w) for w in spec.negation.words),
        fillers=frozenset(normalise(w) for w in spec.negation.fillers),
        reach=spec.negation.reach,
        keywords=keywords,
        known_words=keywords | frozenset(normalise(w) for w in spec.known_words),
        spellings=spellings,
        wellbeing_content=tuple(tuple(ids) for ids in spec.wellbeing_content),
    )


def _concerns(
    spec: _SafetySpec, groups: Mapping[SafetyKind, Mapping[str, object]]
) -> tuple[dict[str, Concern], list[str]]:
    """Each group a concern names (``crisis.violence_at_home``) to that concern, and what is wrong: every
    concern needs its groups, of its own kind, so a renamed group fails here instead of quietly losing the
    words written for it."""
    about: dict[str, Concern] = {}
    problems: list[str] = []
    for concern in Concern:
        named = spec.concerns.get(concern)
        if not named:
            problems.append(f"concerns: {concern} names no group")
            continue
        for where in named:
            kind, _, group = where.partition(".")
            if kind != concern.kind or group not in groups[concern.kind]:
                problems.append(f"concerns.{concern}: {where!r} is not a {concern.kind} group")
            else:
                about[where] = concern
    return about, problems


@cache
def default_safety() -> SafetyPhrases:
    """The packaged safety phrases, loaded once per process."""
    return load_safety()
