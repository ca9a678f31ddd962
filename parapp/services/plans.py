"""Remediation plans: draft from lost points, carry over, edit items, record progress."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    AssessmentRow,
    IssuedDocumentRow,
    PlanItemRow,
    PlanRow,
    ProgressUpdateRow,
)
from parapp.domain.deadlines import parse_deadline
from parapp.domain.office import OfficeProfile
from parapp.domain.remediation import (
    ItemStatus,
    PlanDocument,
    PlanStatus,
    ProgressUpdate,
    RemediationItem,
    Signer,
    SignMode,
    carry_over,
    draft_items,
)
from parapp.domain.text import clean
from parapp.i18n import in_vietnamese

from . import office_lists
from .assessments import find_row, view
from .common import Need, NotFound, ServiceError, now, unit_row
from .mapping import item_from_row, set_from_rows
from .office_profile import get_profile
from .plan_redraft import redraft
from .plan_rows import (
    KIND_ANNUAL,  # noqa: F401 - callers know it as plans.KIND_ANNUAL
    KIND_REMEDIATION,
    PlanView,
    _plan_row,
    document_from_json,
    document_to_json,
    plan_view,
)
from .setup import default_signer
from .to_rows import item_to_row


def place_of(unit_name: str) -> str:
    """The place in the date line: "Xã Hoàng Văn Thụ" -> "Hoàng Văn Thụ"."""
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn "):
        if unit_name.startswith(prefix):
            return unit_name[len(prefix) :]
    return unit_name


def default_document(
    unit_name: str,
    year: int,
    signer: Signer | None = None,
    profile: OfficeProfile | None = None,
) -> PlanDocument:
    """A first document the clerk edits. Texts left empty print the defaults of
    ``resources/documents/defaults.json``; the legal basis is written from the result.
    ``signer``: the default signer set in Cài đặt, else the office profile's (the chairman
    for a committee). ``profile`` gives the symbol and place too (KH-SNV, "Lạng Sơn")."""
    committee = Signer(mode=SignMode.TM, body="ỦY BAN NHÂN DÂN", position="CHỦ TỊCH")
    return PlanDocument(
        symbol=profile.symbol("KH") if profile is not None else "KH-UBND",
        place=profile.place if profile is not None else place_of(unit_name),
        summary=f"Khắc phục tồn tại, hạn chế theo kết quả Chỉ số cải cách hành chính năm {year}",
        signer=signer or (profile.signer() if profile is not None else committee),
    )


def own_profile(db: Database) -> OfficeProfile | None:
    """The office's profile, or None for a database that does not say whose it is."""
    try:
        return get_profile(db)
    except NotFound:
        return None


