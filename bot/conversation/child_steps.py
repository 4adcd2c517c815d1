"""A child's name, birthdate and (for a baby born early) due date: for onboarding, /addchild and edits.

The flow's mode: ``Mode.FIRST`` (onboarding, goes on to time zone and schedule), ``Mode.ADD`` (another child),
``Mode.EDIT`` (new dates for ``child_id``). Answers so far live in the flow data, so a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date

from bot.conversation import setup_steps
from bot.conversation.flow import FlowData, Mode, Step
from bot.conversation.outcome import Outcome, say
from bot.conversation.schedules import reschedule
from bot.conversation.texts import MAX_NAME_CHARS, NAME_HINT, TOO_MANY_CHILDREN
from bot.conversation.turn import Turn, child_info, choice
from bot.core.ages import (
    DateProblem,
    age_on,
    describe_age,
    is_past_36_months,
    validate_birthdate,
    validate_due_date,
)
from bot.core.answers import typical_now
from bot.core.dates import EXAMPLES, parse_date
from bot.core.reply import Reply
from bot.core.text import day_date, esc
from db import families

YES = frozenset({"yes", "y", "yeah", "yep", "yes please"})
NO = frozenset({"no", "n", "nope", "no thanks"})


async def begin(turn: Turn, mode: Mode, lead: str = "") -> Outcome:
    await turn.goto(Step.NAME, FlowData(mode=mode))
    question = "What's your child's name?" if mode is Mode.FIRST else "What's this child's name?"
    return say(lead + question + " A nickname is fine.")


async def begin_another(turn: Turn) -> Outcome:
    """/addchild: a parent without children (all removed, or setup left early) gets the full setup; one at
    the limit is told so before typing anything."""
    count = await families.count_children(turn.s, turn.parent.id)
    if count >= families.MAX_CHILDREN:
        return say(TOO_MANY_CHILDREN)
    return await begin(turn, Mode.ADD if count else Mode.FIRST)


async def begin_dates(turn: Turn, child_id: int, name: str) -> Outcome:
    await turn.goto(Step.BIRTHDATE, FlowData(mode=Mode.EDIT, child_id=child_id, name=name))
    return say(_ask_birthdate(name))


async def _restart(turn: Turn) -> Outcome:
    """A flow stored without an answer this step needs (only an older version could leave one): ask again."""
    data = turn.data
    if data.mode is Mode.EDIT and data.child_id is not None and data.name is not None:
        return await begin_dates(turn, data.child_id, data.name)
    return await begin_another(turn)


def _ask_birthdate(name: str) -> str:
    return f"When was <b>{esc(name)}</b> born? Write the date {EXAMPLES}."


def read_name(text: str) -> str | None:
    """A name as typed, with spacing tidied; None when empty or too long to show nicely."""
    name = " ".join(text.split())
    return name if 0 < len(name) <= MAX_NAME_CHARS else None


async def on_name(turn: Turn, text: str) -> Outcome:
    name = read_name(text)
    if name is None:
        return say(NAME_HINT)
    await turn.goto(Step.BIRTHDATE, replace(turn.data, name=name))
    return say(_ask_birthdate(name))


async def on_birthdate(turn: Turn, text: str) -> Outcome:
    name = turn.data.name or "your child"

    def check(d: date) -> str | None:
        validate_birthdate(d, turn.today)
        if is_past_36_months(d, turn.today):
            return (
                f"{esc(name)} is past 36 months, and my tips are written for children from birth to "
                f"three, so I wouldn't have much to offer. Thank you for thinking of me! If the date has a "
                f"typo, just send it again."
            )
        return None

    return await _read_date(turn, text, Step.BIRTHDATE_PICK, check, _birthdate_known)


async def on_birthdate_pick(turn: Turn, value: str) -> Outcome:
    return await _pick(turn, value, _birthdate_known, on_birthdate)


async def on_due(turn: Turn, text: str) -> Outcome:
    birthdate = turn.data.birthdate
    if birthdate is None:  # only a flow stored by an older version could lack it
        return await _restart(turn)

    def check(d: date) -> str | None:
        validate_due_date(d, birthdate)
        return None

    return await _read_date(turn, text, Step.DUE_PICK, check, _complete)


async def on_due_pick(turn: Turn, value: str) -> Outcome:
    return await _pick(turn, value, _complete, on_due)


async def on_early(turn: Turn, text: str) -> Outcome:
    answer = " ".join(text.lower().split()).strip(".!")
    if answer in YES:
        await turn.goto(Step.DUE, turn.data)
        return say(f"What was the due date? Write it {EXAMPLES}.")
    if answer in NO:
        return await _complete(turn, None)
    return _ask_early(turn)


def _ask_early(turn: Turn) -> Outcome:
    name = esc(turn.data.name or "your child")
    buttons = ((choice(Step.EARLY, "yes", "Yes, born early"), choice(Step.EARLY, "no", "No")),)
    text = (
        f"Was {name} born early, before the due date? If so, I count the age from the due date "
        "(the corrected age), as doctors do for babies born early."
    )
    return Outcome([Reply(text, buttons)])


Check = Callable[[date], "str | None"]
Known = Callable[[Turn, date], Awaitable[Outcome]]


async def _read_date(turn: Turn, text: str, pick_step: Step, check: Check, known: Known) -> Outcome:
    """Parse a typed date; every reading that passes ``check`` is a candidate; two candidates -> ask."""
    try:
        parsed = parse_date(text[:64], turn.today)
    except DateProblem as exc:
        return say(esc(str(exc)))
    valid: list[date] = []
    problems: list[str] = []
    for candidate in parsed.candidates:
        try:
            problem = check(candidate)
        except DateProblem as exc:
            problem = esc(str(exc))
        if problem is None:
            valid.append(candidate)
        else:
            problems.append(problem)
    if not valid:
        return say(problems[0])
    if len(valid) == 1:
        return await known(turn, valid[0])
    await turn.goto(pick_step, replace(turn.data, candidates=tuple(valid)))
    buttons = tuple((choice(pick_step, d.isoformat(), day_date(d)),) for d in valid)
    return Outcome([Reply("Just to be sure, which date do you mean?", buttons)])


async def _pick(
    turn: Turn, value: str, known: Known, retype: Callable[[Turn, str], Awaitable[Outcome]]
) -> Outcome:
    """A button from the "which date" question; typed text instead is read as a fresh date."""
    picked = next((d for d in turn.data.candidates if d.isoformat() == value), None)
    if picked is not None:
        return await known(turn, picked)
    return await retype(turn, value)


async def _birthdate_known(turn: Turn, birthdate: date) -> Outcome:
    await turn.goto(Step.EARLY, replace(turn.data, candidates=(), birthdate=birthdate))
    return _ask_early(turn)


async def _complete(turn: Turn, due_date: date | None) -> Outcome:
    data = turn.data
    birthdate = data.birthdate
    if birthdate is None or data.name is None:  # only a flow stored by an older version could lack them
        return await _restart(turn)
    if data.mode is Mode.EDIT:
        child = await turn.child(data.child_id)
        await turn.goto(None)
        if child is None:
            return say("That child is no longer in your list. Send /children to see it.")
        await families.update_child(
            turn.s, child, birthdate=birthdate, due_date=due_date, clear_due_date=due_date is None
        )
        age = age_on(birthdate, turn.today, due_date)
        corrected = " (corrected for being born early)" if age.corrected else ""
        return say(f"Saved. {esc(child.name)} is {describe_age(age)} old{corrected}.")
    try:
        child = await families.add_child(
            turn.s, turn.parent, name=data.name, birthdate=birthdate, due_date=due_date
        )
    except families.TooManyChildren:  # a child shared with them while they were typing
        await turn.goto(None)
        return say(TOO_MANY_CHILDREN)
    # Scheduled right away with the defaults, so a parent who leaves the remaining questions still gets tips.
    await reschedule(turn.s, turn.parent, turn.now)
    if data.mode is Mode.FIRST:
        await turn.goto(Step.TZ, FlowData(mode=Mode.FIRST, child_id=child.id))
        return setup_steps.ask_tz(turn, f"Thank you! {esc(child.name)} is all set.\n\n")
    await turn.goto(None)
    typical = typical_now(child_info(child), library=turn.env.library, today=turn.today)
    return Outcome(
        [
            Reply(typical.text),
            Reply(
                f"{esc(child.name)} is added. Tips for {esc(child.name)} come along with your others. "
                f"{setup_steps.schedule_line(turn)}"
            ),
        ]
    )
