"""Kiểm tra bản giấy: which issued document a paper copy is, from a scan of its last page or
the text a phone's QR reader gave (parapp.services.paper, as 'parapp verify-paper')."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _, message
from parapp.services import paper
from ui import style
from ui.operations import OfficeOp
from ui.state import AppState

if TYPE_CHECKING:
    from parapp.services.office import Office

AskScan = Callable[[QWidget], str]
OK_COLOUR = "#1e6b34"
SUPERSEDED_COLOUR = "#8a5a00"  # genuine, but a later revision is in force
BAD_COLOUR = "#a12a2a"


def ask_scan(parent: QWidget) -> str:
    path, _chosen = QFileDialog.getOpenFileName(
        parent,
        _("Open a scan of the last page"),
        "",
        _("Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp)"),
    )
    return path


class PaperCheckDialog(QDialog):
    checked = Signal()  # a result or a refusal is on screen (tests wait for it)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.ask_scan: AskScan = ask_scan  # a test replaces it with its own answer
        self.setWindowTitle(_("Check a paper copy"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        intro = QLabel(
            _(
                "An issued document carries a QR code on its last page. Open a scan or a photo "
                "of that page, or paste the text a phone's QR reader shows."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(_("PARAPP/1 VB DV:… SO:… NGAY:… ID:… SHA256:…"))
        self.text.setFixedHeight(72)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.open_button = QPushButton(_("Open a scan…"))
        self.open_button.clicked.connect(self.open_scan)
        self.check_button = QPushButton(_("Check the text"))
        self.check_button.clicked.connect(self.check_text)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.open_button)
        row.addWidget(self.check_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setMinimumHeight(90)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        style.room_for_marks(self.answer)
        layout.addWidget(self.answer)
        self.code = 0

    def open_scan(self) -> None:
        chosen, db = self.ask_scan(self), self.state.db
        if chosen and db is not None:
            path = Path(chosen)
            self._run(lambda office: paper.verify_file(office, path))

    def check_text(self) -> None:
        text, db = self.text.toPlainText().strip(), self.state.db
        if not text:
            self._show([_("Paste the text of the QR code first, or open a scan.")], 1)
            return
        if db is not None:
            self._run(lambda office: paper.verify_text(office, text))

    def _run(self, job: Callable[[Office], paper.PaperCheck]) -> None:
        self.answer.setText(_("Checking…"))
        for button in (self.open_button, self.check_button):
            button.setEnabled(False)
        OfficeOp(self.state, job, label=_("Checking the paper copy…")).success(self._done).failure(
            self._failed
        ).run()

    def _done(self, check: paper.PaperCheck) -> None:
        lines, code = paper.describe(check)
        self._show(lines, code)

    def _failed(self, exc: BaseException) -> None:
        self._show([message(exc)], 1)

    def _show(self, lines: list[str], code: int) -> None:
        self.code = code
        for button in (self.open_button, self.check_button):
            button.setEnabled(True)
        colour = {0: OK_COLOUR, paper.EXIT_SUPERSEDED: SUPERSEDED_COLOUR}.get(code, BAD_COLOUR)
        self.answer.setStyleSheet(f"color: {colour};")
        self.answer.setText("\n".join(lines))
        self.checked.emit()
