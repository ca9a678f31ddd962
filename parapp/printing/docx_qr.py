"""The QR code of an issued document in its Word copy: a picture made by segno, floating at the
place the PDF draws it (parapp/printing/pdf/qr.py), anchored in the last paragraph so it is on
the last page, with no text wrapping so nothing moves.

python-docx only adds inline pictures: the inline one is turned into a ``wp:anchor``.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm

from parapp.printing.pdf import qr as pdf_qr

PIXELS_PER_MODULE = 8  # about 500 dpi at 18 mm: crisp when Word scales it


def _png(text: str) -> bytes:
    code = segno.make(text, error=pdf_qr.LEVEL.lower(), micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=PIXELS_PER_MODULE, border=0)
    return out.getvalue()


def position_mm(landscape: bool) -> tuple[float, float]:
    """(from the page's left edge, from its top edge) in mm, as the PDF places the code."""
    size, edge, gap = pdf_qr.SIZE_MM, pdf_qr.EDGE_MM, pdf_qr.GAP_MM
    if landscape:
        return 20.0, edge  # the landscape page's left margin; the code sits in its top margin
    return 30.0 - gap - size, 297.0 - edge - size


def add_qr(document: Any, text: str, landscape: bool) -> None:
    """Float the code of ``text`` on the page of the document's last paragraph."""
    paragraph = document.paragraphs[-1]
    run = paragraph.add_run()
    size = Mm(pdf_qr.SIZE_MM)
    run.add_picture(io.BytesIO(_png(text)), width=size, height=size)
    drawing = run._r.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing"
    )
    inline = drawing[0]
    left, top = position_mm(landscape)
    doc_pr = inline.find(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    )
    graphic = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/main}graphic")
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="251659264" behindDoc="0" locked="1" layoutInCell="1" '
        'allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{Mm(left)}</wp:posOffset>'
        "</wp:positionH>"
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{Mm(top)}</wp:posOffset>'
        "</wp:positionV>"
        f'<wp:extent cx="{size}" cy="{size}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        "<wp:wrapNone/>"
        "</wp:anchor>"
    )
    anchor.append(doc_pr)
    anchor.append(parse_xml(f"<wp:cNvGraphicFramePr {nsdecls('wp')}/>"))
    anchor.append(graphic)
    drawing.replace(inline, anchor)
