"""office profiles and the results of other indices

``office_profiles``: the office's own wording in its documents (issuing body, symbol, place,
signer, level, how it names itself); a blank column means the default derived from the
unit's kind and name, so an existing database needs no rows.
``index_results``: SIPAS, PAPI, DTI, Dân vận ... results of a year, for plans covering
several indices.

Revision ID: 0008_office_profile_index_results
Revises: 0007_office_departments
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_office_profile_index_results"
down_revision = "0007_office_departments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("governing_body", sa.Text(), nullable=False),
        sa.Column("own_name", sa.Text(), nullable=False),
        sa.Column("symbol_suffix", sa.String(length=32), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("signer_authority", sa.Text(), nullable=False),
        sa.Column("signer_title", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("self_name", sa.Text(), nullable=False),
        sa.Column("head", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id"),
    )
    op.create_table(
        "index_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("index_kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("points", sa.String(length=40), nullable=True),
        sa.Column("max_points", sa.String(length=40), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("rank_of", sa.Integer(), nullable=True),
        sa.Column("band", sa.String(length=64), nullable=False),
        sa.Column("decision_number", sa.String(length=100), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "year", "index_kind"),
    )


def downgrade() -> None:
    op.drop_table("index_results")
    op.drop_table("office_profiles")
