"""The checks of an import that read this office's data: who may send what, replay, and the
criteria set a package needs (``sync_import`` runs them after the file's own checks).

What a folder's import reads once is kept in a ``Batch``: this office's unit, its role,
the keys it trusts and the criteria sets already mapped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session

from db.models import Setting, SyncLogRow
from parapp.domain.errors import Phrase
from parapp.domain.roles import ACCEPTS, PackageKind, PackageOutcome, Role
from parapp.services.sync_words import WORDS
from parapp.sync.package import OpenedPackage
from parapp.sync.safety import NotForThisOffice, PackageError

from . import sync_keys
from .common import Need, ServiceError, unit_row
from .criteria import find_set_row
from .mapping import set_from_rows
from .sync_sequence import RESET_OUTCOME


@dataclass
class Batch:
    """What stays the same while one folder is imported, read once instead of per file
    (an appraiser imports dozens of packages at a time)."""

    my_code: str
    my_appraiser: str | None
    role: Role
    keys: list[sync_keys.TrustedKey]
    sets: dict[tuple[str, int], Any] = field(default_factory=dict)

    @classmethod
    def read(cls, s: Session) -> Batch:
        me = unit_row(s)
        role = s.get(Setting, "role")
        return cls(me.code, me.appraiser_code or None, Role.of(role.value if role else None),
                   sync_keys.trusted_in(s, include_replaced=True))

    def trusted_map(self) -> dict[str, bytes]:
        return {k.fingerprint: k.public_key for k in self.keys if not k.replaced}

    def sender_of(self, fingerprint: str) -> sync_keys.TrustedKey | None:
        return next((k for k in self.keys if k.fingerprint == fingerprint), None)


def created_at(opened: OpenedPackage) -> datetime:
    stamp = datetime.fromisoformat(opened.manifest["created_at"])
    return stamp.astimezone().replace(tzinfo=None) if stamp.tzinfo else stamp


def assessment_uuid_of(opened: OpenedPackage) -> str:
    data = opened.data
    if isinstance(data, dict) and isinstance(data.get("assessment"), dict):
        return str(data["assessment"].get("uuid", ""))[:36]
    return ""


# -- checks --------------------------------------------------------------------------
def check_kind(batch: Batch, opened: OpenedPackage) -> sync_keys.TrustedKey:
    kind, role = opened.kind, batch.role
    sender = batch.sender_of(opened.manifest["sender"]["key_fingerprint"])
    assert sender is not None  # read_package accepted only trusted keys
    if kind == PackageKind.UNIT_CARD:
        # read_package opened it, so its key is trusted here already.
        raise NotForThisOffice(
            "This is the unit card of '{unit}', whose key this office already trusts: there "
            "is nothing to import.",
            unit=sender.unit_code,
        )
    if kind not in ACCEPTS[role]:
        raise PackageError(
            "A package of kind {kind} is not meant for {office}: it was sent to the wrong "
            "office.",
            kind=Phrase(WORDS.get(kind, kind)),
            office=Phrase("a commune office") if role is Role.COMMUNE
            else Phrase("an appraiser's office"),
        )
    if sender.unit_code != opened.manifest["sender"]["unit_code"]:
        raise PackageError(
            "The package says it is from unit '{claimed}', but it is signed with the key of "
            "'{actual}'.",
            claimed=opened.manifest["sender"]["unit_code"],
            actual=sender.unit_code,
        )
    return sender


def cset_for(s: Session, opened: OpenedPackage, batch: Batch) -> Any:
    ref = opened.manifest["criteria_set"]
    if ref is None:
        raise PackageError("The package does not say which criteria set it uses.")
    key = (ref["code"], ref["version"])
    try:
        if key not in batch.sets:  # a loaded (code, version) never changes: see _plan_set
            batch.sets[key] = set_from_rows(find_set_row(s, *key))
        return batch.sets[key]
    except ServiceError:
        raise PackageError(
            "The package uses criteria set {code} version {version}, which is not loaded "
            "here: import that criteria set first.",
            code=ref["code"],
            version=ref["version"],
        ) from None


# Built once: a statement made per call spends more time on its cache key than SQLite on
# running it (an appraiser's folder holds dozens of packages).
_APPLIED = select(SyncLogRow.id, SyncLogRow.package_id, SyncLogRow.outcome,
                  SyncLogRow.sequence, SyncLogRow.created_at).where(
    SyncLogRow.direction == "in",
    or_(
        and_(
            SyncLogRow.outcome == PackageOutcome.APPLIED.value,
            or_(
                SyncLogRow.package_id == bindparam("package_id"),
                and_(
                    SyncLogRow.kind == bindparam("kind"),
                    SyncLogRow.sender_code == bindparam("sender"),
                    SyncLogRow.assessment_uuid == bindparam("assessment"),
                ),
            ),
        ),
        # A reset of the sender's numbering: what was imported before it no longer orders.
        and_(SyncLogRow.outcome == RESET_OUTCOME, SyncLogRow.sender_code == bindparam("sender")),
    ),
)


@dataclass(frozen=True)
class Earlier:
    """The packages of the same kind, sender and assessment imported since the sender's
    last reset: the highest number among them and, for version 1 packages (no number),
    the newest date."""

    sequence: int | None
    sequence_made: datetime | None
    newest_made: datetime | None


def applied_before(s: Session, opened: OpenedPackage,
                   assessment_uuid: str) -> tuple[bool, Earlier]:
    """Whether this package was applied already (whatever resets came since: a package is
    never applied twice), and what came before it in its order: one read of the log."""
    rows = s.execute(_APPLIED, {"package_id": opened.package_id, "kind": opened.kind,
                                "sender": opened.manifest["sender"]["unit_code"],
                                "assessment": assessment_uuid}).all()
    if any(r.outcome == PackageOutcome.APPLIED and r.package_id == opened.package_id for r in rows):
        return True, Earlier(None, None, None)
    reset_id = max((r.id for r in rows if r.outcome == RESET_OUTCOME), default=0)
    since = [r for r in rows if r.outcome == PackageOutcome.APPLIED and r.id > reset_id]
    numbered = [r for r in since if r.sequence is not None]
    top = max(numbered, key=lambda r: r.sequence, default=None)
    made = [r.created_at for r in since if r.created_at is not None]
    return False, Earlier(top.sequence if top else None, top.created_at if top else None,
                          max(made) if made else None)


def _when(value: datetime | None) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if value is not None else "-"


def check_order(opened: OpenedPackage, sender: str, made: datetime, earlier: Earlier) -> None:
    """Refuse a package that is not newer than what was imported in its order (PackageError).

    The sender's number decides; the dates only go into the message. A version 1 package
    has no number: it is ordered by its date against other version 1 packages as before,
    and refused once a numbered package of its order was imported (a newer program sent it).
    """
    number = opened.sequence
    if number is not None:
        if earlier.sequence is not None and number <= earlier.sequence:
            raise PackageError(
                "This package (number {number}, dated {made} by the sender's clock) is older "
                "than one already imported from {sender} (number {last}, dated {last_made}), "
                "so it is refused; if {sender} restored an older backup, reset its numbering "
                "to accept its packages again.",
                need=Need.SENDER_RESET,
                number=number, made=_when(made), sender=sender, last=earlier.sequence,
                last_made=_when(earlier.sequence_made))
        return
    if earlier.sequence is not None:
        raise PackageError(
            "This package was made by an older version of the program than a package already "
            "imported from {sender}, so its order cannot be checked and it is refused; ask "
            "{sender} to update parapp and send it again.", sender=sender)
    if earlier.newest_made is not None and made < earlier.newest_made:
        raise PackageError(
            "This package (made {made}) is older than one already imported from the same "
            "sender (made {last}): importing it would undo newer data, so it is refused.",
            made=_when(made), last=_when(earlier.newest_made))
