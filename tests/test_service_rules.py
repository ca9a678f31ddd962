"""Service rules found in review: each protects a clerk from a silent loss or a crash."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from state_support import arrange_status

from db.engine import Database, open_database
from parapp import i18n
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.numbers import NumberError, normalize, to_decimal
from parapp.domain.scoring import Answer, Declared, DeductionRule, resolve_self_score
from parapp.domain.units import Unit, UnitKind
from parapp.services import (
    assessments,
    backups,
    criteria,
    evidence,
    plans,
    results,
    setup,
    submission,
)
from parapp.services.common import ServiceError
from parapp.services.scores_import import import_scores

UNIT = Unit("06172", "Xã Hoàng Văn Thụ", UnitKind.COMMUNE)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    path = tmp_path / "office" / "parapp.sqlite3"
    setup.init_database(path, UNIT)
    database = open_database(path)
    criteria.import_set(database, criteria.sample_set())
    assessments.new_assessment(database, 2025)
    yield database
    database.close()


def _dump(db: Database) -> list[str]:
    con = sqlite3.connect(db.path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.mark.parametrize("text", ["1e30", "-1e12", "0.00000000001", "1e999999"])
def test_absurd_numbers_are_refused(text: str) -> None:
    with pytest.raises(NumberError):
        to_decimal(text)


def test_normalize_keeps_huge_values() -> None:
    assert normalize(Decimal("1e40")) == Decimal("1e40")


def test_scores_file_with_an_absurd_number_names_the_line(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text("Mã;Số liệu kê khai;Điểm tự chấm\n2.4;;1e30\n", encoding="utf-8")
    before = _dump(db)
    with pytest.raises(ServiceError) as err:
        import_scores(db, path)
    assert "2" in i18n.message(err.value)
    assert _dump(db) == before


def test_a_tiny_deduction_step_is_checked_arithmetically() -> None:
    rule = DeductionRule(per_item=Decimal("0.0000001"))
    outcome = resolve_self_score(rule, Declared(), Decimal("0.9999999"), Decimal(1), "full")  # type: ignore[arg-type]
    assert outcome.score == Decimal("0.9999999")


def _submit(db: Database, assessment_id: int) -> None:
    """The fixture's assessment is empty: submitted as it is, with a reason."""
    submission.submit(db, assessment_id, allow_incomplete=True, reason="Nộp bản giấy trước.")


def test_correcting_the_rank_keeps_the_decision(db: Database) -> None:
    info = assessments.get_info(db)
    _submit(db, info.id)
    results.amend_result(
        db,
        {
            "index": Decimal("86.456"),
            "rank": 8,
            "rank_of": 17,
            "decision_number": "70/QĐ-UBND",
            "decision_date": date(2026, 1, 27),
        },
    )
    stored = results.amend_result(db, {"rank": 7})
    assert (stored.rank, stored.rank_of, stored.decision_number) == (7, 17, "70/QĐ-UBND")
    assert stored.index == Decimal("86.456")


def test_the_first_result_needs_an_index(db: Database) -> None:
    info = assessments.get_info(db)
    _submit(db, info.id)
    with pytest.raises(ServiceError):
        results.amend_result(db, {"rank": 3})


def test_init_does_not_repoint_a_database_silently(db: Database) -> None:
    other = Unit("00004", "Phường Ba Đình", UnitKind.WARD)
    with pytest.raises(ServiceError) as err:
        setup.init_database(db.path, other)
    assert "06172" in str(err.value)
    assert setup.own_unit(db).code == "06172"
    setup.init_database(db.path, other, change_unit=True)
    assert setup.own_unit(db).code == "00004"


def test_a_changed_self_score_after_return_needs_reappraisal(db: Database) -> None:
    info = assessments.get_info(db)
    entry = assessments.SelfEntry("1.1.1", Declared(answer=Answer.YES))
    assessments.set_self_scores(db, info.id, [entry])
    _submit(db, info.id)
    assessments.set_appraisals(db, info.id, [assessments.AppraisalEntry("1.1.1", Decimal(0))])
    arrange_status(db, info.id, AssessmentStatus.RETURNED)  # the return package, imported
    unchanged = assessments.SelfEntry("1.3.1", Declared(answer=Answer.YES))
    assessments.set_self_scores(db, info.id, [unchanged])
    assert not assessments.view(db).scores["1.3.1"].needs_reappraisal
    fixed = assessments.SelfEntry("1.1.1", Declared(answer=Answer.NO))
    assessments.set_self_scores(db, info.id, [fixed])
    score = assessments.view(db).scores["1.1.1"]
    assert score.needs_reappraisal and score.appraised_score == Decimal(0)
    _submit(db, info.id)
    assessments.set_appraisals(db, info.id, [assessments.AppraisalEntry("1.1.1", Decimal(0))])
    assert not assessments.view(db).scores["1.1.1"].needs_reappraisal


