"""Issuing a plan: number from the office's register, final PDF stored by its SHA-256, the
plan frozen; reprint, verify (also digitally signed copies) and sign.

Issued PDFs live in a content-addressed, append-only store beside the database
(``documents/ab/abcdef….pdf``). A file is written before the transaction that points at it
commits: an orphan file is harmless, a row pointing at nothing is not.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import IssuedDocumentRow, PlanRow
from parapp.domain.remediation import PlanStatus
from parapp.domain.text import clean
from parapp.printing import frozen, nd30, signing
from parapp.printing.model import Document

from . import document_build
from .common import Need, NotFound, ServiceError, file_error, now
from .files import write_atomic
from .plan_numbers import drop_removed
from .plans import (
    KIND_ANNUAL,
    KIND_REMEDIATION,
    PlanView,
    _plan_row,
    document_to_json,
    get_plan,
    plan_view,
)

DOC_KINDS = {KIND_REMEDIATION: "remediation-plan", KIND_ANNUAL: "annual-plan"}
DEFAULT_SYMBOL = "KH-UBND"
DEFAULT_REASON = "Ký ban hành văn bản"
_NUMBER = re.compile(r"^\d{1,6}$")


@dataclass(frozen=True)
class IssuedInfo:
    id: int
    kind: str  # "remediation-plan" | "annual-plan"
    plan_year: int
    revision: int
    number: str
    symbol: str
    issued_on: date
    sha256: str
    size: int
    path: Path  # the copy in the documents store
    signed_sha256: str | None = None
    plan_id: int | None = None  # the plan it is a revision of
    uuid: str = ""  # the document's id, printed in its QR code

    @property
    def reference(self) -> str:
        """ "01/KH-UBND", as the document prints it (numbers under 10 padded, ND30)."""
        return f"{nd30.padded(self.number)}/{self.symbol}"


@dataclass(frozen=True)
class VerifyResult:
    status: str  # "issued" | "signed-copy-of-issued" | "unknown" | "altered"
    issued: IssuedInfo | None = None
    # When signed: signer subject, signing time, intact, trusted, ...
    signature: signing.SignatureCheck | None = None
    covers_issued: bool = False  # the signed revision is byte-identical to the issued PDF
    readable: bool = True  # False: not a PDF this program can read
    # The latest revision of the same plan, when it is newer than ``issued``: the file is
    # genuine but no longer the plan in force.
    superseded_by: IssuedInfo | None = None

    @property
    def ok(self) -> bool:
        """Genuine and current."""
        return self.superseded_by is None and self.status in ("issued", "signed-copy-of-issued")


@dataclass(frozen=True)
class SignedInfo:
    issued: IssuedInfo
    out: Path
    sha256: str
    signer: str


def _doc_kind(kind: str) -> str:
    try:
        return DOC_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown plan kind {kind!r}") from None


def store_path(db: Database, sha256: str) -> Path:
    return db.paths.folder / "documents" / sha256[:2] / f"{sha256}.pdf"


def frozen_path(db: Database, sha256: str) -> Path:
    """The frozen content the issued PDF ``sha256`` was printed from (parapp.printing.frozen)."""
    return store_path(db, sha256).with_suffix(".json")


def _info(db: Database, row: IssuedDocumentRow, plan_year: int) -> IssuedInfo:
    return IssuedInfo(
        id=row.id,
        kind=row.kind,
        plan_year=plan_year,
        revision=row.revision,
        number=row.number,
        symbol=row.symbol,
        issued_on=row.issued_on,
        sha256=row.sha256,
        size=row.size,
        path=store_path(db, row.sha256),
        signed_sha256=row.signed_sha256,
        plan_id=row.plan_id,
        uuid=row.uuid,
    )


# -- the register -------------------------------------------------------------------------
def _register(s: Session, symbol: str, year: int) -> list[IssuedDocumentRow]:
    return list(
        s.scalars(
            select(IssuedDocumentRow).where(
                IssuedDocumentRow.symbol == symbol,
                IssuedDocumentRow.issued_on >= date(year, 1, 1),
                IssuedDocumentRow.issued_on <= date(year, 12, 31),
            )
        )
    )


def _next_number(rows: list[IssuedDocumentRow]) -> str:
    used = [int(r.number) for r in rows if r.number.isdigit()]
    return str(max(used, default=0) + 1)


def suggest_number(db: Database, symbol: str, year: int) -> str:
    """The next number in the office's register for ``symbol`` in ``year`` ("1" if none)."""
    with db.session() as s:
        return _next_number(_register(s, clean(symbol) or DEFAULT_SYMBOL, year))


