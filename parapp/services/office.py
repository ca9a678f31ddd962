"""The one way in: a front end opens the office here and hands the handle to the services.

An ``Office`` is one installation's open data (the database and the folder beside it, as
Anki's ``Collection`` is its open collection); ``OfficePaths`` says where its evidence,
backups, keys and logs live. The command line and the window import these names from here,
never from ``db``, so the storage can change beneath the services without touching either.
"""

from __future__ import annotations

from pathlib import Path

from db.engine import Database as Office
from db.engine import open_database

from .paths import OfficePaths, default_data_dir, resolve_db_path

__all__ = ["Office", "OfficePaths", "default_data_dir", "open_office", "resolve_db_path"]


def open_office(path: Path | str, *, create: bool = False) -> Office:
    """Open the office whose database is ``path`` (with ``create``, make it), migrating
    an older schema; a newer one is refused and left untouched. ``path`` may also be a
    server's URL, ``postgresql://host/dbname`` (docs/hub.md)."""
    return open_database(path, create=create)
