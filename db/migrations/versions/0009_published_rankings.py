"""the published ranking a result brings (what-if: the projected rank)

``published_rankings``: the province's ranking as the appraiser published it (each unit's
code, name, index and rank), one per assessment of this office, sent with the result
(result package, data schema 2) or read from the result file. A database without rows
simply projects no rank.

Revision ID: 0009_published_rankings
Revises: 0008_office_profile_index_results
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_published_rankings"
down_revision = "0008_office_profile_index_results"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_rankings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "assessment_id",
            sa.Integer(),
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("entries_json", sa.Text(), nullable=False),
        sa.Column("decision_number", sa.String(100), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("assessment_id"),
    )


def downgrade() -> None:
    op.drop_table("published_rankings")
