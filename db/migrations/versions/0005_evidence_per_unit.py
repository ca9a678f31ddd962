"""evidence: one row per unit and file (titles and numbers are the unit's, content shared)

Evidence rows were unique by SHA-256, so two communes that sent the same file shared one
title, number and date, and the second package retitled the first commune's document.
Now a row belongs to a unit (``unit_id``) and is unique per (unit, SHA-256); the file in
the store is still shared by its hash. A row linked to the assessments of several units
is split into one row per unit, each keeping the old title, with the links moved.

SQLite cannot drop the old UNIQUE(sha256), so both tables are rebuilt. Foreign keys are
on during migrations (and cannot be switched off inside the transaction): dropping
``evidence`` while ``evidence_links`` points at it would cascade and delete every link,
so the new links table is made first, pointing at the new evidence table, and the old
tables are dropped child first.

Revision ID: 0005_evidence_per_unit
Revises: 0004_sync_sequence
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

revision = "0005_evidence_per_unit"
down_revision = "0004_sync_sequence"
branch_labels = None
depends_on = None

_COLUMNS = "sha256, filename, title, title_folded, doc_number, doc_date, size, added_at"


def _evidence_table(name: str, *, with_unit: bool) -> None:
    columns: list[SchemaItem] = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_folded", sa.Text(), nullable=False),
        sa.Column("doc_number", sa.String(length=100), nullable=False),
        sa.Column("doc_date", sa.Date(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    ]
    constraints: list[SchemaItem] = [sa.PrimaryKeyConstraint("id")]
    if with_unit:
        columns.append(sa.Column("unit_id", sa.Integer(), nullable=False))
        constraints += [sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
                        sa.UniqueConstraint("unit_id", "sha256")]
    else:
        constraints.append(sa.UniqueConstraint("sha256"))
    op.create_table(name, *columns, *constraints)


def _links_table(name: str, evidence: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("node_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evidence_id"], [f"{evidence}.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("evidence_id", "assessment_id", "node_code"),
    )


def _swap(new_evidence: str, new_links: str) -> None:
    """Old links, then old evidence dropped (nothing points at them any more); the new
    tables renamed into place (SQLite rewrites the links' reference to the new name)."""
    op.drop_table("evidence_links")
    op.drop_table("evidence")
    op.rename_table(new_evidence, "evidence")
    op.rename_table(new_links, "evidence_links")


def upgrade() -> None:
    bind = op.get_bind()
    _evidence_table("evidence_new", with_unit=True)
    _links_table("evidence_links_new", "evidence_new")
    own: int | None = bind.exec_driver_sql(
        "SELECT id FROM units ORDER BY is_self DESC, id LIMIT 1").scalar()
    owners: dict[int, list[int]] = {}
    for evidence_id, unit_id in bind.exec_driver_sql(
            "SELECT DISTINCT l.evidence_id, a.unit_id FROM evidence_links l "
            "JOIN assessments a ON a.id = l.assessment_id ORDER BY l.evidence_id, a.unit_id"):
        owners.setdefault(int(evidence_id), []).append(int(unit_id))
    last = bind.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM evidence").scalar_one()
    next_id = int(last) + 1
    moved: dict[tuple[int, int], int] = {}  # (old id, unit) -> new id, for a second owner
    for (old_id,) in list(bind.exec_driver_sql("SELECT id FROM evidence ORDER BY id")):
        units = owners.get(int(old_id)) or ([] if own is None else [own])
        if not units:
            continue  # no unit at all: a database without units holds no evidence
        # The first owner keeps the row's id (nothing else changes for a commune's own data).
        bind.exec_driver_sql(
            f"INSERT INTO evidence_new (id, {_COLUMNS}, unit_id) "
            f"SELECT id, {_COLUMNS}, ? FROM evidence WHERE id = ?", (units[0], old_id))
        for unit in units[1:]:
            bind.exec_driver_sql(
                f"INSERT INTO evidence_new (id, {_COLUMNS}, unit_id) "
                f"SELECT ?, {_COLUMNS}, ? FROM evidence WHERE id = ?", (next_id, unit, old_id))
            moved[(int(old_id), unit)] = next_id
            next_id += 1
    for link_id, evidence_id, assessment_id, code, unit in list(bind.exec_driver_sql(
            "SELECT l.id, l.evidence_id, l.assessment_id, l.node_code, a.unit_id "
            "FROM evidence_links l JOIN assessments a ON a.id = l.assessment_id")):
        target = moved.get((int(evidence_id), int(unit)), evidence_id)
        bind.exec_driver_sql(
            "INSERT INTO evidence_links_new (id, evidence_id, assessment_id, node_code) "
            "VALUES (?, ?, ?, ?)", (link_id, target, assessment_id, code))
    _swap("evidence_new", "evidence_links_new")


def downgrade() -> None:
    """Back to one row per file: the lowest id of each SHA-256 keeps its title."""
    bind = op.get_bind()
    _evidence_table("evidence_old", with_unit=False)
    _links_table("evidence_links_old", "evidence_old")
    bind.exec_driver_sql(
        f"INSERT INTO evidence_old (id, {_COLUMNS}) SELECT id, {_COLUMNS} FROM evidence "
        "WHERE id IN (SELECT MIN(id) FROM evidence GROUP BY sha256)")
    bind.exec_driver_sql(
        "INSERT OR IGNORE INTO evidence_links_old (id, evidence_id, assessment_id, node_code) "
        "SELECT l.id, k.id, l.assessment_id, l.node_code FROM evidence_links l "
        "JOIN evidence e ON e.id = l.evidence_id JOIN evidence_old k ON k.sha256 = e.sha256")
    _swap("evidence_old", "evidence_links_old")
