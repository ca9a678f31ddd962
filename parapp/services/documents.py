"""The documents screen and ``parapp plan render``: which documents there are data for,
their editing (number, date, texts), preview, saving, and the issued ones as printed.

Building and rendering are in ``document_build`` (re-exported here for the callers), under
the register of issued documents (``issuing``), which this module uses.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from db.engine import Database
from parapp.domain.remediation import PlanDocument, PlanStatus
from parapp.domain.text import clean
from parapp.printing.model import Document

from . import assessments, issuing, paper, plans
from .common import NotFound, ServiceError
from .document_build import (
    FORMATS,
    annual_plan,
    progress_report,
    remediation_plan,
    render,
    report_document,
    save,
    self_report,
)
from .files import write_atomic
from .issuing import IssuedInfo
from .plan_rows import latest_year_status
from .setup import get_setting, own_unit, set_setting

REMEDIATION_PLAN = "remediation-plan"
ANNUAL_PLAN = "annual-plan"
SELF_REPORT = "self-report"
PROGRESS_REPORT = "progress-report"
PLAN_KINDS = {REMEDIATION_PLAN: plans.KIND_REMEDIATION, ANNUAL_PLAN: plans.KIND_ANNUAL}
_REPORT_SYMBOL = "BC-UBND"


@dataclass(frozen=True)
class Choice:
    """A document the office can print: which builder, for which year."""
    kind: str  # REMEDIATION_PLAN | ANNUAL_PLAN | SELF_REPORT | PROGRESS_REPORT
    year: int  # the plan's year, or the assessed year of a self-assessment report
    status: PlanStatus = PlanStatus.DRAFT  # a plan's
    revision: int | None = None  # an issued revision, shown exactly as issued


@dataclass(frozen=True)
class Editing:
    """What the documents screen edits for one choice.

    ``number`` and ``issued_on`` of a draft are the ones the clerk intends (blank: the next
    number of the register and the day of issue); they print in the preview and are used
    when the plan is issued. A report's other fields come from the remediation plan."""
    choice: Choice
    document: PlanDocument
    number: str
    issued_on: date | None
    suggested_number: str
    revision: int = 1
    issued: tuple[IssuedInfo, ...] = ()

    @property
    def is_plan(self) -> bool:
        return self.choice.kind in PLAN_KINDS

    @property
    def frozen(self) -> bool:
        return self.is_plan and self.choice.status != PlanStatus.DRAFT

    @property
    def latest_issued(self) -> IssuedInfo | None:
        return self.issued[-1] if self.issued else None


def choices(db: Database) -> list[Choice]:
    """The documents there are data for, in the order the screen lists them."""
    # Each latest year and status alone: the screen reloads this list on every visit.
    with db.session() as s:
        try:
            latest = {kind: latest_year_status(s, kind) for kind in PLAN_KINDS.values()}
        except ServiceError:  # no unit set up yet
            return []
    out = [
        Choice(kind, *found)
        for kind, plan_kind in PLAN_KINDS.items()
        if (found := latest[plan_kind]) is not None
    ]
    with contextlib.suppress(ServiceError):
        out.append(Choice(SELF_REPORT, assessments.get_info(db).year))
    if (remediation := latest[plans.KIND_REMEDIATION]) is not None:
        out.append(Choice(PROGRESS_REPORT, remediation[0]))
    return out


def _pending_key(choice: Choice, field: str) -> str:
    return f"document.{choice.kind}.{choice.year}.{field}"


def pending_numbering(db: Database, choice: Choice) -> tuple[str, date | None]:
    """The number and date the clerk has typed for a document not yet issued."""
    number = get_setting(db, _pending_key(choice, "number"))
    when = get_setting(db, _pending_key(choice, "date"))
    return number, date.fromisoformat(when) if when else None


def set_pending_numbering(
    db: Database, choice: Choice, number: str, issued_on: date | None
) -> None:
    set_setting(db, _pending_key(choice, "number"), number)
    set_setting(db, _pending_key(choice, "date"), issued_on.isoformat() if issued_on else "")


