"""The paper proves itself: the QR code of an issued document or a transfer slip, and
``verify-paper`` (its text, or a scanned or photographed page, PDF or image).

The QR holds the office's code, the document's number, date and id and the SHA-256 of the
frozen content it was printed from (parapp.printing.frozen, format in docs/documents.md).
Verifying finds the issued document, checks every field against the register, tells whether
it is the current revision, and renders the frozen content again to see it still gives the
registered PDF byte for byte.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from db.engine import Database
from parapp.i18n import _, format_date
from parapp.printing import frozen, qrtext
from parapp.printing.model import Document

from . import document_build, issuing
from .common import ServiceError, file_error
from .document_build import document_qr
from .files import write_atomic
from .setup import own_unit

RASTER_DPI = 200  # a scanned PDF's pages are read at this resolution
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")


# -- printing ---------------------------------------------------------------------------
def slip_path(db: Database, content_sha256: str) -> Path:
    return db.paths.folder / "documents" / "slips" / content_sha256[:2] / f"{content_sha256}.json"


def with_slip_qr(db: Database, doc: Document, package_id: str, on: date) -> Document:
    """The transfer slip with its QR code; its frozen content is kept so the paper can be
    recognised later (a slip is not in the register: it has no number)."""
    content = frozen.freeze(doc)
    sha = hashlib.sha256(content).hexdigest()
    target = slip_path(db, sha)
    if not target.is_file():
        write_atomic(target, content)
    text = qrtext.QrText(qrtext.SLIP, own_unit(db).code, "", on, package_id, sha).text()
    return replace(doc, qr=text)


def issued_qr(db: Database, info: issuing.IssuedInfo) -> tuple[Document, str] | None:
    """The frozen document of ``info`` with the QR text it was printed with; None when its
    frozen content is not in the store (issued before QR codes, or the file was lost)."""
    path = issuing.frozen_path(db, info.sha256)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise file_error(path, exc) from None
    try:
        doc = frozen.thaw(content)
    except frozen.FrozenError:
        raise ServiceError(
            "The frozen content of the issued document No. {ref} is damaged ({path}); restore "
            "the 'documents' folder beside the database from a copy.",
            ref=info.reference,
            path=path,
        ) from None
    sha = hashlib.sha256(content).hexdigest()
    return doc, document_qr(db, doc.header, info.uuid, sha)


def issued_document(db: Database, info: issuing.IssuedInfo) -> Document | None:
    """The issued document as printed (its QR code included), for a Word copy."""
    found = issued_qr(db, info)
    return replace(found[0], qr=found[1]) if found else None


# -- verifying --------------------------------------------------------------------------
@dataclass(frozen=True)
class PaperCheck:
    qr: qrtext.QrText
    issued: issuing.IssuedInfo | None = None  # a document of the register
    superseded_by: issuing.IssuedInfo | None = None
    # The frozen content renders to the registered PDF byte for byte (None: not checked,
    # the frozen content is not in the store)
    renders: bool | None = None

    @property
    def is_slip(self) -> bool:
        return self.qr.kind == qrtext.SLIP

    @property
    def ok(self) -> bool:
        return self.superseded_by is None and self.renders is not False


def parse_text(text: str) -> qrtext.QrText:
    try:
        return qrtext.parse(text)
    except qrtext.QrTextError as exc:
        if str(exc) == "newer format":
            raise ServiceError(
                "This QR code was written by a newer version of the program; update it to "
                "check this paper."
            ) from None
        raise ServiceError(
            "This is not the QR code of a document printed by this program (it begins with "
            "'PARAPP/1')."
        ) from None


def _refused(qr: qrtext.QrText, info: issuing.IssuedInfo) -> ServiceError:
    return ServiceError(
        "This QR code names document No. {ref} of {date}, but its content does not match "
        "that document as issued (its number, date or content hash differs): the paper was "
        "not printed from the issued document, or the code was altered.",
        ref=info.reference,
        date=info.issued_on.strftime("%d/%m/%Y"),
    )


def _check_slip(db: Database, qr: qrtext.QrText) -> PaperCheck:
    target = slip_path(db, qr.sha256)
    try:
        content = target.read_bytes()
    except OSError:
        content = b""
    if hashlib.sha256(content).hexdigest() != qr.sha256:
        raise ServiceError(
            "This transfer slip was not printed from this database (or its code was altered)."
        )
    return PaperCheck(qr)


def verify_text(db: Database, text: str) -> PaperCheck:
    """Which issued document (or transfer slip) the QR text ``text`` stands for, whether it is
    the current revision and whether its frozen content still renders to the registered PDF.
    A code of another office, of no issued document, or that does not match, is refused."""
    qr = parse_text(text)
    own = own_unit(db).code
    if qr.office != own:
        raise ServiceError(
            "This paper was issued by the office with code {code}, not by this office "
            "({own}); check it with that office's database.",
            code=qr.office,
            own=own,
        )
    if qr.kind == qrtext.SLIP:
        return _check_slip(db, qr)
    issued = issuing._all_issued(db)
    info = next((i for i in issued if i.uuid == qr.id), None)
    if info is None:
        raise ServiceError(
            "No document with this QR code was issued from this database (No. {ref} of {date}).",
            ref=qr.number,
            date=qr.issued_on.strftime("%d/%m/%Y"),
        )
    if qr.number != info.reference or qr.issued_on != info.issued_on:
        raise _refused(qr, info)
    newer = issuing._newer(info, issued)
    found = issued_qr(db, info)
    if found is None:
        return PaperCheck(qr, info, newer, None)
    doc, printed = found
    if printed != qr.text():  # the content hash (or the office) differs from the issued one
        raise _refused(qr, info)
    renders = hashlib.sha256(document_build.render(replace(doc, qr=printed), ".pdf")).hexdigest()
    return PaperCheck(qr, info, newer, renders == info.sha256)


EXIT_SUPERSEDED = 3  # as 'plan verify'


def describe(check: PaperCheck) -> tuple[list[str], int]:
    """What the check found, in sentences (the window and the command line say the same),
    and the command's exit code: 0 the current revision, 3 superseded, 1 not proven."""
    qr, info = check.qr, check.issued
    if check.is_slip or info is None:
        text = _(
            "This paper is the transfer slip of package {id} dated {date}, printed from this "
            "database."
        )
        return [text.format(id=qr.id, date=format_date(qr.issued_on))], 0
    what = _("annual reform plan") if info.kind == "annual-plan" else _("remediation plan")
    lines = [
        _("This paper is the issued {what} No. {ref} of {date} (revision {revision}).").format(
            what=what, ref=info.reference, date=format_date(info.issued_on), revision=info.revision
        )
    ]
    newer = check.superseded_by
    if newer is not None:
        lines.append(
            _("It is superseded by {ref} issued {date} (revision {revision}).").format(
                ref=newer.reference, date=format_date(newer.issued_on), revision=newer.revision
            )
        )
    else:
        lines.append(_("It is the current revision."))
    if check.renders is None:
        lines.append(
            _(
                "Its frozen content is missing from the documents store, so it could not be "
                "rendered again; restore the 'documents' folder beside the database."
            )
        )
    elif check.renders:
        lines.append(_("Its frozen content still renders to the registered PDF, byte for byte."))
    else:
        lines.append(
            _(
                "Its frozen content no longer renders to the registered PDF: the documents "
                "store was changed, or this program prints differently; keep the registered "
                "PDF as the reference."
            )
        )
    lines.append(_("Issued document SHA-256: {sha}").format(sha=info.sha256))
    if newer is not None:
        return lines, EXIT_SUPERSEDED
    return lines, 0 if check.renders else 1


