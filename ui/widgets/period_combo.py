"""The period selector in the window's header: the unit's assessments, newest first.

Choosing a year reloads every screen for it; the last entry, "Tạo kỳ đánh giá mới…",
starts the next year's assessment. The list comes from the database thread; until it
arrives the combo shows the year on screen alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

from parapp.i18n import _, label
from parapp.services.periods import list_assessments
from ui import style
from ui.operations import OfficeOp
from ui.widgets.period_dialog import start_new_period

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

    from parapp.services.periods import AssessmentSummary
    from ui.state import AppState

YEAR_ROLE = 257  # Qt.ItemDataRole.UserRole + 1
SHORT_ROLE = 258  # the closed combo's text: "Năm 2025 · đã công bố"
NEW_PERIOD = -1  # the year stored on the "new period" entry


class PeriodCombo(QComboBox):
    """A combo that shows a short text when closed and the full lines in its list."""

    year_chosen = Signal(int)
    new_period_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A little larger than the body text: with the unit's name, it says what is on screen.
        self.setFont(style.scaled(self.font(), 1.1))
        self.setMinimumContentsLength(22)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip(_("The assessment shown: choose another year to see it"))
        self._year: int | None = None
        self.activated.connect(self._activated)

    # -- content -------------------------------------------------------------------
    def show_year(self, year: int, status: str, set_name: str) -> None:
        """The period on screen, before (or without) the list of periods."""
        self._year = year
        if self.findData(year, YEAR_ROLE) < 0:
            self._fill([(year, status, set_name)])
        self._select(year)

    def set_periods(self, summaries: list[AssessmentSummary]) -> None:
        self._fill([(s.year, label(s.status), s.set_name) for s in summaries])
        if self._year is not None:
            self._select(self._year)

    def _fill(self, lines: list[tuple[int, str, str]]) -> None:
        self.blockSignals(True)
        self.clear()
        for year, status, set_name in lines:
            short = _("Year {year} · {status}").format(year=year, status=status)
            self.addItem(f"{short} · {set_name}" if set_name else short)
            row = self.count() - 1
            self.setItemData(row, year, YEAR_ROLE)
            self.setItemData(row, short, SHORT_ROLE)
            self.setItemData(row, set_name or short, 3)  # Qt.ItemDataRole.ToolTipRole
        self.insertSeparator(self.count())
        self.addItem(_("Create a new assessment period…"))
        self.setItemData(self.count() - 1, NEW_PERIOD, YEAR_ROLE)
        self.blockSignals(False)
        # The open list is as wide as its longest line, whatever the closed combo's width.
        view = self.view()
        view.setMinimumWidth(min(view.sizeHintForColumn(0) + 32, 900))

    def _select(self, year: int) -> None:
        row = self.findData(year, YEAR_ROLE)
        if row >= 0:
            self.blockSignals(True)
            self.setCurrentIndex(row)
            self.blockSignals(False)

    def years(self) -> list[int]:
        found = [self.itemData(row, YEAR_ROLE) for row in range(self.count())]
        return [y for y in found if isinstance(y, int) and y != NEW_PERIOD]

    def row_of(self, year: int) -> int:
        return self.findData(year, YEAR_ROLE)

    def text(self) -> str:
        """What the closed combo shows ("Năm 2025 · đã công bố"), like a label's text."""
        short = self.currentData(SHORT_ROLE)
        return short if isinstance(short, str) else self.currentText()

    # -- choosing ------------------------------------------------------------------
    def _activated(self, row: int) -> None:
        year = self.itemData(row, YEAR_ROLE)
        if year == NEW_PERIOD:
            if self._year is not None:
                self._select(self._year)  # the period on screen stays chosen meanwhile
            self.new_period_wanted.emit()
        elif isinstance(year, int) and year != self._year:
            self._year = year
            self.year_chosen.emit(year)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class PeriodSelector:
    """Keeps a :class:`PeriodCombo` in step with the state and acts on its choices."""

    def __init__(
        self, combo: PeriodCombo, state: AppState, before_switch: Callable[[], None]
    ) -> None:
        self.combo = combo
        self.state = state
        self.before_switch = before_switch
        self._listed_for: tuple[Any, ...] | None = None
        combo.year_chosen.connect(self.switch_to)
        combo.new_period_wanted.connect(self.new_period)

    def refresh(self) -> None:
        """A new snapshot: show its year; list the periods again if the assessment on
        screen or its status changed (not after every saved score)."""
        view = self.state.view
        if view is None:
            return

        info = view.info
        self.combo.show_year(info.year, label(info.status), view.cset.name)
        key = (info.unit_code, info.id, info.status)
        if key == self._listed_for:
            return
        self._listed_for = key
        self.reload_list()

    def reload_list(self) -> None:
        db = self.state.db
        if db is None:
            return

        def job(office: Any) -> list[AssessmentSummary]:
            return list_assessments(office)

        OfficeOp(self.state, job).success(self.combo.set_periods).run()

    def switch_to(self, year: int) -> None:
        self.before_switch()  # the screen on view saves what is being typed first
        self.state.reload(year)

    def new_period(self) -> None:
        start_new_period(self.combo.window(), self.state, self.combo.years(), self._created)

    def _created(self, year: int) -> None:
        self._listed_for = None  # the list gains a line
        self.switch_to(year)
