"""Recognise a parent in distress: crisis, a child's medical emergency, or the parent's own wellbeing.

Every text a parent sends goes through :func:`check` before anything else. The phrases are data
(``content/safety.yaml``); this module only decides how they are applied: to the whole message and to each
sentence, in the plain normalised text and with misspellings mended, after idioms and play are blanked out,
and with a match just after a negation ("I'm not suicidal") not counting. Recall comes first: a negated
crisis still counts as wellbeing, since a parent who says it at all deserves a kind word.

:func:`assess` adds the sentence layer (``bot.core.safety_sentence``) for wordings no phrase has: it may
raise an alarm the phrases missed, never lower one. :func:`check` is the phrases alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.core import safety_sentence
from bot.core.text import osa_distance
from content.safety import Concern, Rule, SafetyKind, SafetyPhrases, default_safety, normalise

__all__ = ["Concern", "Reading", "SafetyKind", "assess", "check", "concern", "read"]

# Telegram's longest message; anything longer is not a parent typing, and is checked up to here.
MAX_CHECKED_CHARS = 4096
# Words shorter than this are never mended (too many real words are one letter from each other).
MIN_MENDED = 5
LONG_WORD = 8
_SENTENCES = re.compile(r"[.!?;\n…。]+")
_BLANK = " ~ "
_MENDED_CACHE_LIMIT = 20_000
_mended: dict[tuple[int, str], str] = {}


def check(text: str, phrases: SafetyPhrases | None = None) -> SafetyKind | None:
    """The most urgent kind of distress the phrases find in ``text``, or None for an ordinary message."""
    return read(text, phrases).kind


def assess(text: str, phrases: SafetyPhrases | None = None) -> SafetyKind | None:
    """The phrases, then the sentence layer: the most urgent kind either finds, or None.

    The layer is not asked when the phrases already found a crisis, nor when they saw the message's
    alarming words but judged them harmless (an idiom or play, a negation, a context that rules them
    out): there the phrases know better than a model that reads the words' meaning as a whole. On the
    event loop, ask :func:`read` here and the layer in a worker thread (``bot.conversation.distress``).
    """
    reading = read(text, phrases)
    return (
        reading.kind
        if reading.settled
        else reading.with_layer(safety_sentence.raised(reading.for_layer(text)))
    )


@dataclass(frozen=True, slots=True)
class Reading:
    """What the phrases found; ``excused``: alarming words were seen but judged harmless (an idiom or
    play blanked out, a negation, an ``unless`` context)."""

    kind: SafetyKind | None
    excused: bool
    rest: str | None = None  # the message without what is over and done with (``past``), when it said any

    def for_layer(self, text: str) -> str:
        """What the sentence layer reads: the message, less what is over and done with."""
        return text if self.rest is None else self.rest

    @property
    def settled(self) -> bool:
        """Whether the sentence layer has nothing to add (a crisis found, or alarming words excused)."""
        return self.kind is SafetyKind.CRISIS or self.excused

    def with_layer(self, learned: SafetyKind | None) -> SafetyKind | None:
        """The more urgent of the phrases' kind and the layer's."""
        kinds = [kind for kind in (self.kind, learned) if kind is not None]
        return min(kinds, key=_RANK.__getitem__) if kinds else None


def read(text: str, phrases: SafetyPhrases | None = None) -> Reading:
    phrases = phrases or default_safety()
    found: set[SafetyKind] = set()
    negated_crisis = False
    text = text[:MAX_CHECKED_CHARS]
    plain = normalise(text)
    context = f"{plain} ~ {mend(plain, phrases)}"
    excused = any(pattern.search(context) for pattern in phrases.not_alarms)
    rest = _without_past(plain, phrases)
    for variant in _variants(text, phrases):
        for rule in phrases.rules:
            if any(_RANK[kind] <= _RANK[rule.kind] for kind in found):
                continue  # this kind, or a more urgent one, is already found
            for match in rule.regex.finditer(variant):
                if not _applies(rule, context):
                    excused |= _ruled_out(rule, context)
                    break
                if _negated(variant, match.start(), phrases):
                    negated_crisis |= rule.kind is SafetyKind.CRISIS
                    excused = True
                    continue
                found.add(rule.kind)
                break
        if SafetyKind.CRISIS in found:
            break
    if found:
        return Reading(min(found, key=_RANK.__getitem__), excused, rest)
    return Reading(SafetyKind.WELLBEING if negated_crisis else None, excused, rest)


_RANK = {kind: rank for rank, kind in enumerate(SafetyKind)}
# The concerns a kind's distress can be about, in the order they are tried: the first whose words say it all
# wins. A loss comes before a partner's low mood ("my wife hasn't been herself since the miscarriage" is the
# loss first), and a baby's loss before another's (its first line speaks of the baby).
_CONCERNS: dict[SafetyKind, tuple[Concern, ...]] = {
    SafetyKind.CRISIS: (Concern.VIOLENCE_AT_HOME,),
    SafetyKind.WELLBEING: (Concern.GRIEF, Concern.BEREAVEMENT, Concern.PARTNER_MOOD),
}
# Left beside a concern's words, these still get the kind's usual reply (a partner's violence and a wish to
# die: the crisis words; a loss and a wish to die: the crisis words, while the parent's own low mood beside a
# loss is part of it; a partner's low mood and the parent's own: the parent's own).
_BESIDE = {
    Concern.VIOLENCE_AT_HOME: {SafetyKind.CRISIS, SafetyKind.EMERGENCY},
    Concern.GRIEF: {SafetyKind.CRISIS, SafetyKind.EMERGENCY},
    Concern.BEREAVEMENT: {SafetyKind.CRISIS, SafetyKind.EMERGENCY},
    Concern.PARTNER_MOOD: set(SafetyKind),
}
_GAP = " . "


def concern(text: str, kind: SafetyKind | None, phrases: SafetyPhrases | None = None) -> Concern | None:
    """The concern that ``kind``'s distress in ``text`` is all about, or None for the kind's usual reply.

    Each of the kind's concerns is tried in turn (``_CONCERNS``): its words (the rules of its groups) are
    blanked out of the message and what is left is read again. A crisis left beside violence at home or a
    loss, or any distress left beside a partner's low mood, means the parent says more than the concern, and
    the usual reply speaks to that. Only the wording depends on this, never the kind. The phrases alone read
    what is left: the sentence layer is unsure on fragments, and every concern's reply still carries what the
    kind's does (the support text first in a crisis; the parent's own doctor, midwife or health visitor).
    """
    if kind is None:
        return None
    phrases = phrases or default_safety()
    plain = normalise(text[:MAX_CHECKED_CHARS])
    context = f"{plain} ~ {mend(plain, phrases)}"
    for about in _CONCERNS.get(kind, ()):
        if _all_about(about, plain, context, phrases):
            return about
    return None


def _all_about(about: Concern, plain: str, context: str, phrases: SafetyPhrases) -> bool:
    """Whether ``about``'s words are in the message and nothing left beside them needs the usual reply."""
    rules = [rule for rule in phrases.rules_about(about) if _applies(rule, context)]
    for variant in dict.fromkeys((plain, mend(plain, phrases))):
        left = variant
        for rule in rules:
            left = rule.regex.sub(_GAP, left)
        if left != variant:
            return read(left, phrases).kind not in _BESIDE[about]
    return False


