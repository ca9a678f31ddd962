"""Backups with SQLite's online backup API (a plain copy of a WAL database can be torn).

A backup is a standalone single-file database (journal mode DELETE), verified with
``PRAGMA integrity_check`` right after it is written. Restore copies a verified backup into
the live database in one transaction through the same API, so a power cut leaves either the
old or the restored content, never a mix; the replaced content is kept as a backup first.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from parapp.domain.errors import DomainError

from .migrate import upgrade
from .schema import REVISIONS

# Primary result codes of a write that failed for the disk's sake, not the source's.
_WRITE_FAILURES = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
                   sqlite3.SQLITE_IOERR}

NAME_RE = re.compile(r"^parapp-(\d{8})-(\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")


class BackupError(DomainError):
    """A backup cannot be made, read or restored; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int
    # "database" (the database file alone) or, with a manifest beside it ("<name>.json"),
    # "routine" / "full": the database plus the evidence and issued-document files.
    kind: str = "database"

    @property
    def manifest(self) -> Path:
        return self.path.with_suffix(".json")


HEADER = 100  # SQLite's file header: counters and journal mode change without the content


def fingerprint_live(db_path: Path) -> str:
    """A hash of the database's pages as SQLite sees them now (WAL included), equal to
    :func:`fingerprint_file` of a backup of the same content. Cheap enough to run every few
    minutes: one read of the database into memory, no disk writes."""
    source = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    memory = sqlite3.connect(":memory:")
    try:
        source.backup(memory)
        data = memory.serialize()
    finally:
        memory.close()
        source.close()
    return hashlib.sha256(data[HEADER:]).hexdigest()


def fingerprint_file(path: Path) -> str:
    """The same hash, read straight from a standalone backup file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        handle.seek(HEADER)
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def content_counts(path: Path) -> dict[str, int]:
    """What a backup holds, for choosing one: assessments, evidence files, issued documents
    (a table this schema version does not have counts 0)."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = set(_tables(con, "main"))
        return {
            name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            if name in tables
            else 0
            for name in ("assessments", "evidence", "issued_documents")
        }
    except sqlite3.DatabaseError as exc:
        raise BackupError("the file is not a readable database ({reason})", reason=exc) from None
    finally:
        con.close()


def _integrity(con: sqlite3.Connection) -> str:
    return ", ".join(str(r[0]) for r in con.execute("PRAGMA integrity_check").fetchall())


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        result = _integrity(target)
        if result != "ok":
            raise BackupError("the copy failed its integrity check: {result}", result=result)
    finally:
        target.close()


def _target(backups_dir: Path, stamp: str, reason: str) -> Path:
    """A new file name; backups made within one second get increasing sequence numbers so
    they still list in the order they were made."""
    taken = [NAME_RE.match(p.name) for p in backups_dir.glob(f"parapp-{stamp}-*.sqlite3")]
    seqs = [int(m.group(3) or 0) for m in taken if m]
    if not seqs:
        return backups_dir / f"parapp-{stamp}-{reason}.sqlite3"
    return backups_dir / f"parapp-{stamp}-{max(seqs) + 1}-{reason}.sqlite3"


def _backup_from(
    source: sqlite3.Connection, backups_dir: Path, reason: str, now: datetime | None = None,
    partial_dir: Path | None = None,
) -> BackupInfo:
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"bad backup reason {reason!r}")
    backups_dir.mkdir(parents=True, exist_ok=True)
    target = _target(backups_dir, (now or datetime.now()).strftime("%Y%m%d-%H%M%S"), reason)
    # The copy (and SQLite's "-journal" beside it) is written under a temporary name, in
    # ``partial_dir`` when the caller has a folder that is emptied even after a kill (an
    # import's: parapp.services.leftovers), else beside the target (removed when stale).
    partial = (partial_dir or backups_dir) / (target.stem + ".partial")
    try:
        _copy(source, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    _sync_folder(backups_dir)
    return BackupInfo(target, _parse_created(target.name), reason, target.stat().st_size)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open folders and needs no help)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_backup(
    db_path: Path, backups_dir: Path, reason: str = "manual", now: datetime | None = None,
    *, partial_dir: Path | None = None,
) -> BackupInfo:
    """Write ``backups_dir/parapp-YYYYMMDD-HHMMSS[-N]-<reason>.sqlite3`` and verify it
    (``partial_dir``: where it is written before being moved there, on the same disk)."""
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"bad backup reason {reason!r}")
    if not db_path.is_file():
        # sqlite3.connect would create an empty database here, hiding the real problem.
        raise BackupError("there is no database at {path}", path=db_path)
    source = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _backup_from(source, backups_dir, reason, now, partial_dir)
    except sqlite3.DatabaseError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in _WRITE_FAILURES:
            raise  # the target's disk is full or read-only: the caller says so plainly
        raise BackupError("the database cannot be read ({reason})", reason=exc) from None
    finally:
        source.close()


