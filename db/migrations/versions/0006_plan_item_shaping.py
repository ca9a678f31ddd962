"""plan items: removed (restorable) and added by hand

``removed_at``: an item the clerk removed stays in the table, out of the plan, until it is
restored or the plan is issued (issuing deletes it for good), so a removal can be undone.
``by_hand``: the item was added by the clerk (added, duplicated or split off) rather than
drafted, so ``plan draft --replace`` can name the items a redraft would drop.

Plain ALTER TABLE ADD COLUMN: rebuilding ``plan_items`` with foreign keys on would cascade
into ``progress_updates``.

Revision ID: 0006_plan_item_shaping
Revises: 0005_evidence_per_unit
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_plan_item_shaping"
down_revision = "0005_evidence_per_unit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plan_items", sa.Column("removed_at", sa.DateTime(), nullable=True))
    op.add_column(
        "plan_items", sa.Column("by_hand", sa.Boolean(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    # Removed items are not part of the plan an older program would show.
    op.execute("DELETE FROM plan_items WHERE removed_at IS NOT NULL")
    # SQLite's own DROP COLUMN (3.35+): a batch rebuild would cascade, as above.
    op.execute("ALTER TABLE plan_items DROP COLUMN by_hand")
    op.execute("ALTER TABLE plan_items DROP COLUMN removed_at")
