"""Văn bản: the fields of an official document on the left, its PDF on the right, and the
ways out: print, save as PDF or Word, issue (number and freeze) and sign.

Fields are saved a moment after the clerk stops typing, then the preview is rendered again
on the worker thread, so what she sees is exactly the PDF that prints.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QWidget

from parapp.i18n import _, message
from parapp.services import changes, documents, issuing, plans
from parapp.services.documents import Choice, Editing
from ui import dialogs, preferences, screens, style
from ui.operations import OfficeOp
from ui.screens.base import Screen, heading, page_layout
from ui.state import AppState
from ui.widgets import document_texts as texts
from ui.widgets.document_form import DocumentForm, FormValues
from ui.widgets.document_issue import IssueActions
from ui.widgets.document_output import (
    AskSigning,
    PrintDialog,
    SavePath,
    ask_print,
    ask_save_path,
    ask_signing,
    print_pdf,
)
from ui.widgets.paper_check import PaperCheckDialog
from ui.widgets.pdf_preview import PdfPreview

SAVE_DELAY_MS = 600


class DocumentsScreen(Screen):
    key = screens.DOCUMENTS
    status_message = Signal(str)
    preview_ready = Signal()  # a new preview is on screen (tests and screenshots wait for it)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        # Dialogs the screen asks through; a test replaces them with its own answers.
        self.ask_print: PrintDialog = ask_print
        self.ask_save_path: SavePath = ask_save_path
        self.ask_signing: AskSigning = ask_signing
        self.editing: Editing | None = None
        self._choices: list[Choice] = []
        self._dirty = False
        self._saving = 0
        self._stale = False
        self._rendering = False
        self._render_again = False

        layout = page_layout(self)
        top = QHBoxLayout()
        top.setSpacing(style.SPACING)
        top.addWidget(heading(_("Documents")))
        top.addStretch(1)
        chooser_label = QLabel(_("Document:"))
        top.addWidget(chooser_label)
        self.chooser = QComboBox()
        self.chooser.setMinimumWidth(440)
        self.chooser.currentIndexChanged.connect(self._chosen)
        top.addWidget(self.chooser)
        layout.addLayout(top)

        self.issue_actions = IssueActions(self)
        layout.addWidget(self.issue_actions.banner)

        self.form = DocumentForm()
        self.form.edited.connect(self._edited)
        self.preview = PdfPreview()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.form)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([460, 660])
        layout.addWidget(split, 1)
        layout.addLayout(self._buttons())

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.save_now)
        self._update_buttons()  # nothing to print or issue before a document is loaded
        self.refresh()

    def _buttons(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(style.SPACING)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.clicked.connect(self.print_document)
        self.pdf_button = QPushButton(_("Save as PDF…"))
        self.pdf_button.clicked.connect(lambda: self.save_as(".pdf"))
        self.word_button = QPushButton(_("Save as Word…"))
        self.word_button.clicked.connect(lambda: self.save_as(".docx"))
        self.paper_button = QPushButton(_("Check a paper copy…"))
        self.paper_button.setToolTip(
            _("Which issued document is this paper? From a scan or the text of its QR code.")
        )
        self.paper_button.clicked.connect(self.check_paper)
        self.saved_note = QLabel(_("Changes are saved as you type."))
        self.saved_note.setStyleSheet("color: #5f6b7a;")
        for widget in (self.print_button, self.pdf_button, self.word_button):
            bar.addWidget(widget)
        bar.addWidget(self.saved_note)
        bar.addStretch(1)
        bar.addWidget(self.paper_button)
        bar.addWidget(self.issue_actions.issue_button)
        bar.addWidget(self.issue_actions.sign_button)
        return bar

    # -- loading -------------------------------------------------------------------
    def refresh(self) -> None:
        if self.state.db is None or not hasattr(self, "save_timer"):
            return
        # Hidden, or the clerk's typing not saved yet: reload when shown / once saved (the
        # window builds every screen at start; rendering a PDF nobody looks at would only
        # hold up the worker).
        if self._dirty or self._saving or not self.isVisible():
            self._stale = True
            return
        self.reload()

    def activate(self, **filters: Any) -> None:
        if self._stale and not (self._dirty or self._saving):
            self.reload()

    def reload(self) -> None:
        db = self.state.db
        if db is None:
            return
        self._stale = False
        self._show_loading(changing=self.editing is None)
        OfficeOp(
            self.state,
            lambda office: (documents.choices(office), documents.issued_documents(office)),
        ).success(self._choices_loaded).run()

    def _choices_loaded(self, found: tuple[list[Choice], list[issuing.IssuedInfo]]) -> None:
        current, issued = found
        wanted = self.chooser.currentData()
        choices = list(current)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for choice in current:
            self.chooser.addItem(texts.choice_label(choice), choice)
        if issued:
            self.chooser.insertSeparator(self.chooser.count())
        for info in issued:
            choice = documents.issued_choice(info)
            label = texts.issued_label(
                info.kind, info.plan_year, info.number, info.symbol, info.issued_on
            )
            self.chooser.addItem(label, choice)
            choices.append(choice)
        self._choices = choices
        index = 0
        if isinstance(wanted, Choice):
            same = [
                k
                for k in range(self.chooser.count())
                if isinstance(self.chooser.itemData(k), Choice)
                and _same(self.chooser.itemData(k), wanted)
            ]
            index = same[0] if same else 0
        self.chooser.setCurrentIndex(index)
        self.chooser.blockSignals(False)
        if not choices:
            self.editing = None
            self.form.setEnabled(True)
            self.preview.set_busy(False)
            self.preview.show_message(
                _("There is no document yet: draft the remediation plan first.")
            )
            self._update_buttons()
            return
        self._load(self.chooser.currentData())

    def _chosen(self, _index: int) -> None:
        choice = self.chooser.currentData()
        if isinstance(choice, Choice):
            self.before_leave()
            self._load(choice)

    def _load(self, choice: Choice) -> None:
        db = self.state.db
        if db is None:
            return
        shown = self.editing
        self._show_loading(changing=shown is None or not _same(shown.choice, choice))
        OfficeOp(self.state, lambda office: documents.editing(office, choice)).success(
            self._loaded
        ).failure(self._failed).run()

    def _show_loading(self, *, changing: bool) -> None:
        """Until the document's fields arrive: say so at once; another document's (or no
        document's) fields are kept out of reach meanwhile."""
        if changing:
            self.form.setEnabled(False)
        self.preview.set_busy(True)
        if not self.preview.page_count:
            self.preview.show_message(_("Preparing the preview…"))

    def _loaded(self, editing: Editing) -> None:
        self.editing = editing
        self.form.setEnabled(True)
        self.form.show_editing(editing, texts.report_note(editing))
        self.issue_actions.show(editing)
        self._update_buttons()
        self.render_preview()

    def _failed(self, exc: BaseException) -> None:
        self.form.setEnabled(True)
        self.preview.set_busy(False)
        dialogs.show_error(self, exc)

    def _update_buttons(self) -> None:
        has = self.editing is not None
        for button in (self.print_button, self.pdf_button, self.word_button):
            button.setEnabled(has)
        exact = has and self.editing is not None and self.editing.choice.revision is not None
        self.word_button.setEnabled(has and not exact)
        self.word_button.setToolTip(
            _("An issued document is kept only as the PDF exactly as it was issued.")
            if exact
            else _("A Word file to edit further or send by e-mail.")
        )
        self.saved_note.setVisible(has and not self.form.read_only)
        self.issue_actions.update_buttons()

    # -- saving --------------------------------------------------------------------
    def _edited(self) -> None:
        self._dirty = True
        self.save_timer.start()

    def save_now(self) -> None:
        """Save what the form says (the timer calls this; so does leaving the screen)."""
        self.save_timer.stop()
        editing, db = self.editing, self.state.db
        if not self._dirty or editing is None or db is None or editing.frozen:
            self._dirty = False
            return
        self._dirty = False
        values = self.form.values()
        dates_ok = self.form.dates_valid
        choice = editing.choice
        year = (values.issued_on or self.today()).year

        def job(office: Any) -> str | None:
            if editing.is_plan:
                plans.update_document(
                    office,
                    choice.year,
                    documents.PLAN_KINDS[choice.kind],
                    signer=values.signer,
                    recipients=values.recipients,
                    legal_bases=values.legal_bases,
                    place=values.place,
                    summary=values.summary,
                    symbol=values.symbol or editing.document.symbol,
                    **values.texts,
                )
            if dates_ok:
                documents.set_pending_numbering(office, choice, values.number, values.issued_on)
            if not editing.is_plan:
                return None
            # The register's next number follows the date and symbol typed: the field's
            # hint said the one for today's year as loaded.
            symbol = values.symbol or editing.document.symbol
            return issuing.suggest_number(office, symbol, year)

        self._saving += 1
        OfficeOp(self.state, job).success(lambda found: self._saved(found, choice)).failure(
            self._save_failed
        ).run()

    def _saved(self, suggested: str | None, choice: Choice | None = None) -> None:
        self._saving -= 1
        self.state.mark_saved()
        editing = self.editing
        if suggested and editing is not None and editing.choice == choice and not editing.frozen:
            self.editing = replace(editing, suggested_number=suggested)
            self.form.show_suggested_number(suggested)
        if self._stale and not (self._dirty or self._saving):
            self.reload()
            return
        self.render_preview()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving -= 1
        dialogs.show_error(self, exc)

    def before_leave(self) -> None:
        if self._dirty:
            self.save_now()

    # -- preview -------------------------------------------------------------------
    def current_values(self) -> FormValues:
        return self.form.values()

    def render_preview(self) -> None:
        """Render the chosen document on the worker and show it (once at a time)."""
        editing, db = self.editing, self.state.db
        if editing is None or db is None:
            return
        if self._rendering:
            self._render_again = True
            return
        self._rendering = True
        self.preview.set_busy(True)
        values = self.form.values()
        choice = editing.choice

        def job(office: Any) -> bytes:
            return documents.preview_pdf(
                office, choice, number=values.number, issued_on=values.issued_on, as_of=values.as_of
            )

        OfficeOp(self.state, job, label=_("Preparing the preview…")).success(
            self._rendered
        ).failure(self._render_failed).run()

    def _rendered(self, data: bytes) -> None:
        self._rendering = False
        if self._render_again:
            self._render_again = False
            self.render_preview()
            return
        self.preview.set_busy(False)
        self.preview.set_pdf(data)
        self.preview_ready.emit()

    def _render_failed(self, exc: BaseException) -> None:
        self._rendering = False
        self._render_again = False
        self.preview.set_busy(False)

        self.preview.show_message(message(exc))
        if not hasattr(exc, "template"):
            dialogs.show_error(self, exc)

    # -- output --------------------------------------------------------------------
    def print_document(self) -> None:
        if not self.preview.page_count:
            dialogs.warn(self, _("There is nothing to print yet: wait for the preview."))
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.chooser.currentText())
        if not self.ask_print(self, printer):
            return
        try:
            pages = print_pdf(self.preview.document, printer)
        except OSError as exc:
            dialogs.show_error(self, exc)
            return
        self.status_message.emit(_("Sent {n} pages to the printer.").format(n=pages))

    def save_as(self, suffix: str) -> None:
        editing, db = self.editing, self.state.db
        if editing is None or db is None:
            return
        self.before_leave()
        if suffix == ".pdf":
            caption, filters = _("Save as PDF"), _("PDF (*.pdf)")
        else:
            caption, filters = _("Save as Word"), _("Word document (*.docx)")
        folder = preferences.start_folder(self.state.db_path, preferences.DOCUMENTS, Path.home())
        suggested = str(folder / texts.file_name(editing.choice, suffix))
        chosen = self.ask_save_path(self, caption, suggested, filters)
        if not chosen:
            return
        out = Path(chosen)
        preferences.remember_folder(self.state.db_path, preferences.DOCUMENTS, out.parent)
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        values = self.form.values()
        choice = editing.choice

        def job(office: Any) -> Path:
            return documents.save_choice(
                office,
                choice,
                out,
                number=values.number,
                issued_on=values.issued_on,
                as_of=values.as_of,
            )

        OfficeOp(self.state, job, label=_("Saving the document…")).success(
            self._file_saved
        ).failure(self._failed).run()

    def _file_saved(self, path: Path) -> None:
        self.status_message.emit(_("Saved {path}").format(path=path))

    def check_paper(self) -> PaperCheckDialog:
        """Open "Kiểm tra bản giấy" (returned so a test can drive it)."""
        dialog = PaperCheckDialog(self.state, self)
        dialog.open()
        return dialog

    def today(self) -> date:
        return self.state.today

    def show_issued(self, choice: Choice) -> None:
        """After issuing or revising: list again and keep ``choice`` selected."""
        self.chooser.blockSignals(True)
        self.chooser.setItemData(self.chooser.currentIndex(), choice)
        self.chooser.blockSignals(False)
        # Its new state first (issued: the banner), then the list, which takes longer.
        self._load(choice)
        self.reload()
        self.state.reload(changed=changes.DOCUMENT_ISSUED)


def _same(a: Choice, b: Choice) -> bool:
    return (a.kind, a.year, a.revision) == (b.kind, b.year, b.revision) or (
        a.kind == b.kind and a.revision is None and b.revision is None
    )