def _parse_created(name: str) -> datetime:
    m = NAME_RE.match(name)
    if not m:
        raise BackupError("{name} is not a parapp backup", name=name)
    return datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Newest first."""
    if not backups_dir.is_dir():
        return []
    out = []
    for path in backups_dir.glob("parapp-*.sqlite3"):
        m = NAME_RE.match(path.name)
        if m:
            kind = _manifest_kind(path.with_suffix(".json"))
            out.append(
                BackupInfo(path, _parse_created(path.name), m.group(4), path.stat().st_size, kind)
            )
    return sorted(out, key=lambda b: (b.created, _seq(b.path.name)), reverse=True)


def _manifest_kind(manifest: Path) -> str:
    if not manifest.is_file():
        return "database"

    try:
        kind = json.loads(manifest.read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return "database"  # a damaged manifest: the database file is still a backup
    return kind if kind in ("routine", "full") else "database"


def _seq(name: str) -> int:
    m = NAME_RE.match(name)
    return int(m.group(3) or 0) if m else 0


def check_backup(path: Path) -> str | None:
    """Verify a backup file; return its schema revision. Raise BackupError if unusable."""
    if not path.is_file():
        raise BackupError("there is no backup file {path}", path=path)
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = _integrity(con)
            if result != "ok":
                raise BackupError("the backup is damaged: {result}", result=result)
            has = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            revision = (
                con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
                if has
                else None
            )
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError("the file is not a readable database ({reason})", reason=exc) from None
    if revision is None:
        raise BackupError("the file is not a parapp backup")
    if revision not in REVISIONS:
        raise BackupError("the backup comes from a newer or unknown version of the program")
    return revision


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _tables(con: sqlite3.Connection, schema: str) -> list[str]:
    rows = con.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type='table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [r[0] for r in rows]


def _live_is_readable(db_path: Path) -> bool:
    try:
        con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def _swap_in_place(temp: Path, db_path: Path, backups_dir: Path) -> BackupInfo:
    """Replace the live content with ``temp``'s in one transaction that holds the write lock
    from before the safety backup to the end, so no write can slip in between."""
    live = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    try:
        live.execute("PRAGMA foreign_keys=OFF")  # rows are replaced table by table
        live.execute("ATTACH DATABASE ? AS restored", (str(temp),))
        kept = _locked_safety_backup(live, backups_dir)
        try:
            tables = _tables(live, "main")
            if tables != _tables(live, "restored"):
                raise BackupError("the backup does not have the tables of this program")
            for table in tables:
                columns = _columns(live, "main", table)
                if sorted(columns) != sorted(_columns(live, "restored", table)):
                    raise BackupError("the backup does not have the tables of this program")
                names = ", ".join(f'"{c}"' for c in columns)
                live.execute(f'DELETE FROM main."{table}"')
                live.execute(
                    f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM restored."{table}"'
                )
            problems = live.execute("PRAGMA main.foreign_key_check").fetchall()
            if problems:
                raise BackupError("the backup's rows do not fit together")
            live.execute("COMMIT")
        except BaseException:
            live.execute("ROLLBACK")
            raise
        live.execute("DETACH DATABASE restored")
        result = _integrity(live)
        if result != "ok":
            raise BackupError("the restored database failed its check: {result}", result=result)
        return kept
    finally:
        live.close()


def _locked_safety_backup(live: sqlite3.Connection, backups_dir: Path) -> BackupInfo:
    """Back up the live data, then take the write lock, making sure nobody committed in
    between (SQLite cannot back up from a connection that holds a write transaction)."""
    for _attempt in range(5):
        before = live.execute("PRAGMA data_version").fetchone()[0]
        kept = _backup_from(live, backups_dir, "before-restore")
        try:
            live.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            kept.path.unlink(missing_ok=True)
            raise BackupError(
                "the database is in use by another program; close it and try again"
            ) from None
        if live.execute("PRAGMA data_version").fetchone()[0] == before:
            return kept
        live.execute("ROLLBACK")  # a write landed after the copy: copy again
        kept.path.unlink(missing_ok=True)
    raise BackupError("the database is in use by another program; close it and try again")


def _replace_damaged(temp: Path, db_path: Path, backups_dir: Path) -> BackupInfo:
    """The live file is unreadable (a bad disk, a torn write): keep a raw copy of it for
    the record, then put the verified backup in its place."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(db_path) + suffix)
        if part.exists():
            shutil.copy2(part, backups_dir / f"damaged-{stamp}-{db_path.name}{suffix}")
    with open(temp, "rb+") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(temp, db_path)
    kept = backups_dir / f"damaged-{stamp}-{db_path.name}"
    return BackupInfo(
        kept,
        datetime.strptime(stamp, "%Y%m%d-%H%M%S"),
        "damaged",
        kept.stat().st_size if kept.exists() else 0,
    )


def restore_backup(
    backup_path: Path,
    db_path: Path,
    backups_dir: Path,
    before_swap: Callable[[], None] | None = None,
) -> BackupInfo:
    """Restore ``backup_path`` into ``db_path``; return the backup of the replaced data.

    The backup is copied to a temporary file beside the database, checked there, and
    brought to this program's schema (so a USB stick pulled out mid-way, or an old backup,
    cannot reach the live data half-done). Then, holding the database's write lock, the
    current data is backed up ("before-restore") and replaced in the same transaction.
    A live database too damaged to read is kept aside as a raw copy and replaced whole.
    """
    check_backup(backup_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)  # restoring onto a new PC
    temp = db_path.with_name(db_path.name + ".restore-tmp")
    temp.unlink(missing_ok=True)
    source = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _copy(source, temp)
    finally:
        source.close()
    try:
        if check_backup(temp) != REVISIONS[-1]:
            upgrade(temp)
            _checkpoint_to_single_file(temp)
        if before_swap is not None:
            before_swap()
        if db_path.is_file() and _live_is_readable(db_path):
            return _swap_in_place(temp, db_path, backups_dir)
        return _replace_damaged(temp, db_path, backups_dir)
    finally:
        temp.unlink(missing_ok=True)


def _checkpoint_to_single_file(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
