"""What the day's replies to distress were about (each kind, or concern such as a partner's low mood, with
its own count), so only the same worry said again gets the "you keep telling me" wording.

No message text: a short name from a fixed list, on the parent's row, cleared with the other distress marks.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("parents", sa.Column("distress_about", sa.String(120), nullable=True))


def downgrade() -> None:
    # Not a batch: on SQLite that copies ``parents`` into a new table, and dropping the old one would
    # cascade to every caregiver link. SQLite (3.35 and later) drops a plain column in place.
    op.drop_column("parents", "distress_about")
