"""A full disk (a tiny tmpfs) and a read-only data folder (a read-only mount: the tests run
as root, whom chmod does not stop) give a clear message and lose nothing."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from db.backup import list_backups
from db.engine import open_database
from db.location import DataPaths
from parapp.domain.criteria import ScoreKind
from parapp.domain.units import Unit, UnitKind
from parapp.services import assessments, backups, criteria, storage
from parapp.services.assessments import SelfEntry
from parapp.services.common import ServiceError
from parapp.services.setup import init_database


def _mount(target: Path, options: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip() or result.returncode}")


def _remount(target: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(target)], check=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "disk"
    _mount(target, "size=4m")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def dump(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def _office(folder: Path) -> Path:
    path = folder / "office" / "parapp.sqlite3"
    init_database(path, Unit("00004", "Xã Hoàng Việt", UnitKind.COMMUNE))
    db = open_database(path)
    try:
        criteria.import_set(db, criteria.sample_set())
        assessments.new_assessment(db, 2025)
    finally:
        db.close()
    return path


def _fill(folder: Path) -> Path:
    """Fill the disk to the last byte."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as handle:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while handle.write(b"\0" * size):
                    pass
    return filler


def _save(path: Path) -> None:
    db = open_database(path)
    try:
        info = assessments.get_info(db, 2025)
        leaves = [n for n in criteria.get_set(db).leaves() if ScoreKind.SELF in n.score_kinds]
        entries = [
            SelfEntry(node.code, explanation="Giải trình rất dài " * 200) for node in leaves[:8]
        ]
        entries.append(SelfEntry("2.4", typed=Decimal("1.5")))
        assessments.set_self_scores(db, info.id, entries)
    finally:
        db.close()


# -- a full disk -------------------------------------------------------------------------


def test_save_on_a_full_disk_is_refused_clearly_and_loses_nothing(disk: Path) -> None:
    path = _office(disk)
    before = dump(path)
    filler = _fill(disk)
    with pytest.raises(Exception) as err:
        _save(path)
    clear = storage.explain(err.value, path.parent)
    assert clear is not None, f"not recognised as a full disk: {err.value!r}"
    assert "The disk is full" in str(clear) and "Nothing was changed" in str(clear)
    filler.unlink()
    assert dump(path) == before
    _save(path)  # with space again, the same save works
    assert dump(path) != before


def test_backup_on_a_full_disk_says_so_and_leaves_no_half_backup(disk: Path) -> None:
    path = _office(disk)
    before = dump(path)
    filler = _fill(disk)
    for make in (lambda: backups.make(path), lambda: backups.make_with_files(path)):
        with pytest.raises(ServiceError) as err:
            make()
        assert "The disk is full" in str(err.value), str(err.value)
    assert list_backups(DataPaths(path).backups) == []
    assert not list(DataPaths(path).backups.glob("*.partial"))
    filler.unlink()
    assert dump(path) == before
    assert backups.make(path).path.is_file()


def test_import_on_a_full_disk_changes_nothing(disk: Path, tmp_path: Path) -> None:
    from parapp.services.demo import _scores_csv
    from parapp.services.scores_import import import_scores

    path = _office(disk)
    db = open_database(path)
    try:
        scores = tmp_path / "scores.csv"
        scores.write_bytes(_scores_csv(criteria.get_set(db), 2025))
    finally:
        db.close()
    before = dump(path)
    db = open_database(path)  # open, as in the GUI, before the disk fills up
    try:
        filler = _fill(disk)
        with pytest.raises(Exception) as err:
            import_scores(db, scores, 2025)
    finally:
        db.close()
    clear = err.value if isinstance(err.value, ServiceError) else storage.explain(
        err.value, path.parent
    )
    assert clear is not None and "The disk is full" in str(clear)
    filler.unlink()
    assert dump(path) == before


def test_a_full_usb_stick_is_reported_and_the_data_untouched(
    disk: Path, tmp_path: Path
) -> None:
    path = _office(tmp_path / "pc")
    before = dump(path)
    (disk / "backup").mkdir()  # the stick's folder is there; then the stick fills up
    _fill(disk)
    with pytest.raises(ServiceError) as err:
        backups.make_with_files(path, to=disk / "backup", full=True)
    assert "The disk is full" in str(err.value)
    assert dump(path) == before
    assert list_backups(disk / "backup") == []


# -- a read-only data folder ----------------------------------------------------------------


def test_read_only_data_folder(disk: Path) -> None:
    path = _office(disk)
    made = backups.make(path)
    before = dump(path)
    _remount(disk, "ro")
    try:
        with pytest.raises(ServiceError) as err:
            storage.check_writable(path)
        assert "The data folder is read-only" in str(err.value)
        assert str(path.parent) in str(err.value)

        with pytest.raises(Exception) as err2:
            _save(path)
        clear = storage.explain(err2.value, path.parent)
        assert clear is not None and "The data folder is read-only" in str(clear)

        with pytest.raises(ServiceError) as err3:
            backups.make(path)
        assert "read-only" in str(err3.value)
        with pytest.raises(ServiceError) as err4:
            backups.restore(path, made.path.name)
        assert "read-only" in str(err4.value)
    finally:
        _remount(disk, "rw")
    assert dump(path) == before
    assert [b.path for b in list_backups(DataPaths(path).backups)] == [made.path]


def test_the_command_line_says_read_only_in_one_sentence(disk: Path) -> None:
    import os
    import sys

    path = _office(disk)
    before = dump(path)
    _remount(disk, "ro")
    try:
        env = {**os.environ, "PARAPP_LANG": "en", "PARAPP_DATA_DIR": str(disk)}
        proc = subprocess.run(
            [sys.executable, "-m", "ui.launcher", "--db", str(path), "assessment", "new",
             "--period", "2026"],
            cwd=Path(__file__).resolve().parents[1], env=env, capture_output=True,
            encoding="utf-8", timeout=120,
        )
    finally:
        _remount(disk, "rw")
    assert proc.returncode == 1, proc.stderr
    assert "The data folder is read-only" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert dump(path) == before


def test_explain_leaves_other_errors_alone(tmp_path: Path) -> None:
    assert storage.explain(ValueError("x"), tmp_path) is None
    assert storage.explain(OSError(errno.ENOENT, "gone"), tmp_path) is None
    assert storage.explain(sqlite3.IntegrityError("UNIQUE constraint failed"), tmp_path) is None
    full = storage.explain(OSError(errno.ENOSPC, "No space left on device"), tmp_path)
    assert full is not None and "The disk is full" in str(full)
