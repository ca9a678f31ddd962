"""The Word (DOCX) version of an official document, laid out like the PDF.

Clerks open it in Word to edit, so the layout uses what Word and LibreOffice both honour:
borderless tables for the two-column header and the signature block, paragraph borders on short
indented empty paragraphs for the rules, fixed table widths set on every cell, a PAGE field in
the header of every page but the first. Rules: Nghị định 30/2020/NĐ-CP (nd30-format.md).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from parapp.printing import nd30
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

FONT = "Times New Roman"
PAGE_MM = (210.0, 297.0)
MARGIN_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
HEADER_DISTANCE_MM = 10.0
BODY_PT = 14.0
BODY_LINE = 1.15  # line spacing of body text (a multiple of single)
AFTER_PT = 6.0  # space after body paragraphs
INDENT_MM = 10.0  # first-line indent
LEFT_SHARE = 0.4  # width of the left column of the header and the signature block
GRID_CELL_MARGIN_MM = 1.5
MARK = "./."

_ALIGN = {
    Align.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
    Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT,
    Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
}
_CENTER = WD_ALIGN_PARAGRAPH.CENTER
_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:docGrid")

# (text, bold, italic)
Piece = tuple[str, bool, bool]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- measuring text (the bundled Liberation Serif has the metrics of Times New Roman) -------


@lru_cache(maxsize=4)
def _face(bold: bool, italic: bool) -> Any:
    from reportlab.pdfbase.ttfonts import TTFont  # imported late: only the rules need it

    from parapp.resources import path

    style = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
    return TTFont(f"parapp-docx-measure-{style}", str(path(f"fonts/LiberationSerif-{style}.ttf")))


def text_width_mm(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Printed width of one line of ``text`` in Times New Roman; an estimate without the font."""
    text = _nfc(text)
    try:
        points = _face(bold, italic).stringWidth(text, size)
    except Exception:  # the font is missing or unreadable: half an em a character
        points = 0.5 * size * len(text)
    return points * 25.4 / 72


# --- low-level formatting ------------------------------------------------------------------


def _child(parent: Any, tag: str, successors: Sequence[str] = ()) -> Any:
    """The ``tag`` child of ``parent``, created before the first of ``successors`` present."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    for name in successors:
        after = parent.find(qn(name))
        if after is not None:
            after.addprevious(element)
            return element
    parent.append(element)
    return element


def _set_fonts(rpr: Any, size: float, bold: bool = False, italic: bool = False) -> None:
    """Font, size, weight and colour on a run's or a paragraph mark's ``w:rPr``."""
    for tag in ("w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:color", "w:sz", "w:szCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    children = [fonts]
    for tag, on in (("w:b", bold), ("w:bCs", bold), ("w:i", italic), ("w:iCs", italic)):
        if on:
            children.append(OxmlElement(tag))
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "000000")
    children.append(color)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(round(size * 2)))
        children.append(el)
    for el in reversed(children):
        rpr.insert(0, el)


def _add_text(p: DocxParagraph, text: str, size: float, bold: bool, italic: bool) -> None:
    for i, line in enumerate(_nfc(text).split("\n")):
        run = p.add_run()
        if i:
            run.add_break()
        run.text = line
        _set_fonts(run._r.get_or_add_rPr(), size, bold, italic)


def _para(
    parent: Any,
    pieces: Iterable[Piece] = (),
    *,
    size: float = BODY_PT,
    align: Any = _CENTER,
    first_mm: float = 0.0,
    left_mm: float = 0.0,
    right_mm: float = 0.0,
    before: float = 0.0,
    after: float = 0.0,
    line: float = 1.0,
    keep: bool = False,
) -> DocxParagraph:
    """A paragraph in ``parent`` (document, cell or header); a cell's unused first one is reused."""
    existing = parent.paragraphs  # every paragraph made here has w:spacing; a fresh one not
    fresh = len(existing) == 1 and not existing[0].runs
    if fresh and existing[0]._p.find(f"{qn('w:pPr')}/{qn('w:spacing')}") is None:
        p = existing[0]
    else:
        p = parent.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Mm(first_mm)
    fmt.left_indent, fmt.right_indent = Mm(left_mm), Mm(right_mm)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    fmt.line_spacing = line
    fmt.keep_with_next = keep
    fmt.widow_control = True
    ppr = p._p.get_or_add_pPr()
    _set_fonts(_child(ppr, "w:rPr", ("w:sectPr", "w:pPrChange")), size)  # the paragraph mark
    for text, bold, italic in pieces:
        _add_text(p, text, size, bold, italic)
    return p


