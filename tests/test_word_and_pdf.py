"""Word and PDF the same (issue 15, part 6): every document kind of the demo office, its DOCX
converted by LibreOffice (as a clerk's office suite lays it out) against our PDF.

- The whole text identical in order: each page's words read in the order the page draws
  them, whitespace dropped; page numbers (in the top margin) are not compared, as Word
  numbers pages itself; the QR code of an issued document is a picture with no text.
- The page count within one.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from db.engine import open_database
from parapp.printing.builders.ranking import build_ranking
from parapp.printing.builders.slip import build_slip
from parapp.printing.docx import render_docx
from parapp.printing.model import Document
from parapp.printing.pdf import render_pdf
from parapp.services import appraisal_publish, documents, issuing, paper, sync_slip
from tests.conftest import copy_database

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
KINDS = ("remediation", "annual", "self-assessment", "progress", "slip", "ranking")
TOP_MARGIN_PT = {False: 20 / 25.4 * 72, True: 30 / 25.4 * 72}  # where page numbers print


def _documents(demo_db: Path, folder: Path) -> dict[str, Document]:
    office = Path(shutil.copytree(demo_db.parent, folder / "office"))  # its keys, for the slip
    appraiser = copy_database(
        demo_db.parent.parent / "appraiser" / "parapp.sqlite3", folder / "appraiser" / "a.sqlite3"
    )
    db, adb = open_database(office / demo_db.name), open_database(appraiser)
    try:
        # the plan as issued: with its appendix and its QR code
        info = issuing.issue_plan(db, 2026, issued_on=date(2026, 3, 15), with_appendix=True)
        issued = paper.issued_document(db, info)
        assert issued is not None and issued.qr
        package = demo_db.parent.parent / "usb" / "nop-06172-2025.cchc"
        return {
            "remediation": issued,
            "remediation-without-qr": replace(issued, qr=""),
            "annual": documents.annual_plan(db, 2026),
            "self-assessment": documents.self_report(db),
            "progress": documents.progress_report(db, date(2026, 6, 30)),
            "slip": build_slip(sync_slip.slip_inputs(db, package)),
            "ranking": build_ranking(appraisal_publish.ranking_inputs(adb, 2025)),
        }
    finally:
        db.close()
        adb.close()


@pytest.fixture(scope="module")
def pairs(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple]]:
    """kind -> (our PDF, LibreOffice's PDF of our DOCX), converted in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("word-and-pdf")
    docs = _documents(demo_db, folder)
    sources = []
    for kind, doc in docs.items():
        (folder / f"{kind}.pdf").write_bytes(render_pdf(doc))
        (folder / f"{kind}.docx").write_bytes(render_docx(doc))
        sources.append(str(folder / f"{kind}.docx"))
    profile = f"/tmp/lo-profile-{uuid.uuid4().hex}"
    out = folder / "lo"
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                *("--convert-to", "pdf", "--outdir", str(out), *sources),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    yield {kind: (folder / f"{kind}.pdf", out / f"{kind}.pdf") for kind in docs}


def pages_words(path: Path) -> list[list[str]]:
    """Each page's words in the order its content draws them (characters joined while they
    follow each other on one line), without the page number in the top margin."""
    pages: list[list[str]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            top = TOP_MARGIN_PT[page.width > page.height]
            words: list[str] = []
            text, last = "", None
            for ch in page.chars:
                if ch["bottom"] < top and ch["text"].isdigit():
                    continue
                value = ch["text"]
                new = last is None or abs(ch["top"] - last["top"]) > 1
                new = new or ch["x0"] < last["x1"] - 1 or ch["x0"] - last["x1"] > 1
                if (new or not value.strip()) and text:
                    words.append(text)
                    text = ""
                if value.strip():
                    text += value
                last = ch
            if text:
                words.append(text)
            pages.append(words)
    return pages


def _joined(pages: list[list[str]]) -> str:
    # no whitespace at all: a word broken at a hyphen or a "%" in a narrow cell is whole again
    return "".join(word for page in pages for word in page)


@pytest.mark.parametrize("kind", KINDS)
def test_word_and_pdf_hold_the_same_text_in_order_on_as_many_pages(
    kind: str, pairs: dict[str, tuple[Path, Path]]
) -> None:
    ours, word = (pages_words(path) for path in pairs[kind])
    a, b = _joined(ours), _joined(word)
    if a != b:
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        first = next(op for op in ops if op[0] != "equal")
        _tag, i, j, k, m = first
        pytest.fail(f"PDF {a[max(0, i - 40) : j + 40]!r} / Word {b[max(0, k - 40) : m + 40]!r}")
    assert len(a) > 500  # the reader read the document
    assert abs(len(ours) - len(word)) <= 1, (len(ours), len(word))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_qr_code_moves_nothing_in_word_either(pairs: dict[str, tuple[Path, Path]]) -> None:
    """The Word copy's QR picture floats: LibreOffice lays out every line where it does
    without it (and so does our PDF)."""

    def layout(path: Path) -> str:
        done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True)
        return done.stdout.decode("utf-8")

    for with_qr, without in zip(pairs["remediation"], pairs["remediation-without-qr"], strict=True):
        assert layout(with_qr) == layout(without)


def test_the_comparison_sees_a_changed_word(pairs: dict[str, tuple[Path, Path]]) -> None:
    """Not blind: a Word copy with one word changed is told apart."""
    ours, word = (pages_words(path) for path in pairs["slip"])
    assert _joined(ours) == _joined(word)
    changed = [list(page) for page in word]
    changed[0][len(changed[0]) // 2] += "x"
    assert _joined(ours) != _joined(changed)


def test_word_body_lines_are_as_far_apart_as_the_pdf_lines() -> None:
    """Word's "1.15 lines" of 14 pt Times New Roman are 18.5 pt apart, the PDF's 17.5 pt:
    the Word copy of a plan took a page more. Body lines are now at least the PDF's leading."""
    import io

    from docx import Document as open_docx
    from docx.enum.text import WD_LINE_SPACING

    from parapp.printing.model import Header, Paragraph, Signature, Title
    from parapp.printing.pdf.styles import BODY_LEADING

    doc = Document(
        Header(("ỦY BAN NHÂN DÂN", "XÃ HOÀNG VĂN THỤ")),
        Title("KẾ HOẠCH", ("Khắc phục",)),
        (Paragraph.of("Nội dung của kế hoạch."),),
        Signature((), ("CHỦ TỊCH",), "Nông Thị Hạnh"),
    )
    body = [
        p
        for p in open_docx(io.BytesIO(render_docx(doc))).paragraphs
        if p.text.startswith("Nội dung")
    ]
    assert body and body[0].paragraph_format.line_spacing_rule == WD_LINE_SPACING.AT_LEAST
    assert body[0].paragraph_format.line_spacing.pt == BODY_LEADING
