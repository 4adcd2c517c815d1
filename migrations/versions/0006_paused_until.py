"""A pause for a while: ``parents.paused_until``, the moment tips resume by themselves.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("parents", sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Not a batch: on SQLite that copies ``parents`` into a new table, and dropping the old one would
    # cascade to every caregiver link. SQLite (3.35 and later) drops a plain column in place.
    op.drop_column("parents", "paused_until")
