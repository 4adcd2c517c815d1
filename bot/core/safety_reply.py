"""What the bot says to a parent in distress: short, warm, the point first, never a lecture.

Crisis: the operator's support text (helplines for the service's country) or a sensible default, and
nothing else: no tips, no content. Violence or threats at home is a crisis with its own words: your safety
and your child's matter, the same support text and emergency number, and a domestic abuse helpline.
Emergency: call the emergency number now, first and alone. Wellbeing: a kind word, the parent's *own*
doctor, midwife or health visitor, and content items that speak to it (chosen in ``content/safety.yaml``);
a partner's or co-parent's low mood gets *their* own doctor, midwife or health visitor instead, and support
for the parent too; the loss of a baby, or of someone else close, gets sorrow, no right way to feel, the
parent's own doctor, midwife or health visitor and bereavement charities, and nothing else. When the parent
says something like it again the same day, the reply comes again, worded a little differently, so it never
reads like a block pasted twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from bot.core.safety import concern
from content import Item, Kind, Library
from content.conversation import alternatives, conversation_words
from content.safety import Concern, SafetyKind, SafetyPhrases, default_safety

_WORDS = conversation_words()

# Every distress reply stays under this, so it is read whole on a phone (Telegram allows 4096).
MAX_REPLY_CHARS = 1200
LOCAL_NUMBER = "your local emergency number"


@dataclass(frozen=True)
class Support:
    """The operator's settings: helplines shown verbatim in a crisis, and the number to call (e.g. 999)."""

    crisis_text: str | None = None
    emergency_number: str | None = None

    def call(self) -> str:
        return escape(self.emergency_number, quote=False) if self.emergency_number else LOCAL_NUMBER


@dataclass(frozen=True)
class SafetyReply:
    kind: SafetyKind
    text: str  # Telegram HTML
    items: tuple[Item, ...]  # content items shown (wellbeing only)
    concern: Concern | None = None  # what the words were written for, beyond the kind


