"""What one incoming update produces: replies for this chat, and work that must wait for the commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.conversation.texts import EXPIRED, EXPIRED_TOAST
from bot.core.reply import Reply
from bot.core.retention import DEFAULT_RETENTION_MONTHS
from bot.core.safety import SafetyKind
from bot.core.safety_reply import Support
from content import Library

# Kinds whose reply must not wait behind anything: the adapter sends these first and never throttles them.
URGENT = frozenset({SafetyKind.CRISIS, SafetyKind.EMERGENCY})


@dataclass(frozen=True)
class Who:
    """The sender, as far as the conversation needs to know them."""

    chat_id: int
    first_name: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class Env:
    """Per-process facts the conversation needs; none of it is per-parent state."""

    library: Library
    default_time_zone: str = "UTC"
    invite_ttl: timedelta = timedelta(hours=48)
    # Without a username (the terminal chat) invites are shown as "/start <code>".
    bot_username: str | None = None
    # The operator's helplines and emergency number, for replies to a parent in distress.
    support: Support = field(default_factory=Support)
    # RETENTION_MONTHS: how long an inactive parent's data is kept (said in /privacy).
    retention_months: int = DEFAULT_RETENTION_MONTHS


@dataclass
class Outcome:
    """Replies to send in order, plus effects that run only after the update's transaction committed.

    ``tips`` are (parent id, child id) pairs to send a tip for right away; ``notices`` go to other chats
    (a caregiver told that someone joined); ``toast`` answers a button press in Telegram's little popup.
    ``safety`` says the message was distress of that kind (never what it said), so an adapter can count
    replies per kind for the operator's statistics and send :attr:`urgent` ones ahead of anything else.
    ``erased`` says personal data was deleted, so its old copies are wiped from the disk after the commit.
    """

    replies: list[Reply] = field(default_factory=list)
    tips: list[tuple[int, int]] = field(default_factory=list)
    notices: list[tuple[int, Reply]] = field(default_factory=list)
    toast: str | None = None
    safety: SafetyKind | None = None
    erased: bool = False

    @property
    def urgent(self) -> bool:
        """A crisis or emergency reply: send it first, and let no rate limit of ours hold it back."""
        return self.safety in URGENT


def say(*texts: str) -> Outcome:
    return Outcome([Reply(text) for text in texts])


def expired() -> Outcome:
    """The answer to any button that is not valid for this parent now: stale, forged or someone else's."""
    return Outcome([Reply(EXPIRED)], toast=EXPIRED_TOAST)
