"""States follow roles (issue 13, part 7): a unit submits, with a pre-submission check, and
may withdraw; returning, appraising and publishing are the appraiser's; exporting never
submits; the appraiser is warned before accepting or publishing criteria nobody scored.

Every refusal is one sentence (and the list it announces) and leaves the database as it was.
Real databases: copies of the demo (commune and appraiser), and a fresh one.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sync_support import copy_demo, draft_2026_submission, dump

from db.engine import open_database
from parapp import i18n
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.completeness import GapKind
from parapp.domain.criteria import Part, ScoreKind
from parapp.domain.errors import StateError
from parapp.domain.units import Unit, UnitKind
from parapp.services import (
    appraisal,
    assessments,
    criteria,
    evidence,
    setup,
    submission,
    sync_import,
)
from parapp.services.appraisal_publish import publish
from parapp.services.common import ServiceError
from parapp.services.submission import Incomplete

ROOT = Path(__file__).resolve().parents[1]
REASON = "Lĩnh vực 7 đang chờ số liệu của huyện."  # what draft_2026_submission gives


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    before = i18n.get_language()
    yield
    i18n.set_language(before)


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    from parapp.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(db), "--lang", "en", *args])
    return code, out.getvalue(), err.getvalue()


def status_of(path: Path, year: int, unit: str | None = None) -> AssessmentStatus:
    db = open_database(path)
    try:
        return assessments.get_info(db, year, unit).status
    finally:
        db.close()


# -- the unit's side -----------------------------------------------------------------------
@pytest.mark.parametrize("target", ["returned", "appraised", "published"])
def test_a_commune_cannot_move_itself_into_the_appraisers_states(
    draft_db: Path, target: str
) -> None:
    for submitted in (False, True):
        if submitted:
            db = open_database(draft_db)
            try:
                info = assessments.get_info(db, 2026)
                submission.submit(db, info.id, allow_incomplete=True, reason="Nộp trước.")
            finally:
                db.close()
        before = dump(draft_db)
        code, out, err = cli(draft_db, "assessment", "status", target)
        assert code == 1 and not out
        assert err.startswith("Only the appraiser can make an assessment") and err.count("\n") == 1
        assert dump(draft_db) == before


def test_the_service_refuses_them_too(draft_db: Path) -> None:
    db = open_database(draft_db)
    try:
        info = assessments.get_info(db, 2026)
        before = dump(draft_db)
        for target in (AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED):
            with pytest.raises(StateError):
                submission.change_status(db, info.id, target)
        assert dump(draft_db) == before
    finally:
        db.close()


def test_an_incomplete_assessment_is_refused_with_the_list(draft_db: Path) -> None:
    before = dump(draft_db)
    code, out, err = cli(draft_db, "assessment", "submit")
    assert code == 1 and not out
    sentence, *items = err.splitlines()
    assert sentence.startswith("The 2026 self-assessment was not submitted:")
    assert "--allow-incomplete" in sentence
    assert items and all(line.startswith("  - ") for line in items)
    assert any(line.startswith("  - 4.1. ") and line.endswith(": not scored") for line in items)
    db = open_database(draft_db)
    try:
        gaps = submission.check(db, assessments.get_info(db, 2026).id)
    finally:
        db.close()
    assert len(items) == len(gaps)
    assert {g.kind for g in gaps} == {GapKind.NOT_SCORED, GapKind.NO_EVIDENCE}
    assert dump(draft_db) == before
    # The old spelling is the same step, with the same check.
    code, _out, err = cli(draft_db, "assessment", "status", "submitted")
    assert code == 1 and "was not submitted" in err
    assert dump(draft_db) == before


def test_submitting_incomplete_needs_a_reason(draft_db: Path) -> None:
    before = dump(draft_db)
    code, _out, err = cli(draft_db, "assessment", "submit", "--allow-incomplete")
    assert code == 1
    assert err.splitlines()[0].startswith("Say why the 2026 self-assessment is submitted")
    assert dump(draft_db) == before
    code, _out, err = cli(
        draft_db, "assessment", "submit", "--allow-incomplete", "--reason", "   "
    )
    assert code == 1 and dump(draft_db) == before


def test_submit_with_a_reason_then_withdraw(draft_db: Path) -> None:
    code, out, err = cli(
        draft_db, "assessment", "submit", "--allow-incomplete", "--reason", REASON
    )
    assert code == 0, err
    assert "is submitted" in out and REASON in err
    assert status_of(draft_db, 2026) is AssessmentStatus.SUBMITTED
    db = open_database(draft_db)
    try:
        info = assessments.get_info(db, 2026)
        note = submission.read_note(db, info.id)
        assert note is not None and note.reason == REASON and note.missing
        # Submitting twice is refused, plainly.
        before = dump(draft_db)
        with pytest.raises(ServiceError, match="already submitted"):
            submission.submit(db, info.id)
        assert dump(draft_db) == before
    finally:
        db.close()
    code, out, err = cli(draft_db, "assessment", "withdraw")
    assert code == 0, err
    assert status_of(draft_db, 2026) is AssessmentStatus.DRAFT
    db = open_database(draft_db)
    try:
        assert submission.read_note(db, info.id) is None
    finally:
        db.close()
    before = dump(draft_db)
    code, _out, err = cli(draft_db, "assessment", "withdraw")
    assert code == 1 and "nothing to withdraw" in err and err.count("\n") == 1
    assert dump(draft_db) == before


def test_no_withdrawal_once_the_appraisers_result_is_in(published_db: Path) -> None:
    before = dump(published_db)
    code, _out, err = cli(published_db, "assessment", "withdraw", "--year", "2025")
    assert code == 1 and err.count("\n") == 1
    assert "can no longer be withdrawn" in err and "published" in err
    code, _out, err = cli(published_db, "assessment", "status", "draft", "--year", "2025")
    assert code == 1 and "can no longer be withdrawn" in err
    assert dump(published_db) == before


def _complete_office(folder: Path) -> Path:
    """A fresh commune database whose 2025 self-assessment is complete: every leaf scored
    at its maximum (bonus and penalty 0), one report filed under every criterion."""
    path = folder / "parapp.sqlite3"
    setup.init_database(path, Unit("06172", "Xã Hoàng Văn Thụ", UnitKind.COMMUNE, "20"))
    db = open_database(path)
    try:
        criteria.import_set(db, criteria.sample_set())
        info = assessments.new_assessment(db, 2025)
        full = criteria.get_set(db)
        entries = [
            assessments.SelfEntry(n.code, typed=n.max_points if n.part is Part.MAIN else Decimal(0))
            for n in full.leaves()
            if ScoreKind.SELF in n.score_kinds
        ]
        assessments.set_self_scores(db, info.id, entries)
        doc = folder / "bao-cao.txt"
        doc.write_text("Báo cáo kết quả CCHC năm 2025\n", encoding="utf-8")
        # Filed under each criterion (depth 1): it serves their sub-criteria too.
        codes = [n.code for a in full.roots(Part.MAIN) for n in full.children(a.code)]
        evidence.add_evidence(db, doc, node_codes=codes, title="Báo cáo CCHC", year=2025)
    finally:
        db.close()
    return path


def test_a_complete_assessment_is_submitted_without_flags(tmp_path: Path) -> None:
    path = _complete_office(tmp_path)
    code, out, err = cli(path, "assessment", "submit")
    assert code == 0, err
    assert "is submitted" in out and not err
    assert status_of(path, 2025) is AssessmentStatus.SUBMITTED


def test_the_appraisers_database_submits_nothing(demo_db: Path, tmp_path: Path) -> None:
    root = copy_demo(demo_db, tmp_path / "demo")
    hub = root / "appraiser" / "parapp.sqlite3"
    db = open_database(hub)
    try:
        info = assessments.get_info(db, 2025, "06172")
        before = dump(hub)
        for act in (
            lambda: submission.submit(db, info.id, allow_incomplete=True, reason="x"),
            lambda: submission.withdraw(db, info.id),
        ):
            with pytest.raises(ServiceError, match="appraiser's database"):
                act()
        assert dump(hub) == before
    finally:
        db.close()


def test_the_appraisers_commands_are_refused_in_a_commune_database(draft_db: Path) -> None:
    db = open_database(draft_db)
    try:
        info = assessments.get_info(db, 2026)
        submission.submit(db, info.id, allow_incomplete=True, reason="Nộp trước.")
    finally:
        db.close()
    before = dump(draft_db)
    for args in (
        ("appraise", "score", "06172", "1.1.1", "0", "--year", "2026"),
        ("appraise", "accept", "06172", "--year", "2026", "--confirm-incomplete"),
        ("appraise", "return", "06172", "--year", "2026", "--reason", "Tự trả lại"),
        ("appraise", "publish", "--year", "2026", "--decision-number", "1/QĐ",
         "--decision-date", "01/02/2027"),
    ):
        code, _out, err = cli(draft_db, *args)
        assert code == 1, args
        assert err.startswith("This is a unit's database") and err.count("\n") == 1, err
    assert dump(draft_db) == before


# -- export --------------------------------------------------------------------------------
def test_exporting_a_draft_is_refused_and_submits_nothing(
    demo_db: Path, tmp_path: Path
) -> None:
    from parapp.services.demo import start_next_year

    root = copy_demo(demo_db, tmp_path / "demo")
    commune = root / "commune" / "parapp.sqlite3"
    db = open_database(commune)
    try:
        start_next_year(db)
    finally:
        db.close()
    before = dump(commune)
    out = tmp_path / "usb"
    out.mkdir()
    code, _out, err = cli(commune, "sync", "export", "--kind", "submission", "--out", str(out))
    assert code == 1 and err.count("\n") == 1
    assert err.startswith("The 2026 self-assessment has not been submitted yet: submit it first")
    assert dump(commune) == before
    assert not out.exists() or not any(out.iterdir())
    assert status_of(commune, 2026) is AssessmentStatus.DRAFT


def _data(package: Path) -> dict[str, object]:
    with zipfile.ZipFile(package) as archive:
        return json.loads(archive.read("data.json"))


def test_the_reason_travels_and_the_appraiser_sees_it(demo_db: Path, tmp_path: Path) -> None:
    root = copy_demo(demo_db, tmp_path / "demo")
    package = draft_2026_submission(root)  # submitted incomplete with REASON, then exported
    commune = root / "commune" / "parapp.sqlite3"
    hub = root / "appraiser" / "parapp.sqlite3"
    # Exporting changed no status: the clerk's submit did.
    assert status_of(commune, 2026) is AssessmentStatus.SUBMITTED

    data = _data(package)
    note = data["incomplete"]
    assert isinstance(note, dict) and note["reason"] == REASON
    assert {"code": "7.1.1", "gap": "not_scored"} in note["missing"]
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(
        (ROOT / "resources" / "schemas" / "sync-data-1.schema.json").read_text("utf-8")
    )
    jsonschema.validate(data, {**schema, "oneOf": [{"$ref": "#/$defs/submission"}]})
    older = {k: v for k, v in data.items() if k != "incomplete"}  # an older package
    jsonschema.validate(older, {**schema, "oneOf": [{"$ref": "#/$defs/submission"}]})

    # The import plan says it before anything is applied ...
    code, out, err = cli(hub, "sync", "import", str(package), "--dry-run")
    assert code == 0, err
    assert "submitted incomplete" in out and REASON in out
    # ... and the hub's table after.
    code, _out, err = cli(hub, "sync", "import", str(package))
    assert code == 0, err
    db = open_database(hub)
    try:
        unit = {u.unit_code: u for u in appraisal.unit_statuses(db, 2026)}["06172"]
        assert unit.status is AssessmentStatus.SUBMITTED and unit.incomplete_reason == REASON
    finally:
        db.close()
    code, out, _err = cli(hub, "appraise", "units", "--year", "2026")
    assert "submitted incomplete: " + REASON in out


def test_a_complete_submission_carries_no_note(demo_db: Path, tmp_path: Path) -> None:
    """The demo's 2025 submission was complete: its package has no 'incomplete' record,
    like every package written before this record existed, and the hub imported it."""
    root = copy_demo(demo_db, tmp_path / "demo")
    assert "incomplete" not in _data(root / "usb" / "nop-06172-2025.cchc")
    hub = root / "appraiser" / "parapp.sqlite3"
    assert status_of(hub, 2025, "06172") is AssessmentStatus.PUBLISHED


# -- the appraiser's side --------------------------------------------------------------------
@pytest.fixture
def incomplete_hub(demo_db: Path, tmp_path: Path) -> Path:
    """The demo hub holding the commune's 2026 submission, area 7 unscored."""
    root = copy_demo(demo_db, tmp_path / "demo")
    package = draft_2026_submission(root)
    hub = root / "appraiser" / "parapp.sqlite3"
    db = open_database(hub)
    try:
        for _d, _t, outcome in sync_import.import_packages(db, [package]):
            assert outcome.status == "applied"
    finally:
        db.close()
    return hub


