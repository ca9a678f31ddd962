"""Ownership by construction: the table in docs/sync-format.md ("Ownership"), walked with
forged packages from a **trusted** sender.

The province here is the demo's (commune 06172 and its appraiser, who hold the 2024 and
2025 assessments and the commune's progress report), plus a second commune, 06175, whose
card the appraiser trusts. Every package is written by ``parapp.sync.package.write_package``
and signed with the sender's real key: the signature is good, only the records overreach.

Each row of the table names a case. A refused case is imported through the service and
again through ``parapp sync import`` into a fresh copy of the receiving office: one
sentence (English, and its Vietnamese translation), and the database row for row as it was.
An allowed case is applied and then checked for what it may and may not have written.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import sqlite3
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sync_support import copy_demo, draft_2026_submission, dump, imported

from db.engine import open_database
from parapp import i18n
from parapp.cli import main as cli_main
from parapp.domain.errors import DomainError, Phrase
from parapp.domain.units import Unit, UnitKind
from parapp.services import setup, sync_export, sync_import, sync_keys
from parapp.services.evidence import store_path
from parapp.services.sync_ranking import SCHEMA as RESULT_SCHEMA
from parapp.services.sync_sequence import next_sequence
from parapp.sync.package import read_package, write_package

DOCS = Path(__file__).resolve().parent.parent / "docs" / "sync-format.md"
OTHER = Unit(code="06175", name="Xã Chi Lăng", kind=UnitKind.COMMUNE, appraiser_code="20",
             appraiser_name="Sở Nội vụ tỉnh Lạng Sơn", province_name="Tỉnh Lạng Sơn")


@dataclass
class Province:
    root: Path  # commune/, appraiser/ (with the commune's progress), other/, usb/
    submission: dict[str, Any]  # data of the demo's 2025 submission
    result: dict[str, Any]  # data of the demo's 2025 result
    cset: dict[str, Any]  # the criteria set both packages name
    evidence: dict[str, Path]  # the 2025 submission's files, in the commune's store

    def db(self, office: str) -> Path:
        return self.root / office / "parapp.sqlite3"

    def copy(self, name: str) -> Province:
        """The whole province copied for one case (offices, stores, keys, stick)."""
        target = self.root.parent / "cases" / name
        shutil.copytree(self.root, target, ignore=shutil.ignore_patterns("backups", "logs"))
        return replace(self, root=target)

    def rows(self, db_path: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
        con = sqlite3.connect(db_path)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def forge(self, sender: str, kind: str, data: Any, *, period: int | None,
              to: str = "20", evidence: dict[str, Path] | None = None) -> Path:
        """A package from ``sender``'s office, signed with its real key."""
        key = sync_keys.own_keys(self.db(sender)).signing
        code = {"commune": "06172", "other": OTHER.code, "appraiser": "20"}[sender]
        out = self.root / "forged" / f"{uuid.uuid4().hex[:8]}-{kind}.cchc"
        db = open_database(self.db(sender))
        try:  # the sender's next number, as its own export takes it
            sequence = next_sequence(db, {"unit_code": to})
        finally:
            db.close()
        schema = RESULT_SCHEMA if kind == "result" else 1  # as the export writes them
        return write_package(out, kind, key, code, {"unit_code": to}, data, evidence or {},
                             criteria_set=self.cset, period=period, sequence=sequence,
                             schema_version=schema).path


