"""Where data lives: one database per installation; everything else beside it."""

from __future__ import annotations

import os
from pathlib import Path

DB_FILENAME = "parapp.sqlite3"


def default_data_dir() -> Path:
    """``PARAPP_DATA_DIR`` if set, else the per-user data directory of the platform."""
    override = os.environ.get("PARAPP_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("parapp", appauthor=False, roaming=False))


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    """``--db PATH`` wins; otherwise the database file in the data directory."""
    if db:
        return Path(db).expanduser().resolve()
    return (default_data_dir() / DB_FILENAME).resolve()


class DataPaths:
    """Evidence, backups, keys and logs live in the folder of the database in use, so two
    databases in different folders never share them."""

    def __init__(self, db_path: Path) -> None:
        self.db = db_path
        self.folder = db_path.parent

    @property
    def evidence(self) -> Path:
        return self.folder / "evidence"

    @property
    def backups(self) -> Path:
        return self.folder / "backups"

    @property
    def keys(self) -> Path:
        return self.folder / "keys"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"
