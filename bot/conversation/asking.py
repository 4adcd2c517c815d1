"""Free-text questions, /normal and /tip: which child they are about, then the core answers.

With several children the question waits in the flow data until the parent taps a child (the only time a
question is stored, and it is cleared right after); a question that names an age needs no child at all, and
small talk, another language or a subject the guidance does not cover need no child either.

An answer shows the best few items; a "more" button carries the ids of the next ones in its callback data
(``m:<content check>:<item numbers>``), so pressing it needs no stored state and works for anyone, even
before /start. The content check makes a button from an older version of the content expire instead of
showing the wrong items.
"""

from __future__ import annotations

import zlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

from bot import metrics
from bot.conversation import child_steps, stages
from bot.conversation.flow import FlowData, Step
from bot.conversation.outcome import Env, Outcome, expired, say
from bot.conversation.texts import MAX_TEXT_CHARS, NO_CHILD_YET, TOO_LONG, support_button
from bot.conversation.turn import Turn, child_info, choice, parse_id
from bot.core.answers import Answer, Scope, answer, more_page, typical_now
from bot.core.reply import MAX_CALLBACK_BYTES, Button, Reply
from bot.core.retrieval import index_for
from content import Item, Library
from db.families import MAX_CHILDREN
from db.models import Child

MORE_PREFIX = "m:"
MORE_LABEL = "More"
STAGE_PROMPT = "How old is your child?"
INVITE = "<i>Send /start to tell me about your child and get a short tip for their age every week.</i>"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


async def question(turn: Turn, text: str) -> Outcome:
    if len(text) > MAX_TEXT_CHARS:
        return say(TOO_LONG)
    children = await turn.children()
    general = answer(
        text, library=turn.env.library, call=turn.env.support.call(), today=turn.today, child=None
    )
    if general.age_named or not children or general.scope in (Scope.SMALLTALK, Scope.FOREIGN, Scope.OUT):
        return Outcome([reply_for(counted(general), turn.env.library)])
    if len(children) == 1:
        return _answer_for(turn, text, children[0])
    await turn.goto(Step.ASK, FlowData(question=text))
    return Outcome([_which_child(children, 0)])


def _which_child(children: Sequence[Child], page: int) -> Reply:
    """The children to tap for the waiting question; a family from before the limit, with more than it
    allows, gets them a page at a time ("More ›" goes round)."""
    pages = (len(children) + MAX_CHILDREN - 1) // MAX_CHILDREN
    page = min(max(page, 0), pages - 1)
    shown = children[page * MAX_CHILDREN : (page + 1) * MAX_CHILDREN]
    buttons = [(choice(Step.ASK, str(child.id), child.name),) for child in shown]
    if pages > 1:
        buttons.append((choice(Step.ASK, f"p{(page + 1) % pages}", "More ›"),))
    return Reply("Which child is this about?", tuple(buttons))


def knows_words(turn: Turn, text: str) -> bool:
    """The guidance knows a subject in ``text`` ("sleep", "tantrums", or one it does not cover): a question,
    not a name ("Noah")."""
    query = index_for(turn.env.library).analyse(text[:MAX_TEXT_CHARS])
    return query.topical or bool(query.out_of_scope)


async def in_passing(turn: Turn, text: str) -> Outcome:
    """A question typed in the middle of a flow: answered without leaving it (no "which child" step), for
    the only child, or for the age it names, or across the stages."""
    if len(text) > MAX_TEXT_CHARS:
        return say(TOO_LONG)
    children = await turn.children()
    general = answer(
        text, library=turn.env.library, call=turn.env.support.call(), today=turn.today, child=None
    )
    if len(children) == 1 and not general.age_named and general.scope is Scope.IN:
        return _answer_for(turn, text, children[0])
    return Outcome([reply_for(general, turn.env.library)])


async def on_ask_press(turn: Turn, value: str) -> Outcome:
    """A child tapped for the waiting question (only one of this parent's own children counts), or the next
    page of them."""
    if value.startswith("p"):  # "More ›": p<page>, ASCII digits (anything else is forged)
        page = 0 if value == "p0" else parse_id(value[1:])
        return Outcome([_which_child(await turn.children(), page)]) if page is not None else expired()
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


async def answer_in_scope(turn: Turn, text: str) -> Reply | None:
    """The ordinary answer to ``text`` when the content speaks to it, or None; never asks which child.

    Used after a reply to a parent's own distress, when the message also asked a question: only an answer
    from the content is worth a second message (not "the guidance doesn't cover this").
    """
    if len(text) > MAX_TEXT_CHARS:
        return None
    children = await turn.children()
    result = answer(
        text, library=turn.env.library, call=turn.env.support.call(), today=turn.today, child=None
    )
    if result.scope is not Scope.IN or not result.items:
        return None
    if len(children) == 1 and not result.age_named:
        result = answer(
            text,
            library=turn.env.library,
            call=turn.env.support.call(),
            today=turn.today,
            child=child_info(children[0]),
        )
    return reply_for(result, turn.env.library)


def _answer_for(turn: Turn, text: str, child: Child) -> Outcome:
    result = counted(
        answer(
            text,
            library=turn.env.library,
            call=turn.env.support.call(),
            today=turn.today,
            child=child_info(child),
        )
    )
    return Outcome([reply_for(result, turn.env.library)])


def counted(result: Answer) -> Answer:
    """Count a question answered, in or out of the content's scope, for the operators' metrics (small talk is
    no question; one not in English counts as out of scope)."""
    if result.scope is not Scope.SMALLTALK:
        metrics.question_answered(in_scope=result.scope is Scope.IN)
    return result