@pytest.fixture(scope="module")
def province(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Province:
    root = copy_demo(demo_db, tmp_path_factory.mktemp("ownership") / "demo")
    commune, appraiser = root / "commune" / "parapp.sqlite3", root / "appraiser" / "parapp.sqlite3"
    setup.init_database(root / "other" / "parapp.sqlite3", OTHER, role="commune")
    other = open_database(root / "other" / "parapp.sqlite3")
    adb, cdb = open_database(appraiser), open_database(commune)
    try:
        (root / "cards").mkdir(exist_ok=True)
        card = sync_export.export(other, "unit-card", root / "cards").info.path
        sync_keys.trust_card(adb, card, sync_keys.read_card(card).fingerprint)
        progress = sync_export.export(cdb, "progress", root / "cards", year=2025).info.path
        [(_d, _t, done)] = list(sync_import.import_packages(adb, [progress]))
        assert done.status == "applied", done.error and i18n.message(done.error)
        keys = {**sync_keys.trusted_map(cdb), **sync_keys.trusted_map(adb)}
    finally:
        other.close()
        adb.close()
        cdb.close()
    sub = read_package(root / "usb" / "nop-06172-2025.cchc", keys, None)
    res = read_package(root / "usb" / "ket-qua-06172-2025.cchc", keys, None)
    files = {sha: store_path(root / "commune" / "evidence", sha) for sha in sub.evidence}
    return Province(root, sub.data, res.data, sub.manifest["criteria_set"], files)


# -- packages --------------------------------------------------------------------------------
def _other_unit() -> dict[str, str]:
    return {"code": OTHER.code, "name": OTHER.name, "kind": OTHER.kind.value,
            "appraiser_code": OTHER.appraiser_code, "appraiser_name": OTHER.appraiser_name,
            "province_name": OTHER.province_name}


def _other_submission(p: Province, **change: Any) -> dict[str, Any]:
    """06175's own 2025 submission: one score, one document (the same file as one of
    06172's, under its own title), no plan, no history."""
    sha = sorted(p.evidence)[0]
    score = copy.deepcopy(next(s for s in p.submission["scores"] if s["self_score"]))
    data = {"unit": _other_unit(),
            "assessment": {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "06175-2025")),
                           "year": 2025, "status": "submitted"},
            "scores": [score],
            "evidence": [{"sha256": sha, "filename": "bien-ban.pdf", "title": "Biên bản Chi Lăng",
                          "doc_number": "7/BB", "doc_date": None,
                          "size": p.evidence[sha].stat().st_size, "nodes": [score["code"]]}],
            "plan": None, "history": []}
    data.update(change)
    return data


def _history_row(p: Province, **change: Any) -> dict[str, str]:
    score = next(s for s in p.submission["scores"] if s["self_score"])
    mine = _other_submission(p)["assessment"]["uuid"]
    row = {"at": "2025-03-01T08:00:00", "actor": "Nguyễn Văn Bình", "entity": "node",
           "entity_key": score["code"], "assessment_uuid": mine,
           "field": "self_score", "old": "", "new": score["self_score"], "source": "local"}
    row.update(change)
    return row


def _sent(p: Province, data: dict[str, Any]) -> Path:
    sha = data["evidence"][0]["sha256"] if data["evidence"] else None
    return p.forge("other", "submission", data, period=data["assessment"]["year"],
                   evidence={sha: p.evidence[sha]} if sha else None)


def _progress(p: Province, *, assessment: dict[str, Any], plan: dict[str, Any]) -> Path:
    return p.forge("other", "progress", {"unit": _other_unit(), "assessment": assessment,
                                         "plan": plan}, period=assessment["year"])


def _commune_plan(p: Province) -> tuple[str, list[str]]:
    """06172's plan at the appraiser (from its progress report): uuid, item uuids."""
    [(plan_uuid, plan_id)] = p.rows(p.db("appraiser"), "SELECT uuid, id FROM plans")
    items = [r[0] for r in p.rows(p.db("appraiser"),
                                  "SELECT uuid FROM plan_items WHERE plan_id = ?", plan_id)]
    return plan_uuid, items


def _own_plan(items: list[str] | None = None) -> dict[str, Any]:
    uuids = items or [str(uuid.uuid4())]
    return {"uuid": str(uuid.uuid4()), "year": 2026, "revision": 1, "items": [
        {"uuid": u, "position": n, "node_codes": ["1.1"], "shortcoming": "Chậm ban hành",
         "points_lost": "0.5", "tasks": "Ban hành kế hoạch", "lead": "Văn phòng",
         "coordinating": "", "product": "Kế hoạch", "deadline_text": "Quý I",
         "status": "not_started", "progress": 0, "updates": []}
        for n, u in enumerate(uuids)]}


# -- the cases -------------------------------------------------------------------------------
@dataclass
class Case:
    receiver: str  # the office importing: "appraiser" or "commune"
    build: Callable[[Province], Path]
    refused: str = ""  # a phrase of the English sentence; "" when the package is allowed
    check: Callable[[Province, Path, Path], None] | None = None  # (province, db, package)
    first: Callable[[Province], Path] | None = None  # a package applied before the case's


def _sub_other_unit(p: Province) -> Path:
    return _sent(p, _other_submission(p, unit=p.submission["unit"]))


def _sub_their_assessment(p: Province) -> Path:
    return _sent(p, _other_submission(p, assessment=p.submission["assessment"]))


def _sub_wrong_year(p: Province) -> Path:
    """06175's assessment sent once, then the same id labelled 2026."""
    return _sent(p, _other_submission(p, assessment={
        **_other_submission(p)["assessment"], "year": 2026}))


