"""The audit trail: what the flush listener records, and the history read and exchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import audit
from db.engine import Database, open_database
from db.models import (
    AssessmentRow,
    AuditRow,
    EvidenceLinkRow,
    EvidenceRow,
    IssuedDocumentRow,
    NodeScoreRow,
)
from parapp.domain.scoring import Answer, Declared, YesNoRule
from parapp.services import assessments, evidence, history, issuing, plans, setup
from parapp.services.common import ServiceError

CLERK = "Nguyễn Thị Lan"
CODE = "1.1.2"  # a ratio criterion the 2026 draft carries at full marks (100/100)


@pytest.fixture
def db(draft_db: Path) -> Iterator[Database]:
    database = open_database(draft_db)
    setup.set_setting(database, "clerk_name", CLERK)
    try:
        yield database
    finally:
        database.close()


def _rows(db: Database, **where: str) -> list[AuditRow]:
    with db.session() as s:
        query = select(AuditRow)
        for key, value in where.items():
            query = query.where(getattr(AuditRow, key) == value)
        return list(s.scalars(query.order_by(AuditRow.id)))


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditRow)) or 0)


def _max_id(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.max(AuditRow.id))) or 0)


def _since(db: Database, first_id: int) -> list[AuditRow]:
    with db.session() as s:
        return list(s.scalars(select(AuditRow).where(AuditRow.id > first_id).order_by(AuditRow.id)))


def _score_row(s: object, db: Database) -> NodeScoreRow:
    """The draft's row for CODE (earlier years have one too)."""
    assessment_id, _uuid = _draft(db)
    row = s.scalars(  # type: ignore[attr-defined]
        select(NodeScoreRow).where(
            NodeScoreRow.node_code == CODE, NodeScoreRow.assessment_id == assessment_id
        )
    ).first()
    assert row is not None
    return row


def _draft(db: Database) -> tuple[int, str]:
    info = assessments.get_info(db)
    with db.session() as s:
        row = s.get(AssessmentRow, info.id)
        assert row is not None
        return info.id, row.uuid


# -- values ---------------------------------------------------------------------------------
def test_values_are_stored_as_plain_locale_free_text() -> None:
    assert audit.as_text(Decimal("0.50")) == "0.5"
    assert audit.as_text(Decimal("1E+1")) == "10"
    assert audit.as_text(None) == ""
    assert audit.as_text(True) == "true"
    assert audit.as_text(date(2026, 3, 5)) == "2026-03-05"


def test_document_changes_name_each_field_that_differs() -> None:
    old = json.dumps({"summary": "A", "signer": {"name": ""}, "recipients": ["X"]})
    new = json.dumps({"summary": "A", "signer": {"name": "B"}, "recipients": ["X", "Y"]})
    assert audit.document_changes(old, new) == [
        ("recipients", "X", "X\nY"),
        ("signer.name", "", "B"),
    ]


# -- scores ---------------------------------------------------------------------------------
def test_a_score_edit_records_old_and_new_with_the_clerks_name(db: Database) -> None:
    assessment_id, uuid = _draft(db)
    before = assessments.view(db).scores[CODE]
    first = _max_id(db)
    half = Declared(numerator=Decimal(1), denominator=Decimal(2))
    changed = assessments.set_self_scores(
        db, assessment_id, [assessments.SelfEntry(CODE, declared=half)]
    )
    assert changed == 1
    after = assessments.view(db).scores[CODE]
    assert after.self_score != before.self_score
    rows = _since(db, first)
    scores = [r for r in rows if r.field == "self_score"]
    assert len(scores) == 1
    row = scores[0]
    assert (row.entity, row.entity_key, row.assessment_uuid) == ("node", CODE, uuid)
    assert row.old_value == audit.as_text(before.self_score)
    assert row.new_value == audit.as_text(after.self_score)
    assert row.actor == CLERK
    assert row.source == "local"
    assert abs((datetime.now() - row.at).total_seconds()) < 120
    declared = [r for r in rows if r.field == "declared_json"]
    assert len(declared) == 1
    assert json.loads(declared[0].new_value) == {"numerator": "1", "denominator": "2"}
    # Nothing else of the node changed, so nothing else was recorded.
    assert {r.field for r in rows} == {"self_score", "declared_json"}


