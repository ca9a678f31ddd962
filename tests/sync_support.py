"""Shared by the sync tests: copies of the demo's two offices and row-for-row dumps."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from db.engine import Database, open_database


def copy_demo(demo_db: Path, target: Path) -> Path:
    """The whole demo folder (commune, appraiser, usb), so evidence stores and keys come too."""
    source = demo_db.parent.parent
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups", "logs"))
    return target


def dump(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: equal dumps mean an unchanged database."""
    con = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        con.close()


def store_listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def opened(path: Path) -> Database:
    return open_database(path)
