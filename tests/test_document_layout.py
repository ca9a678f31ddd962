"""Layout fixes of issue 15, part 3, in the Word copy and in the builders: a table's totals
never alone at the top of a page (checked in LibreOffice's layout of the DOCX), line breaks
inside a cell kept, body tables at 12 pt or more (nd30-format.md: 12-13 pt in tables), the
self-assessment report's legal basis in italics."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import uuid
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as open_docx

from db.engine import open_database
from parapp.printing.docx import render_docx
from parapp.printing.model import Align, Column, Document, Paragraph, Table
from parapp.printing.pdf import render_pdf
from tests.hostile_documents import documents
from tests.test_docx_render import reference_document

TOTAL = "Tổng cộng"
ROWS = 22


def totals_table() -> Table:
    rows = [(str(k), f"Tiêu chí số {k} của lĩnh vực", "10,00", "9,00") for k in range(1, ROWS)]
    rows.append(("", TOTAL, "270,00", "243,00"))
    columns = (
        Column("TT", 12, Align.CENTER),
        Column("Nội dung", 90),
        Column("Điểm tối đa", 30, Align.CENTER),
        Column("Điểm đạt", 30, Align.CENTER),
    )
    return Table(columns, tuple(rows), frozenset({len(rows) - 1}))


def variants() -> list[Document]:
    """The same table after 0 to 13 one-line paragraphs: one of them brings the total row
    to the top of a page, unless it is kept with the row before it."""
    base = reference_document()
    return [
        dataclasses.replace(
            base, body=(*(Paragraph.of(f"Đoạn {i}.") for i in range(lead)), totals_table())
        )
        for lead in range(14)
    ]


def alone(pdf_bytes: bytes) -> list[int]:
    """Pages on which the total row is the first row under the repeated header."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            if TOTAL in text and "Tiêu chí số" not in text:
                out.append(number)
    return out


def test_pdf_total_row_is_never_alone_on_a_page() -> None:
    assert not [i for i, doc in enumerate(variants()) if alone(render_pdf(doc))]


def test_docx_total_row_is_never_alone_on_a_page(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    sources = []
    for i, doc in enumerate(variants()):
        path = tmp_path / f"v{i}.docx"
        path.write_bytes(render_docx(doc))
        sources.append(str(path))
    profile = f"file:///tmp/lo-profile-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                *("--convert-to", "pdf", "--outdir", str(tmp_path)),
                *sources,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    found = {i: alone((tmp_path / f"v{i}.pdf").read_bytes()) for i in range(len(sources))}
    assert not {i: pages for i, pages in found.items() if pages}


@pytest.fixture(scope="module")
def long_docs() -> dict[str, Document]:
    return documents()


def test_docx_keeps_line_breaks_inside_a_cell() -> None:
    table = Table((Column("Lĩnh vực 1\n(20)", 40), Column("Nội dung", 0)), (("a\nb", "c"),))
    doc = dataclasses.replace(reference_document(), body=(table,))
    document = open_docx(io.BytesIO(render_docx(doc)))
    cells = [cell.text for row in document.tables[1].rows for cell in row.cells]
    assert cells[0] == "Lĩnh vực 1\n(20)" and cells[2] == "a\nb"


@pytest.mark.parametrize("kind", ["self-assessment", "ranking", "progress", "remediation"])
def test_tables_are_at_least_12_pt(kind: str, long_docs: dict[str, Document]) -> None:
    doc = long_docs[kind]
    tables = [b for b in doc.body if isinstance(b, Table)]
    tables += [b for a in doc.appendices for b in a.blocks if isinstance(b, Table)]
    assert tables and all(t.font_size >= 12 for t in tables), [t.font_size for t in tables]


def test_self_assessment_legal_basis_is_italic(long_docs: dict[str, Document]) -> None:
    doc = long_docs["self-assessment"]
    basis = next(
        b for b in doc.body if isinstance(b, Paragraph) and b.runs[0].text.startswith("Căn cứ")
    )
    assert basis.runs[0].italic and basis.runs[0].text.endswith(",")
    assert not basis.runs[1].italic  # the body that follows it is upright
    document = open_docx(io.BytesIO(render_docx(doc)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Căn cứ"))
    assert paragraph.runs[0].italic


def test_the_reported_commands_print_long_tasks_and_products(demo_db: Path, tmp_path: Path) -> None:
    """The commands of the report: a task of about 1,050 characters in the plan's appendix
    and a product of about 520 in the annual plan stopped the PDF with exit 70."""
    from parapp import i18n
    from parapp.cli import main
    from parapp.services import plans
    from tests.conftest import copy_database
    from tests.hostile_documents import text

    path = copy_database(demo_db, tmp_path / "office" / "parapp.sqlite3")
    db = open_database(path)
    try:
        item = plans.get_plan(db, 2026).items[0]
        long_task = text(2001, 1050)
        plans.update_item(db, item.id, tasks=long_task, lead=text(2002, 200))
        task = plans.get_plan(db, 2026, plans.KIND_ANNUAL).items[0]
        plans.update_item(db, task.id, product=text(2003, 520), tasks=text(2004, 1050))
    finally:
        db.close()

    def run(*args: str) -> int:
        before = i18n.get_language()
        try:
            return main(["--db", str(path), "--lang", "en", *args])
        finally:
            i18n.set_language(before)  # the language main() sets is not left to later tests

    assert run("plan", "render", "--appendix", "--out", str(tmp_path / "plan.pdf")) == 0
    assert run("plan", "render", "--annual", "--out", str(tmp_path / "annual.pdf")) == 0
    assert run("plan", "render", "--annual", "--out", str(tmp_path / "annual.docx")) == 0
    assert run("plan", "issue", "--appendix", "--out", str(tmp_path / "issued.pdf")) == 0
    assert run("plan", "issue", "--annual", "--out", str(tmp_path / "annual-issued.pdf")) == 0
    with pdfplumber.open(tmp_path / "issued.pdf") as pdf:
        words = " ".join(page.extract_text() or "" for page in pdf.pages).split()
    last = long_task.split()[-1].rstrip(",;:.")
    assert any(w.startswith(last) for w in words)  # the end of the long task is printed
