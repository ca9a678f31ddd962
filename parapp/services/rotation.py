"""Which backups to keep (Anki's buckets, plus a safety net for the recent and the risky).

A backup is kept if ANY of these holds (docs/data.md, "Rotation"):

1. it was made in the last 24 hours, whatever its reason (an afternoon's mistakes can be
   undone at the half-hour), or it is dated in the future (the PC's clock was wrong: we
   cannot tell its age, so we do not guess);
2. it is a ``before-restore``, ``before-migration`` or ``manual`` backup younger than 30
   days (the data a restore or an upgrade replaced; one the clerk asked for by name);
3. it is the newest backup of its day, and that day is one of the 12 newest days that
   have backups; the same for ISO weeks (10 newest) and calendar months (9 newest).
   Buckets count days that have backups, not calendar days, so a PC left off for a
   summer still keeps its older backups.

Everything else in the backups folder is deleted: the database file and its manifest.
The shared ``files/`` mirror is never pruned (the stores it mirrors never shrink either),
nor are ``damaged-…`` raw copies or anything that is not a parapp backup. Backups written
elsewhere (a USB stick) are never rotated.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from db.backup import BackupInfo, list_backups

DAILY, WEEKLY, MONTHLY = 12, 10, 9
RECENT = timedelta(hours=24)
PROTECTED = {"before-restore": 30, "before-migration": 30, "manual": 30}  # reason: days
STALE_PARTIAL = timedelta(hours=24)


def _newest_per_bucket(
    backups: Sequence[BackupInfo], key: Callable[[datetime], Hashable], limit: int
) -> set[Path]:
    kept: set[Path] = set()
    seen: set[Hashable] = set()
    for b in backups:  # newest first
        bucket = key(b.created)
        if bucket in seen:
            continue
        seen.add(bucket)
        if len(seen) > limit:
            break
        kept.add(b.path)
    return kept


def to_keep(backups: Sequence[BackupInfo], now: datetime) -> set[Path]:
    """The paths the policy keeps; ``backups`` newest first (as listed)."""
    keep: set[Path] = set()
    for b in backups:
        age = now - b.created  # negative for a future date: kept as recent
        protected = b.reason in PROTECTED and age < timedelta(days=PROTECTED[b.reason])
        if age < RECENT or protected:
            keep.add(b.path)
    keep |= _newest_per_bucket(backups, lambda t: t.date(), DAILY)
    keep |= _newest_per_bucket(backups, lambda t: t.isocalendar()[:2], WEEKLY)
    keep |= _newest_per_bucket(backups, lambda t: (t.year, t.month), MONTHLY)
    return keep


def prune(backups_dir: Path, now: datetime | None = None) -> list[Path]:
    """Delete what the policy does not keep; return the deleted backups' paths."""
    now = now or datetime.now()
    backups = list_backups(backups_dir)
    keep = to_keep(backups, now)
    deleted: list[Path] = []
    for b in backups:
        if b.path in keep:
            continue
        # The manifest first: a database file without one is still a (database) backup,
        # while a manifest without its database would list a backup that is not there.
        b.manifest.unlink(missing_ok=True)
        b.path.unlink(missing_ok=True)
        deleted.append(b.path)
    # Leftovers of a write that was killed (a power cut mid-backup) are not backups: the
    # partial copy and SQLite's rollback journal beside it.
    for partial in [*backups_dir.glob("parapp-*.partial"),
                    *backups_dir.glob("parapp-*.partial-journal")]:
        try:
            if now - datetime.fromtimestamp(partial.stat().st_mtime) > STALE_PARTIAL:
                partial.unlink()
        except OSError:
            continue
    return deleted
