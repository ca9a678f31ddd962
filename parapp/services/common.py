"""What every service shares: the user-facing error and small helpers."""

from __future__ import annotations

import errno
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import UnitRow
from parapp.domain.errors import DomainError, Need, Phrase
from parapp.i18n import N_


class ServiceError(DomainError):
    """Something the user asked for cannot be done; the message says why and what to do."""


class NotFound(ServiceError):
    pass


_REASONS = {
    errno.ENOENT: Phrase("the file or folder does not exist"),
    errno.EISDIR: Phrase("it is a folder, not a file"),
    errno.ENOTDIR: Phrase("a part of the path is not a folder"),
    errno.EACCES: Phrase("access is denied"),
    errno.EPERM: Phrase("the operation is not permitted"),
    errno.EEXIST: Phrase("it already exists"),
    errno.ENOSPC: Phrase("the disk is full"),
    errno.EROFS: Phrase("the disk is read-only"),
}


def os_reason(exc: OSError) -> Phrase | str:
    """A translatable reason for a file-system error (the OS's own text is English)."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def file_error(path: object, exc: OSError) -> ServiceError:
    return ServiceError("Cannot read {path}: {reason}", path=path, reason=os_reason(exc))


def now() -> datetime:
    """Local wall-clock time without tz: the office's own clock is the reference."""
    return datetime.now().replace(microsecond=0)


UNIT_UNKNOWN = N_("This database does not say which unit it belongs to yet.")


def unit_row(s: Session, unit_code: str | None = None) -> UnitRow:
    """The unit with ``unit_code``, or this office's own unit; a clear error if unknown."""
    query = select(UnitRow)
    query = query.where(UnitRow.code == unit_code) if unit_code else query.where(UnitRow.is_self)
    row = s.scalars(query).first()
    if row is None:
        if unit_code:
            raise NotFound("There is no unit {code} in this database.", code=unit_code)
        raise NotFound(UNIT_UNKNOWN, need=Need.UNIT_IDENTITY)
    return row
