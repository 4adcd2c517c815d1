"""Answer a parent's message from the content, and only from the content.

All guidance in a reply is content text (indicators, strategies, background, stage summaries). The only
sentences written here are neutral framing ("Ways to help at 10 months:"), the gentle reminder that children
develop at their own pace, short replies to small talk, honest "not covered" replies and the pointer to the
child's doctor.

A typical answer is short: a one-line lead, the two or three best items and at most one background line; the
rest waits behind a "more" button (``Answer.more``). Answers prefer the child's own stage: another stage is
used only when nothing at the child's stage answers the question, and the answer then says so.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from itertools import pairwise

from bot.core.age_phrases import AgeMention, find_age_any_language, find_ages
from bot.core.ages import age_note, age_on, describe_age
from bot.core.emoji import Feeling, feeling
from bot.core.language import foreign_language, language_name
from bot.core.reply import MAX_MESSAGE_CHARS, SHORT_MESSAGE_CHARS
from bot.core.retrieval import Index, Query, Scored, index_for
from bot.core.text import esc as _e
from content import Band, Item, Kind, Library
from content.conversation import alternatives, conversation_words
from content.lexicon import Intent, OutOfScope

# The word lists kept as data in content/conversation.yaml (checked on load: a typo fails at start-up).
WORDS = conversation_words()

# A short answer: this many items (indicators and strategies) and at most one background line, in about
# this many characters; more waits behind the "more" button.
SHORT_ITEMS = 3
SHORT_CHARS = 800
MORE_ITEMS = 6
# An item shown must score at least this fraction of the best one, so one stray shared word is not enough.
RELATIVE_CUTOFF = 0.35
# Items behind the "more" button need only this fraction of the best one.
MORE_CUTOFF = 0.15
# A background line joins a short answer only when it scores this fraction of the best item (or a "why").
BACKGROUND_RATIO = 0.8
# The child's stages answer a question when an item there scores at least this much; only when none does,
# and another stage's item scores this much and ELSEWHERE_MARGIN times more, does the answer come from
# another stage (saying so).
HERE_MIN_SCORE = 4.0
ELSEWHERE_MARGIN = 2.0
# Another stage's item outweighs the child's own stages when its score from words alone is at least this, and
# OUTWEIGHED_RATIO times the best of the child's stages.
STRONG_ELSEWHERE = 10.0
OUTWEIGHED_RATIO = 3.0
# ... and it explains this many of the question's words (not negated) by phrasings or synonyms that no item of
# the child's own stages explains ("looking at faces" is the newborn's eye contact too).
OUTWEIGHED_WORDS = 2
OUTWEIGHED_PEERS = 1  # the child's own stages' best item by words
# The share of sentence similarity that counts towards HERE_MIN_SCORE (the ranker weighs it fully).
STAGE_SEMANTIC_SHARE = 0.4
# An answer must explain more than this share of the question's words, or at least ENOUGH_WORDS of them.
MIN_COVERAGE = 0.5
ENOUGH_WORDS = 3
# How the way a question asks favours a kind of item.
KIND_BOOST: dict[Intent | None, dict[Kind, float]] = {
    Intent.NORMAL: {Kind.INDICATOR: 1.4, Kind.STRATEGY: 0.8, Kind.BACKGROUND: 0.9},
    Intent.HELP: {Kind.INDICATOR: 0.6, Kind.STRATEGY: 1.6, Kind.BACKGROUND: 0.6},
    Intent.WHY: {Kind.INDICATOR: 1.0, Kind.STRATEGY: 0.8, Kind.BACKGROUND: 1.5},
    None: {Kind.INDICATOR: 1.0, Kind.STRATEGY: 1.0, Kind.BACKGROUND: 0.9},
}
# "How do I ..." always gets at least this many ways to help from the child's stages.
HELP_MIN_STRATEGIES = 2
# What a question naming no topic gets: "what's normal" the indicators, "how do I help" the strategies.
OVERVIEW: dict[Intent | None, tuple[Kind, ...]] = {
    Intent.NORMAL: (Kind.INDICATOR,),
    Intent.HELP: (Kind.STRATEGY,),
    None: (Kind.INDICATOR, Kind.STRATEGY),
}
HEADINGS = {
    Kind.INDICATOR: "You may notice:",
    Kind.STRATEGY: "Ways to help:",
    Kind.BACKGROUND: "Good to know:",
}
SHORT_HEADINGS = {Kind.INDICATOR: "You may notice:", Kind.STRATEGY: "Ways to help:"}
PACE = "<i>Every child develops at their own pace.</i>"
GENTLE = "<i>Every child develops at their own pace: these are common patterns, not a checklist.</i>"
# The end of the lead over what is typical ("Common patterns at 8 weeks, ..."): the same words as GENTLE.
COMMON_PATTERNS = "not a checklist: every child develops at their own pace."
DOCTOR = "If something about your child's health or development worries you, your child's doctor is the best person to ask."
URGENT = "If it feels urgent, get medical help right away."
# For the parent's own health (pregnancy, birth, mood): their own care, never the child's doctor.
OWN_DOCTOR = "For your own health, your own doctor, midwife or health visitor is the best person to ask."
# A safety net under every "couldn't find that": a parent in distress whose words the safety check missed
# still reads where help is, without an alarm that an ordinary question would not deserve.
# Under "couldn't find that", which ordinary questions meet too ("what's the capital of France?"), the net is
# calm: this line, and ``Answer.net`` set so the conversation adds a button to where to find support right
# away (helplines, the emergency number) instead of an emergency line under every such question.
NOT_FOUND_NET = (
    "And if things feel hard for you, your own doctor, midwife or health visitor is there for you too."
)
# One calm clause under "couldn't find that": the number in plain sight, for a parent the safety check missed.
NOT_FOUND_DANGER = "If anyone is in danger right now, call {call}."
# Said when the operator set no emergency number (the same words as the safety replies use).
LOCAL_NUMBER = "your local emergency number"
# Under the parent's own doctor named already: the emergency number, without naming that doctor again.
STRUGGLING = "And if anyone is in danger, call your local emergency number."
# Under the reply to another language, where no doctor was named before: the parent's own, and the number.
FOREIGN_STRUGGLING = (
    "If things feel hard for you, your own doctor, midwife or health visitor is there for you too. "
    "If anyone is in danger, call your local emergency number."
)
EXAMPLES = (
    "“what's normal at 10 months?”, “my baby cries when I leave the room” or “how do I help with tantrums?”"
)
# Unknown words a question may have and still get the stage overview ("what's normal at 10 months lol").
OVERVIEW_UNKNOWN = 1
# /normal shows this many of what is typical, and of ways to help; the rest waits behind "More".
TYPICAL_EACH = 3
# A message split into parts (several questions or children) shows this many items for each.
PART_ITEMS = 2
MAX_PARTS = 3


class Talk(StrEnum):
    """A message that asks nothing: said back kindly rather than searched for."""

    THANKS = "thanks"
    GREETING = "greeting"
    BYE = "bye"
    OK = "ok"
    SAD = "sad"  # a crying face alone: a kind word and where to turn
    BIRTHDAY = "birthday"  # "she turned 1 today 🎉": news to share, not a question
    NOT_HELPED = "not helped"  # "not helpful": a kind sorry and how else to ask, never "you're welcome"
    PROUD = "proud"  # "he's a little legend": praise of the child, not thanks to the bot


class Scope(StrEnum):
    """What kind of message a question turned out to be."""

    IN = "in"  # answered from the content
    OUT = "out"  # a subject the content does not cover, or an age past its last stage
    SMALLTALK = "smalltalk"  # hello, thanks, ok: no question at all
    FOREIGN = "foreign"  # not written in English


@dataclass(frozen=True)
class ChildInfo:
    """What the answer engine needs to know about a child (the conversation layer maps a Child to this)."""

    name: str  # empty when the parent gave none (``securebase ask``): the answer then says "at 9 months"
    birthdate: date
    due_date: date | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    age_months: int | None  # the age the answer is about, in completed months
    corrected: bool
    bands: tuple[Band, ...]  # the stages the answer is about (every stage when no age is known)
    in_scope: bool
    items: tuple[Item, ...]  # content items shown, most relevant first
    text: str  # Telegram HTML, escaped, under 4096 characters
    scope: Scope = Scope.IN
    more: tuple[Item, ...] = ()  # relevant items not shown, for the "more" button
    # With no age known: the best items at each stage, for a "how old is your child?" choice.
    by_stage: tuple[tuple[Band, tuple[Item, ...]], ...] = ()
    age_named: bool = False  # the question itself named the age (so it needs no child)
    net: bool = False  # "couldn't find that": the conversation offers where to find support, by button


@dataclass(frozen=True)
class _Age:
    months: int
    label: str  # "10 months", "6 weeks"
    corrected: bool
    who: str | None  # the child's name, when the age is the child's
    due: str = ""  # "due date still 3 weeks ahead": said in place of "corrected" before the due date


@dataclass(frozen=True)
class _Part:
    text: str
    age: _Age | None
    spans: tuple[tuple[int, int], ...]


def answer(
    question: str, *, library: Library, today: date, child: ChildInfo | None, call: str = LOCAL_NUMBER
) -> Answer:
    """Answer ``question``. An age named in it wins over ``child``; with neither, every stage is used.
    ``call``: the emergency number to name under "couldn't find that" (HTML-escaped)."""
    index = index_for(library)
    kind = _small_talk(question, index)
    if kind is not None:
        said = find_ages(question)
        known = _child_age(child, today) if child is not None and child.birthdate <= today else None
        return Answer(
            question,
            said[0].months if said else known.months if known else None,
            False,
            (),
            False,
            (),
            _small_talk_reply(kind),
            Scope.SMALLTALK,
            net=kind is Talk.SAD,  # a feeling low: where to find support, a tap away
        )
    language = foreign_language(question, index.vocabulary, index.mendable)
    if language is not None:
        named = find_age_any_language(question)
        months = named.months if named else None
        return Answer(question, months, False, (), False, (), _foreign_reply(language), Scope.FOREIGN)
    mentions = find_ages(question)
    child_age = _child_age(child, today) if child is not None and child.birthdate <= today else None
    parts = _with_follow_ups(_split(question, mentions, child_age), index)
    if len(parts) == 1:
        return _answer_part(
            question, parts[0], index, child_age, named=bool(mentions), limit=SHORT_ITEMS, call=call
        )
    answers = [
        _answer_part(
            part.text,
            part,
            index,
            child_age,
            named=bool(mentions),
            limit=PART_ITEMS,
            skip_whole=question,
            call=call,
        )
        for part in parts
    ]
    return _combine(question, answers, bool(mentions), _singled_out(question, answers))


# "my 3 year old and 10 month old both start ... the baby's the one I'm worried about": of several children,
# the one the parent singles out is whom the answer is for (the youngest or the eldest), else the first named.
_WHO = alternatives((*WORDS.singled_out_youngest, *WORDS.singled_out_eldest), any_space=True)
_SINGLED_OUT = re.compile(
    rf"\b(?:(?:the|my|our)\s+(?P<who>{_WHO})(?:(?:'s|\s+is)\s+(?:the\s+one|who|that\s+i'?m)"
    r"|\s+(?:i'?m|i\s+am|we'?re)\s+(?:worried|concerned))"
    rf"|(?:worried|concerned|asking)\s+(?:about|for)\s+(?:is\s+)?(?:the|my|our)\s+(?P<about>{_WHO}))\b",
    re.I,
)
_YOUNGEST = frozenset(WORDS.singled_out_youngest)


def _singled_out(question: str, answers: list[Answer]) -> int | None:
    """The age of the child the parent singles out among several (:data:`_SINGLED_OUT`), if any."""
    match = _SINGLED_OUT.search(question)
    ages = [a.age_months for a in answers if a.in_scope and a.age_months is not None]
    if match is None or len(set(ages)) < 2:
        return None
    who = re.sub(r"\s+", " ", (match["who"] or match["about"]).lower())
    return min(ages) if who in _YOUNGEST else max(ages)


def typical_now(child: ChildInfo, *, library: Library, today: date) -> Answer:
    """What is typical at the child's age today, and ways to help: for /normal and the end of onboarding.

    Raises DateProblem when the child is not born yet as of ``today``.
    """
    age = _child_age(child, today)
    question = f"What's typical for {child.name or 'your child'} now?"
    bands = library.bands_at(age.months)
    if not bands:
        return Answer(
            question, age.months, age.corrected, (), False, (), _past_last_band(age, library), Scope.OUT
        )
    each = TYPICAL_EACH if len(bands) == 1 else TYPICAL_EACH - 1  # overlapping stages take room to say
    first = [
        *_interleaved(bands, (Kind.INDICATOR,))[:each],
        *_interleaved(bands, (Kind.STRATEGY,))[:each],
    ]
    text, shown = _compose_full(library, bands, first, age)
    rest = tuple(item for item in _overview(bands, (Kind.INDICATOR, Kind.STRATEGY)) if item not in shown)
    return Answer(question, age.months, age.corrected, bands, True, shown, text, more=rest)


def more_text(library: Library, items: Sequence[Item]) -> str:
    """The "more" reply: further items, grouped by kind, each with its stage."""
    return more_page(library, items)[0]


def more_page(library: Library, items: Sequence[Item]) -> tuple[str, tuple[Item, ...]]:
    """The "more" reply as much as fits a short message, and the items left for another "more"."""
    text, shown = _compose_full(library, (), items, None, label_each=True)
    return text, tuple(items[len(shown) :])


# --- one question ---


def _answer_part(
    question: str,
    part: _Part,
    index: Index,
    child_age: _Age | None,
    *,
    named: bool,
    limit: int,
    skip_whole: str | None = None,
    call: str = LOCAL_NUMBER,
) -> Answer:
    library = index.library
    age = part.age
    months = age.months if age else None
    corrected = age.corrected if age else False

    def refuse(text: str) -> Answer:
        return Answer(question, months, corrected, (), False, (), text, Scope.OUT, age_named=named)

    def lost() -> Answer:
        return replace(refuse(_not_found(library, call, mine=_only_mine(question))), net=True)

    if age is not None and age.months > _last_month(library):
        return refuse(_past_last_band(age, library))
    query = index.analyse(part.text, part.spans)
    if skip_whole is not None and (
        not query.topical
        # "the baby (9 months) and her big brother (26 months) both ...": a part that only says who a child is
        or (
            query.out_of_scope
            and all(subject.names_child for subject in query.out_of_scope)
            and query.stems <= query.out_of_scope_stems
        )
    ):
        query = index.analyse(skip_whole, _all_spans(skip_whole))  # "and my 2 year old too": the shared topic
    if age is not None:
        bands = library.bands_at(age.months)
    else:
        bands = _hinted_bands(library, query) or library.bands
    if not query.topical:
        if query.out_of_scope:  # outside the guidance: where to find support, a tap away there too
            return replace(refuse(_outside(query.out_of_scope, library, part.text)), net=True)
        if len(query.unknown) <= OVERVIEW_UNKNOWN and (
            query.intent in (Intent.NORMAL, Intent.HELP) or (age is not None and named)
        ):
            items = _interleaved(bands, OVERVIEW.get(query.intent, OVERVIEW[None]))
            return _finish(question, library, bands, items, age, query, limit, elsewhere=(), named=named)
        return lost()
    if (
        query.intent is Intent.NORMAL
        and age is not None
        and not query.out_of_scope
        and query.stems <= _overview_stems(index)
    ):
        # "what should I be noticing at 14 months in terms of our relationship?", "almost 2, what should she be
        # doing with the people around her by now": what is typical at that age, the stage overview.
        items = _interleaved(bands, OVERVIEW[Intent.NORMAL])
        return _finish(question, library, bands, items, age, query, limit, elsewhere=(), named=named)
    scored = index.scored(query)
    by_words = sorted(scored, key=lambda s: -s.lexical)[:3]
    explained = max((index.explained(s, query) for s in by_words), default=0.0)
    # The content answers when one of its best items explains at least as much of the question as the
    # uncovered subjects it leaves (a tie goes to the content).
    # Items of a concept the parent names ("have we missed the *bonding window*") are candidates too.
    named_concept = index.concept_items(query)
    candidates = by_words + [s for s in scored if s.item.id in named_concept][:3]
    answers_it = any(index.explained(s, query) >= index.uncovered(s, query) for s in candidates)
    if not scored or (query.out_of_scope and not answers_it):
        if query.out_of_scope:
            return replace(refuse(_outside(query.out_of_scope, library, part.text)), net=True)
        return lost()
    if explained <= 0:
        return lost()  # "flaps his hands": one shared word is no answer
    band_ids = {band.id for band in bands}
    here = [s for s in scored if s.item.band_id is None or s.item.band_id in band_ids]
    # Whether the child's stages answer weighs sentence similarity less than ranking does: every item is a
    # little similar to every question, so similarity alone must not keep an answer at the wrong stage.
    best_banded_here = max((_stage_score(s) for s in here if s.item.band_id), default=0.0)
    elsewhere: tuple[Band, ...] = ()
    pool = here
    others = [s for s in scored if s.item.band_id and s.item.band_id not in band_ids]
    others.sort(key=lambda s: -s.lexical)
    best_by_words_here = max((s.lexical for s in here if s.item.band_id), default=0.0)
    # "hides behind my legs when someone new talks to him" at 27 months: an item of another stage that the
    # words point at far more strongly than anything of the child's own stages is the subject; the child's
    # stages merely share a word ("talk").
    # A negated behaviour ("doesn't mind strangers") is not what the other stage describes, so negated words
    # do not count towards it.
    top_here = sorted((s for s in here if s.item.band_id), key=lambda s: -s.lexical)[:OUTWEIGHED_PEERS]
    explained_here = {stem for s in top_here for stem in s.own}  # not words a synonym merely lends it
    # A parent's own action negated ("go without saying goodbye") is still that action: only a child's
    # behaviour negated ("doesn't mind strangers") is another subject.
    not_done = query.negated_stems if others and others[0].item.kind is not Kind.STRATEGY else frozenset()
    outweighed = (
        bool(others)
        and len(others[0].strong - not_done - explained_here) >= OUTWEIGHED_WORDS
        and others[0].lexical >= max(STRONG_ELSEWHERE, OUTWEIGHED_RATIO * best_by_words_here)
    )
    answered_here = (best_banded_here >= HERE_MIN_SCORE and not outweighed) or (
        # "how do I bond": the child's stages always have ways to help, and a concept's items there answer
        query.intent is Intent.HELP
        or any(s.item.id in index.concept_items(query) for s in here if s.item.band_id)
    )
    # Moving to another stage needs the words to say so: sentence similarity alone never does.
    if (
        not answered_here
        # with no age, a word like "toddler" only hints at the stages: the words may still point elsewhere
        and (age is not None or query.hints)
        and others
        and others[0].lexical >= max(HERE_MIN_SCORE, ELSEWHERE_MARGIN * best_by_words_here)
    ):
        pool = others + [s for s in here if s.item.band_id is None]
        pool.sort(key=lambda s: -s.score)
        elsewhere = tuple(b for b in library.bands if b.id not in band_ids)
    if not answered_here and not elsewhere:
        pool = [s for s in here if s.lexical > 0]  # a weak question: only items its words point at
    ordered = _order(pool, query.intent)
    if query.intent is Intent.HELP and not elsewhere:
        ordered = _with_strategies(ordered, bands)
    if not ordered:
        return lost()
    further = [i for i in _order(pool, query.intent, MORE_CUTOFF) if i not in ordered]
    return _finish(
        question,
        library,
        bands,
        ordered,
        age,
        query,
        limit,
        elsewhere=elsewhere,
        named=named,
        scored=here,
        further=further,
    )


# Words that name a child's relationships or social side in general, no behaviour of them: with an age and "what
# should ... be doing / noticing", the question asks what is typical at that age. ("Attached" and "bond" are
# left to their concept, whose items answer "how do I know he's attached".)
_OVERVIEW_WORDS = (
    "relationship",
    "relationships",
    "people",
    "terms",
    "social",
    "socially",
    "emotional",
    "emotionally",
    "development",
    "wise",
    "side",
    "around",
    "noticing",
    "notice",
    "others",
    "comes",  # "when it comes to our relationship"
)


@functools.cache
def _overview_stems(index: Index) -> frozenset[str]:
    return frozenset(index.stem(word) for word in _OVERVIEW_WORDS)


def _stage_score(scored: Scored) -> float:
    """An item's score with its sentence-similarity part at STAGE_SEMANTIC_SHARE, for the choice of stage."""
    return scored.lexical + STAGE_SEMANTIC_SHARE * (scored.score - scored.lexical)