def test_accepting_unscored_criteria_needs_a_confirmation(incomplete_hub: Path) -> None:
    before = dump(incomplete_hub)
    code, out, err = cli(incomplete_hub, "appraise", "accept", "06172", "--year", "2026")
    assert code == 1 and not out
    sentence, *items = err.splitlines()
    assert sentence.startswith("Xã Hoàng Văn Thụ left ") and "--confirm-incomplete" in sentence
    assert any(line.startswith("  - 7.1.1. ") for line in items)
    assert dump(incomplete_hub) == before
    db = open_database(incomplete_hub)
    try:
        with pytest.raises(Incomplete) as refused:
            appraisal.accept_self_scores(db, "06172", 2026)
        assert {g.code for g in refused.value.gaps} >= {"7.1.1", "7.5"}
        assert dump(incomplete_hub) == before
    finally:
        db.close()
    code, out, err = cli(
        incomplete_hub, "appraise", "accept", "06172", "--year", "2026", "--confirm-incomplete"
    )
    assert code == 0, err
    assert status_of(incomplete_hub, 2026, "06172") is AssessmentStatus.APPRAISED


def test_publishing_unscored_criteria_needs_a_confirmation(incomplete_hub: Path) -> None:
    db = open_database(incomplete_hub)
    try:
        appraisal.accept_self_scores(db, "06172", 2026, confirm_incomplete=True)
    finally:
        db.close()
    before = dump(incomplete_hub)
    args = ("appraise", "publish", "--year", "2026", "--decision-number", "12/QĐ-SNV",
            "--decision-date", "02/02/2027")
    code, out, err = cli(incomplete_hub, *args)
    assert code == 1 and not out
    sentence, *items = err.splitlines()
    assert sentence.startswith("Nothing was published: 1 unit(s) have ")
    assert any(line.startswith("  - Xã Hoàng Văn Thụ: 7.1.1. ") for line in items)
    assert dump(incomplete_hub) == before
    code, out, err = cli(incomplete_hub, *args, "--confirm-incomplete")
    assert code == 0, err
    assert status_of(incomplete_hub, 2026, "06172") is AssessmentStatus.PUBLISHED


def test_publishing_complete_units_asks_nothing(tmp_path: Path) -> None:
    """The hub of test_appraisal: every main leaf scored and every survey result in, so no
    confirmation is needed."""
    from test_appraisal import YEAR, make_hub, score_survey

    db, communes = make_hub(tmp_path)
    try:
        for code in communes:
            appraisal.accept_self_scores(db, code, YEAR)
            score_survey(db, code)
        outcome = publish(db, YEAR, decision_number="9/QĐ-SNV", decision_date=None)
        assert len(outcome.published) == 3
    finally:
        db.close()
