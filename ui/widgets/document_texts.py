"""Words the documents screen shows about a document: its name in the list, the banner of
an issued one, the file name offered when saving. The documents themselves are always
Vietnamese; these follow the screen's language.
"""

from __future__ import annotations

from parapp.domain.remediation import PlanStatus
from parapp.i18n import _, format_date
from parapp.services import documents
from parapp.services.documents import Choice, Editing
from parapp.services.issuing import printed_number

FILE_STEMS = {
    documents.REMEDIATION_PLAN: "ke-hoach-khac-phuc",
    documents.ANNUAL_PLAN: "ke-hoach-cchc",
    documents.SELF_REPORT: "bao-cao-tu-danh-gia",
    documents.PROGRESS_REPORT: "bao-cao-tien-do-khac-phuc",
}


def what(kind: str, year: int) -> str:
    if kind == documents.REMEDIATION_PLAN:
        return _("Remediation plan {year}").format(year=year)
    if kind == documents.ANNUAL_PLAN:
        return _("Annual reform plan {year}").format(year=year)
    if kind == documents.SELF_REPORT:
        return _("Self-assessment report {year}").format(year=year)
    return _("Progress report on the remediation plan {year}").format(year=year)


def reference(number: str, symbol: str) -> str:
    """ "01/KH-UBND": numbers under 10 padded, as ND30 prints them."""
    return f"{printed_number(number)}/{symbol}"


def choice_label(choice: Choice) -> str:
    name = what(choice.kind, choice.year)
    if choice.kind in documents.PLAN_KINDS:
        state = _("issued") if choice.status != PlanStatus.DRAFT else _("draft")
        return f"{name} ({state})"
    return name


def issued_label(kind: str, year: int, number: str, symbol: str, when: object) -> str:
    return _("Issued: {what}, No. {ref} of {date}").format(
        what=what(kind, year), ref=reference(number, symbol), date=format_date(when)  # type: ignore[arg-type]
    )


def banner(editing: Editing) -> str:
    """Why the form cannot be edited: issued, with its number and date."""
    ref = reference(editing.number, editing.document.symbol)
    when = format_date(editing.issued_on) if editing.issued_on else "—"
    text = _("Issued No. {ref} of {date} (revision {revision}).").format(
        ref=ref, date=when, revision=editing.choice.revision or editing.revision
    )
    if editing.choice.revision is not None:
        return text + " " + _("This is the issued PDF exactly as it was issued.")
    return text + " " + _(
        "Its wording is frozen; to change it, make an amended version (the issued document "
        "stays on record)."
    )


def report_note(editing: Editing) -> str:
    if editing.is_plan:
        return ""
    year = editing.choice.year
    if editing.choice.kind == documents.SELF_REPORT:
        year += 1  # the report of 2025 is signed like the plan of 2026
    return _(
        "The place and the signer are those of the remediation plan {year}; leave the number "
        "empty for a draft to sign."
    ).format(year=year)


def file_name(choice: Choice, suffix: str) -> str:
    stem = FILE_STEMS.get(choice.kind, "van-ban")
    extra = f"-ban-hanh-lan-{choice.revision}" if choice.revision is not None else ""
    return f"{stem}-{choice.year}{extra}{suffix}"
