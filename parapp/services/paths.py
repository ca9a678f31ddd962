"""Where an office's data lives (its database file; the evidence, backups, keys and logs in
the same folder), known without opening anything: the window asks before its first paint,
which the database engine's modules would slow down (``parapp.services.office`` opens it)."""

from __future__ import annotations

from db.location import DataPaths as OfficePaths
from db.location import default_data_dir, resolve_db_path, server_url
from db.location import describe as describe_db

__all__ = ["OfficePaths", "default_data_dir", "describe_db", "resolve_db_path", "server_url"]
