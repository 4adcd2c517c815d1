"""Time zone, tip days, tip time and tips per week: asked during onboarding and again from /settings.

The flow's mode says where a step leads: ``Mode.FIRST`` (new parent) and ``Mode.JOINED`` (a caregiver who came
through an invite) go on to the next question and end with a summary; ``Mode.SETTINGS`` saves one answer and
stops.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from zoneinfo import ZoneInfo

from bot.conversation import ways
from bot.conversation.flow import FlowData, Mode, Step
from bot.conversation.formats import (
    SaidTime,
    hhmm,
    local_day,
    local_moment,
    read_day_and_time,
    read_day_and_time_said,
    read_days,
    read_days_said,
    read_per_week,
    read_said_time,
    said_a_date,
)
from bot.conversation.outcome import Outcome, say
from bot.conversation.schedules import reschedule, resting_until
from bot.conversation.turn import Turn, choice
from bot.core.reply import Button, Reply
from bot.core.schedule import (
    DEFAULT_DAYS,
    DEFAULT_TIME,
    WEEKDAY_NAMES,
    describe_days,
    format_days,
    parse_days,
)
from bot.core.step_words import StepWord, normal_words
from bot.core.text import esc
from bot.core.timezones import COMMON_ZONES, confirmation, find_zone, zone_choice, zone_label
from db import families
from db.models import Child, ParentState

# Typed at "Keep that, or pick another day": keep it.
KEEP_WORDS = frozenset(
    {
        "yes",
        "yes please",
        "ok",
        "okay",
        "fine",
        "that's fine",
        "thats fine",
        "sounds good",
        "good",
        "perfect",
        "great",
        "sure",
        "keep",
        "keep it",
        "keep that",
        "default",
    }
)
TIME_CHOICES = (time(7, 0), time(9, 0), time(12, 0), time(15, 0), time(19, 0), time(20, 30))
PER_WEEK_CHOICES = (1, 2, 3)
TOO_MANY_A_WEEK = "I send one to three tips a week, so each one has time to settle in.\n\n"
# "More often", "every day": the most there is, and how to get it.
MOST_A_WEEK = (
    "Three a week is the most I send, so each tip has time to settle in. To get three, tap three days "
    "(like Mon, Wed and Fri), or say <i>3 a week</i>.\n\n"
)
TOO_MANY_DAYS = (
    "I send one to three tips a week, so each one has time to settle in. Please pick up to three days.\n\n"
)


def _rows(buttons: list[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def spread(first_day: int, per_week: int) -> frozenset[int]:
    """Tips spread evenly over the week from ``first_day``: 2 a week are 3 days apart, 3 every other day."""
    return frozenset((first_day + i * 7 // per_week) % 7 for i in range(per_week))


def first_day(days: frozenset[int]) -> int:
    """Where a spread starts: the day after the longest gap ({Wed, Sun} -> Sun), so going from 1 to 2 tips a
    week and back lands on the day the parent had."""

    def gap_before(day: int) -> int:
        return min((day - other) % 7 or 7 for other in days)

    return max(sorted(days), key=gap_before)


def schedule_line(turn: Turn, subject: str = "Tips") -> str:
    """The parent's schedule and their next tip, in their own time zone (``subject``: "They", after a
    sentence that already says "tips")."""
    parent = turn.parent
    days = parse_days(parent.tip_days)
    zone = esc(zone_label(parent.time_zone))
    line = f"{subject} come on {describe_days(days)} at {hhmm(parent.tip_time)} ({zone} time)."
    if parent.state == ParentState.PAUSED:
        return line + " They are paused right now: send /resume to start them again."
    if parent.state == ParentState.STOPPED:
        return line + " They are stopped right now: send /resume to start them again."
    rest = resting_until(parent, turn.now)
    if rest is not None:
        line += f" They are paused until {local_day(rest, parent.time_zone)}, then come back by themselves."
    if parent.next_due_at is not None:
        return line + f" The next one comes on {local_moment(parent.next_due_at, parent.time_zone)}."
    return line


def ask_tz(turn: Turn, lead: str = "") -> Outcome:
    zones = list(COMMON_ZONES)
    if turn.parent.time_zone not in zones and turn.parent.time_zone != "UTC":
        zones.insert(0, turn.parent.time_zone)
    said = turn.data.zone if turn.data.mode is not Mode.SETTINGS else None
    if said is not None:  # "we live in Glasgow", said while the child was set up: first, to confirm
        zones = [said, *(zone for zone in zones if zone != said)]
        lead += PLACE_SAID.format(label=esc(zone_label(said)))
    choices = [zone_choice(zone) for zone in zones]
    buttons = [choice(Step.TZ, c.value, c.label) for c in choices]
    text = (
        "Which time zone are you in? Tap one, or type your city (like <i>London</i> or <i>São Paulo</i>) "
        "or an offset (like <i>UTC+2</i>)."
    )
    if turn.data.mode is Mode.SETTINGS:
        out = ways.row(Step.TZ, StepWord.CANCEL, ways.KEEP_AS_IT_IS)
    else:
        out = ways.row(Step.TZ, StepWord.SKIP, f"Skip: keep {zone_label(turn.parent.time_zone)} time")
    return Outcome([Reply(lead + text, (*_rows(buttons, 2), out))])


# Before the time zone question, when the parent said where they live while the child was set up.
PLACE_SAID = "You told me where you live earlier: if that's <b>{label}</b> time, tap it below.\n"


# "Yes" or "🤔" at the time zone question: no zone, so how to give one, with the buttons again.
TZ_HOW = (
    "No rush! Just tap the time zone you're in below, or type the town or city you live in (like "
    "<i>Manchester</i>), so your tips come at a good time for you."
)


def how_to_answer_tz(turn: Turn) -> Outcome:
    """The time zone question answered with something that is no place: how to answer, with its buttons."""
    return Outcome([Reply(TZ_HOW, ask_tz(turn).replies[0].buttons)])


# The time zone question's extra buttons after "I made a mistake" during setup: put the child right first.
FIX_DATES = "fixdates"
FIX_NAME = "fixname"


def fix_buttons(name: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (choice(Step.TZ, FIX_DATES, f"📅 Change {name}'s birthdate"),),
        (choice(Step.TZ, FIX_NAME, f"✏️ Change the name {name}"[:64]),),
    )


async def back_to_setup(turn: Turn, child_id: int, lead: str) -> Outcome:
    """After a correction made during setup: on to the time zone question, where the parent was."""
    await turn.goto(Step.TZ, FlowData(mode=Mode.FIRST, child_id=child_id))
    return ask_tz(turn, lead)


async def on_tz(turn: Turn, text: str) -> Outcome:
    typed = text.strip()
    if typed in (FIX_DATES, FIX_NAME) and turn.data.mode is Mode.FIRST:
        return await _fix_child(turn, typed)
    found = find_zone(typed, turn.now)
    if not found.choices and _about_the_child(typed):  # "12 March 2026", "4 weeks early": the child put right
        offer = await _offer_child_fix(turn)
        if offer is not None:
            return offer
    if not found.choices:  # the buttons again, so a miss is never a dead end
        missed = esc(found.note) or f"I couldn't find a time zone for “{esc(typed[:64])}”."
        return ask_tz(turn, f"{missed}\n\n")
    if len(found.choices) > 1:
        buttons = [choice(Step.TZ, c.value, c.button) for c in found.choices]
        return Outcome([Reply(esc(found.note) or "Which one do you mean?", _rows(buttons, 1))])
    chosen = found.choices[0]
    await families.set_schedule(turn.s, turn.parent, time_zone=chosen.zone)
    said = f"Time zone set: {esc(confirmation(chosen, turn.now))}."
    if turn.data.mode is Mode.SETTINGS:
        return await _saved(turn, said)
    await turn.goto(Step.DAYS, turn.data)
    return ask_days(turn, f"{said}\n\n", first=True)


# With a figure, words that say a message is about the child's dates, not a place.
_CHILD_DATE_WORDS = frozenset({"early", "weeks", "months", "born", "due", "old", "premature", "prem"})


def _about_the_child(typed: str) -> bool:
    """A date or how early, typed at the time zone question: the child's dates, given again."""
    if said_a_date(typed):
        return True
    return any(ch.isdigit() for ch in typed) and bool(_CHILD_DATE_WORDS & set(normal_words(typed).split()))


