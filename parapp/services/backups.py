"""Backups of the office's database: make, list, restore (the basic service)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.backup import BackupError, BackupInfo, list_backups, make_backup, restore_backup
from db.engine import open_database
from db.location import DataPaths

from .common import ServiceError


def make(db_path: Path, reason: str = "manual") -> BackupInfo:
    if not db_path.is_file():
        raise ServiceError("There is no database at {path}.", path=db_path)
    try:
        return make_backup(db_path, DataPaths(db_path).backups, reason)
    except (BackupError, OSError) as exc:
        raise ServiceError("The backup could not be made: {reason}", reason=exc) from None


def before_import(db_path: Path) -> BackupInfo:
    """The backup every import batch is preceded by (database only: the evidence store
    is append-only, so nothing in it can be lost by an import)."""
    return make(db_path, reason="before-import")


def available(db_path: Path) -> list[BackupInfo]:
    return list_backups(DataPaths(db_path).backups)


def find(db_path: Path, name: str) -> Path:
    """A backup by file name (as listed) or by path."""
    candidate = Path(name)
    if candidate.is_file():
        return candidate
    inside = DataPaths(db_path).backups / name
    if inside.is_file():
        return inside
    raise ServiceError("There is no backup named {name}. See 'parapp backup list'.", name=name)


def restore(db_path: Path, name: str) -> BackupInfo:
    """Restore a backup; the data it replaces is kept as a backup first (returned)."""
    source = find(db_path, name)
    try:
        kept = restore_backup(source, db_path, DataPaths(db_path).backups)
    except (BackupError, OSError, sqlite3.Error) as exc:
        raise ServiceError("The backup could not be restored: {reason}", reason=exc) from None
    open_database(db_path).close()  # migrates a backup from an older version of the program
    return kept