def _order(pool: list[Scored], intent: Intent | None, cutoff: float = RELATIVE_CUTOFF) -> list[Item]:
    """Items by score, weighted by what the question asks for; weak ones (below the cut-off) left out."""
    boost = KIND_BOOST[intent]
    weighted = sorted(((s.score * boost[s.item.kind], s.item) for s in pool), key=lambda p: -p[0])
    if not weighted:
        return []
    top = weighted[0][0]
    return [item for score, item in weighted if score >= cutoff * top]


def _with_strategies(ordered: list[Item], bands: Sequence[Band]) -> list[Item]:
    """A "how do I" answer always has ways to help from the child's stages, the relevant ones first."""
    band_ids = {band.id for band in bands}
    have = [i for i in ordered[:SHORT_ITEMS] if i.kind is Kind.STRATEGY and i.band_id in band_ids]
    if len(have) >= HELP_MIN_STRATEGIES:
        return ordered
    ranked_strategies = [i for i in ordered if i.kind is Kind.STRATEGY and i.band_id in band_ids]
    fill = ranked_strategies + [s for band in bands for s in band.strategies if s not in ranked_strategies]
    strategies = fill[: max(HELP_MIN_STRATEGIES, len(have))]
    rest = [i for i in ordered if i not in strategies]
    return strategies + rest


