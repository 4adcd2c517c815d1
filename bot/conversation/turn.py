"""One update being handled for a known parent: the session, the moment, and the flow they are in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.flow import FlowData, Step, read_step
from bot.conversation.outcome import Env
from bot.core.answers import ChildInfo
from bot.core.reply import Button
from db import families
from db.models import Child, Parent

# Database ids are 32-bit, in ASCII digits (`\d` would also take other scripts' digits, which int() reads);
# anything else in callback data is forged and must not reach a query.
_ID = re.compile(r"[1-9][0-9]{0,9}")
_MAX_ID = 2**31 - 1


def parse_id(text: str) -> int | None:
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= _MAX_ID else None


def choice(step: Step, value: str, label: str) -> Button:
    """A button that answers the flow step ``step``; pressed in any other step it has expired."""
    return Button(label, f"f:{step}:{value}")


def local_day(now: datetime, zone: str) -> date:
    """The day it is in ``zone`` at ``now``: a parent's "today" and "yesterday" follow their calendar (their
    time zone, or the operator's ``DEFAULT_TIME_ZONE`` until they pick one), never the server's."""
    return now.astimezone(ZoneInfo(zone)).date()


def child_info(child: Child) -> ChildInfo:
    return ChildInfo(name=child.name, birthdate=child.birthdate, due_date=child.due_date)


@dataclass
class Turn:
    s: AsyncSession
    env: Env
    parent: Parent
    now: datetime

    @property
    def today(self) -> date:
        """The parent's local date: ages and "today" follow their calendar, not the server's."""
        return local_day(self.now, self.parent.time_zone)

    @property
    def step(self) -> Step | None:
        return read_step(self.parent.flow)

    @property
    def data(self) -> FlowData:
        return FlowData.from_json(self.parent.flow_data)

    async def goto(self, step: Step | None, data: FlowData = FlowData()) -> None:  # noqa: B008 (frozen)
        """Move to ``step`` with ``data``; None leaves the flow (and forgets its data)."""
        await families.set_flow(self.s, self.parent, step, data.to_json() if step is not None else None)

    async def hold(self, data: FlowData) -> None:
        """Leave the flow but keep its answers and step (``data.held``), for a "carry on" button; the next
        step anywhere forgets them."""
        await families.set_flow(self.s, self.parent, None, data.to_json())

    async def child(self, child_id: int | str | None) -> Child | None:
        """The parent's own child with this id, or None (not theirs, gone, or not an id at all)."""
        if isinstance(child_id, str):
            child_id = parse_id(child_id)
        if child_id is None:
            return None
        return await families.get_child_for_parent(self.s, self.parent.id, child_id)

    async def children(self) -> list[Child]:
        return await families.list_children(self.s, self.parent.id)