_CRISIS_OPENERS = (
    "I'm really glad you told me. You don't have to carry this alone.",
    "I'm still here, and I'm glad you wrote to me again.",
    "Thank you for trusting me with this again. You matter, and you deserve support right now.",
)
_CRISIS_CLOSERS = (
    "You haven't done anything wrong by saying this. I'm only a simple assistant, but you can keep writing "
    "to me whenever you like.",
    "Reaching out to one of them, even with a short message, is a real step. You can keep writing to me too.",
    "If talking feels too hard, a text or a message to one of them counts too. I'm here whenever you want "
    "to write.",
)
_EMERGENCY_LEADS = (
    "Call {call} now.",
    "Please call {call} now, if you haven't yet.",
    "Call {call} now: getting help quickly matters most.",
)
_EMERGENCY_NEXT = (
    "Stay with your child and do what the person on the phone tells you.",
    "Stay with your child; the call handler will tell you what to do.",
    "Keep your child with you and follow what the call handler says.",
)
_WELLBEING_OPENERS = (
    "Thank you for telling me how you're feeling. It matters, and so do you.",
    "I hear you, and I'm glad you keep telling me how it is.",
    "It sounds like things are still really hard. Thank you for saying so.",
)
_WELLBEING_DOCTOR = (
    "Please talk to your own doctor, midwife or health visitor about how you're feeling: they are there for "
    "you too, not only for your child.",
    "If you haven't yet, please do tell your own doctor, midwife or health visitor how you're feeling; you "
    "deserve support as much as your child does.",
    "Your own doctor, midwife or health visitor can help with how you're feeling, and it's OK to ask them "
    "again.",
)
# Said to whatever distress came before the same day, so none claims this topic was raised before.
_VIOLENCE_OPENERS = (
    "I'm really glad you told me. Your safety, and your child's, matter.",
    "Thank you for telling me. You and your child deserve to be safe.",
    "I'm glad you wrote to me. Your safety, and your child's, come first.",
)
_VIOLENCE_CLOSERS = (
    "What's happening is not your fault. You can keep writing to me whenever you like.",
    "You deserve to be safe, and you don't have to sort this out alone. I'm here whenever you want to write.",
    "Even a short message to one of them is a real step. You can keep writing to me too.",
)
_PARTNER_OPENERS = (
    "It sounds like you're worried about someone close to you. Thank you for telling me.",
    "Thank you for telling me about them. It's hard to see someone close to you so low.",
    "It sounds like a hard time for them, and for you. Thank you for saying so.",
)
_PARTNER_DOCTOR = (
    "Their own doctor, midwife or health visitor is there for them: it's OK to gently encourage them to get "
    "in touch, or to help them do it.",
    "If they haven't yet, their own doctor, midwife or health visitor is the best person for them to talk "
    "to; you could offer to help them get in touch.",
    "Their own doctor, midwife or health visitor can help them: encouraging them to get in touch is a kind "
    "thing to do.",
)
_PARTNER_YOU = (
    "Caring for someone who is low is hard too. Your own doctor, midwife or health visitor is there for you "
    "as well.",
    "Looking after them and your child takes a lot. Please remember your own doctor, midwife or health "
    "visitor is there for you too.",
    "Your own doctor, midwife or health visitor is there for you as well: you deserve support too.",
)
# A partner's low mood and the parent's own in the same breath ("my wife is depressed, and me too").
_BOTH_OPENERS = (
    "It sounds like a really hard time for both of you. Thank you for telling me.",
    "Thank you for telling me about both of you. It's hard when you're both feeling low.",
    "It sounds like things are hard for you both. Thank you for saying so.",
)
_BOTH_YOU = (
    "Please talk to your own doctor, midwife or health visitor about how you're feeling too: you deserve "
    "support as much as they do.",
    "Please tell your own doctor, midwife or health visitor how you're feeling as well: they are there for "
    "you too.",
    "Your own doctor, midwife or health visitor is there for you too: it's OK to tell them how you're feeling.",
)
# A loss: a baby's (miscarriage, stillbirth, a baby who died) or someone else's close to the parent. The first
# line never changes; what follows is worded a little differently on a repeat. No content, no tips, no
# question about the baby: sorrow, no right way to feel, the parent's own care and bereavement charities
# (named by no one here: the operator's helplines are a tap away when set).
_GRIEF_FIRST = {
    Concern.GRIEF: "I'm so sorry about your baby.",
    Concern.BEREAVEMENT: "I'm so sorry for your loss.",
}
_GRIEF_LOST = {Concern.GRIEF: "losing a baby", Concern.BEREAVEMENT: "a loss"}
_GRIEF_FEEL = (
    "There's no right way to feel after {lost}, and no timetable for it. Whatever you're feeling is OK.",
    "Grief comes and goes in its own way, and there's no right way to feel. Please be gentle with yourself.",
    "However you're feeling today is OK: there's no right way to grieve, and no rush.",
)
_GRIEF_CARE = (
    "Your own doctor, midwife or health visitor is there for you, whenever you're ready to talk.",
    "When you feel able, your own doctor, midwife or health visitor can support you: they are there for you "
    "too.",
    "Your own doctor, midwife or health visitor can help, now or later on, and it's OK to ask them more than "
    "once.",
)
_GRIEF_CHARITIES = {
    Concern.GRIEF: (
        "There are also bereavement charities for parents who have lost a baby, where you can talk to people "
        "who understand.",
        "Bereavement charities for parents who have lost a baby can listen as well, whenever you need them.",
        "Charities for parents who have lost a baby can be there for you as well, for as long as you need.",
    ),
    Concern.BEREAVEMENT: (
        "There are also bereavement charities, where you can talk to people who understand.",
        "Bereavement charities can listen as well, whenever you need them.",
        "Bereavement charities can be there for you as well, for as long as you need.",
    ),
}
_GRIEF_SAFE = (
    "If it ever feels too much to bear, or you think of harming yourself, call {call} or a crisis line straight "
    "away."
)
_GRIEF_PAUSE = "If you'd like a break from my tips, you can pause them any time with /pause."
_GRIEF_CLOSER = "You can keep writing to me whenever you like."

# The parent feeling it too (content/conversation.yaml's parent_too and and_me_fillers), searched in the
# message with its curly apostrophes made straight.
_PARENT_TOO = re.compile(
    rf"\b(?:{alternatives(_WORDS.parent_too, any_space=True)})\b"
    rf"|\band\s+(?:(?:{alternatives(_WORDS.and_me_fillers)}),?\s+)?me\W*$",
    re.IGNORECASE,
)
_WELLBEING_CONTENT = "<b>From the guidance I answer from</b>"
_STRATEGY_LEAD = "A small way to stay close, even on hard days:"


