"""Automatic backups: only when something changed, at most every 30 minutes, and at exit.

"Changed" compares a hash of the database's pages as SQLite sees them now with the same
hash of the newest backup (stored in its manifest, or computed once per file and cached).
``PRAGMA data_version`` and ``total_changes`` cannot do this: both are per connection and
forget everything when the program closes; ``updated_at`` columns miss deletions and tables
without one. The page hash costs one read of the database into memory (a commune's
database is a few MB), writes nothing, and only runs once the 30 minutes are up.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from db.backup import BackupInfo, fingerprint_file, fingerprint_live, list_backups
from db.location import DataPaths

from . import backup_files, rotation
from .backups import make_with_files

INTERVAL = timedelta(minutes=30)
TIMER_MINUTES = 5  # how often the GUI asks; a backup still waits for INTERVAL

_cache: dict[tuple[str, int, int], str] = {}


def backup_fingerprint(info: BackupInfo) -> str:
    """The page hash of a backup: from its manifest, else from the file (cached)."""
    manifest = backup_files.read_manifest(info.manifest)
    database = manifest.get("database") if manifest else None
    if isinstance(database, dict) and isinstance(database.get("fingerprint"), str):
        return str(database["fingerprint"])
    stat = info.path.stat()
    key = (str(info.path), stat.st_size, stat.st_mtime_ns)
    if key not in _cache:
        _cache[key] = fingerprint_file(info.path)
    return _cache[key]


def changed_since_last_backup(db_path: Path) -> bool:
    found = list_backups(DataPaths(db_path).backups)
    return not found or fingerprint_live(db_path) != backup_fingerprint(found[0])


def maybe_backup(
    db_path: Path, now: datetime | None = None, *, at_exit: bool = False
) -> BackupInfo | None:
    """Make a routine backup if the data changed since the newest backup and that one is
    at least 30 minutes old (at exit: whatever its age); then rotate. None if nothing was
    due. A newest backup dated in the future (a PC clock that was wrong) does not block."""
    now = now or datetime.now()
    if not db_path.is_file():
        return None
    folder = DataPaths(db_path).backups
    found = list_backups(folder)
    if found and not at_exit and timedelta(0) <= now - found[0].created < INTERVAL:
        return None
    if found and fingerprint_live(db_path) == backup_fingerprint(found[0]):
        return None
    report = make_with_files(db_path, "exit" if at_exit else "auto", now=now)
    rotation.prune(folder, now)
    return report.info
