"""Sync between the demo's commune and appraiser, through real packages and both databases."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_support import copy_demo, dump, store_listing

from db.engine import Database, open_database
from db.models import AssessmentRow
from parapp.cli import main as cli_main
from parapp.domain.assessment import AssessmentStatus
from parapp.i18n import message
from parapp.services import (
    appraisal,
    assessments,
    evidence,
    submission,
    sync_export,
    sync_import,
    sync_keys,
)
from parapp.services.demo import start_next_year
from parapp.services.evidence import store_path
from parapp.services.sync_apply import returned_reason_of
from parapp.sync.safety import PackageError


def _stick(folder: Path) -> Path:
    """A USB stick plugged in: exports refuse a folder that is not there."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def offices(demo_db: Path, tmp_path: Path) -> Iterator[tuple[Database, Database, Path]]:
    root = copy_demo(demo_db, tmp_path / "demo")
    commune = open_database(root / "commune" / "parapp.sqlite3")
    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    try:
        yield commune, appraiser, root / "usb"
    finally:
        commune.close()
        appraiser.close()


def _import(db: Database, path: Path, dry_run: bool = False) -> sync_import.Outcome:
    [(_d, _t, outcome)] = list(sync_import.import_packages(db, [path], dry_run=dry_run))
    return outcome


def _draft_2026(commune: Database, folder: Path) -> int:
    """A 2026 self-assessment with two new evidence files linked to it, submitted."""
    assessment_id = start_next_year(commune, frozenset({"1", "2", "3", "4", "5", "6"}))
    for i, codes in enumerate((["1.1"], ["2.1", "2.2"]), start=1):
        doc = folder / f"bien-ban-{i}.txt"
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(f"Biên bản số {i}/2026\n", encoding="utf-8")
        evidence.add_evidence(commune, doc, node_codes=codes, title=f"Biên bản {i}", year=2026)
    _submit(commune, assessment_id)
    return assessment_id


def _submit(commune: Database, assessment_id: int) -> None:
    """Area 7 is not scored: submitted as it is, with a reason (exporting never submits)."""
    submission.submit(commune, assessment_id, allow_incomplete=True,
                      reason="Lĩnh vực 7 chờ số liệu.")


def test_demo_round_trip_carried_scores_and_evidence(demo_db: Path) -> None:
    root = demo_db.parent.parent
    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    commune = open_database(demo_db)
    try:
        seen = assessments.view(appraiser, 2025, unit_code="06172")
        own = assessments.view(commune, 2025)
        assert seen.info.status is AssessmentStatus.PUBLISHED
        assert {c: s.self_score for c, s in seen.scores.items()} == {
            c: s.self_score for c, s in own.scores.items()
        }
        assert own.result is not None and seen.result is not None
        assert own.result.index == seen.result.index
        assert own.result.areas == seen.result.areas
    finally:
        appraiser.close()
        commune.close()
    store = root / "appraiser" / "evidence"
    listed = store_listing(store)
    assert len(listed) == 17
    for name in listed:  # every file arrived whole, under its own hash
        path = store / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name


def test_same_package_twice_changes_nothing(offices: tuple[Database, Database, Path]) -> None:
    _commune, appraiser, usb = offices
    before = dump(appraiser.path)
    outcome = _import(appraiser, usb / "nop-06172-2025.cchc")
    assert outcome.status == "already"
    assert dump(appraiser.path) == before
    assert cli_main(["--db", str(appraiser.path), "sync", "import",
                     str(usb / "nop-06172-2025.cchc")]) == 0


