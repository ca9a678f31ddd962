"""The sync log as the front ends show it: one line per package made or received, with the
unit on the other side already read from the log's recipient record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.engine import Database
from db.models import SyncLogRow

EVERY_UNIT = "*"  # a package for every unit under an appraiser has no single recipient


@dataclass(frozen=True)
class LogLine:
    logged_at: datetime
    sent: bool
    kind: str  # a package kind, or "sequence-reset"
    sender_code: str
    other_code: str  # the recipient of what we sent, the sender of what we got; or EVERY_UNIT
    outcome: str  # applied / already / refused / exported / reset
    package_id: str
    file_name: str = ""
    sha256: str = ""
    message: str = ""


def other_unit(direction: str, sender_code: str, recipient: str) -> str:
    """The unit on the other side, from a log row's direction, sender and recipient record
    (JSON: ``{"unit_code": ...}`` or ``{"appraiser_of": ...}``; older rows: plain text)."""
    if direction != "out":
        return sender_code
    try:
        parsed = json.loads(recipient)
    except ValueError:
        return recipient
    if isinstance(parsed, dict):
        if "unit_code" in parsed:
            return str(parsed["unit_code"])
        if "appraiser_of" in parsed:
            return EVERY_UNIT
    return recipient


def log_lines(db: Database, limit: int = 200) -> list[LogLine]:
    """The sync log, newest first."""
    with db.session() as s:
        rows = s.scalars(
            select(SyncLogRow)
            .order_by(SyncLogRow.logged_at.desc(), SyncLogRow.id.desc())
            .limit(limit)
        ).all()
        return [
            LogLine(
                logged_at=row.logged_at,
                sent=row.direction == "out",
                kind=row.kind,
                sender_code=row.sender_code or "",
                other_code=other_unit(row.direction, row.sender_code or "", row.recipient or ""),
                outcome=row.outcome,
                package_id=row.package_id,
                file_name=row.file_name or "",
                sha256=row.sha256 or "",
                message=row.message or "",
            )
            for row in rows
        ]
