"""The items of a remediation plan as a compact table, one line per item.

The long texts are read and edited in the detail pane beside the table
(``ui.widgets.plan_detail``); the table shows what tells items apart and what is due. Rows
are the plan's items in printed order (numbers are the printed "TT": filters do not
renumber); they can be dragged to another place, which the screen asks the services to do
(``move_requested``): the table itself never reorders anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
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
    COL_LEAD,
    COL_DEADLINE,
    COL_STATUS,
    COL_PROGRESS,
    COL_LOST,
    COL_RECOVERABLE,
) = range(8)
COLUMN_COUNT = 8
ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3
OVERDUE_BACKGROUND = QColor("#fdecea")
MIME_TYPE = "application/x-parapp-plan-item"
NO_AREA = ""  # the area filter's value for items printed under no area


class Show(StrEnum):
    ALL = "all"
    OVERDUE = "overdue"
    UNFINISHED = "unfinished"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class Filter:
    show: Show = Show.ALL
    lead: str | None = None  # one unit's name: items it leads (alone or with others)
    area: str | None = None  # an area code, NO_AREA, or None for every area


def headers() -> list[str]:
    return [
        _("No."),
        _("Shortcoming"),
        _("Lead"),
        _("Deadline"),
        _("Status"),
        _("Progress"),
        # TRANSLATORS: a narrow column: the points the criterion lost.
        _("Lost"),
        # TRANSLATORS: a narrow column: the points the item can win back if done.
        _("Can win"),
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


def unit_names(text: str) -> list[str]:
    """The units named in a lead or coordinating field ("A, B; C" -> A, B, C)."""
    return [n for n in (clean(p) for p in text.replace(";", ",").split(",")) if n]


def one_line(text: str) -> str:
    return " ".join(text.split())


class PlanItemsModel(QAbstractTableModel):
    # (item id, the number it should take): a row dragged to another place.
    move_requested = Signal(str, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[RemediationItem] = []
        self._rows: list[RemediationItem] = []
        self._numbers: dict[str, int] = {}
        self.areas: dict[str, str | None] = {}  # item id -> the area it is printed under
        self.recoverable: dict[str, Decimal] = {}  # item id -> points (the what-if service)
        self.filter = Filter()
        self.year = date.today().year
        self.today = date.today()
        self.editable = False  # the wording (frozen once issued)
        self.trackable = False  # status and progress (allowed after issuing)

    # -- contents ------------------------------------------------------------------
    def set_items(
        self,
        items: Sequence[RemediationItem],
        *,
        year: int,
        today: date,
        editable: bool,
        trackable: bool,
        areas: dict[str, str | None] | None = None,
    ) -> None:
        """``items`` in printed order (their numbers are their places, from 1)."""
        self.beginResetModel()
        self._all = list(items)
        self._numbers = {i.id: k for k, i in enumerate(self._all, start=1)}
        self.areas = dict(areas or {})
        self.year, self.today = year, today
        self.editable, self.trackable = editable, trackable
        self._apply_filter()
        self.endResetModel()

    def set_filter(self, wanted: Filter) -> None:
        self.beginResetModel()
        self.filter = wanted
        self._apply_filter()
        self.endResetModel()

    def set_recoverable(self, values: dict[str, Decimal]) -> None:
        self.recoverable = dict(values)
        if self._rows:
            last = self.index(len(self._rows) - 1, COL_RECOVERABLE)
            self.dataChanged.emit(self.index(0, COL_RECOVERABLE), last)

    def _apply_filter(self) -> None:
        self._rows = [i for i in self._all if self._matches(i)]

    def _matches(self, item: RemediationItem) -> bool:
        f = self.filter
        if f.show is Show.OVERDUE and not item.is_overdue(self.today):
            return False
        if f.show is Show.UNFINISHED and item.status is ItemStatus.DONE:
            return False
        if f.show in (Show.NOT_STARTED, Show.IN_PROGRESS, Show.DONE) and (
            item.status.value != f.show.value
        ):
            return False
        if f.lead is not None and f.lead not in unit_names(item.lead):
            return False
        return f.area is None or (self.areas.get(item.id) or NO_AREA) == f.area

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

    def number(self, item: RemediationItem | str) -> int:
        """The item's number in the whole plan (filters do not renumber)."""
        return self._numbers.get(item if isinstance(item, str) else item.id, 0)

    def leads(self) -> list[str]:
        """Every unit named as lead, in the order first met."""
        return list(dict.fromkeys(n for i in self._all for n in unit_names(i.lead)))

    def units(self) -> list[str]:
        """Every unit named as lead or coordinating: the choices offered when typing one."""
        names = (n for i in self._all for n in (*unit_names(i.lead), *unit_names(i.coordinating)))
        return sorted(dict.fromkeys(names), key=str.casefold)

    # -- Qt ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return headers()[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_LOST:
            return _("Points the criteria this item answers lost at the appraisal.")
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_RECOVERABLE:
            return _("Points the item can win back when it is done (expected).")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.isValid():
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row())
        if item is None:
            return None
        col = index.column()
        overdue = item.is_overdue(self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, col, overdue)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, col, overdue)
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue and col in (COL_DEADLINE, COL_STATUS):
                return style.ERROR_TEXT
            if col == COL_LOST:
                return style.LOST_TEXT
            if col == COL_RECOVERABLE:
                return style.ACCENT
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (COL_STT, COL_LOST, COL_RECOVERABLE, COL_PROGRESS):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return item.id
        if role == OVERDUE_ROLE:
            return overdue
        return None

    def _display(self, item: RemediationItem, col: int, overdue: bool) -> str:
        if col == COL_STT:
            return str(self.number(item))
        if col == COL_SHORTCOMING:
            codes = ", ".join(item.node_codes)
            text = one_line(item.shortcoming or item.tasks)
            return f"{codes}. {text}" if codes else text
        if col == COL_LEAD:
            return one_line(item.lead)
        if col == COL_DEADLINE:
            return item.deadline.text
        if col == COL_STATUS:
            # Not by colour alone: the word says it too.
            return _("Overdue") + " · " + label(item.status) if overdue else label(item.status)
        if col == COL_PROGRESS:
            return f"{item.progress}%" if item.progress or item.updates else ""
        if col == COL_LOST:
            return points(item.points_lost) if item.points_lost else ""
        if col == COL_RECOVERABLE:
            value = self.recoverable.get(item.id)
            return points(value) if value else ""
        return ""

    def _tooltip(self, item: RemediationItem, col: int, overdue: bool) -> str | None:
        if col == COL_DEADLINE:
            return _("Understood as: {meaning}").format(meaning=understood(item.deadline))
        if overdue:
            return _("Overdue: the deadline has passed and the item is not done.")
        if col in (COL_SHORTCOMING, COL_LEAD):
            return self._display(item, col, overdue)
        return None

    # -- drag and drop: the row asks to move; the services do it -------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        item = self.item(rows[0]) if rows else None
        if item is not None:
            data.setData(MIME_TYPE, QByteArray(item.id.encode()))
        return data

    def drop_target(self, item_id: str, row: int, parent: Index) -> int:
        """The number a dragged item takes when dropped before ``row`` (or on ``parent``);
        0: nowhere."""
        moving = self.number(item_id)
        if not moving:
            return 0
        if row < 0 and parent.isValid():
            on = self.item(parent.row())
            return self.number(on) if on is not None else 0
        if row < 0 or row >= len(self._rows):
            before = (self.number(self._rows[-1]) + 1) if self._rows else 0
        else:
            before = self.number(self._rows[row])
        return before - 1 if before > moving else before

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return self.editable and data.hasFormat(MIME_TYPE)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        item_id = bytes(data.data(MIME_TYPE).data()).decode()
        target = self.drop_target(item_id, row, parent)
        if target and target != self.number(item_id):
            self.move_requested.emit(item_id, target)
        # Nothing moves here: the plan comes back from the services in its new order, and
        # returning False keeps the view from removing the dragged row itself.
        return False