def _sub_appraised_field(p: Province) -> Path:
    data = _other_submission(p)
    data["scores"][0]["appraised_score"] = "0"
    return _sent(p, data)


def _check_status_is_submitted(p: Province, db: Path, _pkg: Path) -> None:
    uuid_ = _other_submission(p)["assessment"]["uuid"]
    assert p.rows(db, "SELECT status FROM assessments WHERE uuid = ?", uuid_) == [("submitted",)]


def _sub_status(p: Province) -> Path:
    return _sent(p, _other_submission(p, assessment={
        **_other_submission(p)["assessment"], "status": "published"}))


def _check_titles(p: Province, db: Path, _pkg: Path) -> None:
    """Both communes hold the file under their own title; one file in the store."""
    sha = sorted(p.evidence)[0]
    rows = dict(p.rows(db, "SELECT u.code, e.title FROM evidence e JOIN units u "
                           "ON u.id = e.unit_id WHERE e.sha256 = ?", sha))
    sent = next(e["title"] for e in p.submission["evidence"] if e["sha256"] == sha)
    assert rows == {"06172": sent, "06175": "Biên bản Chi Lăng"}  # 06172's title as it sent it
    links = p.rows(db, "SELECT DISTINCT u.code FROM evidence_links l JOIN evidence e ON "
                       "e.id = l.evidence_id JOIN units u ON u.id = e.unit_id "
                       "JOIN assessments a ON a.id = l.assessment_id WHERE a.unit_id = e.unit_id")
    assert len(links) == 2  # every link joins a unit's assessment to that unit's own row
    assert p.rows(db, "SELECT COUNT(*) FROM evidence_links l JOIN evidence e ON e.id = "
                      "l.evidence_id JOIN assessments a ON a.id = l.assessment_id "
                      "WHERE a.unit_id != e.unit_id") == [(0,)]
    assert store_path(db.parent / "evidence", sha).is_file()


def _sub_same_file(p: Province) -> Path:
    return _sent(p, _other_submission(p))


def _sub_their_plan(p: Province) -> Path:
    plan_uuid, _items = _commune_plan(p)
    return _sent(p, _other_submission(p, plan={**_own_plan(), "uuid": plan_uuid}))


def _sub_their_item(p: Province) -> Path:
    _plan, items = _commune_plan(p)
    return _sent(p, _other_submission(p, plan=_own_plan([items[0]])))


def _sub_history_their_assessment(p: Province) -> Path:
    row = _history_row(p, assessment_uuid=p.submission["assessment"]["uuid"])
    return _sent(p, _other_submission(p, history=[row]))


def _sub_history_appraised(p: Province) -> Path:
    row = _history_row(p, field="appraised_score", old="1", new="0")
    return _sent(p, _other_submission(p, history=[row]))


def _sub_history_in_their_name(p: Province) -> Path:
    return _sent(p, _other_submission(p, history=[_history_row(
        p, actor="Sở Nội vụ tỉnh Lạng Sơn")]))


def _sub_history_their_document(p: Province) -> Path:
    other_sha = sorted(p.evidence)[1]  # 06172's document, not in this package
    row = _history_row(p, entity="evidence", entity_key=other_sha, assessment_uuid="",
                       field="title", old="", new="Đã sửa")
    return _sent(p, _other_submission(p, history=[row]))


def _sub_history_own(p: Province) -> Path:
    received = _history_row(p, field="appraised_score", old="1", new="0",
                            source="package:0000", actor="Sở Nội vụ tỉnh Lạng Sơn")
    return _sent(p, _other_submission(p, history=[_history_row(p), received]))


def _check_history(p: Province, db: Path, pkg: Path) -> None:
    """The sender's own row is kept (as received); the row it had itself received is not;
    the import's own changes are recorded under the package (never switched off)."""
    uuid_ = _other_submission(p)["assessment"]["uuid"]
    rows = p.rows(db, "SELECT actor, field, source FROM audit_log WHERE assessment_uuid = ? "
                      "AND entity = 'node'", uuid_)
    package_id = json.loads(zipfile.ZipFile(pkg).read("manifest.json"))["package_id"]
    received = [r for r in rows if r[0] == "Nguyễn Văn Bình"]
    assert received == [("Nguyễn Văn Bình", "self_score", f"package:{package_id}")]
    assert not [r for r in rows if r[1] == "appraised_score"]
    made = [r for r in rows if r[0] != "Nguyễn Văn Bình"]
    assert ("Xã Chi Lăng", "self_score", f"package:{package_id}") in made


def _progress_their_assessment(p: Province) -> Path:
    return _progress(p, assessment=p.submission["assessment"], plan=_own_plan())


