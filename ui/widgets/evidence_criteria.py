"""Choosing criteria for a document: a filterable list of codes and titles, and the list of
criteria that still lack evidence (a click there picks the criterion to link)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.criteria import CriteriaSet
from parapp.domain.text import clean, fold
from parapp.i18n import _, ngettext
from ui import style

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
FOLD_ROLE = Qt.ItemDataRole.UserRole + 2


def criterion_item(cset: CriteriaSet, code: str, indent: bool = False) -> QListWidgetItem:
    node = cset.node(code)
    pad = "    " * cset.depth(code) if indent else ""
    item = QListWidgetItem(f"{pad}{code}  {node.title}")
    item.setData(CODE_ROLE, code)
    item.setData(FOLD_ROLE, fold(f"{code} {node.title}"))
    item.setToolTip(node.title)
    return item


def filter_list(widget: QListWidget, text: str) -> None:
    """Hide the rows whose code and title do not contain every typed word (no accents)."""
    words = fold(clean(text)).split()
    for row in range(widget.count()):
        item = widget.item(row)
        hay = str(item.data(FOLD_ROLE) or "")
        item.setHidden(not all(w in hay for w in words))


def _tickable(item: QListWidgetItem) -> bool:
    """A criterion's line (an area's heading has no box)."""
    return item.data(Qt.ItemDataRole.CheckStateRole) is not None


class CriteriaPicker(QDialog):
    """Pick one or more criteria of the set to link a document to."""

    def __init__(
        self,
        cset: CriteriaSet,
        title: str,
        exclude: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Link to criteria"))
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(2 * unit, 2 * unit, 2 * unit, 2 * unit)
        layout.setSpacing(unit)
        intro = QLabel(
            _("Tick the criteria that “{title}” proves. A document linked to a criterion also "
              "serves its sub-criteria.").format(title=title)
        )
        intro.setWordWrap(True)
        style.room_for_marks(intro)
        layout.addWidget(intro)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Filter by code or title (accents not needed)…"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setWordWrap(True)
        skip = set(exclude)
        for node in cset.nodes:
            if node.code in skip:
                continue
            item = criterion_item(cset, node.code, indent=True)
            if node.parent_code is None and not cset.is_leaf(node.code):
                # An area is a heading: a document proves criteria, not a whole area.
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setFont(style.scaled(item.font(), 1.0, bold=True))
            else:
                # Not "user checkable": the list would tick a click on the box itself and
                # _toggle untick it again. _toggle ticks a click anywhere on the line.
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.itemClicked.connect(self._toggle)
        self.list.installEventFilter(self)
        layout.addWidget(self.list, 1)
        self.search.textChanged.connect(lambda text: filter_list(self.list, text))
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Link"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemChanged.connect(self._update_button)
        self._update_button()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Space ticks the line the keyboard is on."""
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and self.list.currentItem() is not None
        ):
            self._toggle(self.list.currentItem())
            return True
        return super().eventFilter(watched, event)

    def _toggle(self, item: QListWidgetItem) -> None:
        # A click anywhere on the row ticks it, not only on the small box.
        if not _tickable(item):
            return  # an area's heading
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _update_button(self, *_args: object) -> None:
        count = len(self.codes())
        self.ok_button.setEnabled(count > 0)
        self.ok_button.setText(
            ngettext("Link to {n} criterion", "Link to {n} criteria", count).format(n=count)
            if count
            else _("Link")
        )

    def check(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(CODE_ROLE) in wanted and _tickable(item):
                item.setCheckState(Qt.CheckState.Checked)

    def codes(self) -> list[str]:
        return [
            self.list.item(row).data(CODE_ROLE)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]


class LackingPanel(QFrame):
    """Criteria that still need a document; clicking one picks it as the link target."""

    picked = Signal(str)  # criterion code, or "" when none is picked
    link_selected = Signal(str)  # link the selected document to this criterion
    add_for = Signal(str)  # add files for this criterion

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lacking")
        self.setStyleSheet(
            "#lacking { background: white; border: 1px solid #d5dbe3; border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(unit + 4, unit, unit + 4, unit)
        layout.setSpacing(unit)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        style.room_for_marks(self.title)
        layout.addWidget(self.title)
        self.hint = QLabel(_("Click a criterion, then link the selected document to it or add "
                             "files for it."))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(self.hint)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setSpacing(2)
        self.list.currentItemChanged.connect(self._current_changed)
        layout.addWidget(self.list, 1)
        self.link_button = QPushButton(_("Link the selected document"))
        self.link_button.clicked.connect(lambda: self.link_selected.emit(self.code()))
        self.add_button = QPushButton(_("Add files for this criterion…"))
        self.add_button.clicked.connect(lambda: self.add_for.emit(self.code()))
        layout.addWidget(self.link_button)
        layout.addWidget(self.add_button)
        self.editable = False
        self.document_selected = False

    def set_codes(self, cset: CriteriaSet, codes: list[str], editable: bool) -> None:
        keep = self.code()
        self.editable = editable
        self.list.blockSignals(True)
        self.list.clear()
        for code in codes:
            self.list.addItem(criterion_item(cset, code))
            if code == keep:
                self.list.setCurrentRow(self.list.count() - 1)
        self.list.blockSignals(False)
        if codes:
            self.title.setText(
                ngettext(
                    "{n} criterion still lacks evidence",
                    "{n} criteria still lack evidence",
                    len(codes),
                ).format(n=len(codes))
            )
        else:
            self.title.setText(_("Every criterion has evidence"))
        self.hint.setVisible(bool(codes) and editable)
        self._current_changed()

    def code(self) -> str:
        item = self.list.currentItem()
        return str(item.data(CODE_ROLE)) if item is not None else ""

    def select(self, code: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(CODE_ROLE) == code:
                self.list.setCurrentRow(row)
                return True
        return False

    def codes(self) -> list[str]:
        return [self.list.item(row).data(CODE_ROLE) for row in range(self.list.count())]

    def set_document_selected(self, selected: bool) -> None:
        self.document_selected = selected
        self._current_changed()

    def _current_changed(self, *_args: object) -> None:
        code = self.code()
        self.link_button.setEnabled(self.editable and bool(code) and self.document_selected)
        self.add_button.setEnabled(self.editable and bool(code))
        self.link_button.setVisible(self.editable)
        self.add_button.setVisible(self.editable)
        self.picked.emit(code)
