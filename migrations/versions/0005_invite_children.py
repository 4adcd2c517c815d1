"""One invite link can share several children: the children of each invite get their own table.

Existing invites each share the one child they were made for (``invites.child_id``), copied across.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invite_children",
        sa.Column("invite_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name=op.f("fk_invite_children_child_id_children"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invite_id"],
            ["invites.id"],
            name=op.f("fk_invite_children_invite_id_invites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("invite_id", "child_id", name=op.f("pk_invite_children")),
    )
    op.create_index(op.f("ix_invite_children_child_id"), "invite_children", ["child_id"])
    op.execute("INSERT INTO invite_children (invite_id, child_id) SELECT id, child_id FROM invites")


def downgrade() -> None:
    op.drop_table("invite_children")
