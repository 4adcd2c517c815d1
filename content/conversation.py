"""Load and validate ``content/conversation.yaml``: the word lists parents' messages are read by (the
conversation's steps, and the core's small talk, language and age reading).

Like the lexicon, kept as data beside the guidance and checked on load: an entry not written as the
conversation compares it (capitals, a double space, a full stop at the end), a duplicate, or a list left
empty fails at start-up with the list and the entry named, instead of a phrase silently never matching.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from content.library import ContentError, describe_location

CONVERSATION_PATH = Path(__file__).resolve().parent / "conversation.yaml"

Phrase = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class ConversationWordsError(ContentError):
    """The conversation's word lists are malformed; the message names the list and the entry at fault."""


# A list to look a message up in, and one in order (a pattern is built from it); each checked by _problems.
Phrases = frozenset[Phrase]
Ordered = tuple[Phrase, ...]
# Words with what each says: a number (1 to 4), or an age in months (up to 4 years).
Counts = dict[Phrase, Annotated[int, Field(ge=1, le=48)]]
# Words with the phrase each stands for (one of another list, checked on load).
Meanings = dict[Phrase, Phrase]


class ConversationWords(BaseModel):
    """Each list as the conversation reads it (see the comments in the YAML file for where): a set to look a
    message up in, or in order where a pattern is built from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    same_day_alone: Phrases
    same_day_as: Phrases
    sibling_words: Phrases
    relations: Phrases
    on_time: Phrases
    no_name_yet: Phrases
    months_as_names: Phrases
    surnames: Phrases
    not_name_starts: Phrases
    name_then_when: Ordered
    not_a_name: Phrases
    describing_endings: Ordered
    not_name_openers: Phrases
    carry_on_openers: Phrases
    carry_on_words: Phrases
    name_endings: Ordered
    tip_words: Phrases
    not_for_us_words: Phrases
    more_often: Phrases
    asking: Ordered
    not_yes_words: Phrases
    put_off: Ordered
    not_named_yet_before: Ordered
    not_named_yet_verbs: Ordered
    place_verbs: Ordered
    schedule_verbs: Ordered
    schedule_whats: Ordered
    child_words: Ordered
    not_only_the_child: Phrases
    not_pet_names: Phrases
    wrong_words: Ordered
    detail_words: Ordered
    not_the_detail: Ordered
    goodbyes: Phrases
    goodbye_alone: Ordered
    small_talk_filler: Phrases
    pleasantry_words: Phrases
    praise_words: Phrases
    not_english: Phrases
    foreign_numbers: Counts
    foreign_word_ages: Counts
    foreign_nearly: Ordered
    happy_occasions: Ordered
    bot_words: Ordered
    kin_words: Ordered
    joined_family: Ordered
    home_for: Ordered
    roughly_words: Ordered
    thanks_words: Phrases
    greeting_words: Phrases
    praise_phrases: Ordered
    negations: Ordered
    leading_yes: Ordered
    leading_no: Ordered
    late_words: Ordered
    yes_first: Ordered
    singled_out_youngest: Ordered
    singled_out_eldest: Ordered
    parent_too: Ordered
    and_me_fillers: Ordered
    not_a_childs_name: Phrases
    leaving: Ordered
    leaving_asked: Ordered
    leaving_reasons: Ordered
    leaving_around: Phrases
    returning: Ordered
    returning_openers: Ordered
    about_tips_words: Ordered
    grandchild_words: Meanings
    not_when_born: Ordered
    date_hedges: Ordered
    asking_after: Ordered
    plain_yes: Phrases
    plain_no: Phrases
    another_due_date: Phrases
    same_as_twin: Phrases
    early_no_openers: Phrases
    early_yes_openers: Phrases
    early_words: Phrases
    multiples: Phrases
    multiples_phrases: Phrases
    pause_words: Phrases
    afresh_words: Phrases
    skip_other_words: Phrases
    back_words: Phrases
    fix_words: Phrases
    cancel_words: Phrases
    plain_skip: Phrases
    later_words: Phrases
    stopping_words: Phrases
    unsure_words: Phrases

    @property
    def skip_words(self) -> Phrases:
        """Every phrase skipping a question: the lists it is made of joined, so none is written twice."""
        return self.skip_other_words | self.plain_skip | self.later_words | self.unsure_words


# Lists of single words, and lists compared once punctuation is gone (letters, figures and spaces only).
_ONE_WORD = frozenset(
    {
        "not_a_name", "months_as_names", "not_name_starts", "surnames", "describing_endings",
        "not_name_openers", "carry_on_openers", "name_endings", "not_yes_words", "not_named_yet_verbs",
        "place_verbs", "schedule_verbs", "not_the_detail", "goodbyes", "goodbye_alone", "small_talk_filler",
        "pleasantry_words", "praise_words", "not_english", "bot_words", "roughly_words", "thanks_words",
        "greeting_words", "leading_yes", "late_words", "yes_first", "and_me_fillers", "early_no_openers",
        "early_yes_openers", "multiples", "leaving_around", "not_a_childs_name", "not_only_the_child",
        "not_pet_names", "returning_openers", "about_tips_words", "not_when_born",
    }
)  # fmt: skip
_PLAIN = frozenset({"more_often", "asking", "asking_after"})
_PLAIN_CHARS = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
# Lists whose entries are alternatives in a pattern (each taken literally): letters, apostrophes and single
# spaces only, so an entry can never change what the pattern around it means.
_PATTERN = frozenset(
    {
        "put_off", "not_named_yet_before", "not_named_yet_verbs", "place_verbs", "schedule_verbs",
        "schedule_whats", "child_words", "wrong_words", "detail_words", "not_the_detail", "happy_occasions",
        "bot_words", "kin_words", "joined_family", "home_for", "roughly_words", "praise_phrases", "negations",
        "leading_yes", "leading_no", "late_words", "yes_first", "singled_out_youngest", "singled_out_eldest",
        "parent_too", "and_me_fillers", "leaving", "leaving_asked", "leaving_reasons", "returning",
        "grandchild_words", "date_hedges", "returning_openers", "about_tips_words", "leaving_around",
        "not_when_born", "name_then_when",
    }
)  # fmt: skip
_PATTERN_CHARS = re.compile(r"[a-z']+(?: [a-z']+)*")
# Words of other languages, alternatives in a pattern too: one word of letters each (accents allowed).
_FOREIGN = frozenset({"foreign_numbers", "foreign_word_ages", "foreign_nearly"})
_LETTERS = re.compile(r"[^\W\d_]+")


def normal_form(phrase: str) -> str:
    """A phrase as the conversation compares messages: lower case, one space, no punctuation at the end
    (the same as ``bot.core.step_words.normal_words``, which content may not import)."""
    return " ".join(phrase.lower().replace("’", "'").split()).strip(" .!,;")


def _problems(name: str, phrases: Collection[str]) -> list[str]:
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
        elif name in _PATTERN and not _PATTERN_CHARS.fullmatch(phrase):
            problems.append(f"{name}: {phrase!r} may have only letters, apostrophes and single spaces")
        elif name in _FOREIGN and not _LETTERS.fullmatch(phrase):
            problems.append(f"{name}: {phrase!r} must be one word of letters")
        if phrase in seen:
            problems.append(f"{name}: {phrase!r} is listed twice")
        seen.add(phrase)
    return problems


class _UniqueKeys(yaml.SafeLoader):
    """The safe loader, refusing a key said twice in a mapping (a second "dos" would silently win)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is listed twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_conversation_words(path: Path = CONVERSATION_PATH) -> ConversationWords:
    """Load and check the word lists, raising ConversationWordsError that names the entry at fault."""
    try:
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        raise ConversationWordsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConversationWordsError(f"{path}: must be a mapping of list names to lists of phrases")
    try:
        words = ConversationWords.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{describe_location(raw, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ConversationWordsError(f"{path}: " + "; ".join(problems)) from None
    # The lists as written (a set keeps no duplicate to find): each entry as messages are compared, once.
    problems = [problem for name in ConversationWords.model_fields for problem in _problems(name, raw[name])]
    problems += [
        f"grandchild_words: {who!r} (for {word!r}) is not one of relations"
        for word, who in words.grandchild_words.items()
        if who not in words.relations
    ]
    problems += [
        f"not_only_the_child: {word!r} is not one of child_words"
        for word in words.not_only_the_child
        if word not in words.child_words
    ]
    problems += [
        f"leaving_asked: {phrase!r} is not one of leaving"
        for phrase in words.leaving_asked
        if phrase not in words.leaving
    ]
    problems += [
        f"stopping_words: {phrase!r} is not one of cancel_words"
        for phrase in words.stopping_words
        if phrase not in words.cancel_words
    ]
    problems += [
        f"skip_other_words: {phrase!r} is in {other} already"
        for other in ("plain_skip", "later_words", "unsure_words")
        for phrase in sorted(words.skip_other_words & getattr(words, other))
    ]
    if problems:
        raise ConversationWordsError(f"{path}: " + "; ".join(problems))
    return words


def alternatives(phrases: tuple[str, ...], *, any_space: bool = False) -> str:
    """A list as a pattern's alternatives, in its order (the first that fits is taken), each literally; with
    ``any_space``, a space between words stands for any run of white space (for text not yet normalised)."""
    space = r"\s+" if any_space else re.escape(" ")
    return "|".join(space.join(re.escape(word) for word in phrase.split(" ")) for phrase in phrases)


@cache
def conversation_words() -> ConversationWords:
    """The packaged word lists, loaded (and checked) once per process."""
    return load_conversation_words()
