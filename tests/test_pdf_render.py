"""The PDF renderer against the rules of Nghị định 30/2020/NĐ-CP (docs: nd30-format.md).

Documents are built here: one like the reference pages (header, title, italic basis, headings
I./1./a), a score table with a total row, TM./CHỦ TỊCH), one long (60 paragraphs, a 40-row
table, a landscape appendix). Positions are read back with pdfplumber (points, top-down).
"""

from __future__ import annotations

import io
import random
import shutil
import statistics
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from datetime import date
from enum import Enum
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from parapp.printing.model import (
    Align,
    Appendix,
    Block,
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
from parapp.printing.pdf import render_pdf

MM = 72 / 25.4
A4_W, A4_H = 210 * MM, 297 * MM
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, 195 * MM, 20 * MM, 277 * MM  # text block, portrait

BASIS = (
    "Căn cứ Quyết định số 70/QĐ-UBND ngày 27/01/2023 của UBND huyện Văn Lãng về việc phê "
    "duyệt và công bố Chỉ số cải cách hành chính các phòng ban và UBND các xã, thị trấn năm 2022,"
)
LAST = (
    "Các công chức chuyên môn hằng quý, 6 tháng, năm báo cáo tình hình, tiến độ triển khai "
    "thực hiện Kế hoạch này về UBND xã (qua Văn phòng - Thống kê) để theo dõi, tổng hợp."
)
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
RECIPIENTS = (
    "- Phòng Nội vụ huyện;",
    "- TT Đảng ủy, TT HĐND xã;",
    "- CT, PCT UBND xã;",
    "- Các bộ phận chuyên môn;",
    "- Lưu: VT, VP.",
)
HEADER = Header(
    issuing_body=("ỦY BAN NHÂN DÂN", "XÃ HOÀNG VIỆT"),
    number="15",
    symbol="KH-UBND",
    place="Hoàng Việt",
    date=date(2024, 3, 5),
)
TITLE = Title(
    "KẾ HOẠCH",
    (
        "Khắc phục các tiêu chí bị đánh giá thấp tại Chỉ số",
        "cải cách hành chính xã Hoàng Việt năm 2022",
    ),
)
SIGNATURE = Signature(RECIPIENTS, ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Âu Hồng Ngân")


def score_table() -> Table:
    columns = (
        Column("TT", 12, Align.CENTER),
        Column("Nội dung", 80),
        Column("Điểm tối đa", 24, Align.CENTER),
        Column("Điểm đạt", 24, Align.CENTER),
        Column("Điểm bị trừ", 25, Align.CENTER),
    )
    return Table(columns, SCORES, bold_rows=frozenset({8}))


def reference_document() -> Document:
    """The short plan of the reference pictures."""
    body = (
        Paragraph.of(BASIS, italic=True),
        Paragraph.of(
            "Xã Hoàng Việt được đánh giá đạt 86,50/100 điểm (86,50%), xếp thứ 8/17 xã, thị trấn. "
            "Để khắc phục các tiêu chí bị đánh giá thấp, UBND xã xây dựng Kế hoạch thực hiện "
            "khắc phục, cụ thể như sau:"
        ),
        Heading("I. MỤC ĐÍCH, YÊU CẦU", HeadingLevel.SECTION),
        Heading("1. Mục đích", HeadingLevel.NUMBERED),
        Paragraph.of(
            "Phát huy những thành tích đã đạt được, khắc phục những hạn chế trong thực hiện các "
            "nội dung cải cách hành chính tại UBND xã; trọng tâm là cải cách thủ tục hành chính."
        ),
        Heading("II. KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC", HeadingLevel.SECTION),
        Heading("1. Kết quả đánh giá", HeadingLevel.NUMBERED),
        score_table(),
        Heading("2. Nội dung khắc phục", HeadingLevel.NUMBERED),
        Heading("a) Tồn tại", HeadingLevel.LETTERED),
        Paragraph.of(
            "Sáng kiến, giải pháp mới trong cải cách hành chính (Trừ 1,00 điểm); công tác kiểm "
            "tra cải cách hành chính (Trừ 0,50 điểm)."
        ),
        Heading("b) Nhiệm vụ, giải pháp", HeadingLevel.LETTERED),
        Paragraph(
            (
                Run(
                    "Tích cực, chủ động nghiên cứu đưa ra các sáng kiến, giải pháp mới để nâng "
                    "cao chất lượng công tác cải cách hành chính trên địa bàn. "
                ),
                Run("Chủ trì:", bold=True),
                Run(" Văn phòng - Thống kê; "),
                Run("phối hợp:", italic=True),
                Run(" các bộ phận chuyên môn; thời gian thực hiện: quý II/2023."),
            )
        ),
        Heading("III. TỔ CHỨC THỰC HIỆN", HeadingLevel.SECTION),
        Paragraph.of(LAST),
    )
    return Document(
        HEADER,
        TITLE,
        body,
        SIGNATURE,
        subject="Kế hoạch khắc phục Chỉ số CCHC",
        author="UBND xã Hoàng Việt",
        created=date(2024, 3, 5),
    )


WORDS = (
    "cải cách hành chính",
    "thủ tục hành chính",
    "chính quyền số",
    "công chức chuyên môn",
    "người dân và doanh nghiệp",
    "dịch vụ công trực tuyến",
    "bộ phận một cửa",
    "kiểm tra",
    "giám sát",
    "tuyên truyền",
    "phổ biến",
    "sáng kiến",
    "giải pháp",
    "chỉ số hài lòng",
    "ứng dụng công nghệ thông tin",
    "văn bản quy phạm pháp luật",
    "kỷ luật",
    "kỷ cương hành chính",
    "tài chính công",
    "tổ chức bộ máy",
)


def sentence(rng: random.Random, words: int) -> str:
    text = ", ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def long_document(shift: int = 0) -> Document:
    """60 paragraphs under many headings, a 40-row table, a landscape appendix.

    ``shift`` adds short paragraphs at the start so that headings land at other places of
    the page (some at its foot, where the renderer must move them).
    """
    rng = random.Random(30)
    body: list[Block] = [Paragraph.of(BASIS, italic=True)]
    body += [Paragraph.of(f"Đoạn đệm số {i + 1}.") for i in range(shift)]
    for n in range(60):
        if n % 20 == 0:
            body.append(PartHeading(f"Phần {'I' * (n // 20 + 1)}", "nội dung thực hiện"))
        if n % 12 == 0:
            body.append(
                Heading(f"{'I' * (n // 12 % 3 + 1)}. MỤC {n // 12 + 1}", HeadingLevel.SECTION)
            )
        if n % 4 == 0:
            body.append(Heading(f"{n // 4 + 1}. Nhiệm vụ số {n // 4 + 1}", HeadingLevel.NUMBERED))
        if n % 4 == 2:
            body.append(Heading(f"{'abcdefgh'[n % 8]}) Giải pháp {n}", HeadingLevel.LETTERED))
        text = " ".join(sentence(rng, rng.randint(3, 9)) for _ in range(rng.randint(1, 4)))
        if n == 7:
            text += " Tỷ lệ hồ sơ trễ hạn < 5% & đúng hạn > 95%."
        body.append(Paragraph.of(text))
        if n == 30:
            body.append(Heading("5. Danh sách nhiệm vụ", HeadingLevel.NUMBERED))
            body.append(task_table(40))
    body.append(Paragraph.of(LAST))
    appendix = Appendix(
        "Phụ lục",
        "Danh mục nhiệm vụ khắc phục năm 2024",
        "(Kèm theo Kế hoạch số 15/KH-UBND ngày 05/3/2024 của UBND xã Hoàng Việt)",
        blocks=(wide_table(30),),
        landscape=True,
    )
    return Document(
        HEADER,
        TITLE,
        tuple(body),
        SIGNATURE,
        appendices=(appendix,),
        created=date(2024, 3, 5),
    )


def task_table(rows: int) -> Table:
    columns = (
        Column("TT", 12, Align.CENTER),
        Column("Nhiệm vụ", 90, Align.JUSTIFY),
        Column("Chủ trì", 35, Align.CENTER),
        Column("Thời gian", 28, Align.CENTER),
    )
    data = tuple(
        (
            str(i + 1),
            f"Nhiệm vụ khắc phục số {i + 1} về cải cách hành chính",
            "Văn phòng",
            "quý II/2024",
        )
        for i in range(rows)
    )
    return Table(columns, data, caption="Đơn vị tính: nhiệm vụ")


def wide_table(rows: int) -> Table:
    """Wider than the landscape text block (300 mm > 257 mm): scaled to fit."""
    columns = (
        Column("TT", 15, Align.CENTER),
        Column("Nhiệm vụ", 100),
        Column("Sản phẩm", 50),
        Column("Chủ trì", 45, Align.CENTER),
        Column("Phối hợp", 45, Align.CENTER),
        Column("Thời gian", 45, Align.CENTER),
    )
    data = tuple(
        (
            str(i + 1),
            f"Rà soát, chuẩn hóa quy trình nội bộ giải quyết thủ tục hành chính nhóm {i + 1}",
            "Báo cáo kết quả",
            "Văn phòng - Thống kê",
            "Các bộ phận chuyên môn",
            "quý III/2024",
        )
        for i in range(rows)
    )
    return Table(columns, data)


def nfd_document() -> Document:
    """The reference document with every string decomposed (as some keyboards type it)."""

    def nfd(value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, Enum):
            return unicodedata.normalize("NFD", value)
        if isinstance(value, tuple):
            return tuple(nfd(v) for v in value)
        if is_dataclass(value) and not isinstance(value, type):
            return replace(value, **{f.name: nfd(getattr(value, f.name)) for f in fields(value)})
        return value

    doc = nfd(reference_document())
    assert isinstance(doc, Document)
    assert doc.signature.name != "Âu Hồng Ngân"  # really decomposed
    return doc


def draft_document() -> Document:
    header = replace(HEADER, number="", date=None, draft_year=2024, draft_month=3, place="Dị Sử")
    return replace(reference_document(), header=header)


def padded_document(extra: int) -> Document:
    """The reference document with ``extra`` more paragraphs before the last one, so that
    the end of the body and the signature block fall at every place of page 2."""
    doc = reference_document()
    filler = Paragraph.of(
        "Tiếp tục rà soát, đánh giá các tiêu chí thành phần, kịp thời tham mưu UBND xã chỉ "
        "đạo khắc phục những hạn chế, bảo đảm đúng tiến độ đề ra."
    )
    return replace(doc, body=(*doc.body[:-1], *([filler] * extra), doc.body[-1]))


# --- reading the PDF back ---------------------------------------------------------------------


@cache
def pdf_of(kind: str, variant: int = 0) -> bytes:
    documents = {
        "reference": reference_document,
        "long": lambda: long_document(variant),
        "nfd": nfd_document,
        "draft": draft_document,
        "padded": lambda: padded_document(variant),
    }
    return render_pdf(documents[kind]())


class Line:
    """Characters on one baseline, cut where the gap is wide (header columns, table cells:
    cell padding is 2 x 4 pt; justified body text keeps its space characters)."""

    def __init__(self, chars: list[dict], page_height: float) -> None:
        self.chars = chars
        self.text = "".join(c["text"] for c in chars).strip()
        ink = [c for c in chars if c["text"].strip()] or chars
        self.x0 = min(c["x0"] for c in ink)
        self.x1 = max(c["x1"] for c in ink)
        self.top = min(c["top"] for c in ink)
        self.bottom = max(c["bottom"] for c in ink)
        self.baseline = page_height - ink[0]["matrix"][5]
        self.fonts = {c["fontname"] for c in ink}
        self.sizes = {round(c["size"], 1) for c in ink}

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    def __repr__(self) -> str:
        return f"Line({self.text!r}, x0={self.x0:.1f}, x1={self.x1:.1f}, top={self.top:.1f})"


class Page:
    """One page read back; characters are read on first use (pdfplumber takes ~0.2 s a page)."""

    def __init__(self, page: pdfplumber.page.Page) -> None:
        self.width = float(page.width)
        self.height = float(page.height)
        self._page = page

    @cached_property
    def chars(self) -> list[dict]:
        return [dict(c) for c in self._page.chars]

    @cached_property
    def rules(self) -> list[dict]:
        return [dict(line) for line in self._page.lines]

    @cached_property
    def lines(self) -> list[Line]:
        return _lines(self.chars, self.height)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def find(self, text: str) -> Line:
        found = [line for line in self.lines if text in line.text]
        assert found, f"{text!r} not on the page:\n{self.text}"
        return found[0]

    def body_lines(self, top: float = TOP) -> list[Line]:
        return [line for line in self.lines if line.top >= top - 0.01]


def _lines(chars: list[dict], height: float, gap: float = 7.0) -> list[Line]:
    rows: dict[float, list[dict]] = {}
    for c in chars:
        rows.setdefault(round(height - c["matrix"][5], 1), []).append(c)
    out: list[Line] = []
    for _, row in sorted(rows.items()):
        row.sort(key=lambda c: c["x0"])
        piece = [row[0]]
        for c in row[1:]:
            if c["x0"] - piece[-1]["x1"] > gap:
                out.append(Line(piece, height))
                piece = []
            piece.append(c)
        out.append(Line(piece, height))
    return [line for line in out if line.text]


@cache
def pages_of(kind: str, variant: int = 0) -> tuple[Page, ...]:
    return read_pages(pdf_of(kind, variant))


def read_pages(data: bytes) -> tuple[Page, ...]:
    """Pages to read lazily: the PDF stays open (it is small) for the whole test session."""
    return tuple(Page(p) for p in pdfplumber.open(io.BytesIO(data)).pages)


def ink(page: Page) -> list[dict]:
    return [c for c in page.chars if c["text"].strip()]


def is_bold(line: Line) -> bool:
    return all("Bold" in f for f in line.fonts)


def is_italic(line: Line) -> bool:
    return all("Italic" in f for f in line.fonts)


def is_upright(line: Line) -> bool:
    return not any("Bold" in f or "Italic" in f for f in line.fonts)


# --- fonts, page, margins ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["reference", "long", "draft"])
def test_every_glyph_is_liberation_serif(kind: str) -> None:
    pages = pages_of(kind)
    fonts = {c["fontname"] for page in pages for c in page.chars}
    assert fonts, "no text extracted"
    assert all("LiberationSerif" in name for name in fonts), fonts
    faces = {name.split("+")[-1] for name in fonts}
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= faces


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler's pdffonts is not installed")
@pytest.mark.parametrize("kind", ["reference", "long"])
def test_every_font_is_embedded(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf_of(kind))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert len(rows) >= 4, out.stdout  # regular, bold, italic, bold italic
    for row in rows:
        fields = row.split()
        name, emb = fields[0], fields[-5]
        assert "LiberationSerif" in name, row
        assert emb == "yes", row


def test_pages_are_a4_portrait_and_the_appendix_landscape() -> None:
    for page in pages_of("reference"):
        assert (page.width, page.height) == pytest.approx((A4_W, A4_H), abs=0.5)
    pages = pages_of("long")
    portrait = [p for p in pages if p.height > p.width]
    landscape = [p for p in pages if p.width > p.height]
    assert portrait and landscape
    assert pages[-1] in landscape and pages[0] in portrait
    for page in landscape:
        assert (page.width, page.height) == pytest.approx((A4_H, A4_W), abs=0.5)


def _page_number_chars(page: Page, top: float) -> list[dict]:
    return [c for c in ink(page) if c["bottom"] <= top]


def _body_chars(page: Page, top: float) -> list[dict]:
    """Ink below the top margin (what is above it is the page number, tested on its own)."""
    return [c for c in ink(page) if c["bottom"] > top]


@pytest.mark.parametrize("kind", ["reference", "long"])
def test_text_stays_inside_the_margins(kind: str) -> None:
    portrait = [p for p in pages_of(kind) if p.height > p.width]
    x0s = []
    for page in portrait:
        body = _body_chars(page, TOP)
        assert min(c["top"] for c in body) >= TOP
        assert max(c["bottom"] for c in body) <= BOTTOM + 0.5
        assert max(c["x1"] for c in body) <= RIGHT + 0.5
        assert min(c["x0"] for c in body) >= LEFT - 0.5
        x0s.append(min(c["x0"] for c in body))
        for rule in page.rules:  # table grids and rules too
            assert LEFT - 0.5 <= rule["x0"] <= rule["x1"] <= RIGHT + 0.5
            assert TOP - 0.5 <= rule["top"] <= rule["bottom"] <= BOTTOM + 0.5
    # lines that are not indented start exactly at the left margin (no frame padding)
    assert min(x0s) == pytest.approx(LEFT, abs=1 * MM)
    assert statistics.median(x0s) == pytest.approx(LEFT, abs=1 * MM)
    # and justified lines end at the right margin
    assert max(max(c["x1"] for c in ink(p)) for p in portrait) == pytest.approx(RIGHT, abs=0.5)


def test_landscape_appendix_margins() -> None:
    pages = [p for p in pages_of("long") if p.width > p.height]
    top, bottom, left, right = 30 * MM, A4_W - 15 * MM, 20 * MM, A4_H - 20 * MM
    for page in pages:
        body = _body_chars(page, top)
        assert min(c["top"] for c in body) >= top
        assert max(c["bottom"] for c in body) <= bottom + 0.5
        assert min(c["x0"] for c in body) >= left - 0.5
        assert max(c["x1"] for c in body) <= right + 0.5
        grid = [r for r in page.rules]
        assert grid, "the appendix table has no grid"
        # a table wider than the page (300 mm) is scaled to the text width exactly
        assert min(r["x0"] for r in grid) == pytest.approx(left, abs=0.5)
        assert max(r["x1"] for r in grid) == pytest.approx(right, abs=0.5)


# --- page numbers -----------------------------------------------------------------------------


def _assert_page_number(page: Page, number: int, top: float, left: float, right: float) -> None:
    chars = _page_number_chars(page, top)
    assert "".join(c["text"] for c in chars) == str(number)
    assert all(c["size"] == pytest.approx(13, abs=0.1) for c in chars)
    assert all("Bold" not in c["fontname"] and "Italic" not in c["fontname"] for c in chars)
    centre = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
    assert centre == pytest.approx((left + right) / 2, abs=1.0)
    assert min(c["top"] for c in chars) > 3 * MM  # in the margin, not at the paper's edge


def test_page_numbers_from_page_two_centred_in_the_top_margin() -> None:
    first, second = pages_of("reference")
    assert _page_number_chars(first, TOP) == []
    assert min(c["top"] for c in ink(first)) >= TOP  # nothing at all above the header
    _assert_page_number(second, 2, TOP, LEFT, RIGHT)


def test_long_document_numbers_its_pages_and_each_appendix_on_its_own() -> None:
    pages = pages_of("long")
    portrait = [p for p in pages if p.height > p.width]
    landscape = [p for p in pages if p.width > p.height]
    assert len(portrait) >= 6 and len(landscape) >= 2
    assert _page_number_chars(portrait[0], TOP) == []
    for number, page in enumerate(portrait[1:], start=2):
        _assert_page_number(page, number, TOP, LEFT, RIGHT)
    assert _page_number_chars(landscape[0], 30 * MM) == []  # page 1 of the appendix
    for number, page in enumerate(landscape[1:], start=2):
        _assert_page_number(page, number, 30 * MM, 20 * MM, A4_H - 20 * MM)


# --- header and title -------------------------------------------------------------------------


def test_header_cells() -> None:
    page = pages_of("reference")[0]
    nation = page.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # one line, nothing else
    assert is_bold(nation) and nation.sizes == {12.0}
    motto = page.find("Độc lập - Tự do - Hạnh phúc")
    assert is_bold(motto) and motto.sizes == {13.0}
    assert motto.centre == pytest.approx(nation.centre, abs=1)
    issuer = [page.find("ỦY BAN NHÂN DÂN"), page.find("XÃ HOÀNG VIỆT")]
    assert all(is_bold(line) and line.sizes == {13.0} for line in issuer)
    assert issuer[0].centre == pytest.approx(issuer[1].centre, abs=1)
    assert issuer[0].baseline == pytest.approx(nation.baseline, abs=0.5)
    # left column ~40 % of the text width, right ~60 %
    assert issuer[0].centre == pytest.approx(LEFT + 0.2 * (RIGHT - LEFT), abs=2)
    assert nation.centre == pytest.approx(LEFT + 0.7 * (RIGHT - LEFT), abs=2)

    number = page.find("Số: 15/KH-UBND")
    date_line = page.find("Hoàng Việt, ngày 05 tháng 3 năm 2024")
    assert number.text == "Số: 15/KH-UBND"
    assert is_upright(number) and number.sizes == {13.0}
    assert is_italic(date_line) and date_line.sizes == {13.0}
    assert abs(number.top - date_line.top) < 1
    assert number.baseline == pytest.approx(date_line.baseline, abs=0.1)
    assert number.centre == pytest.approx(issuer[0].centre, abs=1)
    assert date_line.centre == pytest.approx(nation.centre, abs=1)
    assert number.top > issuer[1].bottom and number.top > motto.bottom


def _rule_under(page: Page, line: Line, below: float = 12) -> dict:
    rules = [
        r
        for r in page.rules
        if line.baseline < r["top"] < line.baseline + below
        and r["x0"] < line.x1
        and r["x1"] > line.x0
    ]
    assert len(rules) == 1, (line, rules)
    return rules[0]


def test_header_and_title_rules() -> None:
    page = pages_of("reference")[0]
    motto = page.find("Độc lập - Tự do - Hạnh phúc")
    rule = _rule_under(page, motto)
    assert rule["x0"] == pytest.approx(motto.x0, abs=1.5)  # as long as the motto
    assert rule["x1"] == pytest.approx(motto.x1, abs=1.5)
    issuer, widest = page.find("XÃ HOÀNG VIỆT"), page.find("ỦY BAN NHÂN DÂN")
    rule = _rule_under(page, issuer)
    length = rule["x1"] - rule["x0"]
    assert (widest.x1 - widest.x0) / 3 <= length <= (widest.x1 - widest.x0) / 2
    assert (rule["x0"] + rule["x1"]) / 2 == pytest.approx(issuer.centre, abs=1)
    assert rule["top"] - issuer.baseline >= 3  # clear of the dots under "Ệ"

    kind = page.find("KẾ HOẠCH")
    summary = [page.find(line) for line in TITLE.summary]
    assert kind.text == "KẾ HOẠCH" and is_bold(kind) and kind.sizes == {14.0}
    assert all(is_bold(line) and line.sizes == {14.0} for line in summary)
    centre = (LEFT + RIGHT) / 2
    assert all(line.centre == pytest.approx(centre, abs=1) for line in (kind, *summary))
    assert summary[0].baseline - kind.baseline < 20  # directly below
    rule = _rule_under(page, summary[-1])
    length = rule["x1"] - rule["x0"]
    line = max(s.x1 - s.x0 for s in summary)
    assert line / 3 <= length <= line / 2 + 0.5
    assert length == pytest.approx((RIGHT - LEFT) / 3, abs=20)
    assert (rule["x0"] + rule["x1"]) / 2 == pytest.approx(centre, abs=1)
    first_body = page.find("Căn cứ Quyết định")
    assert rule["top"] < first_body.top - 10


def test_draft_header_leaves_blanks() -> None:
    page = pages_of("draft")[0]
    number = page.find("Số:")
    assert number.text.replace("\xa0", " ").split() == ["Số:", "/KH-UBND"]
    slash = next(c for c in number.chars if c["text"] == "/")
    colon = next(c for c in number.chars if c["text"] == ":")
    assert slash["x0"] - colon["x1"] > 15  # room to write the number by hand
    date_line = page.find("Dị Sử, ngày")
    words = date_line.text.replace("\xa0", " ").split()
    assert words == ["Dị", "Sử,", "ngày", "tháng", "3", "năm", "2024"]
    day_end = next(c for c in date_line.chars if c["text"] == "y")  # "ngày"
    month = next(c for c in date_line.chars if c["text"] == "t")  # "tháng"
    assert month["x0"] - day_end["x1"] > 15  # room for the day
    assert is_italic(date_line)
    assert number.baseline == pytest.approx(date_line.baseline, abs=0.1)


# --- body -------------------------------------------------------------------------------------


def _body_paragraph_lines(page: Page) -> list[tuple[Line, Line]]:
    """Pairs (line, next line) inside one body paragraph: next line one leading down and
    starting at the left margin (a new paragraph starts indented, after 6 pt more)."""
    lines = [line for line in page.body_lines() if line.sizes == {14.0}]
    return [
        (a, b)
        for a, b in pairwise(lines)
        if abs(b.baseline - a.baseline - 17.5) < 0.3 and abs(b.x0 - LEFT) < 0.5
    ]


@pytest.mark.parametrize("kind", ["reference", "long"])
def test_body_is_14_pt_justified_with_leading_and_indent(kind: str) -> None:
    pages = [p for p in pages_of(kind) if p.height > p.width]
    pairs = [pair for page in pages for pair in _body_paragraph_lines(page)]
    assert len(pairs) >= 5
    for line, _ in pairs:  # every line but a paragraph's last fills the measure
        assert line.x1 == pytest.approx(RIGHT, abs=1.0), line
    leading = statistics.median(b.baseline - a.baseline for a, b in pairs)
    assert 1.2 * 14 <= leading <= 1.3 * 14
    page = pages_of("reference")[0]
    first = page.find("Xã Hoàng Việt được đánh giá")
    assert first.x0 == pytest.approx(LEFT + 10 * MM, abs=0.5)  # first-line indent 1 cm
    assert first.sizes == {14.0} and is_upright(first)
    basis = page.find("Căn cứ Quyết định số 70")
    assert is_italic(basis) and basis.x0 == pytest.approx(LEFT + 10 * MM, abs=0.5)
    previous = page.find("UBND các xã, thị trấn năm 2022,")
    assert first.baseline - previous.baseline >= 17.5 + 6 - 0.1  # 6 pt after a paragraph


def test_runs_and_headings_keep_their_styles() -> None:
    pages = pages_of("reference")
    text = "\n".join(p.text for p in pages)
    lines = [line for p in pages for line in p.lines]

    def line_of(start: str) -> Line:
        return next(line for line in lines if line.text.startswith(start))

    for heading in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "III. TỔ CHỨC THỰC HIỆN"):
        assert is_bold(line_of(heading)), heading
        assert line_of(heading).x0 == pytest.approx(LEFT + 10 * MM, abs=0.5)
    assert is_upright(line_of("a) Tồn tại"))
    assert "Chủ trì:" in text
    chars = [c for line in lines for c in line.chars]
    run = "".join(c["text"] for c in chars if c["fontname"].endswith("LiberationSerif-Bold"))
    assert "Chủtrì:" in run.replace(" ", "")
    italic = "".join(c["text"] for c in chars if c["fontname"].endswith("LiberationSerif-Italic"))
    assert "phốihợp:" in italic.replace(" ", "")


def test_markup_characters_are_printed_as_text() -> None:
    text = "\n".join(p.text for p in pages_of("long"))
    assert "Tỷ lệ hồ sơ trễ hạn < 5% & đúng hạn > 95%." in " ".join(text.split())


# without keeping, headings end pages 2 and 8 of shift 0, 3 pages of shift 5, 5 of shift 6
SHIFTS = (0, 5, 6)


def test_headings_are_never_the_last_line_of_a_page() -> None:
    for shift in SHIFTS:
        headings = _heading_texts(long_document(shift))
        pages = [page for page in pages_of("long", shift) if page.height > page.width]
        endings = [page.body_lines()[-1].text for page in pages]
        assert not [e for e in endings if e in headings], (shift, endings)
        printed = {line.text for page in pages for line in page.lines}
        assert headings <= printed  # none lost on the way


def _heading_texts(doc: Document) -> set[str]:
    out: set[str] = set()
    for block in doc.body:
        if isinstance(block, Heading):
            out.add(block.text)
        elif isinstance(block, PartHeading):
            out |= {block.label, block.title.upper()}
    return out


def test_the_heading_test_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: without keeping headings with what follows, some land at a page's foot."""
    import parapp.printing.pdf.document as document

    monkeypatch.setattr(document, "chain", lambda items: [item.flowable for item in items])
    stranded = 0
    for shift in SHIFTS:
        doc = long_document(shift)
        pages = [page for page in read_pages(render_pdf(doc)) if page.height > page.width]
        stranded += sum(p.body_lines()[-1].text in _heading_texts(doc) for p in pages)
    assert stranded > 0


def test_reference_keeps_heading_with_its_text() -> None:
    """The flaw of the reference picture: "2. Nội dung khắc phục" alone at the foot."""
    first, second = pages_of("reference")
    assert "2. Nội dung khắc phục" not in first.text
    lines = second.body_lines()
    assert lines[0].text == "2. Nội dung khắc phục"
    assert lines[1].text == "a) Tồn tại"


INTRO = "Kết quả cụ thể như sau:"


def intro_then_table(keep: bool) -> Document:
    """12 fillers put the one-line introduction of the table at the foot of page 1."""
    doc = reference_document()
    filler = padded_document(1).body[-2]
    intro = Paragraph.of(INTRO, keep_with_next=keep)
    body = (doc.body[0], *([filler] * 12), intro, score_table(), doc.body[-1])
    return replace(doc, body=body)


@pytest.mark.parametrize("keep", [True, False])
def test_paragraph_keep_with_next_is_honoured(keep: bool) -> None:
    pages = read_pages(render_pdf(intro_then_table(keep)))
    page = next(p for p in pages if any(line.text == INTRO for line in p.lines))
    stranded = page.body_lines()[-1].text == INTRO
    assert stranded is not keep  # kept: on the page of the table; not kept: alone at the foot
    if keep:
        intro, head = page.find(INTRO), page.find("Nội dung")
        assert 0 < head.top - intro.bottom < 30


# --- tables -----------------------------------------------------------------------------------


def test_score_table() -> None:
    page = pages_of("reference")[0]
    head = page.find("Nội dung")
    assert is_bold(head) and head.sizes == {12.0}
    # columns: TT 12 mm, Nội dung 80 mm: the header is centred in its column
    assert head.centre == pytest.approx(LEFT + (12 + 40) * MM, abs=1)
    for title in ("TT", "Điểm đạt", "Điểm bị trừ", "Điểm tối đa"):
        assert is_bold(page.find(title)), title
    row = page.find("Cải cách thủ tục hành chính")
    assert is_upright(row) and row.sizes == {12.0}
    assert row.x0 == pytest.approx(LEFT + 12 * MM + 4, abs=0.5)  # left-aligned, 4 pt padding
    value = next(line for line in page.lines if line.text == "18,25")
    assert value.centre == pytest.approx(LEFT + (12 + 80 + 24 + 12) * MM, abs=1)  # centred
    total = page.find("Tổng cộng")
    assert is_bold(total)
    assert all(is_bold(line) for line in page.lines if line.text in ("100,00", "86,50", "13,50"))
    # a long cell wraps inside its column
    wrapped = page.find("Xây dựng chính quyền điện tử")
    assert wrapped.x1 <= LEFT + (12 + 80) * MM - 4 + 0.5
    assert "số" in {line.text for line in page.lines}
    # a thin grid: 10 rows -> 11 horizontal lines, 6 vertical
    grid = [r for r in page.rules if r["top"] > head.top - 20 and r["bottom"] < total.bottom + 20]
    horizontal = {round(r["top"], 1) for r in grid if r["height"] < 1}
    vertical = {round(r["x0"], 1) for r in grid if r["width"] < 1}
    assert len(horizontal) == 11 and len(vertical) == 6
    assert all(r["linewidth"] <= 1 for r in grid)


def test_long_table_repeats_its_header_row_on_every_page() -> None:
    pages = [p for p in pages_of("long") if "Nhiệm vụ khắc phục số" in p.text]
    assert len(pages) >= 2
    seen: list[int] = []
    for page in pages:
        head = [line for line in page.lines if line.text == "Chủ trì"]
        assert len(head) == 1 and is_bold(head[0])
        first_row = min(
            (line for line in page.lines if line.text.startswith("Nhiệm vụ khắc phục số")),
            key=lambda line: line.top,
        )
        assert head[0].top < first_row.top
        seen += [
            int(line.text.split()[5])
            for line in page.lines
            if line.text.startswith("Nhiệm vụ khắc phục số")
        ]
    assert seen == list(range(1, 41))  # every row once, in order
    caption = pages[0].find("Đơn vị tính: nhiệm vụ")
    assert is_italic(caption) and caption.x1 == pytest.approx(RIGHT, abs=1)


# --- end of the body, signature ---------------------------------------------------------------


def test_body_ends_with_the_mark() -> None:
    text = " ".join(" ".join(p.text for p in pages_of("reference")).split())
    assert "để theo dõi, tổng hợp./." in text
    assert text.count("./.") == 1
    unmarked = replace(reference_document(), ends_with_mark=False)
    with pdfplumber.open(io.BytesIO(render_pdf(unmarked))) as pdf:
        assert "./." not in "".join(p.extract_text() for p in pdf.pages)
    already = replace(
        reference_document(), body=(*reference_document().body[:-1], Paragraph.of("Xong./."))
    )
    with pdfplumber.open(io.BytesIO(render_pdf(already))) as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
    assert "Xong./." in text and text.count("./.") == 1
    ending_in_table = replace(
        reference_document(), body=(Paragraph.of("Bảng điểm:"), score_table())
    )
    page = read_pages(render_pdf(ending_in_table))[0]
    mark, total = page.find("./."), page.find("Tổng cộng")
    assert mark.text == "./." and mark.top > total.bottom


def _signature_pages(pages: tuple[Page, ...], signature: Signature) -> set[int]:
    texts = ["Nơi nhận:", *signature.recipients, *signature.authority, signature.name]
    return {
        i for i, page in enumerate(pages) for line in page.lines for t in texts if line.text == t
    }


def test_signature_block_is_whole_on_one_page_with_the_end_of_the_body() -> None:
    cases = [("reference", 0), ("long", 0), *(("padded", extra) for extra in range(0, 16, 3))]
    pages_used = set()
    for kind, variant in cases:
        pages = pages_of(kind, variant)
        where = _signature_pages(pages, SIGNATURE)
        assert len(where) == 1, (kind, variant, where)
        page = pages[where.pop()]
        for text in ("Nơi nhận:", *RECIPIENTS, *SIGNATURE.authority, SIGNATURE.name):
            assert any(line.text == text for line in page.lines), (kind, variant, text)
        assert "tổng hợp./." in page.text  # never a page with the signature alone
        pages_used.add(len(pages))
    assert len(pages_used) >= 2  # the padding really pushed the block over a page end


def test_signature_block_layout() -> None:
    page = pages_of("reference")[-1]
    label = page.find("Nơi nhận:")
    assert "BoldItalic" in next(iter(label.fonts)) and label.sizes == {12.0}
    assert label.x0 == pytest.approx(LEFT, abs=0.5)
    recipients = [page.find(r) for r in RECIPIENTS]
    assert all(is_upright(r) and r.sizes == {11.0} for r in recipients)
    assert [r.top for r in recipients] == sorted(r.top for r in recipients)
    authority = [page.find(a) for a in SIGNATURE.authority]
    assert all(is_bold(a) and a.sizes == {14.0} for a in authority)
    assert label.baseline == pytest.approx(authority[0].baseline, abs=1)  # level
    right_centre = LEFT + 0.7 * (RIGHT - LEFT)
    assert all(a.centre == pytest.approx(right_centre, abs=1) for a in authority)
    name = page.find("Âu Hồng Ngân")
    assert is_bold(name) and name.sizes == {14.0}
    assert name.centre == pytest.approx(right_centre, abs=1)
    assert name.top - authority[-1].bottom >= 25 * MM  # room for signature and seal
    assert label.top > page.find("tổng hợp./.").bottom


AUTHORITY_FORMS = {
    "TM": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "KT": ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "Q": ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"),
    "TL": ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
    "TUQ": ("TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
}


@pytest.mark.parametrize("form", sorted(AUTHORITY_FORMS))
def test_every_authority_form_renders_its_lines(form: str) -> None:
    lines = AUTHORITY_FORMS[form]
    signature = Signature(RECIPIENTS, lines, "Nguyễn Đức Thắng")
    doc = replace(reference_document(), signature=signature)
    page = read_pages(render_pdf(doc))[-1]
    found = [page.find(text) for text in lines]
    assert [line.text for line in found] == list(lines)
    assert all(is_bold(line) and line.sizes == {14.0} for line in found)
    gaps = [b.baseline - a.baseline for a, b in pairwise(found)]
    assert all(0 < gap < 20 for gap in gaps)  # consecutive lines, in order
    name = page.find("Nguyễn Đức Thắng")
    assert name.top - found[-1].bottom >= 25 * MM
    assert page.find("Nơi nhận:").baseline == pytest.approx(found[0].baseline, abs=1)


def test_nfd_input_prints_as_nfc() -> None:
    pages = pages_of("nfd")
    chars = [c["text"] for page in pages for c in page.chars]
    assert not [c for c in chars if unicodedata.combining(c)]  # no loose tone marks
    text = "\n".join(page.text for page in pages)
    for expected in (
        "XÃ HOÀNG VIỆT",
        "Hoàng Việt, ngày 05 tháng 3 năm 2024",
        "Khắc phục các tiêu chí bị đánh giá thấp tại Chỉ số",
        "Căn cứ Quyết định số 70/QĐ-UBND",
        "Âu Hồng Ngân",
        "Nơi nhận:",
        "Công tác chỉ đạo, điều hành CCHC",
    ):
        assert expected in text, expected
    assert [p.text for p in pages] == [p.text for p in pages_of("reference")]


# --- output as bytes --------------------------------------------------------------------------


def test_same_document_gives_the_same_bytes() -> None:
    first = render_pdf(reference_document())
    assert render_pdf(reference_document()) == first
    assert render_pdf(long_document()) == pdf_of("long")
    other = replace(reference_document(), created=date(2024, 3, 6))
    assert render_pdf(other) != first  # the date really is in the file


def test_metadata_and_version() -> None:
    data = pdf_of("reference")
    version = data[:8].decode("ascii")
    assert version.startswith("%PDF-1.") and int(version[-1]) >= 4
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        meta = pdf.metadata
    assert meta["Title"] == " ".join(("KẾ HOẠCH", *TITLE.summary))
    assert meta["Subject"] == "Kế hoạch khắc phục Chỉ số CCHC"
    assert meta["Author"] == "UBND xã Hoàng Việt"
    assert meta["Creator"] == "parapp"
    assert meta["CreationDate"].startswith("D:20240305")


def render_times(doc: Document, runs: int = 5) -> Iterator[float]:
    import time

    for _ in range(runs):
        start = time.perf_counter()
        render_pdf(doc)
        yield time.perf_counter() - start


def test_long_document_renders_quickly() -> None:
    assert statistics.median(render_times(long_document())) < 3.0


def test_a_group_row_is_never_left_alone_at_a_page_foot() -> None:
    """Bold rows head groups (areas): the row after one must be on the same page. Several
    lead-ins move the rows across page feet so that one of them lands on a foot."""
    from dataclasses import replace as _replace

    from parapp.printing.model import Column, Paragraph, Table

    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    for area in range(1, 9):
        bold.add(len(rows))
        rows.append((str(area), f"NHÓM{area}", ""))
        rows += [(f"{area}.{k}", "Nhiệm vụ " * 12, "quý II/2026") for k in range(1, 6)]
    table = Table(
        (Column("TT", 15), Column("Nội dung", 110), Column("Thời hạn", 40)),
        tuple(rows),
        bold_rows=frozenset(bold),
    )
    for lead in range(8):
        body = (*(Paragraph.of("Đoạn mở đầu " * 3) for _ in range(lead)), table)
        pdf_bytes = render_pdf(_replace(reference_document(), body=body))
        with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                words = page.extract_words()
                for word in (w for w in words if w["text"].startswith("NHÓM")):
                    below = [w for w in words if w["top"] > word["bottom"] + 2]
                    assert below, f"lead {lead}: {word['text']} alone at the foot of page {number}"