def _progress_their_plan(p: Province) -> Path:
    plan_uuid, _items = _commune_plan(p)
    return _progress(p, assessment=_other_submission(p)["assessment"],
                     plan={**_own_plan(), "uuid": plan_uuid})


def _progress_their_item(p: Province) -> Path:
    _plan, items = _commune_plan(p)
    return _progress(p, assessment=_other_submission(p)["assessment"],
                     plan=_own_plan([items[-1]]))


def _criteria_from_commune(p: Province) -> Path:
    return p.forge("other", "criteria-set", {"criteria_set": None}, period=None)


def _result(p: Province, *, period: int = 2025, **change: Any) -> Path:
    data = copy.deepcopy(p.result)
    for key, value in change.items():
        if key in ("status", "year"):
            data["assessment"][key] = value
        else:
            data[key] = value
    return p.forge("appraiser", "result", data, period=period, to="06172")


def _result_wrong_year(p: Province) -> Path:
    return _result(p, period=2024, year=2024)


def _result_to_draft(p: Province) -> Path:
    return _result(p, status="draft", published=None)


def _result_to_returned(p: Province) -> Path:
    return _result(p, status="returned", published=None, returned_reason="Làm lại")


def _result_self_field(p: Province) -> Path:
    data = copy.deepcopy(p.result["scores"])
    data[0]["self_score"] = "0"
    return _result(p, scores=data)


def _result_published_not_published(p: Province) -> Path:
    return _result(p, status="appraised")


def _result_correction(p: Province) -> Path:
    published = {**p.result["published"], "decision_number": "99/QĐ-SNV"}
    return _result(p, published=published)


def _sub_ranking(p: Province) -> Path:
    """A commune's submission carrying a ranking in which it comes first."""
    ranking = {"units": [{"unit_code": OTHER.code, "unit_name": OTHER.name, "index": "99",
                          "rank": 1}]}
    return _sent(p, _other_submission(p, ranking=ranking))


def _result_ranking_index(p: Province) -> Path:
    """The appraiser's ranking giving 06172 another index than its published result."""
    own = {"unit_code": "06172", "unit_name": "Xã Hoàng Văn Thụ", "index": "99.99", "rank": 1}
    return _result(p, ranking={"units": [own]})


def _check_correction(p: Province, db: Path, _pkg: Path) -> None:
    assert p.rows(db, "SELECT decision_number FROM published_results pr JOIN assessments a "
                      "ON a.id = pr.assessment_id WHERE a.year = 2025") == [("99/QĐ-SNV",)]
    assert p.rows(db, "SELECT status FROM assessments WHERE year = 2025") == [("published",)]


def _returned_2026(p: Province) -> Path:
    """06172's 2026 self-assessment submitted (in this case's own copy of the demo), and
    the appraiser's result returning it."""
    draft_2026_submission(p.root)
    [(uuid_,)] = p.rows(p.db("commune"), "SELECT uuid FROM assessments WHERE year = 2026")
    data = {"unit_code": "06172", "assessment": {"uuid": uuid_, "year": 2026,
                                                "status": "returned"},
            "scores": [], "published": None, "returned_reason": "Bổ sung tài liệu",
            "ranking": None}
    return p.forge("appraiser", "result", data, period=2026, to="06172")


def _check_returned(p: Province, db: Path, _pkg: Path) -> None:
    assert p.rows(db, "SELECT status FROM assessments WHERE year = 2026") == [("returned",)]


