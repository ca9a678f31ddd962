"""Submitting the self-assessment from the window, and withdrawing the submission.

The same services as ``parapp assessment submit|withdraw`` (parapp.services.submission), on
the worker thread: the pre-submission check runs first; a complete assessment is submitted
after one question, an incomplete one shows what is missing and asks for the reason the
appraiser will read with the package (or is left to be completed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.text import clean
from parapp.i18n import _, message
from parapp.services.submission import check as run_check
from parapp.services.submission import gap_phrase, submit, withdraw
from ui import dialogs, style
from ui.operations import OfficeOp

if TYPE_CHECKING:
    from parapp.domain.completeness import Gap
    from ui.state import AppState


class IncompleteDialog(QDialog):
    """What the pre-submission check found missing, and the reason to submit anyway."""

    def __init__(self, year: int, gaps: list[Gap], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("The self-assessment is not complete"))
        self.setMinimumSize(620, 480)
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        intro = QLabel(
            _(
                "The check before submitting found {n} criteria of the {year} "
                "self-assessment incomplete:"
            ).format(n=len(gaps), year=year)
        )
        intro.setWordWrap(True)
        style.room_for_marks(intro)
        layout.addWidget(intro)
        self.missing = QListWidget()
        self.missing.setWordWrap(True)  # a criterion's title is long: wrap, never cut it
        self.missing.setSpacing(2)
        self.missing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.missing.addItems([message(gap_phrase(g)) for g in gaps])
        layout.addWidget(self.missing, 1)
        ask = QLabel(
            _(
                "Complete them first (Cancel), or submit it as it is: say why. The appraiser "
                "reads this reason with the package."
            )
        )
        ask.setWordWrap(True)
        style.room_for_marks(ask)
        layout.addWidget(ask)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(
            _("For example: area 7 waits for the district's figures; they follow in March.")
        )
        self.reason.setMaximumHeight(90)
        layout.addWidget(self.reason)
        box = QDialogButtonBox()
        self.submit_button = box.addButton(
            _("Submit incomplete"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        box.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.submit_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.submit_button.setEnabled(bool(self.text()))
        )
        layout.addWidget(box)

    def text(self) -> str:
        return clean(self.reason.toPlainText())

    def texts(self) -> list[str]:
        return [self.missing.item(i).text() for i in range(self.missing.count())]


class SubmitFlow(QObject):
    """The two buttons' work; ``done`` carries the sentence for the status bar."""

    done = Signal(str)

    def __init__(self, state: AppState, parent: QWidget) -> None:
        super().__init__(parent)
        self.state = state
        self.widget = parent

    def submit(self) -> None:
        db, view = self.state.db, self.state.view
        if db is None or view is None:
            return
        assessment_id, year = view.info.id, view.info.year

        def check(office: Any) -> list[Gap]:
            return run_check(office, assessment_id)

        def checked(gaps: list[Gap]) -> None:
            reason = ""
            if gaps:
                dialog = IncompleteDialog(year, gaps, self.widget)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                reason = dialog.text()
            else:
                question = _(
                    "Every criterion of the {year} self-assessment is scored, with evidence "
                    "or an explanation where the criteria set asks for it. Submit it for "
                    "appraisal?\n\nIt is then locked; to change it, withdraw the submission "
                    "before the appraiser's result comes in. Then write the package for the "
                    "appraiser on Sync › Send."
                ).format(year=year)
                if not dialogs.confirm(self.widget, question, _("Submit")):
                    return
            self._run_submit(assessment_id, year, bool(gaps), reason)

        OfficeOp(self.state, check).success(checked).failure(self._failed).run()

    def _run_submit(self, assessment_id: int, year: int, incomplete: bool, reason: str) -> None:
        def job(office: Any) -> Any:
            return submit(office, assessment_id, allow_incomplete=incomplete, reason=reason)

        def submitted(_result: Any) -> None:
            self.state.reload()
            self.done.emit(
                _("The {year} self-assessment is submitted. Write the package on Sync › Send.")
                .format(year=year)
            )

        OfficeOp(self.state, job).success(submitted).failure(self._failed).run()

    def withdraw(self) -> None:
        db, view = self.state.db, self.state.view
        if db is None or view is None:
            return
        assessment_id, year = view.info.id, view.info.year
        question = _(
            "Withdraw the {year} submission? The self-assessment becomes a draft again and "
            "can be changed. If the package was already handed to the appraiser, send a new "
            "one when it is ready."
        ).format(year=year)
        if not dialogs.confirm(self.widget, question, _("Withdraw")):
            return

        def job(office: Any) -> Any:
            return withdraw(office, assessment_id)

        def withdrawn(_info: Any) -> None:
            self.state.reload()
            self.done.emit(_("The submission was withdrawn: the self-assessment is a draft again."))

        OfficeOp(self.state, job).success(withdrawn).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        dialogs.show_error(self.widget, exc)
