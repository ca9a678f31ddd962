"""Page geometry, type sizes and paragraph styles of the ND30 layout, and text to markup.

Sizes are the ones Nghị định 30/2020/NĐ-CP allows (nd30-format.md); where it gives a range the
choice is noted. All lengths are in points unless the name says ``_MM``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from parapp.printing.fonts import face
from parapp.printing.model import Align, Run


@dataclass(frozen=True)
class PageGeometry:
    """A page and its margins (points)."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> float:
        return self.height - self.top - self.bottom


# Portrait A4: top 20, bottom 20, left 30 (binding), right 15 mm.
PORTRAIT = PageGeometry(A4[0], A4[1], top=20 * mm, bottom=20 * mm, left=30 * mm, right=15 * mm)
# Landscape A4 turned a quarter clockwise: the binding margin (30 mm) goes to the top, as Word
# does when a section is switched to landscape.
LANDSCAPE = PageGeometry(A4[1], A4[0], top=30 * mm, bottom=15 * mm, left=20 * mm, right=20 * mm)

# Body (cell 6): 14 pt, leading 1.25, first-line indent 1 cm, 6 pt after each paragraph.
BODY_SIZE = 14.0
BODY_LEADING = 17.5
PARAGRAPH_AFTER = 6.0
FIRST_LINE_INDENT = 10 * mm

# Header (cells 1-4) and title (cell 5a).
HEADER_SIZE = 13.0
MOTTO_SIZE = 12.0  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": 12 pt keeps it on one line
HEADER_LEADING = 15.0
TITLE_SIZE = 14.0
TITLE_LEADING = 16.5
LEFT_SHARE = 0.4  # left column of the header and of the signature block
RULE_THICKNESS = 0.6

# Signature block (cells 7, 9b).
RECIPIENTS_LABEL_SIZE = 12.0
RECIPIENTS_LABEL_LEADING = 14.0
RECIPIENT_SIZE = 11.0
RECIPIENT_LEADING = 13.0
AUTHORITY_SIZE = 14.0
AUTHORITY_LEADING = 16.5
SIGNING_SPACE = 25 * mm

# Page numbers: 13 pt, upright, centred over the text in the top margin.
PAGE_NUMBER_SIZE = 13.0

# Tables.
TABLE_LEADING_FACTOR = 1.17
TABLE_GRID = 0.5
CELL_PAD_X = 4.0
CELL_PAD_TOP = 3.0
CELL_PAD_BOTTOM = 4.0

MARK = "./."

_ALIGN: dict[Align, Literal[0, 1, 2, 4]] = {
    Align.JUSTIFY: TA_JUSTIFY,
    Align.LEFT: TA_LEFT,
    Align.CENTER: TA_CENTER,
    Align.RIGHT: TA_RIGHT,
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: NFC, ``&<>`` escaped, line breaks kept."""
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br/>".join(escape(line) for line in lines)


def runs_markup(runs: Iterable[Run]) -> str:
    """Runs as markup; a run's bold or italic is added to the paragraph's own style."""
    parts: list[str] = []
    for run in runs:
        text = markup(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        parts.append(text)
    return "".join(parts)


@cache
def style(
    size: float,
    leading: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align: Align = Align.LEFT,
    indent: float = 0.0,
    before: float = 0.0,
    after: float = 0.0,
) -> ParagraphStyle:
    """A paragraph style of the family (cached: styles are shared, never changed)."""
    name = f"parapp-{size:g}-{leading:g}-{int(bold)}{int(italic)}-{align}-{indent:g}"
    return ParagraphStyle(
        name=f"{name}-{before:g}-{after:g}",
        fontName=face(bold, italic),
        fontSize=size,
        leading=leading,
        alignment=_ALIGN[align],
        firstLineIndent=indent,
        spaceBefore=before,
        spaceAfter=after,
        textColor=black,
        allowWidows=0,
        allowOrphans=0,
        splitLongWords=True,
    )


def body_style(
    *, bold: bool = False, italic: bool = False, align: Align = Align.JUSTIFY, indent: bool = True
) -> ParagraphStyle:
    return style(
        BODY_SIZE,
        BODY_LEADING,
        bold=bold,
        italic=italic,
        align=align,
        indent=FIRST_LINE_INDENT if indent else 0.0,
        after=PARAGRAPH_AFTER,
    )
