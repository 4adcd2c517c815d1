"""Free-text questions, /normal and /tip: which child they are about, then the core answers.

With several children the question waits in the flow data until the parent taps a child (the only time a
question is stored, and it is cleared right after); a question that names an age needs no child at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.app import metrics
from bot.conversation.flow import FlowData, Step
from bot.conversation.outcome import Outcome, expired, say
from bot.conversation.texts import MAX_TEXT_CHARS, NO_CHILD_YET, TOO_LONG
from bot.conversation.turn import Turn, child_info, choice
from bot.core.age_phrases import find_age
from bot.core.answers import answer, typical_now
from bot.core.reply import Button, Reply
from db.models import Child


async def question(turn: Turn, text: str) -> Outcome:
    if len(text) > MAX_TEXT_CHARS:
        return say(TOO_LONG)
    children = await turn.children()
    if find_age(text) is not None or not children:
        reply = answer(text, library=turn.env.library, today=turn.today, child=None)
        metrics.question_answered(in_scope=reply.in_scope)
        return say(reply.text)
    if len(children) == 1:
        return _answer_for(turn, text, children[0])
    await turn.goto(Step.ASK, FlowData(question=text))
    buttons = tuple((choice(Step.ASK, str(child.id), child.name),) for child in children)
    return Outcome([Reply("Which child is this about?", buttons)])


async def on_ask_press(turn: Turn, value: str) -> Outcome:
    """A child tapped for the waiting question (only one of this parent's own children counts)."""
    child = await turn.child(value)
    if child is None:
        return expired()
    text = turn.data.question or ""
    await turn.goto(None)
    return _answer_for(turn, text, child)


async def on_ask_text(turn: Turn, text: str) -> Outcome:
    """Typing instead of tapping a child is a new question (even "2", which is no child's id to a parent)."""
    await turn.goto(None)
    return await question(turn, text)


def _answer_for(turn: Turn, text: str, child: Child) -> Outcome:
    reply = answer(text, library=turn.env.library, today=turn.today, child=child_info(child))
    metrics.question_answered(in_scope=reply.in_scope)
    return say(reply.text)


async def _for_one_child(
    turn: Turn, prompt: str, prefix: str, then: Callable[[Turn, Child], Awaitable[Outcome]]
) -> Outcome:
    """/normal and /tip: straight on with one child, buttons (``<prefix><child id>``) with several."""
    children = await turn.children()
    if not children:
        return say(NO_CHILD_YET)
    if len(children) == 1:
        return await then(turn, children[0])
    buttons = tuple((Button(child.name, f"{prefix}{child.id}"),) for child in children)
    return Outcome([Reply(prompt, buttons)])


async def normal(turn: Turn) -> Outcome:
    return await _for_one_child(turn, "Which child?", "c:normal:", typical_for)


async def typical_for(turn: Turn, child: Child) -> Outcome:
    typical = typical_now(child_info(child), library=turn.env.library, today=turn.today)
    return say(typical.text)


async def tip(turn: Turn) -> Outcome:
    return await _for_one_child(turn, "A tip for which child?", "c:tip:", tip_for)


async def tip_for(turn: Turn, child: Child) -> Outcome:
    """The tip itself goes out after the commit, through the dispatcher, so it is recorded like any tip."""
    return Outcome(tips=[(turn.parent.id, child.id)], toast=f"A tip for {child.name} is on its way.")
