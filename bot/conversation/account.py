"""The parent's account: /start, pausing and stopping tips, /settings, and their data (/mydata, /deletedata)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import child_steps, children, readable, setup_steps, turned_down, ways
from bot.conversation.flow import FlowData, Mode, Step, read_step
from bot.conversation.formats import hhmm, join_names, local_day, local_moment
from bot.conversation.outcome import Env, Outcome, Who, say
from bot.conversation.schedules import reschedule, resting_until
from bot.conversation.texts import welcome
from bot.conversation.turn import Turn, choice
from bot.core.reply import Button, Document, Reply
from bot.core.schedule import describe_days, parse_days
from bot.core.step_words import StepWord, normal_words
from bot.core.text import esc
from bot.core.timezones import zone_label
from db import families, privacy
from db.models import ParentState

FILE_CAPTION = "Everything I store about you, complete, in a file computers can read (JSON)."
# More children than this are counted, not named, in "Welcome back".
WELCOME_BACK_NAMES = 6

# The /settings buttons (``s:<step>``): each starts its flow step in settings mode.
SETTINGS_QUESTIONS: dict[Step, Callable[[Turn], Outcome]] = {
    Step.DAYS: setup_steps.ask_days,
    Step.TIME: setup_steps.ask_time,
    Step.TZ: setup_steps.ask_tz,
    Step.PER_WEEK: setup_steps.ask_per_week,
}


async def start(s: AsyncSession, env: Env, who: Who, args: list[str], now: datetime) -> Outcome:
    """New parents are welcomed and onboarded; known ones are welcomed back (and unblocked/unstopped)."""
    parent, created = await families.get_or_create_parent(
        s,
        who.chat_id,
        first_name=who.first_name,
        language_code=who.language_code,
        time_zone=env.default_time_zone,
    )
    turn = Turn(s, env, parent, now)
    was_stopped = parent.state is ParentState.STOPPED
    if parent.state in (ParentState.BLOCKED, ParentState.STOPPED):
        await families.set_state(s, parent, ParentState.ACTIVE)
    if args:
        joined = await children.join(turn, args[0], created)
        if created:
            joined.replies.insert(0, Reply(welcome(who.first_name)))
        return joined
    kids = await turn.children()
    if not kids:
        greeting = Reply(welcome(who.first_name))
        await child_steps.leave(turn)  # /start half-way through: the child so far is offered, not lost
        asked = await child_steps.offer_to_carry_on(turn) or await child_steps.begin(turn, Mode.FIRST)
        return Outcome([greeting, *asked.replies])
    await child_steps.leave(turn)  # a child half added is held, and offered below, never dropped unsaid
    await reschedule(s, parent, now)
    hello = f"Welcome back{', ' + esc(who.first_name) if who.first_name else ''}!"
    if len(kids) > WELCOME_BACK_NAMES:
        set_up = f"You're set up for {len(kids)} children (see /children)."
    else:
        set_up = f"You're set up for {join_names([f'<b>{esc(kid.name)}</b>' for kid in kids])}."
    if was_stopped:  # /start after /stop brings the tips back: said, not left to the schedule line
        set_up += " Your tips are back on."
    back = say(f"{hello} {set_up}\n{setup_steps.schedule_line(turn)}\nAsk me anything, or send /help.")
    held = await child_steps.offer_to_carry_on(turn)
    return Outcome(back.replies + (held.replies if held is not None else []))


# Lengths a pause can have (``Step.PAUSE`` values); ``RESUME`` pauses until /resume.
PAUSE_DAYS = {"7": 7, "14": 14, "30": 30}
RESUME = "resume"
_PAUSE_WORDS = {
    "7": ("1 week", "one week", "a week", "week", "7 days", "1w"),
    "14": ("2 weeks", "two weeks", "fortnight", "a fortnight", "14 days", "2w"),
    "30": ("1 month", "one month", "a month", "month", "30 days", "4 weeks", "four weeks"),
    RESUME: (
        "until i resume",
        "until resume",
        "until i say",
        "indefinitely",
        "for now",
        "until further notice",
    ),
}


def read_pause(text: str) -> str | None:
    """A pause length as tapped ("7", "resume") or typed ("two weeks", "a month", "until I resume")."""
    said = normal_words(text)
    for value, words in _PAUSE_WORDS.items():
        if said == value or said in words or said.removeprefix("for ") in words:
            return value
    return None


async def pause(turn: Turn) -> Outcome:
    """/pause and a tip's pause button: first, for how long."""
    await turn.goto(Step.PAUSE)
    return ask_pause(turn)


