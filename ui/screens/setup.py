"""First run: say who the office is, load a criteria set and start the first assessment.

Shown instead of the screens when there is no data file yet, or the database does not say
which unit it belongs to (or a commune has no assessment yet). One page, four numbered
steps, one button; the work runs on the database thread, then the window loads normally.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.roles import Role
from parapp.domain.text import clean
from parapp.domain.units import Unit, UnitKind
from parapp.i18n import _, message, ngettext
from parapp.services.periods import first_run
from parapp.services.units_catalog import (
    Catalog,
    CatalogEntry,
    Province,
    load_catalog,
    official_unit,
)
from ui import style
from ui.models.unit_search import UnitSearchModel
from ui.screens.base import Screen, heading
from ui.state import AppState

if TYPE_CHECKING:
    from parapp.domain.units import Unit
    from parapp.services.office import Office

FORM_WIDTH = 860


def appraiser_of(province: Province) -> str:
    """Since July 2025 a commune is appraised by its province's Sở Nội vụ."""
    name = province.name
    return f"Sở Nội vụ {name[0].lower()}{name[1:]}"


class SetupScreen(Screen):
    key = "setup"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.catalog: Catalog | None = None
        self.chosen: CatalogEntry | None = None
        self.existing: Unit | None = None
        self.busy = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        row = QHBoxLayout(page)
        row.addStretch(1)
        column = QWidget()
        column.setMaximumWidth(FORM_WIDTH)
        row.addWidget(column, 100)
        row.addStretch(1)
        layout = QVBoxLayout(column)
        unit = style.SPACING
        layout.setContentsMargins(2 * unit, 2 * unit, 2 * unit, 2 * unit)
        layout.setSpacing(unit + 4)
        layout.addWidget(heading(_("Set up the program")))
        self.intro = QLabel(
            _(
                "The program does not know your office yet. Say who you are, choose the "
                "criteria set and the year: this is done once, and everything can be "
                "changed later in Settings."
            )
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        layout.addWidget(self._role_box())
        layout.addWidget(self._unit_box())
        layout.addWidget(self._criteria_box())
        layout.addWidget(self._year_box())
        layout.addStretch(1)
        outer.addWidget(self._footer())
        for label in self.findChildren(QLabel):
            style.room_for_marks(label)
        self._role_changed()
        self.state.run(load_catalog, self._catalog_loaded)

    def _footer(self) -> QWidget:
        """What is missing and the one button, always in view below the steps."""
        footer = QWidget()
        footer.setObjectName("setupFooter")
        footer.setStyleSheet("#setupFooter { border-top: 1px solid #d5dbe3; }")
        row = QHBoxLayout(footer)
        unit = style.SPACING
        row.setContentsMargins(2 * unit, unit, 2 * unit, unit)
        row.setSpacing(2 * unit)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {style.ERROR_TEXT.name()};")
        row.addWidget(self.error, 1)
        self.start_button = QPushButton(_("Start using the program"))
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(34)
        self.start_button.setMinimumWidth(200)
        self.start_button.clicked.connect(self.finish)
        row.addWidget(self.start_button)
        return footer

    # -- the four steps ------------------------------------------------------------
    def _role_box(self) -> QGroupBox:
        box = QGroupBox(_("1. Who uses the program"))
        layout = QHBoxLayout(box)
        self.role_commune = QRadioButton(_("Commune or ward (self-assessment)"))
        self.role_appraiser = QRadioButton(_("Appraising office (Department of Home Affairs)"))
        self.role_commune.setChecked(True)
        self.roles = QButtonGroup(self)
        for button in (self.role_commune, self.role_appraiser):
            self.roles.addButton(button)
            layout.addWidget(button)
        layout.addStretch(1)
        self.roles.buttonToggled.connect(lambda *_args: self._role_changed())
        return box

    def _unit_box(self) -> QGroupBox:
        box = QGroupBox(_("2. Your office, from the official list of units"))
        layout = QVBoxLayout(box)
        layout.setSpacing(style.SPACING)
        self.existing_label = QLabel("")
        self.existing_label.setWordWrap(True)
        self.existing_label.hide()
        layout.addWidget(self.existing_label)
        search = QHBoxLayout()
        self.province = QComboBox()
        self.province.addItem(_("All provinces and cities"), "")
        self.province.setMinimumContentsLength(22)
        self.province.currentIndexChanged.connect(lambda _row: self._search())
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            _("Type the name, with or without marks, e.g. phuong ba dinh")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _text: self._search())
        self.search_label = QLabel(_("Commune or ward:"))
        search.addWidget(QLabel(_("Province:")))
        search.addWidget(self.province)
        search.addSpacing(style.SPACING)
        search.addWidget(self.search_label)
        search.addWidget(self.search_edit, 1)
        layout.addLayout(search)
        self.model = UnitSearchModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setFixedHeight(5 * (self.fontMetrics().height() + 4) + 8)
        self.results.setUniformItemSizes(True)
        self.results.selectionModel().currentChanged.connect(
            lambda index, _previous: self._pick(index.row())
        )
        layout.addWidget(self.results)
        self.hint = QLabel(_("Loading the list of units…"))
        self.hint.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        form = QFormLayout()
        self.office_name = QLineEdit()
        self.office_label = QLabel(_("Appraised by:"))
        form.addRow(self.office_label, self.office_name)
        layout.addLayout(form)
        return box

    def _criteria_box(self) -> QGroupBox:
        box = QGroupBox(_("3. Criteria set"))
        layout = QVBoxLayout(box)
        self.use_sample = QRadioButton(
            _("The built-in sample set (to try the program; not an official set)")
        )
        self.use_file = QRadioButton(
            _("A criteria-set file (.json or .xlsx) sent by the Department of Home Affairs:")
        )
        self.use_sample.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.use_sample)
        group.addButton(self.use_file)
        layout.addWidget(self.use_sample)
        layout.addWidget(self.use_file)
        row = QHBoxLayout()
        row.setContentsMargins(3 * style.SPACING, 0, 0, 0)
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(_("No file chosen"))
        self.file_edit.textChanged.connect(self._file_typed)
        browse = QPushButton(_("Choose a file…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        return box

    def _year_box(self) -> QGroupBox:
        self.year_box = QGroupBox(_("4. First assessment"))
        form = QFormLayout(self.year_box)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.state.today.year)
        self.year.setMaximumWidth(120)
        form.addRow(_("Year assessed:"), self.year)
        return self.year_box

    # -- reacting ------------------------------------------------------------------
    def refresh(self) -> None:
        """Show what the database already has (a unit recorded by an earlier start)."""
        snapshot = self.state.snapshot
        status = snapshot.setup if snapshot is not None else None
        if status is None or status.unit is None:
            return
        self.existing = status.unit
        self.existing_label.setText(
            _("This database belongs to {name} (code {code}).").format(
                name=status.unit.name, code=status.unit.code
            )
        )
        self.existing_label.show()
        appraiser = status.role is Role.APPRAISER
        (self.role_appraiser if appraiser else self.role_commune).setChecked(True)
        for widget in (self.role_commune, self.role_appraiser, self.province, self.search_edit):
            widget.setEnabled(False)
        self.results.hide()
        self.hint.hide()
        self.office_name.setText(status.unit.appraiser_name)
        self.office_name.setEnabled(False)

    @property
    def role(self) -> Role:
        return Role.APPRAISER if self.role_appraiser.isChecked() else Role.COMMUNE

    def _role_changed(self) -> None:
        commune = self.role is Role.COMMUNE
        self.search_label.setVisible(commune)
        self.search_edit.setVisible(commune)
        self.results.setVisible(commune and self.existing is None)
        self.year_box.setVisible(commune)
        self.office_label.setText(_("Appraised by:") if commune else _("Name of your office:"))
        self._search()
        self._fill_office()

    def _catalog_loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        for province in catalog.provinces:
            self.province.addItem(province.name, province.code)
        self.model.set_catalog(catalog)
        self._search()

    def _search(self) -> None:
        self.model.set_filter(self.search_edit.text(), self.province.currentData() or "")
        if self.catalog is None:
            return
        total = self.model.total
        if self.role is Role.APPRAISER:
            self.hint.setText(_("Choose your province or city above."))
        elif total == 0 and not self.search_edit.text().strip():
            self.hint.setText(_("Type a few letters of the name of your commune or ward."))
        elif total == 0:
            self.hint.setText(_("No unit has this name. Check the spelling or the province."))
        else:
            found = ngettext("{n} unit found: click it.", "{n} units found: click yours.", total)
            self.hint.setText(found.format(n=total))
        if self.chosen is not None:
            row = self.model.row_of(self.chosen.code)
            if row >= 0:
                self.results.setCurrentIndex(self.model.index(row))
        self._fill_office()

    def _pick(self, row: int) -> None:
        entry = self.model.entry(row)
        if entry is not None:
            self.chosen = entry
            self.office_name.setText(appraiser_of(entry.province))
            self.error.setText("")

    def _fill_office(self) -> None:
        if self.existing is not None:
            return
        if self.role is Role.APPRAISER:
            code = self.province.currentData()
            province = self._province(code) if code else None
            self.office_name.setText(appraiser_of(province) if province else "")
        elif self.chosen is not None:
            self.office_name.setText(appraiser_of(self.chosen.province))
        else:
            self.office_name.setText("")

    def _province(self, code: str) -> Province | None:
        provinces = self.catalog.provinces if self.catalog else []
        return next((p for p in provinces if p.code == code), None)

    def _file_typed(self, text: str) -> None:
        if text:  # typing a path chooses "from a file"
            self.use_file.setChecked(True)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the criteria-set file"), "", _("Criteria sets (*.json *.xlsx)")
        )
        if path:
            self.file_edit.setText(path)
            self.use_file.setChecked(True)

    # -- finishing -----------------------------------------------------------------
    def problem(self) -> str:
        """What is still missing, in words; empty when the page can be finished."""
        if self.existing is None:
            if self.role is Role.COMMUNE and self.chosen is None:
                return _("Choose your commune or ward in the list (step 2).")
            if self.role is Role.APPRAISER and not self.province.currentData():
                return _("Choose your province or city (step 2).")
            if not clean(self.office_name.text()):
                return _("Type the name of the appraising office (step 2).")
        if self.use_file.isChecked() and not self.file_edit.text().strip():
            return _("Choose the criteria-set file, or use the sample set (step 3).")
        return ""

    def finish(self) -> None:
        if self.busy:
            return
        missing = self.problem()
        self.error.setText(missing)
        if missing:
            return
        path, db, role = self.state.db_path, self.state.db, self.role
        chosen, office = self.chosen, clean(self.office_name.text())
        province = self._province(self.province.currentData() or "")
        criteria_file = Path(self.file_edit.text().strip()) if self.use_file.isChecked() else None
        year = self.year.value()

        existing = self.existing

        def job() -> Office:
            unit = existing or _unit_for(role, chosen, province, office)
            return first_run(path, db, unit, role, criteria_file, year)

        self.busy = True
        self.start_button.setEnabled(False)
        self.state.run(job, self._done, self._failed, label=_("Setting up…"))

    def _done(self, db: Office) -> None:
        self.busy = False
        self.state.adopt(db)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.start_button.setEnabled(True)
        if isinstance(exc, OSError) and not hasattr(exc, "template"):
            self.error.setText(_("The file could not be read: {reason}").format(reason=exc))
        else:
            self.error.setText(message(exc))


def _unit_for(
    role: Role, chosen: CatalogEntry | None, province: Province | None, office: str
) -> Unit:
    """The unit to record (runs on the worker: the official list is looked up there)."""
    if role is Role.APPRAISER:
        assert province is not None
        return Unit(province.code, office, UnitKind.DEPARTMENT, province_name=province.name)
    assert chosen is not None
    base = official_unit(chosen.code)
    assert base is not None
    return Unit(
        code=base.code,
        name=base.name,
        kind=base.kind,
        appraiser_code=base.appraiser_code,
        appraiser_name=office,
        province_name=base.province_name,
    )
