"""Kiểm tra trước khi nộp: the pre-submission check as a panel beside the self-assessment.

It lists what ``parapp.services.submission.check`` finds missing (the same check as
``parapp assessment submit``), one line per criterion; a click or Enter on a line takes the
clerk to that criterion's row, where its score, explanation and evidence are given. The
panel stays open while she completes them and checks again after every saved change, so
the list shrinks as she works; submitting is its last button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.completeness import GapKind
from parapp.i18n import _, message, ngettext
from parapp.services.submission import check as run_check
from parapp.services.submission import gap_phrase
from ui import dialogs, style
from ui.operations import OfficeOp

if TYPE_CHECKING:
    from parapp.domain.completeness import Gap
    from ui.state import AppState

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
COMPLETE_TEXT = QColor("#1b6e3a")
WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)


class _LineDelegate(QStyledItemDelegate):
    """A line as tall as its text wrapped at the list's width: the list's own measure
    left the style's padding out and cut the last line of a long title with "…"."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        view = self.parent()
        assert isinstance(view, QListWidget)
        width = max(view.viewport().width() - 16, 50)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        box = QFontMetrics(option.font).boundingRect(QRect(0, 0, width, 100_000), WRAP, text)
        return QSize(width, box.height() + 10)  # the style's margins, and room for "Ậ"


class SubmitCheckPanel(QFrame):
    """The check's findings; ``go_to`` asks the screen to show a criterion's row."""

    go_to = Signal(str)  # a criterion's code
    submit_requested = Signal()
    checked = Signal()  # the list shows the latest check
    closed = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.gaps: list[Gap] | None = None  # None: not checked yet
        self._running = 0
        self.setObjectName("submitCheck")
        self.setMinimumWidth(280)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(style.SPACING)
        top = QHBoxLayout()
        self.title = QLabel(_("Check before submitting"))
        self.title.setFont(style.scaled(self.title.font(), 1.1, bold=True))
        style.room_for_marks(self.title)
        top.addWidget(self.title, 1)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setToolTip(_("Close the check"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.close_check)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        self.summary = QLabel(_("Checking…"))
        self.summary.setWordWrap(True)
        style.room_for_marks(self.summary)
        layout.addWidget(self.summary)
        self.missing = QListWidget()
        self.missing.setWordWrap(True)  # a criterion's title is long: wrap, never cut it
        self.missing.setSpacing(2)
        self.missing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Lines are laid out again at the list's width (a scroll bar appearing cut one).
        self.missing.setResizeMode(QListView.ResizeMode.Adjust)
        self.missing.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.missing.setStyleSheet(style.LIST_SELECTED + style.LIST_FOCUS)
        self.missing.setItemDelegate(_LineDelegate(self.missing))
        self.missing.itemClicked.connect(self._chosen)
        self.missing.itemActivated.connect(self._chosen)  # Enter, or a double click
        layout.addWidget(self.missing, 1)
        self.hint = QLabel(
            _("Click a line (or press Enter) to go to the criterion: give its score, "
              "explanation or evidence there.")
        )  # fmt: skip
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
        layout.addWidget(self.hint)
        self.submit_button = QPushButton(_("Submit for appraisal…"))
        self.submit_button.clicked.connect(self.submit_requested)
        layout.addWidget(self.submit_button)

    def close_check(self) -> None:
        if not self.isHidden():
            self.hide()
            self.closed.emit()

    # -- checking ------------------------------------------------------------------
    def run(self) -> None:
        """Check the assessment on screen again (on the worker)."""
        view = self.state.view
        if self.state.db is None or view is None:
            return
        assessment_id = view.info.id
        self._running += 1
        if self.gaps is None:
            self.summary.setText(_("Checking…"))

        def done(gaps: list[Gap]) -> None:
            self._running -= 1
            self._show(gaps)

        def failed(exc: BaseException) -> None:
            self._running -= 1
            dialogs.show_error(self, exc)

        op = OfficeOp(self.state, lambda office: run_check(office, assessment_id))
        op.success(done).failure(failed).run()

    @property
    def running(self) -> bool:
        return self._running > 0

    def _show(self, gaps: list[Gap]) -> None:
        current = self.missing.currentItem()
        kept = current.data(CODE_ROLE) if current is not None else None
        self.gaps = gaps
        self.missing.clear()
        for gap in gaps:
            item = QListWidgetItem(message(gap_phrase(gap)))
            item.setData(CODE_ROLE, gap.code)
            item.setToolTip(self._tip(gap))
            self.missing.addItem(item)
            if gap.code == kept:
                self.missing.setCurrentItem(item)
        if gaps:
            self.summary.setText(
                ngettext(
                    "{n} criterion is incomplete:", "{n} criteria are incomplete:", len(gaps)
                ).format(n=len(gaps))
            )
            self.summary.setStyleSheet(f"color: {style.ERROR_TEXT.name()};")
        else:
            self.summary.setText(
                _("Nothing is missing: every criterion is scored, with evidence or an "
                  "explanation where the criteria set asks for it.")
            )  # fmt: skip
            self.summary.setStyleSheet(f"color: {COMPLETE_TEXT.name()};")
        self.missing.setVisible(bool(gaps))
        self.hint.setVisible(bool(gaps))
        self.checked.emit()

    @staticmethod
    def _tip(gap: Gap) -> str:
        if gap.kind is GapKind.NO_EVIDENCE:
            return _("Attach a document below the table, or write an explanation.")
        return _("Type its declared data or its score.")

    def _chosen(self, item: QListWidgetItem) -> None:
        self.go_to.emit(str(item.data(CODE_ROLE)))

    # -- for tests and screenshots -------------------------------------------------
    def texts(self) -> list[str]:
        return [self.missing.item(i).text() for i in range(self.missing.count())]

    def row_of(self, code: str) -> int:
        for i in range(self.missing.count()):
            if self.missing.item(i).data(CODE_ROLE) == code:
                return i
        return -1

    def item(self, row: int) -> Any:
        return self.missing.item(row)