def _finish(
    question: str,
    library: Library,
    bands: tuple[Band, ...],
    ordered: Sequence[Item],
    age: _Age | None,
    query: Query,
    limit: int,
    *,
    elsewhere: tuple[Band, ...],
    named: bool,
    scored: Sequence[Scored] = (),
    further: Sequence[Item] = (),
) -> Answer:
    banded = [i for i in ordered if i.kind is not Kind.BACKGROUND]
    background = [i for i in ordered if i.kind is Kind.BACKGROUND]
    shown = banded[:limit]
    # A background line leads when it is what a "why" (or "at what age") asks, when it is simply the best
    # answer to a question that asks neither what is typical nor how to help ("did that break our bond?"),
    # or when the child's own stages say nothing and the items come from another stage: background holds at
    # every age.
    lead_background = bool(background) and (
        not shown
        or (
            ordered.index(background[0]) < ordered.index(shown[0])
            and (query.intent is Intent.WHY or (query.intent is None and ordered[0] is background[0]))
        )
        or bool(elsewhere)
    )
    if (
        background
        and shown
        and limit < SHORT_ITEMS
        and (query.intent is Intent.WHY or (query.intent is None and _ASKS.search(question) is not None))
        and ordered[0] is background[0]
    ):
        # One part of several ("why does it matter? ... is it genes?"): a part asking why (or asking neither
        # what is typical nor how to help) still leads with what explains it, in the room of its last item,
        # so each part stays short. A part that asks nothing ("we adopted him, he's 21 months and") does not.
        shown = [background[0], *shown[: limit - 1]]
    elif (
        background
        and (lead_background or _strong_background(ordered, background[0]))
        and limit >= SHORT_ITEMS
    ):
        shown = [background[0], *shown] if lead_background else [*shown, background[0]]
    elif background and not shown:
        shown = [background[0]]
    shown_set = set(shown)
    more = tuple(i for i in [*ordered, *further] if i not in shown_set)[:MORE_ITEMS]
    index = index_for(library)
    strong = {stem for s in scored if s.item in shown_set for stem in s.strong}
    strong.update(stem for item in shown for stem in index.item_stems(item))
    if query.out_of_scope_stems <= strong:  # "feeds her doll": the uncovered word was part of the question
        query = replace(query, out_of_scope=())
    health = any(s.health for s in query.out_of_scope)
    shown_bands = {i.band_id for i in shown}
    elsewhere = tuple(b for b in elsewhere if b.id in shown_bands)
    text, kept = _compose_short(library, bands, shown, age, query, elsewhere=elsewhere, health=health)
    more = tuple(i for i in shown if i not in kept) + more
    by_stage: tuple[tuple[Band, tuple[Item, ...]], ...] = ()
    if age is None:
        by_stage = _by_stage(library, scored, query.intent)
    return Answer(
        question,
        age.months if age else None,
        age.corrected if age else False,
        bands,
        True,
        kept,
        text,
        Scope.IN,
        more[:MORE_ITEMS],
        by_stage,
        named,
    )