def editing(db: Database, choice: Choice) -> Editing:
    """The fields of ``choice`` as stored, with the number the register would give next."""
    number, when = pending_numbering(db, choice)
    year = (when or date.today()).year
    if choice.kind in PLAN_KINDS:
        plan = plans.get_plan(db, choice.year, PLAN_KINDS[choice.kind])
        doc = plan.document
        issued = tuple(issuing.list_issued(db, plan.year, plan.kind))
        if choice.revision is not None:
            info = next(i for i in issued if i.revision == choice.revision)
            return Editing(choice, doc, info.number, info.issued_on, "", plan.revision, issued)
        if plan.status != PlanStatus.DRAFT:
            number, when = doc.number, doc.issued_on
        return Editing(
            Choice(choice.kind, plan.year, plan.status),
            doc,
            number,
            when,
            issuing.suggest_number(db, doc.symbol, year),
            plan.revision,
            issued,
        )
    base = PlanDocument(place=plans.place_of(own_unit(db).name))
    plan_year = choice.year + 1 if choice.kind == SELF_REPORT else choice.year
    with contextlib.suppress(ServiceError):
        base = plans.get_plan(db, plan_year).document
    doc = report_document(base, number, when)
    return Editing(choice, doc, number, when, issuing.suggest_number(db, _REPORT_SYMBOL, year))


def build(
    db: Database,
    choice: Choice,
    *,
    number: str = "",
    issued_on: date | None = None,
    as_of: date | None = None,
) -> Document:
    """The document of ``choice`` with the intended number and date (drafts print them)."""
    if choice.kind in PLAN_KINDS:
        plan = plans.get_plan(db, choice.year, PLAN_KINDS[choice.kind])
        if plan.status == PlanStatus.DRAFT:
            doc = replace(plan.document, number=clean(number), issued_on=issued_on)
            plan = replace(plan, document=doc)
        if choice.kind == ANNUAL_PLAN:
            return annual_plan(db, plan=plan)
        return remediation_plan(db, plan=plan)
    if choice.kind == SELF_REPORT:
        return self_report(db, choice.year, number=clean(number), issued_on=issued_on)
    return progress_report(
        db, as_of or date.today(), choice.year, number=clean(number), issued_on=issued_on
    )


def preview_pdf(
    db: Database,
    choice: Choice,
    *,
    number: str = "",
    issued_on: date | None = None,
    as_of: date | None = None,
) -> bytes:
    """The PDF the screen shows: an issued plan exactly as issued, anything else as built."""
    if choice.kind in PLAN_KINDS and choice.status != PlanStatus.DRAFT:
        with contextlib.suppress(NotFound):
            return issuing.reprint(db, choice.year, PLAN_KINDS[choice.kind], choice.revision)
    return render(build(db, choice, number=number, issued_on=issued_on, as_of=as_of), ".pdf")


def save_choice(
    db: Database,
    choice: Choice,
    out: Path,
    *,
    number: str = "",
    issued_on: date | None = None,
    as_of: date | None = None,
) -> Path:
    """Save ``choice`` as .pdf or .docx; an issued plan's PDF is the issued file itself, its
    Word copy the document it was printed from (appendix and QR code included)."""
    if out.suffix.lower() == ".pdf":
        write_atomic(out, preview_pdf(db, choice, number=number, issued_on=issued_on, as_of=as_of))
        return out
    issued = issued_as_printed(db, choice)
    if issued is not None:
        return save(issued, out)
    return save(build(db, choice, number=number, issued_on=issued_on, as_of=as_of), out)


def issued_as_printed(db: Database, choice: Choice) -> Document | None:
    """The document an issued plan (its latest revision unless ``choice`` names one) was
    printed from, QR code included; None for a draft or a plan issued before QR codes."""
    if choice.kind not in PLAN_KINDS or choice.status == PlanStatus.DRAFT:
        return None
    found = issuing.list_issued(db, choice.year, PLAN_KINDS[choice.kind])
    if choice.revision is not None:
        found = [i for i in found if i.revision == choice.revision]
    return paper.issued_document(db, found[-1]) if found else None


def issued_documents(db: Database) -> list[IssuedInfo]:
    """Every document issued from this database, newest first."""
    found = issuing._all_issued(db)
    return sorted(found, key=lambda i: (i.issued_on, i.id), reverse=True)


def issued_choice(info: IssuedInfo) -> Choice:
    return Choice(info.kind, info.plan_year, PlanStatus.ISSUED, info.revision)


__all__ = [
    "ANNUAL_PLAN",
    "FORMATS",
    "PROGRESS_REPORT",
    "REMEDIATION_PLAN",
    "SELF_REPORT",
    "Choice",
    "Editing",
    "annual_plan",
    "build",
    "choices",
    "editing",
    "issued_choice",
    "issued_documents",
    "pending_numbering",
    "preview_pdf",
    "progress_report",
    "remediation_plan",
    "render",
    "save",
    "save_choice",
    "self_report",
    "set_pending_numbering",
]
