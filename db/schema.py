"""Schema revisions, read with plain sqlite3 so start-up needs neither ORM nor Alembic."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Every Alembic revision this program knows, oldest first. A test keeps this in step with
# db/migrations/versions.
REVISIONS: tuple[str, ...] = ("0001_initial", "0002_issued_documents", "0003_sync_and_audit",
                              "0004_sync_sequence", "0005_evidence_per_unit",
                              "0006_plan_item_shaping", "0007_office_departments",
                              "0008_office_profile_index_results", "0009_published_rankings",
                              "0010_council", "0011_evidence_contents")
HEAD = REVISIONS[-1]


def read_revision(path: Path) -> str | None:
    """The database's Alembic revision, or None for a database without one (e.g. empty)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        has_table = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        con.close()


def is_empty(path: Path) -> bool:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        return con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        con.close()