def _check_number(s: Session, number: str, symbol: str, year: int) -> None:
    for row in _register(s, symbol, year):
        if row.number.isdigit() and int(row.number) == int(number):
            raise ServiceError(
                "Number {number}/{symbol} is already used in {year} (issued on {date}). "
                "Choose another number.",
                number=printed_number(number),  # "01/KH-UBND", as the document prints it
                symbol=symbol,
                year=year,
                date=row.issued_on.strftime("%d/%m/%Y"),
            )


# -- issuing ------------------------------------------------------------------------------
def _build(db: Database, plan: PlanView, *, with_appendix: bool) -> Document:
    """The plan's Document from ``plan`` as given: the stored plan does not have its number
    and date until the issuing transaction commits."""
    if plan.kind == KIND_ANNUAL:
        return document_build.annual_plan(db, plan=plan)
    return document_build.remediation_plan(db, with_appendix=with_appendix, plan=plan)


def _render_final(
    db: Database, plan: PlanView, *, with_appendix: bool, doc_id: str
) -> tuple[bytes, bytes]:
    """The final PDF, with its QR code, and the frozen content it is printed from.

    Printed once, from the frozen content itself: what 'verify-paper' renders again later
    is then what was issued (rendering is deterministic, which the tests hold)."""
    content = frozen.freeze(_build(db, plan, with_appendix=with_appendix))
    doc = frozen.thaw(content)
    qr = document_build.document_qr(db, doc.header, doc_id, hashlib.sha256(content).hexdigest())
    return document_build.render(replace(doc, qr=qr), ".pdf"), content


