"""Cell editors for the self-assessment table: the editor depends on the node's rule.

Choices (Có / Không / Không áp dụng, or the set's levels) get a combo box that saves as soon
as one is picked; a count of items gets a spin box; ratios ("98/100"), typed scores and
explanations get a line edit. Whatever is typed is checked by the model, never here, so
one set of rules refuses bad values whether they come from a delegate, a paste or a test.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QSpinBox,
    QStyleOptionViewItem,
    QWidget,
)

from parapp.i18n import _
from ui import style
from ui.models import cells
from ui.models.columns import (
    CHOICES_ROLE,
    COL_DECLARED,
    COL_EXPLANATION,
    COL_TITLE,
    EDIT_KIND_ROLE,
    ERROR_ROLE,
)
from ui.widgets.wrap_delegate import WrapDelegate

Index = QModelIndex | QPersistentModelIndex


class ChoiceBox(QComboBox):
    """A combo box that knows whether its value was picked from its open list.

    An arrow key on the closed box changes the value too (and Qt says "activated"), but the
    clerk has not confirmed it yet: only Enter or Tab does. Moving on there would leave the
    cursor one row further than the clerk thinks, so the next Enter skipped a criterion.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.from_list = False

    def showPopup(self) -> None:
        self.from_list = True
        super().showPopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.from_list = False
        super().keyPressEvent(event)


class ScoreDelegate(WrapDelegate):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view, (COL_TITLE, COL_DECLARED, COL_EXPLANATION))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        kind = index.data(EDIT_KIND_ROLE)
        if kind == cells.KIND_CHOICE:
            combo = ChoiceBox(parent)
            for key, text in index.data(CHOICES_ROLE) or []:
                combo.addItem(text, key)
            combo.activated.connect(lambda _i, c=combo: self._picked(c))
            return combo
        if kind == cells.KIND_COUNT:
            spin = QSpinBox(parent)
            spin.setRange(-1, 9999)  # -1 shows as blank: not declared yet
            spin.setSpecialValueText(" ")
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            return spin
        line = QLineEdit(parent)
        if kind == cells.KIND_RATIO:
            line.setPlaceholderText(_("achieved/total"))
        elif kind == cells.KIND_SCORE:
            line.setPlaceholderText("0,5")
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
        return line

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        if index.data(ERROR_ROLE):  # keep a refused cell visibly red, even when selected
            painter.save()
            painter.setPen(QPen(style.ERROR_TEXT, 2))
            rect = option.rect.adjusted(1, 1, -1, -1)
            painter.drawRect(rect)
            painter.restore()

    def _picked(self, combo: ChoiceBox) -> None:
        """A pick from the open list saves and moves on; an arrow key only changes the
        value shown (Enter or Tab then saves it, through the delegate's key filter)."""
        if not combo.from_list:
            return
        combo.from_list = False
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.SubmitModelCache)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            found = editor.findData(str(value))
            editor.setCurrentIndex(max(found, 0))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value) if str(value).isdigit() else -1)
            editor.selectAll()
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QSpinBox):
            value = str(editor.value()) if editor.value() >= 0 else ""
        elif isinstance(editor, QLineEdit):
            value = editor.text()
        else:
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = option.rect
        editor.setGeometry(rect.adjusted(0, -1, 0, 1))
