"""Disk trouble in plain words: a full disk, a read-only data folder, a failing disk.

SQLite and the OS report these as ``sqlite3.OperationalError("database or disk is full")``,
``OSError(ENOSPC)`` and the like, which reach the user as a crash report unless someone
translates them. :func:`explain` turns any of them into a :class:`ServiceError` that says
what happened, that nothing was lost (SQLite rolled the transaction back; our file writes
go through a temporary file and a rename) and what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from parapp.domain.errors import DomainError
from parapp.i18n import N_  # marks the constants for the catalog (only literals are found)

from .common import ServiceError

DISK_FULL = N_(
    "The disk is full: {path}. Nothing was changed. Free some space on the disk "
    "(empty the Recycle Bin, move old files away) and try again."
)
READ_ONLY = N_(
    "The data folder is read-only: {path}. Nothing was changed. Copy the data folder to a "
    "disk you can write to, or ask for write permission, then try again."
)
DISK_ERROR = N_(
    "The disk could not be read or written: {path}. Nothing was changed. Check the disk "
    "(a USB stick pulled out, a failing disk), then try again; backups are in the "
    "'backups' folder."
)

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error itself, also when SQLAlchemy has wrapped it (``exc.orig``)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, sqlite3.Error):
            return exc
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return None


NEARLY_FULL = 1 << 20  # bytes: less than this left and a write of ours may well fail


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL
    except OSError:
        return False


def is_read_only(folder: Path) -> bool:
    """True if files cannot be created in ``folder`` (a read-only mount, a locked stick).

    Checked by trying, because permissions alone do not tell (root ignores them; Windows
    has ACLs); a read-only mount is also recognised from its flags without writing.
    """
    statvfs = getattr(os, "statvfs", None)
    try:
        if statvfs is not None and statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1):
            return True
        probe = folder / f".parapp-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return exc.errno in _READ_ONLY_ERRNOS
    return False


def explain(exc: BaseException, folder: Path) -> ServiceError | None:
    """A clear message for a disk problem in ``folder``, or None if ``exc`` is not one."""
    if isinstance(exc, ServiceError):
        return None
    if isinstance(exc, DomainError):  # e.g. "not a parapp database" because it cannot open
        cause = exc.__cause__
        return explain(cause, folder) if cause is not None else None
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.errno in _FULL_ERRNOS:
            return ServiceError(DISK_FULL, path=folder)
        if exc.errno in _READ_ONLY_ERRNOS and is_read_only(folder):
            return ServiceError(READ_ONLY, path=folder)
        if exc.errno == errno.EIO:
            return ServiceError(DISK_ERROR, path=folder)
        return None
    error = _sqlite_error(exc)
    if error is None:
        return None
    text = str(error).lower()
    code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF  # the primary result code
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return ServiceError(DISK_FULL, path=folder)
    if (
        code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR)
        or "readonly" in text
        or "unable to open" in text
        or "disk i/o" in text
    ):
        # A full disk often reaches SQLite as an I/O error (growing the -shm or -wal file).
        if _nearly_full(folder):
            return ServiceError(DISK_FULL, path=folder)
        if is_read_only(folder):
            return ServiceError(READ_ONLY, path=folder)
        if code == sqlite3.SQLITE_IOERR or "disk i/o" in text:
            return ServiceError(DISK_ERROR, path=folder)
    return None


@contextmanager
def disk_errors(folder: Path) -> Iterator[None]:
    """Re-raise disk trouble inside the block as a clear :class:`ServiceError`."""
    try:
        yield
    except Exception as exc:
        clear = explain(exc, folder)
        if clear is None:
            raise
        raise clear from exc


STICK_FULL = N_(
    "There is no space left on {path}, so the package was not written: free some space on "
    "the USB stick (or use another one), then export again."
)
STICK_READ_ONLY = N_(
    "{path} cannot be written (a locked or read-only USB stick, or no permission), so the "
    "package was not written: unlock the stick or choose another folder, then export again."
)


NO_DESTINATION = N_(
    "The folder {path} does not exist, so nothing was written: plug in the USB stick (or "
    "create the folder first), then try again."
)


def require_folder(folder: Path) -> None:
    """Refuse a destination that is not there: a stick that is not plugged in must not turn
    into a folder of the same name on the local disk, reported as written."""
    if not folder.is_dir():
        raise ServiceError(NO_DESTINATION, path=folder)


def stick_folder(out: Path) -> Path:
    """The folder a package goes to: ``out`` itself, or the folder of a file name."""
    out = Path(out)
    return out if out.is_dir() or not out.suffix else out.parent


@contextmanager
def on_stick(out: Path) -> Iterator[None]:
    """A full or read-only destination of an export, named as such: the OS's error, not
    the database's (an error of the data folder keeps its own message)."""
    require_folder(stick_folder(out))
    try:
        yield
    except OSError as exc:
        folder = stick_folder(out)
        if exc.errno in _FULL_ERRNOS:
            raise ServiceError(STICK_FULL, path=folder) from exc
        if exc.errno in _READ_ONLY_ERRNOS and is_read_only(_existing(folder)):
            raise ServiceError(STICK_READ_ONLY, path=folder) from exc
        raise


def _existing(folder: Path) -> Path:
    """The nearest folder that exists (a destination not made yet is probed there)."""
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    return folder


def check_writable(db_path: Path) -> None:
    """Refuse early, with the clear message, when the data folder cannot be written."""
    folder = db_path.parent
    if folder.is_dir() and is_read_only(folder):
        raise ServiceError(READ_ONLY, path=folder)
