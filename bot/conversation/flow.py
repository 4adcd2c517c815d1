"""Where a parent is in a conversation: the step they are at, the mode of the flow, and the answers so far.

Stored on the parent row (``flow`` and ``flow_data``), so a restart or another process carries on where the
last update left off. :class:`FlowData` is read and written here only, as JSON with ISO dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar
from zoneinfo import available_timezones

T = TypeVar("T")


class Step(StrEnum):
    """A question waiting for the parent's answer (typed, or a button made by ``turn.choice``)."""

    NAME = "name"
    BIRTHDATE = "birthdate"
    BIRTHDATE_PICK = "birthdate_pick"
    EARLY = "early"
    DUE = "due"
    DUE_PICK = "due_pick"
    TZ = "tz"
    DAYS = "days"
    TIME = "time"
    PER_WEEK = "per_week"
    SAME_NAME = "same_name"
    RENAME = "rename"
    ASK = "ask"
    DELETE = "delete"
    PAUSE = "pause"
    STOP = "stop"


class Mode(StrEnum):
    """Where the steps lead: ``FIRST`` onboarding (child, then time zone and schedule), ``ADD`` another child,
    ``EDIT`` new dates for a child, ``JOINED`` a caregiver from an invite (time zone and schedule),
    ``SETTINGS`` one answer from /settings, saved on its own."""

    FIRST = "first"
    ADD = "add"
    EDIT = "edit"
    JOINED = "joined"
    SETTINGS = "settings"


@dataclass(frozen=True, slots=True)
class FlowData:
    """The answers a flow has so far. ``question`` is the only text of a parent's ever stored: a question
    waiting for them to tap which child it is about, cleared right after. ``held`` is the step a parent left
    with /cancel, kept (with the answers) so a "carry on" button can take them back to it; ``then`` is the
    step to return to after a correction made on the way."""

    mode: Mode | None = None
    child_id: int | None = None
    name: str | None = None
    birthdate: date | None = None
    candidates: tuple[date, ...] = ()
    question: str | None = None
    held: Step | None = None
    # The step to go back to once this one is answered: a name or dates put right in the middle of setup.
    then: Step | None = None
    # An hour typed bare ("3") and asked back ("Do you mean 03:00 or 15:00?"), so the question outlives an "ok".
    hour: int | None = None
    minute: int | None = None  # with ``hour``: "half six" asked back as "06:30 or 18:30?"
    # The offer to carry on with the held child was the last thing said, so a "yes" or "ok" answers it.
    offered: bool = False
    # The birthdate question was turned down once ("skip", "no thanks"): a second refusal stops there.
    refused: bool = False
    # A time zone the parent's place said in passing gives ("we live in Glasgow" during the child's questions):
    # offered first at the time zone question. The zone's id only, never the words.
    zone: str | None = None
    # "Oscar and Lily" at the name question: Lily, to be reminded of (/addchild) once Oscar is set up.
    next_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        if self.mode is not None:
            raw["mode"] = self.mode.value
        if self.child_id is not None:
            raw["child_id"] = self.child_id
        if self.name is not None:
            raw["name"] = self.name
        if self.birthdate is not None:
            raw["birthdate"] = self.birthdate.isoformat()
        if self.candidates:
            raw["candidates"] = [d.isoformat() for d in self.candidates]
        if self.question is not None:
            raw["question"] = self.question
        if self.held is not None:
            raw["held"] = self.held.value
        if self.then is not None:
            raw["then"] = self.then.value
        if self.hour is not None:
            raw["hour"] = self.hour
        if self.minute is not None:
            raw["minute"] = self.minute
        if self.offered:
            raw["offered"] = True
        if self.refused:
            raw["refused"] = True
        if self.zone is not None:
            raw["zone"] = self.zone
        if self.next_name is not None:
            raw["next_name"] = self.next_name
        return raw

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> FlowData:
        """What was stored; a value this version cannot read is left out rather than failing the update."""
        raw = raw or {}
        return cls(
            mode=_read(lambda: Mode(raw["mode"])),
            child_id=_read(lambda: _int(raw["child_id"])),
            name=_read(lambda: str(raw["name"])),
            birthdate=_read(lambda: date.fromisoformat(raw["birthdate"])),
            candidates=_read(lambda: tuple(date.fromisoformat(d) for d in raw["candidates"])) or (),
            question=_read(lambda: str(raw["question"])),
            held=_read(lambda: Step(raw["held"])),
            then=_read(lambda: Step(raw["then"])),
            hour=_read(lambda: _int(raw["hour"])),
            minute=_read(lambda: _int(raw["minute"])),
            offered=raw.get("offered") is True,
            refused=raw.get("refused") is True,
            zone=_read(lambda: _zone(raw["zone"])),
            next_name=_read(lambda: str(raw["next_name"])),
        )


def read_step(stored: str | None) -> Step | None:
    """The stored step, or None (no flow, or a step this version no longer has)."""
    try:
        return Step(stored) if stored is not None else None
    except ValueError:
        return None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _zone(value: object) -> str:
    if not isinstance(value, str) or value not in _zones():
        raise ValueError("not a time zone")
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an id")
    return value


def _read(get: Callable[[], T]) -> T | None:
    try:
        return get()
    except (KeyError, TypeError, ValueError):
        return None
