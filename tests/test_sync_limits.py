"""Bounded packages (issue 19, part 1): the limits of docs/sync-format.md ("Size limits"),
and a database another program is writing to.

A package at every limit (data.json of exactly ``MAX_DATA_SIZE`` bytes holding exactly
``MAX_DATA_ENTRIES`` list entries; ``MAX_DOCUMENTS`` documents) is imported; one byte, one
entry, one comma, one document or one byte of manifest more is refused with one sentence
(English and Vietnamese), in a dry run and for real, and the database, its evidence store
and its backups are as they were. A data.json of 300 MB is refused without being read.
Every package is the demo commune's real 2026 submission, re-signed with its real key
around the records a case needs.

The write lock is held by a second, real connection to the real database file: the
import then ends in one sentence (the service, ``parapp sync import``, the window), a dry
run does not wait at all, a lock released in time is waited for, and a write committed by
another program while a package is being planned makes the import plan it again.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import sqlite3
import string
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sync_support import (
    copy_demo,
    draft_2026_submission,
    dump,
    imported,
    one_sentence,
    store_listing,
)

import db.engine
from db.engine import open_database
from parapp.services import sync_import, sync_keys
from parapp.services.sync_data import MAX_DOCUMENTS
from parapp.sync import keys
from parapp.sync.package import (
    MAX_DATA_ENTRIES,
    MAX_DATA_MARKS,
    MAX_DATA_SIZE,
    MAX_MANIFEST_SIZE,
    entries,
    read_package,
)

ROOT = Path(__file__).resolve().parent.parent
STAMP = (1980, 1, 1, 0, 0, 0)


# -- the demo and forging ----------------------------------------------------------------------
@dataclass
class Demo:
    root: Path  # the demo copy: commune/, appraiser/, usb/
    valid: Path  # the commune's real 2026 submission
    key: keys.SigningKey  # the commune's real signing key
    manifest: dict[str, Any]
    data: dict[str, Any]
    evidence: dict[str, bytes]  # its files, by SHA-256

    def appraiser(self, target: Path) -> Path:
        """A fresh copy of the demo appraiser (database, evidence store, keys)."""
        import shutil

        shutil.copytree(self.root / "appraiser", target,
                        ignore=shutil.ignore_patterns("backups", "logs"))
        return target / "parapp.sqlite3"


@pytest.fixture(scope="module")
def demo(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = copy_demo(demo_db, tmp_path_factory.mktemp("limits") / "demo")
    valid = draft_2026_submission(root)
    own = sync_keys.own_keys(root / "commune" / "parapp.sqlite3")
    opened = read_package(valid, {own.fingerprint: own.signing.public_bytes}, None)
    with zipfile.ZipFile(valid) as archive:
        evidence = {sha: archive.read("evidence/" + sha) for sha in opened.evidence}
    return Demo(root, valid, own.signing, opened.manifest, opened.data, evidence)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).encode("utf-8")


def forged(demo: Demo, out: Path, *, data: Any = None, data_bytes: bytes | None = None,
           manifest: Callable[[dict[str, Any]], None] | None = None,
           files: dict[str, bytes] | None = None) -> Path:
    """The demo's submission with other records (``data`` or ``data_bytes``) and evidence
    (``files``, by SHA-256), listed with their real sizes and hashes and signed with the
    commune's real key: everything verifies but what the case is about."""
    raw = data_bytes if data_bytes is not None else _dumps(demo.data if data is None else data)
    files = demo.evidence if files is None else files
    m = copy.deepcopy(demo.manifest)
    m["package_id"] = str(uuid.uuid4())
    m["files"] = [{"path": "data.json", "size": len(raw),
                   "sha256": hashlib.sha256(raw).hexdigest()}]
    m["files"] += [{"path": "evidence/" + sha, "size": len(content), "sha256": sha}
                   for sha, content in sorted(files.items())]
    if manifest is not None:
        manifest(m)
    signed = _dumps(m)
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("data.json", STAMP), raw, zipfile.ZIP_DEFLATED)
        for sha, content in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo("evidence/" + sha, STAMP), content)
        archive.writestr(zipfile.ZipInfo("manifest.json", STAMP), signed, zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo("manifest.sig", STAMP), demo.key.sign(signed))
    return out


def _letters(rng: random.Random, size: int) -> str:
    """ASCII text (one byte a character) that does not compress: no ZIP bomb."""
    return "".join(rng.choices(string.ascii_letters + " ", k=size))


