"""evidence on the server: each file's content in the database, by its SHA-256

``evidence_contents``: one row per evidence file (its SHA-256, size and bytes). On a
PostgreSQL server it is written by the import in the same transaction as the rows that name
the file, so every council PC reads the evidence the secretariat imported (docs/hub.md). A
database file keeps its evidence in the store folder beside it and leaves this table empty.

Revision ID: 0011_evidence_contents
Revises: 0010_council
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_evidence_contents"
down_revision = "0010_council"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_contents",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("evidence_contents")