def reply_for(
    kind: SafetyKind,
    *,
    support: Support,
    library: Library,
    repeat: int = 0,
    phrases: SafetyPhrases | None = None,
    concern: Concern | None = None,
    content: bool = True,
    parent_too: bool = False,
    bands: frozenset[str] | None = None,
    tips: bool = False,
) -> SafetyReply:
    """The reply to a message of ``kind``; ``repeat`` is how many distress replies came before, recently;
    ``concern`` (``bot.core.safety.concern``) picks the words written for it, if it is one of ``kind``'s.
    ``content=False``: no content items with the wellbeing words, when an answer from the content follows
    (the same paragraph twice in a row reads like a mistake). ``parent_too`` (``speaks_for_self``): a
    partner's low mood with the parent's own beside it, so the reply speaks to both. ``bands``: the stages
    of the parent's children, when known, so a way to stay close fits their ages. ``tips``: tips are on for a
    child, so a reply to a loss says they can be paused."""
    turn = max(repeat, 0)
    if concern is not None and concern.kind is kind:
        if concern is Concern.VIOLENCE_AT_HOME:
            text = _violence(support, turn)
        elif concern in _GRIEF_FIRST:
            text = _grief(concern, turn, support, brief=not content, tips=tips)
        else:
            text = _both(support, turn) if parent_too else _partner(support, turn)
        return SafetyReply(kind, text, (), concern)
    if kind is SafetyKind.CRISIS:
        return SafetyReply(kind, _crisis(support, turn), ())
    if kind is SafetyKind.EMERGENCY:
        return SafetyReply(kind, _emergency(support, turn), ())
    sets = (phrases or default_safety()).wellbeing_content
    items = _wellbeing_items(sets, turn, library, bands) if content else ()
    return _wellbeing(support, turn, items)


def _wellbeing_items(
    sets: Sequence[Sequence[str]], turn: int, library: Library, bands: frozenset[str] | None
) -> tuple[Item, ...]:
    """The ``turn``-th of the sets of content items whose every item fits ``bands`` (a background fits any
    age; all fit when the ages are unknown); with none that fits, the turn's set's background alone."""
    found = [tuple(item for item_id in ids if (item := library.item(item_id)) is not None) for ids in sets]
    fitting = [
        items
        for items in found
        if bands is None or all(item.band_id is None or item.band_id in bands for item in items)
    ]
    if fitting:
        return fitting[turn % len(fitting)]
    return tuple(item for item in found[turn % len(found)] if item.band_id is None)


def _pick(options: Sequence[str], turn: int) -> str:
    return options[turn % len(options)]


def _crisis(support: Support, turn: int) -> str:
    danger = f"If you or anyone else is in danger right now, call {support.call()}."
    if support.crisis_text:
        help_lines = [escape(support.crisis_text.strip(), quote=False), danger]
    else:
        help_lines = [
            danger,
            "Otherwise, please talk to someone today: your own doctor, midwife or health visitor, or a crisis "
            "line where you live.",
        ]
    return "\n\n".join([f"<b>{_pick(_CRISIS_OPENERS, turn)}</b>", *help_lines, _pick(_CRISIS_CLOSERS, turn)])


def _violence(support: Support, turn: int) -> str:
    """Violence or threats at home: safety first, the operator's helplines as written, the emergency number,
    then a domestic abuse helpline or the parent's own care (the operator's text may name only crisis lines);
    no tips, nothing to judge."""
    lines = [f"<b>{_pick(_VIOLENCE_OPENERS, turn)}</b>"]
    if support.crisis_text:
        lines.append(escape(support.crisis_text.strip(), quote=False))
    lines.append(f"If you, your child or anyone else is in danger right now, call {support.call()}.")
    lines.append(
        "Otherwise, when it's safe for you, please talk to someone: a domestic abuse helpline where you live, "
        "or your own doctor, midwife or health visitor."
    )
    lines.append(_pick(_VIOLENCE_CLOSERS, turn))
    return "\n\n".join(lines)


