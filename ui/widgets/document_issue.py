"""Issuing a plan from the documents screen: "Ban hành" (number, date, freeze), the banner
of an issued plan with "Lập bản sửa đổi", and "Ký số" (sign the issued PDF).
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from parapp.domain.remediation import PlanStatus
from parapp.i18n import _, format_date
from parapp.services import documents, issuing
from parapp.services.documents import Choice, Editing
from ui import dialogs, style
from ui.operations import OfficeOp
from ui.widgets import document_texts as texts
from ui.widgets.document_form import DocumentForm
from ui.widgets.document_output import AskSigning

if TYPE_CHECKING:
    from parapp.services.office import Office
    from ui.state import AppState

SIGNING_AVAILABLE = importlib.util.find_spec("pyhanko") is not None


class IssuingScreen(Protocol):
    """What the actions use of the documents screen (``ui.screens.documents``, which
    builds them: a protocol, so this module does not import the screen back)."""

    state: AppState
    form: DocumentForm
    status_message: SignalInstance
    ask_signing: AskSigning

    @property
    def editing(self) -> Editing | None: ...

    def before_leave(self) -> None: ...

    def today(self) -> date: ...

    def show_issued(self, choice: Choice) -> None: ...


class IssueActions(QObject):
    """The issue and sign buttons and the issued banner of ``screen``."""

    def __init__(self, screen: IssuingScreen) -> None:
        assert isinstance(screen, QWidget)
        super().__init__(screen)
        self.screen = screen
        self.banner = QFrame()
        self.banner.setObjectName("issuedBanner")
        self.banner.setStyleSheet(
            f"#issuedBanner {{ background: {style.BANNER_BACKGROUND};"
            f" border: 1px solid {style.BANNER_BORDER}; border-radius: 4px; }}"
        )
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(style.SPACING, style.SPACING // 2, style.SPACING, style.SPACING // 2)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        style.room_for_marks(self.banner_label)
        row.addWidget(self.banner_label, 1)
        self.revise_button = QPushButton(_("Make an amended version…"))
        self.revise_button.clicked.connect(self.revise)
        row.addWidget(self.revise_button)
        self.banner.hide()

        self.issue_button = QPushButton(_("Issue…"))
        self.issue_button.setToolTip(
            _("Give the plan its number and date, keep the final PDF and lock its wording.")
        )
        self.issue_button.clicked.connect(self.issue)
        self.sign_button = QPushButton(_("Sign digitally…"))
        self.sign_button.clicked.connect(self.sign)

    @property
    def editing(self) -> Editing | None:
        return self.screen.editing

    def show(self, editing: Editing) -> None:
        self.banner.setVisible(editing.frozen)
        if editing.frozen:
            self.banner_label.setText(texts.banner(editing))
        latest = editing.latest_issued
        # Only the latest issued text of a plan that has not been amended since can be amended.
        current = latest is not None and latest.revision == editing.revision
        if editing.choice.revision is not None:
            current = current and latest is not None and latest.revision == editing.choice.revision
        issued = editing.choice.status != PlanStatus.DRAFT
        self.revise_button.setVisible(editing.frozen and current and issued)

    def update_buttons(self) -> None:
        editing = self.editing
        plan = editing is not None and editing.is_plan
        self.issue_button.setVisible(plan or editing is None)
        self.issue_button.setEnabled(plan and editing is not None and not editing.frozen)
        if editing is not None and editing.frozen:
            self.issue_button.setToolTip(_("This plan has already been issued."))
        self.sign_button.setVisible(plan or editing is None)
        reason = self._cannot_sign()
        self.sign_button.setEnabled(not reason)
        self.sign_button.setToolTip(
            reason or _("Sign the issued PDF with your digital certificate.")
        )

    def _cannot_sign(self) -> str:
        editing = self.editing
        if not SIGNING_AVAILABLE:
            return _("Digital signing is not installed with this copy of the program.")
        if editing is None or not editing.frozen:
            return _("Only an issued plan can be signed: issue it first.")
        latest = editing.latest_issued
        if latest is None or (
            editing.choice.revision is not None and editing.choice.revision != latest.revision
        ):
            return _("Only the latest issued version can be signed.")
        return ""

    # -- issue ---------------------------------------------------------------------
    def issue(self) -> None:
        screen, editing, db = self.screen, self.editing, self.screen.state.db
        if editing is None or db is None or editing.frozen:
            return
        if not screen.form.dates_valid:
            dialogs.warn(screen, _("Correct the date first (dd/mm/yyyy)."))
            return
        screen.before_leave()
        values = screen.form.values()
        when = values.issued_on or screen.today()
        symbol = values.symbol or editing.document.symbol
        year, kind = editing.choice.year, documents.PLAN_KINDS[editing.choice.kind]
        typed = values.number or None

        # Asked of the office after the form is saved: what issuing would refuse (no signer,
        # a number already used) is said before the clerk is asked to confirm, and a number
        # left empty is the register's next for the year of the date typed.
        def check(office: Office) -> str:
            return issuing.check_issue(office, year, number=typed, issued_on=when, kind=kind)

        self.issue_button.setEnabled(False)  # at once: the click is taken, and taken once
        OfficeOp(screen.state, check).success(
            lambda number: self._confirm(editing, number, symbol, when)
        ).failure(self._failed).run()

    def _confirm(self, editing: Editing, number: str, symbol: str, when: date) -> None:
        screen = self.screen
        question = _(
            "Issue the {what} as No. {ref} dated {date}?\n\nThe final PDF is kept and the "
            "wording is locked. To change it afterwards you will make an amended version."
        ).format(
            what=texts.what(editing.choice.kind, editing.choice.year),
            ref=texts.reference(number, symbol),
            date=format_date(when),
        )
        if not dialogs.confirm(screen, question, _("Issue")):
            self.update_buttons()
            return
        choice = editing.choice
        kind = documents.PLAN_KINDS[choice.kind]

        def job(office: Office) -> issuing.IssuedInfo:
            info = issuing.issue_plan(office, choice.year, number=number, issued_on=when, kind=kind)
            documents.set_pending_numbering(office, choice, "", None)
            return info

        screen.status_message.emit(_("Issuing the plan…"))  # the final PDF takes a moment
        OfficeOp(screen.state, job, label=_("Issuing the plan…")).success(self._issued).failure(
            self._failed
        ).run()

    def _issued(self, info: issuing.IssuedInfo) -> None:
        self.screen.state.mark_saved()
        self.screen.status_message.emit(
            _("Issued No. {ref} of {date}.").format(
                ref=info.reference, date=format_date(info.issued_on)
            )
        )
        editing = self.editing
        if editing is not None:
            now_issued = replace(editing.choice, status=PlanStatus.ISSUED, revision=None)
            self.screen.show_issued(now_issued)

    def _failed(self, exc: BaseException) -> None:
        self.update_buttons()
        dialogs.show_error(self.screen, exc)

    # -- amend ---------------------------------------------------------------------
    def revise(self) -> None:
        screen, editing, db = self.screen, self.editing, self.screen.state.db
        if editing is None or db is None or not editing.frozen:
            return
        question = _(
            "Make an amended version (revision {revision}) of the {what}?\n\nThe issued "
            "document No. {ref} stays on record unchanged; the new version gets its own number "
            "when it is issued."
        ).format(
            revision=editing.revision + 1,
            what=texts.what(editing.choice.kind, editing.choice.year),
            ref=texts.reference(editing.number, editing.document.symbol),
        )
        if not dialogs.confirm(screen, question, _("Make an amended version")):
            return
        choice = editing.choice
        kind = documents.PLAN_KINDS[choice.kind]
        OfficeOp(
            screen.state, lambda office: issuing.new_revision(office, choice.year, kind)
        ).success(self._revised).failure(self._failed).run()

    def _revised(self, revision: int) -> None:
        self.screen.state.mark_saved()
        self.screen.status_message.emit(
            _("Revision {revision} can now be edited.").format(revision=revision)
        )
        editing = self.editing
        if editing is not None:
            self.screen.show_issued(replace(editing.choice, status=PlanStatus.DRAFT, revision=None))

    # -- sign ----------------------------------------------------------------------
    def sign(self) -> None:
        screen, editing, db = self.screen, self.editing, self.screen.state.db
        if editing is None or db is None or self._cannot_sign():
            return
        choice = editing.choice
        suggested = Path.home() / texts.file_name(choice, "-ky-so.pdf")
        request = screen.ask_signing(screen, str(suggested))
        if request is None:
            return
        kind = documents.PLAN_KINDS[choice.kind]

        def job(office: Office) -> issuing.SignedInfo:
            return issuing.sign_issued(
                office, choice.year, kind, request.p12, request.passphrase, request.out
            )

        OfficeOp(screen.state, job, label=_("Signing…")).success(self._signed).failure(
            self._failed
        ).run()

    def _signed(self, signed: issuing.SignedInfo) -> None:
        self.screen.status_message.emit(
            _("Signed by {signer}; saved {path}").format(signer=signed.signer, path=signed.out)
        )
        dialogs.inform(
            self.screen,
            _("The issued document No. {ref} has been signed.").format(
                ref=signed.issued.reference
            ),
            _("Signed by: {signer}\nSaved as: {path}").format(
                signer=signed.signer, path=signed.out
            ),
        )