def test_an_explanation_edit_records_exactly_that_field(db: Database) -> None:
    assessment_id, _uuid = _draft(db)
    first = _max_id(db)
    assessments.set_self_scores(
        db, assessment_id, [assessments.SelfEntry(CODE, explanation="Đã niêm yết công khai")]
    )
    rows = _since(db, first)
    assert [(r.field, r.new_value) for r in rows] == [("explanation", "Đã niêm yết công khai")]


def test_saving_the_same_values_again_records_nothing(db: Database) -> None:
    assessment_id, _uuid = _draft(db)
    score = assessments.view(db).scores[CODE]
    entry = assessments.SelfEntry(CODE, declared=score.declared, explanation=score.explanation)
    count = _count(db)
    assert assessments.set_self_scores(db, assessment_id, [entry]) == 0
    assert _count(db) == count
    # Assigning the stored value to a row by hand is no change either.
    with db.session() as s:
        row = _score_row(s, db)
        row.self_score = Decimal(str(row.self_score)) if row.self_score is not None else None
        row.explanation = str(row.explanation)
    assert _count(db) == count


def test_a_first_score_on_a_new_node_records_only_what_was_entered(db: Database) -> None:
    assessment_id, _uuid = _draft(db)
    v = assessments.view(db)
    code = next(
        n.code
        for n in v.cset.leaves()
        if v.cset.area_of(n.code).code == "4"
        and n.code not in v.scores
        and isinstance(n.rule, YesNoRule)
    )
    first = _max_id(db)
    assessments.set_self_scores(
        db, assessment_id, [assessments.SelfEntry(code, declared=Declared(answer=Answer.YES))]
    )
    rows = _since(db, first)
    assert {r.field for r in rows} == {"declared_json", "self_score"}
    assert all(r.old_value == "" and r.entity_key == code for r in rows)


def test_session_info_gives_the_source_and_the_actor(db: Database) -> None:
    _id, uuid = _draft(db)
    first = _max_id(db)
    with db.session() as s:
        s.info["audit_source"] = "package:1234"
        s.info["actor"] = "Sở Nội vụ"
        row = _score_row(s, db)
        row.appraisal_comment = "Chưa đủ tài liệu"
        row.appraised_score = Decimal("0.50")
    rows = _since(db, first)
    assert {(r.field, r.old_value, r.new_value) for r in rows} == {
        ("appraisal_comment", "", "Chưa đủ tài liệu"),
        ("appraised_score", "", "0.5"),
    }
    assert {(r.source, r.actor, r.assessment_uuid) for r in rows} == {
        ("package:1234", "Sở Nội vụ", uuid)
    }


def test_without_a_clerk_name_the_actor_is_empty(db: Database) -> None:
    setup.set_setting(db, "clerk_name", "")
    assessment_id, _uuid = _draft(db)
    first = _max_id(db)
    assessments.set_self_scores(db, assessment_id, [assessments.SelfEntry(CODE, explanation="x")])
    assert [r.actor for r in _since(db, first)] == [""]


# -- evidence -------------------------------------------------------------------------------
def test_linking_and_unlinking_evidence_is_recorded_on_the_node(
    db: Database, tmp_path: Path
) -> None:
    _id, uuid = _draft(db)
    source = tmp_path / "ke-hoach.pdf"
    source.write_bytes(b"%PDF-1.4 audit test\n")
    first = _max_id(db)
    info = evidence.add_evidence(db, source, node_codes=[CODE], title="Kế hoạch số 5")
    link = [r for r in _since(db, first) if r.entity == "evidence_link"]
    assert [(r.entity_key, r.old_value, r.new_value, r.assessment_uuid) for r in link] == [
        (CODE, "", info.sha256, uuid)
    ]
    titles = [r for r in _since(db, first) if r.entity == "evidence" and r.field == "title"]
    assert [(r.entity_key, r.new_value) for r in titles] == [(info.sha256, "Kế hoạch số 5")]

    first = _max_id(db)
    evidence.update_evidence(db, info.sha256, doc_number="5/KH-UBND", doc_date=date(2026, 1, 5))
    assert {(r.field, r.new_value) for r in _since(db, first)} == {
        ("doc_number", "5/KH-UBND"),
        ("doc_date", "2026-01-05"),
    }

    first = _max_id(db)
    evidence.unlink_evidence(db, info.sha256, [CODE])
    assert [(r.entity, r.old_value, r.new_value) for r in _since(db, first)] == [
        ("evidence_link", info.sha256, "")
    ]
    entries = history.node_history(db, CODE)
    links = [e for e in entries if e.entity == "evidence_link"]
    assert [(e.old, e.new) for e in links] == [(info.sha256, ""), ("", info.sha256)]  # newest first
    assert {e.subject for e in links} == {"Kế hoạch số 5"}


