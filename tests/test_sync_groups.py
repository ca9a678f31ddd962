"""A folder's packages, one transaction each: what the evidence copy must never cost.

Evidence is whole on disk before it is named in the store and before the rows naming it
commit; a copy still running does not keep the database locked; one crafted file is
refused alone; a disk that fails to sync the copies refuses the package, copies included.
"""

from __future__ import annotations

import sqlite3
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_support import copy_demo, draft_2026_submission

from db.engine import Database, open_database
from parapp.services import sync_import, sync_stage
from parapp.services.evidence import store_path
from parapp.sync.package import EVIDENCE_DIR


@pytest.fixture
def office(demo_db: Path, tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    """(the demo appraiser, a stick folder holding the commune's 2026 submission)."""
    root = copy_demo(demo_db, tmp_path / "demo")
    package = draft_2026_submission(root)
    stick = tmp_path / "stick"
    stick.mkdir()
    package.rename(stick / "a-nop.cchc")
    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    try:
        yield appraiser, stick
    finally:
        appraiser.close()


def _logged(db: Database, name: str) -> int:
    con = sqlite3.connect(db.path)
    try:
        return int(con.execute("SELECT COUNT(*) FROM sync_log WHERE file_name = ?",
                               (name,)).fetchone()[0])
    finally:
        con.close()


def _import(db: Database, source: Path) -> list[tuple[str, str]]:
    return [(o.path.name, o.status) for _d, _t, o in sync_import.import_packages(db, [source])]


def _evidence_names(package: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(package) as archive:
        return [n[len(EVIDENCE_DIR):] for n in archive.namelist() if n.startswith(EVIDENCE_DIR)]


def _central_entries(raw: bytes) -> Iterator[tuple[int, bytes]]:
    """(offset, name) of each central directory entry."""
    eocd = raw.rfind(b"PK\x05\x06")
    count, _size, at = struct.unpack_from("<HLL", raw, eocd + 10)
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, at + 28)
        yield at, raw[at + 46:at + 46 + name_len]
        at += 46 + name_len + extra_len + comment_len


def test_evidence_is_synced_before_it_is_named_and_before_its_rows_commit(
    office: tuple[Database, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    appraiser, stick = office
    package = stick / "a-nop.cchc"
    seen: list[tuple[list[Path], bool, int]] = []
    real = sync_stage.make_durable

    def observed(paths: list[Path]) -> None:
        time.sleep(0.3)  # a slow disk: a commit that did not wait would land meanwhile
        in_store = any(store_path(appraiser.paths.evidence, n).exists()
                       for n in _evidence_names(package))
        seen.append((list(paths), in_store, _logged(appraiser, package.name)))
        real(paths)

    monkeypatch.setattr(sync_stage, "make_durable", observed)
    assert _import(appraiser, stick) == [("a-nop.cchc", "applied")]
    [(paths, in_store, committed)] = seen
    # The two new documents (the demo store already holds the others), synced while still
    # staged: not yet under their names, and not yet named by a committed row.
    assert len(paths) == 2 and all(p.name.startswith(sync_stage.PREFIX) for p in paths)
    assert not in_store and committed == 0
    assert all(store_path(appraiser.paths.evidence, n).is_file()
               for n in _evidence_names(package))


def test_a_damaged_store_file_is_replaced_by_the_package_copy(
    office: tuple[Database, Path]
) -> None:
    """A file cut short in the store (a crash of an older version, a failing disk) is not
    taken as the document: the import stores the package's copy over it."""
    appraiser, stick = office
    name = sorted(_evidence_names(stick / "a-nop.cchc"))[0]
    target = store_path(appraiser.paths.evidence, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"")
    assert _import(appraiser, stick) == [("a-nop.cchc", "applied")]
    import hashlib

    assert hashlib.sha256(target.read_bytes()).hexdigest() == name


def test_a_store_folder_that_cannot_be_made_refuses_that_package_alone(
    office: tuple[Database, Path]
) -> None:
    """The store's folder for a new document is made while the package is copied: when it
    cannot be (a file in its place, no permission), that package is refused with the
    reason, before anything of it is written, not at the group's commit; once the folder
    can be made, the same package imports."""
    appraiser, stick = office
    names = [n for n in sorted(_evidence_names(stick / "a-nop.cchc"))
             if not store_path(appraiser.paths.evidence, n).parent.exists()]
    assert names, "the demo store already has a folder for every document of the package"
    blocker = store_path(appraiser.paths.evidence, names[0]).parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    outcomes = [o for _d, _t, o in sync_import.import_packages(appraiser, [stick])]
    assert [(o.path.name, o.status) for o in outcomes] == [("a-nop.cchc", "refused")]
    error = outcomes[0].error
    assert error is not None and error.template.startswith("Cannot read")
    assert _logged(appraiser, "a-nop.cchc") == 0
    blocker.unlink()
    assert _import(appraiser, stick) == [("a-nop.cchc", "applied")]


def test_a_crafted_file_is_refused_alone(office: tuple[Database, Path]) -> None:
    """The signature covers the manifest, not the ZIP's own directory: a copy with an
    evidence entry claiming an unknown compression method, and one claiming an offset no
    file can have, are refused with a sentence; the good file after them in the same
    group is applied."""
    appraiser, stick = office
    good = stick / "z-nop.cchc"
    (stick / "a-nop.cchc").rename(good)
    raw = good.read_bytes()
    for name, field_at, value, fmt in (("b-nen-la.cchc", 10, 99, "<H"),
                                       ("c-lech.cchc", 42, 0x7FFFFFF0, "<L")):
        crafted = bytearray(raw)
        for at, entry in _central_entries(raw):
            if entry.startswith(EVIDENCE_DIR.encode()):
                struct.pack_into(fmt, crafted, at + field_at, value)
                break
        (stick / name).write_bytes(bytes(crafted))
    outcomes = [o for _d, _t, o in sync_import.import_packages(appraiser, [stick])]
    assert [(o.path.name, o.status) for o in outcomes] == [
        ("b-nen-la.cchc", "refused"), ("c-lech.cchc", "refused"), ("z-nop.cchc", "applied")]
    for refused in outcomes[:2]:
        assert refused.error is not None and "damaged" in refused.error.template
    assert _logged(appraiser, "z-nop.cchc") == 1


def test_no_write_lock_while_a_copy_runs(office: tuple[Database, Path],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A large scan on a slow stick: while its evidence is copied, the clerk's own saves
    (another writer, short busy timeout here) are not kept waiting by the import."""
    appraiser, stick = office
    real = sync_stage._copy

    def slow(*args: object, **kwargs: object) -> None:
        time.sleep(0.75)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_stage, "_copy", slow)
    result: dict[str, str] = {}

    def writer() -> None:
        time.sleep(0.7)
        con = sqlite3.connect(appraiser.path, timeout=0.3, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("ROLLBACK")
            result["writer"] = "ok"
        except sqlite3.OperationalError as exc:
            result["writer"] = str(exc)
        finally:
            con.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert _import(appraiser, stick) == [("a-nop.cchc", "applied")]
    thread.join()
    assert result["writer"] == "ok"


def test_a_failed_sync_of_the_copies_refuses_the_package_and_its_twin(
    office: tuple[Database, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    appraiser, stick = office
    (stick / "z-ban-sao.cchc").write_bytes((stick / "a-nop.cchc").read_bytes())

    def full_disk(_paths: list[Path]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sync_stage, "make_durable", full_disk)
    assert _import(appraiser, stick) == [("a-nop.cchc", "refused"),
                                         ("z-ban-sao.cchc", "refused")]
    assert _logged(appraiser, "a-nop.cchc") == 0 == _logged(appraiser, "z-ban-sao.cchc")


def test_a_document_listed_twice_is_stored_once_with_every_link(
    office: tuple[Database, Path]
) -> None:
    """Only a hand-made package lists one document twice: it is stored once, under the
    first entry's file name and the last entry's title (as a row made then updated would
    be), linked to every criterion either entry names, each once."""
    from sqlalchemy import select

    from db.models import AssessmentRow, EvidenceLinkRow, EvidenceRow
    from parapp.services import sync_apply, sync_data

    appraiser, _stick = office
    sha = "c" * 64
    with appraiser.session() as s:
        arow = s.scalars(select(AssessmentRow)).first()
        assert arow is not None
        s.info["sync_reads"] = {}  # a new package, as sync_apply.plan starts one
        sync_apply._apply_evidence(s, arow, [
            sync_data.EvidenceRecord(sha, "dau.pdf", "Tên đầu", "", None, 10, ["1.1"]),
            sync_data.EvidenceRecord(sha, "sau.pdf", "Tên sau", "5/BB", None, 10, ["1.1", "2.1"]),
        ])
        row = s.scalars(select(EvidenceRow).where(EvidenceRow.sha256 == sha)).one()
        links = s.scalars(select(EvidenceLinkRow.node_code)
                          .where(EvidenceLinkRow.evidence_id == row.id)).all()
        assert (row.filename, row.title, row.doc_number) == ("dau.pdf", "Tên sau", "5/BB")
        assert sorted(links) == ["1.1", "2.1"]
        s.rollback()
