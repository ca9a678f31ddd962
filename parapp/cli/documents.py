"""Official documents on the command line: render, issue, verify, sign and revise plans;
print the self-assessment and progress reports.

``add_commands(plan, sub)`` registers the ``plan`` actions on the existing ``plan`` group and
the ``report`` group on the top level. Services are imported inside the handlers so that
``parapp --help`` does not load the printing engine.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from parapp.domain.remediation import PlanStatus
from parapp.domain.text import clean
from parapp.i18n import _, format_date
from parapp.services import documents, issuing, paper, plans
from parapp.services.common import ServiceError
from parapp.services.files import write_atomic
from parapp.services.plans import KIND_ANNUAL, KIND_REMEDIATION, get_plan

from .handlers import _date, _db, _err, _out, _year

PASSPHRASE_ENV = "PARAPP_P12_PASSPHRASE"
# plan verify: 0 the current issued revision (or a signed copy of it), 1 unknown or altered,
# 3 genuine but superseded by a later revision (docs/documents.md)
EXIT_SUPERSEDED = 3
_FORMATS = (".pdf", ".docx")
_SCANS = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")


def _kind(args: argparse.Namespace) -> str:
    return KIND_ANNUAL if getattr(args, "annual", False) else KIND_REMEDIATION


def _what(kind: str) -> str:
    return (
        _("annual reform plan") if kind in (KIND_ANNUAL, "annual-plan") else _("remediation plan")
    )


def _target(text: str, formats: tuple[str, ...] = _FORMATS) -> Path:
    out = Path(text)
    if out.suffix.lower() not in formats:
        if formats == (".pdf",):
            raise ServiceError("Save the document as a .pdf file.")
        raise ServiceError("Save the document as a .pdf or .docx file.")
    return out


def _numbering(args: argparse.Namespace) -> tuple[str, date | None]:
    """A report's number and date: blank (a draft) unless --number is given."""
    number = clean(args.number)
    issued_on = _date(args.date)
    if number and issued_on is None:
        issued_on = date.today()
    return number, issued_on


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


# -- plan ---------------------------------------------------------------------------------
def plan_render(args: argparse.Namespace) -> int:
    out = _target(args.out)
    kind = _kind(args)
    with _db(args) as db:
        plan = plans.get_plan(db, args.year, kind)
        if out.suffix.lower() == ".pdf" and plan.status == PlanStatus.ISSUED:
            data = issuing.reprint(db, plan.year, kind)  # refuses a missing or altered copy
            info = issuing.list_issued(db, plan.year, kind)[-1]
            write_atomic(out, data)
            _out(
                _("Wrote {path}: the issued {what} No. {ref}, reprinted exactly as issued.").format(
                    path=out, what=_what(kind), ref=info.reference
                )
            )
            if args.appendix:
                _err(_("An issued plan is reprinted as it was issued; --appendix changes nothing."))
            return 0
        issued = None
        if plan.status == PlanStatus.ISSUED:  # a Word copy of what was issued, QR code included
            name = documents.ANNUAL_PLAN if kind == KIND_ANNUAL else documents.REMEDIATION_PLAN
            choice = documents.Choice(name, plan.year, plan.status)
            issued = documents.issued_as_printed(db, choice)
        if issued is not None:
            document = issued
        elif kind == KIND_ANNUAL:
            document = documents.annual_plan(db, plan.year)
        else:
            document = documents.remediation_plan(db, plan.year, with_appendix=args.appendix)
        documents.save(document, out)
    _out(_("Wrote {path}").format(path=out))
    return 0


def plan_issue(args: argparse.Namespace) -> int:
    out = _target(args.out, (".pdf",)) if args.out else None
    kind = _kind(args)
    with _db(args) as db:
        info = issuing.issue_plan(
            db,
            args.year,
            number=args.number,
            issued_on=_date(args.date),
            kind=kind,
            with_appendix=args.appendix,
        )
        if out is not None:
            write_atomic(out, issuing.reprint(db, info.plan_year, kind, info.revision))
    _out(
        _("Issued the {year} {what} as No. {ref} dated {date} (revision {revision}).").format(
            year=info.plan_year,
            what=_what(kind),
            ref=info.reference,
            date=format_date(info.issued_on),
            revision=info.revision,
        )
    )
    _out(_("SHA-256: {sha}").format(sha=info.sha256))
    _out(_("Stored at: {path}").format(path=info.path))
    if out is not None:
        _out(_("Copy written to {path}").format(path=out))
    return 0


