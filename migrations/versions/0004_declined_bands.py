"""Caregivers remember being told that every idea of a child's stage was turned down, so it is said once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("caregivers", sa.Column("declined_bands", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("caregivers") as batch:
        batch.drop_column("declined_bands")
