"""``render_pdf``: page templates, page numbers, metadata, and the order of the parts."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak
from reportlab.platypus import PageTemplate as RLPageTemplate

from parapp.printing.fonts import REGULAR, register_fonts
from parapp.printing.model import Document
from parapp.printing.pdf.blocks import Item, appendix_items, blocks_items, chain, with_end_mark
from parapp.printing.pdf.flowables import PageNumbering, SectionStart
from parapp.printing.pdf.front import header_flowables, signature_flowable, title_flowables
from parapp.printing.pdf.qr import LastPageQrCanvas
from parapp.printing.pdf.styles import LANDSCAPE, PAGE_NUMBER_SIZE, PORTRAIT, PageGeometry, nfc

CREATOR = "parapp"
_TEMPLATES = {False: ("portrait", PORTRAIT), True: ("landscape", LANDSCAPE)}


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes: A4, the ND30 layout, Liberation Serif embedded.

    Pure: the same ``doc`` always gives the same bytes (fixed dates from ``doc.created``).
    """
    register_fonts()
    numbering = PageNumbering()
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=(PORTRAIT.width, PORTRAIT.height),
        leftMargin=PORTRAIT.left,
        rightMargin=PORTRAIT.right,
        topMargin=PORTRAIT.top,
        bottomMargin=PORTRAIT.bottom,
        title=nfc(" ".join(part.strip() for part in (doc.title.kind, *doc.title.summary))),
        author=nfc(doc.author),
        subject=nfc(doc.subject),
        creator=CREATOR,
        producer=CREATOR,
        invariant=1,
        lang="vi-VN",
        initialFontName=REGULAR,  # else every page refers to Helvetica (unembedded)
        initialFontSize=PAGE_NUMBER_SIZE,
    )
    template.addPageTemplates(
        [_page_template(name, geometry, numbering) for name, geometry in _TEMPLATES.values()]
    )
    template.build(_story(doc, numbering), canvasmaker=_canvas_maker(doc.created, doc.qr))
    return buffer.getvalue()


def _story(doc: Document, numbering: PageNumbering) -> list[Flowable]:
    width = PORTRAIT.text_width
    story = [*header_flowables(doc.header, width), *title_flowables(doc.title, width)]
    body = with_end_mark(doc.body) if doc.ends_with_mark else doc.body
    items = blocks_items(body, width, PORTRAIT.text_height)
    if items:  # the end of the body goes with the signature: it never stands alone on a page
        items[-1] = Item(items[-1].flowable, keep_with_next=True, splittable=items[-1].splittable)
    items.append(Item(signature_flowable(doc.signature, width), splittable=False))
    story += chain(items)
    for appendix in doc.appendices:
        name, geometry = _TEMPLATES[appendix.landscape]
        story += [NextPageTemplate(name), PageBreak(), SectionStart(numbering)]
        story += chain(appendix_items(appendix, geometry.text_width, geometry.text_height))
    return story


def _page_template(name: str, page: PageGeometry, numbering: PageNumbering) -> RLPageTemplate:
    frame = Frame(
        page.left,
        page.bottom,
        page.text_width,
        page.text_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=f"{name}-text",
        overlapAttachedSpace=1,
    )

    def page_number(canv: Canvas, _doc: Any) -> None:
        number = numbering.number(canv.getPageNumber())
        if number < 2:  # page 1 (of the document and of each appendix) has no number
            return
        # centred over the text, the middle of the digits in the middle of the top margin
        baseline = page.height - page.top / 2 - PAGE_NUMBER_SIZE * 0.33
        canv.saveState()
        canv.setFont(REGULAR, PAGE_NUMBER_SIZE)
        canv.setFillGray(0)
        canv.drawCentredString(page.left + page.text_width / 2, baseline, str(number))
        canv.restoreState()

    return RLPageTemplate(
        id=name,
        frames=[frame],
        onPageEnd=page_number,
        pagesize=(page.width, page.height),
        autoNextPageTemplate=name,
    )


def _canvas_maker(created: date, qr: str = "") -> Callable[..., Canvas]:
    """A canvas whose creation and modification dates are ``created`` (not "now"), with the
    QR code ``qr`` on the last page if given."""
    stamp = f"D:{created.year:04d}{created.month:02d}{created.day:02d}000000+00'00'"

    def make(*args: Any, **kwargs: Any) -> Canvas:
        canv = LastPageQrCanvas(*args, **kwargs) if qr else Canvas(*args, **kwargs)
        if isinstance(canv, LastPageQrCanvas):
            canv.qr_text = qr
        canv.setDateFormatter(lambda *_: stamp)
        return canv

    return make
