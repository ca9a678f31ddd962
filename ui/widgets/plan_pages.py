"""Parts of the plan screen: the page offering to draft a missing plan, and the banner of
an issued plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _, format_date
from parapp.services.issuing import printed_number
from ui import style

if TYPE_CHECKING:
    from parapp.services.plans import PlanView


class DraftPage(QWidget):
    """No plan yet: what it will contain, and one button that drafts it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.addStretch(1)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setFixedWidth(640)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The size as a font, not a style sheet, and centred by stretches, not by the
        # layout's alignment: the layout then reserves the height of the lines at the
        # label's own width (they were cut off at the page's).
        self.text.setFont(style.scaled(self.text.font(), 1.2))
        self.text.setStyleSheet("color: #5f6b7a;")
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(self.text)
        centred.addStretch(1)
        box.addLayout(centred)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton(_("Draft the plan from the criteria that lost points"))
        self.button.setMinimumHeight(40)
        self.button.setStyleSheet("font-size: 11pt; padding: 6px 16px;")
        row.addWidget(self.button)
        row.addStretch(1)
        box.addLayout(row)
        # Who leads the items (`plan draft --lead`): one unit for all, changed per item later.
        lead_row = QHBoxLayout()
        lead_row.addStretch(1)
        lead_row.addWidget(QLabel(_("Lead unit of every item:")))
        self.lead = QComboBox()
        self.lead.setEditable(True)
        self.lead.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lead.setMinimumContentsLength(34)
        line = self.lead.lineEdit()
        assert line is not None
        line.setPlaceholderText(_("none: chosen for each item afterwards"))
        lead_row.addWidget(self.lead)
        lead_row.addStretch(1)
        box.addLayout(lead_row)
        self.maintain = QCheckBox(
            _("Also an item per area for its criteria at full marks (“tiếp tục duy trì”)")
        )
        box.addWidget(self.maintain, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)

    def set_units(self, names: list[str]) -> None:
        """The office's departments and officers to choose the lead from (typed text kept)."""
        typed = self.lead.currentText()
        self.lead.clear()
        self.lead.addItems(names)
        self.lead.setEditText(typed)


def banner() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(
        f"background: {style.BANNER_BACKGROUND}; border: 1px solid {style.BANNER_BORDER};"
        " border-radius: 4px; padding: 8px;"
    )
    return label


def issued_text(plan: PlanView) -> str:
    doc = plan.document
    when = format_date(doc.issued_on) if doc.issued_on else ""
    return _(
        "This plan was issued as No. {number}/{symbol} of {date}, so its wording is "
        "frozen. Progress and status can still be recorded. To change the wording, press "
        "“Make a new revision”: the issued document is kept as it is, and the new "
        "revision is issued again from the Documents screen."
    ).format(number=printed_number(doc.number), symbol=doc.symbol, date=when)  # as printed
