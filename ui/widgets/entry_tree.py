"""A criteria tree-table typed in like a spreadsheet: the keys and the moving on shared by
the clerk's self-assessment and the appraiser's appraisal.

Tab goes to the next editable cell (Shift+Tab back) and, after the last one, leaves the table
as in a spreadsheet's form (Ctrl+Tab leaves it at once); Enter saves and goes down to the next
row's input (which one is the subclass's ``_below``); typing starts editing; a refused value
(``ERROR_ROLE``) keeps the cursor on its cell so it can be corrected.
"""

from __future__ import annotations

from collections.abc import Callable

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

from ui.models.columns import ERROR_ROLE
from ui.widgets.wrap_delegate import relayout_on_resize

Hint = QAbstractItemDelegate.EndEditHint
_MOVES = (Hint.EditNextItem, Hint.EditPreviousItem, Hint.SubmitModelCache)
_CLOSED = "entry_editor_closed"  # a dynamic property set on an editor once it is closed


def editable(index: QModelIndex) -> bool:
    return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)


class EntryTreeView(QTreeView):
    # Enter on a saved cell opens the editor of the cell below too (else only moves there).
    EDIT_AFTER_ENTER = True

    def __init__(self, make_delegate: Callable[[QAbstractItemView], QAbstractItemDelegate],
                 column_count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column_count = column_count
        self.setItemDelegate(make_delegate(self))
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

    def set_widths(self, widths: dict[int, int], stretch: int) -> None:
        """Widths for 1366×768 and up; column ``stretch`` (the criterion) takes the rest."""
        header = self.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        for col in range(self.column_count):
            if col == stretch:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(col, widths[col])
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        relayout_on_resize(self)

    # -- moving on -----------------------------------------------------------------
    def closeEditor(self, editor: QWidget, hint: Hint) -> None:
        # An editor is closed once: a second request (a pick from a combo's list followed by
        # the Enter that made it) would move the cursor a second row on.
        if editor.property(_CLOSED):
            return
        editor.setProperty(_CLOSED, True)
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
            if self.EDIT_AFTER_ENTER or hint != Hint.SubmitModelCache:
                self.edit(target)
        elif hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            self.leave(backwards=hint == Hint.EditPreviousItem)

    def leave(self, *, backwards: bool) -> None:
        """Give the focus to the next widget of the window (the previous one backwards):
        QWidget's own chain, as the view's would send the Tab back to the table."""
        QWidget.focusNextPrevChild(self, not backwards)

    def next_input(self, current: QModelIndex, hint: Hint) -> QModelIndex:
        """The cell the cursor goes to after ``current``: Tab the next editable one to the
        right (Shift+Tab to the left), Enter the one below (``_below``)."""
        if not current.isValid():
            return QModelIndex()
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            return self._step(current, backwards=hint == Hint.EditPreviousItem)
        return self._below(current)

    def _below(self, current: QModelIndex) -> QModelIndex:
        raise NotImplementedError

    def _step(self, current: QModelIndex, *, backwards: bool) -> QModelIndex:
        row = current.siblingAtColumn(0)
        col = current.column()
        while row.isValid():
            order = [c for c in range(self.column_count) if (c < col if backwards else c > col)]
            for c in reversed(order) if backwards else order:
                cell = row.siblingAtColumn(c)
                if editable(cell):
                    return cell
            row = self.indexAbove(row) if backwards else self.indexBelow(row)
            col = self.column_count if backwards else -1
        return QModelIndex()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        current = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if editable(current):
                self.edit(current)
            else:
                target = self.next_input(current, Hint.SubmitModelCache)
                if target.isValid():
                    self.setCurrentIndex(target)
                    self.scrollTo(target)
            return
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.commit_open_editor()
            self.leave(backwards=key == Qt.Key.Key_Backtab)
            return
        if not editing and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            hint = Hint.EditPreviousItem if key == Qt.Key.Key_Backtab else Hint.EditNextItem
            target = self.next_input(current, hint)
            if target.isValid():
                self.setCurrentIndex(target)
            else:
                self.leave(backwards=hint == Hint.EditPreviousItem)
            return
        super().keyPressEvent(event)

    def commit_open_editor(self) -> None:
        """Save what is typed in an open editor (before leaving, reloading or closing)."""
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
