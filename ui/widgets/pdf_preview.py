"""An in-app PDF preview: every page, one under the other, fitted to the width.

The PDF arrives as bytes rendered on the worker thread. QPdfDocument reads it from a file
in a private temporary folder: a new name each time, because Windows keeps a loaded file
open and it could not be overwritten.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _, ngettext
from ui import style

ZOOM_STEP = 1.2


class PdfPreview(QWidget):
    """Shows PDF bytes; ``data`` keeps them for printing and saving."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: bytes = b""
        self._folder = Path(tempfile.mkdtemp(prefix="parapp-preview-"))
        self._names = itertools.count(1)
        self._loaded: Path | None = None
        folder = self._folder  # not self: the slot runs while the widget is being destroyed
        self.destroyed.connect(lambda: shutil.rmtree(folder, ignore_errors=True))
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #8a939e; }")

        self.message = QLabel(_("No preview yet."))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #5f6b7a; font-size: 11pt; padding: 24px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        bar.setSpacing(style.SPACING // 2)
        self.pages_label = QLabel("")
        self.pages_label.setStyleSheet("color: #5f6b7a;")
        style.room_for_marks(self.pages_label)
        bar.addWidget(self.pages_label)
        bar.addStretch(1)
        self.busy_label = QLabel("")
        self.busy_label.setStyleSheet("color: #5f6b7a;")
        bar.addWidget(self.busy_label)
        for text, tip, slot in (
            ("−", _("Zoom out"), self.zoom_out),
            ("+", _("Zoom in"), self.zoom_in),
            (_("Fit width"), _("Show the page as wide as the preview"), self.fit_width),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

    # -- content -------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self.data else 0

    def set_busy(self, busy: bool) -> None:
        self.busy_label.setText(_("Updating the preview…") if busy else "")

    def show_message(self, text: str) -> None:
        """No document to show: say why (and drop the previous pages)."""
        self.data = b""
        self.document.close()
        self._forget()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.pages_label.setText("")

    def set_pdf(self, data: bytes) -> bool:
        """Show ``data``; False (and a message) when Qt cannot read it."""
        path = self._folder / f"preview-{next(self._names)}.pdf"
        path.write_bytes(data)
        page = self.view.pageNavigator().currentPage() if self.data else 0
        self.document.close()
        self._forget()
        self._loaded = path
        if self.document.load(str(path)) != QPdfDocument.Error.None_:
            self.show_message(_("The preview cannot be shown."))
            return False
        self.data = data
        self.stack.setCurrentWidget(self.view)
        count = self.document.pageCount()
        self.pages_label.setText(ngettext("{n} page", "{n} pages", count).format(n=count))
        if 0 < page < count:  # keep the clerk's place when the document is re-rendered
            self.view.pageNavigator().jump(page, self.view.pageNavigator().currentLocation())
        return True

    def _forget(self) -> None:
        if self._loaded is not None:
            self._loaded.unlink(missing_ok=True)
            self._loaded = None

    # -- zoom ----------------------------------------------------------------------
    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom and self.document.pageCount():
            # FitToWidth keeps zoomFactor at 1: start from the scale actually shown.
            page_width = self.document.pagePointSize(0).width() * self.logicalDpiX() / 72
            current = max(0.1, (self.view.viewport().width() - 24) / max(page_width, 1))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(5.0, max(0.25, current * factor)))

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def cleanup(self) -> None:
        self.document.close()
        shutil.rmtree(self._folder, ignore_errors=True)
