"""Tài liệu kiểm chứng: the documents that prove the self-scores, and the criteria that
still have none.

Files are added with a file dialog or by dropping them on the screen; they are copied into
the content-addressed store on the database thread. Title, number and date are edited in
the table and saved at once; links are made through a criteria picker or the list of
criteria lacking evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QWidget,
)

from parapp.domain.assessment import FieldGroup, can_edit
from parapp.i18n import _, message, ngettext
from parapp.services import changes, evidence
from parapp.services.evidence import Outcome
from ui import dialogs, screens, style
from ui.models.cells import needs_evidence
from ui.models.evidence import (
    COL_CRITERIA,
    COL_DATE,
    COL_FILE,
    COL_NUMBER,
    COL_SIZE,
    COL_TITLE,
    EvidenceModel,
)
from ui.operations import OfficeOp
from ui.screens.base import Screen, heading, page_layout
from ui.screens.self_assessment import lock_reason
from ui.state import AppState
from ui.widgets.evidence_criteria import CriteriaPicker, LackingPanel
from ui.widgets.evidence_detail import EvidenceDetail
from ui.widgets.evidence_files import (
    add_files_job,
    choose_files,
    dropped_files,
    named_copy,
    open_with_system,
)
from ui.widgets.evidence_table import EditTable

FileChooser = Callable[[QWidget], list[Path]]
Opener = Callable[[Path], bool]


class EvidenceScreen(Screen):
    key = screens.EVIDENCE
    shows = frozenset({changes.Data.ASSESSMENT, changes.Data.EVIDENCE})
    status_message = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.choose_files: FileChooser = choose_files  # tests put their own here
        self.opener: Opener = open_with_system
        self.editable = False
        self._year: int | None = None
        self._loading = 0
        self.setAcceptDrops(True)
        self.model = EvidenceModel(self)
        self.model.committer = self._save_field
        self.model.edit_refused.connect(self.status_message)

        layout = page_layout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Evidence")))
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setFont(style.scaled(self.summary.font(), 1.1, bold=True))
        top.addWidget(self.summary)
        layout.addLayout(top)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            f"background: {style.BANNER_BACKGROUND}; border: 1px solid {style.BANNER_BORDER};"
            " border-radius: 4px; padding: 8px;"
        )
        self.banner.hide()
        layout.addWidget(self.banner)

        bar = QHBoxLayout()
        bar.setSpacing(style.SPACING)
        self.add_button = QPushButton(_("Add files…"))
        self.add_button.clicked.connect(lambda: self.add_with_dialog())
        bar.addWidget(self.add_button)
        self.drop_hint = QLabel(_("or drag files from a folder and drop them here"))
        self.drop_hint.setStyleSheet("color: #5f6b7a;")
        bar.addWidget(self.drop_hint)
        bar.addSpacing(2 * style.SPACING)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            _("Search title, number, file or criterion (accents not needed)…")
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.setMinimumWidth(280)
        bar.addWidget(self.search, 1)
        layout.addLayout(bar)

        self.table = EditTable()
        self.table.setModel(self.model)
        self.table.set_widths(
            {COL_NUMBER: 140, COL_DATE: 92, COL_FILE: 150, COL_SIZE: 70, COL_CRITERIA: 120},
            COL_TITLE,
        )
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #5f6b7a; padding: 8px;")
        self.empty.hide()
        self.detail = EvidenceDetail()
        self.detail.open_button.clicked.connect(self.open_selected)
        self.detail.link_button.clicked.connect(self.link_with_picker)
        self.detail.unlink_button.clicked.connect(self._unlink_selected)
        self.lacking = LackingPanel()
        self.lacking.link_selected.connect(self._link_current_to)
        self.lacking.add_for.connect(lambda code: self.add_with_dialog([code]))

        left = QSplitter(Qt.Orientation.Vertical)
        table_box = QWidget()
        table_layout = page_layout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.empty)
        table_layout.addWidget(self.table, 1)
        left.addWidget(table_box)
        left.addWidget(self.detail)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setSizes([470, 150])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.lacking)
        split.setStretchFactor(0, 1)
        split.setSizes([860, 300])
        layout.addWidget(split, 1)
        self.refresh()

    # -- data ----------------------------------------------------------------------
    def refresh(self) -> None:
        view = self.state.view
        db = self.state.db
        if view is None or not hasattr(self, "lacking"):
            return
        self.editable = can_edit(view.info.status, FieldGroup.SELF)
        self._year = view.info.year
        self.banner.setVisible(not self.editable)
        if not self.editable:
            self.banner.setText(
                lock_reason(view.info.status)
                + " "
                + _("Its evidence can be opened but not changed.")
            )
        for widget in (self.add_button, self.drop_hint):
            widget.setVisible(self.editable)
        self.lacking.set_codes(view.cset, self.lacking_codes(), self.editable)
        if db is None:
            return
        year = view.info.year
        self._loading += 1

        def job(office: Any) -> list[Any]:
            return evidence.list_evidence(office, year)

        OfficeOp(self.state, job).success(self._listed).failure(self._failed).run()

    def lacking_codes(self) -> list[str]:
        """Leaves the unit must prove that have no document, on them or above them."""
        view = self.state.view
        if view is None:
            return []
        return [
            n.code
            for n in view.cset.leaves()
            if needs_evidence(n)
            and not view.totals.nodes[n.code].excluded
            and not view.has_evidence(n.code)
        ]

    def _listed(self, docs: list[Any]) -> None:
        self._loading -= 1
        keep = self.current_sha()
        self.table.commit_open_editor()
        self.model.set_documents(docs, self.editable)
        self._show_counts()
        self.select_document(keep)
        if self.table.currentIndex().row() < 0 and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, COL_TITLE))
        if self.table.currentIndex().row() < 0:
            self._row_changed(QModelIndex(), QModelIndex())

    def _show_counts(self) -> None:
        total = self.model.total
        self.summary.setText(
            ngettext("{n} document", "{n} documents", total).format(n=total)
        )
        if total == 0:
            self.empty.setText(
                _("There is no evidence for the assessment of {year} yet. Press 'Add files…' "
                  "or drop scanned decisions, plans and reports here.").format(year=self._year)
                if self.editable
                else _("There is no evidence for the assessment of {year}.").format(year=self._year)
            )
        else:
            self.empty.setText(_("No document matches the search."))
        self.empty.setVisible(self.model.rowCount() == 0)

    @property
    def loading(self) -> bool:
        return self._loading > 0

    def _failed(self, exc: BaseException) -> None:
        self._loading = max(0, self._loading - 1)
        self._show_error(exc)

    def _show_error(self, exc: BaseException) -> None:
        self.status_message.emit(message(exc))
        dialogs.show_error(self, exc)

    # -- selection -----------------------------------------------------------------
    def current_sha(self) -> str:
        doc = self.model.document(self.table.currentIndex().row())
        return doc.sha256 if doc else ""

    def select_document(self, sha256: str) -> None:
        row = self.model.row_of(sha256) if sha256 else -1
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, COL_TITLE))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        view = self.state.view
        doc = self.model.document(current.row()) if current.isValid() else None
        self.detail.show_document(doc, view.cset if view else None, self.editable)
        self.lacking.set_document_selected(doc is not None)

    def _search_changed(self, text: str) -> None:
        keep = self.current_sha()
        self.table.commit_open_editor()
        self.model.set_query(text)
        self._show_counts()
        self.select_document(keep)

    def activate(self, **filters: Any) -> None:
        if "query" in filters:
            self.search.setText(str(filters["query"]))
        if "criterion" in filters:
            self.lacking.select(str(filters["criterion"]))

    def before_leave(self) -> None:
        self.table.commit_open_editor()

    def _double_clicked(self, index: QModelIndex) -> None:
        if not (self.model.flags(index) & Qt.ItemFlag.ItemIsEditable):
            self.open_selected()

    # -- adding --------------------------------------------------------------------
    def add_with_dialog(self, codes: Sequence[str] = ()) -> None:
        if not self.editable:
            return
        paths = self.choose_files(self)
        if paths:
            self.add_files(paths, codes)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.editable and dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if self.editable:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_files(event)
        if not self.editable or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(paths)

    def add_files(self, paths: Sequence[Path], codes: Sequence[str] = ()) -> None:
        """Copy files into the store (on the worker), linked to ``codes`` if any."""
        db, year = self.state.db, self._year
        files = [p for p in paths if p.is_file()]
        skipped = [p for p in paths if not p.is_file()]
        if db is None or not files:
            if skipped:
                dialogs.warn(self, _("Folders cannot be added; choose or drop the files inside."))
            return

        OfficeOp(
            self.state,
            lambda office: add_files_job(office, files, codes, year),
            label=_("Adding evidence files"),
        ).success(self._added).failure(self._show_error).run()

    def _added(self, result: tuple[list[Any], list[tuple[Path, BaseException]]]) -> None:
        added, failures = result
        new = [d for d in added if d.outcome is not Outcome.UNCHANGED]
        there = [d for d in added if d.outcome is Outcome.UNCHANGED]
        said = []
        if new:
            self.state.mark_saved(datetime.now())
            said.append(
                ngettext("{n} file added.", "{n} files added.", len(new)).format(n=len(new))
            )
        if there:
            said.append(
                ngettext(
                    "{n} file is stored already, with these links; nothing was changed.",
                    "{n} files are stored already, with these links; nothing was changed.",
                    len(there),
                ).format(n=len(there))
            )
        if said:
            self.status_message.emit(" ".join(said))
        if added:
            for doc in added:
                self.model.replace_document(doc)
            self._show_counts()
            self.select_document(added[-1].sha256)
            if new:
                self.state.reload(changed=changes.EVIDENCE_LINKS)
        if failures:
            lines = "\n".join(f"• {p.name}: {message(e)}" for p, e in failures)
            dialogs.warn(self, _("Some files could not be added:"), lines)

    # -- editing -------------------------------------------------------------------
    def _save_field(self, sha256: str, field: str, value: Any) -> None:
        db, year = self.state.db, self._year
        if db is None:
            return

        def job(office: Any) -> Any:
            return evidence.update_evidence(office, sha256, year=year, **{field: value})

        def failed(exc: BaseException) -> None:
            self.model.show_error(sha256, self._column(field), message(exc))
            self.status_message.emit(message(exc))

        OfficeOp(self.state, job).success(self._saved).failure(failed).run()

    @staticmethod
    def _column(field: str) -> int:
        return {"title": COL_TITLE, "doc_number": COL_NUMBER, "doc_date": COL_DATE}[field]

    def _saved(self, doc: Any) -> None:
        self.model.replace_document(doc)
        self.state.mark_saved(datetime.now())
        if doc.sha256 == self.current_sha():
            self._row_changed(self.table.currentIndex(), QModelIndex())
        for warning in getattr(doc, "warnings", ()):  # a date outside the year assessed
            self.status_message.emit(message(warning))

    # -- links ---------------------------------------------------------------------
    def link_with_picker(self) -> None:
        view = self.state.view
        doc = self.model.document(self.table.currentIndex().row())
        if view is None or doc is None or not self.editable:
            return
        picker = CriteriaPicker(view.cset, doc.title, exclude=doc.node_codes, parent=self)
        if self.lacking.code():
            picker.check([self.lacking.code()])
        if picker.exec() and picker.codes():
            self.link(doc.sha256, picker.codes())

    def _link_current_to(self, code: str) -> None:
        sha = self.current_sha()
        if sha and code:
            self.link(sha, [code])

    def _unlink_selected(self) -> None:
        sha, codes = self.current_sha(), self.detail.selected_codes()
        if sha and codes:
            self.unlink(sha, codes)

    def link(self, sha256: str, codes: Sequence[str]) -> None:
        self._change_links("link_evidence", sha256, codes)

    def unlink(self, sha256: str, codes: Sequence[str]) -> None:
        self._change_links("unlink_evidence", sha256, codes)

    def _change_links(self, name: str, sha256: str, codes: Sequence[str]) -> None:
        db, year = self.state.db, self._year
        if db is None or not self.editable:
            return
        wanted = list(codes)

        def job(office: Any) -> Any:
            return getattr(evidence, name)(office, sha256, wanted, year)

        def done(doc: Any) -> None:
            self._saved(doc)
            # The lacking list and the self-assessment's counts follow.
            self.state.reload(changed=changes.EVIDENCE_LINKS)

        OfficeOp(self.state, job).success(done).failure(self._show_error).run()

    # -- opening -------------------------------------------------------------------
    def open_selected(self) -> None:
        doc = self.model.document(self.table.currentIndex().row())
        db = self.state.db
        if doc is None or db is None:
            return
        sha, name = doc.sha256, doc.filename

        def job(office: Any) -> Path:
            return named_copy(office, sha, name)

        def done(path: Path) -> None:
            if not self.opener(path):
                dialogs.warn(
                    self,
                    _("No program on this computer opens {name}.").format(name=name),
                    _("The copy is in {folder}.").format(folder=path.parent),
                )

        OfficeOp(self.state, job).success(done).failure(self._show_error).run()
