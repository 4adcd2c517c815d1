"""Families: parents, their children, the caregivers who share a child, and the invites that link them.

Every function takes the caller's session and flushes but never commits: the caller commits once per update or
job, so one update's changes land together or not at all. Handlers resolve a child id that came from a button
only through :func:`get_child_for_parent`, which is what keeps one family from reaching another's child.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import NAME_MAX_LENGTH, Caregiver, Child, Delivery, Invite, InviteChild, Parent, ParentState

InviteProblem = Literal["unknown", "expired", "used", "already_linked", "too_many"]

# The most children one parent can have (their own and shared): enough for any family, and what keeps every
# list, picker and pass to a known size (/children pages, the tips one pass sends to a chat).
MAX_CHILDREN = 10

# 16 random bytes: 22 url-safe characters, fit for a Telegram deep link (/start <code>, at most 64 characters).
INVITE_CODE_BYTES = 16


class InviteError(Exception):
    """An invite that cannot be redeemed; ``reason`` says why, for a friendly reply (``children``: how many
    children the invite is for)."""

    def __init__(self, reason: InviteProblem, children: int = 1) -> None:
        super().__init__(reason)
        self.reason: InviteProblem = reason
        self.children = children


class TooManyChildren(ValueError):
    """The parent already has :data:`MAX_CHILDREN` children."""


def _name(value: str) -> str:
    return value.strip()[:NAME_MAX_LENGTH]


async def get_parent(s: AsyncSession, chat_id: int) -> Parent | None:
    result: Parent | None = await s.scalar(select(Parent).where(Parent.chat_id == chat_id))
    return result


async def get_or_create_parent(
    s: AsyncSession, chat_id: int, *, first_name: str | None, language_code: str | None, time_zone: str
) -> tuple[Parent, bool]:
    """The parent for this chat, created on first contact; ``True`` when it was just created.

    Insert-or-ignore makes two simultaneous first messages from one chat safe on every backend. Telegram's
    first name and language are refreshed whenever given; the time zone is only a starting value.
    """
    values: dict[str, Any] = {
        "chat_id": chat_id,
        "first_name": _name(first_name) if first_name else None,
        "language_code": language_code[:16] if language_code else None,
        "time_zone": time_zone,
    }
    insert = postgresql_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    created_id = await s.scalar(
        insert(Parent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["chat_id"])
        .returning(Parent.id)
    )
    parent = (await s.scalars(select(Parent).where(Parent.chat_id == chat_id))).one()
    if created_id is None:
        if first_name:
            parent.first_name = values["first_name"]
        if language_code:
            parent.language_code = values["language_code"]
        await s.flush()
    return parent, created_id is not None


async def _next_position(s: AsyncSession, parent_id: int) -> int:
    highest = await s.scalar(select(func.max(Caregiver.position)).where(Caregiver.parent_id == parent_id))
    return 0 if highest is None else highest + 1


async def list_children(s: AsyncSession, parent_id: int) -> list[Child]:
    """The parent's children in their order (the order tips for several children go out in)."""
    rows = await s.scalars(
        select(Child)
        .join(Caregiver, Caregiver.child_id == Child.id)
        .where(Caregiver.parent_id == parent_id)
        .order_by(Caregiver.position, Child.id)
    )
    return list(rows)


async def count_children(s: AsyncSession, parent_id: int) -> int:
    return int(await s.scalar(select(func.count()).where(Caregiver.parent_id == parent_id)) or 0)


async def add_child(
    s: AsyncSession, parent: Parent, *, name: str, birthdate: dt.date, due_date: dt.date | None
) -> Child:
    """A new child of this parent's; :class:`TooManyChildren` at the limit."""
    if await count_children(s, parent.id) >= MAX_CHILDREN:
        raise TooManyChildren(parent.id)
    child = Child(name=_name(name), birthdate=birthdate, due_date=due_date)
    s.add(child)
    await s.flush()
    s.add(Caregiver(parent_id=parent.id, child_id=child.id, position=await _next_position(s, parent.id)))
    await s.flush()
    return child


async def get_child_for_parent(s: AsyncSession, parent_id: int, child_id: int) -> Child | None:
    """The child, only if it is linked to this parent."""
    result: Child | None = await s.scalar(
        select(Child)
        .join(Caregiver, Caregiver.child_id == Child.id)
        .where(Caregiver.parent_id == parent_id, Child.id == child_id)
    )
    return result


async def update_child(
    s: AsyncSession,
    child: Child,
    *,
    name: str | None = None,
    birthdate: dt.date | None = None,
    due_date: dt.date | None = None,
    clear_due_date: bool = False,
) -> None:
    """Change what was given; ``clear_due_date`` removes the due date (``None`` alone means "unchanged")."""
    if name is not None:
        child.name = _name(name)
    if birthdate is not None:
        child.birthdate = birthdate
    if clear_due_date:
        child.due_date = None
    elif due_date is not None:
        child.due_date = due_date
    await s.flush()