def reply_for(result: Answer, library: Library) -> Reply:
    """The answer as a message, with a "more" button when more items are relevant."""
    data = more_data(library, result.more)
    buttons = ((Button(MORE_LABEL, data),),) if data else ()
    if result.net:  # "couldn't find that": where to find support, a tap away
        buttons = (*buttons, (support_button(),))
    return Reply(result.text, buttons)


def before_start(env: Env, text: str, today: date) -> Outcome:
    """A question from someone who has not sent /start yet: the answer straight away (for the age it names,
    or across stages with a choice of stage), then one line inviting them to /start."""
    if len(text) > MAX_TEXT_CHARS:
        return say(TOO_LONG)
    result = counted(answer(text, library=env.library, call=env.support.call(), today=today, child=None))
    if result.scope is not Scope.IN:
        return Outcome([Reply(f"{result.text}\n\n{INVITE}", reply_for(result, env.library).buttons)])
    if result.age_months is None and result.by_stage:
        rows = tuple(
            (Button(band.label, data),)
            for band, items in result.by_stage
            if (data := more_data(env.library, items)) is not None
        )
        return Outcome([Reply(f"{result.text}\n\n{STAGE_PROMPT}\n{INVITE}", rows)])
    reply = reply_for(result, env.library)
    return Outcome([Reply(f"{reply.text}\n\n{INVITE}", reply.buttons)])


def more_data(library: Library, items: Sequence[Item]) -> str | None:
    """Callback data naming ``items`` by their number in the library, or None when there are none."""
    if not items:
        return None
    index = index_for(library)
    numbers = "".join(_base36(index.item_number(item)) for item in items)
    head = f"{MORE_PREFIX}{_check(library)}:"
    room = (MAX_CALLBACK_BYTES - len(head)) // 2 * 2  # whole item numbers only
    return head + numbers[:room]


def on_more(library: Library, data: str) -> Outcome | None:
    """The items a "more" (or stage) button names; None when the data is not ours or the content changed."""
    check, _, numbers = data.removeprefix(MORE_PREFIX).partition(":")
    if check != _check(library) or not numbers or len(numbers) % 2:
        return None
    index = index_for(library)
    items = []
    for start in range(0, len(numbers), 2):
        try:
            number = int(numbers[start : start + 2], 36)
        except ValueError:
            return None
        item = index.item_at(number)
        if item is None:
            return None
        items.append(item)
    text, rest = more_page(library, items)
    further = more_data(library, rest)  # what did not fit a short message: behind another "More"
    return Outcome([Reply(text, ((Button(MORE_LABEL, further),),) if further else ())])


def _base36(number: int) -> str:
    high, low = divmod(number, 36)
    return _DIGITS[high] + _DIGITS[low]


def _check(library: Library) -> str:
    """Two characters that change when the content's items change (their ids or order)."""
    ids = ",".join(item.id for item in library.items())
    return _base36(zlib.crc32(ids.encode()) % (36 * 36))


async def _for_one_child(turn: Turn, kind: str, page: int = 0) -> Outcome:
    """/normal and /tip: straight on with one child, buttons (``c:<kind>:<child id>``) with several. Children
    past the ages the content covers leave the choice (they stay in /children until the parent removes them).
    A family from before the limit, with more children than it allows, gets them a page at a time."""
    prompt, _ = PICKERS[kind]
    children = await turn.children()
    if not children:  # a first child left half-way is offered, not "send /start"
        return await child_steps.offer_to_carry_on(turn) or say(NO_CHILD_YET)
    current = [child for child in children if stages.in_content_ages(turn, child)]
    if len(children) == 1 or len(current) == 1:
        return await PICKERS[kind][1](turn, (current or children)[0])
    if not current:
        return say(stages.ended_text(turn, children))
    pages = (len(current) + MAX_CHILDREN - 1) // MAX_CHILDREN
    page = min(max(page, 0), pages - 1)
    shown = current[page * MAX_CHILDREN : (page + 1) * MAX_CHILDREN]
    buttons = [(Button(child.name, f"c:{kind}:{child.id}"),) for child in shown]
    if pages > 1:  # round and round: no last page without a way on
        buttons.append((Button("More ›", f"c:{kind}s:{(page + 1) % pages}"),))
    return Outcome([Reply(prompt, tuple(buttons))])


async def picker_page(turn: Turn, kind: str, page: int) -> Outcome:
    """ "More ›" on the /tip or /normal choice."""
    return await _for_one_child(turn, kind, page)


async def normal(turn: Turn) -> Outcome:
    return await _for_one_child(turn, "normal")


async def typical_for(turn: Turn, child: Child) -> Outcome:
    typical = typical_now(child_info(child), library=turn.env.library, today=turn.today)
    return Outcome([reply_for(typical, turn.env.library)])


async def tip(turn: Turn) -> Outcome:
    return await _for_one_child(turn, "tip")


async def tip_for(turn: Turn, child: Child) -> Outcome:
    """The tip itself goes out after the commit, through the dispatcher, so it is recorded like any tip."""
    return await stages.tip_for(turn, child)


# The child choices that ``c:<kind>:<child id>`` answers: what to ask, and what to do with the child.
PICKERS: dict[str, tuple[str, Callable[[Turn, Child], Awaitable[Outcome]]]] = {
    "normal": ("Which child?", typical_for),
    "tip": ("A tip for which child?", tip_for),
}
