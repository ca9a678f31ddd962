"""The items of a remediation plan as a table, edited in place.

Texts and the deadline are checked here and handed to ``committer`` (the screen saves them
on the database thread); a deadline must be one the program understands, so that overdue
items can be found: otherwise the reason is shown in red and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from parapp.domain.deadlines import Deadline, DeadlineKind, parse_deadline
from parapp.domain.remediation import ItemStatus, RemediationItem
from parapp.domain.text import clean
from parapp.i18n import _, format_date, label
from ui import style
from ui.fmt import points

Index = QModelIndex | QPersistentModelIndex

(
    COL_STT,
    COL_SHORTCOMING,
    COL_LOST,
    COL_TASKS,
    COL_PRODUCT,
    COL_LEAD,
    COL_COORDINATING,
    COL_DEADLINE,
    COL_STATUS,
    COL_PROGRESS,
) = range(10)
COLUMN_COUNT = 10
TEXT_FIELDS = {
    COL_SHORTCOMING: "shortcoming",
    COL_TASKS: "tasks",
    COL_PRODUCT: "product",
    COL_LEAD: "lead",
    COL_COORDINATING: "coordinating",
    COL_DEADLINE: "deadline",
}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3
OVERDUE_BACKGROUND = QColor("#fdecea")

# committer(item_id, field, value): a text field with its text, or "status" with an ItemStatus.
Committer = Callable[[str, str, Any], None]


class Show(StrEnum):
    ALL = "all"
    OVERDUE = "overdue"
    UNFINISHED = "unfinished"


def headers() -> list[str]:
    # TRANSLATORS: column headers of the remediation plan table; "\n" breaks the line.
    return [
        _("No."),
        _("Shortcoming"),
        _("Points\nlost"),
        _("Tasks and solutions"),
        _("Product"),
        _("Lead"),
        _("Coordinating"),
        _("Deadline"),
        _("Status"),
        _("Latest progress"),
    ]


def understood(deadline: Deadline) -> str:
    """What the program understood of a deadline: "đến 30/06/2026", "thường xuyên"."""
    if deadline.kind is DeadlineKind.ONGOING:
        return _("ongoing, never overdue")
    if deadline.end is None:
        return _("not understood")
    return _("by {end}").format(end=format_date(deadline.end))


def deadline_problem(text: str, year: int) -> tuple[Deadline | None, str]:
    """The parsed deadline, or None and the reason it cannot be saved."""
    if not clean(text):
        return None, _("The deadline cannot be empty.")
    deadline = parse_deadline(clean(text), default_year=year)
    if deadline.kind is DeadlineKind.UNPARSED:
        return None, _(
            "The deadline “{text}” is not understood, so the item could never be shown as "
            "overdue. Write it like: 30/6/{year}, tháng 9/{year}, quý II/{year}, "
            "6 tháng đầu năm {year}, trong năm {year}, thường xuyên."
        ).format(text=clean(text), year=year)
    return deadline, ""


def latest_progress(item: RemediationItem) -> str:
    if not item.updates:
        return f"{item.progress}%" if item.progress else ""
    last = item.updates[-1]
    text = f"{last.percent}% · {format_date(last.on)}"
    return f"{text}\n{last.note}" if last.note else text


class PlanItemsModel(QAbstractTableModel):
    edit_refused = Signal(str)  # the reason, translated

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[RemediationItem] = []
        self._rows: list[RemediationItem] = []
        self._errors: dict[tuple[str, int], str] = {}
        self.show = Show.ALL
        self.year = date.today().year
        self.today = date.today()
        self.editable = False  # the wording (frozen once issued)
        self.trackable = False  # status and progress (allowed after issuing)
        self.committer: Committer | None = None

    # -- contents ------------------------------------------------------------------
    def set_items(
        self,
        items: Sequence[RemediationItem],
        *,
        year: int,
        today: date,
        editable: bool,
        trackable: bool,
    ) -> None:
        self.beginResetModel()
        self._all = list(items)
        self.year, self.today = year, today
        self.editable, self.trackable = editable, trackable
        self._errors.clear()
        self._filter()
        self.endResetModel()

    def set_show(self, show: Show) -> None:
        self.beginResetModel()
        self.show = show
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        if self.show is Show.OVERDUE:
            self._rows = [i for i in self._all if i.is_overdue(self.today)]
        elif self.show is Show.UNFINISHED:
            self._rows = [i for i in self._all if i.status is not ItemStatus.DONE]
        else:
            self._rows = list(self._all)

    def replace_item(self, item: RemediationItem) -> None:
        self._all = [item if i.id == item.id else i for i in self._all]
        for key in [k for k in self._errors if k[0] == item.id]:
            del self._errors[key]
        row = self.row_of(item.id)
        if row >= 0:
            self._rows[row] = item
            self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    @property
    def items(self) -> list[RemediationItem]:
        return list(self._all)

    def item(self, row: int) -> RemediationItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: str) -> int:
        for k, item in enumerate(self._rows):
            if item.id == item_id:
                return k
        return -1

    def number(self, item: RemediationItem) -> int:
        """The item's number in the whole plan (filters do not renumber)."""
        return next(k for k, i in enumerate(self._all, start=1) if i.id == item.id)

    def show_error(self, item_id: str, column: int, reason: str) -> None:
        self._errors[(item_id, column)] = reason
        row = self.row_of(item_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, column), self.index(row, column))

    # -- Qt ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return headers()[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = index.column()
        if (self.editable and col in TEXT_FIELDS) or (self.trackable and col == COL_STATUS):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row())
        if item is None:
            return None
        col = index.column()
        error = self._errors.get((item.id, col))
        overdue = item.is_overdue(self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_STATUS:
                return item.status.value
            if col == COL_DEADLINE:
                return item.deadline.text
            return getattr(item, TEXT_FIELDS[col]) if col in TEXT_FIELDS else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if error:
                return error
            if col == COL_DEADLINE:
                return _("Understood as: {meaning}").format(meaning=understood(item.deadline))
            if overdue:
                return _("Overdue: the deadline has passed and the item is not done.")
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if error or (col == COL_DEADLINE and overdue):
                return style.ERROR_TEXT
            if col == COL_LOST:
                return style.LOST_TEXT
        if role == Qt.ItemDataRole.BackgroundRole:
            if error:
                return style.ERROR_BACKGROUND
            if overdue:
                return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_STT, COL_LOST):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == ID_ROLE:
            return item.id
        if role == ERROR_ROLE:
            return error
        if role == OVERDUE_ROLE:
            return overdue
        return None

    def _display(self, item: RemediationItem, col: int) -> str:
        if col == COL_STT:
            return str(self.number(item))
        if col == COL_SHORTCOMING:
            codes = ", ".join(item.node_codes)
            text = f"{codes}. {item.shortcoming}" if codes else item.shortcoming
            if item.carried_from:
                text += "\n" + _("(carried over from last year)")
            return text
        if col == COL_LOST:
            return points(item.points_lost) if item.points_lost else ""
        if col == COL_DEADLINE:
            meaning = understood(item.deadline)
            if item.is_overdue(self.today):
                meaning = _("overdue") + " · " + meaning
            return f"{item.deadline.text}\n({meaning})"
        if col == COL_STATUS:
            return label(item.status)
        if col == COL_PROGRESS:
            return latest_progress(item)
        return str(getattr(item, TEXT_FIELDS[col]))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.item(index.row())
        col = index.column()
        editable = bool(self.flags(index) & Qt.ItemFlag.ItemIsEditable)
        if item is None or role != Qt.ItemDataRole.EditRole or not editable:
            return False
        if col == COL_STATUS:
            status = ItemStatus(value)
            if status is item.status:
                return False
            self._commit(item.id, "status", status)
            return True
        text = clean(str(value or ""))
        if col == COL_DEADLINE:
            if text == item.deadline.text:
                return False
            _deadline, reason = deadline_problem(text, self.year)
            if reason:
                self.show_error(item.id, col, reason)
                self.edit_refused.emit(reason)
                return False
        elif text == getattr(item, TEXT_FIELDS[col]):
            return False
        self._errors.pop((item.id, col), None)
        self._commit(item.id, TEXT_FIELDS[col], text)
        return True

    def _commit(self, item_id: str, field: str, value: Any) -> None:
        if self.committer is not None:
            self.committer(item_id, field, value)
