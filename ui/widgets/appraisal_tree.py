"""The appraisal tree-table with spreadsheet keys: Enter saves and goes down the same column
(the appraised score of the next criterion), Tab goes to the next cell the appraiser types
in, typing starts editing. A refused value keeps the cursor on its cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QStyleOptionViewItem,
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
from ui.widgets.entry_tree import EntryTreeView, editable
from ui.widgets.wrap_delegate import WrapDelegate

Index = QModelIndex | QPersistentModelIndex


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
        editor.setGeometry(option.rect.adjusted(0, -1, 0, 1))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        if index.data(ERROR_ROLE):  # a refused cell stays visibly red, even when selected
            painter.save()
            painter.setPen(QPen(style.ERROR_TEXT, 2))
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
            painter.restore()


class AppraisalView(EntryTreeView):
    # Enter moves down to the next appraised score without opening it (the appraiser reads
    # the row first); Tab opens the next cell.
    EDIT_AFTER_ENTER = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(AppraisalDelegate, COLUMN_COUNT, parent)

    def setup_columns(self) -> None:
        self.set_widths({
            COL_STT: 80,
            COL_MAX: 54,
            COL_SELF: 60,
            COL_EXPLANATION: 130,
            COL_EVIDENCE: 84,
            COL_APPRAISED: 78,
            COL_COMMENT: 160,
            COL_SURVEY: 64,
            COL_REAPPRAISE: 100,
        }, COL_TITLE)

    def _below(self, current: QModelIndex) -> QModelIndex:
        """Enter: the same column in the next row that has it (a score or the comment),
        else the next row's appraised or survey score."""
        column = current.column() if current.column() in (*SCORE_COLUMNS, COL_COMMENT) else None
        row = self.indexBelow(current.siblingAtColumn(0))
        while row.isValid():
            for col in (column,) if column is not None else (COL_APPRAISED, COL_SURVEY):
                cell = row.siblingAtColumn(col)
                if editable(cell):
                    return cell
            row = self.indexBelow(row)
        return QModelIndex()
