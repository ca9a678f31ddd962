"""The ranking as horizontal bars, drawn with QPainter (QtCharts is too big to ship).

One row per unit in rank order: "1. Xã Hoàng Văn Thụ" on the left, a bar as long as its
index on a 0–100 scale, the index on the right. Provisional (unpublished) figures are
drawn lighter. The widget is as tall as its rows: put it in a scroll area.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from parapp.i18n import _
from ui.fmt import points
from ui.style import SPACING

BAR_COLOR = QColor("#1f5fae")
PROVISIONAL_COLOR = QColor("#9db8dc")
TRACK_COLOR = QColor("#eef0f3")
GRID_COLOR = QColor("#d5dbe3")
TEXT_COLOR = QColor("#1d2733")
MUTED = QColor("#5f6b7a")
SCALE = Decimal(100)


@dataclass(frozen=True)
class Bar:
    rank: int
    name: str
    index: Decimal
    published: bool = True


class RankingChart(QWidget):
    ROW_GAP = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[Bar]) -> None:
        self._bars = list(bars)
        self.updateGeometry()
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    @property
    def bars(self) -> list[Bar]:
        return list(self._bars)

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + SPACING

    def sizeHint(self) -> QSize:
        rows = max(len(self._bars), 1)
        return QSize(420, rows * (self._row_height() + self.ROW_GAP) + SPACING)

    def minimumSizeHint(self) -> QSize:
        return QSize(280, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = QFontMetrics(self.font())
        width = self.width()
        if not self._bars:
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter), _("No data yet.")
            )
            painter.end()
            return
        value_w = metrics.horizontalAdvance("100,00") + 2 * SPACING
        label_w = min(int(width * 0.4), 320)
        bar_x = label_w + SPACING
        bar_w = max(width - bar_x - value_w, 40)
        row_h = self._row_height()
        bar_h = max(metrics.height() - 4, 8)
        # Grid lines at every 20 points so bars can be compared by eye.
        height = len(self._bars) * (row_h + self.ROW_GAP)
        painter.setPen(QPen(GRID_COLOR, 1, Qt.PenStyle.DotLine))
        for step in range(0, 101, 20):
            x = bar_x + bar_w * step / 100
            painter.drawLine(int(x), 0, int(x), height)
        for i, bar in enumerate(self._bars):
            top = i * (row_h + self.ROW_GAP)
            painter.setPen(TEXT_COLOR)
            label_rect = QRect(SPACING, top, label_w - SPACING, row_h)
            text = metrics.elidedText(
                f"{bar.rank}. {bar.name}", Qt.TextElideMode.ElideRight, label_rect.width()
            )
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(label_rect, int(align), text)
            bar_top = top + (row_h - bar_h) / 2
            painter.fillRect(QRectF(bar_x, bar_top, bar_w, bar_h), TRACK_COLOR)
            share = float(min(max(bar.index, Decimal(0)), SCALE) / SCALE)
            color = BAR_COLOR if bar.published else PROVISIONAL_COLOR
            painter.fillRect(QRectF(bar_x, bar_top, max(bar_w * share, 2), bar_h), color)
            painter.setPen(TEXT_COLOR)
            value_rect = QRect(width - value_w, top, value_w - SPACING, row_h)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(value_rect, int(right), points(bar.index))
        painter.end()