def plan_verify(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with _db(args) as db:
        result = issuing.verify_pdf(db, path)
    info, sig = result.issued, result.signature
    if result.status == "issued" and info is not None:
        _out(
            _(
                "This is the issued {what} No. {ref} of {date} (revision {revision}), unchanged."
            ).format(
                what=_what(info.kind),
                ref=info.reference,
                date=format_date(info.issued_on),
                revision=info.revision,
            )
        )
    elif result.status == "signed-copy-of-issued" and info is not None:
        _out(
            _(
                "This is a digitally signed copy of the issued {what} No. {ref} of {date} "
                "(revision {revision}); the signature is intact and covers exactly the issued "
                "document."
            ).format(
                what=_what(info.kind),
                ref=info.reference,
                date=format_date(info.issued_on),
                revision=info.revision,
            )
        )
    elif result.status == "altered":
        _out(_("This PDF carries a digital signature, but it was changed after signing."))
        if info is not None:
            _out(
                _("It began as the issued {what} No. {ref}.").format(
                    what=_what(info.kind), ref=info.reference
                )
            )
    elif not result.readable:
        _out(_("This file is not a PDF this program can read."))
    else:
        _out(
            _(
                "This PDF is not a document issued from this database, nor a signed copy of "
                "one (a change of even one byte makes it so)."
            )
        )
    newer = result.superseded_by
    if newer is not None:
        _out(
            _("It is superseded by {ref} issued {date} (revision {revision}).").format(
                ref=newer.reference, date=format_date(newer.issued_on), revision=newer.revision
            )
        )
    if info is not None:
        _out(_("Issued document SHA-256: {sha}").format(sha=info.sha256))
    if sig is not None:
        when = sig.signing_time.astimezone() if sig.signing_time else None
        _out(_("Signed by: {signer}").format(signer=sig.signer or "-"))
        if when is not None:
            _out(
                _("Signing time: {date} {time}").format(
                    date=format_date(when.date()), time=f"{when:%H:%M:%S}"
                )
            )
        _out(_("Signature intact: {answer}").format(answer=_yes(sig.intact)))
        _out(_("Certificate trusted: {answer}").format(answer=_yes(sig.trusted)))
        _out(
            _("Signed revision identical to the issued PDF: {answer}").format(
                answer=_yes(result.covers_issued)
            )
        )
    if newer is not None:
        return EXIT_SUPERSEDED
    return 0 if result.ok else 1


def plan_sign(args: argparse.Namespace) -> int:
    out = _target(args.out, (".pdf",))
    secret = os.environ.get(args.passphrase_env)
    passphrase = secret.encode("utf-8") if secret is not None else None
    kind = _kind(args)
    with _db(args) as db:
        try:
            signed = issuing.sign_issued(
                db,
                args.year,
                kind,
                Path(args.p12),
                passphrase,
                out,
                reason=clean(args.reason) or issuing.DEFAULT_REASON,
                location=clean(args.location) or None,
            )
        except ServiceError:
            if secret is None:
                _err(
                    _(
                        "The passphrase is read from the environment variable {var}; it is "
                        "never taken on the command line."
                    ).format(var=args.passphrase_env)
                )
            raise
    _out(
        _("Signed the issued {what} No. {ref}; wrote {path}.").format(
            what=_what(kind), ref=signed.issued.reference, path=signed.out
        )
    )
    _out(_("Signed by: {signer}").format(signer=signed.signer))
    _out(_("SHA-256: {sha}").format(sha=signed.sha256))
    return 0


def plan_revise(args: argparse.Namespace) -> int:
    kind = _kind(args)
    with _db(args) as db:
        revision = issuing.new_revision(db, args.year, kind)

        year = get_plan(db, args.year, kind).year
    _out(
        _(
            "The {year} {what} can be edited again as revision {revision}; what was issued "
            "stays on record and reprints unchanged."
        ).format(year=year, what=_what(kind), revision=revision)
    )
    return 0


# -- verify-paper -------------------------------------------------------------------------
def verify_paper(args: argparse.Namespace) -> int:
    """Exit codes as plan verify: 0 the current revision, 3 superseded, 1 not proven."""

    source = sys.stdin.read() if args.source == "-" else args.source
    path = Path(source)
    with _db(args) as db:
        if args.source != "-" and (path.is_file() or path.suffix.lower() in _SCANS):
            check = paper.verify_file(db, path)
        else:
            check = paper.verify_text(db, source)
    lines, code = paper.describe(check)
    for line in lines:
        _out(line)
    return code


# -- report -------------------------------------------------------------------------------
def report_self_assessment(args: argparse.Namespace) -> int:
    out = _target(args.out)
    number, issued_on = _numbering(args)
    with _db(args) as db:
        documents.save(
            documents.self_report(db, args.period, number=number, issued_on=issued_on), out
        )
    _out(_("Wrote {path}").format(path=out))
    return 0


def report_progress(args: argparse.Namespace) -> int:
    out = _target(args.out)
    number, issued_on = _numbering(args)
    as_of = _date(args.as_of) or date.today()
    with _db(args) as db:
        documents.save(
            documents.progress_report(db, as_of, args.year, number=number, issued_on=issued_on),
            out,
        )
    _out(_("Wrote {path}").format(path=out))
    return 0


# -- registration -------------------------------------------------------------------------
def add_commands(plan: argparse._SubParsersAction, sub: argparse._SubParsersAction) -> None:
    """Add render/issue/verify/sign/revise to the ``plan`` group and the ``report`` group."""
    def which(c: argparse.ArgumentParser) -> None:
        c.add_argument("--year", type=_year, help="plan year (default: latest)")
        c.add_argument("--annual", action="store_true", help="the annual reform plan")

    c = plan.add_parser("render", help="print the plan to .pdf or .docx (issued: as issued)")
    c.add_argument("--out", required=True, metavar="FILE", help="the file to write: .pdf or .docx")
    which(c)
    c.add_argument("--appendix", action="store_true", help="add the appendix table of tasks")
    c.set_defaults(handler=plan_render)

    c = plan.add_parser("issue", help="number, date, store the final PDF and freeze the plan")
    which(c)
    c.add_argument("--number", help="register number (default: the next one)")
    c.add_argument("--date", help="date of issue, dd/mm/yyyy (default: today)")
    c.add_argument("--appendix", action="store_true", help="include the appendix table")
    c.add_argument("--out", metavar="FILE", help="also write a copy of the issued PDF")
    c.set_defaults(handler=plan_issue)

    c = plan.add_parser("verify", help="is this PDF the issued one (or a signed copy of it)?")
    c.add_argument("file", help="the PDF to check")
    c.set_defaults(handler=plan_verify)

    c = plan.add_parser("sign", help="digitally sign the issued PDF (PAdES) with a .p12 file")
    c.add_argument("--p12", required=True, metavar="FILE", help="PKCS#12 file (.p12 or .pfx)")
    c.add_argument(
        "--passphrase-env",
        default=PASSPHRASE_ENV,
        metavar="VAR",
        help="environment variable holding the passphrase (default PARAPP_P12_PASSPHRASE)",
    )
    c.add_argument("--out", required=True, metavar="FILE", help="where to write the signed PDF")
    which(c)
    c.add_argument("--reason", default="", help="reason recorded in the signature")
    c.add_argument("--location", default="", help="place recorded (default: the plan's)")
    c.set_defaults(handler=plan_sign)

    c = plan.add_parser("revise", help="make an issued plan editable as a new revision")
    which(c)
    c.set_defaults(handler=plan_revise)

    c = sub.add_parser(
        "verify-paper",
        help="which issued document is this paper? (its QR text, or a scan: PDF or image)",
    )
    c.add_argument(
        "source", help="the QR text (quoted), '-' to read it from stdin, or a scan (.pdf, .png …)"
    )
    c.set_defaults(handler=verify_paper)

    rep = sub.add_parser("report", help="reports (.pdf or .docx)").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    c = rep.add_parser("self-assessment", help="the self-assessment report")
    c.add_argument("--out", required=True, metavar="FILE", help="the file to write: .pdf or .docx")
    c.add_argument("--period", "--year", dest="period", type=_year, help="assessed year")
    c.add_argument("--number", default="", help="register number (default: blank, a draft)")
    c.add_argument("--date", help="dd/mm/yyyy (default: today when --number is given)")
    c.set_defaults(handler=report_self_assessment)

    c = rep.add_parser("progress", help="progress of the remediation plan as of a date")
    c.add_argument("--out", required=True, metavar="FILE", help="the file to write: .pdf or .docx")
    c.add_argument("--as-of", help="dd/mm/yyyy (default: today)")
    c.add_argument("--year", type=_year, help="plan year (default: latest)")
    c.add_argument("--number", default="", help="register number (default: blank, a draft)")
    c.add_argument("--date", help="dd/mm/yyyy (default: today when --number is given)")
    c.set_defaults(handler=report_progress)
