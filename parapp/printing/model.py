"""A document as plain data, the same for the PDF and the DOCX renderer.

Builders fill it in from the program's data; renderers lay it out by the rules of
Nghị định 30/2020/NĐ-CP (docs: ../shared/docs/nd30-format.md). Text here is final: NFC,
numbers already formatted the Vietnamese way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Align(StrEnum):
    JUSTIFY = "justify"
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Run:
    """A piece of text with its own style inside a paragraph."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """Body text: justified, first-line indent 1 cm, 13-14 pt, at least 6 pt after."""

    runs: tuple[Run, ...]
    italic: bool = False  # the whole paragraph (legal bases)
    indent: bool = True  # first-line indent
    align: Align = Align.JUSTIFY
    keep_with_next: bool = False

    @staticmethod
    def of(text: str, **kw: object) -> Paragraph:
        return Paragraph((Run(text),), **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PartHeading:
    """ "Phần I" centred bold, its title centred UPPER CASE bold on the next line."""

    label: str  # "Phần I"
    title: str  # "KẾT QUẢ THỰC HIỆN CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"


class HeadingLevel(StrEnum):
    SECTION = "section"  # "I. MỤC ĐÍCH, YÊU CẦU": bold, upper case
    NUMBERED = "numbered"  # "1. Mục đích": bold
    LETTERED = "lettered"  # "a) Tồn tại": upright


@dataclass(frozen=True)
class Heading:
    """A heading kept with what follows; its number ("I.", "1.", "a)") is part of ``text``."""

    text: str
    level: HeadingLevel


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    align: Align = Align.LEFT


@dataclass(frozen=True)
class Table:
    """A table in the body font (12-13 pt), header row repeated on every page."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    bold_rows: frozenset[int] = frozenset()  # indices into ``rows`` (a total row, area rows)
    font_size: float = 12
    caption: str = ""  # an optional line above the table, e.g. "Đơn vị tính: điểm"

    def kept_with_next(self) -> frozenset[int]:
        """Rows (indices into ``rows``) printed on the same page as the row after them: a
        bold row inside the table heads a group (an area), and the totals that end a table
        (its last bold rows) are never alone at the top of a page."""
        last = len(self.rows) - 1
        kept = {i for i in self.bold_rows if 0 <= i < last}
        tail = last
        while tail >= 0 and tail in self.bold_rows:
            tail -= 1
        if 0 <= tail < last:
            kept.add(tail)
        return frozenset(kept)


Block = Paragraph | PartHeading | Heading | Table


@dataclass(frozen=True)
class Header:
    """Cells 1-4: the two-column header."""

    issuing_body: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "XÃ HOÀNG VĂN THỤ"): bold, upper case
    parent_body: str = ""  # "UBND TỈNH LẠNG SƠN" upright above the issuing body, if any
    number: str = ""  # "15" or "" for a draft ("Số:      /KH-UBND")
    symbol: str = "KH-UBND"
    place: str = ""  # "Hoàng Văn Thụ"
    date: date | None = None  # None: a draft ("ngày    tháng    năm 2024")
    draft_year: int | None = None  # the year printed in a draft's date line
    draft_month: int | None = None  # a draft may know its month ("ngày    tháng 3 năm 2024")


@dataclass(frozen=True)
class Title:
    """Cell 5a: the kind of document and its summary (trích yếu), with a rule under it."""

    kind: str  # "KẾ HOẠCH", "BÁO CÁO"
    summary: tuple[str, ...]  # one or more lines, sentence case


@dataclass(frozen=True)
class Signature:
    """Cells 7 and 9b: recipients on the left, the signer on the right, kept together."""

    recipients: tuple[str, ...]  # "- Như trên;" ... the last "- Lưu: VT, VP."
    authority: tuple[str, ...]  # ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    name: str  # "Âu Hồng Ngân"; empty for a draft


@dataclass(frozen=True)
class Appendix:
    """A "Phụ lục" on its own pages (landscape allowed for a wide table)."""

    label: str  # "Phụ lục" or "Phụ lục I"
    title: str  # "DANH MỤC NHIỆM VỤ KHẮC PHỤC ..." upper case, bold
    note: str = ""  # "(Kèm theo Kế hoạch số 15/KH-UBND ngày 06/02/2023 của UBND xã ...)"
    blocks: tuple[Block, ...] = ()
    landscape: bool = False


@dataclass(frozen=True)
class Document:
    header: Header
    title: Title
    body: tuple[Block, ...]
    signature: Signature
    appendices: tuple[Appendix, ...] = ()
    ends_with_mark: bool = True  # the body ends with "./."
    # PDF metadata; fixed (not "now") so the same data always gives the same bytes.
    subject: str = ""
    author: str = ""
    created: date = field(default=date(2000, 1, 1))
    # An issued document's QR text (parapp.printing.qrtext), printed in the bottom margin of
    # its last page; not part of its frozen content (the QR carries that content's hash).
    qr: str = ""