def ask_pause(turn: Turn, lead: str = "") -> Outcome:
    buttons = (
        (choice(Step.PAUSE, "7", "One week"), choice(Step.PAUSE, "14", "Two weeks")),
        (choice(Step.PAUSE, "30", "A month"), choice(Step.PAUSE, RESUME, "Until I resume")),
        ways.row(Step.PAUSE, StepWord.CANCEL, "Never mind"),
    )
    text = (
        "Pause tips for how long? After a week, two weeks or a month they come back by themselves; "
        "or they wait until you send /resume. You can still ask me anything."
    )
    return Outcome([Reply(lead + text, buttons)])


async def on_pause(turn: Turn, text: str) -> Outcome:
    value = read_pause(text)
    if value is None:
        return ask_pause(turn, "Please tap how long, or type it (like <i>two weeks</i>).\n\n")
    await turn.goto(None)
    if value == RESUME:
        await families.set_pause(turn.s, turn.parent, None)
        await families.set_state(turn.s, turn.parent, ParentState.PAUSED)
        return say("Tips are paused until you send /resume. You can still ask me anything.")
    until = turn.now + timedelta(days=PAUSE_DAYS[value])
    await families.set_pause(turn.s, turn.parent, until)
    await families.set_state(turn.s, turn.parent, ParentState.ACTIVE)
    await reschedule(turn.s, turn.parent, turn.now)
    back = local_day(until, turn.parent.time_zone)
    next_due = turn.parent.next_due_at
    then = f" The next one comes on {local_moment(next_due, turn.parent.time_zone)}." if next_due else ""
    return say(
        f"Tips are paused until {back}, then they come back by themselves.{then} "
        "Send /resume to have them sooner."
    )


def tips_on(turn: Turn) -> bool:
    """Tips neither paused nor stopped: /resume has nothing to do."""
    parent = turn.parent
    return parent.state is ParentState.ACTIVE and resting_until(parent, turn.now) is None


async def already_on(turn: Turn) -> Outcome:
    """/resume with nothing paused: said truthfully, with when the next tip comes."""
    await reschedule(turn.s, turn.parent, turn.now)
    return say(f"Your tips are already on: nothing is paused. {setup_steps.schedule_line(turn, 'They')}")


async def resume(turn: Turn) -> Outcome:
    """/resume: tips back on after a pause or /stop; with nothing paused, said that they are on already."""
    if tips_on(turn):
        return await already_on(turn)
    await families.set_pause(turn.s, turn.parent, None)
    await families.set_state(turn.s, turn.parent, ParentState.ACTIVE)
    await reschedule(turn.s, turn.parent, turn.now)
    return say(f"Tips are back on. {setup_steps.schedule_line(turn, 'They')}")


async def stop(turn: Turn) -> Outcome:
    """/stop: say how it differs from a pause, and stop only after a yes."""
    await turn.goto(Step.STOP)
    return ask_stop(turn)


def ask_stop(turn: Turn, lead: str = "") -> Outcome:
    buttons = (
        (choice(Step.STOP, "yes", "Yes, stop tips"),),
        (choice(Step.STOP, "pause", "Pause instead"), choice(Step.STOP, "no", "Keep them coming")),
    )
    text = (
        "Stop your tips? They stop until you send /resume or /start; your details stay for "
        f"{turn.env.retention_months} months after your last message (erase them now with /deletedata). If "
        "you only need a break, a pause brings tips back by itself."
    )
    return Outcome([Reply(lead + text, buttons)])


# Typed answers to "Stop your tips?"; anything else is asked again rather than guessed.
STOP_YES = frozenset(
    {
        "yes",
        "y",
        "yeah",
        "yep",
        "yes please",
        "yes stop",
        "yes, stop",
        "yes, stop tips",
        "stop tips",
        "stop them",
        "please stop",
        "stop please",
        "stop the tips",
        "stop",
        "stop it",
        "stop that",
        "stop them please",
        "stop tips please",
    }
)
STOP_NO = frozenset(
    {
        "no",
        "n",
        "nope",
        "no thanks",
        "no thank you",
        "keep them",
        "keep them coming",
        "keep going",
        "carry on",
    }
)


STOP_PAUSE = frozenset({"pause", "pause instead"})


def said_stop(text: str) -> bool:
    """ "Stop", "stop please", "yes stop": at "Stop your tips?" the stop words are a yes, not a way out."""
    return normal_words(text) in STOP_YES