async def delete_children(s: AsyncSession, child_ids: list[int]) -> None:
    """Delete children with everything that hangs off them (explicitly, not trusting FK cascades alone)."""
    if not child_ids:
        return
    await s.execute(delete(Delivery).where(Delivery.child_id.in_(child_ids)))
    made_from = select(Invite.id).where(Invite.child_id.in_(child_ids)).scalar_subquery()
    await s.execute(
        delete(InviteChild).where(InviteChild.child_id.in_(child_ids) | InviteChild.invite_id.in_(made_from))
    )
    await s.execute(delete(Invite).where(Invite.child_id.in_(child_ids)))
    await s.execute(delete(Caregiver).where(Caregiver.child_id.in_(child_ids)))
    await s.execute(delete(Child).where(Child.id.in_(child_ids)))


async def remove_child(s: AsyncSession, parent_id: int, child_id: int) -> bool:
    """Unlink the child from this parent (with this parent's tips and invites for it); the child itself is
    deleted when no caregiver is left. ``False`` when the child was not this parent's."""
    unlinked = await s.execute(
        delete(Caregiver).where(Caregiver.parent_id == parent_id, Caregiver.child_id == child_id)
    )
    if not unlinked.rowcount:  # type: ignore[attr-defined]
        return False
    others = await s.scalar(select(func.count()).where(Caregiver.child_id == child_id))
    if others:
        await s.execute(
            delete(Delivery).where(Delivery.parent_id == parent_id, Delivery.child_id == child_id)
        )
        theirs = select(Invite.id).where(Invite.created_by == parent_id).scalar_subquery()
        await s.execute(
            delete(InviteChild).where(InviteChild.invite_id.in_(theirs), InviteChild.child_id == child_id)
        )
        await s.execute(delete(Invite).where(Invite.created_by == parent_id, Invite.child_id == child_id))
    else:
        await delete_children(s, [child_id])
    await s.flush()
    return True


async def create_invite(
    s: AsyncSession, parent_id: int, child_ids: int | Sequence[int], *, now: dt.datetime, ttl: dt.timedelta
) -> Invite:
    """A single-use code that lets another caregiver join this parent's child, or several of them at once,
    until ``now + ttl``."""
    ids = list(dict.fromkeys([child_ids] if isinstance(child_ids, int) else child_ids))
    if not ids:
        raise ValueError("an invite shares at least one child")
    for child_id in ids:
        if await get_child_for_parent(s, parent_id, child_id) is None:
            raise ValueError("only a caregiver of the child can invite someone to it")
    invite = Invite(
        code=secrets.token_urlsafe(INVITE_CODE_BYTES),
        child_id=ids[0],
        created_by=parent_id,
        created_at=now,
        expires_at=now + ttl,
    )
    s.add(invite)
    await s.flush()
    s.add_all(InviteChild(invite_id=invite.id, child_id=child_id) for child_id in ids)
    await s.flush()
    return invite


async def invite_children(s: AsyncSession, invite_id: int) -> list[Child]:
    """The children an invite shares, in the order they were added."""
    rows = await s.scalars(
        select(Child)
        .join(InviteChild, InviteChild.child_id == Child.id)
        .where(InviteChild.invite_id == invite_id)
        .order_by(InviteChild.child_id)
    )
    return list(rows)


async def redeem_invite(s: AsyncSession, code: str, parent: Parent, *, now: dt.datetime) -> list[Child]:
    """Link ``parent`` to the invite's children and use the invite up, or raise :class:`InviteError`.

    Returns the children newly shared (one the parent already shares is left as it is)."""
    invite: Invite | None = await s.scalar(select(Invite).where(Invite.code == code.strip()))
    if invite is None:
        raise InviteError("unknown")
    shared = await invite_children(s, invite.id)
    new = [child for child in shared if await get_child_for_parent(s, parent.id, child.id) is None]
    if not new:
        raise InviteError("already_linked", len(shared))
    if invite.used_at is not None:
        raise InviteError("used")
    if invite.expires_at <= now:
        raise InviteError("expired")
    if await count_children(s, parent.id) + len(new) > MAX_CHILDREN:
        raise InviteError("too_many", len(new))  # before the invite is used up: it works after a removal
    # A conditional update, so two people redeeming the same code at once cannot both succeed.
    claimed = await s.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=now, used_by=parent.id)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        raise InviteError("used")
    await s.refresh(invite)
    position = await _next_position(s, parent.id)
    s.add_all(
        Caregiver(parent_id=parent.id, child_id=child.id, position=position + offset)
        for offset, child in enumerate(new)
    )
    await s.flush()
    return new


