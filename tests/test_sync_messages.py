"""Messages that name the right thing (issue 19, part 6): each case is built here, run
through the real services or the real command line, and must give one sentence of its own
(translated into Vietnamese) and, for a refused package, an unchanged database.

A full disk is a real one: a small tmpfs mounted for the test (root only; skipped
otherwise), filled to the size each case needs.
"""

from __future__ import annotations

import copy
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_support import copy_demo, draft_2026_submission, dump, one_sentence

from db.engine import open_database
from parapp.domain.errors import DomainError
from parapp.services import sync_export, sync_import, sync_keys
from parapp.sync.package import read_package, validate_manifest
from parapp.sync.safety import PackageError

ROOT = Path(__file__).resolve().parent.parent


# -- the demo, a valid package, and forging --------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the demo copy, the commune's real 2026 submission)."""
    root = copy_demo(demo_db, tmp_path_factory.mktemp("messages") / "demo")
    return root, draft_2026_submission(root)


def _appraiser(demo: tuple[Path, Path], target: Path) -> Path:
    shutil.copytree(demo[0] / "appraiser", target, ignore=shutil.ignore_patterns("backups",
                                                                                 "logs"))
    return target / "parapp.sqlite3"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).encode("utf-8")


def _forged(demo: tuple[Path, Path], out: Path, *, data_bytes: bytes | None = None,
            manifest: Callable[[dict[str, Any]], None] | None = None) -> Path:
    """The valid package re-signed with the commune's real key, with ``data_bytes`` as its
    data.json (listed with its real hash) and ``manifest`` applied to its manifest."""
    root, valid = demo
    own = sync_keys.own_keys(root / "commune" / "parapp.sqlite3")
    with zipfile.ZipFile(valid) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    m = json.loads(entries["manifest.json"])
    m["package_id"] = str(uuid.uuid4())
    if data_bytes is not None:
        entries["data.json"] = data_bytes
        for entry in m["files"]:
            if entry["path"] == "data.json":
                entry.update(size=len(data_bytes), sha256=hashlib.sha256(data_bytes).hexdigest())
    if manifest is not None:
        manifest(m)
    entries["manifest.json"] = _dumps(m)
    entries["manifest.sig"] = own.signing.sign(entries["manifest.json"])
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            method = zipfile.ZIP_STORED if name.startswith("evidence/") else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), content, method)
    return out


# -- checking an outcome ---------------------------------------------------------------------
def _refused(db_path: Path, sources: list[Path], *,
             runs: tuple[bool, ...] = (True, False)) -> list[sync_import.Outcome]:
    """Import (dry run, then for real): every outcome refused, the database unchanged."""
    before = dump(db_path)
    outcomes = []
    for dry_run in runs:
        db = open_database(db_path)
        try:
            outcomes = [o for _d, _t, o in sync_import.import_packages(db, sources,
                                                                      dry_run=dry_run)]
        finally:
            db.close()
        assert [o.status for o in outcomes] == ["refused"] * len(outcomes), outcomes
        assert dump(db_path) == before
    return outcomes


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARAPP_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "ui.launcher", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


# -- a small disk --------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str, int], Path]]:
    """``mount(name, megabytes)``: an empty tmpfs of that size (unmounted afterwards)."""
    mounted: list[Path] = []

    def mount(name: str, megabytes: int) -> Path:
        point = tmp_path / name
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs",
                               str(point)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("a small disk needs root (mount -t tmpfs)")
        mounted.append(point)
        return point

    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("a small disk needs root on Linux (mount -t tmpfs)")
    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the disk of ``folder`` until ``leave`` bytes are free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with (folder / "filler.bin").open("wb") as handle:
        left = free - leave
        while left > 0:
            try:
                left -= handle.write(b"\0" * min(left, 1 << 20))
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                break


