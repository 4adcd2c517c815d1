"""Answer a parent's question from the content, and only from the content.

All guidance in a reply is content text (band summaries, indicators, strategies, background). The only
sentences written here are neutral framing ("At 10 months ... children often:"), the gentle reminder that
children develop at their own pace, honest "not covered" replies, and the pointer to the child's doctor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from bot.core.age_phrases import find_age
from bot.core.ages import age_on, describe_age
from bot.core.reply import MAX_MESSAGE_CHARS
from bot.core.retrieval import index_for
from content import Band, Item, Kind, Library
from content.lexicon import Intent, OutOfScope

# How many items of each kind an answer shows at most, and how close to the best match of its kind an
# item must score to be shown (a fraction of that best score).
LIMITS = {Kind.INDICATOR: 4, Kind.STRATEGY: 3, Kind.BACKGROUND: 2}
RELATIVE_CUTOFF = 0.3
# An item must also score this fraction of the best item overall, so one stray shared word is not enough.
OVERALL_CUTOFF = 0.2
# When the best match at the child's stages scores below this fraction of the best match at any stage, the
# question is about another stage ("stranger anxiety" at 30 months): answer from there, saying so.
ELSEWHERE_RATIO = 0.5

# What a question naming no topic gets: "what's normal" the indicators, "how do I help" the strategies.
OVERVIEW: dict[Intent | None, tuple[Kind, ...]] = {
    Intent.NORMAL: (Kind.INDICATOR,),
    Intent.HELP: (Kind.STRATEGY,),
    None: (Kind.INDICATOR, Kind.STRATEGY),
}
KIND_ORDER = {
    Intent.NORMAL: (Kind.INDICATOR, Kind.STRATEGY, Kind.BACKGROUND),
    Intent.HELP: (Kind.STRATEGY, Kind.INDICATOR, Kind.BACKGROUND),
    Intent.WHY: (Kind.BACKGROUND, Kind.INDICATOR, Kind.STRATEGY),
    None: (Kind.INDICATOR, Kind.STRATEGY, Kind.BACKGROUND),
}
HEADINGS = {
    Kind.INDICATOR: "Children at this stage often:",
    Kind.STRATEGY: "Ways to help:",
    Kind.BACKGROUND: "Good to know:",
}
GENTLE = "<i>Every child develops at their own pace: these are common patterns, not a checklist.</i>"
DOCTOR = "If something about your child's health or development worries you, your child's doctor is the best person to ask."
URGENT = "If it feels urgent, get medical help right away."
# For the parent's own health (pregnancy, birth, mood): their own care, never the child's doctor.
OWN_DOCTOR = "For your own health, your own doctor, midwife or health visitor is the best person to ask."
EXAMPLES = (
    "“what's normal at 10 months?”, “my baby cries when I leave the room” or “how do I help with tantrums?”"
)


@dataclass(frozen=True)
class ChildInfo:
    """What the answer engine needs to know about a child (the conversation layer maps a Child to this)."""

    name: str
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


@dataclass(frozen=True)
class _Age:
    months: int
    label: str  # "10 months", "6 weeks"
    corrected: bool
    who: str | None  # the child's name, when the age is the child's


def answer(question: str, *, library: Library, today: date, child: ChildInfo | None) -> Answer:
    """Answer ``question``. An age named in it wins over ``child``; with neither, every stage is used."""
    mention = find_age(question)
    age: _Age | None = None
    if mention is not None:
        age = _Age(mention.months, mention.label, corrected=False, who=None)
    elif child is not None and child.birthdate <= today:
        age = _child_age(child, today)
    index = index_for(library)
    query = index.analyse(question, mention.span if mention else None)
    months = age.months if age else None
    corrected = age.corrected if age else False
    if age is not None and age.months > _last_month(library):
        return Answer(question, months, corrected, (), False, (), _past_last_band(age, library))
    if not query.in_scope:
        return Answer(question, months, corrected, (), False, (), _outside(query.out_of_scope, library))
    bands = library.bands_at(age.months) if age else library.bands
    elsewhere = False
    items: list[Item] = []
    if query.terms:
        ranked = index.rank(query)
        band_ids = {band.id for band in bands}
        here = [pair for pair in ranked if pair[0].band_id is None or pair[0].band_id in band_ids]
        elsewhere = bool(ranked) and (not here or here[0][1] < ELSEWHERE_RATIO * ranked[0][1])
        items = _select(ranked if elsewhere else here, query.intent)
    elif not query.unknown and (query.intent in (Intent.NORMAL, Intent.HELP) or age is not None):
        # Nothing topical asked ("what's normal at 10 months?", "tell me about 9 months"): the overview.
        items = _overview(bands, OVERVIEW.get(query.intent, OVERVIEW[None]))
    if not items:
        return Answer(question, months, corrected, (), False, (), _not_found(library))
    text, shown = _compose_fitting(
        library, bands, items, age, query.intent, query.out_of_scope, elsewhere=elsewhere
    )
    return Answer(question, months, corrected, bands, True, shown, text)


def typical_now(child: ChildInfo, *, library: Library, today: date) -> Answer:
    """What is typical at the child's age today, and ways to help: for /normal and the end of onboarding.

    Raises DateProblem when the child is not born yet as of ``today``.
    """
    age = _child_age(child, today)
    question = f"What's typical for {child.name} now?"
    bands = library.bands_at(age.months)
    if not bands:
        return Answer(question, age.months, age.corrected, (), False, (), _past_last_band(age, library))
    items = _overview(bands, (Kind.INDICATOR, Kind.STRATEGY))
    text, shown = _compose_fitting(library, bands, items, age, Intent.NORMAL, (), elsewhere=False)
    return Answer(question, age.months, age.corrected, bands, True, shown, text)


# --- choosing items ---


def _select(ranked: list[tuple[Item, float]], intent: Intent | None) -> list[Item]:
    """The best few of each kind, strong enough relative to the best of that kind and overall."""
    if not ranked:
        return []
    overall = ranked[0][1]
    best: dict[Kind, float] = {}
    chosen: dict[Kind, list[Item]] = {kind: [] for kind in LIMITS}
    for item, score in ranked:
        top = best.setdefault(item.kind, score)
        strong = score >= RELATIVE_CUTOFF * top and score >= OVERALL_CUTOFF * overall
        if strong and len(chosen[item.kind]) < LIMITS[item.kind]:
            chosen[item.kind].append(item)
    return [item for kind in KIND_ORDER[intent] for item in chosen[kind]]


def _overview(bands: Sequence[Band], kinds: Sequence[Kind]) -> list[Item]:
    """Every indicator and/or strategy of the stages, kind by kind, youngest stage first."""
    return [
        item
        for kind in kinds
        for band in bands
        for item in (band.indicators if kind is Kind.INDICATOR else band.strategies)
    ]


# --- ages ---


def _child_age(child: ChildInfo, today: date) -> _Age:
    child_age = age_on(child.birthdate, today, child.due_date)
    return _Age(child_age.months, describe_age(child_age), child_age.corrected, child.name)


def _last_month(library: Library) -> int:
    return max((band.last_month for band in library.bands), default=0)


# --- text ---


def _topics(library: Library) -> str:
    titles = ", ".join(topic.title.lower() for topic in library.topics)
    return f"{titles}, from birth to {_last_month(library)} months"


def _outside(subjects: tuple[OutOfScope, ...], library: Library) -> str:
    named = " or ".join(_e(s.topic) for s in subjects)
    lines = [
        f"The guidance I answer from covers {_e(_topics(library))}. It doesn't cover {named}, "
        "so I can't answer that one from it."
    ]
    doctors = [OWN_DOCTOR] if any(s.own_health for s in subjects) else []
    doctors += [DOCTOR] if any(s.health and not s.own_health for s in subjects) else []
    if doctors:
        lines.append(" ".join([*doctors, URGENT]))
    return "\n\n".join(lines)


def _past_last_band(age: _Age, library: Library) -> str:
    who = _who(age, bold=False)
    return (
        f"{who}, past the ages the guidance I answer from covers ({_e(_topics(library))}), so I have "
        f"nothing from it to share.\n\n{DOCTOR}"
    )


def _not_found(library: Library) -> str:
    return (
        f"I couldn't find that in the guidance I answer from, which covers {_e(_topics(library))}. "
        f"You could ask, for example, {EXAMPLES}\n\n{DOCTOR}"
    )


def _compose_fitting(
    library: Library,
    bands: tuple[Band, ...],
    items: Sequence[Item],
    age: _Age | None,
    intent: Intent | None,
    also_outside: tuple[OutOfScope, ...],
    *,
    elsewhere: bool,
) -> tuple[str, tuple[Item, ...]]:
    """The reply text, dropping the least relevant items until it fits in one Telegram message."""
    shown = list(items)
    while True:
        text = _compose(library, bands, shown, age, intent, also_outside, elsewhere=elsewhere)
        if len(text) < MAX_MESSAGE_CHARS or not shown:
            return text, tuple(shown)
        shown.pop()


def _compose(
    library: Library,
    bands: tuple[Band, ...],
    items: Sequence[Item],
    age: _Age | None,
    intent: Intent | None,
    also_outside: tuple[OutOfScope, ...],
    *,
    elsewhere: bool,
) -> str:
    parts = [_stage_lines(bands, age)] if age is not None else []
    item_bands = [library.band(i) for i in dict.fromkeys(item.band_id for item in items if item.band_id)]
    if elsewhere and age is not None:
        labels = " and ".join(_e(band.label) for band in item_bands if band)
        parts.append(f"The guidance doesn't describe this at {_e(age.label)}, but it does for {labels}:")
    label_each = elsewhere or len(item_bands) > 1
    for kind in KIND_ORDER[intent]:
        of_kind = [item for item in items if item.kind is kind]
        if of_kind:
            parts.append(
                "\n".join([f"<b>{HEADINGS[kind]}</b>"] + [_line(library, i, label_each) for i in of_kind])
            )
    if also_outside:
        named = " or ".join(_e(s.topic) for s in also_outside)
        parts.append(f"The guidance doesn't cover {named}, so that part I can't answer from it.")
    urgent = any(s.health for s in also_outside)
    own = f" {OWN_DOCTOR}" if any(s.own_health for s in also_outside) else ""
    parts.append(f"{GENTLE}\n{DOCTOR}{own}" + (f" {URGENT}" if urgent else ""))
    return "\n\n".join(parts)


def _line(library: Library, item: Item, label_band: bool) -> str:
    if item.kind is Kind.BACKGROUND:
        return f"<i>{_e(item.title or '')}</i>: {_e(item.text)}"
    band = library.band(item.band_id or "")
    suffix = f" <i>({_e(band.label)})</i>" if label_band and band else ""
    return f"• {_e(item.text)}{suffix}"


def _stage_lines(bands: tuple[Band, ...], age: _Age) -> str:
    who = _who(age, bold=True)
    if len(bands) == 1:
        return f"{who}, in the <b>{_e(bands[0].label)}</b> stage: {_e(bands[0].summary)}"
    lines = [f"{who}, an age where {len(bands)} stages overlap:".replace(" 2 stages", " two stages")]
    lines += [f"• <b>{_e(band.label)}</b>: {_e(band.summary)}" for band in bands]
    return "\n".join(lines)


def _who(age: _Age, *, bold: bool) -> str:
    """ "Mia is 10 months old (corrected age)" or "At 10 months"."""
    name, label = (f"<b>{_e(x)}</b>" if bold else _e(x) for x in (age.who or "", age.label))
    corrected = " (corrected age)" if age.corrected else ""
    return f"{name} is {label} old{corrected}" if age.who else f"At {label}{corrected}"


def _e(text: str) -> str:
    """Escape for Telegram HTML (only <, > and & matter there; quotes stay readable)."""
    return escape(text, quote=False)