CASES: dict[str, Case] = {
    "submission.unit": Case("appraiser", _sub_other_unit, "carries the data of '06172'"),
    "submission.assessment": Case("appraiser", _sub_their_assessment, "belongs to another unit"),
    "submission.assessment.year": Case("appraiser", _sub_wrong_year, "for 2025",
                                       first=_sub_same_file),
    "submission.assessment.status": Case("appraiser", _sub_status,
                                         check=_check_status_is_submitted),
    "submission.scores.appraisal": Case("appraiser", _sub_appraised_field, "appraised_score"),
    "submission.evidence": Case("appraiser", _sub_same_file, check=_check_titles),
    "submission.plan": Case("appraiser", _sub_their_plan, "belongs to another unit"),
    "submission.plan.items": Case("appraiser", _sub_their_item, "plan item that belongs"),
    "submission.history.assessment": Case("appraiser", _sub_history_their_assessment,
                                          "another assessment or document"),
    "submission.history.document": Case("appraiser", _sub_history_their_document,
                                        "another assessment or document"),
    "submission.history.appraisal": Case("appraiser", _sub_history_appraised,
                                         "only the appraiser makes"),
    "submission.history.actor": Case("appraiser", _sub_history_in_their_name,
                                     "in the name of this office"),
    "submission.history.own": Case("appraiser", _sub_history_own, check=_check_history),
    "progress.assessment": Case("appraiser", _progress_their_assessment,
                                "an assessment of another unit"),
    "progress.plan": Case("appraiser", _progress_their_plan, "belongs to another unit"),
    "progress.plan.items": Case("appraiser", _progress_their_item, "plan item that belongs"),
    "criteria-set": Case("appraiser", _criteria_from_commune, "not meant for"),
    "result.assessment.year": Case("commune", _result_wrong_year, "for 2025"),
    "result.status.draft": Case("commune", _result_to_draft, "from 'published' to 'draft'"),
    "result.status.returned": Case("commune", _result_to_returned,
                                   "from 'published' to 'returned for correction'"),
    "result.status.return": Case("commune", _returned_2026, check=_check_returned),
    "result.scores.self": Case("commune", _result_self_field, "self_score"),
    "result.published": Case("commune", _result_published_not_published, "inconsistent"),
    "result.published.correction": Case("commune", _result_correction, check=_check_correction),
    "result.ranking": Case("appraiser", _sub_ranking, "ranking"),
    "result.ranking.index": Case("commune", _result_ranking_index, "not the published"),
}


def _documented() -> dict[str, tuple[str, str]]:
    """The docs' ownership table: case -> (field, owner)."""
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("## Ownership", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([a-z.-]+)`", cells[-1]) if len(cells) == 5 else None
        if match:
            rows[match.group(1)] = (cells[1], cells[2])
    return rows


def test_the_documented_table_is_the_tested_one() -> None:
    assert sorted(_documented()) == sorted(CASES)


def _untranslated(error: DomainError | Phrase) -> list[str]:
    missing = [error.template] if i18n._(error.template) == error.template else []
    for value in error.params.values():
        if isinstance(value, DomainError | Phrase):
            missing += _untranslated(value)
    return missing


def _in(language: str, error: DomainError) -> str:
    before = i18n.get_language()
    i18n.set_language(language)
    try:
        return i18n.message(error)
    finally:
        i18n.set_language(before)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_owner_alone_writes(name: str, province: Province,
                                capsys: pytest.CaptureFixture[str]) -> None:
    case = CASES[name]
    p = province.copy(name)
    db_path = p.db(case.receiver)
    if case.first is not None:
        assert imported(db_path, case.first(p)).status == "applied"
    package = case.build(p)
    before = dump(db_path)
    outcome = imported(db_path, package)
    if not case.refused:
        assert outcome.status == "applied", outcome.error and _in("en", outcome.error)
        assert case.check is not None
        case.check(p, db_path, package)
        return
    assert outcome.status == "refused" and outcome.error is not None
    english, vietnamese = _in("en", outcome.error), _in("vi", outcome.error)
    assert case.refused in english, english
    assert dump(db_path) == before, "a refused package changed the database"
    assert len(english) < 400 and english.count(". ") <= 1  # one sentence, not a report
    with_vi = i18n.get_language()
    i18n.set_language("vi")
    try:
        assert not _untranslated(outcome.error), vietnamese
    finally:
        i18n.set_language(with_vi)
    assert vietnamese != english and "{" not in vietnamese
    # The same file through the command line: its sentence on stderr, nothing changed.
    language = i18n.get_language()
    try:
        code = cli_main(["--db", str(db_path), "sync", "import", str(package)])
    finally:
        i18n.set_language(language)
    err = capsys.readouterr().err
    assert code == 1
    assert english in err or vietnamese in err, err
    assert dump(db_path) == before


def test_the_appraisers_published_result_is_read_only_at_the_commune(
    province: Province, capsys: pytest.CaptureFixture[str]
) -> None:
    """The published result and ranking a result package brought are the appraiser's: a
    clerk's typed correction is refused (a newer package from the appraiser corrects it)."""
    db_path = province.copy("published-read-only").db("commune")
    before = dump(db_path)
    language = i18n.get_language()
    try:
        code = cli_main(["--db", str(db_path), "result", "set", "--rank", "1",
                         "--rank-of", "65", "--period", "2025"])
    finally:
        i18n.set_language(language)
    err = capsys.readouterr().err
    assert code != 0
    assert "gói kết quả của cơ quan thẩm định" in err or "appraiser's package" in err, err
    assert dump(db_path) == before