def at_limits(demo: Demo, *, extra_entries: int = 0, extra_bytes: int = 0) -> bytes:
    """The demo's records with history entries up to ``MAX_DATA_ENTRIES`` (+ extra) and
    its explanations grown to exactly ``MAX_DATA_SIZE`` bytes (+ extra): valid records,
    each text within its own limit, every history entry the commune's own."""
    rng = random.Random(19)
    data = copy.deepcopy(demo.data)
    uuid_ = data["assessment"]["uuid"]
    code = data["scores"][0]["code"]
    room = MAX_DATA_ENTRIES + extra_entries - entries(data, MAX_DATA_ENTRIES * 2)
    data["history"] += [{"at": f"2026-02-{1 + i % 28:02d}T09:{i // 60 % 60:02d}:{i % 60:02d}",
                         "actor": "Cán bộ xã", "entity": "node", "entity_key": code,
                         "assessment_uuid": uuid_, "field": "explanation",
                         "old": f"bản {i}", "new": f"bản {i + 1}", "source": "local"}
                        for i in range(room)]
    assert entries(data, MAX_DATA_ENTRIES * 2) == MAX_DATA_ENTRIES + extra_entries
    target = MAX_DATA_SIZE + extra_bytes
    left = target - len(_dumps(data))  # an ASCII letter adds one byte
    for text in [*data["scores"], *data["history"]]:  # 19,000 more characters at most each
        key = "explanation" if "explanation" in text else "new"
        grow = min(left, 19_000)
        text[key] += _letters(rng, grow)
        left -= grow
    raw = _dumps(data)
    assert len(raw) == target, (len(raw), target)
    return raw


# -- outcomes ------------------------------------------------------------------------------
def _state(db_path: Path) -> tuple[object, ...]:
    folder = db_path.parent
    return (dump(db_path), store_listing(folder / "evidence"),
            store_listing(folder / "backups"))


def refused(db_path: Path, package: Path) -> str:
    """Imported (dry run, then for real): refused, the office as it was; the sentence."""
    before = _state(db_path)
    texts = []
    for dry_run in (True, False):
        db = open_database(db_path)
        try:
            [(_d, _t, outcome)] = list(sync_import.import_packages(db, [package],
                                                                   dry_run=dry_run))
        finally:
            db.close()
        assert outcome.status == "refused", (dry_run, outcome)
        assert _state(db_path) == before, dry_run
        texts.append(one_sentence(outcome.error))
    assert texts[0] == texts[1]
    return texts[0]


# -- the limits ------------------------------------------------------------------------------
def test_a_package_at_every_limit_isimported(demo: Demo, tmp_path: Path) -> None:
    raw = at_limits(demo)
    package = forged(demo, tmp_path / "at-limits.cchc", data_bytes=raw)
    db_path = demo.appraiser(tmp_path / "appraiser")
    outcome = imported(db_path, package)
    assert outcome.status == "applied", outcome.error
    con = sqlite3.connect(db_path)
    try:
        received = con.execute("SELECT COUNT(*) FROM audit_log WHERE source = ?",
                               (f"package:{outcome.plan.package_id}",)).fetchone()[0]  # type: ignore[union-attr]
    finally:
        con.close()
    assert received >= len(json.loads(raw)["history"])  # and the import's own changes


def _documents(demo: Demo, count: int) -> tuple[dict[str, Any], dict[str, bytes]]:
    data = copy.deepcopy(demo.data)
    files = {}
    for i in range(count):
        content = f"Biên bản {i}".encode()
        sha = hashlib.sha256(content).hexdigest()
        files[sha] = content
        data["evidence"].append({"sha256": sha, "filename": f"bb-{i}.txt",
                                 "title": f"Biên bản {i}", "doc_number": "", "doc_date": None,
                                 "size": len(content), "nodes": ["1.1"]})
    return data, {**demo.evidence, **files}


def _values(commas: int) -> bytes:
    """A list of random digits with ``commas`` commas (and one bracket): no ZIP bomb."""
    rng = random.Random(7)
    return b"[" + b",".join(str(rng.randrange(10)).encode() for _ in range(commas + 1)) + b"]"


def _big_manifest(m: dict[str, Any]) -> None:
    """A manifest one byte over its limit (the app_version: any field would do)."""
    m["app_version"] = ""
    m["app_version"] = _letters(random.Random(4), MAX_MANIFEST_SIZE + 1 - len(_dumps(m)))
    assert len(_dumps(m)) == MAX_MANIFEST_SIZE + 1


