"""The pane beside the plan table: every text of the selected item, edited in place.

A field is saved when the clerk leaves it (or picks from a list); the screen hands it to
the services. A value they refuse stays in its field with their sentence under it, so
nothing typed is lost; the same happens to a deadline the program cannot read. A reload
of the same item (after any save) leaves alone a field the clerk is still typing in.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.criteria import IndexKind
from parapp.domain.remediation import ItemStatus, RemediationItem
from parapp.domain.text import clean
from parapp.i18n import _, format_date, label
from ui import style
from ui.fmt import points
from ui.models.plan_items import deadline_problem, understood

TEXTS = ("shortcoming", "tasks", "product")
UNITS = ("lead", "coordinating")
MUTED = f"color: {style.MUTED_TEXT.name()};"


class TextField(QPlainTextEdit):
    """Several lines, as tall as its text from ``lines`` up to ``most`` (then it scrolls);
    Tab leaves (Enter starts a new line: tasks are bullets)."""

    left = Signal()

    def __init__(self, lines: int, most: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.lines, self.most = lines, most
        self.textChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        # Measured, not the document's own size: a plain text layout counts the wrapped
        # lines of the blocks it has laid out only.
        metrics = self.fontMetrics()
        margin = int(self.document().documentMargin())
        width = max(self.viewport().width() - 2 * margin, 40)
        flags = int(Qt.TextFlag.TextWordWrap)
        high = metrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, self.toPlainText())
        lines = -(-high.height() // metrics.lineSpacing())
        shown = min(max(lines, self.lines), self.most)
        frame = 2 * (self.frameWidth() + margin) + 2
        self.setFixedHeight(shown * metrics.lineSpacing() + frame)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()  # a narrower pane wraps more lines

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


def _unit_box() -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # the plan's list, not the box's
    box.setMinimumContentsLength(12)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


class PlanDetail(QScrollArea):
    # (item id, field, value): a field the clerk changed; value is text or an ItemStatus.
    save = Signal(str, str, object)
    progress_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item: RemediationItem | None = None
        self.year = date.today().year
        self.editable = False
        self.trackable = False
        self._shown: dict[str, str] = {}  # what each field was filled with from the item
        self._refused: dict[tuple[str, str], tuple[str, str]] = {}  # -> (text, reason)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(380)
        body = QWidget()
        outer = QVBoxLayout(body)
        unit = style.SPACING
        outer.setContentsMargins(unit + 4, unit, unit + 4, unit)
        outer.setSpacing(unit)
        self.title = QLabel(_("Select an item in the table to see and edit its texts."))
        self.title.setWordWrap(True)
        self.title.setFont(style.scaled(self.title.font(), 1.05, bold=True))
        style.room_for_marks(self.title)
        outer.addWidget(self.title)
        # Labels above the fields: the pane is narrow, the texts are long.
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(2 * unit)
        self.grid.setVerticalSpacing(unit - 2)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.errors: dict[str, QLabel] = {}
        self.cells: dict[str, QVBoxLayout] = {}
        self.shortcoming = TextField(3, 6)
        self.tasks = TextField(5, 8)
        self.product = TextField(2, 4)
        self.lead = _unit_box()
        self.coordinating = _unit_box()
        self.deadline = QLineEdit()
        self.deadline.setPlaceholderText(_("e.g. quý II/2026, trước 30/6/2026, thường xuyên"))
        self.meaning = QLabel()
        self.meaning.setStyleSheet(MUTED)
        deadline = QWidget()  # what the program understood, beside what was typed
        deadline_row = QHBoxLayout(deadline)
        deadline_row.setContentsMargins(0, 0, 0, 0)
        deadline_row.addWidget(self.deadline, 1)
        deadline_row.addWidget(self.meaning)
        self.index_box = QComboBox()
        for kind in IndexKind:
            self.index_box.addItem(kind.value.replace("_", " "), kind.value)
        self.status_box = QComboBox()
        for status in ItemStatus:
            self.status_box.addItem(label(status), status.value)
        for key, text, field, row, column, span in (
            ("shortcoming", _("Shortcoming"), self.shortcoming, 0, 0, 2),
            ("tasks", _("Tasks and solutions"), self.tasks, 1, 0, 2),
            ("product", _("Product"), self.product, 2, 0, 2),
            ("lead", _("Lead"), self.lead, 3, 0, 1),
            ("coordinating", _("Coordinating"), self.coordinating, 3, 1, 1),
            ("deadline", _("Deadline"), deadline, 4, 0, 2),
            ("status", _("Status"), self.status_box, 5, 0, 1),
            ("index_kind", _("Index"), self.index_box, 5, 1, 1),
        ):
            self._add_field(key, text, field, (row, column, span))
        outer.addLayout(self.grid)
        progress_head = QHBoxLayout()
        heading = QLabel(_("Progress"))
        heading.setFont(style.scaled(heading.font(), 1.0, bold=True))
        progress_head.addWidget(heading)
        progress_head.addStretch(1)
        self.progress_button = QPushButton(_("Record progress…"))
        self.progress_button.clicked.connect(self.progress_wanted)
        progress_head.addWidget(self.progress_button)
        outer.addLayout(progress_head)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.history)
        outer.addStretch(1)
        self.setWidget(body)

        for name in TEXTS:
            getattr(self, name).left.connect(lambda name=name: self._commit(name))
        for name in UNITS:
            box: QComboBox = getattr(self, name)
            box.activated.connect(lambda _i, name=name: self._commit(name))
            line = box.lineEdit()
            assert line is not None
            line.editingFinished.connect(lambda name=name: self._commit(name))
        self.deadline.editingFinished.connect(lambda: self._commit("deadline"))
        self.index_box.activated.connect(lambda _i: self._commit("index_kind"))
        self.status_box.activated.connect(lambda _i: self._commit("status"))
        self.show_item(None)

    def _add_field(self, key: str, text: str, field: QWidget, at: tuple[int, int, int]) -> None:
        """The field's name above it and, under it, why a value was refused."""
        cell = QVBoxLayout()
        cell.setSpacing(2)
        name = QLabel(text)
        name.setStyleSheet(MUTED)
        style.room_for_marks(name)
        cell.addWidget(name)
        cell.addWidget(field)
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {style.ERROR_TEXT.name()};")
        error.hide()
        cell.addWidget(error)
        cell.addStretch(1)  # side by side cells start at the same height
        row, column, span = at
        self.grid.addLayout(cell, row, column, 1, span)
        self.errors[key] = error
        self.cells[key] = cell

    # -- what is shown -------------------------------------------------------------
    def set_units(self, names: list[str]) -> None:
        """The units offered for lead and coordinating (typing a new one is allowed)."""
        for name in UNITS:
            box: QComboBox = getattr(self, name)
            text = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems(names)
            box.setCurrentIndex(-1)
            box.setEditText(text)
            box.blockSignals(False)

    def show_item(
        self,
        item: RemediationItem | None,
        number: int = 0,
        *,
        year: int | None = None,
        editable: bool = False,
        trackable: bool = False,
    ) -> None:
        same = item is not None and self.item is not None and item.id == self.item.id
        self.item = item
        self.year = year or self.year
        self.editable, self.trackable = editable, trackable
        widgets = [self.shortcoming, self.tasks, self.product, self.lead, self.coordinating]
        for widget in (*widgets, self.deadline, self.index_box):
            widget.setEnabled(item is not None)
        for edit in (self.shortcoming, self.tasks, self.product, self.deadline):
            edit.setReadOnly(not editable)
        for box in (self.lead, self.coordinating, self.index_box):
            box.setEnabled(item is not None and editable)
        self.status_box.setEnabled(item is not None and trackable)
        self.progress_button.setEnabled(item is not None and trackable)
        if item is None:
            self.title.setText(_("Select an item in the table to see and edit its texts."))
            for key in self.errors:
                self._set_error(key, "")
            self._shown = {}
            for name in (*TEXTS, *UNITS, "deadline"):
                self._fill(name, "", force=True)
            self.meaning.setText("")
            self.history.setText("")
            return
        self.title.setText(self._title(item, number))
        self._set_error("status", "")
        values = self._values(item)
        for name, value in values.items():
            refused = self._refused.get((item.id, name))
            if refused is not None:
                self._fill(name, refused[0], force=True)
                self._set_error(name, refused[1])
                continue
            self._set_error(name, "")
            # The field being typed in keeps its text when the same item comes back (a save
            # of another field, a reload); every other field shows what is stored.
            typing = same and self._focused(name) and self._text(name) != self._shown.get(name)
            self._fill(name, value, force=not typing)
        self._shown = values
        self.meaning.setText("(" + understood(item.deadline) + ")")
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(item.status.value)))
        self.history.setText(self._history(item))

    def _title(self, item: RemediationItem, number: int) -> str:
        parts = [_("Item {number}").format(number=number)]
        if item.node_codes:
            parts.append(_("criteria {codes}").format(codes=", ".join(item.node_codes)))
        if item.points_lost:
            parts.append(_("lost {points} points").format(points=points(item.points_lost)))
        if item.carried_from:
            parts.append(_("carried over from last year"))
        return " · ".join(parts)

    @staticmethod
    def _values(item: RemediationItem) -> dict[str, str]:
        return {
            "shortcoming": item.shortcoming,
            "tasks": item.tasks,
            "product": item.product,
            "lead": item.lead,
            "coordinating": item.coordinating,
            "deadline": item.deadline.text,
            "index_kind": item.index_kind or "PAR",
        }

    @staticmethod
    def _history(item: RemediationItem) -> str:
        if not item.updates:
            return _("No progress recorded yet.")
        return "\n".join(
            f"{format_date(u.on)}: {u.percent}%" + (f" — {u.note}" if u.note else "")
            for u in item.updates
        )

    def _text(self, name: str) -> str:
        if name in TEXTS:
            return str(getattr(self, name).toPlainText())
        if name in UNITS:
            return str(getattr(self, name).currentText())
        if name == "deadline":
            return self.deadline.text()
        if name == "index_kind":
            return str(self.index_box.currentData() or "")
        return ""

    def _focused(self, name: str) -> bool:
        widget = self.index_box if name == "index_kind" else getattr(self, name)
        focus = QApplication.focusWidget()
        return focus is not None and (focus is widget or widget.isAncestorOf(focus))

    def _fill(self, name: str, value: str, *, force: bool) -> None:
        if not force:
            return
        if name in TEXTS:
            getattr(self, name).setPlainText(value)
        elif name in UNITS:
            box: QComboBox = getattr(self, name)
            box.blockSignals(True)
            box.setEditText(value)
            box.blockSignals(False)
            line = box.lineEdit()
            if line is not None:
                line.setCursorPosition(0)  # a long list of units shows its first name
        elif name == "deadline":
            self.deadline.setText(value)
        elif name == "index_kind":
            found = self.index_box.findData(value)
            if found < 0:
                self.index_box.addItem(value, value)
                found = self.index_box.count() - 1
            self.index_box.setCurrentIndex(found)

    def _set_error(self, key: str, reason: str) -> None:
        error = self.errors[key]
        error.setText(reason)
        error.setVisible(bool(reason))

    def error(self, key: str) -> str:
        return self.errors[key].text() if self.errors[key].isVisible() else ""

    # -- saving --------------------------------------------------------------------
    def _commit(self, name: str) -> None:
        item = self.item
        if item is None:
            return
        if name == "status":
            status = ItemStatus(self.status_box.currentData())
            if self.trackable and status is not item.status:
                self.save.emit(item.id, "status", status)
            return
        if not self.editable:
            return
        text = clean(self._text(name))
        refused = self._refused.get((item.id, name))
        if refused is not None and clean(refused[0]) == text:
            return  # refused already; its reason is shown
        if text == clean(self._shown.get(name, "")):
            if refused is not None:  # typed back to what is stored
                self.accepted(item.id, name)
                self._set_error(name, "")
            return
        if name == "deadline":
            _deadline, reason = deadline_problem(text, self.year)
            if reason:
                self.refused(item.id, name, self._text(name), reason)
                return
        self.save.emit(item.id, name, text)

    def refused(self, item_id: str, name: str, text: str, reason: str) -> None:
        """The services (or the deadline rules) refused ``text``: keep it, say why."""
        if name != "status":  # the status list shows what is stored
            self._refused[(item_id, name)] = (text, reason)
        if self.item is not None and self.item.id == item_id:
            self._set_error(name, reason)

    def accepted(self, item_id: str, name: str) -> None:
        self._refused.pop((item_id, name), None)

    def commit_all(self) -> None:
        """Save every changed field (before leaving the screen or the plan)."""
        for name in (*TEXTS, *UNITS, "deadline"):
            self._commit(name)
