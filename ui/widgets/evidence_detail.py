"""The pane under the evidence table: the selected document, the criteria it is linked to,
and the buttons to open it, link it and unlink it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _
from ui import style
from ui.widgets.evidence_criteria import CODE_ROLE, criterion_item

if TYPE_CHECKING:
    from parapp.domain.criteria import CriteriaSet
    from parapp.services.evidence import EvidenceInfo


class EvidenceDetail(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(unit + 4, unit, unit + 4, unit)
        layout.setSpacing(unit)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setFont(style.scaled(self.title.font(), 1.05, bold=True))
        style.room_for_marks(self.title)
        layout.addWidget(self.title)
        self.links_label = QLabel(_("Linked criteria:"))
        self.links_label.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(self.links_label)
        row = QHBoxLayout()
        row.setSpacing(unit)
        self.links = QListWidget()
        self.links.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.links.setWordWrap(True)
        self.links.itemSelectionChanged.connect(self._update_buttons)
        row.addWidget(self.links, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(unit)
        self.open_button = QPushButton(_("Open the file"))
        self.link_button = QPushButton(_("Link to criteria…"))
        self.unlink_button = QPushButton(_("Unlink the selected criteria"))
        for button in (self.open_button, self.link_button, self.unlink_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row, 1)
        self.editable = False
        self.doc: EvidenceInfo | None = None
        self.show_document(None, None, False)

    def show_document(
        self, doc: EvidenceInfo | None, cset: CriteriaSet | None, editable: bool
    ) -> None:
        self.doc, self.editable = doc, editable
        self.links.clear()
        if doc is None or cset is None:
            self.title.setText(_("Select a document in the table to see the criteria it proves."))
            self.links_label.hide()
            self.links.hide()
        else:
            self.title.setText(doc.citation)
            self.links_label.show()
            self.links.show()
            for code in doc.node_codes:
                if cset.has(code):
                    self.links.addItem(criterion_item(cset, code))
            if not doc.node_codes:
                self.links_label.setText(
                    _("Not linked to any criterion yet. Press 'Link to criteria…'.")
                    if editable
                    else _("Not linked to any criterion.")
                )
            else:
                self.links_label.setText(_("Linked criteria:"))
        self._update_buttons()

    def selected_codes(self) -> list[str]:
        return [str(item.data(CODE_ROLE)) for item in self.links.selectedItems()]

    def _update_buttons(self) -> None:
        has_doc = self.doc is not None
        self.open_button.setEnabled(has_doc)
        self.link_button.setEnabled(has_doc and self.editable)
        self.unlink_button.setEnabled(has_doc and self.editable and bool(self.selected_codes()))
        self.link_button.setVisible(self.editable)
        self.unlink_button.setVisible(self.editable)
