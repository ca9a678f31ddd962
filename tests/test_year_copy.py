"""The self-assessment exported to Excel and read back, and last year's copied into a new
year, on the hand-made set (tests/data) and a hand-changed 2026 version of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from db.engine import Database, open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.errors import DomainError
from parapp.domain.scoring import Declared
from parapp.domain.units import Unit, UnitKind
from parapp.services import assessments, carry_over, evidence
from parapp.services.assessments import SelfEntry, new_assessment, view
from parapp.services.common import ServiceError
from parapp.services.criteria import import_set, read_set_file
from parapp.services.scores_export import export_scores
from parapp.services.scores_import import import_scores
from parapp.services.setup import init_database

DATA = Path(__file__).resolve().parent / "data"


def _set_2026(tmp: Path) -> Path:
    """The hand-made set for 2026: 2.1 turned into a yes/no criterion, 3.2 renumbered 3.3."""
    doc = json.loads((DATA / "handmade-set.json").read_text(encoding="utf-8"))
    doc["code"], doc["period"] = "TEST-XA-2026", "2026"

    def walk(nodes: list[dict[str, object]]) -> None:
        for node in nodes:
            if node["code"] == "2.1":
                node["rule"] = {"type": "yes_no"}
            if node["code"] == "3.2":
                node["code"] = "3.3"
            walk(node.get("children", []))  # type: ignore[arg-type]

    walk(doc["nodes"])
    path = tmp / "set-2026.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """2025 scored from the hand-made file, with a document linked to 1.1 and 3.2."""
    path = tmp_path / "db.sqlite3"
    init_database(path, Unit(code="00001", name="Xã Thử", kind=UnitKind.COMMUNE))
    database = open_database(path)
    import_set(database, read_set_file(DATA / "handmade-set.json"))
    new_assessment(database, 2025)
    import_scores(database, DATA / "handmade-scores.csv")
    doc = tmp_path / "ke-hoach.pdf"
    doc.write_bytes(b"%PDF-1.4 ke hoach CCHC")
    evidence.add_evidence(database, doc, node_codes=["1.1", "3.2"], title="Kế hoạch CCHC")
    yield database
    database.close()


def _self(database: Database, year: int) -> dict[str, tuple[object, ...]]:
    current = view(database, year)
    return {
        code: (s.declared, s.self_score, s.not_applicable, s.explanation)
        for code, s in current.scores.items()
        if s.self_score is not None or not s.declared.is_empty() or s.explanation
    }


# -- export ---------------------------------------------------------------------------------
def test_export_then_import_changes_nothing(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "diem.xlsx"
    result = export_scores(db, out)
    assert (result.year, result.rows) == (2025, 10)
    assert import_scores(db, out).changed == 0


def test_the_export_fills_an_empty_year_with_the_same_self_assessment(
    db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "diem.xlsx"
    export_scores(db, out, 2025)
    new_assessment(db, 2026)
    assert import_scores(db, out, 2026).changed == 10
    assert _self(db, 2026) == _self(db, 2025)


def test_the_sheet_has_the_import_headers_and_codes_as_text(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "diem.xlsx"
    export_scores(db, out)
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Mã tiêu chí" and rows[0][3:] == (
        "Số liệu kê khai", "Điểm tự chấm", "Giải trình")
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["1.2.1"][3] == "Hoàn thành tốt" and by_code["1.2.1"][4] is None  # computed
    assert by_code["1.2.2"][4] == 1.75  # judged: the typed score
    assert by_code["2.1"][3] == "97/100"


def test_export_to_another_kind_of_file_is_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="xlsx"):
        export_scores(db, tmp_path / "diem.csv")
    assert not (tmp_path / "diem.csv").exists()


# -- copying last year ----------------------------------------------------------------------
@pytest.fixture
def new_year(db: Database, tmp_path: Path) -> Database:
    import_set(db, read_set_file(_set_2026(tmp_path)))
    info = new_assessment(db, 2026, set_code="TEST-XA-2026")
    # typed by the clerk before copying: must stay
    assessments.set_self_scores(db, info.id, [SelfEntry("1.3", Declared(count=0), None, "Đủ")])
    return db


def test_last_year_is_copied_where_the_criterion_is_the_same(new_year: Database) -> None:
    before_2025 = _self(new_year, 2025)
    result = carry_over.copy_last_year(new_year)
    assert (result.from_year, result.to_year) == (2025, 2026)
    assert result.copied == ["1.1", "1.2.1", "1.2.2", "2.2.1", "2.2.2", "2.3", "3.1"]
    assert {s.code: s.reason for s in result.skipped} == {
        "1.3": carry_over.TYPED,
        "2.1": carry_over.OTHER_RULE,
        "3.2": carry_over.NOT_IN_SET,
    }
    after = view(new_year, 2026).scores
    last = view(new_year, 2025).scores
    for code in result.copied:
        assert after[code].declared == last[code].declared
        assert after[code].self_score == last[code].self_score  # same rule, same data
        assert after[code].explanation == last[code].explanation
    assert after["1.3"].declared == Declared(count=0) and after["1.3"].explanation == "Đủ"
    assert after["1.3"].self_score == Decimal("3")
    # the document follows 1.1; 3.2 is not in the new set
    assert result.links == 1
    assert view(new_year, 2026).evidence_counts == {"1.1": 1}
    assert _self(new_year, 2025) == before_2025


def test_copying_again_changes_nothing(new_year: Database) -> None:
    carry_over.copy_last_year(new_year)
    once = _self(new_year, 2026)
    again = carry_over.copy_last_year(new_year, 2026, 2025)
    assert again.copied == [] and again.links == 0
    assert _self(new_year, 2026) == once


def test_a_submitted_year_is_not_copied_into(new_year: Database) -> None:
    info = assessments.get_info(new_year, 2026)
    with new_year.session() as s:
        from db.models import AssessmentRow

        row = s.get(AssessmentRow, info.id)
        assert row is not None
        row.status = AssessmentStatus.SUBMITTED.value
    before = _self(new_year, 2026)
    with pytest.raises(DomainError):
        carry_over.copy_last_year(new_year)
    assert _self(new_year, 2026) == before


def test_a_missing_year_is_one_sentence(new_year: Database) -> None:
    with pytest.raises(ServiceError, match="2019"):
        carry_over.copy_last_year(new_year, 2026, 2019)


# -- the window's preview of an import ------------------------------------------------------
def test_the_preview_lists_what_the_import_would_change(db: Database, tmp_path: Path) -> None:
    from parapp.services.scores_preview import preview_scores

    out = tmp_path / "diem.xlsx"
    export_scores(db, out)
    assert preview_scores(db, out).changes == []
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "2.1":
            row[3].value = "100/100"
        if row[0].value == "3.1":
            row[5].value = "Giải trình mới"
    book.save(out)
    before = _self(db, 2025)
    preview = preview_scores(db, out)
    assert preview.rows == 10
    assert [(c.code, c.declared_before, c.declared_after, c.score_after, c.explanation_changed)
            for c in preview.changes] == [
        ("2.1", "97/100", "100/100", Decimal("3"), False),
        ("3.1", "Hoàn thành", "Hoàn thành", Decimal("1.25"), True),
    ]
    assert _self(db, 2025) == before  # nothing written
