"""Backups with SQLite's online backup API (a plain copy of a WAL database can be torn).

A backup is a standalone single-file database (journal mode DELETE), verified with
``PRAGMA integrity_check`` right after it is written. Restore copies a verified backup into
the live database in one transaction through the same API, so a power cut leaves either the
old or the restored content, never a mix; the replaced content is kept as a backup first.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from parapp.domain.errors import DomainError

from .schema import REVISIONS

NAME_RE = re.compile(r"^parapp-(\d{8})-(\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")


class BackupError(DomainError):
    """A backup cannot be made, read or restored; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int


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


def make_backup(
    db_path: Path, backups_dir: Path, reason: str = "manual", now: datetime | None = None
) -> BackupInfo:
    """Write ``backups_dir/parapp-YYYYMMDD-HHMMSS-<reason>.sqlite3`` and verify it."""
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"bad backup reason {reason!r}")
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"parapp-{stamp}-{reason}.sqlite3"
    counter = 1
    while target.exists():
        target = backups_dir / f"parapp-{stamp}-{counter}-{reason}.sqlite3"
        counter += 1
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(db_path)
    try:
        _copy(source, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    partial.replace(target)
    return BackupInfo(target, _parse_created(target.name), reason, target.stat().st_size)


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
            out.append(BackupInfo(path, _parse_created(path.name), m.group(4), path.stat().st_size))
    return sorted(out, key=lambda b: (b.created, b.path.name), reverse=True)


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
    if revision not in REVISIONS:
        raise BackupError("the backup comes from a newer or unknown version of the program")
    return revision


def restore_backup(
    backup_path: Path,
    db_path: Path,
    backups_dir: Path,
    before_swap: Callable[[], None] | None = None,
) -> BackupInfo:
    """Restore ``backup_path`` into ``db_path``; return the backup of the replaced data.

    The backup is first copied to a temporary file beside the database and checked there,
    so a backup that changes under us (a USB stick pulled out) cannot reach the live data.
    """
    check_backup(backup_path)
    temp = db_path.with_name(db_path.name + ".restore-tmp")
    temp.unlink(missing_ok=True)
    source = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _copy(source, temp)
    finally:
        source.close()
    try:
        check_backup(temp)
        kept = make_backup(db_path, backups_dir, reason="before-restore")
        if before_swap is not None:
            before_swap()
        verified = sqlite3.connect(temp)
        live = sqlite3.connect(db_path, timeout=30)
        try:
            live.execute("PRAGMA busy_timeout=30000")
            verified.backup(live)  # one write transaction on the live database
            result = _integrity(live)
            if result != "ok":
                raise BackupError("the restored database failed its check: {result}", result=result)
        finally:
            live.close()
            verified.close()
    finally:
        temp.unlink(missing_ok=True)
    return kept
