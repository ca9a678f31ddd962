"""Backups of the office's data: make, list, describe, restore (docs/data.md, "Backups").

Three kinds, one naming scheme (``parapp-YYYYMMDD-HHMMSS[-N]-<reason>.sqlite3``):

* database only — before an import, a migration or a restore: fast, and enough, because the
  evidence and issued-document stores are append-only (nothing in them can be lost);
* routine — automatic and manual backups: the database, plus the store files new since the
  last backup in that folder copied into its shared ``files/`` mirror, plus a manifest
  (``<name>.json``) listing every store file with its hash and size;
* full — the same written anywhere (``--to`` a USB stick), with every file read back and
  hashed, so the folder alone is enough to move the office to a new computer.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from db.backup import (
    BackupError,
    BackupInfo,
    check_backup,
    content_counts,
    fingerprint_file,
    list_backups,
    make_backup,
    restore_backup,
)
from db.engine import open_database
from db.location import DataPaths, server_url
from db.schema import read_revision

from . import backup_files as bf
from .common import ServiceError
from .leftovers import INCOMING, STALE_AFTER, clear_stale
from .storage import disk_errors, explain, require_folder


@dataclass(frozen=True)
class BackupReport:
    """What a routine or full backup wrote."""

    info: BackupInfo
    files_total: int  # store files the backup lists
    files_copied: int  # of which new in this backup folder
    damaged: tuple[str, ...] = ()  # live store files whose content no longer matches
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BackupSummary:
    """A backup as shown before restoring it: its date, kind and what it holds."""

    info: BackupInfo
    revision: str
    counts: dict[str, int]
    files: int  # store files listed in its manifest (0 for a database-only backup)


@dataclass(frozen=True)
class RestoreReport:
    kept: BackupInfo  # the replaced data, kept as a backup
    fresh: bool  # there was no data to replace (a new computer)
    files_copied: int  # evidence / document files put back into the stores
    missing: tuple[str, ...]  # files the restored data mentions that are nowhere to be found


def _folder(db_path: Path) -> Path:
    return DataPaths(db_path).backups


def _not_on_server(db_path: Path) -> None:
    # These backups are copies of a SQLite file; a restore would write one beside the
    # server's stand-in path, not into the server.
    if server_url(db_path) is not None:
        raise ServiceError(
            "This office's database is on a server: back it up and restore it with the "
            "server's own tools (pg_dump, pg_restore; see docs/hub.md)."
        )


def _require_db(db_path: Path) -> None:
    _not_on_server(db_path)
    if not db_path.is_file():
        raise ServiceError("There is no database at {path}.", path=db_path)


def _failed(exc: Exception, folder: Path, template: str) -> ServiceError:
    """A full disk or a read-only folder in plain words; anything else with its reason."""
    return explain(exc, folder) or ServiceError(template, reason=exc)


def _write_backup(db_path: Path, folder: Path, reason: str, now: datetime | None,
                  partial_dir: Path | None = None) -> BackupInfo:
    try:
        return make_backup(db_path, folder, reason, now, partial_dir=partial_dir)
    except (BackupError, OSError, sqlite3.Error) as exc:
        raise _failed(exc, folder, "The backup could not be made: {reason}") from None


def make(db_path: Path, reason: str = "manual", now: datetime | None = None,
         partial_dir: Path | None = None) -> BackupInfo:
    """A database-only backup in the data folder's ``backups`` (written in ``partial_dir``
    if given, then moved into place: see ``db.backup.make_backup``)."""
    _require_db(db_path)
    return _write_backup(db_path, _folder(db_path), reason, now, partial_dir)


def before_import(db_path: Path, partial_dir: Path | None = None) -> BackupInfo | None:
    """The backup every import batch is preceded by (database only: the evidence store
    is append-only, so nothing in it can be lost by an import). None for a database on a
    server: its backups are the server's own (pg_dump, docs/hub.md), and each import is one
    transaction there."""
    if server_url(db_path) is not None:
        return None
    return make(db_path, reason="before-import", partial_dir=partial_dir)


def make_with_files(
    db_path: Path,
    reason: str = "manual",
    *,
    to: Path | None = None,
    full: bool = False,
    now: datetime | None = None,
) -> BackupReport:
    """A routine backup (``full=False``) or a full one, in ``to`` or the data folder's
    ``backups``; verified before it is reported (integrity check, file hashes)."""
    _require_db(db_path)
    if to is not None:
        require_folder(to.expanduser())  # a stick: never made on the local disk
    target = (to or _folder(db_path)).expanduser()
    with disk_errors(target):
        target.mkdir(parents=True, exist_ok=True)
        # Half-copied mirror files of a backup that was killed (not ours: stale ones only,
        # a backup running beside this one may be writing).
        clear_stale(target / bf.FILES_DIR, "*/*/" + INCOMING + "*", time.time() - STALE_AFTER)
        # The database first: every file it mentions is in the stores by then (a file is
        # stored before the row that names it is committed), so listing them after the
        # copy cannot miss one.
        info = _write_backup(db_path, target, reason, now)
        files = bf.store_files(db_path.parent)
        copied, damaged = bf.mirror(files, db_path.parent, target / bf.FILES_DIR)
        listed = [f for f in files if f.rel not in damaged]
        bad = bf.verify(listed, target / bf.FILES_DIR, read_all=full)
        # A full backup is read back from the target (a stick), not trusted from memory.
        revision = check_backup(info.path) if full else read_revision(info.path)
        if bad:
            raise ServiceError(
                "The backup {name} was written, but {n} evidence or document files could not "
                "be verified (first: {first}). Try again, or use another disk.",
                name=info.path.name,
                n=len(bad),
                first=bad[0],
            )
        counts = content_counts(info.path)
        bf.write_manifest(
            info.manifest,
            {
                "format": bf.MANIFEST_FORMAT,
                "kind": "full" if full else "routine",
                "reason": reason,
                "created": info.created.isoformat(),
                "revision": revision,
                "database": {
                    "file": info.path.name,
                    "size": info.size,
                    "sha256": bf.hash_file(info.path),
                    "fingerprint": fingerprint_file(info.path),
                },
                "counts": counts,
                "files": [{"path": f.rel, "sha256": f.sha256, "size": f.size} for f in listed],
                "damaged": damaged,
            },
        )
    kind = "full" if full else "routine"
    done = BackupInfo(info.path, info.created, info.reason, info.size, kind)
    return BackupReport(done, len(listed), copied, tuple(damaged), counts)


def available(db_path: Path) -> list[BackupInfo]:
    return list_backups(_folder(db_path))


def in_folder(folder: Path) -> list[BackupInfo]:
    """The backups in any folder (a stick, another computer's ``backups``), newest first."""
    return list_backups(folder)


def find(db_path: Path, name: str) -> Path:
    """A backup by file name (as listed), by path, or the newest one in a folder (a USB
    stick written by ``backup make --full --to``)."""
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        found = list_backups(candidate)
        if not found:
            raise ServiceError("There is no parapp backup in the folder {path}.", path=candidate)
        return found[0].path
    if candidate.is_file():
        return candidate
    inside = _folder(db_path) / name
    if inside.is_file():
        return inside
    raise ServiceError("There is no backup named {name}. See 'parapp backup list'.", name=name)


def describe(path: Path) -> BackupSummary:
    """Date, kind and contents of a backup, read without changing anything."""
    try:
        revision = check_backup(path)
        counts = content_counts(path)
    except BackupError as exc:
        raise ServiceError("The backup cannot be used: {reason}", reason=exc) from None
    found = [b for b in list_backups(path.parent) if b.path == path]
    if found:
        info = found[0]
    else:  # a database file under another name
        stat = path.stat()
        info = BackupInfo(path, datetime.fromtimestamp(stat.st_mtime), "", stat.st_size)
    manifest = bf.read_manifest(path.with_suffix(".json"))
    files = len(bf.manifest_files(manifest)) if manifest else 0
    return BackupSummary(info, revision or "", counts, files)


def _referenced(db_path: Path) -> list[str]:
    """Store files the database mentions (evidence, issued documents)."""
    con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        rels = [f"evidence/{s[:2]}/{s}" for (s,) in con.execute("SELECT sha256 FROM evidence")]
        if "issued_documents" in tables:
            rels += [
                f"documents/{s[:2]}/{s}.pdf"
                for (s,) in con.execute("SELECT sha256 FROM issued_documents")
            ]
        return rels
    finally:
        con.close()


def _files_from_manifest(source: Path, db_path: Path) -> int:
    """Put the files a backup lists back into the stores, before the database is swapped
    (the stores are append-only: adding files never harms the current data)."""
    manifest = bf.read_manifest(source.with_suffix(".json"))
    if manifest is None:
        return 0
    database = manifest.get("database")
    sha = database.get("sha256") if isinstance(database, dict) else None
    if sha and bf.hash_file(source) != sha:
        raise ServiceError(
            "The backup {name} has changed since it was written (a damaged disk or stick); "
            "choose another backup.",
            name=source.name,
        )
    live = db_path.parent
    mirrors = [source.parent / bf.FILES_DIR, _folder(db_path) / bf.FILES_DIR]
    copied = 0
    unusable: list[str] = []
    for f in bf.manifest_files(manifest):
        target = live / f.rel
        if target.is_file() and target.stat().st_size == f.size:
            continue
        for mirror in mirrors:
            if (mirror / f.rel).is_file():
                try:
                    bf.copy_verified(mirror / f.rel, target, f.sha256)
                except bf.FileProblem:
                    continue
                copied += 1
                break
        else:
            unusable.append(f.rel)
    if unusable:
        raise ServiceError(
            "The backup is incomplete: {n} evidence or document files are missing or damaged "
            "(first: {first}). Nothing was restored; choose another backup.",
            n=len(unusable),
            first=unusable[0],
        )
    return copied


def _fill_from_mirrors(source: Path, db_path: Path) -> tuple[int, tuple[str, ...]]:
    """After restoring a database-only backup: take any file it mentions that the stores
    lack from a backup mirror; report what cannot be found anywhere."""
    copied = 0
    missing: list[str] = []
    live = db_path.parent
    mirrors = [source.parent / bf.FILES_DIR, _folder(db_path) / bf.FILES_DIR]
    for rel in _referenced(db_path):
        if (live / rel).is_file():
            continue
        sha = rel.rsplit("/", 1)[1].removesuffix(".pdf")
        for mirror in mirrors:
            if (mirror / rel).is_file():
                try:
                    bf.copy_verified(mirror / rel, live / rel, sha)
                except bf.FileProblem:
                    continue
                copied += 1
                break
        else:
            missing.append(rel)
    return copied, tuple(missing)


def restore_with_files(db_path: Path, name: str) -> RestoreReport:
    """Restore a backup and the evidence and documents it lists; the data it replaces is
    kept as a backup first (``before-restore``)."""
    _not_on_server(db_path)
    source = find(db_path, name)
    had_data = db_path.is_file()
    with disk_errors(db_path.parent):
        try:
            check_backup(source)
            copied = _files_from_manifest(source, db_path)
            kept = restore_backup(source, db_path, _folder(db_path))
        except (BackupError, OSError, sqlite3.Error) as exc:
            raise _failed(
                exc, db_path.parent, "The backup could not be restored: {reason}"
            ) from None
        open_database(db_path).close()  # migrates a backup from an older version
        more, missing = _fill_from_mirrors(source, db_path)
    return RestoreReport(kept, not had_data, copied + more, missing)


def restore(db_path: Path, name: str) -> BackupInfo:
    """Restore a backup; the data it replaces is kept as a backup first (returned)."""
    return restore_with_files(db_path, name).kept
