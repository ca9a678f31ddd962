"""The window's first figures, read with the sqlite3 module alone.

Showing the office's assessment used to wait for SQLAlchemy and the models to load
(a third of a second on an office PC) although nothing is written at that moment. This
reader returns the same ``AssessmentView`` as ``assessments.view(db)`` for the latest
assessment of the office's own unit, through plain SQL and the row mapping the ORM path
uses too. Whatever it is not sure of (an appraiser's database, a database this program
has not opened and checked yet, no unit or two, no assessment, any read error) gives
None, and the caller takes the ORM path. ``tests/test_quick_view.py`` holds both readers
to the same answer on several databases.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from parapp.domain.assessment import AssessmentInfo, AssessmentStatus, NodeScore
from parapp.domain.criteria import CriteriaSet
from parapp.domain.figures import printed_index
from parapp.domain.roles import Role
from parapp.domain.totals import compute_totals

from .mapping import score_from_row, set_from_rows
from .views import OFFICIAL_STATES, AssessmentView, PreviousPeriod, basis_for, result_from_row

# Columns the ORM reads through a type: exact decimals kept as text, booleans as 0/1.
_DECIMALS = frozenset({"max_points", "self_score", "appraised_score", "survey_score",
                       "index_value", "points"})
_BOOLEANS = frozenset({"not_applicable", "needs_reappraisal", "bonus_may_exceed_max",
                       "is_sample"})


def _record(row: sqlite3.Row) -> Any:
    """A row with the values the ORM would give (Decimal, bool): the mapping functions read
    its attributes as they read an ORM row's (so it is typed Any, not the ORM class)."""
    values: dict[str, Any] = {}
    for key, raw in zip(row.keys(), tuple(row), strict=True):  # a Row iterates its values
        value = raw
        if value is not None and key in _DECIMALS:
            value = Decimal(value)
        elif value is not None and key in _BOOLEANS:
            value = bool(value)
        values[key] = value
    return SimpleNamespace(**values)


class _Reader:
    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.sets: dict[int, CriteriaSet] = {}

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return [_record(r) for r in self.con.execute(sql, tuple(params))]

    def criteria_set(self, set_id: int) -> CriteriaSet:
        if set_id not in self.sets:
            [row] = self.rows("SELECT * FROM criteria_sets WHERE id = ?", (set_id,))
            row.nodes = self.rows("SELECT * FROM criterion_nodes WHERE set_id = ? "
                                  "ORDER BY position", (set_id,))
            self.sets[set_id] = set_from_rows(row)
        return self.sets[set_id]

    def scores(self, assessment_id: int) -> dict[str, NodeScore]:
        rows = self.rows("SELECT * FROM node_scores WHERE assessment_id = ?", (assessment_id,))
        return {r.node_code: score_from_row(r) for r in rows}

    def result(self, assessment_id: int) -> Any:
        rows = self.rows("SELECT * FROM published_results WHERE assessment_id = ?",
                         (assessment_id,))
        return result_from_row(rows[0]) if rows else None

    def previous(self, row: SimpleNamespace, cset: CriteriaSet) -> PreviousPeriod | None:
        """As ``assessments.view``: the unit's latest earlier year on the same index (the
        index kind compared as stored, before any other set is read, as the ORM does)."""
        for prev in self.rows("SELECT a.*, s.index_kind FROM assessments a JOIN criteria_sets s "
                              "ON s.id = a.set_id WHERE a.unit_id = ? AND a.year < ? "
                              "ORDER BY a.year DESC", (row.unit_id, row.year)):
            if prev.index_kind != cset.index_kind.value:
                continue
            prev_set = self.criteria_set(prev.set_id)
            result = self.result(prev.id)
            if result is not None:
                return PreviousPeriod(prev.year, result.index, True)
            status = AssessmentStatus(prev.status)
            totals = compute_totals(prev_set, self.scores(prev.id), basis_for(status))
            index = printed_index(prev_set, totals)
            return PreviousPeriod(prev.year, index, status in OFFICIAL_STATES)
        return None


def first_view(path: Path) -> AssessmentView | None:
    """The latest assessment of the office's own unit, or None (then ask the ORM path).

    Call it on a database ``open_database`` has already checked (and migrated)."""
    try:
        if path.stat().st_size == 0:
            return None
        # Opened read-write (a read-only WAL reader may need to create the -shm file) but
        # held to reading.
        con = sqlite3.connect(str(path))
    except (OSError, sqlite3.Error):
        return None
    try:
        con.row_factory = sqlite3.Row
        con.isolation_level = None  # transactions by hand: one read transaction below
        con.execute("PRAGMA query_only = ON")
        con.execute("BEGIN")  # every read from the same state, as the ORM's one session
        return _view(_Reader(con))
    except Exception:
        return None  # the ORM path reads it again and says what is wrong, if anything
    finally:
        con.close()


def _view(reader: _Reader) -> AssessmentView | None:
    role = reader.rows("SELECT value FROM settings WHERE key = 'role'")
    if role and Role.of(role[0].value) is Role.APPRAISER:
        return None
    units = reader.rows("SELECT id, code, name FROM units WHERE is_self")
    if len(units) != 1:
        return None
    unit = units[0]
    latest = reader.rows("SELECT * FROM assessments WHERE unit_id = ? "
                         "ORDER BY year DESC, id DESC LIMIT 1", (unit.id,))
    if not latest:
        return None
    row = latest[0]
    cset = reader.criteria_set(row.set_id)
    status = AssessmentStatus(row.status)
    scores = reader.scores(row.id)
    basis = basis_for(status)
    counts = {code: int(n) for code, n in reader.con.execute(
        "SELECT node_code, COUNT(*) FROM evidence_links WHERE assessment_id = ? "
        "GROUP BY node_code", (row.id,))}
    info = AssessmentInfo(id=row.id, unit_code=unit.code, unit_name=unit.name,
                          set_code=cset.code, set_version=cset.version, year=row.year,
                          status=status)
    return AssessmentView(
        info=info,
        cset=cset,
        scores=scores,
        basis=basis,
        totals=compute_totals(cset, scores, basis),
        evidence_counts=counts,
        result=reader.result(row.id),
        previous=reader.previous(row, cset),
    )

