"""After a package is written: what was written (file, size, SHA-256, fingerprint), the
words "you can remove the USB stick", and the transfer slip (phiếu giao nhận) to print."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _
from parapp.services import sync_slip
from parapp.services.sync_words import word
from ui import dialogs, preferences, style
from ui.models.sync_log import monospace
from ui.operations import OfficeOp
from ui.widgets.document_output import ask_print, print_pdf
from ui.widgets.sync_context import grouped
from ui.widgets.sync_drives import choose_folder, size_text

if TYPE_CHECKING:
    from parapp.services.sync_export import Exported
    from ui.state import AppState

# (parent, caption, suggested path, filter) -> the chosen path, "" when cancelled
SavePath = Callable[[QWidget, str, str, str], str]


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, _chosen = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return path


def open_with_system(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def counts_text(exported: Exported) -> str:
    counts = exported.counts
    if "nodes" in counts:
        return _("{n} criteria and groups").format(n=counts["nodes"])
    if not counts:
        return _("the public keys of this unit")
    parts = [
        _("{n} scores").format(n=counts["scores"]) if counts.get("scores") else "",
        _("{n} evidence files").format(n=counts["evidence"]) if counts.get("evidence") else "",
        _("{n} plan items").format(n=counts["items"]) if counts.get("items") else "",
    ]
    return ", ".join(p for p in parts if p) or "—"


def _value(text: str = "", mono: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if mono:
        label.setFont(monospace())
    style.room_for_marks(label)
    return label


class SentCard(QFrame):
    """The proof that the package is on the stick, and the slip that goes with it."""

    status_message = Signal(str)
    slip_written = Signal(object)  # the PDF's path (tests wait for it)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.ask_save_path: SavePath = ask_save_path  # a test answers these without a person
        self.ask_folder: Callable[[QWidget, str], Path | None] = choose_folder
        self.open_file: Callable[[Path], bool] = open_with_system
        self.ask_print: Callable[[QWidget, QPrinter], bool] = ask_print
        self.exported: list[Exported] = []
        self.setObjectName("sentCard")
        self.setStyleSheet(
            "#sentCard { background: #eef7ee; border: 1px solid #9cc79c; border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(2 * unit, unit + 4, 2 * unit, unit + 4)
        layout.setSpacing(unit)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setFont(style.scaled(self.title.font(), 1.15, bold=True))
        self.title.setStyleSheet("color: #1e6b2a;")
        style.room_for_marks(self.title)
        layout.addWidget(self.title)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(2 * unit)
        self.file = _value()
        self.size_label = _value()
        self.recipient = _value()
        self.contents = _value()
        self.sha = _value(mono=True)
        self.fingerprint = _value(mono=True)
        self.form.addRow(_("File:"), self.file)
        self.form.addRow(_("Size:"), self.size_label)
        self.form.addRow(_("For:"), self.recipient)
        self.form.addRow(_("Contents:"), self.contents)
        self.form.addRow(_("SHA-256 of the file:"), self.sha)
        self.form.addRow(_("Key fingerprint:"), self.fingerprint)
        layout.addLayout(self.form)
        self.hint = QLabel(
            _(
                "Print the transfer slip, sign it and hand it over with the stick: the "
                "receiver checks the SHA-256 and the fingerprint against it."
            )
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        self.slip_button = QPushButton(_("Print the transfer slip…"))
        self.slip_button.clicked.connect(self.print_slip)
        self.folder_button = QPushButton(_("Open the folder"))
        self.folder_button.clicked.connect(self._open_folder)
        buttons.addWidget(self.slip_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.hide()

    # -- showing -------------------------------------------------------------------
    def show_exported(self, exported: list[Exported], names: Callable[[str], str]) -> None:
        self.exported = list(exported)
        first = exported[0]
        path = first.info.path
        if len(exported) == 1:
            self.title.setText(
                _(
                    "The package {file} was written and checked again. You can remove the "
                    "USB stick."
                ).format(file=path.name)
            )
            self.file.setText(str(path))
            self.size_label.setText(size_text(first.info.size))
            self.recipient.setText(self._recipient(first, names))
            self.contents.setText(f"{word(first.kind)}: {counts_text(first)}")
            self.sha.setText(grouped(first.info.sha256, 8))
        else:
            self.title.setText(
                _(
                    "{n} packages were written to {folder} and checked again. You can remove "
                    "the USB stick."
                ).format(n=len(exported), folder=path.parent)
            )
            self.file.setText("\n".join(e.info.path.name for e in exported))
            self.size_label.setText(size_text(sum(e.info.size for e in exported)))
            self.recipient.setText(", ".join(self._recipient(e, names) for e in exported))
            self.contents.setText(word(first.kind))
            self.sha.setText(_("one per file: see each transfer slip"))
        self.fingerprint.setText(grouped(first.fingerprint, 8))
        self.show()

    @staticmethod
    def _recipient(exported: Exported, names: Callable[[str], str]) -> str:
        code = exported.recipient
        if code.startswith("*/"):
            return _("every unit under this appraiser")
        name = names(code)
        return f"{name} ({code})" if name else code

    def _open_folder(self) -> None:
        if self.exported:
            self.open_file(self.exported[0].info.path.parent)

    # -- the slip ------------------------------------------------------------------
    def print_slip(self) -> None:
        db = self.state.db
        if db is None or not self.exported:
            return
        packages = [e.info.path for e in self.exported]
        if len(packages) == 1:
            start = preferences.start_folder(
                self.state.db_path, preferences.DOCUMENTS, documents_folder()
            )
            suggested = start / f"phieu-giao-nhan-{packages[0].stem}.pdf"
            chosen = self.ask_save_path(
                self, _("Save the transfer slip"), str(suggested), _("PDF files (*.pdf)")
            )
            if not chosen:
                return
            out = Path(chosen)
            targets = [(packages[0], out if out.suffix else out.with_suffix(".pdf"))]
            preferences.remember_folder(self.state.db_path, preferences.DOCUMENTS, out.parent)
        else:
            folder = self.ask_folder(self, _("Choose the folder for the transfer slips"))
            if folder is None:
                return
            preferences.remember_folder(self.state.db_path, preferences.DOCUMENTS, folder)
            targets = [(p, folder / f"phieu-giao-nhan-{p.stem}.pdf") for p in packages]

        def job(office: Any) -> list[Path]:
            return [sync_slip.write_slip(office, package, out) for package, out in targets]

        self.slip_button.setEnabled(False)
        OfficeOp(self.state, job, label=_("Writing the slip…")).success(self._slip_done).failure(
            self._slip_failed
        ).run()

    def _slip_done(self, written: list[Path]) -> None:
        self.slip_button.setEnabled(True)
        shown: Any = written[0] if len(written) == 1 else written[0].parent
        self.status_message.emit(_("Transfer slip saved: {path}").format(path=shown))
        self._print(written)
        self.slip_written.emit(shown)

    def _print(self, slips: list[Path]) -> None:
        """Send the saved slips to the printer the clerk picks (the button says "print": it
        used to open the file only)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(slips[0].stem)
        if not self.ask_print(self, printer):
            return
        pages = 0
        for slip in slips:
            document = QPdfDocument(self)
            try:
                if document.load(str(slip)) != QPdfDocument.Error.None_:
                    raise OSError(_("The slip {path} could not be read.").format(path=slip))
                pages += print_pdf(document, printer)
            except OSError as exc:
                dialogs.show_error(self, exc)
                return
            finally:
                document.close()
        self.status_message.emit(_("Sent {n} pages to the printer.").format(n=pages))

    def _slip_failed(self, exc: BaseException) -> None:
        self.slip_button.setEnabled(True)
        dialogs.show_error(self, exc)
