"""The office's departments and officers in Cài đặt: the names offered as lead and
coordinating units of plan items (parapp.services.office_lists), edited on the worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _, message
from parapp.services import office_lists
from ui import style
from ui.operations import OfficeOp

if TYPE_CHECKING:
    from parapp.services.office import Office
    from ui.state import AppState

ERROR_COLOUR = "#b3261e"
NOTE_COLOUR = "#5f6b7a"


class DepartmentsPanel(QWidget):
    status_message = Signal(str)
    listed = Signal()  # the list shows what the database holds (tests wait for it)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._names: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(style.SPACING)
        intro = QLabel(
            _(
                "Offered as lead and coordinating units in plan items; a name typed in an item "
                "joins the list. A new name here is also used in plans not yet issued."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {NOTE_COLOUR};")
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list.setMinimumHeight(150)
        self.list.itemChanged.connect(self._item_changed)
        self.list.currentRowChanged.connect(lambda _row: self._selection_changed())
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(_("New department or officer, e.g. Công an xã"))
        self.new_name.returnPressed.connect(self.add_typed)
        self.add_button = QPushButton(_("Add"))
        self.add_button.clicked.connect(self.add_typed)
        row.addWidget(self.new_name, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.rename_button = QPushButton(_("Rename"))
        self.rename_button.setToolTip(_("Or double-click the name."))
        self.rename_button.clicked.connect(self._start_rename)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Plans that name it keep the name."))
        self.remove_button.clicked.connect(self.remove_selected)
        row.addWidget(self.rename_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self._selection_changed()

    # -- reading -------------------------------------------------------------------
    def load(self) -> None:
        db = self.state.db
        if db is None:
            return
        OfficeOp(self.state, office_lists.names).success(self._show).run()

    def names(self) -> list[str]:
        return list(self._names)

    def _show(self, names: list[str], keep: str = "") -> None:
        self._names = list(names)
        self.list.blockSignals(True)
        self.list.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if keep in names:
            self.list.setCurrentRow(names.index(keep))
        self._selection_changed()
        self.listed.emit()

    def _selected(self) -> str:
        row = self.list.currentRow()
        return self._names[row] if 0 <= row < len(self._names) else ""

    def _selection_changed(self) -> None:
        chosen = bool(self._selected())
        self.rename_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # -- changes -------------------------------------------------------------------
    def add_typed(self) -> None:
        text = self.new_name.text()
        db = self.state.db
        if db is None:
            return

        def job(office: Office) -> tuple[list[str], str]:
            name = office_lists.add(office, text)
            return office_lists.names(office), name

        def done(result: tuple[list[str], str]) -> None:
            self.new_name.clear()
            self._done(result, _("Added to the office's list: {name}").format(name=result[1]))

        OfficeOp(self.state, job).success(done).failure(self._failed).run()

    def _start_rename(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def _item_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self._names) and item.text() != self._names[row]:
            self.rename(self._names[row], item.text())

    def rename(self, old: str, new: str) -> None:
        db = self.state.db
        if db is None:
            return

        def job(office: Office) -> tuple[list[str], str, int]:
            changed = office_lists.rename(office, old, new)
            return office_lists.names(office), office_lists.normal(new), changed

        def done(result: tuple[list[str], str, int]) -> None:
            names, name, changed = result
            self._done(
                (names, name),
                _(
                    "Renamed {old} to {new}; {n} item(s) of plans not yet issued now name it so."
                ).format(old=old, new=name, n=changed),
            )

        OfficeOp(self.state, job).success(done).failure(self._failed).run()

    def remove_selected(self) -> None:
        name, db = self._selected(), self.state.db
        if not name or db is None:
            return

        def job(office: Office) -> list[str]:
            office_lists.remove(office, name)
            return office_lists.names(office)

        def done(names: list[str]) -> None:
            text = _("Removed from the office's list: {name} (plans that name it keep it).")
            self._done((names, ""), text.format(name=name))

        OfficeOp(self.state, job).success(done).failure(self._failed).run()

    def _done(self, result: tuple[list[str], str], text: str) -> None:
        names, keep = result
        self.state.mark_saved()
        self._say(text, error=False)
        self._show(names, keep)
        self.status_message.emit(text)

    def _failed(self, exc: BaseException) -> None:
        self._say(message(exc), error=True)
        self._show(self._names, self._selected())  # an edit refused goes back to the name

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR if error else NOTE_COLOUR};")
        self.message.setText(text)
        self.message.show()
