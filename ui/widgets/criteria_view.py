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
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTreeView,
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
    ERROR_ROLE,
)
from ui.widgets.score_delegate import ScoreDelegate
from ui.widgets.wrap_delegate import relayout_on_resize

Hint = QAbstractItemDelegate.EndEditHint
_MOVES = (Hint.EditNextItem, Hint.EditPreviousItem, Hint.SubmitModelCache)


def _editable(index: QModelIndex) -> bool:
    return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)


class CriteriaView(QTreeView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(ScoreDelegate(self))
        # Long Vietnamese titles wrap instead of being cut ("Ban hành Kế hoạch CCHC năm…").
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setIndentation(12)
        self.setTabKeyNavigation(True)

    def setup_columns(self) -> None:
        """Widths for 1366×768 and up; the criterion column takes what is left."""
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        widths = {
            COL_STT: 92,
            COL_MAX: 56,
            COL_DECLARED: 140,
            COL_SELF: 64,
            COL_EVIDENCE: 78,
            COL_EXPLANATION: 150,
        }
        for col in range(COLUMN_COUNT):
            if col == COL_TITLE:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(col, widths[col])
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        relayout_on_resize(self)

    # -- moving on -----------------------------------------------------------------
    def closeEditor(self, editor: QWidget, hint: Hint) -> None:
        if hint not in _MOVES:
            super().closeEditor(editor, hint)
            return
        current = self.currentIndex()
        super().closeEditor(editor, Hint.NoHint)
        if current.isValid() and current.data(ERROR_ROLE):
            self.setCurrentIndex(current)  # refused: stay to correct it
            return
        target = self.next_input(current, hint)
        if target.isValid():
            self.setCurrentIndex(target)
            self.scrollTo(target)
            self.edit(target)

    def next_input(self, current: QModelIndex, hint: Hint) -> QModelIndex:
        """The cell the cursor goes to after ``current``."""
        if not current.isValid():
            return QModelIndex()
        if hint == Hint.EditPreviousItem:
            return self._step(current, backwards=True)
        if hint == Hint.EditNextItem:
            return self._step(current, backwards=False)
        row = self.indexBelow(current.siblingAtColumn(0))
        while row.isValid():
            if current.column() == COL_EXPLANATION:
                cell = row.siblingAtColumn(COL_EXPLANATION)
                if _editable(cell):
                    return cell
            else:
                for col in (COL_DECLARED, COL_SELF):
                    cell = row.siblingAtColumn(col)
                    if _editable(cell):
                        return cell
            row = self.indexBelow(row)
        return QModelIndex()

    def _step(self, current: QModelIndex, *, backwards: bool) -> QModelIndex:
        cols = range(COLUMN_COUNT)
        row = current.siblingAtColumn(0)
        col = current.column()
        while row.isValid():
            order = [c for c in cols if (c < col if backwards else c > col)]
            for c in reversed(order) if backwards else order:
                cell = row.siblingAtColumn(c)
                if _editable(cell):
                    return cell
            row = self.indexAbove(row) if backwards else self.indexBelow(row)
            col = COLUMN_COUNT if backwards else -1
        return QModelIndex()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        current = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if _editable(current):
                self.edit(current)
            else:
                target = self.next_input(current, Hint.SubmitModelCache)
                if target.isValid():
                    self.setCurrentIndex(target)
            return
        if not editing and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            hint = Hint.EditPreviousItem if key == Qt.Key.Key_Backtab else Hint.EditNextItem
            target = self.next_input(current, hint)
            if target.isValid():
                self.setCurrentIndex(target)
            return
        if not editing and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if _editable(current) and current.column() != COL_MAX:
                self.model().setData(current, "", Qt.ItemDataRole.EditRole)
            return
        super().keyPressEvent(event)

    def commit_open_editor(self) -> None:
        """Save what is typed in an open editor (before closing the window or reloading)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = QApplication.focusWidget()
        if editor is not None and self.viewport().isAncestorOf(editor):
            while editor.parentWidget() is not self.viewport():
                parent = editor.parentWidget()
                if parent is None:
                    return
                editor = parent
            self.commitData(editor)
            super().closeEditor(editor, Hint.NoHint)


__all__ = ["COL_EVIDENCE", "COL_MAX", "COL_SELF", "COL_STT", "CriteriaView"]
