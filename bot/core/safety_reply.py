"""What the bot says to a parent in distress: short, warm, the point first, never a lecture.

Crisis: the operator's support text (helplines for the service's country) or a sensible default, and
nothing else: no tips, no content. Emergency: call the emergency number now, first and alone. Wellbeing: a
kind word, the parent's *own* doctor, midwife or health visitor, and content items that speak to it (chosen
in ``content/safety.yaml``). When the parent says something like it again the same day, the reply comes
again, worded a little differently, so it never reads like a block pasted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from content import Item, Kind, Library
from content.safety import SafetyKind, SafetyPhrases, default_safety

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
_WELLBEING_CONTENT = "<b>From the guidance I answer from</b>"
_STRATEGY_LEAD = "A small way to stay close, even on hard days:"


def reply_for(
    kind: SafetyKind,
    *,
    support: Support,
    library: Library,
    repeat: int = 0,
    phrases: SafetyPhrases | None = None,
) -> SafetyReply:
    """The reply to a message of ``kind``; ``repeat`` is how many distress replies came before, recently."""
    turn = max(repeat, 0)
    if kind is SafetyKind.CRISIS:
        return SafetyReply(kind, _crisis(support, turn), ())
    if kind is SafetyKind.EMERGENCY:
        return SafetyReply(kind, _emergency(support, turn), ())
    sets = (phrases or default_safety()).wellbeing_content
    items = tuple(item for item_id in sets[turn % len(sets)] if (item := library.item(item_id)) is not None)
    return _wellbeing(support, turn, items)


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
