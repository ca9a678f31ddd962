"""A criterion's or a plan item's change history: when, who, what, old → new.

The entries come from ``parapp.services.history`` with values as stored (locale-free text,
"0.5"); this widget puts them in the clerk's words: field names translated, points with a
decimal comma, declared data as the table shows it ("7/10", "Có"), dates dd/MM/yyyy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from parapp.i18n import _, format_datetime
from parapp.services.history_words import change_text, field_label
from ui import style

if TYPE_CHECKING:
    from parapp.domain.scoring import Rule
    from parapp.services.history import HistoryEntry

MAX_VISIBLE_ROWS = 8  # more scroll inside the list: the pane keeps room for the rest
MAX_TEXT = 60  # a long explanation is cut in the list; the tooltip has it whole


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


class _RowDelegate(QStyledItemDelegate):
    """One line per row, with room above and below for stacked marks ("Ậ", "ỷ")."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        marks = option.fontMetrics.boundingRect(style.TALL_GLYPHS).height()
        return QSize(size.width(), max(size.height(), marks + 4))


class HistoryView(QTreeWidget):
    """Newest first: time, who, what changed, old → new."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(4)
        self.setHeaderLabels([_("Time"), _("By"), _("Change"), _("Old → new")])
        self.setRootIsDecorated(False)
        self.setIndentation(0)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setItemDelegate(_RowDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(True)
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.entries: list[HistoryEntry] = []
        self.set_entries([])

    def set_entries(self, entries: Sequence[HistoryEntry], rule: Rule | None = None) -> None:
        self.entries = list(entries)
        self.clear()
        if not self.entries:
            self._placeholder(_("No changes recorded yet."))
        for entry in self.entries:
            self.addTopLevelItem(self._item(entry, rule))
        self._fit_height()

    def set_loading(self) -> None:
        """Empty while the worker reads the history (keeps its height: no jump)."""
        self.entries = []
        self.clear()
        self._placeholder("…")

    def _placeholder(self, text: str) -> None:
        item = QTreeWidgetItem([text])
        item.setForeground(0, style.MUTED_TEXT)
        self.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)  # only once it is in the tree

    def _item(self, entry: HistoryEntry, rule: Rule | None) -> QTreeWidgetItem:
        change = change_text(entry, rule)
        who = entry.actor or "—"
        item = QTreeWidgetItem([format_datetime(entry.at), who, field_label(entry), _cut(change)])
        if change != _cut(change):
            item.setToolTip(3, change)
        if entry.received:
            # Received in a package (the appraiser's side, or returned to us): say so.
            tip = _("Received in a package ({source})").format(source=entry.source)
            for column in range(4):
                item.setToolTip(column, item.toolTip(column) or tip)
            font = QFont(self.font())
            font.setItalic(True)
            for column in range(4):
                item.setFont(column, font)
        if not entry.actor:
            item.setForeground(1, style.MUTED_TEXT)
        return item

    def _fit_height(self) -> None:
        """As tall as its rows (up to MAX_VISIBLE_ROWS): it sits in a scrolling pane, and a
        list with its own scroll bar inside another reads badly."""
        rows = max(1, min(self.topLevelItemCount(), MAX_VISIBLE_ROWS))
        row_height = self.sizeHintForRow(0) if self.topLevelItemCount() else -1
        if row_height <= 0:
            row_height = self.fontMetrics().height() + 6
        frame = 2 * self.frameWidth()
        self.setFixedHeight(self.header().sizeHint().height() + rows * row_height + frame)

    def texts(self) -> list[tuple[str, str, str, str]]:
        """The rows as shown (for tests and screenshots)."""
        out = []
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            if item is not None:
                out.append((item.text(0), item.text(1), item.text(2), item.text(3)))
        return out
