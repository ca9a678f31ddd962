"""sync: the sender's sequence number per recipient (sync_counters) and in the sync log

Packages are ordered by the sender's own counter, not by its clock (docs/sync-format.md,
"Order"): the sender keeps one counter per recipient; the receiver logs the number of
every package it imports, and a reset of a sender's numbering as a row of its own.

Revision ID: 0004_sync_sequence
Revises: 0003_sync_and_audit
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sync_sequence"
down_revision = "0003_sync_and_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_counters",
        sa.Column("recipient", sa.String(length=100), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("recipient"),
    )
    # Packages logged before this revision had no number: NULL (see "Order" in the docs).
    with op.batch_alter_table("sync_log") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_log") as batch:
        batch.drop_column("sequence")
    op.drop_table("sync_counters")
