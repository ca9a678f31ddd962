"""The fields of an official document: number, date, legal bases, texts, recipients, signer.

What the clerk types is reported through ``edited``; the screen saves it after a short
pause. Empty texts print the standard wording, which the placeholders say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.remediation import Signer
from parapp.domain.text import clean, parse_date
from parapp.i18n import _, format_date
from parapp.services.documents import Editing
from parapp.services.issuing import printed_number
from ui import style
from ui.widgets.document_signer import SignerFields

TEXT_FIELDS = ("purposes", "requirements", "solutions", "organisation")


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in (clean(part) for part in text.splitlines()) if line)


@dataclass(frozen=True)
class FormValues:
    number: str = ""
    issued_on: date | None = None
    as_of: date | None = None
    symbol: str = ""
    place: str = ""
    summary: str = ""
    legal_bases: tuple[str, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)
    recipients: tuple[str, ...] = ()
    signer: Signer = field(default_factory=Signer)


def _hint(edit: QLineEdit, text: str) -> None:
    """The field's hint inside it, and whole in its tooltip (a narrow field cuts it)."""
    edit.setPlaceholderText(text)
    edit.setToolTip(text)


def _text_box(placeholder: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    height = box.fontMetrics().lineSpacing() * lines + 14
    box.setFixedHeight(height)
    return box


class DocumentForm(QScrollArea):
    """A scrolling column of grouped fields; ``values()`` reads them back."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # An issued document's fields look locked, not merely unresponsive.
        self.setStyleSheet(
            'QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"]'
            " { background: #eef1f5; color: #3c4653; }"
        )
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, style.SPACING, 0)
        column.setSpacing(style.SPACING)

        self.number_box = QGroupBox(_("Number and date"))
        form = QFormLayout(self.number_box)
        self.number = QLineEdit()
        self.symbol = QLineEdit()
        self.symbol.setPlaceholderText("KH-UBND")
        self.issued_on = QLineEdit()
        self.as_of = QLineEdit()
        _hint(self.as_of, _("dd/mm/yyyy — empty: today"))
        self.as_of_label = QLabel(_("Progress as of:"))
        self.place = QLineEdit()
        self.date_error = QLabel("")
        self.date_error.setStyleSheet(f"color: {style.ERROR_TEXT.name()};")
        self.date_error.setWordWrap(True)
        self.date_error.hide()
        form.addRow(_("Number:"), self.number)
        self.symbol_label = QLabel(_("Symbol:"))
        form.addRow(self.symbol_label, self.symbol)
        form.addRow(_("Date:"), self.issued_on)
        form.addRow(self.as_of_label, self.as_of)
        self.place_label = QLabel(_("Place (in the date line):"))
        form.addRow(self.place_label, self.place)
        form.addRow(self.date_error)
        column.addWidget(self.number_box)

        self.report_note = QLabel("")
        self.report_note.setWordWrap(True)
        self.report_note.setStyleSheet("color: #5f6b7a;")
        column.addWidget(self.report_note)

        self.content_box = QGroupBox(_("Content"))
        content = QVBoxLayout(self.content_box)
        self.summary = _text_box("", 2)
        self.legal_bases = _text_box(
            _("One legal basis per line; empty: written from the published result"), 4
        )
        self.texts = {
            "purposes": _text_box(_("Empty: the standard wording is printed")),
            "requirements": _text_box(_("Empty: the standard wording is printed")),
            "solutions": _text_box(_("Empty: the standard wording is printed")),
            "organisation": _text_box(_("Empty: the standard wording is printed")),
        }
        titles = {
            "purposes": _("Purposes (part I.1):"),
            "requirements": _("Requirements (part I.2):"),
            "solutions": _("Solutions (part III):"),
            "organisation": _("Organisation of implementation (part IV):"),
        }
        for text, widget in (
            (_("Summary (trích yếu):"), self.summary),
            (_("Legal bases (căn cứ), one per line:"), self.legal_bases),
            *((titles[name], self.texts[name]) for name in TEXT_FIELDS),
        ):
            label = QLabel(text)
            style.room_for_marks(label)
            content.addWidget(label)
            content.addWidget(widget)
        column.addWidget(self.content_box)

        self.recipients_box = QGroupBox(_("Recipients (Nơi nhận), one per line"))
        box = QVBoxLayout(self.recipients_box)
        self.recipients = _text_box(_("e.g. Sở Nội vụ tỉnh;\nLưu: VT."), 4)
        box.addWidget(self.recipients)
        column.addWidget(self.recipients_box)

        self.signer_box = QGroupBox(_("Signer"))
        signer_layout = QVBoxLayout(self.signer_box)
        self.signer = SignerFields()
        signer_layout.addWidget(self.signer)
        column.addWidget(self.signer_box)
        column.addStretch(1)
        self.setWidget(inner)
        # No horizontal scrolling: the splitter may not squeeze the column below what its
        # fields need, or their right edge (and the text typed there) would be cut off.
        self.setMinimumWidth(
            inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        )

        for edit in (self.number, self.symbol, self.issued_on, self.as_of, self.place):
            edit.textEdited.connect(self._changed)
        for text_box in (self.summary, self.legal_bases, self.recipients, *self.texts.values()):
            text_box.textChanged.connect(self._changed)
        self.signer.edited.connect(self._changed)
        self._loading = False

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self._check_dates()
            self.edited.emit()

    def _check_dates(self) -> bool:
        problems = []
        for edit in (self.issued_on, self.as_of):
            try:
                parse_date(edit.text())
                edit.setStyleSheet("")
            except ValueError:
                edit.setStyleSheet(f"background: {style.ERROR_BACKGROUND.name()};")
                problems.append(edit.text())
        self.date_error.setVisible(bool(problems))
        if problems:
            self.date_error.setText(
                _("'{value}' is not a date; write it as dd/mm/yyyy, e.g. 05/03/2026.").format(
                    value=problems[0]
                )
            )
        return not problems

    @property
    def dates_valid(self) -> bool:
        return self._check_dates()

    # -- showing -------------------------------------------------------------------
    def show_suggested_number(self, number: str) -> None:
        """The number a plan gets if its field is left empty (the register's next)."""
        _hint(self.number, _("Empty: No. {number} when issued").format(number=number))

    def show_editing(self, editing: Editing, note: str = "") -> None:
        """Fill the fields from ``editing`` (without reporting edits)."""
        self._loading = True
        try:
            doc = editing.document
            # issued: the number as the banner and the document print it ("01", not "1")
            number = printed_number(editing.number) if editing.frozen else editing.number
            self.number.setText(number)
            if editing.is_plan:
                self.show_suggested_number(editing.suggested_number)
                _hint(self.issued_on, _("dd/mm/yyyy; empty: day of issue"))
            else:  # reports are numbered in the office's register, by hand if left blank
                _hint(self.number, _("Empty: left blank, written in by hand"))
                _hint(self.issued_on, _("dd/mm/yyyy; empty: left blank"))
            self.symbol.setText(doc.symbol)
            self.issued_on.setText(format_date(editing.issued_on) if editing.issued_on else "")
            self.place.setText(doc.place)
            self.summary.setPlainText(doc.summary)
            self.legal_bases.setPlainText("\n".join(doc.legal_bases))
            for name in TEXT_FIELDS:
                self.texts[name].setPlainText(getattr(doc, name))
            self.recipients.setPlainText("\n".join(doc.recipients))
            self.signer.set_signer(doc.signer)
            plan = editing.is_plan
            for widget in (self.symbol, self.symbol_label, self.place, self.place_label):
                widget.setVisible(plan)
            for box in (self.content_box, self.recipients_box, self.signer_box):
                box.setVisible(plan)
            progress = editing.choice.kind == "progress-report"
            self.as_of.setVisible(progress)
            self.as_of_label.setVisible(progress)
            self.report_note.setText(note)
            self.report_note.setVisible(bool(note))
            self.set_read_only(editing.frozen)
            self._check_dates()
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.number, self.symbol, self.issued_on, self.place):
            edit.setReadOnly(read_only)
        for text_box in (self.summary, self.legal_bases, self.recipients, *self.texts.values()):
            text_box.setReadOnly(read_only)
        self.signer.set_read_only(read_only)
        form = self.widget()
        if form is None:
            return
        for widget in form.findChildren(QLineEdit) + form.findChildren(QPlainTextEdit):
            widget.style().unpolish(widget)  # the read-only look follows the property
            widget.style().polish(widget)

    @property
    def read_only(self) -> bool:
        return self.number.isReadOnly()

    def values(self) -> FormValues:
        """What the fields say now (a wrong date reads as empty: see ``dates_valid``)."""

        def when(edit: QLineEdit) -> date | None:
            try:
                return parse_date(edit.text())
            except ValueError:
                return None

        return FormValues(
            number=clean(self.number.text()),
            issued_on=when(self.issued_on),
            as_of=when(self.as_of),
            symbol=clean(self.symbol.text()),
            place=clean(self.place.text()),
            summary=" ".join(clean(self.summary.toPlainText()).split()),  # one line: trích yếu
            legal_bases=_lines(self.legal_bases.toPlainText()),
            texts={name: clean(self.texts[name].toPlainText()) for name in TEXT_FIELDS},
            recipients=_lines(self.recipients.toPlainText()),
            signer=self.signer.signer(),
        )
