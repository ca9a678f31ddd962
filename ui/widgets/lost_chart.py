"""Points lost per area as horizontal bars, drawn with QPainter (QtCharts is too big to ship).

Each row: the area's name on the left, a bar as long as its lost points (the largest loss
fills the width), and "−0,38 / 14" on the right. Clicking a row emits ``area_clicked``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from parapp.i18n import _, format_max
from ui.fmt import points
from ui.style import SPACING

# Qt.AlignmentFlag values as ints: the chart paints on the start-up path, and the Qt
# namespace costs tens of milliseconds to set up the first time it is touched.
ALIGN_LEFT, ALIGN_RIGHT, ALIGN_HCENTER, ALIGN_VCENTER = 0x1, 0x2, 0x4, 0x80

BAR_COLOR = QColor("#d9822b")
TRACK_COLOR = QColor("#eef0f3")
TEXT_COLOR = QColor("#1d2733")
MUTED = QColor("#5f6b7a")


@dataclass(frozen=True)
class AreaLoss:
    code: str
    title: str
    lost: Decimal
    max_points: Decimal


def _elide(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` cut with "…" to fit ``width`` (QFontMetrics.elidedText needs Qt's enum)."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    while text and metrics.horizontalAdvance(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


class LostChart(QWidget):
    area_clicked = Signal(str)

    ROW_GAP = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._areas: list[AreaLoss] = []
        self._hover = -1
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_areas(self, areas: list[AreaLoss]) -> None:
        self._areas = list(areas)
        self.updateGeometry()
        self.update()

    @property
    def areas(self) -> list[AreaLoss]:
        return list(self._areas)

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + 2 * SPACING

    def sizeHint(self) -> QSize:
        rows = max(len(self._areas), 1)
        return QSize(480, rows * (self._row_height() + self.ROW_GAP) + SPACING)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    def _row_at(self, y: float) -> int:
        step = self._row_height() + self.ROW_GAP
        row = int(y // step)
        return row if 0 <= row < len(self._areas) else -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        from PySide6.QtCore import Qt

        row = self._row_at(event.position().y())
        if row != self._hover:
            self._hover = row
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if row >= 0 else Qt.CursorShape.ArrowCursor
            )
            area = self._areas[row] if row >= 0 else None
            self.setToolTip(
                f"{area.code}. {area.title}\n" + _("Click to see its criteria that lost points.")
                if area is not None
                else ""
            )
            self.update()

    def leaveEvent(self, event: object) -> None:
        self._hover = -1
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        from PySide6.QtCore import Qt

        row = self._row_at(event.position().y())
        if row >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.area_clicked.emit(self._areas[row].code)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        width = self.width()
        if not self._areas:
            painter.setPen(MUTED)
            painter.drawText(QRectF(self.rect()), ALIGN_HCENTER | ALIGN_VCENTER, _("No data yet."))
            return
        label_w = int(width * 0.46)
        value_w = max(metrics.horizontalAdvance("−00,00 / 00") + SPACING, 96)
        bar_x = label_w + SPACING
        bar_w = max(width - bar_x - value_w - SPACING, 40)
        biggest = max((a.lost for a in self._areas), default=Decimal(0))
        row_h = self._row_height()
        for i, area in enumerate(self._areas):
            top = i * (row_h + self.ROW_GAP)
            if i == self._hover:
                painter.fillRect(0, top, width, row_h, QColor("#e8f0fb"))
            painter.setPen(TEXT_COLOR)
            label = _elide(metrics, f"{area.code}. {area.title}", label_w - SPACING)
            text_rect = QRectF(SPACING, top, label_w - SPACING, row_h)
            align = ALIGN_VCENTER | ALIGN_LEFT
            painter.drawText(text_rect, align, label)
            track = QRectF(bar_x, top + SPACING, bar_w, row_h - 2 * SPACING)
            painter.fillRect(track, TRACK_COLOR)
            if biggest > 0 and area.lost > 0:
                share = float(area.lost / biggest)
                painter.fillRect(
                    QRectF(bar_x, track.top(), max(bar_w * share, 2), track.height()), BAR_COLOR
                )
            value = (
                f"−{points(area.lost)} / {format_max(area.max_points)}"
                if area.lost > 0
                else _("none lost")
            )
            painter.setPen(QPen(TEXT_COLOR if area.lost > 0 else MUTED))
            value_rect = QRectF(width - value_w, top, value_w - SPACING, row_h)
            right = ALIGN_VCENTER | ALIGN_RIGHT
            painter.drawText(value_rect, right, value)
        painter.end()