# -- plans and documents --------------------------------------------------------------------
def test_plan_item_edits_and_progress_are_recorded_by_item(db: Database) -> None:
    plan = plans.get_plan(db)
    item = plan.items[0]
    first = _max_id(db)
    plans.update_item(db, item.id, tasks="Rà soát lại quy trình", lead="Văn phòng UBND")
    rows = _since(db, first)
    assert {(r.entity, r.entity_key) for r in rows} == {("plan_item", item.id)}
    assert {(r.field, r.old_value, r.new_value) for r in rows} == {
        ("tasks", item.tasks, "Rà soát lại quy trình"),
        ("lead", item.lead, "Văn phòng UBND"),
    }
    first = _max_id(db)
    plans.update_item(db, item.id, tasks="Rà soát lại quy trình")  # the same text again
    assert _since(db, first) == []

    plans.record_progress(db, item.id, date(2026, 3, 31), 40, "Đã rà soát 4/10 thủ tục")
    fields = {r.field: r for r in _since(db, first)}
    assert set(fields) >= {"progress_update", "progress", "status"}
    assert json.loads(fields["progress_update"].new_value) == {
        "on": "2026-03-31",
        "percent": 40,
        "note": "Đã rà soát 4/10 thủ tục",
    }
    assert (fields["progress"].old_value, fields["progress"].new_value) == ("0", "40")
    got = history.item_history(db, item.id)
    assert got[0].field in {"progress_update", "progress", "status"}  # newest first
    assert {e.field for e in got} >= {"tasks", "lead", "progress_update"}
    assert all(e.actor == CLERK for e in got if e.field != "created")


def test_issuing_and_signing_are_recorded(db: Database) -> None:
    plans.update_document(db, summary="Khắc phục tồn tại năm 2025")
    first = _max_id(db)
    info = issuing.issue_plan(db, number="7", issued_on=date(2026, 2, 3))
    rows = _since(db, first)
    issued = [r for r in rows if r.entity == "document"]
    assert [(r.field, r.new_value) for r in issued] == [
        ("issued", f"7/{info.symbol} 2026-02-03 r{info.revision}")
    ]
    plan_fields = {r.field: r for r in rows if r.entity == "plan"}
    assert plan_fields["document.number"].new_value == "7"
    assert plan_fields["status"].new_value == "issued"

    first = _max_id(db)
    with db.session() as s:
        row = s.get(IssuedDocumentRow, info.id)
        assert row is not None
        row.signed_sha256 = "ab" * 32
    assert [(r.entity, r.field, r.new_value) for r in _since(db, first)] == [
        ("document", "signed", "ab" * 32)
    ]
    got = history.plan_history(db, info.plan_year)
    assert got[0].field == "signed"  # newest first
    assert {"issued", "document.number", "document.summary"} <= {e.field for e in got}


# -- exchange -------------------------------------------------------------------------------
def test_history_export_import_round_trip_stores_each_row_once(
    db: Database, tmp_path: Path
) -> None:
    assessment_id, uuid = _draft(db)
    assessments.set_self_scores(db, assessment_id, [assessments.SelfEntry(CODE, explanation="a")])
    exported = history.assessment_history(db, uuid)
    assert exported, "the draft has history"
    assert all(r["assessment_uuid"] == uuid for r in exported)
    assert any(r["field"] == "explanation" and r["new"] == "a" for r in exported)
    wire = json.loads(json.dumps(exported))  # what travels in the package
    assert set(wire[0]) == set(history.EXPORT_KEYS)

    other = open_database(tmp_path / "appraiser" / "parapp.sqlite3", create=True)
    try:
        with other.session() as s:
            assert history.import_history(s, wire + wire[:3], "package:p1") == len(wire)
        with other.session() as s:
            assert history.import_history(s, wire, "package:p2") == 0
        stored = _rows(other)
        assert len(stored) == len(wire)
        assert {r.source for r in stored} == {"package:p1"}
        got = sorted(json.dumps(history._export(r), sort_keys=True) for r in stored)
        want = sorted(json.dumps({**r, "source": "package:p1"}, sort_keys=True) for r in wire)
        assert got == want
    finally:
        other.close()
    # The commune's own history coming back in the appraiser's package adds nothing.
    count = _count(db)
    with db.session() as s:
        assert history.import_history(s, wire, "package:back") == 0
    assert _count(db) == count


