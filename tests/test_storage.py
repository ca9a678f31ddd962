"""Storage on real SQLite files: pragmas, schema and migrations, exact numbers, and the
services refusing bad input without changing anything."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import StatementError

from db.engine import (
    Database,
    DatabaseError,
    NewerSchemaError,
    NoDatabaseError,
    open_database,
)
from db.migrate import upgrade
from db.models import EvidenceLinkRow, EvidenceRow, NodeScoreRow
from db.schema import HEAD, REVISIONS, read_revision
from db.types import ExactDecimal
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.errors import DomainError, StateError
from parapp.domain.results import PublishedResult
from parapp.domain.scoring import Declared
from parapp.domain.units import Unit, UnitKind
from parapp.formats import criteria_json
from parapp.formats.criteria_json import CriteriaFileError
from parapp.services import assessments, criteria, evidence, results, submission
from parapp.services.assessments import AppraisalEntry, SelfEntry
from parapp.services.common import ServiceError
from parapp.services.setup import init_database

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = ROOT / "db" / "migrations" / "versions"
SAMPLE_JSON = ROOT / "resources" / "criteria" / "sample-commune-par.json"
UNIT = Unit("00004", "Xã Hoàng Việt", UnitKind.COMMUNE)
D = Decimal


# -- helpers -----------------------------------------------------------------------------


def dump(path: Path) -> str:
    """Every row of every table, as SQL text (reads through the WAL like any connection)."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema_of(path: Path) -> dict[str, dict[str, Any]]:
    """Tables with their columns, indexes and foreign keys, as structured data (not SQL text)."""
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        out: dict[str, dict[str, Any]] = {}
        for table in tables:
            columns = [
                # (position, name, declared type, not null, default, primary-key position)
                (cid, name, ctype.upper(), notnull, default, pk)
                for cid, name, ctype, notnull, default, pk in con.execute(
                    f"PRAGMA table_info('{table}')"
                )
            ]
            indexes = set()
            for _seq, name, unique, origin, partial in con.execute(f"PRAGMA index_list('{table}')"):
                cols = tuple(r[2] for r in con.execute(f"PRAGMA index_info('{name}')"))
                # Explicit index names matter; sqlite's own autoindex names only number them.
                label = "" if name.startswith("sqlite_autoindex_") else name
                indexes.add((label, bool(unique), origin, bool(partial), cols))
            fks = {
                (ref_table, src, dst, on_update, on_delete, match)
                for _id, _seq, ref_table, src, dst, on_update, on_delete, match in con.execute(
                    f"PRAGMA foreign_key_list('{table}')"
                )
            }
            out[table] = {"columns": columns, "indexes": indexes, "foreign_keys": fks}
        out["<indexes>"] = {
            "named": sorted(
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type='index' "
                    "AND name NOT LIKE 'sqlite_autoindex_%'"
                )
            )
        }
        return out
    finally:
        con.close()


def free_set(code: str = "TEST-EXACT") -> Any:
    """A small published set with one free-rule leaf worth 20 points and no step, so any
    exact value in [0, 20] is a valid score (0,375 and 16,5 included)."""
    doc = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    doc.update(
        code=code,
        name="Exactness test set",
        is_sample=False,
        nodes=[
            {
                "code": "1",
                "title": "Area",
                "max": "20",
                "children": [
                    {"code": "1.1", "title": "Free leaf", "max": "20", "rule": {"type": "free"}}
                ],
            }
        ],
    )
    return criteria_json.from_dict(doc)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "office" / "parapp.sqlite3"
    init_database(path, UNIT)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def assessed(db: Database) -> Iterator[tuple[Database, int]]:
    """The sample set loaded and a draft 2025 assessment with a few self scores."""
    criteria.import_set(db, criteria.sample_set())
    info = assessments.new_assessment(db, 2025)
    assessments.set_self_scores(
        db,
        info.id,
        [
            SelfEntry("1.6.2", declared=Declared(tier="tot")),
            SelfEntry("2.4", typed=D("1.75"), explanation="Tự đánh giá"),
        ],
    )
    yield db, info.id