def _strong_background(ordered: Sequence[Item], item: Item) -> bool:
    """A background line earns its place near the top of the relevance order, never as padding."""
    position = ordered.index(item)
    return position < SHORT_ITEMS


def _by_stage(
    library: Library, scored: Sequence[Scored], intent: Intent | None
) -> tuple[tuple[Band, tuple[Item, ...]], ...]:
    stages = []
    for band in library.bands:
        at = [s for s in scored if s.item.band_id == band.id]
        items = tuple(_order(at, intent)[:SHORT_ITEMS]) if at else ()
        stages.append(
            (band, items or tuple(_overview((band,), OVERVIEW.get(intent, OVERVIEW[None])))[:SHORT_ITEMS])
        )
    return tuple(stages)


def _overview(bands: Sequence[Band], kinds: Sequence[Kind]) -> list[Item]:
    """Every indicator and/or strategy of the stages, kind by kind, youngest stage first."""
    return [
        item
        for kind in kinds
        for band in bands
        for item in (band.indicators if kind is Kind.INDICATOR else band.strategies)
    ]


def _interleaved(bands: Sequence[Band], kinds: Sequence[Kind]) -> list[Item]:
    """The overview taking turns between overlapping stages, so a short answer shows each of them."""
    columns = [
        [i for kind in kinds for i in (band.indicators if kind is Kind.INDICATOR else band.strategies)]
        for band in bands
    ]
    return [
        column[n] for n in range(max(map(len, columns), default=0)) for column in columns if n < len(column)
    ]


def _hinted_bands(library: Library, query: Query) -> tuple[Band, ...]:
    """Stages a word like "baby" or "toddler" points at, when nothing else tells the age."""
    return tuple(
        band
        for band in library.bands
        if any(
            band.first_month <= hint.last_month and hint.first_month <= band.last_month
            for hint in query.hints
        )
    )


# --- messages with several parts ---

_QUESTION_END = re.compile(r"(?<=[?])\s+")


def _split(question: str, mentions: list[AgeMention], child_age: _Age | None) -> list[_Part]:
    """One part per named age ("my 8 month old and my 2 year old"), or per question ("...? ...?")."""
    ages = [_mention_age(m) for m in mentions]
    distinct = list(dict.fromkeys(a.months for a in ages))
    if len(distinct) > 1:
        parts = []
        starts = [m.span[0] for m in mentions] + [len(question)]
        for n, mention in enumerate(mentions[:MAX_PARTS]):
            begin = 0 if n == 0 else _clause_start(question, starts[n])
            end = _clause_start(question, starts[n + 1]) if n + 1 < len(mentions) else len(question)
            text = question[begin:end]
            span = (mention.span[0] - begin, mention.span[1] - begin)
            parts.append(_Part(text, ages[n], (span,)))
        unique: dict[int, _Part] = {}
        for part in parts:
            if part.age is not None:
                unique.setdefault(part.age.months, part)
        return list(unique.values())
    age = ages[0] if ages else child_age
    spans = tuple(m.span for m in mentions)
    pieces = _questions(question)
    if len(pieces) > 1 or pieces[0] != (0, len(question)):
        parts = []
        for start, end in pieces[:MAX_PARTS]:
            own = tuple((a - start, b - start) for a, b in spans if start <= a < end)
            parts.append(_Part(question[start:end], age, own))
        return parts
    return [_Part(question, age, spans)]


