"""The areas of the criteria set with their self-assessment score, beside the table.

Each row: a dot (green when every criterion of the area is scored, orange when some are
not), the area's name, and "13,63/14". The first row shows every area at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from parapp.domain.criteria import CriteriaSet
from parapp.domain.figures import Figures
from parapp.domain.totals import Totals
from parapp.i18n import _, format_max, ngettext
from ui.fmt import points
from ui.widgets.wrap_delegate import WrapDelegate, relayout_on_resize

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
COMPLETE = QColor("#2e8540")
INCOMPLETE = QColor("#d9822b")
NOT_SELF = QColor("#b8c0cc")


def _dot(color: QColor, size: int = 10) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class AreaList(QTreeWidget):
    area_selected = Signal(object)  # an area code, or None for all areas

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([_("Area"), _("Points")])
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setItemDelegate(WrapDelegate(self, (0,)))
        self.setIndentation(0)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        relayout_on_resize(self)
        self._icons = {"complete": _dot(COMPLETE), "open": _dot(INCOMPLETE), "none": _dot(NOT_SELF)}
        self._codes: list[str | None] = []
        self._shown: dict[str | None, tuple[str, ...]] = {}
        self.currentItemChanged.connect(self._changed)

    def set_areas(self, cset: CriteriaSet, totals: Totals, figures: Figures) -> None:
        """Rebuild the rows when the set changes; otherwise only update their figures. The
        first row is the total the header and every document print (bonus included)."""
        codes: list[str | None] = [None, *(n.code for n in cset.roots())]
        if codes != self._codes:
            self.blockSignals(True)
            self.clear()
            for code in codes:
                item = QTreeWidgetItem()
                item.setData(0, CODE_ROLE, code)
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                self.addTopLevelItem(item)
            self._codes = codes
            self._shown.clear()
            first = self.topLevelItem(0)
            if first is not None:
                self.setCurrentItem(first)
            self.blockSignals(False)
        for row, code in enumerate(codes):
            row_item = self.topLevelItem(row)
            if row_item is not None:
                self._fill(row_item, cset, totals, figures, code)

    def _fill(
        self, item: QTreeWidgetItem, cset: CriteriaSet, totals: Totals, figures: Figures,
        code: str | None,
    ) -> None:
        if code is None:
            state = (_("All areas"),
                     f"{points(figures.points)}/{format_max(figures.max_points)}")
            if self._shown.get(code) != state:
                item.setText(0, state[0])
                item.setText(1, state[1])
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setFont(1, font)
            self._shown[code] = state
            return
        node = cset.node(code)
        total = totals.nodes[code]
        name = f"{code}. {node.title}"
        if total.leaves == 0:
            tip = _("Scored by the appraiser, not in the self-assessment.")
            new = (name, "—", "none", tip, "")
        else:
            score = f"{points(total.self_points)}/{format_max(total.max_points)}"
            missing = total.leaves - total.scored
            if missing:
                tip = ngettext(
                    "{n} criterion not scored yet", "{n} criteria not scored yet", missing
                ).format(n=missing)
            else:
                tip = _("Every criterion is scored.")
            new = (name, score, "open" if missing else "complete", f"{node.title}\n{tip}", tip)
        if self._shown.get(code) == new:
            return  # unchanged: touching the item would re-lay the list out
        self._shown[code] = new
        item.setText(0, new[0])
        item.setText(1, new[1])
        item.setIcon(0, self._icons[new[2]])
        item.setToolTip(0, new[3])
        item.setToolTip(1, new[4])

    def _item(self, code: str | None) -> QTreeWidgetItem | None:
        return self.topLevelItem(self._codes.index(code)) if code in self._codes else None

    def select_area(self, code: str | None) -> None:
        item = self._item(code)
        if item is not None:
            self.setCurrentItem(item)

    def score_text(self, code: str | None) -> str:
        item = self._item(code)
        return item.text(1) if item is not None else ""

    def _changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.area_selected.emit(current.data(0, CODE_ROLE))
