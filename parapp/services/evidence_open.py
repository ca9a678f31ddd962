"""Opening a stored document with the system's viewer: through a named copy in the
program's own folder, never a program handed to the system.

The store names files by their hash, so a viewer needs a copy under the document's name
and extension. That name came from a clerk's disk or from a package: it is reduced to a
safe base name again here (a row written by an older version was never checked), the copy
is made only inside ``open/`` beside the database (never the shared system temporary
folder, where another account could have planted a file or link under the same name), and
a type that the system would run rather than show is refused with a sentence. The copy
is checked against the document's SHA-256 before it is handed over: a store file damaged
or changed since it was received is never shown as the document.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

from db.engine import Database
from parapp.domain.filenames import extension, is_executable, safe_name

from .common import ServiceError
from .evidence import evidence_file

FOLDER = "open"
CHUNK = 1 << 20
KEEP_SECONDS = 24 * 3600  # a copy a viewer may still show; older ones are removed


def copies_folder(db: Database) -> Path:
    return db.paths.folder / FOLDER


def open_copy(db: Database, sha256: str, name: str) -> Path:
    """A copy of the stored document ``sha256`` named ``name`` (made safe), in the
    program's own folder, ready for the system's viewer. Refuses program types."""
    safe = safe_name(name, sha256[:12])
    if is_executable(safe):
        raise ServiceError(
            "{name} is a program or script file (.{ext}) that could harm this computer, so "
            "parapp does not open it: ask the sender what it is.",
            name=safe, ext=extension(safe))
    source = evidence_file(db, sha256)
    root = copies_folder(db)
    _remove_old(root)
    # One folder per document, so two documents of the same name never overwrite each other.
    folder = root / sha256[:16]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe
    if target.resolve().parent != folder.resolve():  # a last check: never outside it
        raise ServiceError("The file name {name} cannot be used.", name=safe)
    if target.is_symlink():
        target.unlink()
    temp = folder / f".{safe}.{os.getpid()}.part"
    digest = hashlib.sha256()
    with source.open("rb") as src, temp.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != sha256.lower():
        temp.unlink(missing_ok=True)
        raise ServiceError(
            "The stored copy of {name} is damaged (its content is not the document that was "
            "received), so it is not opened: restore a backup or ask for the document again.",
            name=safe)
    os.replace(temp, target)
    return target


def _remove_old(root: Path) -> None:
    """Copies older than a day: a viewer has long finished with them (a copy still open,
    on Windows, cannot be removed and stays until next time)."""
    if not root.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for folder in root.iterdir():
        try:
            if folder.is_dir() and not folder.is_symlink() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
