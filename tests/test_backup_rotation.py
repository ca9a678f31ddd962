"""Automatic backups, rotation, full backups with evidence, and moving to a new computer."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from db.backup import BackupInfo, list_backups, make_backup
from db.engine import open_database
from db.location import DataPaths
from parapp.domain.units import Unit, UnitKind
from parapp.services import assessments, autobackup, backup_files, backups, criteria, evidence
from parapp.services.assessments import SelfEntry
from parapp.services.common import ServiceError
from parapp.services.rotation import prune, to_keep
from parapp.services.setup import init_database, set_setting

T0 = datetime(2026, 3, 2, 9, 0, 0)  # a Monday


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: sorted(map(tuple, con.execute(f'SELECT * FROM "{t}"')), key=repr) for t in tables
        }
    finally:
        con.close()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office" / "parapp.sqlite3"
    init_database(path, Unit("00004", "Xã Hoàng Việt", UnitKind.COMMUNE))
    db = open_database(path)
    try:
        criteria.import_set(db, criteria.sample_set())
        assessments.new_assessment(db, 2025)
        for i in range(3):
            doc = tmp_path / f"doc-{i}.txt"
            doc.write_text(f"Quyết định số {i}/QĐ-UBND", encoding="utf-8")
            evidence.add_evidence(db, doc, node_codes=["1.1.1"], title=f"Quyết định {i}")
    finally:
        db.close()
    return path


def edit(path: Path, value: str) -> None:
    db = open_database(path)
    try:
        info = assessments.get_info(db, 2025)
        assessments.set_self_scores(db, info.id, [SelfEntry("2.4", typed=Decimal(value))])
    finally:
        db.close()


def add_evidence(path: Path, tmp: Path, text: str) -> None:
    doc = tmp / f"{abs(hash(text))}.txt"
    doc.write_text(text, encoding="utf-8")
    db = open_database(path)
    try:
        evidence.add_evidence(db, doc, node_codes=["1.1.1"], title=text)
    finally:
        db.close()


# -- automatic backups ---------------------------------------------------------------------


def test_auto_backup_only_when_changed_and_at_most_every_30_minutes(office: Path) -> None:
    first = autobackup.maybe_backup(office, now=T0)
    assert first is not None and first.reason == "auto" and first.kind == "routine"
    edit(office, "1.5")
    assert autobackup.maybe_backup(office, now=T0 + timedelta(minutes=29)) is None  # too soon
    second = autobackup.maybe_backup(office, now=T0 + timedelta(minutes=31))
    assert second is not None and second.path != first.path
    assert rows(second.path)["node_scores"] != rows(first.path)["node_scores"]
    # nothing changed since: no backup, however long we wait
    assert autobackup.maybe_backup(office, now=T0 + timedelta(hours=5)) is None
    # reading (the GUI opening every screen) is not a change
    db = open_database(office)
    try:
        assessments.view(db, 2025)
    finally:
        db.close()
    assert autobackup.maybe_backup(office, now=T0 + timedelta(hours=6)) is None
    assert len(list_backups(DataPaths(office).backups)) == 2


def test_exit_backup_ignores_the_interval_but_not_the_change_check(office: Path) -> None:
    autobackup.maybe_backup(office, now=T0)
    assert autobackup.maybe_backup(office, now=T0 + timedelta(minutes=1), at_exit=True) is None
    edit(office, "1.25")
    made = autobackup.maybe_backup(office, now=T0 + timedelta(minutes=2), at_exit=True)
    assert made is not None and made.reason == "exit"


def test_database_only_backup_counts_as_the_last_backup(office: Path) -> None:
    """A before-import backup of the same data makes an automatic one unnecessary."""
    backups.before_import(office)
    assert not autobackup.changed_since_last_backup(office)
    assert autobackup.maybe_backup(office, now=datetime.now() + timedelta(hours=1)) is None
    edit(office, "1.75")
    assert autobackup.changed_since_last_backup(office)


def test_a_backup_dated_in_the_future_does_not_block_backups(office: Path) -> None:
    """A PC whose clock was years ahead once (a dead CMOS battery, then fixed)."""
    make_backup(office, DataPaths(office).backups, "auto", now=T0 + timedelta(days=400))
    edit(office, "1.5")
    made = autobackup.maybe_backup(office, now=T0)
    assert made is not None and made.created == T0


def test_routine_backups_copy_only_new_files(office: Path, tmp_path: Path) -> None:
    first = backups.make_with_files(office, now=T0)
    assert first.files_total == 3 and first.files_copied == 3
    add_evidence(office, tmp_path, "Báo cáo mới")
    second = backups.make_with_files(office, now=T0 + timedelta(hours=1))
    assert second.files_total == 4 and second.files_copied == 1
    mirror = DataPaths(office).backups / backup_files.FILES_DIR
    assert len(backup_files.store_files(mirror)) == 4
    manifest = backup_files.read_manifest(second.info.manifest)
    assert manifest is not None and manifest["counts"] == {
        "assessments": 1, "evidence": 4, "issued_documents": 0,
    }


# -- rotation ------------------------------------------------------------------------------


def _fake(folder: Path, when: datetime, reason: str = "auto") -> BackupInfo:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"parapp-{when:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    path.write_bytes(b"")
    return BackupInfo(path, when, reason, 0)


def test_rotation_keeps_12_daily_10_weekly_9_monthly(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    now = T0 + timedelta(days=400)
    made = []
    for day in range(400):  # four backups a day for 400 days
        for hour in (8, 11, 14, 17):
            made.append(_fake(folder, T0 + timedelta(days=day, hours=hour - 9)))
    listed = list_backups(folder)
    keep = to_keep(listed, now)
    kept = sorted((b for b in listed if b.path in keep), key=lambda b: b.created, reverse=True)
    days = {b.created.date() for b in kept}
    # the newest of each of the last 12 days, of 10 weeks, of 9 months — overlapping
    older = [b for b in kept if now - b.created >= timedelta(hours=24)]
    assert all(b.created.hour == 17 for b in older)  # only the newest of each day
    newest_days = sorted({b.created.date() for b in listed}, reverse=True)[:12]
    assert set(newest_days) <= days
    weeks = {b.created.isocalendar()[:2] for b in kept}
    months = {(b.created.year, b.created.month) for b in kept}
    assert len(weeks) >= 10 and len(months) == 9
    assert len(kept) <= 12 + 10 + 9
    deleted = prune(folder, now)
    assert {p for p in deleted} == {b.path for b in listed} - keep
    assert {b.path for b in list_backups(folder)} == keep


def test_rotation_protects_recent_and_risky_backups(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    now = T0
    today = [_fake(folder, now - timedelta(hours=h), "auto") for h in range(1, 20)]
    restore = _fake(folder, now - timedelta(days=20, hours=1), "before-restore")
    migration = _fake(folder, now - timedelta(days=29, hours=2), "before-migration")
    old_restore = _fake(folder, now - timedelta(days=31, hours=3), "before-restore")
    imports = _fake(folder, now - timedelta(days=2, hours=8), "before-import")
    # enough newer days to push the older ones out of the daily bucket
    for d in range(1, 40):
        _fake(folder, now - timedelta(days=d, hours=6), "auto")
    prune(folder, now)
    left = {b.path for b in list_backups(folder)}
    assert {b.path for b in today} <= left  # the last 24 hours, all of them
    assert restore.path in left and migration.path in left
    assert old_restore.path not in left  # past 30 days and not a bucket's newest
    assert imports.path not in left  # older than 24 h and not the newest of its day


def test_rotation_deletes_the_manifest_but_never_the_files_mirror(office: Path) -> None:
    old = backups.make_with_files(office, "auto", now=T0 - timedelta(days=3, hours=1))
    edit(office, "1.5")
    newer = backups.make_with_files(office, "auto", now=T0 - timedelta(days=3))  # same day
    prune(DataPaths(office).backups, T0)
    assert not old.info.path.exists() and not old.info.manifest.exists()
    assert newer.info.path.exists() and newer.info.manifest.exists()
    mirror = DataPaths(office).backups / backup_files.FILES_DIR
    assert len(backup_files.store_files(mirror)) == 3


# -- restore with files --------------------------------------------------------------------


def test_restore_puts_back_lost_evidence(office: Path) -> None:
    made = backups.make_with_files(office)
    shutil.rmtree(office.parent / "evidence")  # someone "tidied up" the data folder
    edit(office, "0.25")
    report = backups.restore_with_files(office, made.info.path.name)
    assert report.files_copied == 3 and report.missing == ()
    assert len(backup_files.store_files(office.parent)) == 3
    assert rows(office)["evidence"] == rows(made.info.path)["evidence"]


def test_restore_refuses_an_incomplete_backup_and_changes_nothing(
    office: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()  # the stick is plugged in
    made = backups.make_with_files(office, to=stick, full=True)
    victim = next((stick / backup_files.FILES_DIR / "evidence").rglob("*"))
    while victim.is_dir():
        victim = next(victim.iterdir())
    victim.write_bytes(b"bit rot")
    fresh = tmp_path / "new-pc" / "parapp.sqlite3"
    with pytest.raises(ServiceError) as err:
        backups.restore_with_files(fresh, str(stick))
    assert "incomplete" in str(err.value)
    assert not fresh.exists()
    assert made.info.kind == "full"


def test_full_backup_detects_a_changed_database_file(office: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    made = backups.make_with_files(office, to=stick, full=True)
    con = sqlite3.connect(made.info.path)  # a valid database, but not what was written
    con.execute("INSERT INTO settings (key, value) VALUES ('tampered', 'yes')")
    con.commit()
    con.close()
    before = rows(office)
    with pytest.raises(ServiceError) as err:
        backups.restore_with_files(office, str(made.info.path))
    assert "changed since it was written" in str(err.value)
    assert rows(office) == before


def test_describe_shows_date_and_contents(office: Path) -> None:
    made = backups.make_with_files(office, now=T0)
    summary = backups.describe(made.info.path)
    assert summary.info.created == T0 and summary.info.kind == "routine"
    assert summary.counts == {"assessments": 1, "evidence": 3, "issued_documents": 0}
    assert summary.files == 3


# -- moving to a new computer (the whole office, from the demo) -----------------------------


@pytest.fixture(scope="module")
def demo_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from parapp.services.demo import build_demo

    paths = dict(build_demo(tmp_path_factory.mktemp("demo") / "demo"))
    return paths["commune-db"]


def test_usb_backup_restores_everything_on_a_new_computer(
    demo_office: Path, tmp_path: Path
) -> None:
    office = tmp_path / "old-pc" / "parapp.sqlite3"
    shutil.copytree(demo_office.parent, office.parent)
    set_db = open_database(office)
    try:
        set_setting(set_db, "clerk", "Nguyễn Thị Hoa")
    finally:
        set_db.close()
    stick = tmp_path / "usb"
    stick.mkdir()
    report = backups.make_with_files(office, to=stick, full=True)
    assert report.files_total == len(backup_files.store_files(office.parent)) > 0
    assert report.counts["issued_documents"] >= 1 and report.counts["evidence"] >= 10

    new_pc = tmp_path / "new-pc" / "parapp.sqlite3"
    restored = backups.restore_with_files(new_pc, str(stick))
    assert restored.fresh and restored.missing == ()
    assert rows(new_pc) == rows(office)  # every assessment, score, plan, document row
    old_files = {f.rel: f.sha256 for f in backup_files.store_files(office.parent)}
    new_files = {f.rel: f.sha256 for f in backup_files.store_files(new_pc.parent)}
    assert new_files == old_files
    for rel, sha in new_files.items():  # and every byte of them
        assert backup_files.hash_file(new_pc.parent / rel) == sha
    db = open_database(new_pc)
    try:
        from parapp.services import issuing

        view = assessments.view(db)
        assert view.info.unit_name == "Xã Hoàng Văn Thụ"
        con = sqlite3.connect(new_pc)
        shas = [r[0] for r in con.execute("SELECT sha256 FROM issued_documents")]
        con.close()
        assert shas and all(issuing.store_path(db, sha).is_file() for sha in shas)
    finally:
        db.close()
