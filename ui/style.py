"""Look and feel shared by every screen: font, spacing, colours."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QFont

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

SPACING = 8  # the one spacing unit: margins and gaps are multiples of it
NAV_WIDTH = 232  # the longest entry ("Thẩm định / Tổng hợp") whole when selected

# Fonts with complete Vietnamese glyphs, best first (Segoe UI on Windows).
FONT_FAMILIES = ["Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial"]
FONT_POINT_SIZE = 10 if sys.platform != "win32" else 9

AREA_BACKGROUND = QColor("#eef2f7")
ERROR_BACKGROUND = QColor("#fde2e1")
ERROR_TEXT = QColor("#b3261e")
LOST_TEXT = QColor("#b45309")
MUTED_TEXT = QColor("#5f6b7a")
ACCENT = QColor("#1f5fae")
BANNER_BACKGROUND = "#fff4ce"
BANNER_BORDER = "#e0c45c"

# A list's selected line, and a frame round the line the keyboard is on while the list has
# the focus (the lists draw no focus rectangle of their own: "outline: 0").
LIST_SELECTED = "QListWidget::item:selected { background: #dce7f6; color: #10325c; }"
LIST_FOCUS = "QListWidget::item:focus { border: 2px solid #1f5fae; }"


def app_font() -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(FONT_POINT_SIZE)
    return font


def scaled(font: QFont, factor: float, *, bold: bool = False) -> QFont:
    out = QFont(font)
    out.setPointSizeF(font.pointSizeF() * factor)
    out.setBold(bold)
    return out


TALL_GLYPHS = "ẬỶĐỹ"  # stacked Vietnamese marks reach above and below the font's ascent


def room_for_marks(widget: QWidget, extra: int = 4) -> None:
    """Make ``widget`` tall enough that "Ậ" and "ỷ" are not cut at its top or bottom
    (a label's size hint only covers the font's ascent and descent)."""
    needed = widget.fontMetrics().boundingRect(TALL_GLYPHS).height() + extra
    widget.setMinimumHeight(max(widget.minimumHeight(), needed))


def qt_arguments(program: str) -> list[str]:
    """The arguments to make the QApplication with: the platform's own style on Windows,
    Fusion (built into Qt) elsewhere. Given to Qt as "-style" rather than set afterwards:
    ``setStyle`` from Python costs ~10 ms of wrapper set-up that the first paint does without."""
    return [program] if sys.platform == "win32" else [program, "-style", "fusion"]


def apply(app: QApplication) -> None:
    """A Vietnamese-capable font (the style comes with ``qt_arguments``)."""
    app.setFont(app_font())
