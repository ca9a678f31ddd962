"""The units table of the appraiser's hub: filter by status, sort by any column, open a unit
with a double-click or Enter."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.assessment import AssessmentStatus
from parapp.i18n import _
from parapp.services.appraisal import UnitStatus
from ui import style
from ui.models.unit_statuses import (
    COL_APPRAISED,
    COL_KIND,
    COL_RANK,
    COL_REAPPRAISE,
    COL_RECEIVED,
    COL_SELF,
    COL_STATUS,
    COL_UNIT,
    UNIT_CODE_ROLE,
    StatusFilter,
    UnitStatusFilter,
    UnitStatusModel,
    filter_choices,
)


class UnitsTable(QTableView):
    """Enter opens the current unit (as a double-click does)."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class UnitsPanel(QWidget):
    unit_opened = Signal(str)  # unit code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = UnitStatusModel(self)
        self.proxy = UnitStatusFilter(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, style.SPACING, 0, 0)
        layout.setSpacing(style.SPACING)

        bar = QHBoxLayout()
        bar.setSpacing(style.SPACING)
        bar.addWidget(QLabel(_("Show:")))
        self.status_box = QComboBox()
        for key, text in filter_choices():
            self.status_box.addItem(text, key)
        self.status_box.currentIndexChanged.connect(self._filter_changed)
        bar.addWidget(self.status_box)
        self.counts = QLabel()
        self.counts.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
        bar.addWidget(self.counts, 1)
        self.open_button = QPushButton(_("Appraise the unit…"))
        self.open_button.setToolTip(_("Or double-click the unit, or press Enter."))
        bar.addWidget(self.open_button)
        layout.addLayout(bar)

        self.table = UnitsTable()
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSectionResizeMode(COL_UNIT, QHeaderView.ResizeMode.Stretch)
        widths = {
            COL_KIND: 96,
            COL_STATUS: 170,
            COL_RECEIVED: 130,
            COL_SELF: 112,
            COL_APPRAISED: 100,
            COL_REAPPRAISE: 96,
            COL_RANK: 90,
        }
        for col, width in widths.items():
            self.table.setColumnWidth(col, width)
        header.setMinimumHeight(header.fontMetrics().lineSpacing() * 2 + 12)
        self.table.doubleClicked.connect(self._open)
        self.table.open_requested.connect(self._open)
        self.table.selectionModel().currentChanged.connect(self._update_button)
        layout.addWidget(self.table, 1)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {style.MUTED_TEXT.name()}; padding: 8px;")
        self.empty.hide()
        layout.addWidget(self.empty)
        self._update_button()

    # -- data ----------------------------------------------------------------------
    def set_units(self, units: list[UnitStatus]) -> None:
        current = self.current_code()
        self.model.set_units(units)
        self.table.resizeRowsToContents()
        self._show_counts(units)
        self._show_empty()
        if current is not None:
            self.select(current)
        self._update_button()

    def _show_counts(self, units: list[UnitStatus]) -> None:
        by_status = Counter(u.status for u in units)
        parts = [_("{n} units").format(n=len(units))]
        received = sum(n for status, n in by_status.items() if status is not None)
        parts.append(_("{n} submitted").format(n=received))
        for status, text in (
            (AssessmentStatus.APPRAISED, _("{n} appraised")),
            (AssessmentStatus.RETURNED, _("{n} returned")),
            (AssessmentStatus.PUBLISHED, _("{n} published")),
        ):
            if by_status.get(status):
                parts.append(text.format(n=by_status[status]))
        self.counts.setText(" · ".join(parts))

    def _show_empty(self) -> None:
        if not self.model.units:
            self.empty.setText(
                _(
                    "There is no unit to appraise yet. Receive the units' submission packages "
                    "on the Sync screen; each unit that sends one appears here."
                )
            )
        elif self.proxy.rowCount() == 0:
            self.empty.setText(_("No unit has this status. Choose another status to show."))
        self.empty.setVisible(not self.model.units or self.proxy.rowCount() == 0)

    def _filter_changed(self) -> None:
        self.proxy.set_status(StatusFilter(self.status_box.currentData()))
        self._show_empty()
        self._update_button()

    def set_filter(self, wanted: StatusFilter) -> None:
        self.status_box.setCurrentIndex(self.status_box.findData(wanted))

    # -- selection -----------------------------------------------------------------
    def current_code(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(UNIT_CODE_ROLE) if index.isValid() else None

    def current_unit(self) -> UnitStatus | None:
        code = self.current_code()
        return self.unit(code) if code else None

    def unit(self, code: str) -> UnitStatus | None:
        row = self.model.row_of(code)
        return self.model.unit_at(row)

    def select(self, code: str) -> None:
        row = self.model.row_of(code)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, COL_UNIT))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def _update_button(self, *_args: object) -> None:
        unit = self.current_unit()
        self.open_button.setEnabled(unit is not None and unit.status is not None)

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        code = index.data(UNIT_CODE_ROLE)
        unit = self.unit(code)
        if unit is None:
            return
        if unit.status is None:
            self.empty.setText(
                _("{unit} has not sent its self-assessment for this year yet.").format(
                    unit=unit.unit_name
                )
            )
            self.empty.show()
            return
        self.unit_opened.emit(code)
