"""Points lost per area as horizontal bars, drawn with QPainter (QtCharts is too big to ship).

Each row: the area's name on the left (up to two lines), a bar as long as its lost points
(the largest loss fills the width), and "−0,38 / 14" on the right. Clicking a row emits
``area_clicked``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from parapp.i18n import _, format_max
from ui.fmt import points
from ui.style import SPACING

# Qt.AlignmentFlag / Qt.TextFlag values as ints: the chart paints on the start-up path, and
# the Qt namespace costs tens of milliseconds to set up the first time it is touched.
ALIGN_LEFT, ALIGN_RIGHT, ALIGN_HCENTER, ALIGN_VCENTER = 0x1, 0x2, 0x4, 0x80
WORD_WRAP = 0x1000

BAR_COLOR = QColor("#d9822b")
TRACK_COLOR = QColor("#eef0f3")
HOVER_COLOR = QColor("#e8f0fb")
TEXT_COLOR = QColor("#1d2733")
MUTED = QColor("#5f6b7a")
LABEL_LINES = 2


@dataclass(frozen=True)
class AreaLoss:
    code: str
    title: str
    lost: Decimal
    max_points: Decimal
    scored: bool = True  # False: no criterion of the area has a score yet
    complete: bool = True  # False: some of its criteria have no score yet


def _fit(metrics: QFontMetrics, text: str, width: int, lines: int) -> str:
    """``text`` shortened with "…" until it wraps into ``lines`` lines of ``width``."""
    # Diacritics above and below ("Ậ", "ỷ") make the box a little taller than n lines.
    height = metrics.lineSpacing() * lines + metrics.lineSpacing() // 2

    def fits(candidate: str) -> bool:
        box = metrics.boundingRect(QRect(0, 0, width, 10_000), WORD_WRAP, candidate)
        return box.height() <= height

    if fits(text):
        return text
    words = text.split()
    while words and not fits(" ".join(words) + "…"):
        words.pop()
    return " ".join(words) + "…"


class LostChart(QWidget):
    area_clicked = Signal(str)

    ROW_GAP = 4

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
        return QFontMetrics(self.font()).lineSpacing() * LABEL_LINES + SPACING

    def sizeHint(self) -> QSize:
        rows = max(len(self._areas), 1)
        return QSize(480, rows * (self._row_height() + self.ROW_GAP))

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    def _row_at(self, y: float) -> int:
        row = int(y // (self._row_height() + self.ROW_GAP))
        return row if 0 <= row < len(self._areas) else -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row != self._hover:
            self._hover = row
            shape = Qt.CursorShape.PointingHandCursor if row >= 0 else Qt.CursorShape.ArrowCursor
            self.setCursor(shape)
            area = self._areas[row] if row >= 0 else None
            tip = _("Click to see its criteria that lost points.")
            self.setToolTip(f"{area.code}. {area.title}\n{tip}" if area is not None else "")
            self.update()

    def leaveEvent(self, event: object) -> None:
        self._hover = -1
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.area_clicked.emit(self._areas[row].code)

    def value_text(self, area: AreaLoss) -> str:
        if not area.scored:
            return _("not scored yet")
        if area.lost > 0:
            return f"−{points(area.lost)} / {format_max(area.max_points)}"
        # Partly scored with nothing lost so far: "none lost" would read as the area's result.
        return _("none lost") if area.complete else _("scoring not finished")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = QFontMetrics(self.font())
        width = self.width()
        if not self._areas:
            painter.setPen(MUTED)
            painter.drawText(QRectF(self.rect()), ALIGN_HCENTER | ALIGN_VCENTER, _("No data yet."))
            painter.end()
            return
        values = [self.value_text(a) for a in self._areas]
        value_w = max(metrics.horizontalAdvance(v) for v in values) + 2 * SPACING
        label_w = int((width - value_w) * 0.55)
        bar_x = label_w + 2 * SPACING
        bar_w = max(width - bar_x - value_w, 40)
        biggest = max((a.lost for a in self._areas), default=Decimal(0))
        row_h = self._row_height()
        bar_h = max(metrics.height() - 2, 10)
        for i, (area, value) in enumerate(zip(self._areas, values, strict=True)):
            top = i * (row_h + self.ROW_GAP)
            if i == self._hover:
                painter.fillRect(0, top, width, row_h, HOVER_COLOR)
            painter.setPen(TEXT_COLOR)
            label_rect = QRect(SPACING, top, label_w - SPACING, row_h)
            label = _fit(metrics, f"{area.code}. {area.title}", label_rect.width(), LABEL_LINES)
            painter.drawText(label_rect, ALIGN_LEFT | ALIGN_VCENTER | WORD_WRAP, label)
            bar_top = top + (row_h - bar_h) / 2
            painter.fillRect(QRectF(bar_x, bar_top, bar_w, bar_h), TRACK_COLOR)
            if biggest > 0 and area.lost > 0:
                share = float(area.lost / biggest)
                painter.fillRect(QRectF(bar_x, bar_top, max(bar_w * share, 2), bar_h), BAR_COLOR)
            painter.setPen(TEXT_COLOR if area.lost > 0 else MUTED)
            value_rect = QRect(width - value_w, top, value_w - SPACING, row_h)
            painter.drawText(value_rect, ALIGN_RIGHT | ALIGN_VCENTER, value)
        painter.end()
