"""Editors of the plan table: several lines for the texts, a list for the status."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from parapp.domain.remediation import ItemStatus
from parapp.i18n import label
from ui.models.plan_items import (
    COL_COORDINATING,
    COL_PRODUCT,
    COL_SHORTCOMING,
    COL_STATUS,
    COL_TASKS,
)

Index = QModelIndex | QPersistentModelIndex
MULTILINE = frozenset({COL_SHORTCOMING, COL_TASKS, COL_PRODUCT, COL_COORDINATING})


class PlanDelegate(QStyledItemDelegate):
    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        if index.column() == COL_STATUS:
            box = QComboBox(parent)
            for status in ItemStatus:
                box.addItem(label(status), status.value)
            return box
        if index.column() in MULTILINE:
            # Tab or a click elsewhere saves; Enter starts a new line (tasks are bullets).
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            return edit
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(value or ""))
            editor.selectAll()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QPlainTextEdit):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = option.rect  # type: ignore[attr-defined]
        if isinstance(editor, QPlainTextEdit):
            rect.setHeight(max(rect.height(), 96))
        editor.setGeometry(rect)
