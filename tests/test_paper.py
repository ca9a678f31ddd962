"""The paper proves itself (issue 15, part 5): the QR code on the last page of an issued plan
and of a transfer slip, read back from a 150 dpi raster of the printed PDF by verify-paper.

Copies of the demo database (``demo_db``): its 2026 remediation plan is a draft.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from db.engine import Database, open_database
from parapp.cli import main
from parapp.printing import frozen, qrtext
from parapp.services import documents, issuing, paper, plans
from parapp.services.common import ServiceError
from parapp.services.setup import set_setting
from tests.conftest import copy_database

pytestmark = pytest.mark.usefixtures("vietnamese")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) is not installed",
)
MM_AT_150 = 150 / 25.4


@pytest.fixture
def db_path(demo_db: Path, tmp_path: Path) -> Path:
    return copy_database(demo_db, tmp_path / "commune" / "parapp.sqlite3")


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


def _last_page_png(pdf: Path, folder: Path, dpi: int = 150) -> Path:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True)
    return max(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[-1]))


def _layout(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@needs_poppler
def test_an_issued_plan_scanned_at_150_dpi_is_recognised_then_reported_superseded(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    first = issuing.issue_plan(db, 2026, issued_on=date(2026, 3, 15), with_appendix=True)
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(issuing.reprint(db, 2026))
    scan = _last_page_png(printed, tmp_path)

    check = paper.verify_file(db, scan)
    assert check.issued is not None and check.issued.uuid == first.uuid
    assert check.superseded_by is None and check.renders is True
    lines, code = paper.describe(check)
    assert code == 0
    assert "01/KH-UBND" in lines[0] and "15/03/2026" in lines[0]
    assert main(["--db", str(db_path), "verify-paper", str(scan)]) == 0
    assert "01/KH-UBND" in capsys.readouterr().out

    issuing.new_revision(db, 2026)
    issuing.issue_plan(db, 2026, issued_on=date(2026, 4, 2), with_appendix=True)
    check = paper.verify_file(db, scan)
    assert check.superseded_by is not None and check.superseded_by.revision == 2
    assert main(["--db", str(db_path), "verify-paper", str(scan)]) == 3
    out = capsys.readouterr().out
    assert "02/KH-UBND" in out and "02/04/2026" in out

    # a photo rather than a scan: turned a little, grey, JPEG
    photo = tmp_path / "photo.jpg"
    with Image.open(scan) as image:
        image.convert("L").rotate(4, expand=True, fillcolor=255).save(photo, quality=70)
    assert paper.verify_file(db, photo).issued is not None

    # the same scan as a one-page PDF (a scanner's output) is read through pdftoppm
    as_pdf = tmp_path / "scan.pdf"
    with Image.open(scan) as image:
        image.convert("RGB").save(as_pdf)
    assert paper.verify_file(db, as_pdf).superseded_by is not None


@needs_poppler
def test_the_qr_code_moves_nothing_and_is_at_least_18_mm(db: Database, tmp_path: Path) -> None:
    """The issued PDF's text lies exactly where the same document puts it without the code,
    on every page, and the code read from the page is 18 mm wide or more."""
    import zxingcpp
    from PIL import Image

    for kind, appendix in ((plans.KIND_REMEDIATION, True), (plans.KIND_ANNUAL, False)):
        info = issuing.issue_plan(db, 2026, kind=kind, with_appendix=appendix)
        with_qr = tmp_path / f"{kind}-qr.pdf"
        with_qr.write_bytes(issuing.reprint(db, 2026, kind))
        found = paper.issued_qr(db, info)
        assert found is not None
        without = tmp_path / f"{kind}-plain.pdf"
        without.write_bytes(documents.render(found[0], ".pdf"))
        assert found[0].qr == ""
        assert _layout(with_qr) == _layout(without)
        folder = tmp_path / kind
        folder.mkdir()
        with Image.open(_last_page_png(with_qr, folder)) as image:
            (code,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert code.text == found[1]
        corners = code.position
        width = abs(corners.top_right.x - corners.top_left.x)
        assert width >= 18 * MM_AT_150 - 2  # pixels at 150 dpi, the outer edges of the modules


def test_a_tampered_qr_text_is_refused_with_a_sentence(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    info = issuing.issue_plan(db, 2026, issued_on=date(2026, 3, 15))
    found = paper.issued_qr(db, info)
    assert found is not None
    text = found[1]
    assert paper.verify_text(db, text).renders is True
    fields = qrtext.parse(text)
    tampered = replace(fields, sha256=hashlib.sha256(b"another text").hexdigest()).text()
    with pytest.raises(ServiceError, match="content does not match"):
        paper.verify_text(db, tampered)
    assert main(["--db", str(db_path), "verify-paper", tampered]) == 1
    err = capsys.readouterr().err.strip()
    assert "01/KH-UBND" in err and len(err.splitlines()) == 1
    for wrong in (
        replace(fields, number="02/KH-UBND").text(),  # another number, same id
        replace(fields, office="99999").text(),  # another office
        replace(fields, id="00000000-0000-0000-0000-000000000000").text(),  # no such document
        "https://example.com/not-ours",
    ):
        with pytest.raises(ServiceError):
            paper.verify_text(db, wrong)
    # a phone's reader may add a line break or spaces: still the same text
    assert paper.verify_text(db, f"  {text}\n").issued is not None
    # a damaged store is said as such, not a crash
    issuing.frozen_path(db, info.sha256).write_bytes(b'{"format": 1, "document": {"x"')
    with pytest.raises(ServiceError, match="damaged"):
        paper.verify_text(db, text)


def test_the_frozen_content_is_the_document_and_the_word_copy_carries_the_code(
    db: Database, tmp_path: Path
) -> None:
    info = issuing.issue_plan(db, 2026, with_appendix=True)
    stored = issuing.frozen_path(db, info.sha256).read_bytes()
    doc = frozen.thaw(stored)
    assert frozen.freeze(doc) == stored  # canonical: the same bytes again
    assert doc.appendices and doc.header.number == "1"
    assert qrtext.parse(paper.issued_qr(db, info)[1]).sha256 == hashlib.sha256(stored).hexdigest()  # type: ignore[index]
    # the Word copy of the issued plan is the frozen document, appendix and code included
    out = tmp_path / "issued.docx"
    choice = documents.Choice(documents.REMEDIATION_PLAN, 2026, "issued")
    documents.save_choice(db, choice, out)
    import zipfile

    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        body = package.read("word/document.xml").decode("utf-8")
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in names)
    assert "<wp:anchor" in body and "PHỤ LỤC" in body.upper()


def test_a_frozen_document_of_every_kind_thaws_to_itself(db: Database) -> None:
    import tests.hostile_documents as hostile

    docs = [documents.remediation_plan(db, 2026, with_appendix=True)]
    docs += [documents.annual_plan(db, 2026), *hostile.documents().values()]
    for doc in docs:
        assert frozen.thaw(frozen.freeze(doc)) == doc


@needs_poppler
def test_a_transfer_slip_carries_a_code_verify_paper_recognises(
    demo_db: Path, tmp_path: Path
) -> None:
    import zxingcpp
    from PIL import Image

    from parapp.services import sync_slip

    package = demo_db.parent.parent / "usb" / "nop-06172-2025.cchc"
    office = Path(shutil.copytree(demo_db.parent, tmp_path / "office"))  # with its keys
    db = open_database(office / demo_db.name)
    try:
        out = sync_slip.write_slip(db, package, tmp_path / "slip.pdf")
        with Image.open(_last_page_png(out, tmp_path)) as image:
            (code,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        check = paper.verify_text(db, code.text)
        assert check.is_slip and check.qr.office == "06172"
        lines, status = paper.describe(check)
        assert status == 0 and check.qr.id in lines[0]
        fields = qrtext.parse(code.text)
        with pytest.raises(ServiceError, match="transfer slip"):
            paper.verify_text(db, replace(fields, sha256="0" * 64).text())
        # the slip's "BÊN GIAO" is this office's clerk only for what this office sent
        set_setting(db, "clerk_name", "Hoàng Thị Mai")
        assert sync_slip.slip_inputs(db, package).signer_name == "Hoàng Thị Mai"
        received = demo_db.parent.parent / "usb" / "ket-qua-06172-2025.cchc"
        assert sync_slip.slip_inputs(db, received).signer_name == ""
    finally:
        db.close()
