"""Who signs the appraiser's ranking: its director ("GIÁM ĐỐC") or a deputy for them
("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"). It starts from the office profile's head
(``parapp.services.appraiser_signer``), never a commune committee's signer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from parapp.domain.remediation import Signer
from parapp.i18n import _
from parapp.services.appraiser_signer import (
    MODES,
    appraiser_signer,
    set_appraiser_signer,
    signer_lines,
)
from ui import dialogs, style
from ui.operations import OfficeOp
from ui.widgets.document_signer import SignerFields

if TYPE_CHECKING:
    from ui.state import AppState

_KEYS = {mode: key for key, mode in MODES.items()}


class AppraiserSignerDialog(QDialog):
    def __init__(self, signer: Signer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Who signs the ranking"))
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        note = QLabel(
            _(
                "The ranking is signed by the head of the office (e.g. GIÁM ĐỐC), or by a "
                "deputy for them (KT. GIÁM ĐỐC, PHÓ GIÁM ĐỐC)."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.fields = SignerFields()
        self.fields.set_signer(signer)
        self.fields.edited.connect(self._preview)
        layout.addWidget(self.fields)
        self.preview = QLabel()
        self.preview.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
        layout.addWidget(self.preview)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._preview()

    def _preview(self) -> None:
        lines = " / ".join(signer_lines(self.fields.signer()))
        self.preview.setText(_("Printed above the signature: {lines}").format(lines=lines))

    def signer(self) -> Signer:
        return self.fields.signer()


def edit_appraiser_signer(
    parent: QWidget,
    state: AppState,
    shown: Callable[[AppraiserSignerDialog], None] | None = None,
) -> None:
    """Read the signer on the worker, let the appraiser change it, save it there
    (``shown`` gets the dialog once it is open)."""

    def save(signer: Signer) -> Any:
        def job(office: Any) -> Signer:
            return set_appraiser_signer(
                office,
                mode=_KEYS[signer.mode],
                body=signer.body,
                head_title=signer.head_title,
                position=signer.position,
                name=signer.name,
            )

        OfficeOp(state, job).success(lambda _s: state.mark_saved()).failure(
            lambda exc: dialogs.show_error(parent, exc)
        ).run()

    def show(signer: Signer) -> None:
        dialog = AppraiserSignerDialog(signer, parent)
        dialog.accepted.connect(lambda: save(dialog.signer()))
        dialog.open()
        if shown is not None:
            shown(dialog)

    OfficeOp(state, appraiser_signer).success(show).failure(
        lambda exc: dialogs.show_error(parent, exc)
    ).run()