async def on_stop(turn: Turn, text: str) -> Outcome:
    said = normal_words(text)
    if said not in STOP_YES | STOP_NO | STOP_PAUSE:
        return ask_stop(turn, "Please tap one of these, so I get it right.\n\n")
    if said in STOP_YES:
        await turn.goto(None)
        await families.set_pause(turn.s, turn.parent, None)
        await families.set_state(turn.s, turn.parent, ParentState.STOPPED)
        return say(
            f"I've stopped your tips. I keep your details for {turn.env.retention_months} months after your "
            "last message, then erase them (/deletedata does it now). Send /resume any time to get tips again."
        )
    if said in STOP_PAUSE:
        return await pause(turn)
    await turn.goto(None)
    return say("OK, your tips carry on as before.")


async def settings(turn: Turn) -> Outcome:
    parent = turn.parent
    days = parse_days(parent.tip_days)
    text = (
        "<b>Your settings</b>\n"
        f"Days: {describe_days(days)}\nTime: {hhmm(parent.tip_time)}\n"
        f"Time zone: {esc(zone_label(parent.time_zone))}\nTips a week: {len(days)}\n\n"
        f"{setup_steps.schedule_line(turn)}\nWhat would you like to change?"
    )
    buttons = (
        (Button("📅 Days", f"s:{Step.DAYS}"), Button("🕘 Time", f"s:{Step.TIME}")),
        (Button("🌍 Time zone", f"s:{Step.TZ}"), Button("🔢 Tips a week", f"s:{Step.PER_WEEK}")),
        (turned_down.SETTINGS_BUTTON,),
    )
    return Outcome([Reply(text, buttons)])


async def on_settings_press(turn: Turn, what: str) -> Outcome | None:
    """``s:<what>`` from the /settings menu: ask that one question, or ``s:declined:<page>`` for the tips turned
    down; None for anything else."""
    kind, _, page = what.partition(":")
    if kind == "declined":
        return await turned_down.listing(turn, page)
    step = read_step(what)
    ask = SETTINGS_QUESTIONS.get(step) if step is not None else None
    if step is None or ask is None:
        return None
    await turn.goto(step, FlowData(mode=Mode.SETTINGS))
    return ask(turn)


async def my_data(turn: Turn) -> Outcome:
    """A short summary in plain words, on the complete machine-readable file."""
    exported = await privacy.export_parent(turn.s, turn.parent.id)
    content = json.dumps(exported, indent=2, ensure_ascii=False, default=str).encode()
    document = Document("securebase-my-data.json", content)
    summary = readable.summary(turn, exported, await turn.children())
    # Apart: a document's caption is limited to 1,024 characters, and the file needs no more than its name.
    return Outcome([Reply(summary), Reply(FILE_CAPTION, document=document)])


async def delete_data(turn: Turn) -> Outcome:
    await turn.goto(Step.DELETE)
    return ask_delete(turn)


def ask_delete(turn: Turn, lead: str = "") -> Outcome:
    buttons = (
        (choice(Step.DELETE, "yes", "Yes, erase everything"), choice(Step.DELETE, "no", "No, keep it")),
    )
    text = (
        "This erases everything I store about you: your settings, your children's details (unless another "
        "caregiver shares them) and the tips I sent. It can't be undone. Erase it all?"
    )
    return Outcome([Reply(lead + text, buttons)])


# Typed, these mean yes; erasing still waits for the button (or a plain "yes"), since it cannot be undone.
DELETE_YES_LIKE = frozenset(
    {"y", "yeah", "yep", "yes please", "yes erase", "yes, erase", "erase", "delete", "erase it"}
)


async def on_delete(turn: Turn, value: str) -> Outcome:
    said = normal_words(value)
    if said in DELETE_YES_LIKE:
        return ask_delete(turn, "To be sure, please tap “Yes, erase everything”.\n\n")
    if value.rstrip().endswith("?"):  # "wait, what does this delete?": the question is the answer, again
        return ask_delete(turn, "Nothing is erased unless you tap “Yes, erase everything”.\n\n")
    if said != "yes":
        await turn.goto(None)
        return say("OK, nothing was deleted.")
    await privacy.delete_parent(turn.s, turn.parent.id)
    done = say(
        "Done: everything I stored about you is erased. Thank you for the time we had together. "
        "If you ever want to come back, send /start."
    )
    done.erased = True
    return done
