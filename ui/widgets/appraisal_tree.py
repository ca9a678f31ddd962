"""The appraisal tree-table with spreadsheet keys: Enter saves and goes down the same column
(the appraised score of the next criterion), Tab goes to the next cell the appraiser types
in, typing starts editing. A refused value keeps the cursor on its cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ui import style
from ui.models.appraisal_columns import (
    COL_APPRAISED,
    COL_COMMENT,
    COL_EVIDENCE,
    COL_EXPLANATION,
    COL_MAX,
    COL_REAPPRAISE,
    COL_SELF,
    COL_STT,
    COL_SURVEY,
    COL_TITLE,
    COLUMN_COUNT,
    SCORE_COLUMNS,
)
from ui.models.columns import ERROR_ROLE
from ui.widgets.wrap_delegate import WrapDelegate, relayout_on_resize

Index = QModelIndex | QPersistentModelIndex
Hint = QAbstractItemDelegate.EndEditHint
_MOVES = (Hint.EditNextItem, Hint.EditPreviousItem, Hint.SubmitModelCache)


def _editable(index: QModelIndex) -> bool:
    return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)


class AppraisalDelegate(WrapDelegate):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view, (COL_TITLE, COL_COMMENT))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        line = QLineEdit(parent)
        if index.column() in SCORE_COLUMNS:
            line.setPlaceholderText("0,5")
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
        return line

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        editor.setGeometry(option.rect.adjusted(0, -1, 0, 1))  # type: ignore[attr-defined]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        if index.data(ERROR_ROLE):  # a refused cell stays visibly red, even when selected
            painter.save()
            painter.setPen(QPen(style.ERROR_TEXT, 2))
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))  # type: ignore[attr-defined]
            painter.restore()


class AppraisalView(QTreeView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(AppraisalDelegate(self))
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
            COL_STT: 80,
            COL_MAX: 54,
            COL_SELF: 60,
            COL_EXPLANATION: 130,
            COL_EVIDENCE: 84,
            COL_APPRAISED: 78,
            COL_COMMENT: 160,
            COL_SURVEY: 64,
            COL_REAPPRAISE: 100,
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
            if hint != Hint.SubmitModelCache:
                self.edit(target)

    def next_input(self, current: QModelIndex, hint: Hint) -> QModelIndex:
        """Enter: the next editable cell down the same column; Tab: the next to the right."""
        if not current.isValid():
            return QModelIndex()
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            return self._step(current, backwards=hint == Hint.EditPreviousItem)
        column = current.column() if current.column() in (*SCORE_COLUMNS, COL_COMMENT) else None
        row = self.indexBelow(current.siblingAtColumn(0))
        while row.isValid():
            for col in (column,) if column is not None else (COL_APPRAISED, COL_SURVEY):
                cell = row.siblingAtColumn(col)
                if _editable(cell):
                    return cell
            row = self.indexBelow(row)
        return QModelIndex()

    def _step(self, current: QModelIndex, *, backwards: bool) -> QModelIndex:
        row = current.siblingAtColumn(0)
        col = current.column()
        while row.isValid():
            order = [c for c in range(COLUMN_COUNT) if (c < col if backwards else c > col)]
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
                    self.scrollTo(target)
            return
        if not editing and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            hint = Hint.EditPreviousItem if key == Qt.Key.Key_Backtab else Hint.EditNextItem
            target = self.next_input(current, hint)
            if target.isValid():
                self.setCurrentIndex(target)
            return
        super().keyPressEvent(event)

    def commit_open_editor(self) -> None:
        """Save what is typed in an open editor (before leaving the unit or closing)."""
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
