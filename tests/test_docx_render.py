"""The Word version of an official document (parapp.printing.docx): read back with python-docx,
then converted by LibreOffice and read with pdfplumber, the way a clerk's Word would show it."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import unicodedata
import uuid
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from pdfplumber.page import Page

from parapp.printing import nd30
from parapp.printing.docx import render_docx
from parapp.printing.model import (
    Align,
    Appendix,
    Column,
    Document,
    Header,
    Heading,
    HeadingLevel,
    Paragraph,
    PartHeading,
    Run,
    Signature,
    Table,
    Title,
)

FONT = "Times New Roman"
NUMBER_LINE = "Số: 15/KH-UBND"
DATE_LINE = "Hoàng Việt, ngày 06 tháng 02 năm 2023"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


SCORES = (
    ("1", "Công tác chỉ đạo, điều hành CCHC", "14,00", "12,50", "1,50"),
    ("2", "Cải cách thể chế", "8,00", "8,00", "0,00"),
    ("3", "Cải cách thủ tục hành chính", "20,00", "18,25", "1,75"),
    ("4", "Cải cách tổ chức bộ máy hành chính", "8,00", "7,00", "1,00"),
    ("5", "Cải cách chế độ công vụ", "14,00", "13,25", "0,75"),
    ("6", "Cải cách tài chính công", "10,00", "9,50", "0,50"),
    ("7", "Xây dựng chính quyền điện tử, chính quyền số", "14,00", "11,00", "3,00"),
    ("8", "Tác động của CCHC đến phát triển KT-XH", "12,00", "7,00", "5,00"),
    ("", "Tổng cộng", "100,00", "86,50", "13,50"),
)

COLUMNS = (
    Column("TT", 12, Align.CENTER),
    Column("Nội dung", 78),
    Column("Điểm tối đa", 25, Align.CENTER),
    Column("Điểm đạt", 25, Align.CENTER),
    Column("Điểm bị trừ", 25, Align.CENTER),
)


def header() -> Header:
    return Header(
        issuing_body=(nfd("Ủy ban nhân dân"), nfd("Xã Hoàng Việt")),
        number="15",
        symbol="KH-UBND",
        place=nfd("Hoàng Việt"),
        date=date(2023, 2, 6),
    )


def signature() -> Signature:
    recipients = nd30.recipients_lines(
        (
            "Phòng Nội vụ huyện",
            "TT Đảng ủy, TT HĐND xã",
            "CT, PCT UBND xã",
            "Các bộ phận chuyên môn",
            "Lưu: VP",
        )
    )
    return Signature(recipients, ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), nfd("Âu Hồng Ngân"))


def reference_document() -> Document:
    """The plan of the reference pictures; most text typed decomposed (NFD)."""
    body = (
        Paragraph.of(
            nfd(
                "Căn cứ Quyết định số 70/QĐ-UBND ngày 27/01/2023 của UBND huyện Văn Lãng về việc "
                "phê duyệt và công bố Chỉ số cải cách hành chính các phòng ban và UBND các xã, "
                "thị trấn năm 2022,"
            ),
            italic=True,
        ),
        Paragraph.of(
            nfd(
                "Xã Hoàng Việt được đánh giá đạt 86,50/100 điểm (86,50%), xếp thứ 8/17 xã, thị "
                "trấn. Để khắc phục các tiêu chí bị đánh giá thấp, UBND xã xây dựng Kế hoạch thực "
                "hiện khắc phục, cụ thể như sau:"
            )
        ),
        Heading(nfd("I. Mục đích, yêu cầu"), HeadingLevel.SECTION),
        Heading("1. Mục đích", HeadingLevel.NUMBERED),
        Paragraph.of(
            "Phát huy những thành tích đã đạt được, khắc phục những hạn chế trong thực hiện các "
            "nội dung cải cách hành chính tại UBND xã; trọng tâm là cải cách thủ tục hành chính."
        ),
        Heading("II. KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC", HeadingLevel.SECTION),
        Heading("1. Kết quả đánh giá", HeadingLevel.NUMBERED),
        Table(COLUMNS, SCORES, bold_rows=frozenset({len(SCORES) - 1})),
        Heading("2. Nội dung khắc phục", HeadingLevel.NUMBERED),
        Paragraph(
            (
                Run("a) Tồn tại: "),
                Run(
                    "Sáng kiến, giải pháp mới trong cải cách hành chính (Trừ 1,00 điểm); công "
                    "tác kiểm tra cải cách hành chính (Trừ 0,50 điểm)."
                ),
            )
        ),
        Paragraph.of(
            "b) Nhiệm vụ, giải pháp: Tích cực, chủ động nghiên cứu đưa ra các sáng kiến, giải "
            "pháp mới để nâng cao chất lượng công tác cải cách hành chính trên địa bàn. Chủ trì: "
            "Văn phòng - Thống kê; phối hợp: các bộ phận chuyên môn; thời gian thực hiện: "
            "quý II/2023."
        ),
        Heading("III. TỔ CHỨC THỰC HIỆN", HeadingLevel.SECTION),
        Paragraph.of(
            "Các công chức chuyên môn hằng quý, 6 tháng, năm báo cáo tình hình, tiến độ triển "
            "khai thực hiện Kế hoạch này về UBND xã (qua Văn phòng - Thống kê) để theo dõi, "
            "tổng hợp."
        ),
    )
    return Document(
        header=header(),
        title=Title(
            "KẾ HOẠCH",
            (
                nfd("Khắc phục các tiêu chí bị đánh giá thấp tại Chỉ số"),
                nfd("cải cách hành chính xã Hoàng Việt năm 2022"),
            ),
        ),
        body=body,
        signature=signature(),
        subject="Kế hoạch khắc phục",
        created=date(2023, 2, 6),
    )


def long_document() -> Document:
    """A report with a 40-row table that crosses pages, and a landscape appendix."""
    rows = tuple(
        (str(i), f"Nhiệm vụ khắc phục số {i} của bộ phận chuyên môn", "10,00", f"{i % 10},50")
        for i in range(1, 41)
    )
    columns = (
        Column("TT", 12, Align.CENTER),
        Column("Nhiệm vụ", 103),
        Column("Điểm tối đa", 25, Align.CENTER),
        Column("Điểm đạt", 25, Align.CENTER),
    )
    wide = (
        Column("TT", 15, Align.CENTER),
        Column("Tiêu chí", 123),  # 270 mm in all: scaled down to the 257 mm of the page
        Column("Nhiệm vụ", 70),
        Column("Chủ trì", 35),
        Column("Thời hạn", 27, Align.CENTER),
    )
    wide_rows = tuple(
        (str(i), f"Tiêu chí thành phần {i}", "Rà soát, bổ sung", "Văn phòng", "quý II/2024")
        for i in range(1, 31)
    )
    appendix = Appendix(
        label="Phụ lục",
        title=nfd("Danh mục nhiệm vụ khắc phục"),
        note="(Kèm theo Báo cáo số 07/BC-UBND ngày 05/3/2024 của UBND xã Hoàng Việt)",
        blocks=(Table(wide, wide_rows, font_size=13, caption="Đơn vị tính: điểm"),),
        landscape=True,
    )
    return Document(
        header=Header(
            issuing_body=("ỦY BAN NHÂN DÂN", "XÃ HOÀNG VIỆT"),
            parent_body="UBND HUYỆN VĂN LÃNG",
            number="7",
            symbol="BC-UBND",
            place="Hoàng Việt",
            date=date(2024, 3, 5),
        ),
        title=Title("BÁO CÁO", ("Kết quả thực hiện Kế hoạch khắc phục",)),
        body=(
            PartHeading("Phần I", "Kết quả thực hiện"),
            Paragraph.of("Ủy ban nhân dân xã báo cáo kết quả như sau:"),
            Table(columns, rows, font_size=13),
            Paragraph.of("Trên đây là báo cáo kết quả thực hiện của Ủy ban nhân dân xã."),
        ),
        signature=Signature(
            nd30.recipients_lines(("Như trên", "Lưu: VT")),
            ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            "Nguyễn Văn An",
        ),
        appendices=(appendix,),
        created=date(2024, 3, 5),
    )


@pytest.fixture(scope="module")
def reference_docx() -> bytes:
    return render_docx(reference_document())


@pytest.fixture(scope="module")
def long_docx() -> bytes:
    return render_docx(long_document())


def read(data: bytes) -> DocxDocument:
    return open_docx(io.BytesIO(data))


def runs_of(document: DocxDocument) -> list[BaseOxmlElement]:
    """Every run: body, table cells (nested too), headers of every section."""
    runs: list[BaseOxmlElement] = []
    parts = [document.element.body]
    for section in document.sections:
        for hdr in (section.header, section.first_page_header):
            parts.append(hdr._element)
    for part in parts:
        for r in part.iter(qn("w:r")):
            runs.append(r)
    return runs


def paragraph_with(document: DocxDocument, text: str) -> BaseOxmlElement:
    """The body ``w:p`` (tables included) whose whole text is ``text``."""
    for p in document.element.body.iter(qn("w:p")):
        joined = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if joined == text:
            return p
    raise AssertionError(f"no paragraph {text!r}")


def run_props(p: BaseOxmlElement) -> tuple[float, bool, bool]:
    """(size pt, bold, italic) of the first run of a ``w:p``."""
    rpr = p.find(qn("w:r")).find(qn("w:rPr"))
    size = int(rpr.find(qn("w:sz")).get(qn("w:val"))) / 2
    return size, rpr.find(qn("w:b")) is not None, rpr.find(qn("w:i")) is not None


# --- (a) read back with python-docx ---------------------------------------------------------


@pytest.mark.parametrize("which", ["reference_docx", "long_docx"])
def test_every_run_is_black_times_new_roman(which: str, request: pytest.FixtureRequest) -> None:
    document = read(request.getfixturevalue(which))
    runs = runs_of(document)
    assert len(runs) > 30
    for r in runs:
        fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert fonts.get(qn(f"w:{attr}")) == FONT, r.xml
        color = r.find(qn("w:rPr")).find(qn("w:color"))
        assert color.get(qn("w:val")) == "000000"


def test_text_is_nfc(reference_docx: bytes) -> None:
    document = read(reference_docx)
    texts = [t.text for t in document.element.body.iter(qn("w:t")) if t.text]
    assert all(nfc(t) == t for t in texts)
    joined = "".join(texts)
    assert nfc("Âu Hồng Ngân") in joined
    assert "XÃ HOÀNG VIỆT" in joined  # upper-cased and composed


def test_page_and_margins(reference_docx: bytes) -> None:
    section = read(reference_docx).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    for got, want in (
        (section.top_margin, 20),
        (section.bottom_margin, 20),
        (section.left_margin, 30),
        (section.right_margin, 15),
    ):
        assert abs(got - Mm(want)) < Mm(0.1)
    assert section.different_first_page_header_footer
    instr = "".join(t.text for t in section.header._element.iter(qn("w:instrText")))
    assert instr.strip() == "PAGE"
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))


def test_header_styles(reference_docx: bytes) -> None:
    document = read(reference_docx)
    header = document.tables[0]
    assert len(header.columns) == 2
    expected = {
        "ỦY BAN NHÂN DÂN": (13, True, False),
        "XÃ HOÀNG VIỆT": (13, True, False),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": (12, True, False),
        "Độc lập - Tự do - Hạnh phúc": (13, True, False),
        NUMBER_LINE: (13, False, False),
        DATE_LINE: (13, False, True),  # as the PDF: 14 pt pushed "Số:" down
        "KẾ HOẠCH": (14, True, False),
        "cải cách hành chính xã Hoàng Việt năm 2022": (14, True, False),
        "Nơi nhận:": (12, True, True),
        "- Phòng Nội vụ huyện;": (11, False, False),
        "- Lưu: VP.": (11, False, False),
        "TM. ỦY BAN NHÂN DÂN": (14, True, False),
        "Âu Hồng Ngân": (14, True, False),
    }
    for text, props in expected.items():
        assert run_props(paragraph_with(document, text)) == props, text
    # the number and the date share a row
    number_row = header.rows[1]
    assert number_row.cells[0].text == NUMBER_LINE
    assert number_row.cells[1].text == DATE_LINE


def test_rules_under_issuing_body_motto_and_summary(reference_docx: bytes) -> None:
    document = read(reference_docx)
    bottom = f".//{qn('w:pBdr')}/{qn('w:bottom')}"
    rules = [p for p in document.element.body.iter(qn("w:p")) if p.find(bottom) is not None]
    assert len(rules) == 3
    for p in rules:
        assert not "".join(t.text or "" for t in p.iter(qn("w:t")))
    left = int(rules[0].find(f".//{qn('w:ind')}").get(qn("w:left")))
    width = Mm(165 * 0.4).twips - 2 * left  # rule length under the issuing body
    assert Mm(12).twips < width < Mm(25).twips


def test_body_paragraphs(reference_docx: bytes) -> None:
    document = read(reference_docx)
    basis = next(p for p in document.paragraphs if p.text.startswith("Căn cứ"))
    assert all(r.italic for r in basis.runs)
    fmt = basis.paragraph_format
    assert fmt.alignment == 3  # justify
    assert abs(fmt.first_line_indent - Mm(10)) < Mm(0.1)
    assert fmt.space_after >= Pt(6)
    # lines 17.5 pt apart as in the PDF (1.25 lines of 14 pt; ND30 allows single to 1.5)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.AT_LEAST
    assert Pt(17) <= fmt.line_spacing <= Pt(21)
    assert all(r.font.size == Pt(14) for r in basis.runs)
    last = next(p for p in document.paragraphs if p.text.startswith("Các công chức"))
    assert last.text.endswith("tổng hợp./.")
    for text in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Nội dung khắc phục"):
        heading = next(p for p in document.paragraphs if p.text == text)
        assert heading.paragraph_format.keep_with_next, text
        assert heading.runs[0].bold, text


def test_tables_fixed_with_every_cell_width(long_docx: bytes) -> None:
    document = read(long_docx)
    assert len(document.tables) == 4  # header, 40-row table, signature, appendix table
    for table in document.tables:
        tblpr = table._tbl.tblPr
        assert tblpr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        for row in table.rows:
            for cell in row.cells:
                assert cell.width is not None and cell.width > 0
    grid = document.tables[1]
    assert len(grid.rows) == 41
    first = grid.rows[0]._tr.trPr
    assert first is not None and first.find(qn("w:tblHeader")) is not None
    second = grid.rows[1]._tr.trPr  # the first row may break (kept with the title above)
    assert second is None or second.find(qn("w:tblHeader")) is None
    assert run_props(paragraph_with(document, "Nhiệm vụ"))[:2] == (13, True)
    widths = [c.width for c in grid.rows[5].cells]
    assert abs(sum(widths) - Mm(165)) < Mm(0.5)


def test_signature_block_kept_together(reference_docx: bytes) -> None:
    document = read(reference_docx)
    table = document.tables[-1]
    row = table.rows[0]
    assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    for cell in row.cells:
        for p in cell.paragraphs:
            assert p.paragraph_format.keep_with_next
    left, right = row.cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    blank = [p for p in right.paragraphs if not p.text]
    assert len(blank) >= 3
    assert all(c.width is not None for c in row.cells)
    # no borders
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} <= {"nil", "none"}


def test_appendix_is_a_landscape_section_paginated_alone(long_docx: bytes) -> None:
    document = read(long_docx)
    assert len(document.sections) == 2
    main, appendix = document.sections
    assert main.orientation == WD_ORIENT.PORTRAIT
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix.page_width > appendix.page_height
    assert abs(appendix.page_width - Mm(297)) < Mm(0.1)
    assert appendix.different_first_page_header_footer
    assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert run_props(paragraph_with(document, "Phụ lục")) == (14, True, False)
    assert run_props(paragraph_with(document, "DANH MỤC NHIỆM VỤ KHẮC PHỤC")) == (14, True, False)
    note = paragraph_with(document, long_document().appendices[0].note)
    assert run_props(note)[2]
    # landscape margins: the binding margin turns to the top, as in the PDF
    assert abs(appendix.top_margin - Mm(30)) < Mm(0.1)
    assert abs(appendix.left_margin - Mm(20)) < Mm(0.1)
    # the appendix table uses the landscape width (297 - 20 - 20 mm)
    widths = [c.width for c in document.tables[-1].rows[0].cells]
    assert abs(sum(widths) - Mm(257)) < Mm(0.5)


def test_core_properties_and_same_bytes(reference_docx: bytes) -> None:
    props = read(reference_docx).core_properties
    assert props.author == "parapp"
    assert props.title.startswith("KẾ HOẠCH Khắc phục")
    assert props.created.date() == date(2023, 2, 6)
    assert props.modified.date() == date(2023, 2, 6)
    assert render_docx(reference_document()) == reference_docx


def test_end_mark_is_optional() -> None:
    doc = reference_document()
    plain = Document(doc.header, doc.title, doc.body, doc.signature, ends_with_mark=False)
    text = "\n".join(p.text for p in read(render_docx(plain)).paragraphs)
    assert "./." not in text
    assert "tổng hợp." in text


# --- (b) LibreOffice: the DOCX as an office suite lays it out --------------------------------


def to_pdf(data: bytes, tmp_path: Path, name: str) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / f"{name}.docx"
    source.write_bytes(data)
    profile = f"file:///tmp/lo-profile-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    pdf = tmp_path / f"{name}.pdf"
    assert pdf.exists(), "LibreOffice made no PDF"
    return pdf


@pytest.fixture(scope="module")
def reference_pdf(reference_docx: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_pdf(reference_docx, tmp_path_factory.mktemp("ref"), "reference")


@pytest.fixture(scope="module")
def long_pdf(long_docx: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_pdf(long_docx, tmp_path_factory.mktemp("long"), "long")


def page_lines(page: Page) -> list[tuple[float, str]]:
    """(top, text) of each text line of a pdfplumber page, top to bottom, as printed."""
    lines = page.extract_text_lines(return_chars=False)
    return [(line["top"], line["text"]) for line in lines]


def test_libreoffice_keeps_the_text(reference_pdf: Path) -> None:
    with pdfplumber.open(reference_pdf) as pdf:
        assert 1 <= len(pdf.pages) <= 3
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        fonts = {c["fontname"] for page in pdf.pages for c in page.chars}
    # typed decomposed, printed composed: no stray combining marks, the NFC words found as is
    assert not [ch for ch in text if unicodedata.combining(ch)]
    assert text == nfc(text)
    for wanted in (
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Khắc phục các tiêu chí bị đánh giá thấp tại Chỉ số",
        "Căn cứ Quyết định số 70/QĐ-UBND",
        "Xây dựng chính quyền điện tử",
        "tổng hợp./.",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "Âu Hồng Ngân",
    ):
        assert wanted in text, wanted
    assert all("Serif" in f or "Times" in f for f in fonts), fonts


def test_libreoffice_number_and_date_on_one_line(reference_pdf: Path) -> None:
    with pdfplumber.open(reference_pdf) as pdf:
        page = pdf.pages[0]
        number = page.search(NUMBER_LINE)
        when = page.search(DATE_LINE)
    assert number and when
    # same line region: their baselines within 2 pt, the number left of the date
    assert abs(number[0]["bottom"] - when[0]["bottom"]) < 2
    assert number[0]["x1"] < when[0]["x0"]


def test_libreoffice_page_numbers(reference_pdf: Path) -> None:
    with pdfplumber.open(reference_pdf) as pdf:
        assert len(pdf.pages) >= 2, "the reference plan should run onto a second page"
        first = page_lines(pdf.pages[0])
        second = page_lines(pdf.pages[1])
        height = pdf.pages[1].height
    assert first[0][1] == "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert not any(text.strip().isdigit() for _, text in first)
    top, text = second[0]
    assert text.strip() == "2"
    assert top + 13 < 20 / 25.4 * 72  # the 13 pt number inside the 20 mm top margin
    assert second[1][0] > top + 13  # and clear of the body
    assert height > 800  # A4 portrait: 842 pt


def heading_at_foot_document() -> Document:
    """Filler that would leave "2. Nội dung khắc phục" alone at the foot of page 1 (the flaw
    of the reference pictures) if the heading were not kept with what follows."""
    filler = tuple(Paragraph.of(f"Đoạn văn số {i}.") for i in range(1, 23))
    tail = (Heading("2. Nội dung khắc phục", HeadingLevel.NUMBERED), Paragraph.of("Nội dung."))
    return dataclasses.replace(reference_document(), body=filler + tail)


def test_libreoffice_keeps_headings_and_the_signature_with_what_follows(
    reference_pdf: Path, tmp_path: Path
) -> None:
    foot_pdf = to_pdf(render_docx(heading_at_foot_document()), tmp_path, "foot")
    headings = {"I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Nội dung khắc phục", "III. TỔ CHỨC"}
    for path in (reference_pdf, foot_pdf):
        with pdfplumber.open(path) as pdf:
            pages = [page_lines(p) for p in pdf.pages]
        assert len(pages) >= 2
        for lines in pages:
            assert not any(lines[-1][1].startswith(h) for h in headings), lines[-1]
        on = {
            i
            for i, lines in enumerate(pages)
            for _, t in lines
            if "Nơi nhận:" in t or "Âu Hồng Ngân" in t or "- Lưu: VP." in t
        }
        assert len(on) == 1, "recipients and signer split across pages"


def test_libreoffice_long_document(long_pdf: Path) -> None:
    with pdfplumber.open(long_pdf) as pdf:
        pages = pdf.pages
        texts = [nfc(p.extract_text() or "") for p in pages]
        tops = [page_lines(p) for p in pages]
        shapes = [(p.width, p.height) for p in pages]
    assert 4 <= len(pages) <= 6
    portrait = [i for i, (w, h) in enumerate(shapes) if w < h]
    landscape = [i for i, (w, h) in enumerate(shapes) if w > h]
    assert len(landscape) == 2, shapes  # the appendix table runs onto a second landscape page
    assert portrait == list(range(landscape[0]))
    first_appendix = landscape[0]
    assert "DANH MỤC NHIỆM VỤ KHẮC PHỤC" in texts[first_appendix]
    # the header row is repeated on each page the tables continue on
    assert sum("Điểm đạt" in t for t in texts[:first_appendix]) >= 2
    assert sum("Thời hạn" in t for t in texts[first_appendix:]) == 2
    # page numbers: none on page 1, "2" on the main part's page 2; the appendix restarts
    assert not tops[0][0][1].strip().isdigit()
    assert tops[1][0][1].strip() == "2"
    assert not tops[first_appendix][0][1].strip().isdigit()
    assert tops[first_appendix + 1][0][1].strip() == "2"
    # the recipients and the signer stay on one page
    signer_pages = {i for i, t in enumerate(texts) if "Nơi nhận:" in t or "Nguyễn Văn An" in t}
    assert len(signer_pages) == 1


def test_end_mark_is_not_doubled_and_follows_a_final_table() -> None:
    doc = reference_document()
    marked = (*doc.body[:-1], Paragraph((Run("Đã có dấu kết thúc./."), Run("  "))))
    text = [p.text for p in read(render_docx(dataclasses.replace(doc, body=marked))).paragraphs]
    assert "Đã có dấu kết thúc./." in text
    table_last = (*doc.body[:-1], Table(COLUMNS, SCORES[:2]))
    paragraphs = read(render_docx(dataclasses.replace(doc, body=table_last))).paragraphs
    mark = [p for p in paragraphs if p.text == "./."]
    assert len(mark) == 1
    assert mark[0].paragraph_format.alignment == 2  # right


def test_column_widths_share_what_is_left_and_reject_extra_cells() -> None:
    doc = reference_document()
    columns = (Column("TT", 12, Align.CENTER), Column("Nội dung", 0), Column("Ghi chú", 0))
    table = Table(columns, (("1", "Một", "Hai"),))
    grid = read(render_docx(dataclasses.replace(doc, body=(table,)))).tables[1]
    widths = [cell.width for cell in grid.rows[1].cells]
    assert abs(widths[0] - Mm(12)) < Mm(0.1)
    assert abs(widths[1] - Mm((165 - 12) / 2)) < Mm(0.1)
    assert widths[1] == widths[2]
    with pytest.raises(ValueError, match="row 0 has 4 cells for 3 columns"):
        render_docx(dataclasses.replace(doc, body=(Table(columns, (("1", "2", "3", "4"),)),)))
