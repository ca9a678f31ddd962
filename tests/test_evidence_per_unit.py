"""Migration 0005: evidence rows become one per unit and file. A row that two units'
assessments shared (the bug: one title for both communes) is split, each unit keeping the
title it had, every link moved to its own unit's row, and nothing lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from db.engine import open_database

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "schema-0004_sync_sequence.sqlite3"


def _shared_by_two_units(path: Path) -> tuple[int, int]:
    """In a 0004 database: a second unit with an assessment linked to an existing document.
    Returns (the document's id, the second unit's id)."""
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("INSERT INTO units (code, name, kind, appraiser_code, appraiser_name, "
                        "province_name, is_self) VALUES ('06175', 'Xã Chi Lăng', 'commune', "
                        "'20', '', '', 0)")
            unit = con.execute("SELECT id FROM units WHERE code = '06175'").fetchone()[0]
            set_id, year = con.execute("SELECT set_id, year FROM assessments LIMIT 1").fetchone()
            con.execute("INSERT INTO assessments (uuid, unit_id, set_id, year, status, "
                        "created_at, updated_at) VALUES ('00000000-0000-4000-8000-000000000001',"
                        " ?, ?, ?, 'submitted', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                        (unit, set_id, year))
            assessment = con.execute("SELECT id FROM assessments WHERE unit_id = ?",
                                     (unit,)).fetchone()[0]
            evidence = con.execute("SELECT evidence_id FROM evidence_links LIMIT 1").fetchone()[0]
            con.execute("INSERT INTO evidence_links (evidence_id, assessment_id, node_code) "
                        "VALUES (?, ?, '1.1')", (evidence, assessment))
        return int(evidence), int(unit)
    finally:
        con.close()


def test_a_document_two_units_shared_is_split_per_unit(tmp_path: Path) -> None:
    path = tmp_path / "parapp.sqlite3"
    shutil.copyfile(FIXTURE, path)
    evidence, unit = _shared_by_two_units(path)
    con = sqlite3.connect(path)
    sha, title = con.execute("SELECT sha256, title FROM evidence WHERE id = ?",
                             (evidence,)).fetchone()
    links = con.execute("SELECT COUNT(*) FROM evidence_links").fetchone()[0]
    documents = con.execute("SELECT COUNT(*) FROM evidence").fetchone()[0]
    con.close()

    open_database(path).close()  # migrates to the head revision

    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT id, unit_id, title FROM evidence WHERE sha256 = ? "
                           "ORDER BY id", (sha,)).fetchall()
        assert [(r[1] == unit, r[2]) for r in rows] == [(False, title), (True, title)]
        assert rows[0][0] == evidence  # the first owner keeps the row (and its id)
        assert con.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == documents + 1
        assert con.execute("SELECT COUNT(*) FROM evidence_links").fetchone()[0] == links
        crossed = con.execute(
            "SELECT COUNT(*) FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id "
            "JOIN assessments a ON a.id = l.assessment_id WHERE a.unit_id != e.unit_id")
        assert crossed.fetchone()[0] == 0
        own = con.execute("SELECT id FROM units WHERE is_self = 1").fetchone()[0]
        assert con.execute("SELECT COUNT(*) FROM evidence WHERE unit_id IS NULL OR "
                           "(unit_id != ? AND unit_id != ?)", (own, unit)).fetchone()[0] == 0
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The links still point at evidence (renaming the rebuilt table kept the reference).
        fk = con.execute("PRAGMA foreign_key_list('evidence_links')").fetchall()
        assert {r[2] for r in fk} == {"evidence", "assessments"}
    finally:
        con.close()


def test_a_document_added_here_belongs_to_this_office(tmp_path: Path) -> None:
    path = tmp_path / "parapp.sqlite3"
    shutil.copyfile(FIXTURE, path)
    open_database(path).close()
    con = sqlite3.connect(path)
    try:
        own = con.execute("SELECT id FROM units WHERE is_self = 1").fetchone()[0]
        assert {r[0] for r in con.execute("SELECT DISTINCT unit_id FROM evidence")} == {own}
    finally:
        con.close()