def test_submission_dry_run_then_import_with_evidence(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    commune, appraiser, usb = offices
    _draft_2026(commune, tmp_path / "docs")
    package = sync_export.export(commune, "submission", usb, year=2026).info.path
    assert assessments.get_info(commune, 2026).status is AssessmentStatus.SUBMITTED
    before, store_before = dump(appraiser.path), store_listing(appraiser.paths.evidence)

    planned = _import(appraiser, package, dry_run=True)
    assert planned.status == "planned", planned.error and message(planned.error)
    assert planned.plan is not None and planned.plan.count("new") > 40
    assert dump(appraiser.path) == before
    assert store_listing(appraiser.paths.evidence) == store_before

    applied = _import(appraiser, package)
    assert applied.status == "applied"
    seen = assessments.view(appraiser, 2026, unit_code="06172")
    own = assessments.view(commune, 2026)
    assert seen.info.status is AssessmentStatus.SUBMITTED
    assert {c: s.self_score for c, s in seen.scores.items() if s.self_score is not None} == {
        c: s.self_score for c, s in own.scores.items() if s.self_score is not None
    }
    assert seen.has_evidence("2.2") and not seen.has_evidence("5.1")
    import sqlite3

    con = sqlite3.connect(appraiser.path)
    linked = con.execute(
        "SELECT DISTINCT e.sha256 FROM evidence e JOIN evidence_links l ON l.evidence_id = e.id "
        "JOIN assessments a ON a.id = l.assessment_id WHERE a.year = 2026 AND e.title LIKE 'Bi%'"
    ).fetchall()
    con.close()
    assert len(linked) == 2
    for (sha,) in linked:
        assert store_path(appraiser.paths.evidence, sha).read_bytes().startswith(
            "Biên bản".encode())


def test_return_correct_and_resubmit_flags_reappraisal(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    commune, appraiser, usb = offices
    _draft_2026(commune, tmp_path / "docs")
    assert _import(appraiser, sync_export.export(commune, "submission", _stick(usb / "1"),
                                                 year=2026).info.path).status == "applied"
    seen = assessments.view(appraiser, 2026, unit_code="06172")
    appraised = [assessments.AppraisalEntry(code, appraised=s.self_score, comment="Đạt")
                 for code, s in seen.scores.items() if s.self_score is not None]
    assessments.set_appraisals(appraiser, seen.info.id, appraised)
    appraisal.return_for_correction(appraiser, "06172", 2026, "Bổ sung tài liệu 1.1")
    result = sync_export.export(appraiser, "result", _stick(usb / "2"), to="06172", year=2026)
    assert _import(commune, result.info.path).status == "applied"
    own = assessments.view(commune, 2026)
    assert own.info.status is AssessmentStatus.RETURNED
    assert own.scores[appraised[0].code].appraisal_comment == "Đạt"
    with commune.session() as s:
        uuid = s.scalars(select(AssessmentRow.uuid).where(AssessmentRow.year == 2026)).one()
        assert returned_reason_of(s, uuid) == "Bổ sung tài liệu 1.1"

    # The commune corrects one criterion and submits again.
    code = next(c for c, s in own.scores.items() if s.self_score is not None
                and s.declared.to_dict() == {})
    old = own.scores[code].self_score
    assert old is not None
    assessments.set_self_scores(commune, own.info.id, [assessments.SelfEntry(
        code, typed=old, explanation="Đã bổ sung tài liệu")])
    _submit(commune, own.info.id)
    time.sleep(1.1)  # a later package (created_at has whole seconds)
    again = sync_export.export(commune, "submission", _stick(usb / "3"), year=2026)
    outcome = _import(appraiser, again.info.path)
    assert outcome.status == "applied", outcome.error and message(outcome.error)
    assert outcome.plan is not None
    flagged = [c for c in outcome.plan.changes if c.reason is not None
               and "re-appraisal" in c.reason.template]
    assert len(flagged) == 1
    seen = assessments.view(appraiser, 2026, unit_code="06172")
    assert seen.info.status is AssessmentStatus.SUBMITTED
    assert seen.scores[code].needs_reappraisal
    assert seen.scores[code].appraised_score == old  # the appraisal is kept, not overwritten
    assert seen.scores[code].explanation == "Đã bổ sung tài liệu"
    others = [s for c, s in seen.scores.items() if c != code]
    assert not any(s.needs_reappraisal for s in others)


def test_older_package_after_a_newer_one_is_refused(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    commune, appraiser, usb = offices
    _draft_2026(commune, tmp_path / "docs")
    first = sync_export.export(commune, "submission", _stick(usb / "a"), year=2026).info.path
    time.sleep(1.1)
    second = sync_export.export(commune, "submission", _stick(usb / "b"), year=2026).info.path
    assert _import(appraiser, second).status == "applied"
    before = dump(appraiser.path)
    outcome = _import(appraiser, first)
    assert outcome.status == "refused"
    assert "older than one already imported" in outcome.error.template  # type: ignore[union-attr]
    assert dump(appraiser.path) == before


def test_cli_import_reports_each_file(
    offices: tuple[Database, Database, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commune, appraiser, _usb = offices
    _draft_2026(commune, tmp_path / "docs")
    folder = _stick(tmp_path / "stick")
    good = sync_export.export(commune, "submission", folder, year=2026).info.path
    (folder / "hong.cchc").write_bytes(b"not a zip")
    before = dump(appraiser.path)
    code = cli_main(["--db", str(appraiser.path), "sync", "import", str(folder), "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 1  # one file was refused
    assert good.name in out and "hong.cchc" in err
    assert dump(appraiser.path) == before
    (folder / "hong.cchc").unlink()
    assert cli_main(["--db", str(appraiser.path), "sync", "import", str(folder)]) == 0
    assert assessments.get_info(appraiser, 2026, "06172").status is AssessmentStatus.SUBMITTED


def test_keys_move_to_a_new_pc_only_with_the_passphrase(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    commune, _appraiser, _usb = offices
    fingerprint = sync_keys.own_keys(commune.path).fingerprint
    exported = sync_keys.export_keys(commune.path, tmp_path / "khoa.json", "mat-khau-dai")
    new_pc = tmp_path / "new" / "parapp.sqlite3"
    from parapp.services.common import ServiceError

    with pytest.raises(ServiceError):
        sync_keys.import_keys(new_pc, exported, "sai-mat-khau")
    assert not (new_pc.parent / "keys").exists()
    assert sync_keys.import_keys(new_pc, exported, "mat-khau-dai") == fingerprint
    assert sync_keys.own_keys(new_pc, create=False).fingerprint == fingerprint


def test_a_card_is_trusted_only_with_its_fingerprint(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    _commune, appraiser, usb = offices
    from parapp.services.common import ServiceError

    card = usb / "the-dinh-danh-06172.cchc"
    real = sync_keys.read_card(card).fingerprint
    wrong = ("0000 " * 16).strip()
    before = dump(appraiser.path)
    with pytest.raises(ServiceError) as refused:
        sync_keys.trust_card(appraiser, card, wrong)
    assert real in message(refused.value)
    assert dump(appraiser.path) == before
    assert sync_keys.trust_card(appraiser, card, real.lower().replace(" ", "")).fingerprint == real


def test_decomposed_text_is_stored_as_nfc(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    import unicodedata

    commune, appraiser, usb = offices
    _draft_2026(commune, tmp_path / "docs")
    info = assessments.get_info(commune, 2026)
    package = sync_export.export(commune, "submission", usb, year=2026).info.path
    # Re-sign the same data with the explanation in decomposed form (NFD), as a Mac might.
    from parapp.sync.package import read_package, write_package

    own = sync_keys.own_keys(commune.path)
    opened = read_package(package, {own.fingerprint: own.signing.public_bytes}, None)
    data = opened.data
    nfd = unicodedata.normalize("NFD", "Đã khắc phục")
    data["scores"][0]["explanation"] = nfd
    evidence_files = {sha: store_path(commune.paths.evidence, sha) for sha in opened.evidence}
    forged = write_package(tmp_path / "nfd.cchc", "submission", own.signing, "06172",
                           {"unit_code": "20"}, data, evidence_files,
                           criteria_set=opened.manifest["criteria_set"], period=2026)
    assert _import(appraiser, forged.path).status == "applied"
    seen = assessments.view(appraiser, 2026, unit_code="06172")
    stored = seen.scores[data["scores"][0]["code"]].explanation
    assert stored == unicodedata.normalize("NFC", nfd) and stored != nfd
    assert info.year == 2026 and Decimal("0") == Decimal(0)


def test_transfer_slip_names_the_file_hash_and_the_fingerprint(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    import pdfplumber

    commune, _appraiser, usb = offices
    package = usb / "nop-06172-2025.cchc"
    out = tmp_path / "phieu.pdf"
    assert cli_main(["--db", str(commune.path), "sync", "slip", str(package),
                     "--out", str(out)]) == 0
    with pdfplumber.open(out) as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages)
    digest = hashlib.sha256(package.read_bytes()).hexdigest().upper()
    flat = text.replace(" ", "").replace("\n", "")
    # Printed in two lines of 8 groups each (a table cell may put words between them).
    assert digest[:32] in flat and digest[32:] in flat
    fingerprint = sync_keys.own_keys(commune.path).fingerprint.replace(" ", "")
    assert fingerprint[:32] in flat and fingerprint[32:] in flat
    assert "PHIẾU GIAO NHẬN" in text and "Sở Nội vụ tỉnh Lạng Sơn" in text


def test_encrypted_submission_opens_only_at_the_appraiser(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    from parapp.sync import crypto

    commune, appraiser, usb = offices
    _draft_2026(commune, tmp_path / "docs")
    sealed = sync_export.export(commune, "submission", _stick(usb / "enc"), year=2026, encrypt=True)
    path = sealed.info.path
    assert crypto.is_encrypted(path)
    assert "Biên bản".encode() not in path.read_bytes()  # evidence text is not readable
    manifest, _info = crypto.read_envelope_header(path)
    assert b'"submission"' in manifest  # but the label is
    # Its sender prints the slip of the sealed file: its hash is that of the bytes on the stick.
    from parapp.services import sync_slip

    slip = sync_slip.slip_inputs(commune, path)
    assert slip.sha256 == sealed.info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert slip.package_id == sealed.info.package_id and slip.evidence_files >= 1
    assert (slip.scores, slip.evidence_files) == (sealed.counts["scores"],
                                                  sealed.counts["evidence"])
    with pytest.raises(PackageError, match="only its sender"):
        sync_slip.slip_inputs(appraiser, path)  # not sent from there
    # The commune itself cannot open it (not its key); nothing changes there.
    before = dump(commune.path)
    refused = _import(commune, path)
    assert refused.status == "refused" and dump(commune.path) == before
    outcome = _import(appraiser, path)
    assert outcome.status == "applied", outcome.error and message(outcome.error)
    assert assessments.get_info(appraiser, 2026, "06172").status is AssessmentStatus.SUBMITTED
    assert not list((appraiser.path.parent / "tmp").glob("*"))  # no plaintext left behind


def test_every_kind_of_data_matches_the_documented_schema(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    import json

    import jsonschema
    from referencing import Registry, Resource

    from parapp import resources
    from parapp.sync.package import read_package

    commune, appraiser, usb = offices
    schemas = {name: json.loads(resources.path(f"schemas/{name}").read_text(encoding="utf-8"))
               for name in ("sync-data-1.schema.json", "criteria-set-1.schema.json")}
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    data_schema = schemas["sync-data-1.schema.json"]
    packages = {
        "submission": usb / "nop-06172-2025.cchc",
        "result": usb / "ket-qua-06172-2025.cchc",
        "unit-card": usb / "the-dinh-danh-06172.cchc",
        "progress": sync_export.export(commune, "progress", tmp_path, year=2025).info.path,
        "criteria-set": sync_export.export(appraiser, "criteria-set", tmp_path).info.path,
    }
    for kind, path in packages.items():
        opened = read_package(path, {**sync_keys.trusted_map(commune),
                                     **sync_keys.trusted_map(appraiser)}, None)
        assert opened.kind == kind
        schema = {"$ref": f"{data_schema['$id']}#/$defs/{kind}"}
        jsonschema.validate(opened.data, schema, registry=registry)
        bad = dict(opened.data) if isinstance(opened.data, dict) else {}
        bad["unexpected"] = 1
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema, registry=registry)


def test_the_appraiser_sees_when_a_unit_last_sent_a_package(demo_db: Path) -> None:
    appraiser = open_database(demo_db.parent.parent / "appraiser" / "parapp.sqlite3")
    try:
        [status] = appraisal.unit_statuses(appraiser, 2025)
        assert status.unit_code == "06172" and status.last_package_at is not None
        assert status.rank is not None and status.status is AssessmentStatus.PUBLISHED
    finally:
        appraiser.close()


def test_each_file_of_a_folder_is_kept_whole(
    offices: tuple[Database, Database, Path], tmp_path: Path
) -> None:
    """Files of a folder, a transaction each: a damaged file between two
    good ones is refused alone, the same package twice is applied once, and the folder's
    progress still comes file by file in order."""
    commune, appraiser, _usb = offices
    _draft_2026(commune, tmp_path / "docs")
    folder = _stick(tmp_path / "stick")
    good = sync_export.export(commune, "submission", folder, year=2026).info.path
    raw = bytearray(good.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    (folder / "b-hong.cchc").write_bytes(bytes(raw))
    (folder / "z-lan-hai.cchc").write_bytes(good.read_bytes())
    names = sorted(p.name for p in folder.iterdir())
    steps = list(sync_import.import_packages(appraiser, [folder]))
    assert [d for d, _t, _o in steps] == [1, 2, 3] and {t for _d, t, _o in steps} == {3}
    got = {o.path.name: o.status for _d, _t, o in steps}
    assert [o.path.name for _d, _t, o in steps] == names
    assert got == {good.name: "applied", "b-hong.cchc": "refused", "z-lan-hai.cchc": "already"}
    assert assessments.get_info(appraiser, 2026, "06172").status is AssessmentStatus.SUBMITTED
    con = sqlite3.connect(appraiser.path)
    try:
        logged = con.execute("SELECT file_name FROM sync_log WHERE direction = 'in' AND "
                             "file_name IN (?, ?, ?)", names).fetchall()
    finally:
        con.close()
    assert logged == [(good.name,)]
