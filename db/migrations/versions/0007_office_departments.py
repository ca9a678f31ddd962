"""office departments: the office's own list of departments and officers

Kept once and offered as lead and coordinating units of plan items, so the same name prints
the same way in every document of the year. ``name_key`` is the name folded for comparison
(case and spacing ignored, diacritics kept), unique so the list holds no duplicates.

Revision ID: 0007_office_departments
Revises: 0006_plan_item_shaping
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_office_departments"
down_revision = "0006_plan_item_shaping"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_departments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.String(400), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.UniqueConstraint("name_key"),
    )


def downgrade() -> None:
    op.drop_table("office_departments")
