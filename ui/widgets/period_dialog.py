""""Tạo kỳ đánh giá mới": the year and the criteria set of a new, empty self-assessment."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _
from parapp.services.carry_over import CarryOverResult, copy_last_year
from parapp.services.criteria import list_sets
from parapp.services.periods import new_period
from ui import dialogs, style
from ui.operations import OfficeOp
from ui.widgets.year_actions import carry_over_text

if TYPE_CHECKING:
    from parapp.domain.assessment import AssessmentInfo
    from parapp.services.criteria import SetSummary
    from parapp.services.office import Office
    from ui.state import AppState

SET_ROLE = 257  # (code, version) of the criteria set on a line


class NewPeriodDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, sets: list[SetSummary], year: int, has_earlier: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Create a new assessment period"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(2 * unit, 2 * unit, 2 * unit, 2 * unit)
        layout.setSpacing(unit)
        intro = QLabel(
            _(
                "The new self-assessment starts empty. Earlier years stay as they are; you "
                "can look at them again with the period selector at the top of the window."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setSpacing(unit)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        form.addRow(_("Year assessed:"), self.year)
        self.sets = QComboBox()
        self.sets.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sets.setMinimumContentsLength(40)
        for summary in sorted(sets, key=lambda s: s.id, reverse=True):  # the latest first
            text = _("{name} (version {version})").format(
                name=summary.name, version=summary.version
            )
            self.sets.addItem(text, (summary.code, summary.version))
            self.sets.setItemData(self.sets.count() - 1, text, 3)  # the whole name as tooltip
        form.addRow(_("Criteria set:"), self.sets)
        layout.addLayout(form)
        # Offered when there is a year to copy from; checked, since most criteria stay.
        self.copy_last = QCheckBox(
            _("Copy last year's declared data, explanations and evidence links")
        )
        self.copy_last.setChecked(has_earlier)
        self.copy_last.setVisible(has_earlier)
        layout.addWidget(self.copy_last)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.create_button = QPushButton(_("Create the period"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.accept)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.create_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        for label in self.findChildren(QLabel):
            style.room_for_marks(label)

    def chosen_set(self) -> tuple[str, int] | None:
        data = self.sets.currentData()
        return (str(data[0]), int(data[1])) if data else None


def start_new_period(
    parent: QWidget, state: AppState, years: list[int], on_created: Callable[[int], None]
) -> None:
    """Ask for the new period (the criteria sets are read first), then create it."""
    db = state.db
    if db is None:
        return

    def read_sets(office: Office) -> list[SetSummary]:
        return list_sets(office)

    def ask(sets: list[SetSummary]) -> None:
        if not sets:
            dialogs.warn(parent, _("No criteria set is loaded yet: load one in Settings."))
            return
        year = max(years, default=state.today.year - 1) + 1
        dialog = NewPeriodDialog(parent, sets, year, has_earlier=bool(years))
        dialog.accepted.connect(lambda: create(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def create(dialog: NewPeriodDialog) -> None:
        year = dialog.year.value()
        chosen = dialog.chosen_set()
        code, version = chosen if chosen else (None, None)

        earlier = [y for y in years if y < year]
        source = max(earlier) if dialog.copy_last.isChecked() and earlier else None

        def job(office: Office) -> tuple[AssessmentInfo, CarryOverResult | None]:
            info = new_period(office, year, code, version)
            copied = copy_last_year(office, info.year, source) if source is not None else None
            return info, copied

        def done(result: tuple[AssessmentInfo, CarryOverResult | None]) -> None:
            info, copied = result
            on_created(info.year)
            if copied is not None:
                # Not modal: the new year is on screen behind it already.
                dialogs.inform_later(parent, *carry_over_text(copied))

        OfficeOp(state, job).success(done).failure(lambda e: dialogs.show_error(parent, e)).run()

    OfficeOp(state, read_sets).success(ask).run()
