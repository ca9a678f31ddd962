"""Đồng bộ › Gửi: what to send, where to (the USB stick first), encrypted or not; the
package is written and read back on the worker thread, then shown in a SentCard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.assessment import AssessmentStatus
from parapp.domain.roles import PackageKind, Role
from parapp.i18n import N_, _, label
from parapp.services import sync_export
from ui import dialogs, preferences, style
from ui.operations import OfficeOp
from ui.widgets.sync_context import SyncContext, note
from ui.widgets.sync_drives import DestinationList, Volume
from ui.widgets.sync_sent import SentCard

if TYPE_CHECKING:
    from parapp.services.office import Office
    from parapp.services.sync_export import Exported
    from ui.state import AppState

SUBMITTABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED, AssessmentStatus.SUBMITTED)


@dataclass(frozen=True)
class Choice:
    kind: PackageKind
    title: str  # msgid; {year} is the year on screen
    detail: str  # msgid
    can_encrypt: bool = False


CHOICES: dict[Role, tuple[Choice, ...]] = {
    Role.COMMUNE: (
        Choice(
            PackageKind.SUBMISSION,
            N_("Self-assessment {year} (submission for appraisal)"),
            N_(
                "Scores, data, explanations, evidence files and the remediation plan of the "
                "submitted self-assessment (submit it on the Self-assessment screen first)."
            ),
            can_encrypt=True,
        ),
        Choice(
            PackageKind.PROGRESS,
            N_("Remediation progress report"),
            N_("The remediation plan with the progress recorded for each item."),
            can_encrypt=True,
        ),
        Choice(
            PackageKind.UNIT_CARD,
            N_("This unit's card (public keys)"),
            N_(
                "Sent once, when you start exchanging packages; tell the appraiser the key "
                "fingerprint by phone so they can check it."
            ),
        ),
    ),
    Role.APPRAISER: (
        Choice(
            PackageKind.RESULT,
            N_("Appraisal results of every unit, year:"),
            N_("One package per unit whose assessment is appraised, returned or published."),
        ),
        Choice(
            PackageKind.CRITERIA_SET,
            N_("The criteria set in use"),
            N_("For every unit under this appraiser."),
        ),
        Choice(
            PackageKind.UNIT_CARD,
            N_("This office's card (public keys)"),
            N_("For every unit under this appraiser; tell them the fingerprint by phone."),
        ),
    ),
}


class SendPanel(QWidget):
    status_message = Signal(str)
    sent = Signal(object)  # the list of Exported (tests and the history wait for it)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.context: SyncContext | None = None
        self.role: Role | None = None
        self.buttons: dict[str, QRadioButton] = {}
        self.details: dict[str, QLabel] = {}
        self.group = QButtonGroup(self)
        self.group.buttonToggled.connect(lambda *_args: self._update())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        unit = style.SPACING
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(unit)
        scroll.setWidget(inner)
        outer.addWidget(scroll)

        columns = QHBoxLayout()
        columns.setSpacing(2 * unit)
        self.what_box = QGroupBox(_("1. What to send"))
        self.what_layout = QGridLayout(self.what_box)
        self.what_layout.setVerticalSpacing(2)
        self.what_layout.setColumnStretch(1, 1)
        columns.addWidget(self.what_box, 1)
        where_box = QGroupBox(_("2. Where to write it"))
        where = QVBoxLayout(where_box)
        self.destinations = DestinationList()
        # The folder chosen last time is offered again, after any USB stick (listed first).
        last = preferences.last_folder(state.db_path, preferences.PACKAGES)
        if last is not None:
            self.destinations.add_folder(last)
        self.destinations.remember = lambda folder: preferences.remember_folder(
            state.db_path, preferences.PACKAGES, folder
        )
        self.destinations.chosen.connect(self._update)
        self.destinations.setMaximumHeight(132)
        where.addWidget(self.destinations)
        self.no_drive = note(
            _("No USB stick found. Plug one in (it appears here by itself), or choose a folder.")
        )
        where.addWidget(self.no_drive)
        self.encrypt = QCheckBox(_("Encrypt for the recipient"))
        where.addWidget(self.encrypt)
        columns.addWidget(where_box, 1)
        layout.addLayout(columns)
        where.addStretch(1)

        row = QHBoxLayout()
        self.write_button = QPushButton(_("Write the package"))
        self.write_button.setDefault(True)
        self.write_button.setMinimumHeight(36)
        self.write_button.setFont(style.scaled(self.write_button.font(), 1.1, bold=True))
        self.write_button.clicked.connect(self.write)
        row.addWidget(self.write_button)
        self.write_note = note()
        row.addWidget(self.write_note, 1)
        layout.addLayout(row)
        self.card = SentCard(state)
        self.card.status_message.connect(self.status_message)
        layout.addWidget(self.card)
        layout.addStretch(1)

        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setMaximumWidth(110)
        self._update()

    # -- context -------------------------------------------------------------------
    def set_context(self, context: SyncContext) -> None:
        self.context = context
        if context.role != self.role:
            self.role = context.role
            self._build_choices()
        if context.latest_year is not None and self.role is Role.APPRAISER:
            self.year.setValue(context.latest_year)
        self._update()

    def _build_choices(self) -> None:
        for button in self.group.buttons():
            self.group.removeButton(button)
        self.year.setParent(self)  # kept: its holder goes with the old choices
        while self.what_layout.count():
            taken = self.what_layout.takeAt(0)
            gone = taken.widget() if taken is not None else None
            if gone is not None:
                gone.deleteLater()
        self.buttons = {}
        self.details = {}
        row = 0
        for choice in CHOICES[self.role or Role.COMMUNE]:
            button = QRadioButton()
            style.room_for_marks(button)
            self.group.addButton(button)
            self.buttons[choice.kind] = button
            if choice.kind is PackageKind.RESULT:
                line = QHBoxLayout()
                line.setContentsMargins(0, 0, 0, 0)
                line.addWidget(button)
                line.addWidget(self.year)
                line.addStretch(1)
                self.year.show()
                holder = QWidget()
                holder.setLayout(line)
                self.what_layout.addWidget(holder, row, 0, 1, 2)
            else:
                self.what_layout.addWidget(button, row, 0, 1, 2)
            detail = note(_(choice.detail))
            detail.setContentsMargins(22, 0, 0, style.SPACING)
            self.what_layout.addWidget(detail, row + 1, 0, 1, 2)
            self.details[choice.kind] = detail
            row += 2
        first = next(iter(self.buttons.values()), None)
        view = self.state.view
        progress = self.buttons.get(PackageKind.PROGRESS)
        if view is not None and view.info.status not in SUBMITTABLE and progress is not None:
            first = progress  # nothing left to submit this year
        if first is not None:
            first.setChecked(True)

    def _choices(self) -> tuple[Choice, ...]:
        return CHOICES[self.role] if self.role else ()

    def _choice(self) -> Choice | None:
        kind = self.kind()
        for choice in self._choices():
            if choice.kind == kind:
                return choice
        return None

    def kind(self) -> str:
        for kind, button in self.buttons.items():
            if button.isChecked():
                return kind
        return ""

    def select_kind(self, kind: str) -> None:
        if kind in self.buttons:
            self.buttons[kind].setChecked(True)

    def _view_year(self) -> int | None:
        view = self.state.view
        return view.info.year if view is not None else None

    def _update(self) -> None:
        view = self.state.view
        year = self._view_year()
        for shown in self._choices():
            button = self.buttons.get(shown.kind)
            if button is not None:
                button.setText(_(shown.title).format(year=year or ""))
        detail = self.details.get(PackageKind.SUBMISSION)
        if view is not None and detail is not None:
            text = _(CHOICES[Role.COMMUNE][0].detail)
            if view.info.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
                text = _(
                    "The {year} self-assessment is not submitted yet: submit it on the "
                    "Self-assessment screen first, then write the package here."
                ).format(year=view.info.year)
            elif view.info.status not in SUBMITTABLE:
                text = _("The {year} assessment is already {status}: there is nothing to submit.")
                text = text.format(year=view.info.year, status=label(view.info.status))
            detail.setText(text)
        choice = self._choice()
        self.encrypt.setEnabled(bool(choice and choice.can_encrypt))
        if not self.encrypt.isEnabled():
            self.encrypt.setChecked(False)
            self.encrypt.setToolTip(
                _("Only a package for one unit can be encrypted; this one is not encrypted.")
            )
        else:
            self.encrypt.setToolTip(
                _(
                    "Only the recipient can open the package; who sent it and what it is "
                    "stay readable."
                )
            )
        destination = self.destinations.destination()
        self.no_drive.setVisible(not self.destinations.volumes)
        ready = choice is not None and destination is not None and self.state.db is not None
        self.write_button.setEnabled(ready)
        if destination is None:
            self.write_note.setText(_("Choose where to write the package."))
        else:
            self.write_note.setText(_("It will be written to {path}.").format(path=destination))

    def set_volumes(self, volumes: list[Volume]) -> None:
        self.destinations.set_volumes(volumes)
        self._update()

    # -- writing -------------------------------------------------------------------
    def write(self) -> None:
        db, kind, out = self.state.db, self.kind(), self.destinations.destination()
        if db is None or not kind or out is None:
            return
        # Writing never submits: an unsubmitted year is refused by the service, with why.
        year = self.year.value() if kind == PackageKind.RESULT else self._view_year()
        encrypt = self.encrypt.isChecked()

        def job(office: Office) -> list[Exported]:
            if kind == PackageKind.RESULT:
                assert year is not None
                return sync_export.export_all_results(office, out, year)
            return [sync_export.export(office, kind, out, year=year, encrypt=encrypt)]

        self.write_button.setEnabled(False)
        self.card.hide()
        OfficeOp(self.state, job, label=_("Writing the package…")).success(self._written).failure(
            self._failed
        ).run()

    def _written(self, exported: list[Exported]) -> None:
        self._update()
        if not exported:
            dialogs.inform(
                self,
                _(
                    "No unit's {year} assessment is appraised, returned or published yet: "
                    "there is no result to send."
                ).format(year=self.year.value()),
            )
            return
        context = self.context
        self.card.show_exported(exported, context.name_of if context else (lambda _c: ""))
        QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.card))
        self.status_message.emit(_("Package written and checked: you can remove the USB stick."))
        self.sent.emit(exported)

    def _failed(self, exc: BaseException) -> None:
        self._update()
        dialogs.show_error(self, exc)
