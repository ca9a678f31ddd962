"""File names from outside: reduced to a safe base name on the way in (a signed package from
a trusted commune, through the real import), and opened only through a copy in the
program's own folder, with programs and scripts never handed to the system."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_support import copy_demo, draft_2026_submission

from db.engine import Database, open_database
from parapp import i18n
from parapp.cli import main as cli_main
from parapp.domain.filenames import MAX_BYTES, MAX_CHARS, is_executable, safe_name
from parapp.services import sync_keys
from parapp.services.common import ServiceError
from parapp.services.evidence import store_path
from parapp.services.evidence_open import copies_folder, open_copy
from parapp.services.sync_sequence import next_sequence
from parapp.sync.package import read_package, write_package

HOSTILE = {
    "../../x.sh": "x.sh",
    "/etc/cron.d/job": "job",
    "C:\\Windows\\System32\\evil.bat": "evil.bat",
    "C:x.pdf": "x.pdf",
    "..\\..\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\a.lnk": "a.lnk",
    "bien\nban\x00\x1b[31m.pdf": "bienban[31m.pdf",
    "\u202egpj.exe": "gpj.exe",  # shown right to left as "exe.jpg"
    "Quyết định.pdf                    .exe": "Quyết định.pdf.exe",
    "CON.pdf": "_CON.pdf",
    "x.pdf:stream.exe": "x.pdf_stream.exe",
    "...": "",
    " . ": "",
}


@pytest.mark.parametrize(("raw", "expected"), sorted(HOSTILE.items()))
def test_a_name_is_reduced_to_a_safe_base_name(raw: str, expected: str) -> None:
    assert safe_name(raw, "fallback") == (expected or "fallback")


def test_a_long_name_keeps_its_extension_within_the_limits() -> None:
    for raw in ("a" * 1000 + ".pdf", "Biên bản họp " * 80 + ".docx", "ệ" * 500):
        name = safe_name(raw)
        assert len(name) <= MAX_CHARS and len(name.encode("utf-8")) <= MAX_BYTES
        assert name.endswith(raw.rsplit(".", 1)[-1] if "." in raw else "ệ")


@pytest.mark.parametrize("name", ["x.exe", "X.EXE", "a.pdf.exe", "r.bat", "r.cmd", "r.com",
                                  "s.scr", "p.ps1", "v.vbs", "j.js", "i.msi", "l.lnk",
                                  "h.hta", "x.exe.", "x.exe  ", "m.docm", "s.sh"])
def test_program_types_are_recognised(name: str) -> None:
    assert is_executable(name)


@pytest.mark.parametrize("name", ["a.pdf", "b.docx", "c.xlsx", "d.jpg", "e.png", "f.txt",
                                  "exe", "g.exe.pdf", "h.tiff"])
def test_documents_are_not_programs(name: str) -> None:
    assert not is_executable(name)


@pytest.fixture
def offices(demo_db: Path, tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """(the commune's 2026 submission, the commune's and the appraiser's database)."""
    root = copy_demo(demo_db, tmp_path / "demo")
    package = draft_2026_submission(root)
    yield package, root / "commune" / "parapp.sqlite3", root / "appraiser" / "parapp.sqlite3"


def _forged(package: Path, commune: Path, names: list[str], out: Path) -> Path:
    """The commune's own submission re-signed with its real key, its documents renamed."""
    own = sync_keys.own_keys(commune)
    opened = read_package(package, {own.fingerprint: own.signing.public_bytes}, None)
    data = opened.data
    assert len(data["evidence"]) == len(names)
    for record, name in zip(data["evidence"], names, strict=True):
        record["filename"] = name
    files = {sha: store_path(commune.parent / "evidence", sha) for sha in opened.evidence}
    db = open_database(commune)
    try:  # the commune's next number, as its own export takes it
        sequence = next_sequence(db, {"unit_code": "20"})
    finally:
        db.close()
    return write_package(out, "submission", own.signing, "06172", {"unit_code": "20"}, data,
                         files, criteria_set=opened.manifest["criteria_set"],
                         period=2026, sequence=sequence).path


def _names(db_path: Path) -> list[str]:
    con = sqlite3.connect(db_path)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT e.filename FROM evidence e JOIN units u ON u.id = e.unit_id "
            "WHERE u.code = '06172' AND e.filename NOT LIKE 'bien-ban-%' "
            "AND e.id IN (SELECT evidence_id FROM evidence_links l JOIN assessments a "
            "ON a.id = l.assessment_id WHERE a.year = 2026)"))
    finally:
        con.close()


def test_names_in_a_package_are_stored_as_safe_base_names(
    offices: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    package, commune, appraiser = offices
    hostile = ["../../x.sh", "C:\\Users\\Public\\a" + "b" * 300 + ".pdf.exe"]
    forged = _forged(package, commune, hostile, tmp_path / "forged.cchc")
    assert cli_main(["--db", str(appraiser), "sync", "import", str(forged)]) == 0
    stored = _names(appraiser)
    assert stored == sorted(safe_name(n) for n in hostile)
    for name in stored:
        assert "/" not in name and "\\" not in name and ":" not in name
        assert len(name) <= MAX_CHARS
    assert any(n == "x.sh" for n in stored)
    assert not list(appraiser.parent.parent.glob("x.sh"))  # nothing written by that name


@pytest.fixture
def commune_db(offices: tuple[Path, Path, Path]) -> Iterator[Database]:
    db = open_database(offices[1])
    try:
        yield db
    finally:
        db.close()


def _stored_sha(db: Database) -> str:
    con = sqlite3.connect(db.path)
    try:
        return str(con.execute("SELECT sha256 FROM evidence LIMIT 1").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("name", ["../../x.txt", "/tmp/evil.pdf", "C:\\x\\y.docx",
                                  "a\nb.pdf", "..", "CON"])
def test_the_opener_copies_only_into_its_own_folder(commune_db: Database, name: str) -> None:
    from ui.widgets.evidence_files import named_copy

    sha = _stored_sha(commune_db)
    copy = named_copy(commune_db, sha, name)
    folder = copies_folder(commune_db).resolve()
    assert copy.resolve().parent.parent == folder
    assert copy.name == safe_name(name, sha[:12])
    assert copy.read_bytes() == store_path(commune_db.paths.evidence, sha).read_bytes()


def _in(language: str, error: ServiceError) -> str:
    before = i18n.get_language()
    i18n.set_language(language)
    try:
        return i18n.message(error)
    finally:
        i18n.set_language(before)


@pytest.mark.parametrize("name", ["Quyết định.pdf.exe", "chay.bat", "r.cmd", "x.com", "s.scr",
                                  "p.ps1", "v.vbs", "j.js", "cai-dat.msi", "loi-tat.lnk",
                                  "x.exe.", "\u202egpj.exe"])
def test_a_program_is_never_handed_to_the_system(commune_db: Database, name: str) -> None:
    sha = _stored_sha(commune_db)
    with pytest.raises(ServiceError) as refused:
        open_copy(commune_db, sha, name)
    english, vietnamese = _in("en", refused.value), _in("vi", refused.value)
    assert "program or script" in english and english.count(". ") == 0
    assert "chương trình" in vietnamese and "{" not in vietnamese
    folder = copies_folder(commune_db)
    assert not folder.exists() or not [p for p in folder.rglob("*") if p.is_file()]
