"""The signer of a document (Nghị định 30): how they sign, for whom, their position, name.

Used by the documents screen and by the default signer in Cài đặt. The printed lines are
always Vietnamese ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), so the mode keeps its
Vietnamese abbreviation beside the explanation in the screen's language.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from parapp.domain.remediation import Signer, SignMode
from parapp.domain.text import clean
from parapp.i18n import _


def _modes() -> list[tuple[SignMode, str]]:
    return [
        (SignMode.TM, _("TM. — on behalf of the People's Committee")),
        (SignMode.KT, _("KT. — a vice-chairman signs for the chairman")),
        (SignMode.Q, _("Q. — acting chairman")),
        (SignMode.TL, _("TL. — signed by order of the head")),
        (SignMode.TUQ, _("TUQ. — signed by authorisation of the head")),
        (SignMode.DIRECT, _("The head signs in their own name")),
    ]


class SignerFields(QWidget):
    """Rows for a QFormLayout-like block; ``edited`` on every change."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.mode = QComboBox()
        # Long explanations must not force the form wider than its column.
        self.mode.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.mode.setMinimumContentsLength(16)
        for mode, text in _modes():
            self.mode.addItem(text, mode.value)
        self.body = QLineEdit()
        self.body.setPlaceholderText("ỦY BAN NHÂN DÂN")
        self.head_title = QLineEdit()
        self.head_title.setPlaceholderText("CHỦ TỊCH")
        self.position = QLineEdit()
        self.position.setPlaceholderText("PHÓ CHỦ TỊCH")
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Full name, e.g. Nông Thị Hạnh"))
        self.head_label = QLabel(_("For (head's title):"))
        form.addRow(_("How they sign:"), self.mode)
        form.addRow(_("Body (TM.):"), self.body)
        form.addRow(self.head_label, self.head_title)
        form.addRow(_("Position:"), self.position)
        form.addRow(_("Name:"), self.name)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        for edit in (self.body, self.head_title, self.position, self.name):
            edit.textEdited.connect(self.edited)
        self._mode_changed()

    def _mode_changed(self) -> None:
        mode = SignMode(self.mode.currentData())
        needs_head = mode in (SignMode.KT, SignMode.Q, SignMode.TL, SignMode.TUQ)
        self.head_title.setEnabled(needs_head)
        self.head_label.setEnabled(needs_head)
        self.body.setEnabled(mode in (SignMode.TM, SignMode.KT, SignMode.Q))
        if not self.signalsBlocked():
            self.edited.emit()

    def set_signer(self, signer: Signer) -> None:
        self.blockSignals(True)
        try:
            index = self.mode.findData(signer.mode.value)
            self.mode.setCurrentIndex(max(index, 0))
            self.body.setText(signer.body)
            self.head_title.setText(signer.head_title)
            self.position.setText(signer.position)
            self.name.setText(signer.name)
        finally:
            self.blockSignals(False)
        self._mode_changed_quietly()

    def _mode_changed_quietly(self) -> None:
        self.blockSignals(True)
        try:
            self._mode_changed()
        finally:
            self.blockSignals(False)

    def signer(self) -> Signer:
        return Signer(
            mode=SignMode(self.mode.currentData()),
            body=clean(self.body.text()),
            head_title=clean(self.head_title.text()),
            position=clean(self.position.text()),
            name=clean(self.name.text()),
        )

    def set_read_only(self, read_only: bool) -> None:
        self.mode.setEnabled(not read_only)
        for edit in (self.body, self.head_title, self.position, self.name):
            edit.setReadOnly(read_only)