# -- the cases -------------------------------------------------------------------------------
def test_export_to_a_full_stick_names_the_stick(demo: tuple[Path, Path], tmp_path: Path,
                                                small_disk: Callable[[str, int], Path]) -> None:
    shutil.copytree(demo[0] / "commune", tmp_path / "commune",
                    ignore=shutil.ignore_patterns("backups", "logs"))
    db_path = tmp_path / "commune" / "parapp.sqlite3"
    stick = small_disk("stick", 1)
    _fill(stick, 0)
    for extra in ((), ("--encrypt",)):
        before = set(p.name for p in stick.iterdir())
        done = _cli("--db", str(db_path), "sync", "export", "--kind", "submission",
                    "--year", "2026", "--out", str(stick), *extra)
        assert done.returncode == 1, done
        err = done.stderr.strip()
        assert err.startswith(f"There is no space left on {stick},"), err
        assert "data folder" not in err and str(tmp_path / "commune") not in err
        assert err.count(". ") == 0 and err.endswith("."), err
        assert set(p.name for p in stick.iterdir()) == before  # no half-written file
    # The service's own error, for the sentence and its Vietnamese.
    db = open_database(db_path)
    try:
        with pytest.raises(DomainError) as caught:
            sync_export.export(db, "submission", stick, year=2026)
    finally:
        db.close()
    assert str(stick) in one_sentence(caught.value)
    # Room for the signed package but not for its encrypted copy: nothing is left on the
    # stick (no unencrypted package when encryption was asked for).
    (tmp_path / "probe").mkdir()
    probe = _cli("--db", str(db_path), "sync", "export", "--kind", "submission", "--year",
                 "2026", "--out", str(tmp_path / "probe"))
    assert probe.returncode == 0, probe
    [written] = (tmp_path / "probe").iterdir()
    pages = -(-written.stat().st_size // 4096)
    (stick / "filler.bin").unlink()
    _fill(stick, pages * 4096)
    done = _cli("--db", str(db_path), "sync", "export", "--kind", "submission", "--year", "2026",
                "--out", str(stick), "--encrypt")
    assert done.returncode == 1 and done.stderr.startswith(f"There is no space left on {stick},")
    assert [p.name for p in stick.iterdir()] == ["filler.bin"]


def test_import_into_a_full_data_folder_says_the_data_folder_is_full(
        demo: tuple[Path, Path], small_disk: Callable[[str, int], Path]) -> None:
    """Two moments: no room at all (the evidence copy fails), and room for the package's
    evidence but not for the before-import backup."""
    _root, valid = demo
    for name, leave in (("nothing-left", 0), ("no-room-for-backup", None)):
        disk = small_disk(name, 8)
        db_path = _appraiser(demo, disk / "appraiser")
        # An office's database is open when its disk fills: its WAL files exist (reading a
        # WAL database needs them, and they cannot be made on a full disk).
        keep = sqlite3.connect(db_path)
        keep.execute("SELECT count(*) FROM sqlite_master").fetchone()
        try:
            _fill(disk, db_path.stat().st_size // 2 if leave is None else leave)
            # (A dry run writes nothing: it is planned as usual.)
            [outcome] = _refused(db_path, [valid], runs=(False,))
        finally:
            keep.close()
        text = one_sentence(outcome.error)
        assert text.startswith(f"There is no space left in the data folder {db_path.parent},"), (
            name, text)
        assert "damaged" not in text and "cannot be read" not in text
        assert not list(disk.glob("appraiser/tmp/*"))
        assert not list(disk.glob("appraiser/backups/*.sqlite3"))


def test_a_folder_without_a_package_says_so(demo: tuple[Path, Path], tmp_path: Path) -> None:
    db_path = _appraiser(demo, tmp_path / "appraiser")
    empty = tmp_path / "usb"
    empty.mkdir()
    (empty / "ghi-chu.txt").write_text("not a package", encoding="utf-8")
    [outcome] = _refused(db_path, [empty])
    assert str(empty) in one_sentence(outcome.error)
    done = _cli("--db", str(db_path), "sync", "import", str(empty))
    assert done.returncode == 1 and "There is no package (.cchc file)" in done.stderr, done
    # Beside a real package, the empty folder is reported and the package still imported.
    both = _cli("--db", str(db_path), "sync", "import", str(empty), str(demo[1]))
    assert both.returncode == 1 and "imported" in both.stdout, both


def test_hashes_and_fingerprints_with_a_trailing_newline_are_refused(
        demo: tuple[Path, Path], tmp_path: Path) -> None:
    db_path = _appraiser(demo, tmp_path / "appraiser")

    def sha_newline(m: dict[str, Any]) -> None:
        m["files"][0]["sha256"] += "\n"

    def fingerprint_newline(m: dict[str, Any]) -> None:
        m["sender"]["key_fingerprint"] += "\n"

    cases = {"bad file entry": sha_newline, "bad sender": fingerprint_newline}
    for n, (phrase, change) in enumerate(cases.items()):
        package = _forged(demo, tmp_path / f"newline-{n}.cchc", manifest=change)
        [outcome] = _refused(db_path, [package])
        assert phrase in one_sentence(outcome.error)
        manifest = json.loads(zipfile.ZipFile(demo[1]).read("manifest.json"))
        change(manifest)
        with pytest.raises(PackageError):
            validate_manifest(manifest)


def test_a_file_name_with_a_newline_is_one_line_of_the_refusal_log(
        demo: tuple[Path, Path], tmp_path: Path) -> None:
    db_path = _appraiser(demo, tmp_path / "appraiser")
    usb = tmp_path / "usb"
    usb.mkdir()
    odd = usb / "nop\n2026\tcopy.cchc"
    odd.write_bytes(b"not a package at all\n" * 10)
    [outcome] = _refused(db_path, [usb])
    one_sentence(outcome.error)
    log = (db_path.parent / "logs" / "sync-import.log").read_text(encoding="utf-8")
    lines = log.splitlines()
    assert len(lines) == 2, lines  # one per run (dry run and real)
    assert all("nop\\n2026\\tcopy.cchc" in line and line.count("\t") == 3 for line in lines)


def test_deeply_nested_data_is_a_sentence_not_a_recursion_error(
        demo: tuple[Path, Path], tmp_path: Path) -> None:
    db_path = _appraiser(demo, tmp_path / "appraiser")
    deep = b"[" * 200_000 + b"]" * 200_000
    nested = {"data.json": _forged(demo, tmp_path / "deep-data.cchc", data_bytes=deep)}
    for name, package in nested.items():
        [outcome] = _refused(db_path, [package])
        text = one_sentence(outcome.error)
        assert "nested too deeply" in text and "Recursion" not in text, (name, text)
    with pytest.raises(PackageError, match="nested too deeply"):
        _read_manifest_of(tmp_path, b"[" * 200_000)


def _read_manifest_of(tmp_path: Path, manifest: bytes) -> None:
    out = tmp_path / "deep-manifest.cchc"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", manifest, zipfile.ZIP_DEFLATED)
    read_package(out, {}, None)


@pytest.mark.parametrize("where", ["before", "after", "comment"])
def test_bytes_around_a_package_are_refused(demo: tuple[Path, Path], tmp_path: Path,
                                            where: str) -> None:
    """The file on the stick must be the file on the transfer slip: its SHA-256 is."""
    db_path = _appraiser(demo, tmp_path / "appraiser")
    raw = demo[1].read_bytes()
    package = tmp_path / f"{where}.cchc"
    if where == "comment":
        shutil.copyfile(demo[1], package)
        with zipfile.ZipFile(package, "a") as archive:
            archive.comment = b"appended after signing"
    else:
        garbage = b"MZ\x90\x00 not part of the package " * 40
        package.write_bytes(garbage + raw if where == "before" else raw + garbage)
    with zipfile.ZipFile(package) as archive:  # ZIP readers would take it as it is
        assert archive.testzip() is None
    [outcome] = _refused(db_path, [package])
    assert "bytes before or after the package" in one_sentence(outcome.error)
    # The untouched file is applied (the refusal is for the bytes around it).
    db = open_database(db_path)
    try:
        [(_d, _t, fine)] = list(sync_import.import_packages(db, [demo[1]]))
    finally:
        db.close()
    assert fine.status == "applied", fine


def test_the_valid_manifest_still_validates(demo: tuple[Path, Path]) -> None:
    manifest = json.loads(zipfile.ZipFile(demo[1]).read("manifest.json"))
    validate_manifest(copy.deepcopy(manifest))
    assert manifest["format_version"] == 2 and manifest["sequence"] >= 1
