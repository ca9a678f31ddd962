"""Documents from the program's data: gather a builder's inputs, build, render.

The same ``Document`` goes to the PDF or the DOCX renderer, chosen by the output file's
extension. Documents are always Vietnamese, whatever the screen language.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from db.engine import Database
from parapp.domain.remediation import ItemStatus, PlanDocument
from parapp.domain.text import clean
from parapp.printing import builders
from parapp.printing.builders.inputs import ExpectedRecovery
from parapp.printing.model import Document

from . import assessments, evidence, index_results, office_profile, plans
from .common import NotFound, ServiceError
from .files import write_atomic
from .setup import get_setting, own_unit, pad_ranks, set_setting

if TYPE_CHECKING:
    from .issuing import IssuedInfo

FORMATS = (".pdf", ".docx")


def render(document: Document, suffix: str) -> bytes:
    """PDF or DOCX bytes of ``document`` (same data, same bytes)."""
    if suffix.lower() == ".pdf":
        from parapp.printing.pdf import render_pdf

        return render_pdf(document)
    if suffix.lower() == ".docx":
        from parapp.printing.docx import render_docx

        return render_docx(document)
    raise ServiceError("Save the document as a .pdf or .docx file.")


def save(document: Document, out: Path) -> Path:
    write_atomic(out, render(document, out.suffix))
    return out


def _previous_area_points(
    db: Database, year: int, unit_code: str | None = None
) -> Mapping[str, Decimal] | None:
    try:
        previous = assessments.view(db, year, unit_code)
    except ServiceError:
        return None
    return {r.code: r.points for r in previous.figures.rows if r.counted}


def remediation_plan(
    db: Database,
    year: int | None = None,
    *,
    with_appendix: bool = False,
    plan: plans.PlanView | None = None,
) -> Document:
    """The remediation plan for ``year`` (the latest when None), from its assessment.

    ``plan`` prints that plan as given instead of the stored one (issuing prints the plan
    with its number before the number is committed)."""
    plan = plan or plans.get_plan(db, year)
    assessed = plan.year - 1
    view = assessments.view(db, assessed)
    return builders.build_remediation_plan(
        builders.PlanInput(
            unit=own_unit(db),
            document=plan.document,
            items=plan.items,
            year=plan.year,
            assessed_year=assessed,
            cset=view.cset,
            totals=view.totals,
            result=view.result,
            figures=view.figures,
            change=view.change,
            previous_area_points=_previous_area_points(db, assessed - 1),
            with_appendix=with_appendix,
            pad_ranks=pad_ranks(db),
            extra_indices=_other_indices(db, assessed, view.cset.index_kind.value),
            profile=office_profile.get_profile(db),
        )
    )


def _other_indices(db: Database, year: int, main_kind: str) -> tuple[builders.IndexData, ...]:
    """The results of the other indices for ``year`` (SIPAS, PAPI ...): each gives the plan
    a part with its result sentence, with or without items of its own."""
    return tuple(
        builders.IndexData(r.kind, result=r.result)
        for r in index_results.list_results(db, year)
        if r.kind != main_kind
    )


def annual_plan(
    db: Database, year: int | None = None, *, plan: plans.PlanView | None = None
) -> Document:
    plan = plan or plans.get_plan(db, year, plans.KIND_ANNUAL)
    from .criteria import get_set

    return builders.build_annual_plan(
        builders.AnnualPlanInput(
            unit=own_unit(db),
            document=plan.document,
            items=plan.items,
            cset=get_set(db),
            year=plan.year,
            profile=office_profile.get_profile(db),
        )
    )


def _report_document(
    base: PlanDocument, number: str = "", issued_on: date | None = None
) -> PlanDocument:
    """A report's own metadata: a draft (blank number) unless given; signer as the plan's."""
    return replace(
        PlanDocument(),
        place=base.place,
        number=number,
        issued_on=issued_on,
        signer=base.signer,
        title="BÁO CÁO",
        symbol="BC-UBND",
    )


def self_report(
    db: Database, year: int | None = None, *, number: str = "", issued_on: date | None = None
) -> Document:
    """The self-assessment report sent with the submission (self scores, evidence)."""
    view = assessments.view(db, year)
    citations: dict[str, list[str]] = {}
    for doc in evidence.list_evidence(db, view.info.year):
        for code in doc.node_codes:
            citations.setdefault(code, []).append(doc.citation)
    unit = own_unit(db)
    base = PlanDocument(place=plans.place_of(unit.name))
    with contextlib.suppress(ServiceError):
        base = plans.get_plan(db, view.info.year + 1).document
    return builders.build_self_report(
        builders.SelfReportInput(
            unit=unit,
            document=_report_document(base, number, issued_on),
            cset=view.cset,
            scores=view.scores,
            year=view.info.year,
            evidence={code: tuple(c) for code, c in citations.items()},
            profile=office_profile.get_profile(db),
        )
    )


def progress_report(
    db: Database,
    as_of: date,
    year: int | None = None,
    *,
    number: str = "",
    issued_on: date | None = None,
) -> Document:
    """Progress of the remediation plan of ``year`` (latest when None) as of a date."""
    plan = plans.get_plan(db, year)
    cset = None
    with contextlib.suppress(ServiceError):
        cset = assessments.view(db, plan.year - 1).cset
    expected = _expected(db, plan, as_of)
    return builders.build_progress_report(
        builders.ProgressInput(
            unit=own_unit(db),
            document=_report_document(plan.document, number, issued_on),
            plan_document=plan.document,
            items=plan.items,
            as_of=as_of,
            plan_year=plan.year,
            assessed_year=plan.year - 1,
            cset=cset,
            profile=office_profile.get_profile(db),
            expected=expected,
        )
    )


def _expected(db: Database, plan: plans.PlanView, as_of: date) -> ExpectedRecovery | None:
    """What the items finished by ``as_of`` should win back (the what-if of those items)."""
    from parapp.printing.builders.progress import state_as_of

    from . import plan_whatif

    done = [i.id for i in plan.items if state_as_of(i, as_of).status is ItemStatus.DONE]
    if not done:
        return None
    try:
        w = plan_whatif.whatif(db, plan.year, done)
    except ServiceError:  # the plan answers no assessment here: nothing measurable
        return None
    return ExpectedRecovery(w.recovered, w.projected_points, w.max_points, w.projected_index)


# -- the documents screen -------------------------------------------------------------------
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
    status: str = "draft"  # a plan's status: "draft" | "issued"
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
        return self.is_plan and self.choice.status != "draft"

    @property
    def latest_issued(self) -> IssuedInfo | None:
        return self.issued[-1] if self.issued else None


def choices(db: Database) -> list[Choice]:
    """The documents there are data for, in the order the screen lists them."""
    out: list[Choice] = []
    for kind, plan_kind in PLAN_KINDS.items():
        with contextlib.suppress(ServiceError):
            plan = plans.get_plan(db, None, plan_kind)
            out.append(Choice(kind, plan.year, plan.status))
    with contextlib.suppress(ServiceError):
        out.append(Choice(SELF_REPORT, assessments.view(db).info.year))
    with contextlib.suppress(ServiceError):
        out.append(Choice(PROGRESS_REPORT, plans.get_plan(db).year))
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
    from . import issuing

    number, when = pending_numbering(db, choice)
    year = (when or date.today()).year
    if choice.kind in PLAN_KINDS:
        plan = plans.get_plan(db, choice.year, PLAN_KINDS[choice.kind])
        doc = plan.document
        issued = tuple(issuing.list_issued(db, plan.year, plan.kind))
        if choice.revision is not None:
            info = next(i for i in issued if i.revision == choice.revision)
            return Editing(choice, doc, info.number, info.issued_on, "", plan.revision, issued)
        if plan.status != "draft":
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
    doc = _report_document(base, number, when)
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
        if plan.status == "draft":
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
    if choice.kind in PLAN_KINDS and choice.status != "draft":
        from . import issuing

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
    if choice.kind not in PLAN_KINDS or choice.status == "draft":
        return None
    from . import issuing, paper

    found = issuing.list_issued(db, choice.year, PLAN_KINDS[choice.kind])
    if choice.revision is not None:
        found = [i for i in found if i.revision == choice.revision]
    return paper.issued_document(db, found[-1]) if found else None


def issued_documents(db: Database) -> list[IssuedInfo]:
    """Every document issued from this database, newest first."""
    from . import issuing

    found = issuing._all_issued(db)
    return sorted(found, key=lambda i: (i.issued_on, i.id), reverse=True)


def issued_choice(info: IssuedInfo) -> Choice:
    return Choice(info.kind, info.plan_year, "issued", info.revision)


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