def _rule(parent: Any, width_mm: float, room_mm: float, after: float = 0.0) -> DocxParagraph:
    """A solid rule ``width_mm`` long, centred in ``room_mm``: an empty paragraph's border."""
    side = max(0.0, (room_mm - width_mm) / 2)
    p = _para(parent, size=1, left_mm=side, right_mm=side, after=after, keep=True)
    borders = _child(p._p.get_or_add_pPr(), "w:pBdr", ("w:shd", "w:tabs", "w:spacing", "w:ind"))
    bottom = _child(borders, "w:bottom")
    for attr, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{attr}"), value)
    return p


def _spacer(parent: Any, points: float) -> DocxParagraph:
    """An empty paragraph exactly ``points`` high (separates tables, holds a section break)."""
    p = _para(parent, size=1)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(points)
    return p


def _table(parent: Any, widths_mm: Sequence[float], rows: int, grid: bool) -> DocxTable:
    """A fixed-layout table with every column and cell width set; borderless unless ``grid``."""
    table = parent.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False  # w:tblLayout fixed
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblpr = table._tbl.tblPr
    tblw = _child(tblpr, "w:tblW")
    tblw.set(qn("w:w"), str(Mm(sum(widths_mm)).twips))
    tblw.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single" if grid else "nil")
        if grid:
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    _child(tblpr, "w:tblLayout").addprevious(borders)
    margins = OxmlElement("w:tblCellMar")
    pad = Mm(GRID_CELL_MARGIN_MM if grid else 0).twips
    for side, twips in (("top", 0), ("left", pad), ("bottom", 0), ("right", pad)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _cant_split(row: Any, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    _child(trpr, "w:cantSplit")
    if header:
        _child(trpr, "w:tblHeader")


# --- the parts of a document ---------------------------------------------------------------


def _header(doc: Any, header: Header, width_mm: float) -> None:
    left_mm = width_mm * LEFT_SHARE
    right_mm = width_mm - left_mm
    table = _table(doc, (left_mm, right_mm), rows=2, grid=False)
    left, right = table.rows[0].cells
    if header.parent_body:
        _para(left, [(header.parent_body.upper(), False, False)], size=13)
    lines = [_nfc(line).upper() for line in header.issuing_body]
    for line in lines:
        _para(left, [(line, True, False)], size=13)
    widest = max((text_width_mm(line, 13, bold=True) for line in lines), default=30.0)
    _rule(left, widest * 0.4, left_mm)

    motto = "Độc lập - Tự do - Hạnh phúc"
    _para(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False)], size=12)
    _para(right, [(motto, True, False)], size=13)
    _rule(right, text_width_mm(motto, 13, bold=True), right_mm)

    number, date = table.rows[1].cells
    line = nd30.number_line(header.number, header.symbol)
    place = nd30.date_line(header.place, header.date, header.draft_year, header.draft_month)
    _para(number, [(line, False, False)], size=13, before=8)
    _para(date, [(place, False, True)], size=14, before=8)
    for cell in (number, date):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM


