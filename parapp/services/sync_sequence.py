"""Packages in order without trusting clocks: the sender's sequence number.

Every package this office writes carries the next number of a counter it keeps per
recipient (``sync_counters``); the receiver refuses a package whose number is not above the
last one it imported of the same kind, sender and assessment (``sync_checks.check_order``).
The date in the manifest is shown, never compared: a PC whose clock said 2999 once, or
says 2000 now, still sends packages that are taken in the order they were made.

A sender whose numbering went back (its data restored from an older backup, the program
reinstalled without its data) would be refused for ever; the receiving office resets that
sender's numbering with a reason (``reset``), logged in the sync log, after which the next
package from it is accepted whatever its number and the order starts again from there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db.engine import Database
from db.models import SyncCounterRow, SyncLogRow, TrustedKeyRow
from parapp.domain.roles import PackageOutcome
from parapp.domain.text import clean

from .common import Need, ServiceError, now

RESET_KIND, RESET_OUTCOME = "sequence-reset", "reset"
MAX_REASON = 500


def recipient_key(recipient: Mapping[str, str]) -> str:
    """The counter's name for a manifest's recipient: one counter per unit, and one for
    "every unit under appraiser X" (criteria sets), which no single unit's counter shares."""
    if "unit_code" in recipient:
        return f"unit:{recipient['unit_code']}"
    return f"appraiser_of:{recipient['appraiser_of']}"


def next_sequence(db: Database, recipient: Mapping[str, str]) -> int:
    """Take the next number for ``recipient``, committed before the package is written: a
    package that then fails leaves a gap (harmless), never a number used twice."""
    key = recipient_key(recipient)
    with db.session() as s:
        row = s.get(SyncCounterRow, key)
        if row is None:
            row = SyncCounterRow(recipient=key, last_sequence=0)
            s.add(row)
        row.last_sequence += 1
        return row.last_sequence


@dataclass(frozen=True)
class SenderState:
    """What this office has imported from one sender, for ``parapp sync sender show``."""

    unit_code: str
    last_sequence: int | None  # the highest number imported since the last reset
    last_made: datetime | None  # that package's date, as the sender's clock wrote it
    last_imported: datetime | None
    reset_at: datetime | None
    reset_reason: str


def senders(db: Database, unit_code: str | None = None) -> list[SenderState]:
    """Every unit this office imported packages from (or reset), by unit code."""
    counted = (PackageOutcome.APPLIED.value, RESET_OUTCOME)
    query = select(SyncLogRow).where(SyncLogRow.direction == "in",
                                     SyncLogRow.outcome.in_(counted))
    if unit_code is not None:
        query = query.where(SyncLogRow.sender_code == unit_code)
    states: dict[str, dict[str, object]] = {}
    with db.session() as s:
        for row in s.scalars(query.order_by(SyncLogRow.id)):
            state = states.setdefault(row.sender_code, {
                "last_sequence": None, "last_made": None, "last_imported": None,
                "reset_at": None, "reset_reason": ""})
            if row.outcome == RESET_OUTCOME:  # what came before no longer counts
                state.update(last_sequence=None, last_made=None, reset_at=row.logged_at,
                             reset_reason=row.message)
                continue
            state["last_imported"] = row.logged_at
            last = state["last_sequence"]
            if row.sequence is not None and (not isinstance(last, int) or row.sequence > last):
                state.update(last_sequence=row.sequence, last_made=row.created_at)
    return [SenderState(code, **values) for code, values in sorted(states.items())]  # type: ignore[arg-type]


def reset(db: Database, unit_code: str, reason: str) -> SenderState:
    """Forget the order of ``unit_code``'s packages: its next package is accepted whatever
    its number ("already imported" still holds for a package imported before)."""
    reason = clean(reason).strip()
    if not reason:
        raise ServiceError(
            "Say why the sender's numbering is reset: the reason is kept in the sync log.",
            need=Need.REASON,
        )
    if len(reason) > MAX_REASON:
        raise ServiceError("The reason is too long ({length} characters, at most {limit}).",
                           length=len(reason), limit=MAX_REASON)
    with db.session() as s:
        known = s.scalars(select(TrustedKeyRow.unit_code).where(
            TrustedKeyRow.unit_code == unit_code)).first() or s.scalars(
            select(SyncLogRow.sender_code).where(SyncLogRow.sender_code == unit_code,
                                                 SyncLogRow.direction == "in")).first()
        if known is None:
            raise ServiceError("No package was ever received from unit {code} and its key is "
                               "not trusted here: there is nothing to reset.", code=unit_code)
    before = senders(db, unit_code)
    last = before[0].last_sequence if before else None
    with db.session() as s:
        s.add(SyncLogRow(
            package_id="", direction="in", kind=RESET_KIND, sender_code=unit_code,
            recipient="", assessment_uuid="", created_at=None, logged_at=now(),
            outcome=RESET_OUTCOME, sha256="", file_name="",
            summary_json=json.dumps({"last_sequence": last}), message=reason))
    return senders(db, unit_code)[0]
