"""Recording a dated progress note on a plan item (what the quarterly reports quote)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.remediation import RemediationItem
from parapp.domain.text import clean
from parapp.i18n import _, format_date
from ui import style


class ProgressDialog(QDialog):
    def __init__(self, item: RemediationItem, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Record progress"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(2 * unit, 2 * unit, 2 * unit, 2 * unit)
        layout.setSpacing(unit)
        what = QLabel(item.shortcoming or item.tasks)
        what.setWordWrap(True)
        what.setFont(style.scaled(what.font(), 1.05, bold=True))
        style.room_for_marks(what)
        layout.addWidget(what)
        if item.updates:
            history = "\n".join(
                f"{format_date(u.on)}: {u.percent}%" + (f" — {u.note}" if u.note else "")
                for u in item.updates
            )
            earlier = QLabel(_("Earlier progress:") + "\n" + history)
            earlier.setWordWrap(True)
            earlier.setStyleSheet("color: #5f6b7a;")
            layout.addWidget(earlier)
        form = QFormLayout()
        form.setSpacing(unit)
        self.on = QDateEdit(QDate(today.year, today.month, today.day))
        self.on.setDisplayFormat("dd/MM/yyyy")
        self.on.setCalendarPopup(True)
        self.percent = QSpinBox()
        self.percent.setRange(0, 100)
        self.percent.setSingleStep(10)
        self.percent.setSuffix(" %")
        self.percent.setValue(item.progress)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_("What was done, e.g. 'Đã ban hành Kế hoạch số 25/KH-UBND'."))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        form.addRow(_("Date:"), self.on)
        form.addRow(_("Done so far:"), self.percent)
        form.addRow(_("Note:"), self.note)
        layout.addLayout(form)
        hint = QLabel(_("100% marks the item as done."))
        hint.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            _("Record progress"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.percent.setFocus()

    def values(self) -> tuple[date, int, str]:
        day = self.on.date()
        return date(day.year(), day.month(), day.day()), self.percent.value(), clean(
            self.note.toPlainText()
        )