def _store(db: Database, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    target = store_path(db, sha)
    if not (target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == sha):
        write_atomic(target, data)
        with contextlib.suppress(OSError):  # make the new name durable too (POSIX only)
            fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    return sha


def _issuable(
    s: Session, year: int | None, kind: str, number: str | None, when: date
) -> tuple[PlanRow, PlanView, str, str]:
    """The plan's row and view, its symbol and the register number it would be issued
    under, or the refusal :func:`issue_plan` gives."""
    row = _plan_row(s, year, kind)
    before = plan_view(row)
    if row.status != PlanStatus.DRAFT:
        raise ServiceError(
            "The {year} plan has already been issued. To change it, make a new revision "
            "with 'parapp plan revise'.",
            year=row.year,
        )
    if not clean(before.document.signer.name):
        raise ServiceError(
            "The {year} plan cannot be issued without the signer's name; set it first.",
            year=row.year,
            annual=kind == KIND_ANNUAL,
            need=Need.SIGNER_NAME,
        )
    symbol = clean(before.document.symbol) or DEFAULT_SYMBOL
    if number is None:
        return row, before, symbol, _next_number(_register(s, symbol, when.year))
    chosen = clean(number)
    if not _NUMBER.match(chosen) or int(chosen) == 0:
        raise ServiceError(
            "'{number}' is not a register number; write digits only, e.g. 15.",
            number=number,
        )
    chosen = str(int(chosen))  # "07" and "7" are the same entry of the register
    _check_number(s, chosen, symbol, when.year)
    return row, before, symbol, chosen


def check_issue(
    db: Database,
    year: int | None = None,
    *,
    number: str | None = None,
    issued_on: date | None = None,
    kind: str = KIND_REMEDIATION,
) -> str:
    """The number :func:`issue_plan` would give the plan (the register's next when None),
    or its refusal, without issuing: the window asks to confirm only what can be issued."""
    with db.session() as s:
        return _issuable(s, year, kind, number, issued_on or date.today())[3]


def issue_plan(
    db: Database,
    year: int | None = None,
    *,
    number: str | None = None,
    issued_on: date | None = None,
    kind: str = KIND_REMEDIATION,
    with_appendix: bool = False,
) -> IssuedInfo:
    """Issue the plan of ``year`` (latest when None): number it, print the final PDF, store
    it with its SHA-256 and freeze the plan. Changing it later needs :func:`new_revision`."""
    doc_kind = _doc_kind(kind)
    when = issued_on or date.today()
    with db.session() as s:
        row, before, symbol, chosen = _issuable(s, year, kind, number, when)
        revision = row.revision
    stamped = replace(before, document=replace(before.document, number=chosen, issued_on=when))
    doc_id = str(uuid.uuid4())
    data, content = _render_final(db, stamped, with_appendix=with_appendix, doc_id=doc_id)
    sha = _store(db, data)
    write_atomic(frozen_path(db, sha), content)
    with db.session() as s:
        row = _plan_row(s, before.year, kind)
        if plan_view(row) != before or row.revision != revision:
            raise ServiceError(
                "The {year} plan was changed while it was being issued. Issue it again.",
                year=before.year,
            )
        _check_number(s, chosen, symbol, when.year)
        row.document_json = document_to_json(stamped.document)
        row.status = PlanStatus.ISSUED.value
        # An issued plan is final: items removed from the draft can no longer come back.
        drop_removed(s, row)
        row.updated_at = now()
        issued = IssuedDocumentRow(
            uuid=doc_id,
            kind=doc_kind,
            plan_id=row.id,
            assessment_id=row.assessment_id,
            revision=revision,
            number=chosen,
            symbol=symbol,
            issued_on=when,
            sha256=sha,
            size=len(data),
            created_at=now(),
        )
        s.add(issued)
        s.flush()
        return _info(db, issued, row.year)


def new_revision(db: Database, year: int | None = None, kind: str = KIND_REMEDIATION) -> int:
    """Turn an issued plan back into an editable draft, revision + 1, without number and
    date. The issued PDF and its record stay as they are. Returns the new revision."""
    with db.session() as s:
        row = _plan_row(s, year, kind)
        if row.status != PlanStatus.ISSUED:
            raise ServiceError(
                "The {year} plan has not been issued; it can be edited as it is.", year=row.year
            )
        doc = plan_view(row).document
        row.document_json = document_to_json(replace(doc, number="", issued_on=None))
        row.revision += 1
        row.status = PlanStatus.DRAFT.value
        row.updated_at = now()
        return row.revision


def list_issued(
    db: Database, year: int | None = None, kind: str = KIND_REMEDIATION
) -> list[IssuedInfo]:
    """Every issued revision of the plan, oldest first."""
    with db.session() as s:
        row = _plan_row(s, year, kind)
        found = s.scalars(
            select(IssuedDocumentRow)
            .where(IssuedDocumentRow.plan_id == row.id, IssuedDocumentRow.kind == _doc_kind(kind))
            .order_by(IssuedDocumentRow.revision)
        )
        return [_info(db, r, row.year) for r in found]


def _read_issued(info: IssuedInfo) -> bytes:
    try:
        data = info.path.read_bytes()
    except FileNotFoundError:
        raise ServiceError(
            "The issued PDF No. {ref} is missing from the documents store ({path}). Restore the "
            "'documents' folder beside the database from a copy.",
            ref=info.reference,
            path=info.path,
        ) from None
    except OSError as exc:
        raise file_error(info.path, exc) from None
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise ServiceError(
            "The stored copy of the issued PDF No. {ref} has been altered ({path}); it no longer "
            "matches the SHA-256 recorded when it was issued. Restore it from a copy.",
            ref=info.reference,
            path=info.path,
        )
    return data


def reprint(
    db: Database,
    year: int | None = None,
    kind: str = KIND_REMEDIATION,
    revision: int | None = None,
) -> bytes:
    """The exact bytes issued (the latest issued revision unless ``revision`` is given)."""
    found = list_issued(db, year, kind)
    if revision is not None:
        found = [i for i in found if i.revision == revision]
    if not found:
        raise NotFound("This plan has not been issued yet. Issue it with 'parapp plan issue'.")
    return _read_issued(found[-1])


# -- verifying ----------------------------------------------------------------------------
def _all_issued(db: Database) -> list[IssuedInfo]:
    with db.session() as s:
        rows = s.execute(
            select(IssuedDocumentRow, PlanRow.year).join(
                PlanRow, PlanRow.id == IssuedDocumentRow.plan_id, isouter=True
            )
        ).all()
        return [_info(db, r, year or r.issued_on.year) for r, year in rows]


def _issued_prefix(data: bytes, issued: list[IssuedInfo]) -> IssuedInfo | None:
    """The issued document whose bytes begin ``data`` (a signed copy is an incremental
    update appended to them)."""
    digests: dict[int, str] = {}
    for info in sorted(issued, key=lambda i: -i.size):
        if info.size >= len(data):
            continue
        if info.size not in digests:
            digests[info.size] = hashlib.sha256(data[: info.size]).hexdigest()
        if digests[info.size] == info.sha256:
            return info
    return None


def _newer(info: IssuedInfo, issued: list[IssuedInfo]) -> IssuedInfo | None:
    """The latest issued revision of the plan ``info`` belongs to, if it is a later one."""
    same = [
        other
        for other in issued
        if other.plan_id == info.plan_id
        and other.kind == info.kind
        and other.revision > info.revision
    ]
    return max(same, key=lambda other: other.revision, default=None)


def verify_pdf(db: Database, path: Path) -> VerifyResult:
    """Is the PDF at ``path`` a document this office issued, or a signed copy of one?"""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise file_error(path, exc) from None
    issued = _all_issued(db)
    sha = hashlib.sha256(data).hexdigest()
    for info in issued:
        if info.sha256 == sha:
            return VerifyResult("issued", info, superseded_by=_newer(info, issued))
    try:
        check = signing.check_signature(data)
    except signing.UnreadablePdf:
        return VerifyResult("unknown", readable=False)
    if check is None:
        return VerifyResult("unknown")
    prefix = _issued_prefix(data, issued)
    covers = prefix is not None and check.covers_prefix(prefix.size)
    if not check.acceptable:
        return VerifyResult("altered", prefix, check, covers)
    if covers and prefix is not None:
        newer = _newer(prefix, issued)
        return VerifyResult("signed-copy-of-issued", prefix, check, covers, superseded_by=newer)
    return VerifyResult("unknown", None, check)


# -- signing ------------------------------------------------------------------------------
def _identity_error(exc: signing.IdentityError, path: Path) -> ServiceError:
    if exc.reason == signing.IdentityError.PASSPHRASE_MISSING:
        return ServiceError(
            "The certificate file {path} is protected by a passphrase, and none was given.",
            path=path,
        )
    if exc.reason == signing.IdentityError.PASSPHRASE_WRONG:
        return ServiceError("The passphrase of the certificate file {path} is wrong.", path=path)
    if exc.reason == signing.IdentityError.NO_KEY:
        return ServiceError(
            "The certificate file {path} holds no private key to sign with.", path=path
        )
    return ServiceError(
        "{path} is not a certificate file with a private key (PKCS#12: .p12 or .pfx).", path=path
    )


def sign_issued(
    db: Database,
    year: int | None,
    kind: str,
    p12_path: Path,
    passphrase: bytes | None,
    out: Path,
    *,
    reason: str = DEFAULT_REASON,
    location: str | None = None,
) -> SignedInfo:
    """Sign the issued PDF (PAdES, invisible) and write the signed copy to ``out``.

    The issued bytes stay a prefix of the copy, so :func:`verify_pdf` recognises it. A
    wrong passphrase or file writes nothing.
    """
    found = list_issued(db, year, kind)
    if not found:
        raise NotFound("This plan has not been issued yet. Issue it with 'parapp plan issue'.")
    info = found[-1]
    data = _read_issued(info)
    try:
        p12 = p12_path.read_bytes()
    except OSError as exc:
        raise file_error(p12_path, exc) from None
    if location is None:
        location = get_plan(db, info.plan_year, kind).document.place
    try:
        signed = signing.sign_pdf(data, p12, passphrase, reason=reason, location=location)
    except signing.IdentityError as exc:
        raise _identity_error(exc, p12_path) from None
    except signing.SigningFailed as exc:
        raise ServiceError("The PDF could not be signed: {detail}", detail=str(exc)) from None
    check = signing.check_signature(signed)
    if check is None or not check.acceptable or not check.covers_prefix(len(data)):
        raise ServiceError("The signed copy did not verify, so it was not written.")
    write_atomic(out, signed)
    sha = hashlib.sha256(signed).hexdigest()
    with db.session() as s:
        row = s.get(IssuedDocumentRow, info.id)
        if row is not None:
            row.signed_sha256 = sha
    return SignedInfo(replace(info, signed_sha256=sha), out, sha, check.signer)


def printed_number(number: str) -> str:
    """A register number as the documents print it ("5" -> "05")."""
    return nd30.padded(number)
