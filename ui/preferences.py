"""Preferences kept beside the database: the language (needed before the database is
open) and the last folder each kind of file was saved to.

The language is a setting in the database ("language" in the settings table), but the
window's texts are built before the database is opened (see ``ui.app``). So the choice is
mirrored in a one-line file beside the database, ``language.txt``, which start-up reads
when no ``--lang`` is given. Only the standard library here: this runs before the first
paint.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

FILENAME = "language.txt"
LANGUAGES = ("vi", "en")


def language_file(db_path: Path) -> Path:
    return db_path.parent / FILENAME


def read_language(db_path: Path) -> str | None:
    """The language saved beside ``db_path`` ("vi" or "en"), or None if none is saved
    (or the file cannot be read: start-up never fails over a preference)."""
    try:
        text = language_file(db_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    code = text.strip().lower()
    return code if code in LANGUAGES else None


def set_language(db_path: Path, code: str) -> Path:
    """Save the language for the next start (atomically: a half-written file is never read).

    The settings screen also stores ``language`` in the database; this file is its copy
    for start-up. Raises ValueError for an unknown code and OSError if the folder is not
    writable.
    """
    code = code.strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"unsupported language {code!r}; use one of {', '.join(LANGUAGES)}")
    return _write_line(language_file(db_path), code)


def start_language(db_path: Path, given: str | None) -> str | None:
    """The language to start in: ``--lang`` wins, then the ``PARAPP_LANG`` environment
    variable (already applied by ``parapp.i18n``), then the saved file."""
    if given:
        return given
    if os.environ.get("PARAPP_LANG"):
        return None
    return read_language(db_path)


# -- the last folder used, per kind of file ("documents", "packages") -------------------------
FOLDERS_FILENAME = "folders.json"
DOCUMENTS, PACKAGES = "documents", "packages"


def _folders_file(db_path: Path) -> Path:
    return db_path.parent / FOLDERS_FILENAME


def _read_folders(db_path: Path) -> dict[str, str]:
    try:
        data = json.loads(_folders_file(db_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def last_folder(db_path: Path, kind: str) -> Path | None:
    """The folder a file of ``kind`` was last saved to, if it is still there (a stick
    since removed is not offered)."""
    saved = _read_folders(db_path).get(kind)
    if not saved:
        return None
    folder = Path(saved)
    return folder if folder.is_dir() else None


def remember_folder(db_path: Path, kind: str, folder: Path) -> None:
    """Keep ``folder`` as the next save dialog's start for ``kind`` (a failure to write the
    preference is not worth a message: the dialog only starts elsewhere)."""
    folders = _read_folders(db_path)
    folders[kind] = str(folder)
    target = _folders_file(db_path)
    with contextlib.suppress(OSError):
        fd, temp = tempfile.mkstemp(prefix=".folders-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(folders, handle, ensure_ascii=False)
            os.replace(temp, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def start_folder(db_path: Path, kind: str, fallback: Path) -> Path:
    """Where a save dialog for ``kind`` opens: the last folder used, else ``fallback``."""
    return last_folder(db_path, kind) or fallback


# -- the saved server connection (Settings' "Máy chủ (hub)") ------------------------------------
# In the data folder itself, not beside a database: it chooses the database. The URL only;
# a password is never written here (the keyring or libpq's .pgpass keep it).
SERVER_FILENAME = "server.txt"


def saved_server(data_dir: Path) -> str | None:
    """The server URL the window opens when no ``--db`` is given, or None."""
    try:
        text = (data_dir / SERVER_FILENAME).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def save_server(data_dir: Path, url: str | None) -> Path:
    """Open ``url`` at the next start (None: the database file again). Raises OSError if
    the folder is not writable."""
    if url is not None and urlsplit(url).password is not None:
        raise ValueError("a server's password is never saved in the preferences")
    target = data_dir / SERVER_FILENAME
    if url is None:
        target.unlink(missing_ok=True)
        return target
    return _write_line(target, url)


def _write_line(target: Path, line: str) -> Path:
    """``target`` holds ``line`` whole or not at all (a temporary file renamed over it; the
    services' write_atomic is not on the way to the first paint)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(line + "\n")
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target
