"""Đồng bộ › Khóa và dấu vân tay: this office's fingerprint (to read out on the phone), its
unit card, trusting another unit's card, and the keys trusted so far."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.roles import PackageKind
from parapp.i18n import _
from parapp.services import sync_export, sync_keys
from ui import dialogs, style
from ui.dialogs_sync import TrustCardDialog
from ui.models.sync_log import (
    KEY_FINGERPRINT,
    KEY_ROLE,
    KEY_TRUSTED_AT,
    KEY_UNIT,
    TrustedKeysModel,
    monospace,
)
from ui.operations import OfficeOp
from ui.widgets.sync_context import SyncContext, grouped, note
from ui.widgets.sync_drives import choose_folder

if TYPE_CHECKING:
    from parapp.services.office import Office
    from parapp.services.sync_export import Exported
    from parapp.services.sync_keys import Card
    from ui.state import AppState


def choose_card(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Choose the unit card"), "", _("Unit cards (*.cchc);;All files (*)")
    )
    return Path(name) if name else None


def run_trust_dialog(parent: QWidget, state: AppState, path: Path, card: Card) -> Card | None:
    dialog = TrustCardDialog(parent, state, path, card)
    return dialog.trusted if dialog.exec() == QDialog.DialogCode.Accepted else None


class KeysPanel(QWidget):
    status_message = Signal(str)
    changed = Signal()  # a card was exported or trusted: the screen reloads its context

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        # Dialogs a test answers without a person.
        self.ask_folder: Callable[[QWidget, str], Path | None] = choose_folder
        self.ask_card: Callable[[QWidget], Path | None] = choose_card
        self.trust_dialog: Callable[[QWidget, AppState, Path, Card], Card | None] = (
            run_trust_dialog
        )
        self.fingerprint = ""
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(2 * unit)

        own = QGroupBox(_("This office's key fingerprint"))
        own_layout = QVBoxLayout(own)
        own_layout.setSpacing(unit)
        own_layout.addWidget(
            note(
                _(
                    "Read it to the other side by phone when they trust your card; it is also "
                    "printed on every transfer slip. It is not secret."
                )
            )
        )
        row = QHBoxLayout()
        self.fingerprint_label = QLabel("—")
        font = monospace()
        font.setPointSizeF(self.font().pointSizeF() * 1.5)
        font.setBold(True)
        self.fingerprint_label.setFont(font)
        self.fingerprint_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.fingerprint_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.fingerprint_label.setStyleSheet("background: white; padding: 8px 12px;")
        row.addWidget(self.fingerprint_label)
        column = QVBoxLayout()
        self.copy_button = QPushButton(_("Copy"))
        self.copy_button.setToolTip(_("Copy the fingerprint, to paste it into an e-mail."))
        self.copy_button.clicked.connect(self.copy_fingerprint)
        self.card_button = QPushButton(_("Export the unit card…"))
        self.card_button.setToolTip(_("Write this office's card (its public keys) to a folder."))
        self.card_button.clicked.connect(self.export_card)
        column.addWidget(self.copy_button)
        column.addWidget(self.card_button)
        column.addStretch(1)
        row.addLayout(column)
        row.addStretch(1)
        own_layout.addLayout(row)
        layout.addWidget(own)

        others = QGroupBox(_("Keys this office trusts"))
        others_layout = QVBoxLayout(others)
        others_layout.setSpacing(unit)
        others_layout.addWidget(
            note(
                _(
                    "A package is accepted only if it is signed with a key trusted here. To "
                    "trust a unit, open its card and type the fingerprint it tells you."
                )
            )
        )
        self.model = TrustedKeysModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(KEY_UNIT, QHeaderView.ResizeMode.Stretch)
        for col in (KEY_ROLE, KEY_FINGERPRINT, KEY_TRUSTED_AT):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        others_layout.addWidget(self.table, 1)
        self.empty = note(
            _("No other unit's key is trusted yet. Press “Trust a unit card…” to add one.")
        )
        others_layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.trust_button = QPushButton(_("Trust a unit card…"))
        self.trust_button.clicked.connect(self.trust_card)
        buttons.addWidget(self.trust_button)
        buttons.addStretch(1)
        others_layout.addLayout(buttons)
        layout.addWidget(others, 1)

    def set_context(self, context: SyncContext) -> None:
        self.fingerprint = context.fingerprint
        self.fingerprint_label.setText(grouped(context.fingerprint, 8))
        self.model.set_keys(context.keys)
        self.empty.setVisible(not context.keys)
        self.table.setVisible(bool(context.keys))
        # The service may not say when a key was trusted: no column of dashes then.
        self.table.setColumnHidden(KEY_TRUSTED_AT, not any(k.trusted_at for k in context.keys))

    def copy_fingerprint(self) -> None:
        if self.fingerprint:
            QGuiApplication.clipboard().setText(self.fingerprint)
            self.status_message.emit(_("Fingerprint copied."))

    # -- the unit card -------------------------------------------------------------
    def export_card(self) -> None:
        db = self.state.db
        if db is None:
            return
        folder = self.ask_folder(self, _("Choose the folder for the unit card"))
        if folder is None:
            return

        def job(office: Office) -> Exported:
            return sync_export.export(office, PackageKind.UNIT_CARD, folder)

        OfficeOp(self.state, job, label=_("Writing the card…")).success(
            self._card_exported
        ).failure(self._failed).run()

    def _card_exported(self, exported: Exported) -> None:
        self.changed.emit()
        text = _(
            "The unit card was written to {path}. Give it to the other side and tell them its "
            "fingerprint by phone:"
        ).format(path=exported.info.path)
        self.status_message.emit(_("Unit card written: {path}").format(path=exported.info.path))
        dialogs.inform(self, text, grouped(exported.fingerprint, 8), title=_("Unit card"))

    # -- trusting a card -----------------------------------------------------------
    def trust_card(self) -> None:
        path = self.ask_card(self)
        if path is None:
            return

        def job() -> Card:
            return sync_keys.read_card(path)

        self.state.run(job, lambda card: self._card_read(path, card), self._failed)

    def _card_read(self, path: Path, card: Card) -> None:
        trusted = self.trust_dialog(self, self.state, path, card)
        if trusted is None:
            return
        self.changed.emit()
        self.status_message.emit(
            _("Trusted: {name} ({code}), fingerprint {fp}.").format(
                name=trusted.unit.name, code=trusted.unit.code, fp=trusted.fingerprint
            )
        )

    def _failed(self, exc: BaseException) -> None:
        dialogs.show_error(self, exc)
