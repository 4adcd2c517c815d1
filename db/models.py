"""The schema: only what the product needs to know about a family to send the right tip at the right time.

All datetimes are stored in UTC (timezone-aware in Python); local times only appear as a parent's chosen
``tip_time`` together with their IANA ``time_zone``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


E = TypeVar("E", bound=StrEnum)


class StoredEnum(TypeDecorator[E]):
    """A StrEnum stored as its plain value in a short string column, and read back as the enum member."""

    impl = String(16)
    cache_ok = True

    def __init__(self, enum: type[E]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        # A plain string goes as it is: the column's check constraint, not Python, is the guard.
        return None if value is None else str(value.value if isinstance(value, self.enum) else value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON(none_as_null=True)}  # noqa: RUF012


class ParentState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    BLOCKED = "blocked"


class DeliveryState(StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    # No answer came after the request went out (a read timeout): Telegram may have delivered it. Counted as
    # sent and never sent again, since a second copy is the likelier harm (see the README, "Scheduled tips").
    UNCONFIRMED = "unconfirmed"
    FAILED = "failed"


class Feedback(StrEnum):
    HELPFUL = "helpful"
    NOT_FOR_US = "not_for_us"


# Longest child name (and Telegram first name) stored; the conversation asks for something shorter.
NAME_MAX_LENGTH = 64


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# Room for every worry's name with a two-digit count: "violence_at_home:99," is the longest part.
DISTRESS_ABOUT_CHARS = 120


class Parent(Base):
    """A Telegram user (one private chat) and their tip schedule."""

    __tablename__ = "parents"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str | None] = mapped_column(String(NAME_MAX_LENGTH))
    language_code: Mapped[str | None] = mapped_column(String(16))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Python weekday numbers (Monday=0 ... Sunday=6), comma separated, ascending: "6" is Sundays only.
    tip_days: Mapped[str] = mapped_column(String(13), default="6")
    tip_time: Mapped[dt.time] = mapped_column(Time, default=dt.time(9, 0))
    state: Mapped[ParentState] = mapped_column(StoredEnum(ParentState), default=ParentState.ACTIVE)
    # Next scheduled slot in UTC; NULL when nothing is scheduled (paused, stopped, blocked, no children yet).
    next_due_at: Mapped[dt.datetime | None]
    # The end of a pause for a while (/pause: a week, two weeks, a month). The parent stays active and their
    # next slot is simply the first one after this, so tips resume by themselves with no job and no change to
    # the due query; NULL when there is no such pause (a pause "until I resume" is the ``paused`` state).
    paused_until: Mapped[dt.datetime | None]
    # Conversation state, so a flow half-way through survives a restart (and any process can serve the next
    # message): the step name and the answers so far.
    flow: Mapped[str | None] = mapped_column(String(32))
    flow_data: Mapped[dict[str, Any] | None]
    # When the parent last got a reply to distress (crisis, emergency or their own wellbeing), so a repeat is
    # worded differently. Never what they wrote; cleared after a day.
    distress_at: Mapped[dt.datetime | None]
    # What those replies were about, each worry (a ``SafetyKind`` or ``Concern`` value) with its own count
    # ("crisis:2,wellbeing:1"): only the same worry said again is greeted as a repeat, however many others
    # came between, and a new one never is.
    distress_about: Mapped[str | None] = mapped_column(String(DISTRESS_ABOUT_CHARS))
    # Since when the parent has been blocked, or stopped with no word from them: housekeeping stamps it and
    # erases the parent once it is older than the retention period; any contact or resuming clears it.
    inactive_since: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_utcnow, onupdate=_utcnow)

    links: Mapped[list[Caregiver]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("state in ('active', 'paused', 'stopped', 'blocked')", name="state"),
        Index("ix_parents_due", "state", "next_due_at"),
    )


class Child(Base):
    """A child, shared by one or more caregivers. The name may be a nickname."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH))
    birthdate: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

    links: Mapped[list[Caregiver]] = relationship(
        back_populates="child", cascade="all, delete-orphan", passive_deletes=True
    )


class Caregiver(Base):
    """Who shares which child. Each caregiver gets that child's tips in their own chat."""

    __tablename__ = "caregivers"

    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), primary_key=True)
    child_id: Mapped[int] = mapped_column(
        ForeignKey("children.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Order of the child in this parent's list (tips for several children go out in this order).
    position: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
    # Comma-separated band ids this caregiver was last told about ("a new stage begins" is sent once).
    announced_bands: Mapped[str | None] = mapped_column(String(255))
    # Set once the "past 36 months" goodbye has gone out; no more tips for this child after it.
    farewell_at: Mapped[dt.datetime | None]
    # Comma-separated band ids whose every idea was turned down ("not for us") when this caregiver was told
    # so; tips for the child then wait quietly until a new stage begins or ideas are brought back (cleared).
    declined_bands: Mapped[str | None] = mapped_column(String(255))
    # What tip choice needs from this chat's history with the child, kept up to date as tips are claimed and
    # feedback arrives (``db.deliveries``), so a pass reads one row per child however many years of tips there
    # are: tips sent (failed ones aside), per strategy how often and its latest delivery id, and the strategies
    # this caregiver marked "not for us". NULL means none.
    tips_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    tip_counts: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))
    tip_latest: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))
    tips_not_for_us: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    # This caregiver asked to keep the child's details after the tips end (otherwise they are erased a few
    # months later: ``bot.core.retention``).
    keep_after_tips: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    parent: Mapped[Parent] = relationship(back_populates="links")
    child: Mapped[Child] = relationship(back_populates="links")