async def _offer_child_fix(turn: Turn) -> Outcome | None:
    """In first setup: the buttons to put the child's dates or name right, then the time zone question."""
    child = await turn.child(turn.data.child_id) if turn.data.mode is Mode.FIRST else None
    if child is None:
        return None
    name = esc(child.name)
    text = f"That looks like {name}'s dates rather than a place. To change them, tap below; or carry on."
    return Outcome([Reply(text, fix_buttons(child.name)), *ask_tz(turn).replies])


async def _fix_child(turn: Turn, what: str) -> Outcome:
    """Setup's child put right (its birthdate, or its name), then back to the time zone question."""
    child = await turn.child(turn.data.child_id)
    if child is None:
        return ask_tz(turn)
    if what == FIX_NAME:
        await turn.goto(Step.RENAME, FlowData(child_id=child.id, then=Step.TZ))
        return Outcome([ways.rename_ask(child.name, from_now_on=False)])
    await turn.goto(
        Step.BIRTHDATE, FlowData(mode=Mode.EDIT, child_id=child.id, name=child.name, then=Step.TZ)
    )
    return Outcome([ways.birthdate_ask(child.name, editing=True)])


def ask_days(turn: Turn, lead: str = "", *, first: bool = False) -> Outcome:
    """Which days tips come on; in setup, ``first`` asks in full, and asked again it is the short form."""
    # The value is what a parent could type too ("mon"), so a press and typing it mean the same.
    day_buttons = [choice(Step.DAYS, name[:3].lower(), name[:3]) for name in WEEKDAY_NAMES]
    if turn.data.mode is Mode.SETTINGS:
        per_week = len(parse_days(turn.parent.tip_days))
        note = f" With {per_week} tips a week they are spread out from that day." if per_week > 1 else ""
        text = f"Which day should tips come on?{note} Or type the days you want, like <i>Mon Thu</i>."
        out = ways.row(Step.DAYS, StepWord.CANCEL, ways.KEEP_AS_IT_IS)
        return Outcome([Reply(lead + text, (*_rows(day_buttons, 4), out))])
    keep = choice(Step.DAYS, "keep", f"{WEEKDAY_NAMES[min(DEFAULT_DAYS)]} {hhmm(DEFAULT_TIME)} is fine")
    text = (
        (
            "Last thing: when would you like your tips? Most parents like once a week, on <b>Sunday at "
            "09:00</b>. Keep that, or pick another day (you can change it any time in /settings)."
        )
        if first
        else "When would you like your tips? Keep <b>Sunday at 09:00</b>, or pick another day."
    )
    chosen = parse_days(turn.parent.tip_days)
    if not first and chosen != DEFAULT_DAYS:  # back from the time question: the day picked is said
        text = f"Which day would you like your tips? So far it's <b>{describe_days(chosen)}</b>: tap a day to change it."
    return Outcome([Reply(lead + text, ((keep,), *_rows(day_buttons, 4)))])