# A piece after a "?" is a question of its own only when it asks something ("...? how do I help?"); else it
# is context for the question before it ("...? mine's 5 months and still topples over").
_ASKS = re.compile(
    r"\?|^\s*(?:how|what|why|when|where|which|who|is|are|am|do|does|did|should|shall|can|could|will|would"
    r"|any|anything|tips|help|advice)\b",
    re.I,
)


def _with_follow_ups(parts: list[_Part], index: Index) -> list[_Part]:
    """A question that names no subject and no age of its own ("...? how does that even work", "...? what
    should I do") asks about the one before it: it joins that part, so its frame applies to that subject."""
    joined: list[_Part] = []
    for part in parts:
        query = None if part.spans or not joined else index.analyse(part.text)
        if query is not None and not (query.topical or query.out_of_scope):
            before = joined[-1]
            joined[-1] = _Part(f"{before.text} {part.text}", before.age, before.spans)
        else:
            joined.append(part)
    return joined


def _questions(question: str) -> list[tuple[int, int]]:
    """Where each question of the message is: split after each "?", and context after a question ("...? my
    dad says we turned out fine") left out, since what it says is not what is asked."""
    bounds = [0] + [m.end() for m in _QUESTION_END.finditer(question)] + [len(question)]
    pieces = [(a, b) for a, b in pairwise(bounds) if question[a:b].strip()]
    asking = [(a, b) for n, (a, b) in enumerate(pieces) if n == 0 or _ASKS.search(question[a:b])]
    return asking or [(0, len(question))]


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding ``position`` begins: back over "and my" / "my" / ", ..."."""
    before = text[:position]
    match = re.search(r"(?:,|\band\b|\bwhile\b|\bbut\b|;)?\s*(?:(?:my|our|the|his|her)\s+)?$", before, re.I)
    return match.start() if match else position


def _all_spans(question: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span for m in find_ages(question))


def _combine(question: str, answers: list[Answer], named: bool, singled: int | None = None) -> Answer:
    """Several parts in one reply, each under its own heading when the ages differ; ``singled``: the age of
    the child the parent singles out, whose part comes first."""
    if singled is not None:
        answers = sorted(answers, key=lambda a: a.age_months != singled)
    texts = [part.text for part in answers]
    text = "\n\n".join(texts)
    while len(text) >= MAX_MESSAGE_CHARS and len(texts) > 1:
        texts.pop()
        text = "\n\n".join(texts)
    items = tuple(dict.fromkeys(i for a in answers for i in a.items))
    in_scope = any(a.in_scope for a in answers)
    bands = tuple(dict.fromkeys(b for a in answers for b in a.bands))
    first = next((a for a in answers if a.in_scope), answers[0])
    return Answer(
        question,
        first.age_months,
        first.corrected,
        bands,
        in_scope,
        items,
        text,
        Scope.IN if in_scope else Scope.OUT,
        tuple(dict.fromkeys(i for a in answers for i in a.more if i not in items))[:MORE_ITEMS],
        (),
        named,
        any(a.net for a in answers),
    )


# --- small talk and other languages ---

# Words that change nothing in a thanks, a greeting or an ok ("hey bot", "just wanted to say thanks").
_SMALL_TALK_FILLER = WORDS.small_talk_filler
# Praise of an answer is thanks: "that's really reassuring 🙂", "super useful", "what a relief", "you're a star".
_PRAISE = WORDS.praise_words
# Thanks in a word: "thanks", "cheers", "thank u", "tysm".
_THANKS = WORDS.thanks_words
_GREETING = WORDS.greeting_words
# "love this bot", "love it": praise said as a phrase.
_PRAISE_PHRASE = re.compile(rf"\b(?:{alternatives(WORDS.praise_phrases)})\b")
# "not helpful", "that wasn't really useful": praise negated (up to two words between) is no thanks.
_NOT_PRAISED = re.compile(
    rf"\b(?:{alternatives(WORDS.negations)})\s+(?:[a-z]+\s+){{0,2}}(?:{alternatives(tuple(sorted(_PRAISE)))})\b"
)
_PRAISED = re.compile(rf"\b(?:{alternatives(tuple(sorted(_PRAISE)))})\b")
# "he's a little legend", "she's such a star": praise said of the child is news a parent shares, not thanks.
_CHILD_WORDS = frozenset(WORDS.child_words)
_BYE = WORDS.goodbyes
# "see you later", "catch you later", "later!", "night night": a goodbye said whole. "later" or "night" inside a
# question ("what about later on", "up all night with her") is no goodbye.
_GOODBYE_PHRASE = re.compile(
    r"\b(?:(?:see|catch|talk\s+to|speak\s+to)\s+(?:you|ya|u)(?:\s+(?:later|soon|tomorrow|then))?"
    r"|talk\s+(?:later|soon)|bye\s+for\s+now|night\s+night|good\s*night)\b"
)
_GOODBYE_ALONE = re.compile(
    rf"^\W*(?:(?:ok|okay|maybe|right|thanks|cheers)\W+)*(?:{alternatives(WORDS.goodbye_alone)})(?:\W+then)?\W*$"
)
# "merry christmas", "happy new year", "hi, how are you?", "are you a real person?": a greeting, or a question
# to the bot itself, asks nothing of the guidance.
_GREETING_PHRASE = re.compile(
    rf"\b(?:merry\s+(?:christmas|xmas)|happy\s+(?:{alternatives(WORDS.happy_occasions, any_space=True)})"
    r"|season'?s\s+greetings"
    r"|how\s+(?:are|r)\s+(?:you|u)(?:\s+(?:doing|today))?|how'?s\s+it\s+going|what'?s\s+up"
    r"|(?:are\s+you|is\s+this|am\s+i\s+(?:talking|chatting|speaking)\s+(?:to|with))\s+(?:a\s+)?(?:real\s+)?"
    rf"(?:{alternatives(WORDS.bot_words)})(?:\s+or\s+(?:an?\s+)?(?:real\s+)?(?:{alternatives(WORDS.bot_words)}))?"
    r"|who\s+(?:are\s+you|am\s+i\s+talking\s+to|made\s+you)|what'?s\s+your\s+name)\b"
)
# "i'll give that a go", "will try that tonight": an answer taken on board, an ok.
_WILL_TRY = re.compile(
    r"\b(?:give\s+(?:that|it|this)\s+a\s+(?:go|try)|(?:will|i'?ll|gonna)\s+try\s+(?:that|it|this))\b"
)


def _small_talk(question: str, index: Index) -> Talk | None:
    """ "thanks", "greeting", "bye" or "ok" when the message is no question at all, else None."""
    found = re.findall(r"[^\W\d_]+", question.lower())
    if "?" in question:
        # "hi, can you help me?": a hello with an offer of help asks nothing yet; any other "?" asks something.
        lowered = question.lower()
        if (any(w in _GREETING for w in found) and _CAN_YOU_HELP.search(lowered)) or _GREETING_PHRASE.search(
            lowered
        ):
            return _pleasantry(question.replace("?", " "), found, index)
        return None
    if not found:
        if feeling(question) is Feeling.SAD:  # "😢" alone: no question, but no "ok" either
            return Talk.SAD
        return Talk.OK if question.strip() and not re.search(r"\d", question) else None
    if _BIRTHDAY.search(question.lower()):
        return _birthday(question, index)
    vocabulary = index.small_talk_words
    if not all(w in vocabulary or w in _SMALL_TALK_FILLER or w in _PRAISE for w in found):
        return _pleasantry(question, found, index)
    praise = _praise(question)
    if praise is not None:
        return praise
    if any(w in _GREETING for w in found):
        return Talk.GREETING
    if any(w in _BYE for w in found):
        return Talk.BYE
    return Talk.OK


def _praise(question: str) -> Talk | None:
    """Thanks ("thanks", "that's really reassuring", "love this bot"), praise negated ("not helpful": not
    helped), praise of the child with no thanks ("he's a little legend", "my 2 year old is a star": proud, the
    child or an age said before the praise), or None (no praise said)."""
    lowered = question.lower().replace("’", "'")
    if _NOT_PRAISED.search(lowered):
        return Talk.NOT_HELPED
    if any(w in _THANKS for w in re.findall(r"[^\W\d_]+", lowered)):
        return Talk.THANKS
    praised = _PRAISED.search(lowered) or _PRAISE_PHRASE.search(lowered)
    if praised is None:
        return None
    before = re.findall(r"[^\W\d_]+", lowered[: praised.start()])
    if any(w in _CHILD_WORDS for w in before) or any(
        m.span[0] < praised.start() for m in find_ages(question)
    ):
        return Talk.PROUD
    return Talk.THANKS


_OK_FORMS = frozenset(
    {
        "ok",
        "okay",
        "k",
        "kk",
        "cool",
        "alright",
        "right",
        "noted",
        "understood",
        "hmm",
        "hm",
        "aw",
        "aww",
        "ahh",
    }
)
# "can you help me?" beside a hello: still no question.
_CAN_YOU_HELP = re.compile(
    r"\b(?:(?:can|could|would)\s+you\s+help(?:\s+me)?|i\s+(?:need|want)\s+(?:some\s+|a\s+bit\s+of\s+)?help"
    r"|i(?:\s+have|'ve\s+got|\s+got)\s+(?:a\s+(?:quick\s+)?|some\s+)?questions?"
    r"|(?:can|could|may)\s+i\s+ask\s+(?:you\s+)?(?:a\s+(?:quick\s+)?)?(?:question|something)"
    # "hello? is anyone there", "hi, are you there?": checking someone is listening asks nothing yet
    r"|(?:is\s+)?any(?:one|body)\s+(?:there|here|around|about)|are\s+you\s+(?:there|here|around|awake|real))"
    r"(?:\s+please)?\b"
)
# Everyday words a pleasantry is padded with ("will try that", "just found this bot", "new here"): they name
# no subject of the guidance, so alone beside a thanks or a hello they do not make a question.
_PLEASANTRY_WORDS = WORDS.pleasantry_words
# "just signed up": "up" is a pleasantry only here, not in "up all night" or "what's up with him".
_SIGNED_UP = re.compile(r"\b(?:sign(?:ed|ing)?|join(?:ed)?)\s+up\b")
PLEASANTRY_MAX_WORDS = 10
OK_MAX_WORDS = 6  # "okay, will give that a try"; a longer message with "ok" in it is more than an ok


def _pleasantry(question: str, words: list[str], index: Index) -> Talk | None:
    """ "thanks thats really helpful x", "good morning! just found this bot": a thanks or a hello padded with
    everyday words that name no subject (no topic word, no age) is small talk too."""
    praise = _praise(question)
    ages = find_ages(question)
    if ages:
        # "hiya, just joined, my lo is 4 months": a hello that says how old the child is is still a hello, and
        # "thank you, that really helped with my 10 month old" still a thanks.
        if not (any(w in _GREETING for w in words) or praise is Talk.THANKS):
            return None
        for mention in sorted(ages, key=lambda m: -m.span[0]):
            question = question[: mention.span[0]] + " " + question[mention.span[1] :]
        words = re.findall(r"[^\W\d_]+", question.lower())
    if len(words) > PLEASANTRY_MAX_WORDS:
        return None
    lowered = question.lower()
    greeting = any(w in _GREETING for w in words) or bool(_GREETING_PHRASE.search(lowered))
    # "how are you?", "what's up?": a greeting only when it is the whole message, not "how are you meant to
    # know?" or "what's up with my son?"
    greeting_phrase = bool(_GREETING_PHRASE.search(lowered))
    if greeting:
        words = re.findall(r"[^\W\d_]+", _GREETING_PHRASE.sub(" ", _CAN_YOU_HELP.sub(" ", lowered)))
    bye = bool(_GOODBYE_ALONE.match(lowered) or _GOODBYE_PHRASE.search(lowered))
    if bye:
        words = re.findall(r"[^\W\d_]+", _GOODBYE_PHRASE.sub(" ", _GOODBYE_ALONE.sub(" ", lowered)))
    if praise is Talk.NOT_HELPED:  # "that wasn't very helpful tbh": the negated praise is said
        words = re.findall(r"[^\W\d_]+", _NOT_PRAISED.sub(" ", lowered.replace("’", "'")))
    bye = bye or any(w in _BYE and w != "night" for w in words)
    words = re.findall(r"[^\W\d_]+", _SIGNED_UP.sub(" ", " ".join(words)))
    tried = bool(_WILL_TRY.search(lowered))
    if tried:
        words = re.findall(r"[^\W\d_]+", _WILL_TRY.sub(" ", lowered))
    short_ok = len(words) <= OK_MAX_WORDS and (any(w in _OK_FORMS for w in words) or tried)
    if not (praise or greeting or bye or short_ok):
        return None
    known = index.small_talk_words | _SMALL_TALK_FILLER | _PRAISE | _THANKS | _OK_FORMS | (_BYE - {"night"})
    rest = [w for w in words if w not in known and w not in _PLEASANTRY_WORDS]
    if rest and greeting_phrase:
        return None
    if rest:
        query = index.analyse(" ".join(rest))
        if query.topical or query.out_of_scope or query.intent is not None or len(rest) > 2:
            return None
    return praise or (Talk.GREETING if greeting else Talk.BYE if bye else Talk.OK)


# "she turned 1 today", "it's his first birthday": news a parent shares.
_BIRTHDAY = re.compile(r"\b(?:birthday|bday|b-day|turn(?:ed|s)\b.*\btoday)\b")
_BIRTHDAY_WORDS = frozenset(
    {"birthday", "bday", "b", "day", "turned", "turns", "today", "first", "second", "third", "happy", "yay"}
)


def _birthday(question: str, index: Index) -> Talk | None:
    """A birthday shared ("my little one turned 1 today 🎉") when nothing else in it names a subject."""
    for mention in sorted(find_ages(question), key=lambda m: -m.span[0]):
        question = question[: mention.span[0]] + " " + question[mention.span[1] :]
    words = re.findall(r"[^\W\d_]+", question.lower())
    known = index.small_talk_words | _SMALL_TALK_FILLER | _PLEASANTRY_WORDS | _BIRTHDAY_WORDS
    rest = [w for w in words if w not in known]
    if len(words) > PLEASANTRY_MAX_WORDS:
        return None
    if rest:
        query = index.analyse(" ".join(rest))
        if query.topical or query.out_of_scope or query.intent is not None:
            return None
    return Talk.BIRTHDAY


def _small_talk_reply(kind: Talk) -> str:
    return {
        Talk.THANKS: "You're welcome! Ask me anything else whenever you like.",
        Talk.GREETING: f"Hello! Ask me anything about your child and your bond, for example {EXAMPLES}",
        Talk.BYE: "Take care! I'm here whenever you have a question.",
        Talk.BIRTHDAY: "How lovely, happy birthday to your little one! Ask me anything whenever you like.",
        Talk.PROUD: "How lovely! Ask me anything about your little one whenever you like.",
        Talk.NOT_HELPED: (
            "I'm sorry that wasn't helpful. You could try asking in other words, for example "
            f"{EXAMPLES}\n\n{NOT_FOUND_NET}"
        ),
        Talk.SAD: (
            "I'm sorry if things feel hard right now. You can write to me whenever you like, and your own "
            "doctor, midwife or health visitor is there for you too."
        ),
    }.get(kind, "I'm here whenever you have a question.")


def _foreign_reply(language: str) -> str:
    return (
        f"It looks like you wrote in {_e(language_name(language))}. For now I can only answer in English: "
        f"could you ask me in English? For example {EXAMPLES}\n\n{FOREIGN_STRUGGLING}"
    )


# --- ages ---


def _child_age(child: ChildInfo, today: date) -> _Age:
    child_age = age_on(child.birthdate, today, child.due_date)
    due = age_note(child_age) if child_age.by_birth else ""
    return _Age(child_age.months, describe_age(child_age), child_age.corrected, child.name or None, due)


def _mention_age(mention: AgeMention) -> _Age:
    return _Age(mention.months, mention.label, corrected=False, who=None)


def _last_month(library: Library) -> int:
    return max((band.last_month for band in library.bands), default=0)


# --- text ---


def _topics(library: Library) -> str:
    titles = ", ".join(topic.title.lower() for topic in library.topics)
    return f"{titles}, from birth to {_last_month(library)} months"


# The parent speaking of their own body ("I have mastitis", "I've been having chest pains"): a health subject
# may be theirs, so their own doctor, midwife or health visitor is named too (never the child's alone).
_OF_MYSELF = re.compile(
    r"\bi(?:'ve|’ve| have| ve)? (?:got|had|keep getting)\b|\bi (?:have|get)\b(?! (?:a|an|my|two|twins|\d))"
    r"|\bi(?:'m|’m| am| m) (?:having|getting|suffering)\b|\bi(?:'ve|’ve| have| ve) been (?:having|getting|suffering)\b"
    r"|\bi(?:'m|’m| am| m) in (?:\w+ ){0,2}pain\b"
    r"|\bmy (?:[\w-]+ )?(?:back|head|stitches|scar|body|boobs|breasts|wrists?|hips?|pelvis|tummy|stomach|legs?|neck|shoulders?)"
    r"(?: \w+){0,2} (?:hurts?|hurting|aches?|aching|sore|killing me|throbbing|agony)\b",
    re.IGNORECASE,
)


# A word for the child (content/conversation.yaml's child_words, without "they" and "their", which may be
# the parent's doctors or family): a health subject is then the child's too.
_NAMING_THE_CHILD = tuple(word for word in WORDS.child_words if word not in WORDS.not_only_the_child)
_A_CHILD = re.compile(rf"\b(?:{alternatives(_NAMING_THE_CHILD, any_space=True)})\b", re.IGNORECASE)
# The parent's own giving birth ("I had a baby 2 weeks ago", "since I had the baby"): no word for the child.
_MY_BIRTH = re.compile(
    r"\b(?:i(?:'ve|’ve| have)? (?:just )?(?:had|gave birth to) (?:a|my|the|our) (?:\w+ )?(?:baby|babies|son|"
    r"daughter|twins|little one)|(?:since|after) (?:having |i had )?(?:the|my|a) (?:baby|birth))\b",
    re.IGNORECASE,
)


def _only_mine(text: str) -> bool:
    """The parent speaking of their own body ("I've got a headache"), with no word for a child."""
    return _OF_MYSELF.search(text) is not None and _A_CHILD.search(_MY_BIRTH.sub(" ", text)) is None


def _outside(subjects: tuple[OutOfScope, ...], library: Library, text: str = "") -> str:
    named = " or ".join(_e(s.topic) for s in subjects)
    lines = [
        f"The guidance I answer from covers {_e(_topics(library))}. It doesn't cover {named}, "
        "so I can't answer that one from it."
    ]
    health = any(s.health for s in subjects)
    of_myself = _OF_MYSELF.search(text) is not None
    own = any(s.own_health for s in subjects) or (health and of_myself)
    if not health:  # not a dead end: what the guidance can answer, one line
        lines.append(f"You could ask me, for example, {EXAMPLES}")
    doctors = [OWN_DOCTOR] if own else []
    # The parent speaking of their own body, with no word for the child, is pointed to their own care alone.
    only_mine = _only_mine(text)
    doctors += [DOCTOR] if any(s.health and not s.own_health for s in subjects) and not only_mine else []
    if doctors:
        urgent = own or any(s.health and s.urgent for s in subjects)
        lines.append(" ".join([*doctors, URGENT] if urgent else doctors))
    if own:
        lines.append(STRUGGLING)
    return "\n\n".join(lines)


def _past_last_band(age: _Age, library: Library) -> str:
    who = _who(age, bold=False)
    return (
        f"{who}, past the ages the guidance I answer from covers ({_e(_topics(library))}), so I have "
        f"nothing from it to share.\n\n{DOCTOR}"
    )


def _not_found(library: Library, call: str = LOCAL_NUMBER, *, mine: bool = False) -> str:
    """ "Couldn't find that", with where to turn: the parent speaking of their own body ("I've got a
    headache") is pointed to their own doctor, midwife or health visitor alone, never the child's doctor."""
    doctors = OWN_DOCTOR if mine else f"{DOCTOR}\n{NOT_FOUND_NET}"
    return (
        f"I couldn't find that in the guidance I answer from, which covers {_e(_topics(library))}. "
        f"You could ask, for example, {EXAMPLES}\n\n{doctors} {NOT_FOUND_DANGER.format(call=call)}"
    )


def _lead(age: _Age | None, first: Kind, elsewhere: tuple[Band, ...]) -> str:
    """The first line: what the items below are, and for which age."""
    what = {
        Kind.INDICATOR: "Common patterns",
        Kind.STRATEGY: "Ways to help",
        Kind.BACKGROUND: "What the guidance says",
    }[first]
    if elsewhere and age is not None:
        labels = " and ".join(_e(b.label) for b in elsewhere)
        return f"The guidance describes this at <b>{labels}</b> rather than {_at(age.label)}:"
    # What is typical is framed as patterns that vary, never a checklist a worried parent measures against.
    end = f", {COMMON_PATTERNS}" if first is Kind.INDICATOR else ":"
    if age is None:
        return f"{what}{end}"
    corrected = f", {age.due}" if age.due else " corrected" if age.corrected else ""
    if age.who:
        return f"{what} for <b>{_e(age.who)}</b> ({_e(age.label)}{corrected}){end}"
    note = f" ({age.due})" if age.due else " (corrected age)" if age.corrected else ""
    return f"{what} {_at(age.label, bold=True)}{note}{end}"


def _at(label: str, *, bold: bool = False) -> str:
    """ "at 10 months", but "for a newborn" (never "at newborn")."""
    shown = f"<b>{_e(label)}</b>" if bold else _e(label)
    return f"for a {shown}" if label == "newborn" else f"at {shown}"


def _compose_short(
    library: Library,
    bands: tuple[Band, ...],
    items: Sequence[Item],
    age: _Age | None,
    query: Query,
    *,
    elsewhere: tuple[Band, ...],
    health: bool,
) -> tuple[str, tuple[Item, ...]]:
    """Lead, items (a second kind under a short heading), one background line, and the notes; dropping the
    least relevant items until it is short."""
    shown = list(items)
    while True:
        text = _short_text(library, bands, shown, age, query, elsewhere=elsewhere, health=health)
        if len(text) <= SHORT_CHARS or len(shown) <= 1:
            return text, tuple(shown)
        shown.pop()


def _short_text(
    library: Library,
    bands: tuple[Band, ...],
    items: Sequence[Item],
    age: _Age | None,
    query: Query,
    *,
    elsewhere: tuple[Band, ...],
    health: bool,
) -> str:
    banded = [i for i in items if i.kind is not Kind.BACKGROUND]
    background = [i for i in items if i.kind is Kind.BACKGROUND]
    first = items[0].kind if items else Kind.INDICATOR
    label_each = bool(elsewhere) or len({i.band_id for i in banded}) > 1 or age is None
    lines = [_lead(age, first, elsewhere)]
    if background and first is Kind.BACKGROUND:
        lines.append(_line(library, background[0], False))
    kinds = list(dict.fromkeys(i.kind for i in banded))
    for n, kind in enumerate(kinds):
        if n > 0 or first is Kind.BACKGROUND:
            lines.append(f"<b>{SHORT_HEADINGS[kind]}</b>")
        lines += [_line(library, i, label_each) for i in banded if i.kind is kind]
    if background and first is not Kind.BACKGROUND:
        lines.append(_line(library, background[0], False))
    notes = []
    if query.out_of_scope and not health:
        named = " or ".join(_e(s.topic) for s in query.out_of_scope)
        notes.append(f"The guidance doesn't cover {named}, so that part I can't answer from it.")
    if health:
        named = " or ".join(_e(s.topic) for s in query.out_of_scope)
        own = any(s.own_health for s in query.out_of_scope) or _OF_MYSELF.search(query.text) is not None
        notes.append(f"The guidance doesn't cover {named}. {OWN_DOCTOR if own else DOCTOR}")
    if first is not Kind.INDICATOR and any(i.kind is Kind.INDICATOR for i in banded):
        notes.append(PACE)  # the lead already says it when what is typical comes first
    return "\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else "")


def _compose_full(
    library: Library,
    bands: tuple[Band, ...],
    items: Sequence[Item],
    age: _Age | None,
    *,
    label_each: bool = False,
) -> tuple[str, tuple[Item, ...]]:
    """The long form (/normal, "more"): stage lines, every item under its kind's heading; it drops the
    least relevant items until it is a short message (the caller offers them behind "More")."""
    shown = list(items)
    while True:
        parts = [_stage_lines(bands, age)] if age is not None and bands else []
        item_bands = {item.band_id for item in shown if item.band_id}
        for kind in (Kind.INDICATOR, Kind.STRATEGY, Kind.BACKGROUND):
            of_kind = [item for item in shown if item.kind is kind]
            if of_kind:
                each = label_each or len(item_bands) > 1
                parts.append(
                    "\n".join([f"<b>{HEADINGS[kind]}</b>"] + [_line(library, i, each) for i in of_kind])
                )
        if any(item.kind is Kind.INDICATOR for item in shown):
            parts.append(GENTLE)
        text = "\n\n".join(parts)
        if len(text) < SHORT_MESSAGE_CHARS or len(shown) <= 1:
            return text, tuple(shown)
        shown.pop()


def _line(library: Library, item: Item, label_band: bool) -> str:
    if item.kind is Kind.BACKGROUND:
        return f"<i>{_e(item.title or '')}</i>: {_e(item.parent)}"
    band = library.band(item.band_id or "")
    suffix = f" <i>({_e(band.label)})</i>" if label_band and band else ""
    return f"• {_e(listed_text(item))}{suffix}"


_NOTICE = "You may notice "


def listed_text(item: Item) -> str:
    """An item's parent text as a bullet under a heading: what is typical no longer repeats "You may notice"
    on every line (the heading says it once), so "your baby smiling and cooing back at you." stays."""
    text = item.parent
    if item.kind is Kind.INDICATOR and text.startswith(_NOTICE):
        rest = text[len(_NOTICE) :]
        return rest[:1].upper() + rest[1:]
    return text


def _stage_lines(bands: tuple[Band, ...], age: _Age) -> str:
    who = _who(age, bold=True)
    if len(bands) == 1:
        return f"{who}, in the <b>{_e(bands[0].label)}</b> stage: {_e(bands[0].parent)}"
    lines = [f"{who}, an age where {len(bands)} stages overlap:".replace(" 2 stages", " two stages")]
    lines += [f"• <b>{_e(band.label)}</b>: {_e(band.parent)}" for band in bands]
    return "\n".join(lines)


def _who(age: _Age, *, bold: bool) -> str:
    """ "Mia is 10 months old" or "At 10 months"."""
    name, label = (f"<b>{_e(x)}</b>" if bold else _e(x) for x in (age.who or "", age.label))
    corrected = f" ({age.due})" if age.due else " (corrected age)" if age.corrected else ""
    if age.who:
        return f"{name} is {label} old{corrected}"
    return f"For a {label}{corrected}" if age.label == "newborn" else f"At {label}{corrected}"