def _title(doc: Any, title: Title, width_mm: float) -> None:
    _para(doc, [(title.kind.upper(), True, False)], before=18, keep=True)
    for line in title.summary:
        _para(doc, [(line, True, False)], keep=True)
    widest = max((text_width_mm(s, BODY_PT, bold=True) for s in title.summary), default=60.0)
    _rule(doc, min(widest * 0.45, width_mm), width_mm, after=14)


def _paragraph(doc: Any, block: Paragraph, mark: bool, keep: bool = False) -> None:
    pieces = [(r.text, r.bold, r.italic or block.italic) for r in block.runs]
    if mark:
        if pieces:
            text, bold, italic = pieces[-1]
            pieces[-1] = (_nfc(text).rstrip().rstrip(".;,") + MARK, bold, italic)
        else:
            pieces = [(MARK, False, block.italic)]
    _para(
        doc,
        pieces,
        align=_ALIGN[block.align],
        first_mm=INDENT_MM if block.indent else 0.0,
        after=AFTER_PT,
        line=BODY_LINE,
        keep=block.keep_with_next or keep,
    )


def _heading(doc: Any, block: Heading | PartHeading) -> None:
    if isinstance(block, PartHeading):
        _para(doc, [(block.label, True, False)], before=6, keep=True)
        _para(doc, [(block.title.upper(), True, False)], after=AFTER_PT, keep=True)
        return
    text = block.text.upper() if block.level is HeadingLevel.SECTION else block.text
    bold = block.level is not HeadingLevel.LETTERED
    _para(
        doc,
        [(text, bold, False)],
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_mm=INDENT_MM,
        after=AFTER_PT,
        line=BODY_LINE,
        keep=True,
    )