async def on_days(turn: Turn, text: str) -> Outcome:
    value = text.strip().lower()
    settings = turn.data.mode is Mode.SETTINGS
    if (value == "keep" or normal_words(value) in KEEP_WORDS) and not settings:
        # What the button says, even if an earlier setup (all children since removed) chose otherwise.
        await families.set_schedule(
            turn.s, turn.parent, tip_days=format_days(DEFAULT_DAYS), tip_time=DEFAULT_TIME
        )
        return await finish(turn)
    both = read_day_and_time_said(value)  # "Saturday at 8:30" answers this question and the next
    days = both[0] if both is not None else read_days(value) or read_days_said(value)
    if days is None and said_a_date(value):  # "the 5th" is no Thursday, "friday 25" no Friday alone
        return ask_days(
            turn,
            f"Tips come on days of the week rather than on dates, so I can't use “{esc(text.strip()[:64])}”."
            "\n\n",
        )
    # How often instead of which days (not "3" alone: at "which day?" that may be the 3rd).
    per_week = read_per_week(value) if (both is None or both[1] is None) and not value.isdigit() else None
    if per_week is not None and per_week > max(PER_WEEK_CHOICES):  # "more often", "every day"
        return ask_days(turn, MOST_A_WEEK)
    if per_week is not None and days is None:  # "twice a week": spread from the day the parent has
        days = spread(first_day(parse_days(turn.parent.tip_days)), per_week)
    at = read_said_time(value) if days is None and not value.isdigit() else None
    if at is not None:  # "7pm" at "which day?": the days as they are, at that time
        return await _set_time(turn, at)
    if days is None:  # the question again, buttons and all: a miss is never a dead end
        return ask_days(turn, f"I couldn't read “{esc(text.strip()[:64])}” as days of the week.\n\n")
    if len(days) > max(PER_WEEK_CHOICES):
        return ask_days(turn, TOO_MANY_DAYS)
    await _set_days(turn, days)
    said = both[1] if both is not None else None
    if said is not None:
        return await _set_time(turn, said)
    if settings:
        return await _saved(turn, "Done.")
    await turn.goto(Step.TIME, replace(turn.data, hour=None, minute=None))
    return ask_time(turn)