def test_a_malformed_history_row_refuses_the_whole_batch(db: Database) -> None:
    _id, uuid = _draft(db)
    good = {
        "at": "2026-01-02T03:04:05",
        "actor": "X",
        "entity": "node",
        "entity_key": "9.9",
        "assessment_uuid": uuid,
        "field": "self_score",
        "old": "",
        "new": "1",
        "source": "local",
    }
    count = _count(db)
    for bad in ({**good, "at": "yesterday"}, {**good, "entity": "users"}, {**good, "new": 1}):
        with pytest.raises(ServiceError), db.session() as s:
            history.import_history(s, [good, bad], "package:x")
        assert _count(db) == count
    with db.session() as s:
        assert history.import_history(s, [good], "package:x") == 1
    assert history.node_history(db, "9.9")[0].received


def test_audit_can_be_switched_off_for_a_session(db: Database) -> None:
    count = _count(db)
    with db.session() as s:
        s.info["audit"] = False
        row = _score_row(s, db)
        row.explanation = "không ghi"
    assert _count(db) == count


def test_evidence_inserted_in_bulk_is_audited_exactly_as_the_unit_of_work_would(
    db: Database,
) -> None:
    """An import inserts documents and links with one statement each
    (``audit.insert_evidence``); the audit rows must be those a flush of the same objects
    writes, field for field (a blank doc_date and doc_number record nothing)."""
    assessment_id, _uuid = _draft(db)
    stamp = datetime(2026, 3, 1, 8, 0)
    docs = [
        {"sha256": "a" * 64, "filename": "a.pdf", "size": 3, "added_at": stamp,
         "title": "Quyết định số 12", "title_folded": "quyet dinh so 12",
         "doc_number": "12/QĐ-UBND", "doc_date": date(2026, 2, 1)},
        {"sha256": "b" * 64, "filename": "b.pdf", "size": 4, "added_at": stamp,
         "title": "Báo cáo", "title_folded": "bao cao", "doc_number": "", "doc_date": None},
    ]
    links = [("a" * 64, assessment_id, CODE), ("a" * 64, assessment_id, "1.1.1"),
             ("b" * 64, assessment_id, CODE)]

    def written(bulk: bool) -> tuple[list[tuple[str, ...]], list[tuple[object, ...]]]:
        first = _max_id(db)
        with db.session() as s:
            s.info["audit_source"], s.info["actor"] = "package:p-1", "Xã Thử"
            if bulk:
                audit.insert_evidence(s, [dict(d) for d in docs], links, {})
            else:
                rows = {d["sha256"]: EvidenceRow(**d) for d in docs}
                s.add_all(rows.values())
                s.add_all(EvidenceLinkRow(evidence=rows[sha], assessment_id=a, node_code=c)
                          for sha, a, c in links)
            s.flush()
            stored = s.execute(select(EvidenceRow.sha256, EvidenceRow.title,
                                      EvidenceRow.doc_date, EvidenceLinkRow.node_code)
                               .join(EvidenceLinkRow)
                               .where(EvidenceRow.sha256.in_([d["sha256"] for d in docs]))
                               .order_by(EvidenceRow.sha256, EvidenceLinkRow.node_code)).all()
            trail = sorted((r.entity, r.entity_key, r.assessment_uuid, r.field, r.old_value,
                            r.new_value, r.source, r.actor)
                           for r in s.scalars(select(AuditRow).where(AuditRow.id > first)))
            s.rollback()
        return trail, [tuple(r) for r in stored]

    bulk_trail, bulk_rows = written(bulk=True)
    orm_trail, orm_rows = written(bulk=False)
    assert bulk_trail == orm_trail
    assert bulk_rows == orm_rows
    assert len(bulk_rows) == 3
    assert ("evidence", "a" * 64, "", "doc_date", "", "2026-02-01", "package:p-1",
            "Xã Thử") in bulk_trail
    assert sum(1 for row in bulk_trail if row[0] == "evidence_link") == 3
