"""Evidence from the criterion's own row: attach a file to the selected criterion and open
the documents linked to it (a verified copy, in the system's viewer), without going to the
evidence screen. The work runs on the database worker (``OfficeOp``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QWidget

from parapp.i18n import _, message, ngettext
from parapp.services import changes, evidence
from ui import dialogs
from ui.operations import OfficeOp
from ui.widgets.evidence_files import add_files_job, choose_files, named_copy, open_with_system

if TYPE_CHECKING:
    from parapp.services.evidence import EvidenceInfo
    from ui.state import AppState


class CriterionEvidence(QWidget):
    status_message = Signal(str)

    def __init__(self, state_of: Callable[[], AppState | None], parent: QWidget | None = None):
        super().__init__(parent)
        self._state_of = state_of
        self.code: str | None = None
        self.documents: list[EvidenceInfo] = []
        # tests put their own here
        self.choose_files: Callable[[QWidget], list[Path]] = choose_files
        self.opener: Callable[[Path], bool] = open_with_system
        self.show_error: Callable[[BaseException], None] = lambda exc: dialogs.show_error(
            self, exc
        )
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(150)
        self._settle.timeout.connect(self._load)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.attach_button = QPushButton(_("Attach a document…"))
        self.attach_button.clicked.connect(self.attach)
        self.open_button = QPushButton(_("Open a document"))
        self.open_menu = QMenu(self.open_button)
        self.open_button.setMenu(self.open_menu)
        layout.addWidget(self.attach_button)
        layout.addWidget(self.open_button)
        layout.addStretch(1)

    def _state(self) -> AppState | None:
        return self._state_of()

    def show_code(self, code: str | None, editable: bool, linked: bool = True) -> None:
        """The selected leaf criterion (None hides the buttons); its documents are listed
        when it has some (``linked``), a moment after the selection settles, so moving
        through the table with the arrow keys queues no reads on the worker."""
        self.code = code
        self.setVisible(code is not None)
        self.attach_button.setEnabled(editable)
        self.documents = []
        self._fill_menu()
        if code is not None and linked:
            self._settle.start()
        else:
            self._settle.stop()

    def _load(self) -> None:
        state = self._state()
        code = self.code
        if code is None or state is None or state.view is None:
            return
        year = state.view.info.year

        def listed(docs: list[EvidenceInfo]) -> None:
            if self.code == code:
                self.documents = [d for d in docs if code in d.node_codes]
                self._fill_menu()

        OfficeOp(state, lambda office: evidence.list_evidence(office, year)).success(
            listed
        ).failure(lambda exc: self.open_button.setToolTip(message(exc))).run()

    def _fill_menu(self) -> None:
        self.open_menu.clear()
        for doc in self.documents:
            action = self.open_menu.addAction(doc.citation or doc.filename)
            action.triggered.connect(lambda _checked=False, d=doc: self.open_document(d))
        self.open_button.setEnabled(bool(self.documents))

    def row_menu(self, parent: QWidget) -> QMenu | None:
        """The same actions for the table's context menu; None off a leaf criterion."""
        if self.code is None:
            return None
        menu = QMenu(parent)
        attach = menu.addAction(_("Attach a document…"))
        attach.setEnabled(self.attach_button.isEnabled())
        attach.triggered.connect(self.attach)
        opening = menu.addMenu(_("Open a document"))
        opening.setEnabled(bool(self.documents))
        for doc in self.documents:
            action = opening.addAction(doc.citation or doc.filename)
            action.triggered.connect(lambda _checked=False, d=doc: self.open_document(d))
        return menu

    def open_document(self, doc: EvidenceInfo) -> None:
        state = self._state()
        if state is None:
            return
        sha, name = doc.sha256, doc.filename

        def done(path: Path) -> None:
            if not self.opener(path):
                dialogs.warn(
                    self,
                    _("No program on this computer opens {name}.").format(name=name),
                    _("The copy is in {folder}.").format(folder=path.parent),
                )

        OfficeOp(state, lambda office: named_copy(office, sha, name)).success(done).failure(
            self.show_error
        ).run()

    def attach(self) -> None:
        state = self._state()
        code = self.code
        if state is None or state.view is None or code is None:
            return
        files = self.choose_files(self)
        if not files:
            return
        year = state.view.info.year

        def added(result: tuple[list[Any], list[tuple[Path, BaseException]]]) -> None:
            done, failures = result
            if done:
                state.mark_saved()
                state.reload(year, changed=changes.EVIDENCE_LINKS)
                self.status_message.emit(
                    ngettext(
                        "{n} document attached to {code}.", "{n} documents attached to {code}.",
                        len(done),
                    ).format(n=len(done), code=code)
                )
            if failures:
                self.show_error(failures[0][1])

        OfficeOp(
            state, lambda office: add_files_job(office, files, [code], year),
            label=_("Adding evidence files"),
        ).success(added).failure(self.show_error).run()
