"""Why an import refused a file, in one sentence, and the refusal log.

A refusal is written to ``logs/sync-import.log`` beside the database, never to the
database itself (a refused file leaves it as it was). A full or read-only data folder is
named as such, not reported as a damaged package or a conflict.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from parapp.domain.errors import DomainError
from parapp.i18n import N_, message
from parapp.sync.package import nested_too_deeply
from parapp.sync.safety import PackageError

from .common import ServiceError, now
from .storage import DISK_FULL, READ_ONLY, explain


def log_refusal(db: Database, path: Path, error: BaseException,
                detail: BaseException | None = None) -> None:
    """Refusals go to a text log beside the database: the database stays untouched
    (``detail``: an unforeseen error, whose traceback is logged for whoever investigates)."""

    try:
        folder = db.paths.logs
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "sync-import.log").open("a", encoding="utf-8") as log:
            log.write(f"{now():%Y-%m-%d %H:%M:%S}\trefused\t{one_line(str(path))}\t"
                      f"{one_line(message(error))}\n")
            if detail is not None:
                log.write("".join(traceback.format_exception(detail)))
    except OSError:
        pass  # a log that cannot be written must not hide the refusal itself


def one_line(text: str) -> str:
    """Text for one line of a log: a newline, tab or other control character in a file name
    (or a name quoted in a message) is written escaped, so a line is one refusal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


DATA_FULL = N_("There is no space left in the data folder {path}, so the package was not "
               "imported and nothing was changed: free some space on this computer's disk, "
               "then import it again.")


def disk_full(db: Database, exc: BaseException) -> DomainError | None:
    """A full (or read-only) data folder, said as such: not a damaged package, not a
    conflict (SQLite's "database or disk is full" would read as either)."""
    clear = exc if isinstance(exc, ServiceError) else explain(exc, db.paths.folder)
    if clear is not None and clear.template == DISK_FULL:
        return ServiceError(DATA_FULL, path=db.paths.folder)
    # A read error may be the stick's: only a data folder that is read-only is named.
    if clear is not None and clear.template == READ_ONLY and not isinstance(exc, DomainError):
        return clear
    return None


def refusal(db: Database, path: Path,
             exc: Exception) -> tuple[DomainError, BaseException | None]:
    """The sentence for a file's refusal, and the error whose traceback the log keeps (an
    unforeseen one only)."""
    full = disk_full(db, exc)
    if full is not None:
        return full, None
    if isinstance(exc, DomainError):
        return exc, None
    if isinstance(exc, SQLAlchemyError):
        # A constraint the checks did not foresee: the file's transaction was rolled back,
        # so it is refused like any other, not a crash that stops the batch.
        return PackageError("The package cannot be stored: it conflicts with data already "
                            "here ({reason}).",
                            reason=type(getattr(exc, "orig", exc)).__name__), None
    if isinstance(exc, OSError):
        return ServiceError("Cannot read {path}: {reason}", path=path, reason=str(exc)), None
    if isinstance(exc, RecursionError):
        return nested_too_deeply(), None
    # Something no check foresaw (a library's own error on a crafted file): this file is
    # refused with the cause logged, and the other files go on.
    return PackageError("The package cannot be read: {reason}",
                        reason=f"{type(exc).__name__}: {exc}"[:300]), exc


