"""The parent's account: /start, pausing and stopping tips, /settings, and their data (/mydata, /deletedata)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation import child_steps, children, setup_steps, turned_down
from bot.conversation.flow import FlowData, Mode, Step, read_step
from bot.conversation.formats import hhmm
from bot.conversation.outcome import Env, Outcome, Who, say
from bot.conversation.schedules import reschedule
from bot.conversation.texts import welcome
from bot.conversation.turn import Turn, choice
from bot.core.reply import Button, Document, Reply
from bot.core.schedule import describe_days, parse_days
from bot.core.text import esc
from bot.core.timezones import zone_label
from db import families, privacy
from db.families import MAX_CHILDREN
from db.models import ParentState

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
        asked = await child_steps.begin(turn, Mode.FIRST)
        return Outcome([greeting, *asked.replies])
    await turn.goto(None)
    await reschedule(s, parent, now)
    names = ", ".join(f"<b>{esc(kid.name)}</b>" for kid in kids[:MAX_CHILDREN])
    if len(kids) > MAX_CHILDREN:  # a family from before the limit
        names += f" and {len(kids) - MAX_CHILDREN} more"
    back = f"Welcome back{', ' + esc(who.first_name) if who.first_name else ''}! You're set up for {names}."
    return say(f"{back}\n{setup_steps.schedule_line(turn)}\nAsk me anything, or send /help.")


async def pause(turn: Turn) -> Outcome:
    await families.set_state(turn.s, turn.parent, ParentState.PAUSED)
    return say("Tips are paused. Send /resume whenever you want them back. You can still ask me anything.")


async def resume(turn: Turn) -> Outcome:
    await families.set_state(turn.s, turn.parent, ParentState.ACTIVE)
    await reschedule(turn.s, turn.parent, turn.now)
    return say(f"Tips are back on. {setup_steps.schedule_line(turn)}")


async def stop(turn: Turn) -> Outcome:
    await families.set_state(turn.s, turn.parent, ParentState.STOPPED)
    return say(
        "I've stopped your tips. Your children's details stay until you erase them with /deletedata. "
        "Send /resume any time to get tips again."
    )


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
    exported = await privacy.export_parent(turn.s, turn.parent.id)
    content = json.dumps(exported, indent=2, ensure_ascii=False, default=str).encode()
    document = Document("securebase-my-data.json", content)
    return Outcome([Reply("Here is everything I store about you and your children.", document=document)])


async def delete_data(turn: Turn) -> Outcome:
    await turn.goto(Step.DELETE)
    buttons = (
        (choice(Step.DELETE, "yes", "Yes, erase everything"), choice(Step.DELETE, "no", "No, keep it")),
    )
    text = (
        "This erases everything I store about you: your settings, your children's details (unless another "
        "caregiver shares them) and the tips I sent. It can't be undone. Erase it all?"
    )
    return Outcome([Reply(text, buttons)])


async def on_delete(turn: Turn, value: str) -> Outcome:
    if value.strip().lower() != "yes":
        await turn.goto(None)
        return say("OK, nothing was deleted.")
    await privacy.delete_parent(turn.s, turn.parent.id)
    return say(
        "Done: everything I stored about you is erased. Thank you for the time we had together. "
        "If you ever want to come back, send /start."
    )
