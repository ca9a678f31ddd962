"""The start-up reader (plain sqlite3) gives exactly what the ORM path gives, or None."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from state_support import arrange_status
from sync_support import copy_demo

from db.engine import open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.units import Unit, UnitKind
from parapp.services import assessments, evidence, quick_view, setup, submission
from parapp.services.common import NotFound
from parapp.services.demo import start_next_year

ROOT = Path(__file__).resolve().parent.parent


def _orm_view(path: Path) -> assessments.AssessmentView | None:
    db = open_database(path)
    try:
        return assessments.view(db)
    except NotFound:
        return None
    finally:
        db.close()


def _same(path: Path) -> assessments.AssessmentView | None:
    quick, orm = quick_view.first_view(path), _orm_view(path)
    assert quick == orm
    assert repr(quick) == repr(orm)  # the same types too (True, not 1; Decimal, not text)
    return quick


def test_demo_commune_published_year(demo_db: Path, tmp_path: Path) -> None:
    root = copy_demo(demo_db, tmp_path / "demo")
    view = _same(root / "commune" / "parapp.sqlite3")
    assert view is not None and view.result is not None  # the published 2025 result
    assert view.evidence_counts and view.info.status is AssessmentStatus.PUBLISHED


def test_next_year_in_progress_then_appraised_and_a_third_year(demo_db: Path,
                                                               tmp_path: Path) -> None:
    """A draft with the published year before it; the year after an appraised (not
    published) one, whose index is computed; evidence linked on the way."""
    root = copy_demo(demo_db, tmp_path / "demo")
    path = root / "commune" / "parapp.sqlite3"
    db = open_database(path)
    try:
        start_next_year(db)
        doc = tmp_path / "bien-ban.txt"
        doc.write_text("Biên bản\n", encoding="utf-8")
        evidence.add_evidence(db, doc, node_codes=["1.1", "2.1"], title="Biên bản", year=2026)
    finally:
        db.close()
    view = _same(path)
    assert view is not None and view.info.year == 2026
    assert view.previous is not None and view.previous.official
    db = open_database(path)
    try:
        info = assessments.get_info(db, 2026)
        arrange_status(db, info.id, AssessmentStatus.APPRAISED)  # the result package's word
        assessments.new_assessment(db, 2027)
    finally:
        db.close()
    view = _same(path)
    assert view is not None and view.info.year == 2027
    assert view.previous is not None and view.previous.year == 2026


def test_no_answer_where_the_orm_path_decides(demo_db: Path, tmp_path: Path) -> None:
    root = copy_demo(demo_db, tmp_path / "demo")
    # An appraiser's database: the hub, not a view.
    assert quick_view.first_view(root / "appraiser" / "parapp.sqlite3") is None
    # A unit set up, no assessment yet (the ORM path says so and offers the setup).
    fresh = tmp_path / "fresh" / "parapp.sqlite3"
    setup.init_database(fresh, Unit("26734", "Xã Thử", UnitKind.COMMUNE, "20", "Sở Nội vụ"))
    assert _same(fresh) is None
    # No file, an empty file, not a database: nothing, never an exception.
    assert quick_view.first_view(tmp_path / "none.sqlite3") is None
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    assert quick_view.first_view(empty) is None
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    assert quick_view.first_view(junk) is None
    assert not (tmp_path / "none.sqlite3").exists()  # not created by looking


def test_reads_without_sqlalchemy_and_writes_nothing(demo_db: Path, tmp_path: Path) -> None:
    root = copy_demo(demo_db, tmp_path / "demo")
    path = root / "commune" / "parapp.sqlite3"
    before = path.read_bytes()
    code = (
        "import sys; from pathlib import Path\n"
        "from db.engine import open_database\n"
        "from parapp.services import quick_view\n"
        f"db = open_database(Path({str(path)!r}))\n"
        "view = quick_view.first_view(db.path)\n"
        "assert view is not None and view.totals.index > 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6'))\n"
        "print(loaded)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert path.read_bytes() == before


@pytest.mark.parametrize("status", ["submitted", "appraised"])
def test_status_changes_basis_like_the_orm(demo_db: Path, tmp_path: Path, status: str) -> None:
    root = copy_demo(demo_db, tmp_path / "demo")
    path = root / "commune" / "parapp.sqlite3"
    db = open_database(path)
    try:
        start_next_year(db, frozenset({"1", "2", "3", "4", "5", "6"}))
        info = assessments.get_info(db, 2026)
        submission.submit(db, info.id, allow_incomplete=True, reason="Chờ số liệu.")
        if status == "appraised":
            arrange_status(db, info.id, AssessmentStatus.APPRAISED)  # the result package's word
    finally:
        db.close()
    view = _same(path)
    assert view is not None and view.info.status.value == status


def test_a_damaged_criteria_set_gives_no_answer_not_an_error(demo_db: Path,
                                                             tmp_path: Path) -> None:
    """Whatever fails in the start-up reader leaves the answer to the ORM path (which says
    what is wrong), never an exception on the window's opening."""
    import sqlite3

    root = copy_demo(demo_db, tmp_path / "demo")
    path = root / "commune" / "parapp.sqlite3"
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE criterion_nodes SET rule_json = '{\"type\": \"no such rule\"}' "
                    "WHERE rule_json IS NOT NULL")
        con.commit()
    finally:
        con.close()
    assert quick_view.first_view(path) is None