class UndeliveredReply(Base):
    """A reply that could not be sent after its step was saved (Telegram unreachable, a long flood wait).
    Stored, not kept in memory, so whichever process serves the chat's next update sends it first, after a
    restart too. Keyed by chat (the parent row may be gone: /deletedata's own confirmation); erased with the
    parent, at most a few per chat, and dropped by housekeeping when too old to help."""

    __tablename__ = "undelivered_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(Text)
    # The inline buttons, row by row, as [label, callback data] pairs; NULL when there are none.
    buttons: Mapped[list[list[list[str]]] | None] = mapped_column(JSON(none_as_null=True))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)


class Invite(Base):
    """A single-use, expiring code that lets another caregiver join one child or several (``children``);
    ``child_id`` is the first of them, the one the invite was made from."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("parents.id", ondelete="SET NULL"))


class InviteChild(Base):
    """One child an invite shares: a link made for twins, or for all of a parent's children, is one code."""

    __tablename__ = "invite_children"

    invite_id: Mapped[int] = mapped_column(ForeignKey("invites.id", ondelete="CASCADE"), primary_key=True)
    child_id: Mapped[int] = mapped_column(
        ForeignKey("children.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Delivery(Base):
    """One tip for one child in one parent's chat at one scheduled slot.

    The unique (parent, child, slot) rule is what makes a slot impossible to record, and so to send, twice.
    On-demand tips (/tip) use the request time as their slot.
    """

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(64))
    slot_at: Mapped[dt.datetime]
    kind: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled | on_demand
    state: Mapped[str] = mapped_column(String(16), default=DeliveryState.CLAIMED.value)
    claimed_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[dt.datetime | None]
    feedback: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("parent_id", "child_id", "slot_at", name="uq_deliveries_slot"),
        CheckConstraint("state in ('claimed', 'sent', 'unconfirmed', 'failed')", name="state"),
        CheckConstraint("feedback is null or feedback in ('helpful', 'not_for_us')", name="feedback"),
        # Claims in flight only (the stale ones are looked up by age): a sent tip leaves this index instead of
        # moving within it, and years of sent tips do not make it grow.
        Index(
            "ix_deliveries_claimed",
            "claimed_at",
            "id",
            sqlite_where=text("state = 'claimed'"),
            postgresql_where=text("state = 'claimed'"),
        ),
        # A child's deliveries (deleting a child); one chat's are found through ``uq_deliveries_slot``.
        Index("ix_deliveries_child_feedback", "child_id", "feedback"),
    )


class AnnouncementState(StrEnum):
    DRAFT = "draft"  # previewed, waiting for the operator's confirmation
    SENDING = "sending"  # confirmed: one row per active parent waits in announcement_deliveries
    CANCELLED = "cancelled"


class AnnouncementDeliveryState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    #: The parent paused, stopped or blocked the bot before their turn came: nothing was sent.
    SKIPPED = "skipped"


class Announcement(Base):
    """A message from the operators to every parent who gets tips (``/announce``). Operator's text only."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=AnnouncementState.DRAFT.value)
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
    confirmed_at: Mapped[dt.datetime | None]

    __table_args__ = (CheckConstraint("state in ('draft', 'sending', 'cancelled')", name="state"),)


class AnnouncementDelivery(Base):
    """One announcement for one parent: claimed, sent and recorded like a tip, unique per parent so it goes
    out once however many dispatchers run."""

    __tablename__ = "announcement_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=AnnouncementDeliveryState.PENDING.value)
    claimed_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("announcement_id", "parent_id", name="uq_announcement_deliveries_parent"),
        CheckConstraint("state in ('pending', 'claimed', 'sent', 'failed', 'skipped')", name="state"),
        Index("ix_announcement_deliveries_state", "state", "claimed_at"),
    )


__all__ = [
    "NAME_MAX_LENGTH",
    "Announcement",
    "AnnouncementDelivery",
    "AnnouncementDeliveryState",
    "AnnouncementState",
    "Base",
    "Caregiver",
    "Child",
    "Delivery",
    "DeliveryState",
    "Feedback",
    "Invite",
    "InviteChild",
    "Parent",
    "ParentState",
    "UndeliveredReply",
]
