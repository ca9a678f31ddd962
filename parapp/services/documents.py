"""Documents from the program's data: gather a builder's inputs, build, render.

The same ``Document`` goes to the PDF or the DOCX renderer, chosen by the output file's
extension. Documents are always Vietnamese, whatever the screen language.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from db.engine import Database
from parapp.domain.remediation import PlanDocument
from parapp.printing import builders
from parapp.printing.model import Document

from . import assessments, evidence, plans
from .common import ServiceError
from .files import write_atomic
from .setup import own_unit

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
    return {a.code: previous.totals.nodes[a.code].achieved for a in previous.cset.roots()}


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
            change=view.change,
            previous_area_points=_previous_area_points(db, assessed - 1),
            with_appendix=with_appendix,
        )
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
        )
    )


__all__ = [
    "FORMATS",
    "annual_plan",
    "progress_report",
    "remediation_plan",
    "render",
    "save",
    "self_report",
]