OVER: dict[str, tuple[Callable[[Demo, Path], Path], str]] = {
    "data.json one byte over": (
        lambda d, p: forged(d, p, data_bytes=at_limits(d, extra_bytes=1)),
        f"larger than {MAX_DATA_SIZE // 1024**2} MB"),
    "one list entry over": (
        lambda d, p: forged(d, p, data_bytes=at_limits(d, extra_entries=1, extra_bytes=-4096)),
        f"more than {MAX_DATA_ENTRIES} entries"),
    "one document over": (
        lambda d, p: forged(d, p, **dict(zip(("data", "files"),
                                             _documents(d, MAX_DOCUMENTS + 1 - 2),
                                             strict=True))),
        f"too many entries ({MAX_DOCUMENTS + 1})"),
    "one comma over": (
        lambda d, p: forged(d, p, data_bytes=_values(MAX_DATA_MARKS)),
        f"more than {MAX_DATA_MARKS} separate values"),
    "manifest one byte over": (
        lambda d, p: forged(d, p, manifest=_big_manifest), "'manifest.json' in the package is "
        "too large"),
}


@pytest.mark.parametrize("case", sorted(OVER))
def test_just_over_a_limit_is_refused_with_one_sentence_and_changes_nothing(
        demo: Demo, tmp_path: Path, case: str) -> None:
    build, phrase = OVER[case]
    assert len(demo.data["evidence"]) == 2  # what "one document over" counts on
    package = build(demo, tmp_path / "over.cchc")
    text = refused(demo.appraiser(tmp_path / "appraiser"), package)
    assert phrase in text, text


def test_the_documents_limit_itself_isimported(demo: Demo, tmp_path: Path) -> None:
    data, files = _documents(demo, MAX_DOCUMENTS - 2)
    assert len(data["evidence"]) == MAX_DOCUMENTS
    package = forged(demo, tmp_path / "documents.cchc", data=data, files=files)
    outcome = imported(demo.appraiser(tmp_path / "appraiser"), package)
    assert outcome.status == "applied", outcome.error


def _sparse_zip(out: Path, demo: Demo, declared: int) -> Path:
    """A package whose data.json is stored and ``declared`` bytes long, written as a hole
    (a sparse file: nothing on the disk, zeros if read); its manifest lists it so, signed."""
    m = copy.deepcopy(demo.manifest)
    m["package_id"] = str(uuid.uuid4())
    m["files"] = [{"path": "data.json", "size": declared, "sha256": "0" * 64}]
    m["files"] += [{"path": "evidence/" + sha, "size": len(c), "sha256": sha}
                   for sha, c in sorted(demo.evidence.items())]
    signed = _dumps(m)
    entries_ = [("data.json", None), *((("evidence/" + sha), c)
                                       for sha, c in sorted(demo.evidence.items())),
                ("manifest.json", signed), ("manifest.sig", demo.key.sign(signed))]
    central = bytearray()
    with out.open("wb") as handle:
        for name, content in entries_:
            offset, encoded = handle.tell(), name.encode()
            size = declared if content is None else len(content)
            crc = 0 if content is None else zlib.crc32(content)
            handle.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, crc, size,
                                     size, len(encoded), 0) + encoded)
            if content is None:
                handle.seek(size, os.SEEK_CUR)  # the hole
            else:
                handle.write(content)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21,
                                   crc, size, size, len(encoded), 0, 0, 0, 0, 0,
                                   offset) + encoded
        start = handle.tell()
        handle.write(bytes(central) + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries_),
                                                  len(entries_), len(central), start, 0))
    return out


def test_a_300_mb_data_json_is_refused_without_being_read(demo: Demo, tmp_path: Path) -> None:
    package = _sparse_zip(tmp_path / "huge.cchc", demo, 300 * 1024**2)
    assert package.stat().st_size > 300 * 1024**2
    db_path = demo.appraiser(tmp_path / "appraiser")
    tracemalloc.start()
    try:
        text = refused(db_path, package)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"larger than {MAX_DATA_SIZE // 1024**2} MB" in text and "without being read" in text
    assert peak < 16 * 1024**2, f"{peak / 1024**2:.0f} MB allocated: the file was read"


def test_a_package_over_the_limits_is_not_written(demo: Demo, tmp_path: Path) -> None:
    """The writer refuses what every reader would: the sender hears it, not the appraiser."""
    from parapp.sync.package import write_package
    from parapp.sync.safety import PackageError

    data = json.loads(at_limits(demo, extra_entries=1, extra_bytes=-4096))
    out = tmp_path / "out" / "nop.cchc"
    with pytest.raises(PackageError) as caught:
        write_package(out, "submission", demo.key, "06172", {"unit_code": "20"}, data,
                      criteria_set=demo.manifest["criteria_set"], period=2026, sequence=99)
    assert "no package was written" in one_sentence(caught.value)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


