"""Documents from the program's data: gather a builder's inputs, build, render.

The same ``Document`` goes to the PDF or the DOCX renderer, chosen by the output file's
extension. Documents are always Vietnamese, whatever the screen language. (The register of
issued documents, ``issuing``, builds with these; the documents screen's choices and
editing are in ``documents``, above both.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from db.engine import Database
from parapp.domain.remediation import ItemStatus, PlanDocument
from parapp.printing import builders, nd30, qrtext
from parapp.printing.builders.inputs import ExpectedRecovery
from parapp.printing.builders.progress import state_as_of
from parapp.printing.model import Document, Header

from . import assessments, evidence, index_results, office_profile, plan_whatif, plans
from .common import ServiceError
from .criteria import get_set
from .files import write_atomic
from .setup import own_unit, pad_ranks

FORMATS = (".pdf", ".docx")


def render(document: Document, suffix: str) -> bytes:
    """PDF or DOCX bytes of ``document`` (same data, same bytes)."""
    if suffix.lower() == ".pdf":
        from parapp.printing.pdf import render_pdf  # reportlab: 0.3 s to import, only here

        return render_pdf(document)
    if suffix.lower() == ".docx":
        from parapp.printing.docx import render_docx  # python-docx: as render_pdf

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


def report_document(
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
            document=report_document(base, number, issued_on),
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
            document=report_document(plan.document, number, issued_on),
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

    done = [i.id for i in plan.items if state_as_of(i, as_of).status is ItemStatus.DONE]
    if not done:
        return None
    try:
        w = plan_whatif.whatif(db, plan.year, done)
    except ServiceError:  # the plan answers no assessment here: nothing measurable
        return None
    return ExpectedRecovery(w.recovered, w.projected_points, w.max_points, w.projected_index)


def document_qr(db: Database, header: Header, doc_id: str, content_sha256: str) -> str:
    """The QR text of an issued document with this header (number and date stamped)."""
    if header.date is None:
        raise ValueError("an issued document has a date")
    reference = f"{nd30.padded(header.number)}/{header.symbol}"
    return qrtext.QrText(
        qrtext.DOCUMENT, own_unit(db).code, reference, header.date, doc_id, content_sha256
    ).text()
