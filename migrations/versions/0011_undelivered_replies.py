"""Replies that could not be sent after their step was saved are stored, so any process (after a restart
too) sends them with the chat's next update.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "undelivered_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undelivered_replies")),
    )
    op.create_index(op.f("ix_undelivered_replies_chat_id"), "undelivered_replies", ["chat_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_undelivered_replies_chat_id"), table_name="undelivered_replies")
    op.drop_table("undelivered_replies")
