"""Indexes for the dispatcher's history: a covering one for counts per (parent, child, item), and one for a
shared child's "not for us" rows. They replace indexes that made each pass read every past delivery's row.

Building them on a large PostgreSQL table blocks writes to ``deliveries`` for the duration (the bot migrates
on start); on a big installation run ``securebase db upgrade`` in a quiet hour first.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_deliveries_history", "deliveries", ["parent_id", "child_id", "item_id", "state", "feedback", "id"]
    )
    op.create_index("ix_deliveries_child_feedback", "deliveries", ["child_id", "feedback"])
    op.drop_index("ix_deliveries_parent_item", table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_child_id"), table_name="deliveries")


def downgrade() -> None:
    op.create_index(op.f("ix_deliveries_child_id"), "deliveries", ["child_id"])
    op.create_index("ix_deliveries_parent_item", "deliveries", ["parent_id", "item_id"])
    op.drop_index("ix_deliveries_child_feedback", table_name="deliveries")
    op.drop_index("ix_deliveries_history", table_name="deliveries")