def draft_plan(
    db: Database,
    assessment_year: int | None = None,
    *,
    include_full_marks: bool = False,
    carry_over_unfinished: bool = False,
    replace_existing: bool = False,
    reset_document: bool = False,
    default_lead: str = "",
    default_coordinating: str = "",
) -> PlanView:
    """Draft the remediation plan that follows an assessment's result.

    The plan is for the year after the assessed one (results of 2023 are remedied in 2024).
    Items for the criteria that lost points (those lost for the same reason share one), with
    tasks written from the kind of criterion, the appraiser's comments and the set's guidance
    (``draft_items``); optionally "tiếp tục duy trì" items for the areas' criteria at full
    marks, and last plan's unfinished items (linked to where they came from, which the
    document prints).

    Replacing a draft replaces its items only: the plan (its id, known to the appraiser) and
    its document fields (signer, recipients, legal bases, texts, summary, place) stay, unless
    ``reset_document``. ``PlanView.replaced`` says what was thrown away.
    """
    v = view(db, assessment_year)
    year = v.info.year + 1
    signer = default_signer(db)  # read before the session: sessions do not nest
    profile = own_profile(db)
    items = draft_items(
        v.cset,
        v.totals,
        year=year,
        figures=v.figures,
        include_full_marks=include_full_marks,
        default_lead=clean(default_lead),
        comments={code: score.appraisal_comment for code, score in v.scores.items()},
        render=in_vietnamese,
    )
    with db.session() as s:
        arow = find_row(s, v.info.year)
        if clean(default_lead) or clean(default_coordinating):
            # Units named for every item join the office's list, spelled as it spells them.
            lead = office_lists.remember(s, default_lead)
            coordinating = office_lists.remember(s, default_coordinating)
            items = [replace(i, lead=lead, coordinating=coordinating) for i in items]
        existing = s.scalars(
            select(PlanRow).where(
                PlanRow.unit_id == arow.unit_id,
                PlanRow.year == year,
                PlanRow.kind == KIND_REMEDIATION,
            )
        ).first()
        if existing is not None:
            if existing.status != PlanStatus.DRAFT:
                raise ServiceError(
                    "The {year} plan has been issued and cannot be redrafted.", year=year
                )
            issued = s.scalars(
                select(IssuedDocumentRow.id).where(IssuedDocumentRow.plan_id == existing.id)
            ).first()
            if issued is not None:
                # Its issued revisions must stay linked to it: revise it instead.
                raise ServiceError(
                    "The {year} plan has issued revisions; change it with 'parapp plan revise' "
                    "instead of drafting it again.",
                    year=year,
                )
            if not replace_existing:
                raise ServiceError(
                    "There is already a {year} plan; drafting it again replaces the items "
                    "typed so far.",
                    year=year,
                    need=Need.REPLACE,
                )
        if carry_over_unfinished:
            previous = s.scalars(
                select(PlanRow)
                .where(
                    PlanRow.unit_id == arow.unit_id,
                    PlanRow.year < year,
                    PlanRow.kind == KIND_REMEDIATION,
                )
                .order_by(PlanRow.year.desc())
            ).first()
            if previous is not None:
                old = [item_from_row(r) for r in previous.items]
                # A new loss replaces an old item on its criterion; "keep up" does not.
                covered = {c for item in items if not item.keep_up for c in item.node_codes}
                items.extend(carry_over(old, year, covered))
                # Keep the plan grouped by area, in the criteria set's order.
                order = {n.code: k for k, n in enumerate(v.cset.nodes)}
                items.sort(
                    key=lambda i: (
                        order.get(i.area_code or "", len(order)),
                        i.carried_from is not None,
                        i.position,
                    )
                )
        items = [replace(item, position=k) for k, item in enumerate(items)]
        document = default_document(arow.unit.name, v.info.year, signer, profile)
        if existing is not None:
            return replace(
                redraft(s, existing, arow.id, items, document if reset_document else None),
                warnings=tuple(v.figures.warnings()),
            )
        plan = new_plan(
            s,
            unit_id=arow.unit_id,
            year=year,
            kind=KIND_REMEDIATION,
            document=document,
            items=items,
            assessment_id=arow.id,
        )
        return replace(plan, warnings=tuple(v.figures.warnings()))


def new_plan(
    s: Session,
    *,
    unit_id: int,
    year: int,
    kind: str,
    document: PlanDocument,
    items: list[RemediationItem],
    assessment_id: int | None = None,
) -> PlanView:
    """Store a new draft plan with its items, inside the caller's transaction."""
    stamp = now()
    plan = PlanRow(
        uuid=str(uuid.uuid4()),
        unit_id=unit_id,
        assessment_id=assessment_id,
        year=year,
        kind=kind,
        status=PlanStatus.DRAFT.value,
        document_json=document_to_json(document),
        created_at=stamp,
        updated_at=stamp,
    )
    plan.items = [item_to_row(i) for i in items]
    s.add(plan)
    s.flush()
    s.refresh(plan)
    return plan_view(plan)


