"""The one typeface of every official document: the bundled Liberation Serif, embedded.

The four faces are registered once per process as the family ``ParappSerif`` so that the
``<b>`` and ``<i>`` markup of reportlab paragraphs maps to the right face.
"""

from __future__ import annotations

import threading
import unicodedata

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from parapp import resources

FAMILY = "ParappSerif"
REGULAR = FAMILY
BOLD = f"{FAMILY}-Bold"
ITALIC = f"{FAMILY}-Italic"
BOLD_ITALIC = f"{FAMILY}-BoldItalic"

_FILES = {
    REGULAR: "fonts/LiberationSerif-Regular.ttf",
    BOLD: "fonts/LiberationSerif-Bold.ttf",
    ITALIC: "fonts/LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "fonts/LiberationSerif-BoldItalic.ttf",
}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the family with reportlab (idempotent, thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, relative in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resources.path(relative))))
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True


def face(bold: bool = False, italic: bool = False) -> str:
    """The registered font name of one face of the family."""
    if bold and italic:
        return BOLD_ITALIC
    if bold:
        return BOLD
    return ITALIC if italic else REGULAR


def text_width(text: str, font: str, size: float) -> float:
    """Width in points of one line of ``text`` (NFC) set in ``font`` at ``size``."""
    register_fonts()
    return pdfmetrics.stringWidth(unicodedata.normalize("NFC", text), font, size)
