"""Backups on real SQLite files: make, list, restore, and refusing damaged or foreign ones."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from db.backup import BackupError, check_backup, list_backups, make_backup, restore_backup
from db.engine import Database, open_database
from db.location import DataPaths
from db.migrate import upgrade
from db.schema import HEAD, REVISIONS, read_revision
from parapp.domain.scoring import Answer, Declared
from parapp.domain.units import Unit, UnitKind
from parapp.services import assessments, backups, criteria
from parapp.services.assessments import SelfEntry
from parapp.services.common import ServiceError
from parapp.services.setup import get_setting, init_database, set_setting

UNIT = Unit("00004", "Xã Hoàng Việt", UnitKind.COMMUNE)
D = Decimal
T0 = datetime(2026, 3, 1, 9, 30, 0)


def dump(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return ", ".join(str(r[0]) for r in con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def backups_dir(db_path: Path) -> Path:
    return DataPaths(db_path).backups


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """An office database with the sample set and a scored draft assessment."""
    path = tmp_path / "office" / "parapp.sqlite3"
    init_database(path, UNIT)
    db = open_database(path)
    try:
        criteria.import_set(db, criteria.sample_set())
        info = assessments.new_assessment(db, 2025)
        assessments.set_self_scores(
            db,
            info.id,
            [
                SelfEntry("1.1.1", declared=Declared(answer=Answer.YES)),
                SelfEntry("1.6.2", declared=Declared(tier="tot")),
                SelfEntry("2.4", typed=D("1.75"), explanation="Tự đánh giá"),
            ],
        )
        set_setting(db, "role", "commune")
    finally:
        db.close()
    return path


def change_data(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        info = assessments.get_info(db, 2025)
        assessments.set_self_scores(
            db, info.id, [SelfEntry("2.4", typed=D("0.5"), explanation="Đã sửa")]
        )
        set_setting(db, "role", "appraiser")
    finally:
        db.close()


# -- make, list, restore ----------------------------------------------------------------


def test_make_list_restore_round_trip(db_path: Path) -> None:
    original = dump(db_path)
    made = backups.make(db_path)
    assert made.reason == "manual"
    assert made.path.parent == backups_dir(db_path)
    assert made.path.is_file() and made.size == made.path.stat().st_size
    listed = backups.available(db_path)
    assert [b.path for b in listed] == [made.path]
    assert listed[0].reason == "manual"
    assert listed[0].created == made.created
    assert made.created.strftime("%Y%m%d-%H%M%S") in made.path.name
    assert dump(made.path) == original

    change_data(db_path)
    changed = dump(db_path)
    assert changed != original

    kept = backups.restore(db_path, made.path.name)
    assert dump(db_path) == original
    assert integrity(db_path) == "ok"
    assert read_revision(db_path) == HEAD
    assert kept.reason == "before-restore"
    assert dump(kept.path) == changed
    reasons = {b.path: b.reason for b in backups.available(db_path)}
    assert reasons == {made.path: "manual", kept.path: "before-restore"}

    # The database still works as a database (WAL, services) after the restore.
    db = open_database(db_path)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert get_setting(db, "role") == "commune"
        assert assessments.view(db, 2025).scores["2.4"].self_score == D("1.75")
    finally:
        db.close()

    # The replaced state, kept as a backup, restores correctly too (by path this time).
    kept_again = backups.restore(db_path, str(kept.path))
    assert dump(db_path) == changed
    assert dump(kept_again.path) == original
    assert integrity(db_path) == "ok"
    assert not list(db_path.parent.glob("*.restore-tmp"))


def test_list_is_newest_first_with_reasons(db_path: Path) -> None:
    folder = backups_dir(db_path)
    made = [
        make_backup(db_path, folder, "before-migration", now=T0),
        make_backup(db_path, folder, "manual", now=T0 + timedelta(minutes=5)),
        make_backup(db_path, folder, "before-import", now=T0 + timedelta(days=1)),
        make_backup(db_path, folder, "before-restore", now=T0 + timedelta(days=40)),
    ]
    (folder / "notes.txt").write_text("not a backup")
    (folder / "parapp-latest.sqlite3").write_bytes(b"")  # not a backup name either
    listed = list_backups(folder)
    assert [b.path for b in listed] == [b.path for b in reversed(made)]
    assert [b.reason for b in listed] == [
        "before-restore",
        "before-import",
        "manual",
        "before-migration",
    ]
    assert [b.created for b in listed] == [b.created for b in reversed(made)]
    assert listed[-1].created == T0
    assert not list(folder.glob("*.partial"))


def test_list_is_newest_first_within_one_second(db_path: Path) -> None:
    """Backups made in the same second (a restore right after a manual backup, several
    imports in a row) must still be listed newest first."""
    folder = backups_dir(db_path)
    made = [make_backup(db_path, folder, "manual", now=T0) for _ in range(3)]
    made.append(make_backup(db_path, folder, "before-restore", now=T0))
    assert len({b.path for b in made}) == 4
    listed = [b.path.name for b in list_backups(folder)]
    assert listed == [b.path.name for b in reversed(made)]


def test_list_without_backups(tmp_path: Path) -> None:
    assert list_backups(tmp_path / "nothing-here") == []


def test_bad_reason_is_refused(db_path: Path) -> None:
    with pytest.raises(ValueError):
        make_backup(db_path, backups_dir(db_path), "../escape")
    assert not backups_dir(db_path).exists() or not list(backups_dir(db_path).iterdir())


def test_make_without_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ServiceError):
        backups.make(tmp_path / "absent.sqlite3")
    assert not (tmp_path / "absent.sqlite3").exists()


# -- the backup file is a database of its own -------------------------------------------


def test_backup_is_a_standalone_file(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    try:
        # Changes still in the WAL (no checkpoint yet: the database is open) must be in it.
        set_setting(db, "pending", "only-in-the-wal")
        expected = dump(db_path)
        made = backups.make(db_path)
    finally:
        db.close()
    folder = backups_dir(db_path)
    assert sorted(p.name for p in folder.iterdir()) == [made.path.name]  # no -wal, -shm

    elsewhere = tmp_path / "usb-stick"
    elsewhere.mkdir()
    copy = elsewhere / made.path.name
    shutil.copyfile(made.path, copy)  # the .sqlite3 file alone
    header = copy.read_bytes()[:100]
    assert header[:16] == b"SQLite format 3\x00"
    assert header[18] == 1 and header[19] == 1  # rollback journal, not WAL

    con = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert con.execute("SELECT value FROM settings WHERE key='pending'").fetchone() == (
            "only-in-the-wal",
        )
    finally:
        con.close()
    assert dump(copy) == expected
    assert check_backup(copy) == HEAD
    assert sorted(p.name for p in elsewhere.iterdir()) == [copy.name]


# -- refusing bad backups ---------------------------------------------------------------


def _assert_refused(db_path: Path, source: Path, clue: str = "") -> None:
    before = dump(db_path)
    before_backups = {b.path for b in backups.available(db_path)}
    with pytest.raises(ServiceError) as err:
        backups.restore(db_path, str(source))
    assert "could not be restored" in str(err.value)
    assert clue in str(err.value)
    with pytest.raises(BackupError):
        restore_backup(source, db_path, backups_dir(db_path))
    assert dump(db_path) == before
    assert integrity(db_path) == "ok"
    assert {b.path for b in backups.available(db_path)} == before_backups  # nothing kept
    assert not list(db_path.parent.glob("*.restore-tmp"))


def test_truncated_backup_is_refused(db_path: Path, tmp_path: Path) -> None:
    made = backups.make(db_path)
    change_data(db_path)
    damaged = tmp_path / "truncated.sqlite3"
    data = made.path.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    _assert_refused(db_path, damaged)


def test_backup_overwritten_in_the_middle_is_refused(db_path: Path, tmp_path: Path) -> None:
    made = backups.make(db_path)
    change_data(db_path)
    data = bytearray(made.path.read_bytes())
    page = int.from_bytes(data[16:18], "big")  # the page size, from the file header
    pages = len(data) // page
    assert pages > 4
    middle = (pages // 2) * page  # the start of a page in the middle: its b-tree header
    data[middle : middle + 512] = b"\xa5" * 512
    damaged = tmp_path / "overwritten.sqlite3"
    damaged.write_bytes(bytes(data))
    _assert_refused(db_path, damaged)


def test_not_a_database_is_refused(db_path: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is a letter, not a database" * 200)
    _assert_refused(db_path, junk, "not a readable database")


def test_backup_from_unknown_revision_is_refused(db_path: Path, tmp_path: Path) -> None:
    made = backups.make(db_path)
    future = tmp_path / "future.sqlite3"
    shutil.copyfile(made.path, future)
    con = sqlite3.connect(future)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    change_data(db_path)
    _assert_refused(db_path, future, "newer or unknown")


def test_restore_missing_name_is_clear(db_path: Path) -> None:
    before = dump(db_path)
    with pytest.raises(ServiceError) as err:
        backups.restore(db_path, "parapp-20990101-000000-manual.sqlite3")
    assert "parapp-20990101-000000-manual.sqlite3" in str(err.value)
    assert "backup list" in str(err.value)
    assert dump(db_path) == before


# -- restoring while the database is in use ---------------------------------------------


def test_restore_while_a_reader_holds_the_database(db_path: Path) -> None:
    made = backups.make(db_path)
    original = dump(db_path)
    change_data(db_path)
    changed = dump(db_path)

    reader = sqlite3.connect(db_path, timeout=1)
    try:
        reader.execute("BEGIN")
        seen = reader.execute("SELECT value FROM settings WHERE key='role'").fetchone()
        assert seen == ("appraiser",)
        try:
            backups.restore(db_path, made.path.name)
            restored = True
        except ServiceError:
            restored = False
        # The reader's snapshot is still consistent.
        assert reader.execute("SELECT value FROM settings WHERE key='role'").fetchone() == seen
    finally:
        reader.rollback()
        reader.close()
    assert integrity(db_path) == "ok"
    assert dump(db_path) == (original if restored else changed)


def test_open_database_sees_the_restore(db_path: Path) -> None:
    """The GUI keeps its Database open: after a restore its next session reads the
    restored data, not a stale cache."""
    made = backups.make(db_path)
    change_data(db_path)
    db: Database = open_database(db_path)
    try:
        assert get_setting(db, "role") == "appraiser"  # a pooled connection now exists
        backups.restore(db_path, made.path.name)
        assert get_setting(db, "role") == "commune"
        assert assessments.view(db, 2025).scores["2.4"].self_score == D("1.75")
    finally:
        db.close()
    assert integrity(db_path) == "ok"


def test_writes_racing_the_restore_are_kept(db_path: Path) -> None:
    """Whatever the restore replaces must be in its 'before-restore' backup, including a
    write another connection commits after that backup was taken but before the swap."""
    made = backups.make(db_path)
    original = dump(db_path)
    change_data(db_path)
    replaced: dict[str, str] = {}

    def another_writer() -> None:
        con = sqlite3.connect(db_path)
        try:
            con.execute("INSERT INTO settings (key, value) VALUES ('late', 'write')")
            con.commit()
        finally:
            con.close()
        replaced["dump"] = dump(db_path)

    kept = restore_backup(made.path, db_path, backups_dir(db_path), before_swap=another_writer)
    assert dump(db_path) == original
    assert integrity(db_path) == "ok"
    con = sqlite3.connect(kept.path)
    try:
        late = con.execute("SELECT value FROM settings WHERE key = 'late'").fetchone()
    finally:
        con.close()
    assert late == ("write",), "a committed write was replaced without being backed up"
    assert dump(kept.path) == replaced["dump"]


@pytest.mark.parametrize("damage", ["page-header", "truncated", "garbage"])
def test_restore_over_a_damaged_database(db_path: Path, damage: str) -> None:
    """The reason backups exist: the live database is damaged (a power cut, a bad disk) and
    the office restores yesterday's backup over it."""
    made = backups.make(db_path)
    good = dump(db_path)
    data = db_path.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    middle = (len(data) // page // 2) * page
    if damage == "page-header":
        damaged = data[:middle] + b"\xa5" * 512 + data[middle + 512 :]
    elif damage == "truncated":
        damaged = data[: len(data) // 2]
    else:
        damaged = bytes((b * 7 + 13) % 256 for b in data)
    db_path.write_bytes(damaged)
    try:
        backups.restore(db_path, made.path.name)
    except ServiceError:
        pytest.fail("restoring a good backup over a damaged database was refused")
    except sqlite3.Error as exc:
        pytest.fail(f"restore over a damaged database crashed with {exc!r}, not a ServiceError")
    assert dump(db_path) == good
    assert integrity(db_path) == "ok"


def test_restore_into_a_fresh_installation(db_path: Path, tmp_path: Path) -> None:
    """A new computer: the backup is copied from a USB stick and restored before any
    database exists there."""
    made = backups.make(db_path)
    stick = tmp_path / "stick" / made.path.name
    stick.parent.mkdir()
    shutil.copyfile(made.path, stick)
    fresh = tmp_path / "new-computer" / "parapp.sqlite3"
    fresh.parent.mkdir()
    backups.restore(fresh, str(stick))
    assert dump(fresh) == dump(db_path)
    assert integrity(fresh) == "ok"
    db = open_database(fresh)
    try:
        assert get_setting(db, "role") == "commune"
    finally:
        db.close()


def test_backup_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "parapp.sqlite3"
    with pytest.raises((BackupError, OSError)):
        make_backup(missing, tmp_path / "backups")
    assert not missing.exists(), "making a backup created an empty database file"
    assert list_backups(tmp_path / "backups") == []


# -- backup before a migration -----------------------------------------------------------


@pytest.fixture
def older_database(tmp_path: Path) -> Iterator[Path]:
    if len(REVISIONS) < 2:
        pytest.skip(f"only one schema revision ({REVISIONS[0]}): no older database to migrate from")
    path = tmp_path / "old" / "parapp.sqlite3"
    path.parent.mkdir()
    path.touch()
    upgrade(path, REVISIONS[-2])  # a real database at the previous schema
    yield path


def test_opening_an_older_database_backs_it_up_first(older_database: Path) -> None:
    path = older_database
    old_dump = dump(path)
    assert read_revision(path) == REVISIONS[-2]
    open_database(path).close()
    assert read_revision(path) == HEAD
    made = [b for b in list_backups(backups_dir(path)) if b.reason == "before-migration"]
    assert len(made) == 1
    assert dump(made[0].path) == old_dump
    assert check_backup(made[0].path) == REVISIONS[-2]
