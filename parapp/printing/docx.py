"""The Word (DOCX) version of an official document, laid out like the PDF.

Clerks open it in Word to edit, so the layout uses what Word and LibreOffice both honour:
borderless tables for the two-column header and the signature block, paragraph borders on short
indented empty paragraphs for the rules, fixed table widths set on every cell, a PAGE field in
the header of every page but the first. Rules: Nghị định 30/2020/NĐ-CP (nd30-format.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from parapp.printing import docx_xml as x
from parapp.printing import nd30
from parapp.printing.docx_qr import add_qr
from parapp.printing.model import (
    Align,
    Appendix,
    Block,
    Document,
    Header,
    Heading,
    HeadingLevel,
    Paragraph,
    PartHeading,
    Signature,
    Table,
    Title,
)
from parapp.printing.widths import balanced_widths, row_lines

PAGE_MM = (210.0, 297.0)
# (top, bottom, left, right); a landscape page turns the binding margin to the top, as the PDF
MARGINS_MM = {False: (20.0, 20.0, 30.0, 15.0), True: (30.0, 15.0, 20.0, 20.0)}
PAGE_NUMBER_MM = 2.3  # half the height of the 13 pt page number: centred in the top margin
BODY_PT = x.BODY_PT
BODY_LINE = 1.15  # line spacing of table text (a multiple of single), for row heights
BODY_LEADING_PT = 17.5  # body lines as far apart as the PDF's (1.25 × 14 pt): same pages
AFTER_PT = 6.0  # space after body paragraphs
INDENT_MM = 10.0  # first-line indent
LEFT_SHARE = 0.4  # width of the left column of the header and the signature block
MARK = "./."
TABLE_AFTER_PT = 9.0
PROPERTY_MAX = 255  # characters in a core property (python-docx refuses more)

_ALIGN = {
    Align.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
    Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT,
    Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
}
_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:docGrid")

# --- the parts of a document ---------------------------------------------------------------


def _header(doc: Any, header: Header, width_mm: float) -> None:
    left_mm = width_mm * LEFT_SHARE
    right_mm = width_mm - left_mm
    table = x.fixed_table(doc, (left_mm, right_mm), rows=2, grid=False)
    left, right = table.rows[0].cells
    if header.parent_body:
        x.para(left, [(header.parent_body.upper(), False, False)], size=13)
    lines = [x.nfc(line).upper() for line in header.issuing_body]
    for line in lines:
        x.para(left, [(line, True, False)], size=13)
    widest = max((x.text_width_mm(line, 13, bold=True) for line in lines), default=30.0)
    x.rule(left, widest * 0.4, left_mm)

    motto = "Độc lập - Tự do - Hạnh phúc"
    x.para(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False)], size=12)
    x.para(right, [(motto, True, False)], size=13)
    x.rule(right, x.text_width_mm(motto, 13, bold=True), right_mm)

    number, date = table.rows[1].cells
    line = nd30.number_line(header.number, header.symbol)
    place = nd30.date_line(header.place, header.date, header.draft_year, header.draft_month)
    x.para(number, [(line, False, False)], size=13, before=8)
    x.para(date, [(place, False, True)], size=13, before=8)  # 13 pt as the PDF
    for cell in (number, date):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM


def _title(doc: Any, title: Title, width_mm: float) -> None:
    x.para(doc, [(title.kind.upper(), True, False)], before=18, keep=True)
    for line in title.summary:
        x.para(doc, [(line, True, False)], keep=True)
    widest = max((x.text_width_mm(s, BODY_PT, bold=True) for s in title.summary), default=0.0)
    widest = min(widest, width_mm) or x.text_width_mm(title.kind, BODY_PT, bold=True)
    # a third of the text width, kept within 1/3-1/2 of the summary line (as the PDF)
    x.rule(doc, max(widest / 3, min(width_mm / 3, widest / 2)), width_mm, after=14)


def _may_be_tall(block: Paragraph, width_mm: float, height_mm: float) -> bool:
    """Whether ``block`` may be taller than half a page (an estimate from its width)."""
    text = "".join(run.text for run in block.runs)
    lines = x.text_width_mm(text, BODY_PT) / max(width_mm, 1.0) + 1 + text.count("\n")
    return lines * BODY_LEADING_PT * 25.4 / 72 > height_mm / 2


def _paragraph(
    doc: Any, block: Paragraph, mark: bool, keep: bool = False, tall: bool = False
) -> None:
    """``tall``: never kept with the next paragraph. Word and LibreOffice move a kept
    paragraph to the next page whole when it does not fit, leaving the page before it, and
    the headings kept with it, nearly empty; the PDF breaks such a paragraph instead."""
    pieces = [(r.text, r.bold, r.italic or block.italic) for r in block.runs]
    if mark:  # on the last run with text (trailing blank runs dropped), as the PDF
        last = max((i for i, piece in enumerate(pieces) if piece[0].strip()), default=-1)
        if last < 0:
            pieces.append((MARK, False, block.italic))
        else:
            text, bold, italic = pieces[last]
            text = x.nfc(text).rstrip()
            if not text.endswith(MARK):
                text = text.rstrip(".;,") + MARK
            pieces[last + 1 :] = []
            pieces[last] = (text, bold, italic)
    x.para(
        doc,
        pieces,
        align=_ALIGN[block.align],
        first_mm=INDENT_MM if block.indent else 0.0,
        after=AFTER_PT,
        leading=BODY_LEADING_PT,
        keep=(block.keep_with_next or keep) and not tall,
    )


def _heading(doc: Any, block: Heading | PartHeading) -> None:
    if isinstance(block, PartHeading):
        x.para(doc, [(block.label, True, False)], before=6, keep=True)
        x.para(doc, [(block.title.upper(), True, False)], after=AFTER_PT, keep=True)
        return
    text = block.text.upper() if block.level is HeadingLevel.SECTION else block.text
    bold = block.level is not HeadingLevel.LETTERED
    x.para(
        doc,
        [(text, bold, False)],
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first_mm=INDENT_MM,
        after=AFTER_PT,
        leading=BODY_LEADING_PT,
        keep=True,
    )


def _grid(doc: Any, block: Table, width_mm: float, height_mm: float) -> None:
    size = block.font_size
    if block.caption.strip():
        caption = [(block.caption, False, True)]
        x.para(doc, caption, size=size + 1, align=_ALIGN[Align.RIGHT], after=2, keep=True)
    if not block.columns:
        return
    count = len(block.columns)
    for index, values in enumerate(block.rows):
        if len(values) > count:
            raise ValueError(f"row {index} has {len(values)} cells for {count} columns")
    widths = balanced_widths(block, width_mm)
    # a row that may be taller than half a page is allowed to break across pages: Word and
    # LibreOffice cut a "can't split" row taller than a page at the page's foot
    leading = size * BODY_LINE * 25.4 / 72
    pad = (3 + 4) * 25.4 / 72
    lines = row_lines(block, widths)
    kept = block.kept_with_next()
    tall = {i for i, n in enumerate(lines[1:]) if n * leading + pad > height_mm / 2}
    # the first rows are kept with what is above the table (its title) and with each other:
    # if they could not break, a title at the top of a page would be left alone there
    first = 0
    while first in kept:
        first += 1
    tall |= set(range(first + 1))
    table = x.fixed_table(doc, widths, rows=1 + len(block.rows), grid=True)
    head = table.rows[0]
    x.cant_split(head, header=True)
    for cell, column in zip(head.cells, block.columns, strict=True):
        x.para(cell, [(column.title, True, False)], size=size, before=3, after=4, keep=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, values in enumerate(block.rows):
        row = table.rows[index + 1]
        if index not in tall:
            x.cant_split(row)
        bold = index in block.bold_rows
        # a group's heading row and the row before the totals stay on the page of the row
        # after them (Word keeps a row with the next when its paragraphs are "keep with next")
        keep = index in kept
        values = (*values, *[""] * (count - len(values)))
        for cell, column, value in zip(row.cells, block.columns, values, strict=True):
            align = _ALIGN[column.align]
            x.para(
                cell,
                [(value, bold, False)],
                size=size,
                align=align,
                before=3,
                after=4,
                keep=keep,
            )
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    x.spacer(doc, TABLE_AFTER_PT)  # also keeps two tables from merging


def _blocks(
    doc: Any, blocks: Sequence[Block], width_mm: float, height_mm: float, end_mark: bool
) -> None:
    last_paragraph = len(blocks) - 1 if blocks and isinstance(blocks[-1], Paragraph) else -1
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            last = index == last_paragraph
            tall = _may_be_tall(block, width_mm, height_mm)
            _paragraph(doc, block, mark=end_mark and last, keep=last, tall=tall)
        elif isinstance(block, Heading | PartHeading):
            _heading(doc, block)
        else:
            _grid(doc, block, width_mm, height_mm)
    if end_mark and last_paragraph < 0:
        _paragraph(doc, Paragraph.of(MARK, align=Align.RIGHT, indent=False), mark=False)


def _signature(doc: Any, signature: Signature, width_mm: float) -> None:
    left_mm = width_mm * LEFT_SHARE
    table = x.fixed_table(doc, (left_mm, width_mm - left_mm), rows=1, grid=False)
    x.cant_split(table.rows[0])
    left, right = table.rows[0].cells
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    if signature.recipients:
        label = [("Nơi nhận:", True, True)]
        x.para(left, label, size=12, align=left_align, before=8, keep=True)
    for line in signature.recipients:
        x.para(left, [(line, False, False)], size=11, align=left_align, keep=True)
    for i, line in enumerate(signature.authority):
        x.para(right, [(x.nfc(line).upper(), True, False)], before=6 if i == 0 else 0, keep=True)
    for _ in range(4):
        x.para(right, keep=True)  # room for the signature and the seal
    x.para(right, [(signature.name, True, False)], keep=True)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _appendix(doc: Any, appendix: Appendix, width_mm: float, height_mm: float) -> None:
    x.para(doc, [(appendix.label, True, False)], keep=True)
    x.para(doc, [(x.nfc(appendix.title).upper(), True, False)], keep=True)
    if appendix.note.strip():
        x.para(doc, [(appendix.note, False, True)], keep=True)
    x.spacer(doc, 12)
    _blocks(doc, appendix.blocks, width_mm, height_mm, end_mark=False)


# --- sections, page numbers, document properties -------------------------------------------


def _text_height(landscape: bool) -> float:
    """Height of the text block of a page, in mm."""
    top, bottom, _left, _right = MARGINS_MM[landscape]
    return (PAGE_MM[0] if landscape else PAGE_MM[1]) - top - bottom


def _setup(section: Any, landscape: bool, restart: bool) -> float:
    """Page size, margins, headers of ``section``; returns the width of its text in mm."""
    short, long = PAGE_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (long, short) if landscape else (short, long)
    section.page_width, section.page_height = Mm(width), Mm(height)
    top, bottom, left, right = MARGINS_MM[landscape]
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(top / 2 - PAGE_NUMBER_MM)
    section.footer_distance = Mm(bottom / 2)
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True  # page 1 has no number
    section.header.is_linked_to_previous = False
    x.page_number(section.header)
    section.first_page_header.is_linked_to_previous = False
    x.para(section.first_page_header, size=13)
    if restart:  # an appendix is paginated on its own
        number_type = x.child(section._sectPr, "w:pgNumType", _AFTER_PGNUMTYPE)
        number_type.set(qn("w:start"), "1")
    return width - left - right


def _property(text: str) -> str:
    """A core property: the format allows 255 characters (a long summary or unit name is
    cut at a word, with "…"); the text on the page is whole."""
    text = x.nfc(text)
    if len(text) <= PROPERTY_MAX:
        return text
    return text[: PROPERTY_MAX - 1].rsplit(" ", 1)[0] + "…"


def _properties(document: Any, doc: Document) -> None:
    stamp = datetime(doc.created.year, doc.created.month, doc.created.day)
    props = document.core_properties
    props.created = props.modified = props.last_printed = stamp
    props.title = _property(" ".join((doc.title.kind, *doc.title.summary)))
    props.subject = _property(doc.subject)
    props.author = props.last_modified_by = _property(doc.author) or "parapp"
    props.comments = ""
    props.language = "vi-VN"
    props.revision = 1


def render_docx(doc: Document) -> bytes:
    """The document as a .docx file: A4, ND30 layout, Times New Roman, editable in Word."""
    document = new_document()
    x.defaults(document)
    _properties(document, doc)
    width = _setup(document.sections[0], landscape=False, restart=False)
    _header(document, doc.header, width)
    _title(document, doc.title, width)
    _blocks(document, doc.body, width, _text_height(False), end_mark=doc.ends_with_mark)
    _signature(document, doc.signature, width)
    for appendix in doc.appendices:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        x.spacer_from(document.paragraphs[-1])
        width = _setup(section, landscape=appendix.landscape, restart=True)
        _appendix(document, appendix, width, _text_height(appendix.landscape))
    if document.element.body[-2].tag == qn("w:tbl"):  # Word wants a paragraph to end on
        x.spacer(document, 1)
    if doc.qr:
        add_qr(document, doc.qr, landscape=bool(doc.appendices and doc.appendices[-1].landscape))
    created = doc.created
    stamp = (max(created.year, 1980), created.month, created.day)  # zip dates start in 1980
    return x.save(document, stamp)
