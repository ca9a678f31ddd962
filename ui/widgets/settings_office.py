"""Cài đặt, "Office profile": how printed documents head, number, date and sign for the
office. Each field shows its default (from the unit's kind and name) as a placeholder;
a field left empty follows that default. Saved a moment after the clerk stops typing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from parapp.domain.office import FIELDS, OfficeProfile
from parapp.domain.text import clean
from parapp.i18n import _
from parapp.services import office_profile
from ui import dialogs, style
from ui.operations import OfficeOp

if TYPE_CHECKING:
    from ui.state import AppState

SAVE_DELAY_MS = 600


def _load(db: Any) -> tuple[OfficeProfile, dict[str, str]]:
    """Runs on the worker thread: the defaults and the office's own choices."""
    return office_profile.defaults(db), office_profile.stored_choices(db)


class OfficeProfilePanel(QWidget):
    status_message = Signal(str)
    loaded = Signal()  # the fields show the stored profile (tests wait for it)
    saved = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._dirty = False
        self._saving = False  # a load answered before the save lands must not undo it
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(style.SPACING)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name, label in office_profile.labels().items():
            edit = QLineEdit()
            edit.setObjectName(f"office_{name}")
            edit.textEdited.connect(self._edited)
            self.fields[name] = edit
            form.addRow(label + ":", edit)
        layout.addLayout(form)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(self.preview)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save_now)

    def load(self) -> None:
        db = self.state.db
        if db is None or self._dirty:
            return
        OfficeOp(self.state, _load).success(self._loaded).failure(lambda _exc: None).run()

    def _loaded(self, found: tuple[OfficeProfile, dict[str, str]]) -> None:
        if self._dirty or self._saving:
            return  # the clerk typed meanwhile: her text wins
        defaults, own = found
        for name in FIELDS:
            edit = self.fields[name]
            edit.setPlaceholderText(getattr(defaults, name) or _("(none)"))
            edit.setText(own.get(name, ""))
        self._show(office_profile.merged(defaults, own))
        self.loaded.emit()

    def _show(self, profile: OfficeProfile) -> None:
        header = " / ".join(x for x in (profile.parent_body(), *profile.issuing_body()) if x)
        self.preview.setText(
            _("Documents are headed {header}, numbered …/{symbol}, signed {signer}.").format(
                header=header,
                symbol=profile.symbol("KH"),
                signer=" / ".join(
                    x for x in (profile.signer_authority, profile.signer_title) if clean(x)
                ),
            )
        )

    def _edited(self) -> None:
        self._dirty = True
        self.timer.start()

    def save_now(self) -> None:
        self.timer.stop()
        db = self.state.db
        if not self._dirty or db is None:
            return
        self._dirty = False
        self._saving = True
        changes = {name: edit.text() for name, edit in self.fields.items()}
        OfficeOp(self.state, lambda office: office_profile.set_profile(office, changes)).success(
            self._saved
        ).failure(self._failed).run()

    def _saved(self, profile: OfficeProfile) -> None:
        self._saving = False
        self.state.mark_saved()
        self._show(profile)
        self.load()  # the fields as stored (cleaned, upper-cased suffix)
        self.saved.emit()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        dialogs.show_error(self, exc)
