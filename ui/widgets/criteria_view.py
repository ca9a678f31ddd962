"""The self-assessment tree-table with spreadsheet keys.

Tab goes to the next editable cell (Shift+Tab back); Enter saves and goes to the next row's
input (declared data, or the score where it is typed; the explanation column stays in its
column); Delete clears a cell; typing starts editing. A refused value keeps the cursor on
its cell so the clerk can correct it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QWidget,
)

from ui.models.columns import (
    COL_DECLARED,
    COL_EVIDENCE,
    COL_EXPLANATION,
    COL_MAX,
    COL_SELF,
    COL_STT,
    COL_TITLE,
    COLUMN_COUNT,
)
from ui.widgets.entry_tree import EntryTreeView, editable
from ui.widgets.score_delegate import ScoreDelegate


class CriteriaView(EntryTreeView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(ScoreDelegate, COLUMN_COUNT, parent)

    def setup_columns(self) -> None:
        self.set_widths({
            COL_STT: 92,
            COL_MAX: 56,
            COL_DECLARED: 140,
            COL_SELF: 64,
            COL_EVIDENCE: 78,
            COL_EXPLANATION: 150,
        }, COL_TITLE)

    def _below(self, current: QModelIndex) -> QModelIndex:
        """Enter: the next row's input (declared data, or the score where it is typed); the
        explanation column stays in its column."""
        row = self.indexBelow(current.siblingAtColumn(0))
        while row.isValid():
            if current.column() == COL_EXPLANATION:
                cell = row.siblingAtColumn(COL_EXPLANATION)
                if editable(cell):
                    return cell
            else:
                for col in (COL_DECLARED, COL_SELF):
                    cell = row.siblingAtColumn(col)
                    if editable(cell):
                        return cell
            row = self.indexBelow(row)
        return QModelIndex()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Delete (or Backspace) clears a cell; the other keys as every entry tree."""
        current = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if editable(current) and current.column() != COL_MAX:
                self.model().setData(current, "", Qt.ItemDataRole.EditRole)
            return
        super().keyPressEvent(event)


__all__ = ["COL_EVIDENCE", "COL_MAX", "COL_SELF", "COL_STT", "CriteriaView"]
