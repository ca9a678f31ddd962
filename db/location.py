"""Where data lives: one database per installation; everything else beside it.

A database on a PostgreSQL server (``postgresql://host/dbname``) has no file to sit beside:
it is named by a stand-in path in a local folder of its own (``servers/<host>-<dbname>`` in
the data folder), which holds its evidence, keys, backups and logs as a file's folder does
(docs/hub.md). The URL stays in this process only; its password is never shown.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from platformdirs import user_data_dir

DB_FILENAME = "parapp.sqlite3"
SERVER_FILENAME = "parapp.server"  # the stand-in name; no such file is ever written
_SCHEMES = ("postgresql:", "postgres:", "postgresql+psycopg:")
# Stand-in path -> server URL, filled by resolve_db_path (paths compare by value, so any
# copy of the stand-in finds its server).
_SERVERS: dict[Path, str] = {}


def is_server_url(text: str | os.PathLike[str] | None) -> bool:
    return isinstance(text, str) and text.lower().startswith(_SCHEMES)


def mask_url(url: str) -> str:
    """The URL as it may be shown or logged: any password replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _folder_name(url: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = parts.hostname or (query.get("host") or ["local"])[0]
    port = parts.port or (query.get("port") or [""])[0]
    dbname = parts.path.lstrip("/") or (query.get("dbname") or [""])[0] or "postgres"
    name = "-".join(str(x) for x in (host, port, dbname) if x)
    # A socket folder's slashes and anything a file system refuses become "_".
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "server"


def server_path(url: str, data_dir: Path | None = None) -> Path:
    """The stand-in path of the server database ``url`` (its local folder holds the rest)."""
    folder = (data_dir or default_data_dir()) / "servers" / _folder_name(url)
    path = (folder / SERVER_FILENAME).expanduser().resolve()
    _SERVERS[path] = url
    return path


def server_url(path: Path) -> str | None:
    """The server URL ``path`` stands for, or None for a database file."""
    return _SERVERS.get(path) if path.name == SERVER_FILENAME else None


def default_data_dir() -> Path:
    """``PARAPP_DATA_DIR`` if set, else the per-user data directory of the platform."""
    override = os.environ.get("PARAPP_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir("parapp", appauthor=False, roaming=False))


def describe(path: Path) -> str:
    """The database as it may be shown: a file's path, or its server's URL (masked)."""
    url = server_url(path)
    return str(path) if url is None else mask_url(url)


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    """``--db PATH`` (or a server URL) wins; otherwise the database file in the data
    directory."""
    if is_server_url(db):
        assert isinstance(db, str)
        return server_path(db)
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
