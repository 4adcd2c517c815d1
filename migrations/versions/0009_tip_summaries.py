"""Each caregiver row carries a summary of the tips its chat had for the child, kept up to date as tips are
claimed and feedback arrives, so a dispatcher pass reads one row per child instead of counting years of
deliveries. The covering history index that count needed goes.

The summary is filled from the deliveries in SQL (so ``--sql`` output works too); on a large PostgreSQL
table run ``securebase db upgrade`` in a quiet hour, as the update rewrites every caregiver row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (object of pairs, sorted array) aggregates in each dialect. SQLite before 3.44 has no ORDER BY in an
# aggregate; it aggregates in the order of the subquery, which is sorted for it.
AGGREGATES = {
    "sqlite": ("json_group_object", "json_group_array(item_id)"),
    "postgresql": ("json_object_agg", "json_agg(item_id ORDER BY item_id)"),
}

BACKFILL_COUNTS = """
UPDATE caregivers SET tips_sent = t.total, tip_counts = t.counts, tip_latest = t.latest
FROM (
    SELECT parent_id, child_id, sum(n) AS total, {obj}(item_id, n) AS counts, {obj}(item_id, latest) AS latest
    FROM (
        SELECT parent_id, child_id, item_id, count(*) AS n, max(id) AS latest
        FROM deliveries WHERE state != 'failed'
        GROUP BY parent_id, child_id, item_id
    ) AS per_item
    GROUP BY parent_id, child_id
) AS t
WHERE caregivers.parent_id = t.parent_id AND caregivers.child_id = t.child_id
"""

BACKFILL_NOT_FOR_US = """
UPDATE caregivers SET tips_not_for_us = t.items
FROM (
    SELECT parent_id, child_id, {arr} AS items
    FROM (
        SELECT DISTINCT parent_id, child_id, item_id FROM deliveries WHERE feedback = 'not_for_us'
        ORDER BY parent_id, child_id, item_id
    ) AS marked
    GROUP BY parent_id, child_id
) AS t
WHERE caregivers.parent_id = t.parent_id AND caregivers.child_id = t.child_id
"""


def upgrade() -> None:
    op.add_column("caregivers", sa.Column("tips_sent", sa.Integer(), server_default="0", nullable=False))
    op.add_column("caregivers", sa.Column("tip_counts", sa.JSON(), nullable=True))
    op.add_column("caregivers", sa.Column("tip_latest", sa.JSON(), nullable=True))
    op.add_column("caregivers", sa.Column("tips_not_for_us", sa.JSON(), nullable=True))
    obj, arr = AGGREGATES[op.get_context().dialect.name]
    op.execute(BACKFILL_COUNTS.format(obj=obj))
    op.execute(BACKFILL_NOT_FOR_US.format(arr=arr))
    op.drop_index("ix_deliveries_history", table_name="deliveries")


def downgrade() -> None:
    op.create_index(
        "ix_deliveries_history", "deliveries", ["parent_id", "child_id", "item_id", "state", "feedback", "id"]
    )
    for column in ("tips_not_for_us", "tip_latest", "tip_counts", "tips_sent"):
        op.drop_column("caregivers", column)
