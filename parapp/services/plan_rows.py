"""A plan as stored and read back: its kinds, its view, its document as JSON, its row.

Below ``plans`` (drafting and editing), ``plan_redraft`` and ``plan_numbers``, which all
build on it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import PlanRow
from parapp.domain.errors import Phrase
from parapp.domain.remediation import (
    PlanDocument,
    PlanStatus,
    RemediationItem,
    Signer,
    SignMode,
)

from .common import Need, NotFound, unit_row
from .mapping import item_from_row


@dataclass(frozen=True)
class Replaced:
    """What ``plan draft --replace`` threw away: the old draft's items (those added by hand
    named, since nothing redrafts them) and whether the document fields were kept."""

    items: int
    by_hand: tuple[tuple[int, RemediationItem], ...]  # (its number, the item) added by hand
    removed: int  # removed items that could still have been restored
    document_kept: bool



KIND_REMEDIATION = "remediation"
KIND_ANNUAL = "annual"  # kế hoạch cải cách hành chính năm


@dataclass(frozen=True)
class PlanView:
    id: int
    uuid: str
    unit_code: str
    unit_name: str
    year: int
    kind: str
    status: PlanStatus
    document: PlanDocument
    items: tuple[RemediationItem, ...]
    revision: int = 1
    # Differences between the published result and the criterion scores, found when drafting.
    warnings: tuple[Phrase, ...] = ()
    replaced: Replaced | None = None  # set when drafting replaced an earlier draft

    def overdue(self, as_of: date) -> list[RemediationItem]:
        return [i for i in self.items if i.is_overdue(as_of)]


def document_to_json(doc: PlanDocument) -> str:
    data = asdict(doc)
    data["issued_on"] = doc.issued_on.isoformat() if doc.issued_on else None
    data["signer"]["mode"] = doc.signer.mode.value
    return json.dumps(data, ensure_ascii=False)


def document_from_json(text: str) -> PlanDocument:
    data: dict[str, Any] = json.loads(text or "{}")
    if not data:
        return PlanDocument()
    signer = data.pop("signer", {}) or {}
    issued = data.pop("issued_on", None)
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return PlanDocument(
        **fields,
        issued_on=date.fromisoformat(issued) if issued else None,
        signer=Signer(**{**signer, "mode": SignMode(signer.get("mode", "TM."))}),
    )


def plan_view(row: PlanRow) -> PlanView:
    return PlanView(
        id=row.id,
        uuid=row.uuid,
        unit_code=row.unit.code,
        unit_name=row.unit.name,
        year=row.year,
        kind=row.kind,
        status=PlanStatus(row.status),
        document=document_from_json(row.document_json),
        items=tuple(item_from_row(i) for i in row.items),
        revision=row.revision or 1,
    )


def latest_year_status(s: Session, kind: str) -> tuple[int, PlanStatus] | None:
    """The year and status of the latest plan of ``kind`` (the one :func:`_plan_row` finds
    without a year), without loading the plan: what a list of documents shows."""
    found = s.execute(
        select(PlanRow.year, PlanRow.status)
        .where(PlanRow.unit_id == unit_row(s).id, PlanRow.kind == kind)
        .order_by(PlanRow.year.desc())
        .limit(1)
    ).first()
    return (found.year, PlanStatus(found.status)) if found else None


def _plan_row(s: Session, year: int | None, kind: str = KIND_REMEDIATION) -> PlanRow:
    unit = unit_row(s)
    query = select(PlanRow).where(PlanRow.unit_id == unit.id, PlanRow.kind == kind)
    if year is not None:
        query = query.where(PlanRow.year == year)
    row = s.scalars(query.order_by(PlanRow.year.desc())).first()
    if row is None:
        if kind == KIND_ANNUAL:
            raise NotFound(
                "There is no annual reform plan yet; draft one first.",
                annual=True,
                need=Need.PLAN_DRAFT,
            )
        raise NotFound(
            "There is no remediation plan yet; draft one first.", annual=False, need=Need.PLAN_DRAFT
        )
    return row
