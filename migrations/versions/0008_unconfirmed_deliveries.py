"""Deliveries may be ``unconfirmed``: sent, but no answer came after the request went out (a read timeout),
so Telegram may have delivered it. It counts as sent and is never sent again. And the index that finds stale
claims holds claims only (a partial index), so storing each tip's outcome writes less.

SQLite cannot alter a check constraint in place, so there the table is copied (a few seconds per million
deliveries); PostgreSQL replaces the constraint.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_UNCONFIRMED = "state in ('claimed', 'sent', 'unconfirmed', 'failed')"
WITHOUT = "state in ('claimed', 'sent', 'failed')"


def _deliveries_before() -> sa.Table:
    """The table as 0002 left it (0003 to 0007 did not touch it): SQLite's copy is built from this, since
    reflection is not possible in --sql."""
    return sa.Table(
        "deliveries",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("slot_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback", sa.String(length=16), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "feedback is null or feedback in ('helpful', 'not_for_us')", name=op.f("ck_deliveries_feedback")
        ),
        sa.CheckConstraint(WITHOUT, name=op.f("ck_deliveries_state")),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_deliveries_child_id_children"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["parents.id"], name=op.f("fk_deliveries_parent_id_parents"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("parent_id", "child_id", "slot_at", name="uq_deliveries_slot"),
        sa.Index("ix_deliveries_state_claimed", "state", "claimed_at"),
        sa.Index("ix_deliveries_history", "parent_id", "child_id", "item_id", "state", "feedback", "id"),
        sa.Index("ix_deliveries_child_feedback", "child_id", "feedback"),
    )


def _replace_state_check(condition: str) -> None:
    with op.batch_alter_table("deliveries", copy_from=_deliveries_before()) as batch:
        batch.drop_constraint(op.f("ck_deliveries_state"), type_="check")
        batch.create_check_constraint(op.f("ck_deliveries_state"), condition)


def upgrade() -> None:
    _replace_state_check(WITH_UNCONFIRMED)
    # Only claims in flight are indexed by age: sending a tip no longer moves its entry within a large index.
    op.drop_index("ix_deliveries_state_claimed", table_name="deliveries")
    op.create_index(
        "ix_deliveries_claimed",
        "deliveries",
        ["claimed_at", "id"],
        sqlite_where=sa.text("state = 'claimed'"),
        postgresql_where=sa.text("state = 'claimed'"),
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_claimed", table_name="deliveries")
    op.create_index("ix_deliveries_state_claimed", "deliveries", ["state", "claimed_at"])
    # An unconfirmed tip most likely arrived: the older schema counts it as sent.
    op.execute("UPDATE deliveries SET state = 'sent' WHERE state = 'unconfirmed'")
    _replace_state_check(WITHOUT)