# -- pragmas and revision ----------------------------------------------------------------


def test_new_database_pragmas_and_revision(tmp_path: Path) -> None:
    path = tmp_path / "parapp.sqlite3"
    result = init_database(path, UNIT)
    assert result.created
    assert result.unit is not None and result.unit.code == UNIT.code
    database = open_database(path)
    try:
        for _ in range(2):  # every pooled connection, not just the first
            with database.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        with database.session() as s:  # the ORM's sessions use the same engine
            conn = s.connection()
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    finally:
        database.close()
    assert read_revision(path) == HEAD
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    finally:
        con.close()


def test_init_twice_keeps_the_database(db_path: Path) -> None:
    before = dump(db_path)
    again = init_database(db_path)
    assert not again.created
    assert again.unit is not None and again.unit.code == UNIT.code
    assert dump(db_path) == before


# -- migrations --------------------------------------------------------------------------


def test_migrations_from_empty_match_create_all(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated" / "parapp.sqlite3"
    migrated.parent.mkdir()
    migrated.touch()
    upgrade(migrated)

    created = tmp_path / "created" / "parapp.sqlite3"
    open_database(created, create=True).close()

    assert read_revision(migrated) == HEAD
    assert read_revision(created) == HEAD
    a, b = schema_of(migrated), schema_of(created)
    assert sorted(a) == sorted(b), "the two ways of making a database give different tables"
    for table in a:
        assert a[table] == b[table], f"table {table}: migrations {a[table]} != models {b[table]}"


def _module_constants(path: Path) -> dict[str, Any]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            value = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets, value = [node.target.id], node.value
        else:
            continue
        for name in targets:
            if name in {"revision", "down_revision"} and value is not None:
                out[name] = ast.literal_eval(value)
    return out


def test_revisions_match_migration_files() -> None:
    files = sorted(p for p in VERSIONS.glob("*.py") if p.name != "__init__.py")
    assert files, "no migration scripts found"
    down_of: dict[str, str | None] = {}
    for path in files:
        consts = _module_constants(path)
        assert "revision" in consts, f"{path.name} has no revision id"
        assert "down_revision" in consts, f"{path.name} has no down_revision"
        assert consts["revision"] not in down_of, f"revision {consts['revision']} twice"
        down_of[consts["revision"]] = consts["down_revision"]
    # Walk the chain from the root.
    roots = [rev for rev, down in down_of.items() if down is None]
    assert len(roots) == 1, f"expected one root revision, found {roots}"
    chain = [roots[0]]
    children = {down: rev for rev, down in down_of.items() if down is not None}
    assert len(children) == len(down_of) - 1, "the revisions branch"
    while chain[-1] in children:
        chain.append(children[chain[-1]])
    assert len(chain) == len(down_of), "some revisions are not on the chain from the root"
    assert tuple(chain) == REVISIONS
    assert chain[-1] == HEAD


# -- refusing what it cannot open -------------------------------------------------------


def test_newer_schema_is_refused_and_untouched(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    folder = db_path.parent
    before_hash = sha256(db_path)
    before_files = set(os.listdir(folder))

    for create in (False, True):
        with pytest.raises(NewerSchemaError) as err:
            open_database(db_path, create=create)
        assert "newer version" in str(err.value)
        assert str(db_path) in str(err.value)

    assert sha256(db_path) == before_hash
    assert not (folder / "backups").exists()
    new_files = set(os.listdir(folder)) - before_files
    # sqlite may leave an empty WAL and its index behind a read-only look; nothing else.
    assert new_files <= {db_path.name + "-wal", db_path.name + "-shm"}
    wal = folder / (db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert read_revision(db_path) == "9999_future"


def test_random_bytes_are_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "parapp.sqlite3"
    path.write_bytes(os.urandom(3 * 4096))
    before = sha256(path)
    for create in (False, True):
        with pytest.raises(DatabaseError) as err:
            open_database(path, create=create)
        assert not isinstance(err.value, NoDatabaseError | NewerSchemaError)
        assert "not a parapp database" in str(err.value)
        assert str(path) in str(err.value)
    assert sha256(path) == before  # never "created" over someone's file


def test_empty_file_without_create_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "parapp.sqlite3"
    path.touch()
    with pytest.raises(DatabaseError) as err:
        open_database(path)
    assert not isinstance(err.value, NoDatabaseError)
    assert "not a parapp database" in str(err.value)
    assert path.stat().st_size == 0


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (text TEXT)")
    con.commit()
    con.close()
    before = sha256(path)
    for create in (False, True):
        with pytest.raises(DatabaseError) as err:
            open_database(path, create=create)
        assert "not a parapp database" in str(err.value)
    assert sha256(path) == before


def test_missing_database_without_create(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "parapp.sqlite3"
    with pytest.raises(NoDatabaseError) as err:
        open_database(path)
    assert "parapp init" in str(err.value)
    assert str(path) in str(err.value)
    assert not path.exists()
    assert not path.parent.exists()


# -- exact numbers -----------------------------------------------------------------------


def test_points_are_stored_exactly(db: Database) -> None:
    criteria.import_set(db, criteria.sample_set())
    criteria.import_set(db, free_set())
    sample = assessments.new_assessment(db, 2024, set_code="MAU-CCHC-XA")
    free = assessments.new_assessment(db, 2025, set_code="TEST-EXACT")

    # 75% of 0,5 through a tier rule in the sample set, and typed on a free-rule leaf.
    assessments.set_self_scores(
        db, sample.id, [SelfEntry("1.6.2", declared=Declared(tier="tot"), typed=D("0.375"))]
    )
    assessments.set_self_scores(db, free.id, [SelfEntry("1.1", typed=D("0.375"))])
    submission.submit(db, free.id, allow_incomplete=True, reason="Kiểm thử số lẻ.")
    assessments.set_appraisals(db, free.id, [AppraisalEntry("1.1", appraised=D("16.5"))])
    results.record_result(
        db,
        PublishedResult(index=D("84.96"), points=D("16.5"), max_points=D("20")),
        year=2025,
    )

    with db.session() as s:
        rows = {(r.assessment_id, r.node_code): r for r in s.scalars(select(NodeScoreRow)).all()}
    self_sample = rows[(sample.id, "1.6.2")].self_score
    self_free = rows[(free.id, "1.1")].self_score
    appraised = rows[(free.id, "1.1")].appraised_score
    for value, expected in ((self_sample, "0.375"), (self_free, "0.375"), (appraised, "16.5")):
        assert isinstance(value, Decimal)
        assert value == D(expected)
        assert str(value) == expected

    shown = assessments.view(db, 2025)
    assert shown.scores["1.1"].self_score == D("0.375")
    assert shown.scores["1.1"].appraised_score == D("16.5")
    assert shown.result is not None
    assert shown.result.index == D("84.96")
    assert str(shown.result.index) == "84.96"

    con = sqlite3.connect(db.path)
    try:
        raw = con.execute(
            "SELECT node_code, self_score, typeof(self_score), appraised_score "
            "FROM node_scores ORDER BY id"
        ).fetchall()
        published = con.execute(
            "SELECT index_value, points, max_points, typeof(index_value) FROM published_results"
        ).fetchall()
    finally:
        con.close()
    assert ("1.6.2", "0.375", "text", None) in raw
    assert ("1.1", "0.375", "text", "16.5") in raw
    assert published == [("84.96", "16.5", "20", "text")]


def test_float_is_refused_by_exact_decimal(assessed: tuple[Database, int]) -> None:
    db, assessment_id = assessed
    with pytest.raises(TypeError):
        ExactDecimal().process_bind_param(0.5, sqlite_dialect.dialect())
    before = dump(db.path)
    # Through the ORM, SQLAlchemy wraps the TypeError in a StatementError at flush time.
    with pytest.raises((TypeError, StatementError)) as err, db.session() as s:
        row = s.scalars(
            select(NodeScoreRow).where(NodeScoreRow.assessment_id == assessment_id)
        ).first()
        assert row is not None
        row.self_score = 0.5  # type: ignore[assignment]
        s.flush()
    cause = getattr(err.value, "orig", err.value)
    assert isinstance(cause, TypeError), repr(err.value)
    assert "Decimal" in str(cause)
    assert dump(db.path) == before


# -- criteria import ---------------------------------------------------------------------


def test_same_set_twice_changes_nothing(db: Database) -> None:
    first = criteria.import_set(db, criteria.sample_set())
    assert first.created
    before_counts, before_dump = counts(db.path), dump(db.path)
    again = criteria.import_set(db, criteria.sample_set())
    assert again.created is False
    assert again.summary.id == first.summary.id
    assert again.summary.nodes == first.summary.nodes
    assert counts(db.path) == before_counts
    assert dump(db.path) == before_dump
    # The same set read from its file is the same set too.
    from_file = criteria.import_set(db, criteria.read_set_file(SAMPLE_JSON))
    assert from_file.created is False
    assert dump(db.path) == before_dump


def test_published_set_with_changed_content_is_refused(db: Database) -> None:
    criteria.import_set(db, criteria.sample_set())
    before = dump(db.path)
    doc = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    doc["nodes"][0]["children"][0]["children"][0]["title"] += " (sửa)"
    changed = criteria_json.from_dict(doc)
    assert changed.code == "MAU-CCHC-XA" and changed.version == 1
    with pytest.raises(ServiceError) as err:
        criteria.import_set(db, changed)
    assert "new version" in str(err.value)
    assert dump(db.path) == before
    # A corrected set under a new version number is accepted alongside.
    doc["version"] = 2
    assert criteria.import_set(db, criteria_json.from_dict(doc)).created


def test_draft_set_in_use_cannot_change(db: Database) -> None:
    doc = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    doc.update(code="DRAFT-SET", status="draft")
    assert criteria.import_set(db, criteria_json.from_dict(doc)).created
    # Unused, a draft may still be corrected under the same version.
    doc["name"] = "Bộ tiêu chí (dự thảo 2)"
    replaced = criteria.import_set(db, criteria_json.from_dict(doc))
    assert replaced.created and replaced.summary.name == "Bộ tiêu chí (dự thảo 2)"
    assert [s.code for s in criteria.list_sets(db)] == ["DRAFT-SET"]
    assessments.new_assessment(db, 2025, set_code="DRAFT-SET")
    before = dump(db.path)
    doc["name"] = "Bộ tiêu chí (dự thảo 3)"
    with pytest.raises(ServiceError):
        criteria.import_set(db, criteria_json.from_dict(doc))
    assert dump(db.path) == before


@pytest.mark.parametrize(
    ("name", "content", "clue"),
    [
        ("syntax.json", b'{"format": "parapp-criteria-set", "nodes": [', "not valid JSON"),
        ("other.json", b'{"format": "something-else", "format_version": 1}', "not a parapp"),
        ("list.json", b"[1, 2, 3]", "object"),
        ("newer.json", None, "update the program"),
        ("set.txt", None, ".json or .xlsx"),
        ("binary.json", b"\xff\xfe\x00garbage", "not valid JSON"),
    ],
)
def test_malformed_criteria_files_are_refused(
    db: Database, tmp_path: Path, name: str, content: bytes | None, clue: str
) -> None:
    criteria.import_set(db, criteria.sample_set())
    if content is None:
        doc = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
        doc["code"] = "ANOTHER-SET"
        if name == "newer.json":
            doc["format_version"] = 99
        content = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    path = tmp_path / name
    path.write_bytes(content)
    before = dump(db.path)
    with pytest.raises(DomainError) as err:
        criteria.import_set(db, criteria.read_set_file(path))
    assert isinstance(err.value, CriteriaFileError | ServiceError)
    assert clue in str(err.value)
    assert dump(db.path) == before


def test_missing_criteria_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as err:
        criteria.read_set_file(tmp_path / "absent.json")
    assert "absent.json" in str(err.value)


# -- evidence ----------------------------------------------------------------------------


def test_evidence_is_content_addressed(assessed: tuple[Database, int], tmp_path: Path) -> None:
    db, assessment_id = assessed
    content = b"%PDF-1.4 Ke hoach CCHC nam 2025\n" * 100
    source = tmp_path / "ke-hoach.pdf"
    source.write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()

    first = evidence.add_evidence(
        db, source, node_codes=["1.1.1"], title="Kế hoạch CCHC", doc_number="12/KH-UBND"
    )
    assert first.sha256 == digest
    assert first.size == len(content)
    stored = db.paths.evidence / digest[:2] / digest
    assert stored.is_file()
    assert stored.read_bytes() == content
    assert first.node_codes == ("1.1.1",)

    # The same bytes under another name: stored once, links added to.
    copy = tmp_path / "copy-of-plan.pdf"
    copy.write_bytes(content)
    second = evidence.add_evidence(db, copy, node_codes=["1.2", "1.1.1"])
    assert second.id == first.id
    assert second.node_codes == ("1.1.1", "1.2")
    assert second.title == "Kế hoạch CCHC"  # kept: the second add gave none
    files = [p for p in db.paths.evidence.rglob("*") if p.is_file()]
    assert files == [stored], "the same file must be stored once, with no temp files left"

    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EvidenceRow)) == 1
        links = s.execute(
            select(EvidenceLinkRow.node_code, EvidenceLinkRow.assessment_id).order_by(
                EvidenceLinkRow.node_code
            )
        ).all()
    assert [tuple(r) for r in links] == [("1.1.1", assessment_id), ("1.2", assessment_id)]
    listed = evidence.list_evidence(db)
    assert [e.sha256 for e in listed] == [digest]


def test_evidence_for_unknown_criterion_is_refused(
    assessed: tuple[Database, int], tmp_path: Path
) -> None:
    db, _ = assessed
    source = tmp_path / "bien-ban.pdf"
    source.write_bytes(b"bien ban kiem tra")
    before = dump(db.path)
    with pytest.raises(ServiceError) as err:
        evidence.add_evidence(db, source, node_codes=["1.1.1", "9.9.9"])
    assert "9.9.9" in str(err.value)
    assert dump(db.path) == before
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert not (db.paths.evidence / digest[:2] / digest).exists()


def test_missing_evidence_file_is_refused(assessed: tuple[Database, int], tmp_path: Path) -> None:
    db, _ = assessed
    before = dump(db.path)
    with pytest.raises(ServiceError):
        evidence.add_evidence(db, tmp_path / "absent.pdf", node_codes=["1.1.1"])
    assert dump(db.path) == before


# -- state locks -------------------------------------------------------------------------


def test_submitted_assessment_locks_self_scores(
    assessed: tuple[Database, int], tmp_path: Path
) -> None:
    db, assessment_id = assessed
    info = submission.submit(
        db, assessment_id, allow_incomplete=True, reason="Còn thiếu tài liệu."
    ).info
    assert info.status is AssessmentStatus.SUBMITTED
    before = dump(db.path)
    with pytest.raises((StateError, ServiceError)) as err:
        assessments.set_self_scores(db, assessment_id, [SelfEntry("2.4", typed=D("2"))])
    assert "submitted" in str(err.value)
    assert dump(db.path) == before

    source = tmp_path / "late.pdf"
    source.write_bytes(b"late evidence")
    with pytest.raises((StateError, ServiceError)):
        evidence.add_evidence(db, source, node_codes=["2.4"])
    assert dump(db.path) == before


def test_result_on_draft_is_refused(assessed: tuple[Database, int]) -> None:
    db, _ = assessed
    before = dump(db.path)
    with pytest.raises(ServiceError) as err:
        results.record_result(db, PublishedResult(index=D("84.96")), year=2025)
    assert "not been submitted" in str(err.value)
    assert dump(db.path) == before
    assert assessments.get_info(db, 2025).status is AssessmentStatus.DRAFT


def test_bad_transition_is_refused(assessed: tuple[Database, int]) -> None:
    db, assessment_id = assessed
    before = dump(db.path)
    with pytest.raises((StateError, ServiceError)):
        submission.change_status(db, assessment_id, AssessmentStatus.APPRAISED)
    assert dump(db.path) == before