def _variants(text: str, phrases: SafetyPhrases) -> Iterator[str]:
    """The whole message, then each sentence; each plain and, when different, with misspellings mended."""
    pieces = [text] + [piece for piece in _SENTENCES.split(text) if piece.strip()]
    seen: set[str] = set()
    for piece in pieces:
        plain = normalise(piece)
        for variant in (plain, mend(plain, phrases)):
            cleaned = _without_idioms(variant, phrases)
            if cleaned and cleaned not in seen:
                seen.add(cleaned)
                yield cleaned


def _applies(rule: Rule, context: str) -> bool:
    """Whether the rest of the message allows ``rule`` (its ``when`` and ``unless``)."""
    if rule.when and not any(pattern.search(context) for pattern in rule.when):
        return False
    return not any(pattern.search(context) for pattern in rule.unless)


def _ruled_out(rule: Rule, context: str) -> bool:
    return any(pattern.search(context) for pattern in rule.unless)


def _without_idioms(text: str, phrases: SafetyPhrases) -> str:
    for pattern in phrases.not_alarms + phrases.past:
        text = pattern.sub(_BLANK, text)
    return " ".join(text.split())


def _without_past(plain: str, phrases: SafetyPhrases) -> str | None:
    """``plain`` less what is over and done with, or None when it said nothing of the kind."""
    left = plain
    for pattern in phrases.past:
        left = pattern.sub(" ", left)
    return " ".join(left.split()) if left != plain else None


def _negated(text: str, start: int, phrases: SafetyPhrases) -> bool:
    """A negation just before the match, with only filler words between ("not really suicidal")."""
    before = text[:start].split()
    for word in reversed(before[-phrases.reach :]):
        if word in phrases.negators:
            return True
        if word not in phrases.fillers:
            return False
    return False


def mend(text: str, phrases: SafetyPhrases) -> str:
    """``text`` (normalised) with each misspelt word replaced by the keyword it is closest to, if any."""
    return " ".join(_mend_word(word, phrases) for word in text.split())


def _mend_word(word: str, phrases: SafetyPhrases) -> str:
    spelt = phrases.spellings.get(word)
    if spelt is not None:
        return spelt
    if len(word) < MIN_MENDED or word in phrases.known_words or not word.isalpha():
        return word
    key = (id(phrases), word)
    cached = _mended.get(key)
    if cached is not None:
        return cached
    budget = 1 if len(word) < LONG_WORD else 2
    best: tuple[int, str] | None = None
    for keyword in phrases.keywords:
        if keyword[0] != word[0] or abs(len(keyword) - len(word)) > budget:
            continue
        distance = osa_distance(word, keyword)
        if distance <= budget and (best is None or (distance, keyword) < best):
            best = (distance, keyword)
    if len(_mended) >= _MENDED_CACHE_LIMIT:
        _mended.clear()
    _mended[key] = best[1] if best else word
    return _mended[key]
