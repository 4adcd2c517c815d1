"""A parent in distress, recognised before anything else in every text they send.

The reply never changes where the parent is in a flow: after it, the next ordinary message is answered as
if nothing happened (a name typed at "what's your child's name?" is still the child's name). Nothing of the
message is stored; a known parent's row keeps only when the last such reply went out and how many there
were that day, so a repeat is worded differently.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.clean import clean_text
from bot.conversation.outcome import URGENT, Env, Outcome, Who
from bot.conversation.schedules import resting_until
from bot.conversation.stages import months_of
from bot.conversation.texts import loss_support_button, support_button
from bot.conversation.turn import Turn
from bot.core import safety_sentence
from bot.core.reply import Reply
from bot.core.safety import Concern, SafetyKind, read
from bot.core.safety_reply import SafetyReply, Support, addressed, reply_for
from bot.core.step_words import unsure_first
from db import families
from db.models import Parent, ParentState


async def recognise(text: str) -> SafetyKind | None:
    """``bot.core.safety.assess`` for the event loop: the phrases here (about a millisecond), the sentence
    model in a worker thread (tens of milliseconds, in C with the GIL released), so other chats go on."""
    reading = read(text)
    if reading.settled:
        return reading.kind
    return reading.with_layer(await asyncio.to_thread(safety_sentence.raised, reading.for_layer(text)))


@dataclass(frozen=True)
class Heard:
    """A parent's message, cleaned, with the distress found in it (None: ordinary, or a command)."""

    text: str
    kind: SafetyKind | None
    concern: Concern | None = None  # what the distress is all about, if the reply has words for it
    parent_too: bool = False  # the parent says they feel it too ("my wife is depressed, and me too")

    @property
    def urgent(self) -> bool:
        """A crisis or an emergency: it goes past every queue of ordinary messages."""
        return self.kind in URGENT


async def hear(text: str) -> Heard:
    """Clean ``text`` and check it for distress, before any database work: the sentence model can take tens
    of milliseconds, and a burst of messages must not hold database connections while it reads them (a
    crisis the phrases see at once would wait behind them)."""
    text = clean_text(text).strip()
    kind = await recognise(text) if text and not text.startswith("/") else None
    unsure = unsure_first(text) if kind is None and text else None
    if unsure is not None:  # "not sure, overwhelmed": the feeling heard as if said alone
        kind = await recognise(unsure[1])
        if kind is not None:
            return Heard(text, kind, *addressed(unsure[1], kind))
    return Heard(text, kind, *addressed(text, kind))


async def answer_distress(
    s: AsyncSession,
    env: Env,
    who: Who,
    kind: SafetyKind,
    now: datetime,
    about: Concern | None = None,
    *,
    content: bool = True,
    too: bool = False,
) -> Outcome:
    """The reply to distress of ``kind`` (``about`` a concern it has words for; without content items when
    an answer from the content follows); before /start (no row yet) every reply is a first one."""
    parent = await families.get_parent(s, who.chat_id)
    said = about.value if about is not None and about.kind is kind else kind.value
    repeat = await families.note_distress(s, parent, now, said) if parent is not None else 0
    bands = await _children_bands(s, env, parent, now) if parent is not None else None
    reply = reply_for(
        kind,
        support=env.support,
        library=env.library,
        repeat=repeat,
        concern=about,
        content=content,
        parent_too=too,
        bands=bands,
        tips=parent is not None and bands is not None and _tips_on(parent, now),
    )
    return Outcome([_shown(reply, env.support)], safety=kind)


def _tips_on(parent: Parent, now: datetime) -> bool:
    """Whether tips are coming (neither paused nor stopped), so a reply to a loss can say how to pause them."""
    return parent.state == ParentState.ACTIVE and resting_until(parent, now) is None


async def _children_bands(s: AsyncSession, env: Env, parent: Parent, now: datetime) -> frozenset[str] | None:
    """The stages of the parent's children today, so a way to stay close fits them; None with no child."""
    turn = Turn(s, env, parent, now)
    library = env.library
    bands = {band.id for child in await turn.children() for band in library.bands_at(months_of(turn, child))}
    return frozenset(bands) if bands else None


def _shown(reply: SafetyReply, support: Support) -> Reply:
    """A partner's low mood names no helplines for the parent: where to find them is a tap away, as under
    a crying face; so does a loss, when the operator has helplines to show (the reply names the parent's own
    care and bereavement charities). The other replies carry their support in their words."""
    if reply.concern in _LOSSES and support.crisis_text:
        return Reply(reply.text, ((loss_support_button(),),))
    if reply.concern is Concern.PARTNER_MOOD:
        return Reply(reply.text, ((support_button(),),))
    return Reply(reply.text)


_LOSSES = frozenset({Concern.GRIEF, Concern.BEREAVEMENT})


async def reply_without_database(env: Env, text: str) -> Outcome | None:
    """The reply to distress in ``text`` when serving it failed (the database locked or away, a bug): the
    words of a first reply, needing nothing stored, so a parent in distress is never told only that
    something went wrong. None for an ordinary message."""
    text = clean_text(text)
    kind = await recognise(text)
    if kind is None:
        return None
    about, too = addressed(text, kind)
    reply = reply_for(kind, support=env.support, library=env.library, concern=about, parent_too=too)
    return Outcome([_shown(reply, env.support)], safety=kind)


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_ASKS = re.compile(
    r"^(?:is|isn.?t|are|am|do|does|did|why|how|what|when|where|which|who|should|shall|can|could|will|would|"
    r"has|have|may|might)\b",
    re.IGNORECASE,
)


def question_in(text: str) -> str | None:
    """The sentences of ``text`` that ask something ("is it my fault he's clingy?"), or None.

    A parent who says how they feel and asks a question in the same breath gets the kind reply and then the
    ordinary answer to the question, so this finds what the question is.
    """
    asked = [
        sentence.strip()
        for sentence in _SENTENCE.findall(text)
        if sentence.strip().endswith("?") or _ASKS.match(sentence.strip())
    ]
    return " ".join(asked) or None
