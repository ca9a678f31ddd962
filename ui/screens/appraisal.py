"""Thẩm định / Tổng hợp: the appraiser's hub; Kết quả công bố in a commune's office.

Two tabs: the units and where each one's assessment stands (open one to appraise it
criterion by criterion), and the ranking (publish, export, send every unit its result).
In a commune's database the same entry records the result published for it, typed from
the decision or imported (ui.widgets.result_entry): appraising is the appraiser's work,
done in the appraiser's own copy of the program.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.roles import Role
from parapp.i18n import N_, _
from parapp.services import appraisal, changes, setup
from ui import dialogs, screens
from ui.operations import OfficeOp
from ui.screens.base import Screen, heading, page_layout
from ui.state import AppState
from ui.widgets.appraisal_ranking import RankingPanel
from ui.widgets.appraisal_unit import UnitAppraisalPanel
from ui.widgets.appraisal_units import UnitsPanel
from ui.widgets.result_entry import ResultEntryPanel

if TYPE_CHECKING:
    from parapp.services.appraisal import UnitStatus
    from parapp.services.office import Office

FOR_THE_APPRAISER = N_(
    "Appraising, ranking and publishing are done by the appraiser (the province's "
    "Department of Home Affairs) in its own copy of the program. Your office sends its "
    "self-assessment on the Sync screen and receives the appraised result there."
)


@dataclass(frozen=True)
class Hub:
    """What the hub shows for one year (loaded on the worker)."""

    role: Role
    year: int
    years: list[int]
    units: list[UnitStatus]
    own_name: str


def load_hub(db: Office, year: int | None, today: date) -> Hub:
    """Runs on the worker: the role, the years with submissions and the units of ``year``
    (by default the latest year any unit submitted, else this year)."""
    role = setup.role_of(db)
    if role is not Role.APPRAISER:
        return Hub(role, year or today.year, [], [], "")
    years = appraisal.received_years(db)
    chosen = year if year is not None else (years[0] if years else today.year)
    if chosen not in years:
        years = sorted({*years, chosen}, reverse=True)
    own = setup.own_unit_or_none(db)
    return Hub(role, chosen, years, appraisal.unit_statuses(db, chosen), own.name if own else "")


class AppraisalScreen(Screen):
    key = screens.APPRAISAL
    # The units' assessments (imported with their packages) and the office's own name.
    shows = frozenset({changes.Data.ASSESSMENT, changes.Data.OFFICE})
    status_message = Signal(str)
    hub_loaded = Signal()  # the units (and ranking request) of the year are on screen
    year_shown = Signal(int)  # the year on screen (the window's header says it)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.hub: Hub | None = None
        self._wanted_year: int | None = None
        self._loading = 0
        layout = page_layout(self)
        top = QHBoxLayout()
        self.title = heading(_(screens.info(screens.APPRAISAL).title))
        top.addWidget(self.title, 1)
        self.year_label = QLabel(_("Year:"))
        self.year_box = QComboBox()
        self.year_box.setMinimumWidth(90)
        self.year_box.activated.connect(self._year_chosen)
        top.addWidget(self.year_label)
        top.addWidget(self.year_box)
        layout.addLayout(top)

        self.pages = QStackedWidget()
        self.commune_page = self._commune_page()
        self.tabs = QTabWidget()
        self.units = UnitsPanel()
        self.units.unit_opened.connect(self.open_unit)
        self.ranking = RankingPanel(state)
        self.ranking.changed.connect(self.reload)
        self.ranking.status_message.connect(self.status_message)
        self.tabs.addTab(self.units, _("Units"))
        self.tabs.addTab(self.ranking, _("Ranking and publishing"))
        self.unit_page = UnitAppraisalPanel(state)
        self.unit_page.back.connect(self.show_units)
        self.unit_page.changed.connect(self.reload)
        self.unit_page.status_message.connect(self.status_message)
        for page in (self.commune_page, self.tabs, self.unit_page):
            self.pages.addWidget(page)
        layout.addWidget(self.pages, 1)
        self._show_year_box(False)
        self.refresh()

    def _commune_page(self) -> QWidget:
        """A commune's office types or imports its published result here (the appraising,
        ranking and publishing are the appraiser's, in its own copy of the program)."""
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        self.result_entry = ResultEntryPanel(self.state)
        self.result_entry.title.hide()  # the screen's heading says it, with the year
        self.result_entry.status_message.connect(self.status_message)
        box.addWidget(self.result_entry, 1)
        self.commune_text = QLabel(_(FOR_THE_APPRAISER))
        self.commune_text.setWordWrap(True)
        self.commune_text.setStyleSheet("color: #5f6b7a;")
        box.addWidget(self.commune_text)
        return page

    def _show_title(self) -> None:
        """The heading of the office's role: the appraiser's hub, or a commune's result."""
        title = _(screens.info(screens.APPRAISAL).for_role(self.is_appraiser)[0])
        view = self.state.view
        if not self.is_appraiser and view is not None:
            title = _("Published result {year}").format(year=view.info.year)
        self.title.setText(title)

    def _show_year_box(self, visible: bool) -> None:
        self.year_label.setVisible(visible)
        self.year_box.setVisible(visible)

    # -- loading -------------------------------------------------------------------
    @property
    def is_appraiser(self) -> bool:
        return getattr(self.state, "role", None) is Role.APPRAISER

    @property
    def loading(self) -> bool:
        return self._loading > 0

    def refresh(self) -> None:
        if not hasattr(self, "pages"):
            return
        self._show_title()
        if not self.is_appraiser and getattr(self.state, "role", None) is not None:
            self.pages.setCurrentWidget(self.commune_page)
            self._show_year_box(False)
            self.result_entry.load()
        if self.state.db is None:
            return
        self.reload()

    def reload(self) -> None:
        db = self.state.db
        if db is None:
            return
        year, today = self._wanted_year, self.state.today
        self._loading += 1

        def failed(exc: BaseException) -> None:
            self._loading -= 1

            dialogs.show_error(self, exc)

        OfficeOp(self.state, lambda office: load_hub(office, year, today)).success(
            self._loaded
        ).failure(failed).run()

    def _loaded(self, hub: Hub) -> None:
        self._loading -= 1
        self.hub = hub
        if hub.role is not Role.APPRAISER:
            self.pages.setCurrentWidget(self.commune_page)
            self._show_year_box(False)
            self.result_entry.load()
            self.hub_loaded.emit()
            return
        self._show_year_box(True)
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for year in hub.years:
            self.year_box.addItem(str(year), year)
        self.year_box.setCurrentIndex(max(self.year_box.findData(hub.year), 0))
        self.year_box.blockSignals(False)
        self.units.set_units(hub.units)
        self.ranking.issuer_name = hub.own_name
        self.ranking.set_units(hub.year, hub.units)
        if self.pages.currentWidget() is self.commune_page:
            self.pages.setCurrentWidget(self.tabs)
        self.year_shown.emit(hub.year)
        self.hub_loaded.emit()

    def _year_chosen(self, _index: int) -> None:
        year = self.year_box.currentData()
        if isinstance(year, int) and (self.hub is None or year != self.hub.year):
            self.unit_page.before_leave()
            self._wanted_year = year
            self.show_units()
            self.reload()

    # -- pages ---------------------------------------------------------------------
    def open_unit(self, unit_code: str) -> None:
        if self.hub is None:
            return
        self.unit_page.open_unit(self.hub.year, unit_code)
        self.pages.setCurrentWidget(self.unit_page)

    def show_units(self) -> None:
        if self.hub is not None and self.hub.role is Role.APPRAISER:
            self.pages.setCurrentWidget(self.tabs)
            self.tabs.setCurrentWidget(self.units)
            if self.unit_page.unit_code:
                self.units.select(self.unit_page.unit_code)

    def activate(self, **filters: Any) -> None:
        if "unit" in filters:
            self.open_unit(str(filters["unit"]))

    def before_leave(self) -> None:
        self.unit_page.before_leave()