async def _set_days(turn: Turn, days: frozenset[int]) -> None:
    if len(days) == 1:  # one day: as many tips a week as before, spread out from it
        days = spread(min(days), len(parse_days(turn.parent.tip_days)))
    await families.set_schedule(turn.s, turn.parent, tip_days=format_days(days))
    await reschedule(turn.s, turn.parent, turn.now)  # the next tip moves now, even if the parent leaves here


def ask_time(turn: Turn, lead: str = "") -> Outcome:
    hour = turn.data.hour
    if hour is not None and 0 <= hour <= 11:  # "Do you mean 06:30 or 18:30?" still waits for its answer
        return _which_hour(turn, time(hour, min(max(turn.data.minute or 0, 0), 59)), lead)
    buttons = [choice(Step.TIME, hhmm(t), hhmm(t)) for t in TIME_CHOICES]
    text = lead + "What time of day? Tap one, or type a time like <i>8:30</i> or <i>7pm</i>."
    return Outcome([Reply(text, (*_rows(buttons, 3), _time_way_out(turn)))])


def _which_hour(turn: Turn, at: time, lead: str = "") -> Outcome:
    night, day = hhmm(at), hhmm(at.replace(hour=at.hour + 12))
    buttons = ((choice(Step.TIME, night, night), choice(Step.TIME, day, day)), _time_way_out(turn))
    return Outcome([Reply(f"{lead}Do you mean {night} or {day}?", buttons)])


def _time_way_out(turn: Turn) -> tuple[Button, ...]:
    if turn.data.mode is Mode.SETTINGS:
        return ways.row(Step.TIME, StepWord.CANCEL, ways.KEEP_AS_IT_IS)
    return ways.row(Step.TIME, StepWord.SKIP, f"Skip: keep {hhmm(turn.parent.tip_time)}")


