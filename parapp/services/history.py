"""The change history (audit trail) as screens, reports and the sync package read it.

``db/audit.py`` writes the rows as changes are flushed; this module reads them per node,
per plan item and per assessment, and stores the rows that arrive in a package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from db import audit
from db.engine import Database
from db.models import (
    AssessmentRow,
    AuditRow,
    EvidenceLinkRow,
    EvidenceRow,
    IssuedDocumentRow,
)

from .assessments import find_row
from .common import ServiceError
from .plan_rows import KIND_REMEDIATION, _plan_row

KNOWN_ENTITIES = frozenset(
    {
        audit.NODE,
        audit.EVIDENCE_LINK,
        audit.EVIDENCE,
        audit.PLAN,
        audit.PLAN_ITEM,
        audit.DOCUMENT,
    }
)
# Column widths of audit_log: a package cannot make a row the schema would not hold.
_LIMITS = {"actor": 200, "entity": 32, "entity_key": 200, "assessment_uuid": 36, "field": 64}
EXPORT_KEYS = (
    "at",
    "actor",
    "entity",
    "entity_key",
    "assessment_uuid",
    "field",
    "old",
    "new",
    "source",
)


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change, values as stored (``db.audit.as_text``)."""

    at: datetime
    actor: str
    entity: str
    entity_key: str
    field: str
    old: str
    new: str
    source: str = audit.LOCAL
    assessment_uuid: str = ""
    # For evidence links and document edits, whose values are SHA-256s: the title.
    subject: str = ""

    @property
    def received(self) -> bool:
        """Came in a package rather than typed in this office."""
        return self.source != audit.LOCAL


def _titles(s: Session, shas: set[str]) -> dict[str, str]:
    shas.discard("")
    if not shas:
        return {}
    rows = s.execute(
        select(EvidenceRow.sha256, EvidenceRow.title).where(EvidenceRow.sha256.in_(shas))
    )
    return {sha: title for sha, title in rows}


def _entries(s: Session, rows: Iterable[AuditRow]) -> list[HistoryEntry]:
    rows = list(rows)
    shas: set[str] = set()
    for r in rows:
        if r.entity == audit.EVIDENCE_LINK:
            shas.update((r.old_value, r.new_value))
        elif r.entity == audit.EVIDENCE:
            shas.add(r.entity_key)
    titles = _titles(s, shas)
    out = []
    for r in rows:
        subject = ""
        if r.entity == audit.EVIDENCE_LINK:
            sha = r.new_value or r.old_value
            subject = titles.get(sha, sha[:12])
        elif r.entity == audit.EVIDENCE:
            subject = titles.get(r.entity_key, r.entity_key[:12])
        out.append(
            HistoryEntry(
                at=r.at,
                actor=r.actor,
                entity=r.entity,
                entity_key=r.entity_key,
                field=r.field,
                old=r.old_value,
                new=r.new_value,
                source=r.source,
                assessment_uuid=r.assessment_uuid,
                subject=subject,
            )
        )
    return out


def _newest_first(query: Any) -> Any:
    return query.order_by(AuditRow.at.desc(), AuditRow.id.desc())


def node_history(
    db: Database, code: str, year: int | None = None, *, unit_code: str | None = None
) -> list[HistoryEntry]:
    """Changes to one criterion's scores and evidence links in the assessment of ``year``
    (the latest when None), newest first."""
    with db.session() as s:
        arow = find_row(s, year, unit_code)
        rows = s.scalars(
            _newest_first(
                select(AuditRow).where(
                    AuditRow.assessment_uuid == arow.uuid,
                    AuditRow.entity.in_((audit.NODE, audit.EVIDENCE_LINK)),
                    AuditRow.entity_key == code,
                )
            )
        )
        return _entries(s, rows)


def item_history(db: Database, item_id: str) -> list[HistoryEntry]:
    """Changes to one plan item (``RemediationItem.id``, its uuid), newest first: its
    texts, status, progress reports, when it was made."""
    with db.session() as s:
        rows = s.scalars(
            _newest_first(
                select(AuditRow).where(
                    AuditRow.entity == audit.PLAN_ITEM, AuditRow.entity_key == item_id
                )
            )
        )
        return _entries(s, rows)


def plan_history(
    db: Database, year: int | None = None, kind: str = KIND_REMEDIATION
) -> list[HistoryEntry]:
    """Changes to a plan's document (texts, signer, number), its issuing and signing,
    newest first. Item changes are in :func:`item_history`."""
    with db.session() as s:
        plan = _plan_row(s, year, kind)
        documents = list(
            s.scalars(select(IssuedDocumentRow.uuid).where(IssuedDocumentRow.plan_id == plan.id))
        )
        rows = s.scalars(
            _newest_first(
                select(AuditRow).where(
                    or_(
                        (AuditRow.entity == audit.PLAN) & (AuditRow.entity_key == plan.uuid),
                        (AuditRow.entity == audit.DOCUMENT) & AuditRow.entity_key.in_(documents),
                    )
                )
            )
        )
        return _entries(s, rows)


