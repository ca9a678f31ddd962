"""The appraiser's hub end to end: units from the official list, three communes' submissions,
appraisal, a return and a re-submission, publishing with ranks, and the CLI over it.

Figures (sample set MAU-CCHC-XA: main areas 1-7 self-scored, 88 points; area 8 survey, 12;
bonus C and penalty T scored 0 here). Every commune self-scores every main leaf at its max.
- A: all self scores accepted, survey 12/12              -> 100/100 = 100,00, rank 1
- B: 1.1.1 appraised 0 (max 1), survey 12                 -> 99/100  = 99,00,  rank 2
- C: 1.2 appraised 1,5 (max 2), then returned; the commune corrects 1.2 to 1,5 (re-submitted,
     flagged); the appraiser re-scores 1.2 at 1; 1.1.2 appraised 1 (max 2); survey 12
                                                          -> 98/100  = 98,00,  rank 3
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from state_support import arrive_submitted

from db.engine import Database, open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.criteria import Part, ScoreKind
from parapp.domain.errors import DomainError
from parapp.domain.units import Unit, UnitKind
from parapp.services import assessments, criteria
from parapp.services.appraisal import (
    accept_self_scores,
    add_unit,
    add_units_from_catalog,
    appraise_node,
    return_for_correction,
    return_reason,
    unit_statuses,
)
from parapp.services.appraisal_publish import publish, ranking_inputs
from parapp.services.assessments import SelfEntry
from parapp.services.common import ServiceError
from parapp.services.setup import init_database

YEAR = 2025
APPRAISER = Unit(
    "20", "Sở Nội vụ tỉnh Lạng Sơn", UnitKind.DEPARTMENT, province_name="Tỉnh Lạng Sơn"
)
SURVEY = {"8.1": "4", "8.2": "3", "8.3": "2", "8.4": "3"}


def make_hub(folder: Path) -> tuple[Database, list[str]]:
    """An appraiser database with the sample set, Lạng Sơn's units, and three communes
    whose 2025 self-assessments (every main leaf at its max) are submitted."""
    path = folder / "appraiser" / "parapp.sqlite3"
    init_database(path, APPRAISER, role="appraiser")
    db = open_database(path)
    criteria.import_set(db, criteria.sample_set())
    add_units_from_catalog(db, "20")
    communes = [
        u.unit_code for u in unit_statuses(db, YEAR) if u.kind is UnitKind.COMMUNE
    ][:3]
    cset = criteria.get_set(db)
    entries = [
        SelfEntry(
            code=n.code,
            typed=n.max_points if n.part is Part.MAIN else Decimal(0),
        )
        for n in cset.leaves()
        if ScoreKind.SELF in n.score_kinds
    ]
    for code in communes:
        info = assessments.new_assessment(db, YEAR, unit_code=code)
        assessments.set_self_scores(db, info.id, entries)
        arrive_submitted(db, info.id)
    return db, communes


def score_survey(db: Database, unit: str) -> None:
    for code, value in SURVEY.items():
        appraise_node(db, unit, YEAR, code, Decimal(value), "Điều tra XHH")


def dump(db: Database) -> list[tuple[object, ...]]:
    """Every row that appraisal or publishing could touch, to prove nothing changed."""
    con = sqlite3.connect(db.path)
    try:
        out: list[tuple[object, ...]] = []
        for table in ("assessments", "node_scores", "published_results", "settings"):
            out += [(table, *r) for r in con.execute(f"SELECT * FROM {table} ORDER BY 1")]
        return out
    finally:
        con.close()


@pytest.fixture
def hub(tmp_path: Path) -> tuple[Database, list[str]]:
    db, communes = make_hub(tmp_path)
    yield db, communes
    db.close()


def by_code(db: Database, year: int = YEAR) -> dict[str, object]:
    return {u.unit_code: u for u in unit_statuses(db, year)}


def test_units_from_catalog(hub: tuple[Database, list[str]]) -> None:
    db, _communes = hub
    statuses = unit_statuses(db, YEAR)
    assert len(statuses) > 50  # Lạng Sơn has some 65 communes and wards since July 2025
    assert all(u.unit_code != "20" for u in statuses)  # the appraiser itself is not listed
    assert {u.kind for u in statuses} <= {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}
    not_submitted = [u for u in statuses if u.status is None]
    assert len(not_submitted) == len(statuses) - 3
    again = add_units_from_catalog(db, "20")
    assert (again.added, again.updated) == (0, 0)
    assert again.province_name == "Tỉnh Lạng Sơn"
    with pytest.raises(ServiceError, match="no province"):
        add_units_from_catalog(db, "99")
    # a historical district, by code
    assert add_unit(db, Unit("178", "Huyện Văn Lãng", UnitKind.DISTRICT))
    assert by_code(db)["178"].kind is UnitKind.DISTRICT
    with pytest.raises(ServiceError):
        add_unit(db, Unit("20", "Sở Nội vụ", UnitKind.DEPARTMENT))


def test_full_round(hub: tuple[Database, list[str]]) -> None:
    db, (a, b, c) = hub
    start = by_code(db)
    for code in (a, b, c):
        st = start[code]
        assert st.status is AssessmentStatus.SUBMITTED
        assert st.self_index == Decimal(100)  # survey leaves are not in the self basis
        assert st.appraised_index is None
        assert st.to_appraise > 50 and st.to_reappraise == 0

    # A: everything accepted
    done = accept_self_scores(db, a, YEAR)
    assert done.accepted == start[a].to_appraise
    assert done.status is AssessmentStatus.APPRAISED
    score_survey(db, a)

    # B: one criterion lowered, with a comment; the rest accepted
    node = appraise_node(db, b, YEAR, "1.1.1", Decimal(0), "Ban hành Kế hoạch chậm")
    assert (node.appraised, node.comment, node.status) == (
        Decimal(0), "Ban hành Kế hoạch chậm", AssessmentStatus.SUBMITTED
    )
    accept_self_scores(db, b, YEAR)
    score_survey(db, b)

    # an out-of-range score is refused and changes nothing
    before = dump(db)
    with pytest.raises(ServiceError, match="outside 0 to 1"):
        appraise_node(db, b, YEAR, "1.1.1", Decimal("1.5"), "quá điểm")
    with pytest.raises(ServiceError, match="outside"):
        appraise_node(db, b, YEAR, "1.1.1", Decimal("-0.5"), "âm")
    with pytest.raises(ServiceError, match="no criterion"):
        appraise_node(db, b, YEAR, "9.9", Decimal(0), "")
    with pytest.raises(ServiceError, match="sub-criteria"):
        appraise_node(db, b, YEAR, "1.1", Decimal(0), "")
    assert dump(db) == before

    # C: scored, then returned for correction
    appraise_node(db, c, YEAR, "1.2", Decimal("1.5"), "Thiếu 02 báo cáo")
    status = return_for_correction(db, c, YEAR, "Bổ sung báo cáo quý II")
    assert status is AssessmentStatus.RETURNED
    info = assessments.get_info(db, YEAR, c)
    assert info.status is AssessmentStatus.RETURNED
    st = by_code(db)[c]
    assert st.return_reason == "Bổ sung báo cáo quý II"
    with pytest.raises(DomainError):  # a returned assessment is the commune's to edit
        appraise_node(db, c, YEAR, "1.2", Decimal(1), "")

    # ... the commune corrects 1.2 and submits again: 1.2 is flagged for re-appraisal
    assessments.set_self_scores(db, info.id, [SelfEntry("1.2", typed=Decimal("1.5"))])
    arrive_submitted(db, info.id)  # its new package, imported
    st = by_code(db)[c]
    assert st.status is AssessmentStatus.SUBMITTED and st.to_reappraise == 1
    view = assessments.view(db, YEAR, c)
    assert view.scores["1.2"].needs_reappraisal
    assert return_reason(db, _uuid(db, c)) == "Bổ sung báo cáo quý II"

    # bulk acceptance does not wave the changed criterion through
    done = accept_self_scores(db, c, YEAR)
    assert done.to_reappraise == 1 and done.status is AssessmentStatus.SUBMITTED
    assert assessments.view(db, YEAR, c).scores["1.2"].appraised_score == Decimal("1.5")

    # publishing is refused while C waits for re-appraisal, and changes nothing
    before = dump(db)
    with pytest.raises(ServiceError, match="re-appraise"):
        publish(db, YEAR, decision_number="70/QĐ-UBND", decision_date=date(2026, 1, 27))
    assert dump(db) == before

    node = appraise_node(db, c, YEAR, "1.2", Decimal(1), "Còn thiếu báo cáo quý II")
    assert node.status is AssessmentStatus.APPRAISED
    assert by_code(db)[c].to_reappraise == 0
    appraise_node(db, c, YEAR, "1.1.2", Decimal(1), "Hoàn thành 85% nhiệm vụ")
    score_survey(db, c)

    outcome = publish(
        db, YEAR, decision_number="70/QĐ-UBND", decision_date=date(2026, 1, 27)
    )
    ranks = {p.unit_code: (p.rank, p.rank_of, p.index, p.band) for p in outcome.published}
    assert ranks == {
        a: (1, 3, Decimal(100), "Tốt"),
        b: (2, 3, Decimal(99), "Tốt"),
        c: (3, 3, Decimal(98), "Tốt"),
    }
    assert outcome.skipped == []
    for code, (rank, *_rest) in ranks.items():
        view = assessments.view(db, YEAR, code)
        assert view.info.status is AssessmentStatus.PUBLISHED
        assert view.result is not None
        assert (view.result.rank, view.result.rank_of) == (rank, 3)
        assert view.result.decision_number == "70/QĐ-UBND"
        assert view.result.issuer == "Sở Nội vụ tỉnh Lạng Sơn"
        area1 = view.result.areas[0]
        assert area1.code == "1" and area1.max_points == Decimal(14)
    area1 = {
        code: assessments.view(db, YEAR, code).result.areas[0] for code in (a, b, c)
    }
    assert (area1[a].points, area1[b].points, area1[c].points) == (
        Decimal(14), Decimal(13), Decimal(12)
    )
    assert (area1[a].rank, area1[b].rank, area1[c].rank) == (1, 2, 3)
    st = by_code(db)
    assert st[a].rank == 1 and st[a].published_index == Decimal(100)

    # published results are locked
    with pytest.raises(DomainError):
        appraise_node(db, a, YEAR, "1.1.1", Decimal(0), "")
    with pytest.raises(ServiceError, match="nothing to publish"):
        publish(db, YEAR, decision_number="71/QĐ-UBND", decision_date=date(2026, 1, 28))

    data = ranking_inputs(db, YEAR)
    assert [(r.rank, r.unit_code) for r in data.rows] == [(1, a), (2, b), (3, c)]
    assert data.decision_number == "70/QĐ-UBND"


def _uuid(db: Database, unit_code: str) -> str:
    from parapp.services.appraisal import assessment_row

    with db.session() as s:
        return assessment_row(s, unit_code, YEAR).uuid


def test_ties_share_a_rank(hub: tuple[Database, list[str]]) -> None:
    """Two units with the same exact index share rank 2; none is ranked 3 (90, 85, 85)."""
    db, (a, b, c) = hub
    accept_self_scores(db, a, YEAR)
    for unit in (b, c):
        appraise_node(db, unit, YEAR, "1.2", Decimal("1.75"), "01 báo cáo chậm")
        accept_self_scores(db, unit, YEAR)
    for unit in (a, b, c):
        score_survey(db, unit)
    outcome = publish(db, YEAR, "MAU-CCHC-XA", decision_number="5/QĐ-UBND", decision_date=None)
    got = {p.unit_code: (p.rank, p.rank_of) for p in outcome.published}
    assert got == {a: (1, 3), b: (2, 3), c: (2, 3)}


def test_publish_leaves_out_units_not_appraised(hub: tuple[Database, list[str]]) -> None:
    db, (a, b, c) = hub
    accept_self_scores(db, a, YEAR)
    return_for_correction(db, b, YEAR, "Thiếu tài liệu kiểm chứng")
    with pytest.raises(ServiceError, match="why"):
        return_for_correction(db, c, YEAR, "  ")
    with pytest.raises(ServiceError, match="decision"):
        publish(db, YEAR, decision_number=" ", decision_date=None)
    score_survey(db, a)
    outcome = publish(db, YEAR, decision_number="12/QĐ-SNV", decision_date=date(2026, 2, 2))
    assert [(p.unit_code, p.rank, p.rank_of) for p in outcome.published] == [(a, 1, 1)]
    assert {code: status for code, _name, status in outcome.skipped} == {
        b: AssessmentStatus.RETURNED,
        c: AssessmentStatus.SUBMITTED,
    }


def test_score_must_be_decimal(hub: tuple[Database, list[str]]) -> None:
    db, (a, _b, _c) = hub
    with pytest.raises(TypeError):
        appraise_node(db, a, YEAR, "1.1.1", 0.5, "")  # type: ignore[arg-type]


# -- the command line --------------------------------------------------------------------
def cli(db: Path, *args: str) -> tuple[int, str, str]:
    import contextlib
    import io

    from parapp.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(db), "--lang", "en", *args])
    return code, out.getvalue(), err.getvalue()


def test_cli(tmp_path: Path, vietnamese: None) -> None:
    path = tmp_path / "hub" / "parapp.sqlite3"
    code, out, err = cli(
        path, "init", "--unit-code", "20", "--unit-name", "Sở Nội vụ tỉnh Lạng Sơn",
        "--kind", "department", "--role", "appraiser", "--sample",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(path, "appraise", "add-units", "--province", "20")
    assert code == 0, err
    assert "Lạng Sơn" in out
    db = open_database(path)
    try:
        units = [u.unit_code for u in unit_statuses(db, YEAR) if u.kind is UnitKind.COMMUNE][:2]
        cset = criteria.get_set(db)
        entries = [
            SelfEntry(n.code, typed=n.max_points if n.part is Part.MAIN else Decimal(0))
            for n in cset.leaves()
            if ScoreKind.SELF in n.score_kinds
        ]
        for unit in units:
            info = assessments.new_assessment(db, YEAR, unit_code=unit)
            assessments.set_self_scores(db, info.id, entries)
            arrive_submitted(db, info.id)
    finally:
        db.close()
    a, b = units

    code, out, err = cli(path, "appraise", "units")
    assert code == 0, err
    line_a = next(line for line in out.splitlines() if line.startswith(a))
    assert "submitted" in line_a and "100.00%" in line_a
    assert "not submitted" in out

    code, out, err = cli(path, "appraise", "score", a, "1.1.1", "2")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "outside" in err
    code, out, err = cli(path, "appraise", "score", a, "1.1.1", "abc")
    assert code == 1 and "not a number" in err
    code, out, err = cli(path, "appraise", "score", "99999", "1.1.1", "0")
    assert code == 1 and "99999" in err
    code, out, err = cli(path, "appraise", "score", a, "1.1.1", "0", "--comment", "Chậm")
    assert code == 0, err
    assert "1.1.1: 0/1" in out

    code, out, err = cli(path, "appraise", "accept", a)
    assert code == 0 and "appraised" in out, err
    code, out, err = cli(path, "appraise", "return", b, "--reason", "Thiếu báo cáo")
    assert code == 0, err
    code, out, err = cli(path, "appraise", "units")
    assert "returned: Thiếu báo cáo" in out

    code, out, err = cli(path, "appraise", "publish", "--decision-number", "70/QĐ-UBND",
                         "--decision-date", "32/01/2026")
    assert code == 1 and "not a date" in err
    # No survey result yet: publishing would leave area 8 out of the maximum, so it asks.
    code, out, err = cli(path, "appraise", "publish", "--decision-number", "70/QĐ-UBND",
                         "--decision-date", "27/01/2026")
    assert code == 1 and "8.1" in err and "survey" in err
    code, out, err = cli(path, "appraise", "publish", "--decision-number", "70/QĐ-UBND",
                         "--decision-date", "27/01/2026", "--confirm-incomplete")
    assert code == 0, err
    assert out.splitlines()[0].split("\t") == ["Rank", "Index", "Band", "Unit code", "Unit"]
    assert out.splitlines()[1].startswith("1/1\t")
    assert b in err  # left out, said on stderr

    xlsx = tmp_path / "out" / "xep-hang.xlsx"
    code, out, err = cli(path, "ranking", "--out", str(xlsx))
    assert code == 0 and xlsx.exists(), err
    pdf = tmp_path / "out" / "xep-hang.pdf"
    code, out, err = cli(path, "ranking", "--year", "2025", "--set", "MAU-CCHC-XA", "--out",
                         str(pdf), "--date", "28/01/2026")
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF"), err
    code, out, err = cli(path, "ranking", "--out", str(tmp_path / "x.txt"))
    assert code == 1 and ".xlsx" in err
    code, out, err = cli(path, "ranking", "--year", "2024", "--out", str(xlsx))
    assert code == 1 and "2024" in err
