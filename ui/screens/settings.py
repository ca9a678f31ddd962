"""Cài đặt: who the office is, who uses the program, who signs by default, the language,
backups and where the data lives. Fields are saved a moment after the clerk stops typing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.remediation import Signer
from parapp.domain.text import clean
from parapp.domain.units import Unit
from parapp.i18n import _, get_language
from parapp.services import setup
from parapp.services.office import Office, OfficePaths
from parapp.services.paths import describe_db
from ui import dialogs, preferences, screens, style
from ui.operations import OfficeOp
from ui.screens.base import Screen, heading, page_layout
from ui.state import AppState
from ui.widgets.document_signer import SignerFields
from ui.widgets.settings_backups import BackupsPanel
from ui.widgets.settings_departments import DepartmentsPanel
from ui.widgets.settings_office import OfficeProfilePanel
from ui.widgets.settings_server import ServerPanel
from ui.widgets.settings_unit import UnitFields

SAVE_DELAY_MS = 600
CLERK_KEY = "clerk_name"
LANGUAGE_KEY = "language"
LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))  # each in its own language


@dataclass(frozen=True)
class Stored:
    unit: Unit | None
    clerk: str
    signer: Signer | None
    language: str
    pad_ranks: bool = False


def load_settings(db: Any) -> Stored:
    """Runs on the worker thread."""
    return Stored(
        setup.own_unit_or_none(db),
        setup.get_setting(db, CLERK_KEY),
        setup.default_signer(db),
        setup.get_setting(db, LANGUAGE_KEY),
        setup.pad_ranks(db),
    )


def open_folder(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _group(title: str) -> tuple[QGroupBox, QVBoxLayout]:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setSpacing(style.SPACING)
    return box, layout


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6b7a;")
    return label


class SettingsScreen(Screen):
    key = screens.SETTINGS
    status_message = Signal(str)
    loaded = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.open_folder: Callable[[Path], None] = open_folder  # a test puts its own here
        self._dirty = False
        self._stale = True  # loaded when first shown
        self.stored: Stored | None = None
        layout = page_layout(self)
        layout.addWidget(heading(_("Settings")))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        columns = QHBoxLayout(inner)
        columns.setContentsMargins(0, 0, style.SPACING, 0)
        columns.setSpacing(2 * style.SPACING)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.setSpacing(style.SPACING)
        right.setSpacing(style.SPACING)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)

        box, box_layout = _group(_("Your unit"))
        self.unit = UnitFields()
        self.unit.edited.connect(self._edited)
        box_layout.addWidget(self.unit)
        left.addWidget(box)

        box, box_layout = _group(_("Who uses the program"))
        form = QFormLayout()
        self.clerk = QLineEdit()
        self.clerk.setPlaceholderText(_("Your full name"))
        self.clerk.textEdited.connect(self._edited)
        form.addRow(_("Clerk's name:"), self.clerk)
        box_layout.addLayout(form)
        box_layout.addWidget(_note(_("Recorded with the changes you make.")))
        left.addWidget(box)

        box, box_layout = _group(_("Default signer"))
        self.signer = SignerFields()
        self.signer.edited.connect(self._edited)
        box_layout.addWidget(self.signer)
        box_layout.addWidget(_note(_("New documents start with this signer.")))
        self.pad_ranks = QCheckBox(_("Write ranks with two digits (04/20)"))
        self.pad_ranks.setToolTip(
            _("As some decisions write them; otherwise ranks print as typed (4/20).")
        )
        self.pad_ranks.toggled.connect(self._edited)
        box_layout.addWidget(self.pad_ranks)
        left.addWidget(box)

        box, box_layout = _group(_("Office profile"))
        box_layout.addWidget(
            _note(_("How printed documents name the office. An empty field follows its kind."))
        )
        self.office = OfficeProfilePanel(state)
        box_layout.addWidget(self.office)
        left.addWidget(box)
        left.addStretch(1)

        box, box_layout = _group(_("Language"))
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Language of the program:")))
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.currentIndexChanged.connect(self._language_changed)
        row.addWidget(self.language)
        row.addStretch(1)
        box_layout.addLayout(row)
        self.language_note = _note(
            _(
                "The new language applies the next time the program is opened. Printed "
                "documents are always in Vietnamese."
            )
        )
        box_layout.addWidget(self.language_note)
        right.addWidget(box)

        box, box_layout = _group(_("Departments and officers"))
        self.departments = DepartmentsPanel(state)
        self.departments.status_message.connect(self.status_message)
        box_layout.addWidget(self.departments)
        right.addWidget(box)

        box, box_layout = _group(_("Backups"))
        self.backups = BackupsPanel(state)
        self.backups.status_message.connect(self.status_message)
        self.backups.setMinimumHeight(260)
        box_layout.addWidget(self.backups)
        right.addWidget(box, 1)

        box, box_layout = _group(_("Server (hub)"))
        box_layout.addWidget(_note(_(
            "An appraisal council's database on a PostgreSQL server, opened at the next "
            "start instead of the file on this computer."
        )))
        self.server = ServerPanel(state)
        self.server.status_message.connect(self.status_message)
        box_layout.addWidget(self.server)
        right.addWidget(box)

        box, box_layout = _group(_("Data folder"))
        form = QFormLayout()
        self.db_path_label = self._path_label()
        self.evidence_label = self._path_label()
        form.addRow(_("Database:"), self.db_path_label)
        form.addRow(_("Evidence files:"), self.evidence_label)
        box_layout.addLayout(form)
        self.open_button = QPushButton(_("Open folder"))
        self.open_button.setToolTip(_("Show the data folder in the file explorer."))
        self.open_button.clicked.connect(lambda: self.open_folder(self.state.db_path.parent))
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        box_layout.addLayout(row)
        box_layout.addWidget(
            _note(_("Copy this whole folder to keep everything: data, evidence and documents."))
        )
        right.addWidget(box)

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.save_now)
        self._show_paths()
        self.refresh()

    @staticmethod
    def _path_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _show_paths(self) -> None:
        paths = OfficePaths(self.state.db_path)
        self.db_path_label.setText(describe_db(paths.db))  # a server: its URL, masked
        self.evidence_label.setText(str(paths.evidence))

    # -- loading -------------------------------------------------------------------
    def refresh(self) -> None:
        db = self.state.db
        if db is None or not hasattr(self, "save_timer") or self._dirty:
            return
        if not self.isVisible():  # built at start, loaded when shown
            self._stale = True
            return
        self._stale = False
        OfficeOp(self.state, load_settings).success(self._loaded).run()
        self.backups.load()
        self.departments.load()
        self.office.load()

    def activate(self, **filters: Any) -> None:
        if self._stale:
            self.refresh()

    def _loaded(self, stored: Stored) -> None:
        if self._dirty:
            return  # the clerk typed meanwhile: her text wins
        self.stored = stored
        self.unit.set_unit(stored.unit)
        self.clerk.setText(stored.clerk)
        self.signer.set_signer(stored.signer or Signer())
        self.pad_ranks.blockSignals(True)
        self.pad_ranks.setChecked(stored.pad_ranks)
        self.pad_ranks.blockSignals(False)
        language = stored.language or get_language()
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        self.language.blockSignals(False)
        self.loaded.emit()

    # -- saving --------------------------------------------------------------------
    def _edited(self) -> None:
        self._dirty = True
        self.save_timer.start()

    def save_now(self) -> None:
        self.save_timer.stop()
        db = self.state.db
        if not self._dirty or db is None:
            return
        self._dirty = False
        unit = self.unit.edited_unit()
        clerk = clean(self.clerk.text())
        signer = self.signer.signer()
        signer_changed = self.stored is None or signer != (self.stored.signer or Signer())
        padded = self.pad_ranks.isChecked()

        def job(office: Office) -> None:
            if unit is not None:
                setup.save_unit(office, unit, is_self=True)
            setup.set_setting(office, CLERK_KEY, clerk)
            if signer_changed:
                setup.set_default_signer(office, signer)
            setup.set_pad_ranks(office, padded)

        OfficeOp(self.state, job).success(self._saved).failure(self._failed).run()

    def _saved(self, _result: object) -> None:
        self.state.mark_saved()
        if self.stored is not None:
            self.stored = Stored(
                self.unit.edited_unit() or self.stored.unit,
                clean(self.clerk.text()),
                self.signer.signer(),
                self.stored.language,
                self.pad_ranks.isChecked(),
            )
        if self.stored is not None and self.stored.unit is not None:
            view = self.state.view
            if view is not None and view.info.unit_name != self.stored.unit.name:
                self.state.reload()  # the header and documents show the unit's name

    def _failed(self, exc: BaseException) -> None:
        dialogs.show_error(self, exc)

    def _language_changed(self) -> None:
        db = self.state.db
        code = self.language.currentData()
        if db is None:
            return
        # Start-up reads the language from the file beside the database before opening it:
        # written now, one restart is enough (it used to be written at the next start only).
        with contextlib.suppress(OSError):  # a read-only folder: the database still has it
            preferences.set_language(self.state.db_path, code)
        OfficeOp(self.state, lambda office: setup.set_setting(office, LANGUAGE_KEY, code)).success(
            self._language_saved
        ).run()

    def _language_saved(self, _result: object) -> None:
        self.state.mark_saved()
        self.status_message.emit(_("The language will change when the program is next opened."))

    def before_leave(self) -> None:
        if self._dirty:
            self.save_now()
        self.office.save_now()