# -- reading a scan -----------------------------------------------------------------------
def _decode(image: object) -> list[str]:
    import zxingcpp  # a native wheel: only verify-paper needs it

    # one format converts to the flags the stubs ask for (zxing-cpp 2.2 to 3)
    qr = zxingcpp.BarcodeFormat.QRCode
    found = zxingcpp.read_barcodes(image, formats=qr)  # type: ignore[arg-type]
    return [r.text for r in found if r.valid and r.text]


def _pdf_pages(path: Path, folder: Path) -> list[Path]:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise ServiceError(
            "Reading a scanned PDF needs the pdftoppm program (poppler), which is not "
            "installed; open the scan as an image (PNG or JPEG), or type the QR text."
        )
    done = subprocess.run(
        [tool, "-r", str(RASTER_DPI), "-png", str(path), str(folder / "page")],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise ServiceError("{path} is not a PDF that can be read.", path=path)
    return sorted(folder.glob("page*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[-1]))


def read_codes(path: Path) -> list[str]:
    """The QR texts on a scanned or photographed page (an image or a PDF), last page first
    (the code is on the last page)."""
    from PIL import Image, UnidentifiedImageError  # only when reading a scan

    if not path.is_file():
        raise file_error(path, FileNotFoundError(2, "missing"))
    texts: list[str] = []
    if path.suffix.lower() == ".pdf":
        with tempfile.TemporaryDirectory(prefix="parapp-scan-") as folder:
            for page in reversed(_pdf_pages(path, Path(folder))):
                with Image.open(page) as image:
                    texts += _decode(image)
        return texts
    try:
        with Image.open(path) as image:
            image.load()
            return _decode(image)
    except UnidentifiedImageError:
        raise ServiceError(
            "{path} is not an image or a PDF this program can read (PNG, JPEG, TIFF, PDF).",
            path=path,
        ) from None
    except OSError as exc:
        raise file_error(path, exc) from None


def verify_file(db: Database, path: Path) -> PaperCheck:
    """:func:`verify_text` of the program's QR code found on the scanned page ``path``."""
    texts = read_codes(path)
    ours = [t for t in texts if t.startswith(f"{qrtext.PREFIX}/")]
    if not ours:
        if texts:
            raise ServiceError(
                "The QR code on {path} is not one printed by this program.", path=path
            )
        raise ServiceError(
            "No QR code could be read on {path}. Scan the last page again (at least 150 dpi, "
            "the whole page, straight), or type the text a phone's QR reader shows.",
            path=path,
        )
    return verify_text(db, ours[0])
