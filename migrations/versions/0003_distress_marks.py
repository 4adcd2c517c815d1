"""When a parent last got a reply to distress, and how many that day: so a repeat is worded differently.

No message text: only a time and a small count on the parent's row, cleared by housekeeping after a day.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("parents") as batch:
        batch.add_column(sa.Column("distress_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("distress_count", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("parents") as batch:
        batch.drop_column("distress_count")
        batch.drop_column("distress_at")