async def on_time(turn: Turn, text: str) -> Outcome:
    said = read_said_time(text)
    if said is None:
        both = read_day_and_time(text)  # "actually Saturday", "Saturday at 8": another day, perhaps a time
        if both is not None and len(both[0]) <= max(PER_WEEK_CHOICES):
            await _set_days(turn, both[0])
            if both[1] is not None:
                return await _set_time(turn, both[1])
            days = describe_days(parse_days(turn.parent.tip_days))
            return ask_time(turn, f"{days[0].upper()}{days[1:]} it is.\n\n")
        return ask_time(turn, f"I couldn't read “{esc(text.strip()[:64])}” as a time.\n\n")
    return await _set_time(turn, said)


async def _set_time(turn: Turn, said: SaidTime) -> Outcome:
    at = said.at
    if said.either:  # "3", "half six": morning or evening? Asked, as hardly anyone wants tips at 3 at night
        await turn.goto(Step.TIME, replace(turn.data, hour=at.hour, minute=at.minute))
        return _which_hour(turn, at)
    await families.set_schedule(turn.s, turn.parent, tip_time=at)
    if turn.data.mode is Mode.SETTINGS:
        return await _saved(turn, "Done.")
    return await finish(turn)


def ask_per_week(turn: Turn, lead: str = "") -> Outcome:
    buttons = tuple(choice(Step.PER_WEEK, str(n), f"{n} a week") for n in PER_WEEK_CHOICES)
    out = ways.row(Step.PER_WEEK, StepWord.CANCEL, ways.KEEP_AS_IT_IS)
    return Outcome([Reply(lead + "How many tips a week would you like?", (buttons, out))])


async def on_per_week(turn: Turn, text: str) -> Outcome:
    said = read_per_week(text)
    value = str(said) if said is not None else text.strip()
    if value not in ("1", "2", "3"):  # the question again, buttons and all
        return ask_per_week(
            turn, TOO_MANY_A_WEEK if said is not None or (value.isdigit() and int(value) > 3) else ""
        )
    days = spread(first_day(parse_days(turn.parent.tip_days)), int(value))
    await families.set_schedule(turn.s, turn.parent, tip_days=format_days(days))
    return await _saved(turn, f"{value} a week it is.")


async def _saved(turn: Turn, what: str) -> Outcome:
    await turn.goto(None)
    await reschedule(turn.s, turn.parent, turn.now)
    return say(f"{what} {schedule_line(turn)}")


async def finish(turn: Turn) -> Outcome:
    """End of onboarding (or of joining): a short confirmation, and a first tip right after it."""
    child = await turn.child(turn.data.child_id)
    next_name = turn.data.next_name
    await turn.goto(None)
    await reschedule(turn.s, turn.parent, turn.now)
    return remind_next(ready(turn, child, "All set!"), next_name)


def remind_next(outcome: Outcome, next_name: str | None) -> Outcome:
    """With a second child named at the start ("Oscar and Lily"), one line after the first is set up."""
    if next_name is None or not outcome.replies:
        return outcome
    first = outcome.replies[0]
    outcome.replies[0] = replace(
        first, text=f"{first.text}\nWhen you're ready, send /addchild for {esc(next_name)}."
    )
    return outcome


def ready(turn: Turn, child: Child | None, lead: str) -> Outcome:
    """A child is set up: one idea to try now (a tip, sent after this message and recorded like any other),
    when tips come, and a button for what is typical now; the whole stage waits behind that button."""
    line = schedule_line(turn)
    if child is None:
        return say(f"{lead} {line}\nAsk me anything about your child, or send /help.")
    name = esc(child.name)
    button = ((Button("🌱 What's typical now", f"c:normal:{child.id}"),),)
    due = turn.parent.next_due_at
    if due is not None and due.astimezone(ZoneInfo(turn.parent.time_zone)).date() == turn.today:
        # The first scheduled tip comes later today: no second one a few hours before it.
        text = f"{lead} The first idea for {name} comes later today.\n{line}\nAsk me anything, or send /help."
        return Outcome([Reply(text, button)])
    text = f"{lead} Here's a first idea to try with {name} now.\n{line}\nAsk me anything, or send /help."
    return Outcome([Reply(text, button)], tips=[(turn.parent.id, child.id)])