def get_plan(db: Database, year: int | None = None, kind: str = KIND_REMEDIATION) -> PlanView:
    with db.session() as s:
        return plan_view(_plan_row(s, year, kind))


def _item_row(s: Session, item_id: str) -> PlanItemRow:
    row = s.scalars(select(PlanItemRow).where(PlanItemRow.uuid == item_id)).first()
    if row is None:
        raise NotFound("There is no plan item {id}.", id=item_id)
    if row.plan.status not in (PlanStatus.DRAFT, PlanStatus.ISSUED):
        raise ServiceError("This plan can no longer be changed.")
    return row


def update_item(db: Database, item_id: str, **fields: str) -> RemediationItem:
    """Edit an item's texts; a deadline is re-parsed from the clerk's new wording."""
    allowed = {"shortcoming", "tasks", "lead", "coordinating", "deadline", "product"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown item fields {sorted(unknown)}")
    with db.session() as s:
        row = _item_row(s, item_id)
        if row.plan.status != PlanStatus.DRAFT:
            # The deadline is printed too: changing any wording needs a new revision.
            raise ServiceError(
                "The plan has been issued; its wording is frozen. Make a new revision to "
                "change it ('parapp plan revise')."
            )
        item = item_from_row(row)
        changes: dict[str, Any] = {
            k: office_lists.remember(s, v) if k in ("lead", "coordinating") else clean(v)
            for k, v in fields.items()
            if k != "deadline"
        }
        if "deadline" in fields:
            try:
                changes["deadline"] = parse_deadline(fields["deadline"], default_year=row.plan.year)
            except ValueError:
                raise ServiceError("The deadline cannot be empty.") from None
        item = replace(item, **changes)
        item_to_row(item, row)
        row.plan.updated_at = now()
        return item


def add_item(db: Database, year: int | None, item: RemediationItem) -> RemediationItem:
    """Add an item by hand (PAPI or Dân vận items have no scored node)."""
    with db.session() as s:
        plan = _plan_row(s, year)
        if plan.status != PlanStatus.DRAFT:
            raise ServiceError("The plan has been issued; items cannot be added.")
        item = replace(item, position=len(plan.items), by_hand=True)
        plan.items.append(item_to_row(item))
        plan.updated_at = now()
        return item


def record_progress(
    db: Database, item_id: str, on: date, percent: int, note: str = ""
) -> RemediationItem:
    """A dated progress update (what the quarterly reports quote); 100% marks it done."""
    if not 0 <= percent <= 100:
        raise ServiceError("Progress must be between 0 and 100%.")
    with db.session() as s:
        row = _item_row(s, item_id)
        item = item_from_row(row).with_progress(ProgressUpdate(on, percent, clean(note)))
        row.updates.append(ProgressUpdateRow(on_date=on, percent=percent, note=clean(note)))
        row.progress = item.progress
        row.status = item.status.value
        row.plan.updated_at = now()
        return item_from_row(row)


def set_status(db: Database, item_id: str, status: ItemStatus) -> RemediationItem:
    with db.session() as s:
        row = _item_row(s, item_id)
        row.status = status.value
        if status is ItemStatus.DONE:
            row.progress = 100
        return item_from_row(row)


DOCUMENT_FIELDS = frozenset(
    {"place", "summary", "purposes", "requirements", "solutions", "organisation", "symbol"}
)


def update_document(
    db: Database,
    year: int | None = None,
    kind: str = KIND_REMEDIATION,
    *,
    signer: Signer | None = None,
    recipients: tuple[str, ...] | None = None,
    legal_bases: tuple[str, ...] | None = None,
    **texts: str,
) -> PlanDocument:
    """Edit the plan's document fields (the header, texts, recipients and signer); the
    number and date are given when the plan is issued, never here."""
    unknown = set(texts) - DOCUMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown document fields {sorted(unknown)}")
    with db.session() as s:
        row = _plan_row(s, year, kind)
        if row.status != PlanStatus.DRAFT:
            raise ServiceError(
                "The plan has been issued; its wording is frozen. Make a new revision to "
                "change it ('parapp plan revise')."
            )
        document = document_from_json(row.document_json)
        changes: dict[str, Any] = {k: clean(v) for k, v in texts.items()}
        if signer is not None:
            changes["signer"] = replace(
                signer,
                body=clean(signer.body),
                head_title=clean(signer.head_title),
                position=clean(signer.position),
                name=clean(signer.name),
            )
        if recipients is not None:
            changes["recipients"] = tuple(clean(r) for r in recipients if clean(r))
        if legal_bases is not None:
            changes["legal_bases"] = tuple(clean(b) for b in legal_bases if clean(b))
        document = replace(document, **changes)
        row.document_json = document_to_json(document)
        row.updated_at = now()
        return document


@dataclass(frozen=True)
class PlanSummary:
    """One remediation plan in the list the screen offers."""

    year: int
    status: PlanStatus
    revision: int
    items: int
    assessment_year: int | None  # the assessment whose result it remedies
    kind: str = KIND_REMEDIATION


def list_plans(db: Database, kind: str = KIND_REMEDIATION) -> list[PlanSummary]:
    """The unit's plans of ``kind``, newest first."""
    with db.session() as s:
        unit = unit_row(s)
        rows = s.scalars(
            select(PlanRow)
            .where(PlanRow.unit_id == unit.id, PlanRow.kind == kind)
            .order_by(PlanRow.year.desc())
        ).all()
        out = []
        for row in rows:
            arow = row.assessment_id and s.get(AssessmentRow, row.assessment_id)
            out.append(
                PlanSummary(
                    row.year,
                    PlanStatus(row.status),
                    row.revision or 1,
                    len(row.items),
                    arow.year if arow else None,
                    row.kind,
                )
            )
        return out


def copy_unfinished(db: Database, year: int | None = None) -> tuple[PlanView, int]:
    """Copy the previous plan's unfinished items into the draft plan of ``year`` (latest
    if None); returns the plan and how many items were copied.

    Items already copied (or about a criterion the plan already covers) are skipped, so
    doing it twice copies nothing the second time.
    """
    with db.session() as s:
        plan = _plan_row(s, year)
        if plan.status != PlanStatus.DRAFT:
            raise ServiceError(
                "The plan has been issued; items cannot be added. Make a new revision to "
                "change it ('parapp plan revise')."
            )
        previous = s.scalars(
            select(PlanRow)
            .where(
                PlanRow.unit_id == plan.unit_id,
                PlanRow.year < plan.year,
                PlanRow.kind == plan.kind,
            )
            .order_by(PlanRow.year.desc())
        ).first()
        if previous is None:
            raise ServiceError(
                "There is no plan before {year}, so there are no unfinished items to copy.",
                year=plan.year,
            )
        current = [item_from_row(r) for r in plan.items]
        done_before = {i.carried_from for i in current if i.carried_from}
        covered = {c for item in current if not item.keep_up for c in item.node_codes}
        old = [item_from_row(r) for r in previous.items if r.uuid not in done_before]
        copied = carry_over(old, plan.year, covered)
        start = len(plan.items)
        for k, item in enumerate(copied):
            plan.items.append(item_to_row(replace(item, position=start + k)))
        if copied:
            plan.updated_at = now()
            arow = plan.assessment_id and s.get(AssessmentRow, plan.assessment_id)
            if arow:
                # Keep the plan grouped by area, in the criteria set's order.
                nodes = set_from_rows(arow.criteria_set).nodes
                order = {n.code: k for k, n in enumerate(nodes)}
                ranked = sorted(
                    plan.items,
                    key=lambda r: (order.get(r.area_code or "", len(order)), r.position),
                )
                for k, r in enumerate(ranked):
                    r.position = k
        s.flush()
        s.refresh(plan)
        return plan_view(plan), len(copied)
