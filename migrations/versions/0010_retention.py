"""What retention needs: since when a parent has been inactive (blocked, or stopped with no word since), and
whether a caregiver asked to keep a child's details after the tips end.

Parents already blocked or stopped count as inactive since their row last changed, the best estimate there is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("parents", sa.Column("inactive_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "caregivers", sa.Column("keep_after_tips", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.execute("UPDATE parents SET inactive_since = updated_at WHERE state IN ('blocked', 'stopped')")


def downgrade() -> None:
    # Dropped in place (SQLite 3.35+ can): copying ``parents`` would cascade-delete every caregiver row.
    op.drop_column("caregivers", "keep_after_tips")
    op.drop_column("parents", "inactive_since")
