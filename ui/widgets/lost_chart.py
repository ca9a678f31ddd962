"""Points lost per area as horizontal bars, drawn with QPainter (QtCharts is too big to ship).

Each row: the area's name on the left, a bar as long as its lost points (the largest loss
fills the width), and "−0,38 / 14" on the right. Clicking a row emits ``area_clicked``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from parapp.i18n import _, format_max
from ui.fmt import points
from ui.style import SPACING

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
        row = self._row_at(event.position().y())
        if row != self._hover:
            self._hover = row
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if row >= 0 else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def leaveEvent(self, event: object) -> None:
        self._hover = -1
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
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
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No data yet."))
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
            label = metrics.elidedText(
                f"{area.code}. {area.title}", Qt.TextElideMode.ElideRight, label_w - SPACING
            )
            text_rect = QRectF(SPACING, top, label_w - SPACING, row_h)
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
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
            right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
            painter.drawText(value_rect, right, value)
        painter.end()
