"""Finding what retention erases: parents inactive for too long (blocked, stopped, or with no child: a setup
never finished), children past the tips and the grace period.

The erasing itself is /deletedata's (``db.privacy.delete_parent``) and a removed child's
(``db.families.delete_children``), so nothing is left behind that those leave out. Every function takes the
caller's session and never commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Caregiver, Child, Parent, ParentState

INACTIVE = (ParentState.BLOCKED, ParentState.STOPPED)


def _no_child() -> ColumnElement[bool]:
    return ~exists().where(Caregiver.parent_id == Parent.id)


def _inactive() -> ColumnElement[bool]:
    """Blocked, stopped, or without a child (setup started and left, or every child removed)."""
    return or_(Parent.state.in_(INACTIVE), _no_child())


async def stamp_inactive(s: AsyncSession, now: dt.datetime) -> None:
    """Start the retention clock of parents newly blocked, stopped or without a child; stop it for everyone
    else (a parent who resumed, came back or added a child). A word from the parent stops it too
    (``bot.conversation.router``); the next run starts it again if they are still inactive."""
    await s.execute(
        update(Parent)
        .where(_inactive(), Parent.inactive_since.is_(None))
        .values(inactive_since=now)
        .execution_options(synchronize_session=False)
    )
    await s.execute(
        update(Parent)
        .where(~_inactive(), Parent.inactive_since.is_not(None))
        .values(inactive_since=None)
        .execution_options(synchronize_session=False)
    )


async def inactive_parents(
    s: AsyncSession, since_before: dt.datetime, childless_since_before: dt.datetime | None = None
) -> list[int]:
    """Parents blocked, or stopped and silent, since before ``since_before``; and parents with no child and
    silent since before ``childless_since_before`` (a shorter wait: there is nothing to come back to)."""
    childless = childless_since_before or since_before
    rows = await s.scalars(
        select(Parent.id)
        .where(
            or_(
                Parent.state.in_(INACTIVE) & (Parent.inactive_since < since_before),
                _no_child() & (Parent.inactive_since < childless),
            )
        )
        .order_by(Parent.id)
    )
    return list(rows)


async def children_born_by(s: AsyncSession, born_on_or_before: dt.date) -> list[tuple[int, dt.date]]:
    """(id, birthdate) of children born on or before this date that no caregiver asked to keep."""
    kept = exists().where(Caregiver.child_id == Child.id, Caregiver.keep_after_tips.is_(True))
    rows = await s.execute(
        select(Child.id, Child.birthdate)
        .where(Child.birthdate <= born_on_or_before, ~kept)
        .order_by(Child.id)
    )
    return [(child_id, birthdate) for child_id, birthdate in rows]


async def set_keep(s: AsyncSession, parent_id: int, child_id: int, keep: bool) -> None:
    """This caregiver's wish to keep (or not) the child's details after the tips end."""
    await s.execute(
        update(Caregiver)
        .where(Caregiver.parent_id == parent_id, Caregiver.child_id == child_id)
        .values(keep_after_tips=keep)
        .execution_options(synchronize_session=False)
    )


async def keeps(s: AsyncSession, parent_id: int, child_id: int) -> bool:
    kept: bool | None = await s.scalar(
        select(Caregiver.keep_after_tips).where(
            Caregiver.parent_id == parent_id, Caregiver.child_id == child_id
        )
    )
    return bool(kept)
