"""The QR code of an issued document, drawn by reportlab in a margin of the last page.

Where (docs/documents.md): 18 mm square, 4 mm from the page's edge (office printers do not
print closer), in the margins only, so nothing on the page moves:
- a portrait page: the bottom-left corner, in the binding margin beside the bottom margin, its
  right side 4 mm from the text;
- a landscape page (an appendix): its bottom margin is 15 mm, too low for the code, so the
  top-left corner of the binding margin (30 mm, turned to the top), over the text's left edge.

The last page is only known when the document is finished: the canvas keeps each page until
``save`` and draws the code on the last one.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from parapp.printing.pdf.styles import LANDSCAPE, PORTRAIT

SIZE_MM = 18.0  # the symbol itself; the blank margin around it is its quiet zone
EDGE_MM = 4.0  # from the paper's edge
GAP_MM = 4.0  # from the text block
LEVEL = "M"  # 15 % of the code may be lost (a stain, a fold)


def position(page_width: float, page_height: float) -> tuple[float, float]:
    """The lower-left corner of the code on a page of this size (points)."""
    size = SIZE_MM * mm
    if page_width > page_height:
        return LANDSCAPE.left, page_height - EDGE_MM * mm - size
    return PORTRAIT.left - GAP_MM * mm - size, EDGE_MM * mm


def drawing(text: str) -> Drawing:
    """The code as a reportlab drawing, SIZE_MM square, with no quiet zone of its own."""
    size = SIZE_MM * mm
    widget = QrCodeWidget(text, barLevel=LEVEL, barBorder=0, barWidth=size, barHeight=size)
    picture = Drawing(size, size)
    picture.add(widget)
    return picture


class LastPageQrCanvas(Canvas):
    """A canvas that draws ``qr_text``'s code on the last page of the document."""

    qr_text = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._kept_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own, not in its stubs

    def save(self) -> None:
        kept = self._kept_pages
        for index, state in enumerate(kept):
            self.__dict__.update(state)
            if index == len(kept) - 1 and self.qr_text:
                width, height = self._pagesize  # type: ignore[attr-defined]  # as above
                renderPDF.draw(drawing(self.qr_text), self, *position(width, height))
            Canvas.showPage(self)
        Canvas.save(self)