def _grid(doc: Any, block: Table, width_mm: float) -> None:
    size = block.font_size
    if block.caption:
        caption = [(block.caption, False, True)]
        _para(doc, caption, size=size, align=_ALIGN[Align.RIGHT], after=3, keep=True)
    widths = [c.width_mm for c in block.columns]
    scale = min(1.0, width_mm / sum(widths)) if sum(widths) > 0 else 1.0
    table = _table(doc, [w * scale for w in widths], rows=1 + len(block.rows), grid=True)
    head = table.rows[0]
    _cant_split(head, header=True)
    for cell, column in zip(head.cells, block.columns, strict=True):
        _para(cell, [(column.title, True, False)], size=size, before=3, after=3, keep=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, values in enumerate(block.rows):
        row = table.rows[index + 1]
        _cant_split(row)
        bold = index in block.bold_rows
        for cell, column, value in zip(row.cells, block.columns, values, strict=False):
            align = _ALIGN[column.align]
            _para(cell, [(value, bold, False)], size=size, align=align, before=3, after=3)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _spacer(doc, 10)  # also keeps two tables from merging


def _blocks(doc: Any, blocks: Sequence[Block], width_mm: float, end_mark: bool) -> None:
    last_paragraph = len(blocks) - 1 if blocks and isinstance(blocks[-1], Paragraph) else -1
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            last = index == last_paragraph
            _paragraph(doc, block, mark=end_mark and last, keep=last)
        elif isinstance(block, Heading | PartHeading):
            _heading(doc, block)
        else:
            _grid(doc, block, width_mm)
    if end_mark and last_paragraph < 0:
        _paragraph(doc, Paragraph.of(MARK, align=Align.RIGHT, indent=False), mark=False)


def _signature(doc: Any, signature: Signature, width_mm: float) -> None:
    left_mm = width_mm * LEFT_SHARE
    table = _table(doc, (left_mm, width_mm - left_mm), rows=1, grid=False)
    _cant_split(table.rows[0])
    left, right = table.rows[0].cells
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    _para(left, [("Nơi nhận:", True, True)], size=12, align=left_align, before=8, keep=True)
    for line in signature.recipients:
        _para(left, [(line, False, False)], size=11, align=left_align, keep=True)
    for i, line in enumerate(signature.authority):
        _para(right, [(_nfc(line).upper(), True, False)], before=6 if i == 0 else 0, keep=True)
    for _ in range(4):
        _para(right, keep=True)  # room for the signature and the seal
    _para(right, [(signature.name, True, False)], keep=True)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _appendix(doc: Any, appendix: Appendix, width_mm: float) -> None:
    _para(doc, [(appendix.label, True, False)], keep=True)
    _para(doc, [(_nfc(appendix.title).upper(), True, False)], keep=True)
    if appendix.note:
        _para(doc, [(appendix.note, False, True)], keep=True)
    _spacer(doc, 12)
    _blocks(doc, appendix.blocks, width_mm, end_mark=False)


# --- sections, page numbers, document properties -------------------------------------------


def _page_number(header: Any) -> None:
    p = _para(header, size=13)
    parts = (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("", "2"), ("end", ""))
    for kind, text in parts:
        run = p.add_run()
        _set_fonts(run._r.get_or_add_rPr(), 13)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            run.text = text


def _setup(section: Any, landscape: bool, restart: bool) -> float:
    """Page size, margins, headers of ``section``; returns the width of its text in mm."""
    short, long = PAGE_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (long, short) if landscape else (short, long)
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(MARGIN_MM["top"]), Mm(MARGIN_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGIN_MM["left"]), Mm(MARGIN_MM["right"])
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True  # page 1 has no number
    section.header.is_linked_to_previous = False
    _page_number(section.header)
    section.first_page_header.is_linked_to_previous = False
    _para(section.first_page_header, size=13)
    if restart:  # an appendix is paginated on its own
        number_type = _child(section._sectPr, "w:pgNumType", _AFTER_PGNUMTYPE)
        number_type.set(qn("w:start"), "1")
    return width - MARGIN_MM["left"] - MARGIN_MM["right"]


def _defaults(document: Any) -> None:
    """Times New Roman 14 pt, no spacing, Vietnamese as the defaults; Word 2013+ layout."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_PT)
    lang = _child(rpr, "w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "vi-VN")
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = _child(spacing, "w:spacing")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    for setting in document.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _properties(document: Any, doc: Document) -> None:
    stamp = datetime(doc.created.year, doc.created.month, doc.created.day)
    props = document.core_properties
    props.created = props.modified = props.last_printed = stamp
    props.title = _nfc(" ".join((doc.title.kind, *doc.title.summary)))
    props.subject = _nfc(doc.subject)
    props.author = props.last_modified_by = _nfc(doc.author) or "parapp"
    props.comments = ""
    props.language = "vi-VN"
    props.revision = 1


def _fixed_zip(data: bytes, stamp: tuple[int, int, int]) -> bytes:
    """The same package with fixed entry times, so equal documents give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(*stamp, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def render_docx(doc: Document) -> bytes:
    """The document as a .docx file: A4, ND30 layout, Times New Roman, editable in Word."""
    document = new_document()
    _defaults(document)
    _properties(document, doc)
    width = _setup(document.sections[0], landscape=False, restart=False)
    _header(document, doc.header, width)
    _title(document, doc.title, width)
    _blocks(document, doc.body, width, end_mark=doc.ends_with_mark)
    _signature(document, doc.signature, width)
    for appendix in doc.appendices:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _spacer_from(document.paragraphs[-1])
        width = _setup(section, landscape=appendix.landscape, restart=True)
        _appendix(document, appendix, width)
    if document.element.body[-2].tag == qn("w:tbl"):  # Word wants a paragraph to end on
        _spacer(document, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    created = doc.created
    stamp = (max(created.year, 1980), created.month, created.day)  # zip dates start in 1980
    return _fixed_zip(buffer.getvalue(), stamp)


def _spacer_from(p: DocxParagraph) -> None:
    """Make the paragraph holding a section break take (almost) no room."""
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    ppr = p._p.get_or_add_pPr()
    _set_fonts(_child(ppr, "w:rPr", ("w:sectPr", "w:pPrChange")), 1)