def _export(row: AuditRow) -> dict[str, str]:
    return {
        "at": row.at.isoformat(timespec="seconds"),
        "actor": row.actor,
        "entity": row.entity,
        "entity_key": row.entity_key,
        "assessment_uuid": row.assessment_uuid,
        "field": row.field,
        "old": row.old_value,
        "new": row.new_value,
        "source": row.source,
    }


def assessment_history(db: Database, assessment_uuid: str) -> list[dict[str, str]]:
    """Everything recorded about one assessment, oldest first, as plain JSON-able dicts
    (the ``history`` of a sync package): its scores, evidence links and plans, and the
    title, number and date edits of the documents linked to it."""
    with db.session() as s:
        arow = s.scalars(select(AssessmentRow).where(AssessmentRow.uuid == assessment_uuid)).first()
        if arow is None:
            return []
        linked = (
            select(EvidenceRow.sha256)
            .join(EvidenceLinkRow, EvidenceLinkRow.evidence_id == EvidenceRow.id)
            .where(EvidenceLinkRow.assessment_id == arow.id)
        )
        rows = s.scalars(
            select(AuditRow)
            .where(
                or_(
                    AuditRow.assessment_uuid == assessment_uuid,
                    (AuditRow.entity == audit.EVIDENCE) & AuditRow.entity_key.in_(linked),
                )
            )
            .order_by(AuditRow.at, AuditRow.id)
        )
        return [_export(r) for r in rows]


def _invalid(n: int, what: str) -> ServiceError:
    return ServiceError(
        "Entry {n} of the change history in the package is not valid ({what}).",
        n=n,
        what=what,
    )


def _parse(n: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """One received row, checked: a package is data from outside, never trusted blindly."""
    if not isinstance(data, Mapping):
        raise _invalid(n, "not an object")
    out: dict[str, Any] = {}
    for key in EXPORT_KEYS:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise _invalid(n, key)
        if key in _LIMITS and len(value) > _LIMITS[key]:
            raise _invalid(n, key)
        out[key] = value
    if out["entity"] not in KNOWN_ENTITIES or not out["entity_key"] or not out["field"]:
        raise _invalid(n, "entity")
    try:
        at = datetime.fromisoformat(out["at"])
    except ValueError:
        raise _invalid(n, "at") from None
    out["at"] = at.replace(tzinfo=None, microsecond=0)
    return out


def check_rows(rows: Iterable[Mapping[str, Any]]) -> None:
    """Refuse received history before anything is planned (ServiceError naming the row)."""
    for n, data in enumerate(rows, start=1):
        _parse(n, data)


Identity = tuple[str, ...]


def _identity(row: Mapping[str, Any]) -> Identity:
    """What makes two rows the same change. Not the source: a row that comes back in the
    appraiser's package is the commune's own row, received, not a second change."""
    at: datetime = row["at"]
    rest = tuple(row[k] for k in EXPORT_KEYS if k not in ("at", "source"))
    return (at.isoformat(timespec="seconds"), *rest)


# What makes a stored row the same change as a received one (``_identity``), read as plain
# columns: an import compares thousands of rows.
_STORED = (AuditRow.at, AuditRow.actor, AuditRow.entity, AuditRow.entity_key,
           AuditRow.assessment_uuid, AuditRow.field, AuditRow.old_value, AuditRow.new_value)


def import_history(session: Session, rows: Iterable[Mapping[str, Any]], source: str) -> int:
    """Store the history rows received in a package (``source``: "package:<id>"), inside
    the caller's transaction; rows already stored are skipped, so receiving the same
    history twice stores it once. Returns how many rows were added.

    Every row is checked before any is added: one malformed row refuses them all.
    """
    parsed = [_parse(n, data) for n, data in enumerate(rows, start=1)]
    if not parsed:
        return 0
    assessments = {p["assessment_uuid"] for p in parsed if p["assessment_uuid"]}
    keys = {p["entity_key"] for p in parsed if not p["assessment_uuid"]}
    query = select(*_STORED).where(
        or_(
            AuditRow.assessment_uuid.in_(assessments),
            (AuditRow.assessment_uuid == "") & AuditRow.entity_key.in_(keys),
        )
    )
    seen = {(at.isoformat(timespec="seconds"), *rest) for at, *rest in session.execute(query)}
    new = []
    for p in parsed:
        identity = _identity(p)
        if identity in seen:
            continue
        seen.add(identity)
        new.append({"at": p["at"], "actor": p["actor"], "entity": p["entity"],
                    "entity_key": p["entity_key"], "assessment_uuid": p["assessment_uuid"],
                    "field": p["field"], "old_value": p["old"], "new_value": p["new"],
                    "source": source[:64]})
    # One executemany, as the audit trail writes its own rows: nothing reads them back as
    # objects in this session.
    if new:
        session.connection().execute(insert(AuditRow), new)
    return len(new)
