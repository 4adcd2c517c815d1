"""Drop ``parents.distress_count``: the day's replies to distress are counted per worry in ``distress_about``
(0012), and the total was only ever their sum, a second copy that could disagree with it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not a batch: on SQLite that copies ``parents`` into a new table, and dropping the old one would
    # cascade to every caregiver link. SQLite (3.35 and later) drops a plain column in place.
    op.drop_column("parents", "distress_count")


def downgrade() -> None:
    op.add_column("parents", sa.Column("distress_count", sa.Integer(), server_default="0", nullable=False))
