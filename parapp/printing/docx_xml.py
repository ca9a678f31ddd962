"""WordprocessingML pieces for the DOCX renderer: fonts on every run, paragraphs, rules,
fixed-width tables, the PAGE field, defaults and a reproducible package.

python-docx covers most of it; the rest (all four w:rFonts slots, paragraph-mark fonts,
paragraph borders, w:tblHeader, w:cantSplit, fields) is written as XML here.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.pdfbase.ttfonts import TTFont

from parapp.resources import path

FONT = "Times New Roman"
BODY_PT = 14.0
GRID_CELL_MARGIN_MM = 1.5
CENTER = WD_ALIGN_PARAGRAPH.CENTER

# (text, bold, italic)
Piece = tuple[str, bool, bool]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- measuring text (the bundled Liberation Serif has the metrics of Times New Roman) -------


@lru_cache(maxsize=4)
def _face(bold: bool, italic: bool) -> Any:
    style = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
    return TTFont(f"parapp-docx-measure-{style}", str(path(f"fonts/LiberationSerif-{style}.ttf")))


def text_width_mm(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Printed width of one line of ``text`` in Times New Roman; an estimate without the font."""
    text = nfc(text)
    try:
        points = _face(bold, italic).stringWidth(text, size)
    except Exception:  # the font is missing or unreadable: half an em a character
        points = 0.5 * size * len(text)
    return points * 25.4 / 72


# --- low-level formatting ------------------------------------------------------------------


def child(parent: Any, tag: str, successors: Sequence[str] = ()) -> Any:
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


def set_fonts(rpr: Any, size: float, bold: bool = False, italic: bool = False) -> None:
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


def add_text(p: DocxParagraph, text: str, size: float, bold: bool, italic: bool) -> None:
    for i, line in enumerate(nfc(text).split("\n")):
        run = p.add_run()
        if i:
            run.add_break()
        # add_text appends: assigning run.text would clear the run, line break included
        run.add_text(line)
        set_fonts(run._r.get_or_add_rPr(), size, bold, italic)


def para(
    parent: Any,
    pieces: Iterable[Piece] = (),
    *,
    size: float = BODY_PT,
    align: Any = CENTER,
    first_mm: float = 0.0,
    left_mm: float = 0.0,
    right_mm: float = 0.0,
    before: float = 0.0,
    after: float = 0.0,
    line: float = 1.0,
    keep: bool = False,
    leading: float = 0.0,
) -> DocxParagraph:
    """A paragraph in ``parent`` (document, cell or header); a cell's unused first one is reused.

    ``leading`` (points): lines at least that far apart, as the PDF's leading, instead of
    ``line`` times the font's own line height."""
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
    if leading:
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Pt(leading)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        fmt.line_spacing = line
    fmt.keep_with_next = keep
    fmt.widow_control = True
    ppr = p._p.get_or_add_pPr()
    set_fonts(child(ppr, "w:rPr", ("w:sectPr", "w:pPrChange")), size)  # the paragraph mark
    for text, bold, italic in pieces:
        add_text(p, text, size, bold, italic)
    return p


def rule(parent: Any, width_mm: float, room_mm: float, after: float = 0.0) -> DocxParagraph:
    """A solid rule ``width_mm`` long, centred in ``room_mm``: an empty paragraph's border."""
    side = max(0.0, (room_mm - width_mm) / 2)
    p = para(parent, size=2, left_mm=side, right_mm=side, after=after, keep=True)
    borders = child(p._p.get_or_add_pPr(), "w:pBdr", ("w:shd", "w:tabs", "w:spacing", "w:ind"))
    bottom = child(borders, "w:bottom")
    for attr, value in (("val", "single"), ("sz", "6"), ("space", "2"), ("color", "000000")):
        bottom.set(qn(f"w:{attr}"), value)
    return p


def spacer(parent: Any, points: float) -> DocxParagraph:
    """An empty paragraph exactly ``points`` high (separates tables, holds a section break)."""
    p = para(parent, size=1)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(points)
    return p


def fixed_table(parent: Any, widths_mm: Sequence[float], rows: int, grid: bool) -> DocxTable:
    """A fixed-layout table with every column and cell width set; borderless unless ``grid``."""
    table = parent.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False  # w:tblLayout fixed
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblpr = table._tbl.tblPr
    tblw = child(tblpr, "w:tblW")
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
    child(tblpr, "w:tblLayout").addprevious(borders)
    margins = child(tblpr, "w:tblCellMar", ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    pad = Mm(GRID_CELL_MARGIN_MM if grid else 0).twips
    for side, twips in (("top", 0), ("left", pad), ("bottom", 0), ("right", pad)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def cant_split(row: Any, header: bool = False) -> None:
    """Keep ``row`` on one page; ``header`` repeats it at the top of every page."""
    trpr = row._tr.get_or_add_trPr()
    child(trpr, "w:cantSplit")
    if header:
        child(trpr, "w:tblHeader")


# --- page numbers, defaults, the package ---------------------------------------------------


def page_number(header: Any) -> None:
    """A centred 13 pt PAGE field (Word and LibreOffice fill in the number)."""
    p = para(header, size=13)
    parts = (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("", "2"), ("end", ""))
    for kind, text in parts:
        run = p.add_run()
        set_fonts(run._r.get_or_add_rPr(), 13)
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


def defaults(document: Any) -> None:
    """Times New Roman 14 pt, no spacing, Vietnamese as the defaults; Word 2013+ layout."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_PT)
    lang = child(rpr, "w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "vi-VN")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = child(ppr, "w:spacing")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    for setting in document.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    # python-docx's template carries a thumbnail of another page: drop it
    for preview in document.settings.element.findall(qn("w:savePreviewPicture")):
        document.settings.element.remove(preview)
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        rels.pop(rid)


def save(document: Any, stamp: tuple[int, int, int]) -> bytes:
    """The package as bytes with fixed entry times, so equal documents give equal bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(*stamp, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def spacer_from(p: DocxParagraph) -> None:
    """Make the paragraph holding a section break take (almost) no room."""
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    ppr = p._p.get_or_add_pPr()
    set_fonts(child(ppr, "w:rPr", ("w:sectPr", "w:pPrChange")), 1)