async def delete_old_invites(s: AsyncSession, expired_before: dt.datetime) -> int:
    """Delete invites, used or not, that expired before ``expired_before``; returns how many.

    An expired code is worthless, and an invite records who invited whom. Kept for a while after expiry so that
    a late tap still hears "expired" (ask for a new one) rather than "doesn't work".
    """
    old = select(Invite.id).where(Invite.expires_at < expired_before).scalar_subquery()
    await s.execute(delete(InviteChild).where(InviteChild.invite_id.in_(old)))
    result = await s.execute(delete(Invite).where(Invite.expires_at < expired_before))
    return int(getattr(result, "rowcount", 0) or 0)


async def set_flow(s: AsyncSession, parent: Parent, flow: str | None, data: dict[str, Any] | None) -> None:
    """Remember where the parent is in a conversation (a copy of ``data``, so later edits are not lost)."""
    parent.flow = flow
    parent.flow_data = None if data is None else dict(data)
    await s.flush()


async def set_state(s: AsyncSession, parent: Parent, state: ParentState) -> None:
    """Change the parent's state; anything but active also takes them off the due list. Active or paused,
    the parent is no longer on the way to being erased for inactivity (``db.retention``)."""
    parent.state = state
    if state is not ParentState.ACTIVE:
        parent.next_due_at = None
    if state in (ParentState.ACTIVE, ParentState.PAUSED):
        parent.inactive_since = None
    await s.flush()


async def set_pause(s: AsyncSession, parent: Parent, until: dt.datetime | None) -> None:
    """Rest tips until ``until`` (None: no pause for a while). The next slot is the caller's to work out."""
    parent.paused_until = until
    await s.flush()


async def set_schedule(
    s: AsyncSession,
    parent: Parent,
    *,
    time_zone: str | None = None,
    tip_days: str | None = None,
    tip_time: dt.time | None = None,
) -> None:
    """Change what was given of the parent's tip schedule (an IANA zone, stored weekdays such as "0,3", a
    local time). The next slot is the caller's to work out again (``bot.conversation.schedules``)."""
    if time_zone is not None:
        parent.time_zone = time_zone
    if tip_days is not None:
        parent.tip_days = tip_days
    if tip_time is not None:
        parent.tip_time = tip_time
    await s.flush()


async def set_next_due(s: AsyncSession, parent: Parent, next_due_at: dt.datetime | None) -> None:
    """Store the parent's next scheduled slot (None: nothing is scheduled)."""
    parent.next_due_at = next_due_at
    await s.flush()


async def mark_blocked(s: AsyncSession, chat_id: int) -> bool:
    """The user blocked the bot: stop sending. ``False`` when no such parent exists."""
    parent = await get_parent(s, chat_id)
    if parent is None:
        return False
    await set_state(s, parent, ParentState.BLOCKED)
    return True


# How long a reply to distress is remembered (as a time and a count) so that a repeat is worded differently.
DISTRESS_MEMORY = dt.timedelta(days=1)


async def note_distress(
    s: AsyncSession,
    parent: Parent,
    now: dt.datetime,
    about: str,
    window: dt.timedelta = DISTRESS_MEMORY,
) -> int:
    """Record a reply to distress ``about`` something (a kind or concern's value); returns how many replies
    about the same came before it within ``window`` (0: the first about this), whatever came between.

    Only the time, the counts and those short names are kept, never what the parent wrote.
    """
    recent = parent.distress_at is not None and now - parent.distress_at < window
    counts = distress_counts(parent.distress_about) if recent else {}
    earlier = counts.get(about, 0)
    counts[about] = min(earlier + 1, DISTRESS_COUNT_MAX)
    parent.distress_at = now
    parent.distress_about = ",".join(f"{name}:{count}" for name, count in counts.items())
    await s.flush()
    return earlier


# A count per worry stops here: the wording only cycles, and the column has room for two digits.
DISTRESS_COUNT_MAX = 99


def distress_counts(stored: str | None) -> dict[str, int]:
    """``"crisis:2,wellbeing:1"`` as ``{"crisis": 2, "wellbeing": 1}``; anything unreadable counts as none."""
    counts: dict[str, int] = {}
    for part in (stored or "").split(","):
        name, _, count = part.partition(":")
        if name and count.isdigit():
            counts[name] = int(count)
    return counts


async def forget_old_distress(s: AsyncSession, before: dt.datetime) -> int:
    """Clear distress marks older than ``before`` (a day is enough to vary a repeated reply)."""
    result = await s.execute(
        update(Parent)
        .where(Parent.distress_at.is_not(None), Parent.distress_at < before)
        .values(distress_at=None, distress_about=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def caregivers_of(s: AsyncSession, child_id: int) -> list[Parent]:
    """Everyone who shares this child, first caregiver first."""
    rows = await s.scalars(
        select(Parent)
        .join(Caregiver, Caregiver.parent_id == Parent.id)
        .where(Caregiver.child_id == child_id)
        .order_by(Caregiver.joined_at, Parent.id)
    )
    return list(rows)