def test_ranking_leaves_out_unappraised_and_groups_kinds(tmp_path: Path) -> None:
    path = tmp_path / "hub.sqlite3"
    setup.init_database(
        path, Unit("20", "Sở Nội vụ tỉnh Lạng Sơn", UnitKind.DEPARTMENT), role="appraiser"
    )
    db = open_database(path)
    try:
        cset = criteria.sample_set()
        criteria.import_set(db, cset)
        leaf = next(n for n in cset.leaves() if n.code == "2.4")
        units = [
            ("06172", UnitKind.COMMUNE, "2", True),
            ("05983", UnitKind.WARD, "1.5", True),
            ("06154", UnitKind.COMMUNE, "2", True),
            ("06115", UnitKind.COMMUNE, "0", False),
        ]
        for code, kind, score, appraise in units:
            setup.save_unit(db, Unit(code, f"Đơn vị {code}", kind))
            info = assessments.new_assessment(db, 2025, unit_code=code)
            assessments.set_self_scores(
                db, info.id, [assessments.SelfEntry(leaf.code, typed=Decimal(score))]
            )
            if appraise:  # as the hub holds it once its package came and it was appraised
                arrange_status(db, info.id, AssessmentStatus.APPRAISED)
        rows = results.compute_ranking(db, cset.code, 2025)
    finally:
        db.close()
    ranks = {r.unit_code: r.rank for r in rows}
    assert "06115" not in ranks  # still a draft
    assert ranks["06172"] == ranks["06154"] == 1  # equal indices share the rank
    assert ranks["05983"] == 3  # wards rank with communes


def test_file_errors_are_vietnamese(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as err:
        criteria.read_set_file(tmp_path / "missing.json")
    text = i18n.message(err.value)
    assert "No such file" not in text and "không tồn tại" in text


def test_a_document_not_yet_linked_is_listed(db: Database, tmp_path: Path) -> None:
    doc = tmp_path / "bien-ban.txt"
    doc.write_text("Biên bản", encoding="utf-8")
    evidence.add_evidence(db, doc, title="Biên bản họp")
    listed = evidence.list_evidence(db)
    assert [e.title for e in listed] == ["Biên bản họp"] and listed[0].node_codes == ()


def test_the_default_set_is_the_one_loaded_last(db: Database) -> None:
    newer = replace(criteria.sample_set(), code="AAA-TINH-2026", name="Bộ tiêu chí tỉnh")
    criteria.import_set(db, newer)
    assert criteria.get_set(db).code == "AAA-TINH-2026"


def test_a_folder_name_with_url_characters_is_the_folder_used(tmp_path: Path) -> None:
    path = tmp_path / "q?x" / "pc%41" / "parapp.sqlite3"
    setup.init_database(path, UNIT)
    assert path.is_file() and not (tmp_path / "q").exists()


def test_a_scores_file_without_data_columns_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text("STT,Mã tiêu chí,Điểm\n1,2.4,1\n", encoding="utf-8")
    with pytest.raises(ServiceError) as err:
        import_scores(db, path)
    assert "Điểm" in str(err.value)


def test_restoring_a_file_that_is_not_a_backup_says_so(db: Database, tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    with pytest.raises(ServiceError) as err:
        backups.restore(db.path, str(empty))
    assert "not a parapp backup" in str(err.value)


def test_imports_are_preceded_by_a_backup(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text("Mã;Số liệu kê khai\n1.1.1;Có\n", encoding="utf-8")
    import_scores(db, path)
    assert [b.reason for b in backups.available(db.path)] == ["before-import"]


def test_carried_items_do_not_repeat_this_years_criteria(tmp_path: Path) -> None:
    from parapp.services.demo import build_demo

    paths = dict(build_demo(tmp_path / "demo"))
    demo = open_database(paths["commune-db"])
    try:
        plan = plans.get_plan(demo, 2026)
    finally:
        demo.close()
    codes = [c for item in plan.items for c in item.node_codes]
    assert len(codes) == len(set(codes))
    assert any(item.carried_from for item in plan.items)


def test_computed_values_with_many_places_still_display() -> None:
    # 62/70 has no finite decimal form; only typed text is bounded, never computed values.
    assert i18n.format_points(Decimal(62) * 100 / Decimal(70)) == "88,57"
    assert to_decimal(Decimal(62) / Decimal(70)) == Decimal(62) / Decimal(70)


def test_a_new_plan_is_signed_by_the_default_signer_of_the_settings(db: Database) -> None:
    from parapp.domain.remediation import Signer, SignMode

    first = plans.draft_plan(db, 2025)
    assert first.document.signer.position == "CHỦ TỊCH" and not first.document.signer.name
    chosen = Signer(mode=SignMode.KT, body="ỦY BAN NHÂN DÂN", head_title="CHỦ TỊCH",
                    position="PHÓ CHỦ TỊCH", name="Lò Văn Páo")
    setup.set_default_signer(db, chosen)
    # Redrafting keeps the plan's document (its signer too) unless it is reset (issue 14).
    kept = plans.draft_plan(db, 2025, replace_existing=True)
    assert kept.document.signer == first.document.signer
    again = plans.draft_plan(db, 2025, replace_existing=True, reset_document=True)
    assert again.document.signer == chosen
