"""/mydata in plain words: what is stored, named the way a parent would say it, beside the complete file.

The file (``db.privacy.export_parent``) is the complete record, for computers; this is the short version a
parent reads in the chat: days as names, times with the zone, children with their ages.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.conversation.flow import Step, read_step
from bot.conversation.formats import hhmm, local_day, local_moment
from bot.conversation.schedules import resting_until
from bot.conversation.turn import Turn
from bot.core.ages import age_note, age_on, describe_age
from bot.core.schedule import describe_days, parse_days
from bot.core.text import day_date, esc
from bot.core.timezones import zone_label
from db.models import Child, Feedback, ParentState

# Children named one by one; more are counted (all of them are in the file).
MAX_CHILDREN_SHOWN = 5

_DOING = {
    Step.NAME: "adding a child",
    Step.BIRTHDATE: "adding a child",
    Step.BIRTHDATE_PICK: "adding a child",
    Step.EARLY: "adding a child",
    Step.DUE: "adding a child",
    Step.DUE_PICK: "adding a child",
    Step.SAME_NAME: "adding a child",
    Step.TZ: "choosing your time zone",
    Step.DAYS: "choosing your tip days",
    Step.TIME: "choosing your tip time",
    Step.PER_WEEK: "choosing tips a week",
    Step.RENAME: "renaming a child",
    Step.ASK: "a question waiting for you to pick a child",
    Step.DELETE: "erasing your data",
    Step.PAUSE: "pausing tips",
    Step.STOP: "stopping tips",
}


def summary(turn: Turn, exported: dict[str, Any], children: list[Child]) -> str:
    parent = turn.parent
    zone = parent.time_zone
    days = parse_days(parent.tip_days)
    lines = [
        "<b>What I store about you</b>, in plain words (the complete file follows):",
        f"• <b>You:</b> {esc(parent.first_name or 'no name given')}"
        + (f", Telegram language setting {esc(parent.language_code)}" if parent.language_code else "")
        + f", with me since {day_date(parent.created_at.astimezone(ZoneInfo(zone)).date())}",
        f"• <b>Tips:</b> {describe_days(days)} at {hhmm(parent.tip_time)} ({esc(zone_label(zone))} time), "
        f"{len(days)} a week, {_state(turn)}",
    ]
    if parent.next_due_at is not None:
        lines.append(f"• <b>Next tip:</b> {local_moment(parent.next_due_at, zone)}")
    lines.append(f"• <b>Children:</b> {_children(turn, exported, children)}")
    deliveries = exported.get("deliveries", [])
    helpful = sum(1 for d in deliveries if d.get("feedback") == Feedback.HELPFUL.value)
    not_for_us = sum(1 for d in deliveries if d.get("feedback") == Feedback.NOT_FOR_US.value)
    lines.append(f"• <b>Tips sent:</b> {len(deliveries)} ({helpful} marked helpful, {not_for_us} not for us)")
    lines.append(f"• <b>Invite links you made:</b> {len(exported.get('invites', []))}")
    step = read_step(parent.flow)
    lines.append(f"• <b>In the middle of:</b> {_DOING.get(step, 'nothing') if step else 'nothing'}")
    return "\n".join(lines)


def _state(turn: Turn) -> str:
    parent = turn.parent
    rest = resting_until(parent, turn.now)
    if parent.state == ParentState.PAUSED:
        return "paused until you send /resume"
    if parent.state == ParentState.STOPPED:
        return "stopped"
    if parent.state == ParentState.BLOCKED:
        return "not sent (you had blocked me)"
    if rest is not None:
        return f"paused until {local_day(rest, parent.time_zone)}"
    return "on"


def _children(turn: Turn, exported: dict[str, Any], children: list[Child]) -> str:
    if not children:
        return "none yet"
    sharing = {c.get("id"): c.get("caregivers", 1) for c in exported.get("children", [])}
    shown = [_child(turn, child, int(sharing.get(child.id, 1))) for child in children[:MAX_CHILDREN_SHOWN]]
    more = len(children) - len(shown)
    return "; ".join(shown) + (f"; and {more} more (all in the file)" if more > 0 else "")


def _child(turn: Turn, child: Child, caregivers: int) -> str:
    text = f"{esc(child.name)}, born {day_date(child.birthdate)}"
    if child.due_date is not None:
        text += f" (due {day_date(child.due_date)})"
    if child.birthdate <= turn.today:
        age = age_on(child.birthdate, turn.today, child.due_date)
        note = f", {age_note(age)}" if age.by_birth else " corrected" if age.corrected else ""
        text += f", {describe_age(age)}{note}"
    if caregivers > 1:
        others = caregivers - 1
        text += f", shared with {others} other caregiver{'s' if others > 1 else ''}"
    return text