def _partner(support: Support, turn: int) -> str:
    """A partner's or co-parent's low mood: their own doctor, midwife or health visitor, support for the
    parent too, and the emergency number should they ever be in danger; nothing the guidance does not say."""
    return "\n\n".join(
        [
            f"<b>{_pick(_PARTNER_OPENERS, turn)}</b>\n{_pick(_PARTNER_DOCTOR, turn)}",
            _pick(_PARTNER_YOU, turn),
            f"If you ever think they might harm themselves or anyone else, call {support.call()} straight away.",
        ]
    )


def _grief(about: Concern, turn: int, support: Support, *, brief: bool, tips: bool) -> str:
    """A loss: sorrow first, no right way to feel, the parent's own care and, as every wellbeing reply has, a
    gentle line on what to do should it feel too much; then, unless an answer to a question follows
    (``brief``), bereavement charities, that tips can be paused (``tips``) and that they can write."""
    opening = f"<b>{_GRIEF_FIRST[about]}</b>\n{_pick(_GRIEF_FEEL, turn).format(lost=_GRIEF_LOST[about])}"
    safe = _GRIEF_SAFE.format(call=support.call())
    if brief:
        return f"{opening}\n\n{_pick(_GRIEF_CARE, turn)} {safe}"
    care = f"{_pick(_GRIEF_CARE, turn)} {_pick(_GRIEF_CHARITIES[about], turn)}"
    return "\n\n".join([opening, care, safe, *([_GRIEF_PAUSE] if tips else []), _GRIEF_CLOSER])


def speaks_for_self(text: str) -> bool:
    """Whether ``text`` says the parent feels it too ("my wife is depressed, and honestly me too")."""
    return _PARENT_TOO.search(text.replace("’", "'")) is not None


_CLAUSES = re.compile(r"[,.;:!?]+|\s(?:and|but|plus)\s", re.IGNORECASE)


def addressed(text: str, kind: SafetyKind | None) -> tuple[Concern | None, bool]:
    """The concern ``text``'s distress is about, and whether the parent says they feel it too: "my wife is
    depressed, and me too", or a partner's low mood in one clause and the parent's own in another ("my wife
    is depressed and I'm depressed too"), which the concern alone would answer with the parent's reply only."""
    about = concern(text, kind)
    if about is not None:
        return about, about is Concern.PARTNER_MOOD and speaks_for_self(text)
    if kind is not SafetyKind.WELLBEING:
        return None, False
    for clause in _CLAUSES.split(text):
        if clause.strip() and concern(clause, kind) is Concern.PARTNER_MOOD:
            return Concern.PARTNER_MOOD, True
    return None, False


def _both(support: Support, turn: int) -> str:
    """A partner's low mood and the parent's own: their own doctor, midwife or health visitor for each."""
    return "\n\n".join(
        [
            f"<b>{_pick(_BOTH_OPENERS, turn)}</b>\n{_pick(_PARTNER_DOCTOR, turn)}",
            _pick(_BOTH_YOU, turn),
            f"If you ever feel you might harm yourself or anyone else, or think they might, call {support.call()} "
            "straight away.",
        ]
    )


def _emergency(support: Support, turn: int) -> str:
    lead = _pick(_EMERGENCY_LEADS, turn).format(call=support.call())
    return f"<b>{lead}</b>\n{_pick(_EMERGENCY_NEXT, turn)}"


def _wellbeing(support: Support, turn: int, items: tuple[Item, ...]) -> SafetyReply:
    shown = list(items)
    while True:
        text = _wellbeing_text(support, turn, shown)
        if len(text) < MAX_REPLY_CHARS or not shown:
            return SafetyReply(SafetyKind.WELLBEING, text, tuple(shown))
        shown.pop()


def _wellbeing_text(support: Support, turn: int, items: Sequence[Item]) -> str:
    parts = [f"<b>{_pick(_WELLBEING_OPENERS, turn)}</b>\n{_pick(_WELLBEING_DOCTOR, turn)}"]
    lines = []
    for item in items:
        if item.kind is Kind.BACKGROUND:
            lines.append(
                f"<i>{escape(item.title or '', quote=False)}</i>: {escape(item.parent, quote=False)}"
            )
        else:
            lines.append(f"{_STRATEGY_LEAD}\n• {escape(item.parent, quote=False)}")
    if lines:
        parts.append("\n".join([_WELLBEING_CONTENT, *lines]))
    parts.append(
        f"If you ever feel you might harm yourself or your child, call {support.call()} or a crisis line "
        "straight away."
    )
    return "\n\n".join(parts)