# -- another program writing -------------------------------------------------------------------
@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections made from now on wait half a second for a lock, not ten."""
    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 500)


@pytest.fixture
def locked() -> Iterator[Callable[[Path], sqlite3.Connection]]:
    """``hold(db_path)``: a second connection to the file that holds its write lock (as a
    program in the middle of a save would) until the test ends or it is rolled back."""
    held: list[sqlite3.Connection] = []

    def hold(db_path: Path) -> sqlite3.Connection:
        con = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO settings (key, value) VALUES ('held-by-test', 'x')")
        held.append(con)
        return con

    yield hold
    for con in held:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.close()


def test_a_writer_keeping_the_lock_ends_the_import_in_one_sentence(
        demo: Demo, tmp_path: Path, short_wait: None,
        locked: Callable[[Path], sqlite3.Connection]) -> None:
    db_path = demo.appraiser(tmp_path / "appraiser")
    before = _state(db_path)
    holder = locked(db_path)
    db = open_database(db_path)
    try:
        # A dry run reads a snapshot: it neither waits nor is refused.
        began = time.monotonic()
        [(_d, _t, planned)] = list(sync_import.import_packages(db, [demo.valid], dry_run=True))
        assert planned.status == "planned" and time.monotonic() - began < 5
        with pytest.raises(sync_import.DatabaseBusy) as caught:
            list(sync_import.import_packages(db, [demo.valid]))
    finally:
        db.close()
    text = one_sentence(caught.value)
    assert text.startswith("Another parapp is writing to this database") and "try again" in text
    holder.execute("ROLLBACK")
    assert _state(db_path)[0] == before[0]
    assert imported(db_path, demo.valid).status == "applied"  # once the other is done


def test_a_lock_released_in_time_is_waited_for(
        demo: Demo, tmp_path: Path, locked: Callable[[Path], sqlite3.Connection]) -> None:
    db_path = demo.appraiser(tmp_path / "appraiser")
    holder = locked(db_path)
    threading.Timer(1.0, lambda: holder.execute("ROLLBACK")).start()
    assert imported(db_path, demo.valid).status == "applied"


def test_a_write_committed_while_a_package_is_planned_makes_it_planned_again(
        demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan is made on a snapshot; a save another program commits meanwhile is kept, and
    the package is checked, planned and applied again holding the lock: once."""
    db_path = demo.appraiser(tmp_path / "appraiser")
    real = sync_import.before_import
    calls: list[int] = []

    def backup_then_a_save(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        con = sqlite3.connect(db_path, isolation_level=None)
        try:
            con.execute("INSERT INTO settings (key, value) VALUES ('saved-meanwhile', 'x')")
        finally:
            con.close()
        return real(*args, **kwargs)

    monkeypatch.setattr(sync_import, "before_import", backup_then_a_save)
    outcome = imported(db_path, demo.valid)
    assert outcome.status == "applied", outcome.error
    assert calls == [1]  # one backup for the batch, not one per attempt
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("SELECT value FROM settings WHERE key = 'saved-meanwhile'"
                           ).fetchone() == ("x",)
        assert con.execute("SELECT COUNT(*) FROM sync_log WHERE package_id = ?",
                           (outcome.plan.package_id,)).fetchone() == (1,)  # type: ignore[union-attr]
    finally:
        con.close()


def test_the_command_line_says_so_in_one_sentence(
        demo: Demo, tmp_path: Path, locked: Callable[[Path], sqlite3.Connection]) -> None:
    """The real ``parapp sync import``, waiting its whole ten seconds for the lock."""
    db_path = demo.appraiser(tmp_path / "appraiser")
    before = dump(db_path)
    holder = locked(db_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARAPP_LANG": "en"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ui.launcher", "--db", str(db_path),
                               "sync", "import", str(demo.valid), *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    dry = cli("--dry-run")
    assert dry.returncode == 0 and "would import" in dry.stdout, dry
    done = cli()
    assert done.returncode == 1, done
    err = done.stderr.strip()
    assert err.startswith("Another parapp is writing to this database") and err.endswith("."), err
    assert "unexpected" not in err and "locked" not in err and "Traceback" not in err
    assert "\n" not in err
    holder.execute("ROLLBACK")
    assert dump(db_path) == before
