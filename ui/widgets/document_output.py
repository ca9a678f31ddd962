"""Getting a document out: printing the previewed PDF, choosing where to save, and asking
for the certificate to sign with. The dialogs are plain functions the screen holds, so a
test can answer them without a person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _
from ui import style

MAX_PRINT_DPI = 300

# (parent, printer) -> True when the user chose to print
PrintDialog = Callable[[QWidget, QPrinter], bool]
# (parent, caption, suggested path, filter) -> the chosen path, "" when cancelled
SavePath = Callable[[QWidget, str, str, str], str]


def ask_print(parent: QWidget, printer: QPrinter) -> bool:
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print"))
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, _chosen = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return path


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Print every page of ``document`` to ``printer``; returns the pages printed.

    Each page is rendered at the printer's resolution (300 dpi at most: enough for text,
    and an A4 page stays under 40 MB of image) and scaled into its printable area."""
    count = document.pageCount()
    if count == 0:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("The printer could not be started."))
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        options = QPdfDocumentRenderOptions()
        for page in range(count):
            if page > 0:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = document.render(page, size, options)
            white = QImage(image.size(), QImage.Format.Format_RGB32)
            white.fill(Qt.GlobalColor.white)  # pdfium leaves the paper transparent
            with_paper = QPainter(white)
            with_paper.drawImage(0, 0, image)
            with_paper.end()
            area = painter.viewport()
            scaled = white.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), scaled), white)
    finally:
        painter.end()
    return count


@dataclass(frozen=True)
class SignRequest:
    p12: Path
    passphrase: bytes | None
    out: Path


class SignDialog(QDialog):
    """The certificate file (.p12/.pfx), its passphrase and where the signed copy goes."""

    def __init__(self, parent: QWidget | None, suggested_out: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign digitally"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        intro = QLabel(
            _(
                "The issued PDF is signed with your digital certificate file (.p12 or .pfx). "
                "The signed copy is saved where you choose; the issued document stays as it is."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.p12 = QLineEdit()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.out = QLineEdit(suggested_out)
        form.addRow(_("Certificate file:"), self._with_browse(self.p12, self._browse_p12))
        form.addRow(_("Passphrase:"), self.passphrase)
        form.addRow(_("Save the signed copy as:"), self._with_browse(self.out, self._browse_out))
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.sign_button = buttons.addButton(_("Sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.p12.textChanged.connect(self._check)
        self.out.textChanged.connect(self._check)
        self._check()

    def _with_browse(self, edit: QLineEdit, slot: Callable[[], None]) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(edit, 1)
        button = QPushButton(_("Choose…"))
        button.clicked.connect(slot)
        line.addWidget(button)
        return row

    def _browse_p12(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(
            self, _("Certificate file"), "", _("Certificate files (*.p12 *.pfx)")
        )
        if path:
            self.p12.setText(path)

    def _browse_out(self) -> None:
        path = ask_save_path(self, _("Save the signed copy"), self.out.text(), _("PDF (*.pdf)"))
        if path:
            self.out.setText(path)

    def _check(self) -> None:
        self.sign_button.setEnabled(bool(self.p12.text().strip() and self.out.text().strip()))

    def request(self) -> SignRequest:
        secret = self.passphrase.text()
        out = Path(self.out.text().strip())
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        return SignRequest(
            Path(self.p12.text().strip()), secret.encode("utf-8") if secret else None, out
        )


# (parent, suggested output) -> what to sign with, None when cancelled
AskSigning = Callable[[QWidget, str], SignRequest | None]


def ask_signing(parent: QWidget, suggested_out: str) -> SignRequest | None:
    dialog = SignDialog(parent, suggested_out)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.request()
