"""What every service shares: the user-facing error and small helpers."""

from __future__ import annotations

from datetime import datetime

from parapp.domain.errors import DomainError


class ServiceError(DomainError):
    """Something the user asked for cannot be done; the message says why and what to do."""


class NotFound(ServiceError):
    pass


def now() -> datetime:
    """Local wall-clock time without tz: the office's own clock is the reference."""
    return datetime.now().replace(microsecond=0)
