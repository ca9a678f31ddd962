"""The self-assessment's "Excel / năm trước" menu: export to Excel, import from Excel after a
preview of what changes (all rows or none), and copy last year's into this year. The work
runs on the database worker (``OfficeOp``); the table is reloaded after a change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.assessment import FieldGroup, can_edit
from parapp.i18n import _, message, ngettext
from parapp.services import carry_over, scores_export, scores_import, scores_preview
from ui import dialogs, style
from ui.fmt import points
from ui.operations import OfficeOp
from ui.widgets.sync_sent import documents_folder

if TYPE_CHECKING:
    from parapp.services.carry_over import CarryOverResult
    from parapp.services.scores_preview import ScoresPreview
    from ui.state import AppState


def ask_save_path(parent: QWidget, suggested: str) -> str:
    path, _chosen = QFileDialog.getSaveFileName(
        parent, _("Export the self-assessment to Excel"), suggested, _("Excel workbook (*.xlsx)")
    )
    return path


def ask_open_path(parent: QWidget) -> str:
    path, _chosen = QFileDialog.getOpenFileName(
        parent,
        _("Import self scores from Excel"),
        str(documents_folder()),
        _("Scores file (*.xlsx *.csv);;All files (*)"),
    )
    return path


def _score(value: Any) -> str:
    return points(value) if value is not None else "—"


class ImportPreviewDialog(QDialog):
    """What the file changes, criterion by criterion, before anything is written."""

    def __init__(self, parent: QWidget | None, preview: ScoresPreview, name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import self scores from Excel"))
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        n = len(preview.changes)
        self.summary = QLabel(
            ngettext(
                "{name}: {rows} rows read; {n} criterion of {year} will change:",
                "{name}: {rows} rows read; {n} criteria of {year} will change:",
                n,
            ).format(name=name, rows=preview.rows, n=n, year=preview.year)
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(n, 5)
        self.table.setHorizontalHeaderLabels(
            [_("Code"), _("Criterion"), _("Now"), _("In the file"), _("Explanation")]
        )
        for row, c in enumerate(preview.changes):
            cells = (
                c.code,
                c.title,
                " · ".join(t for t in (c.declared_before, _score(c.score_before)) if t),
                " · ".join(t for t in (c.declared_after, _score(c.score_after)) if t),
                _("changed") if c.explanation_changed else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        note = QLabel(_("All rows are written together, or none if one is refused."))
        note.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.apply_button = QPushButton(_("Import these changes"))
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.accept)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        for label in self.findChildren(QLabel):
            style.room_for_marks(label)


def carry_over_text(result: CarryOverResult) -> tuple[str, str]:
    """The copy's outcome as a sentence and the skipped criteria, one a line."""
    text = _(
        "Copied {copied} criteria and {links} evidence links from {source} into {target}; "
        "{skipped} skipped."
    ).format(
        copied=len(result.copied),
        links=result.links,
        source=result.from_year,
        target=result.to_year,
        skipped=len(result.skipped),
    )
    # One line per reason: 30 criteria "already filled in" are one fact, not 30.
    by_reason: dict[str, list[str]] = {}
    for item in result.skipped:
        by_reason.setdefault(item.reason, []).append(item.code)
    lines = []
    for reason, codes in by_reason.items():
        shown = ", ".join(codes[:12]) + (", …" if len(codes) > 12 else "")
        lines.append(f"{_(reason)} ({len(codes)}): {shown}")
    return text, "\n".join(lines)


class YearActions(QPushButton):
    status_message = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        # tests put their own answers here
        self.ask_save_path: Callable[[QWidget, str], str] = ask_save_path
        self.ask_open_path: Callable[[QWidget], str] = ask_open_path
        self.confirm_import: Callable[[ScoresPreview, str], bool] = self._confirm_import
        self.confirm_copy: Callable[[int, int], bool] = self._confirm_copy
        self.inform: Callable[[str, str], None] = lambda text, detail: dialogs.inform(
            self, text, detail
        )
        self.show_error: Callable[[BaseException], None] = lambda exc: dialogs.show_error(
            self, exc
        )
        self.setText(_("Excel / last year"))
        menu = QMenu(self)
        self.export_action = QAction(_("Export to Excel…"), self)
        self.export_action.triggered.connect(self.export)
        self.import_action = QAction(_("Import from Excel…"), self)
        self.import_action.triggered.connect(self.import_file)
        self.copy_action = QAction(_("Copy last year's data…"), self)
        self.copy_action.setToolTip(
            _("Declared data, explanations and evidence links of last year, where the "
              "criterion is the same; what you typed this year is kept.")
        )
        self.copy_action.triggered.connect(self.copy_last_year)
        menu.addAction(self.export_action)
        menu.addAction(self.import_action)
        menu.addSeparator()
        menu.addAction(self.copy_action)
        menu.setToolTipsVisible(True)
        self.setMenu(menu)

    def refresh(self) -> None:
        view = self.state.view
        editable = view is not None and can_edit(view.info.status, FieldGroup.SELF)
        self.export_action.setEnabled(view is not None)
        self.import_action.setEnabled(editable)
        self.copy_action.setEnabled(editable and not self.state.is_appraiser)

    def _year(self) -> int | None:
        view = self.state.view
        return view.info.year if view is not None else None

    def _failed(self, exc: BaseException) -> None:
        self.status_message.emit(message(exc))
        self.show_error(exc)

    # -- export --------------------------------------------------------------------
    def export(self) -> None:
        year = self._year()
        if year is None:
            return
        suggested = documents_folder() / _("self-assessment-{year}.xlsx").format(year=year)
        path = self.ask_save_path(self, str(suggested))
        if not path:
            return
        out = Path(path) if Path(path).suffix else Path(path).with_suffix(".xlsx")

        def done(result: scores_export.ScoresExportResult) -> None:
            self.status_message.emit(
                _("Wrote the {year} self-assessment ({rows} criteria) to {path}.").format(
                    year=result.year, rows=result.rows, path=result.path
                )
            )

        OfficeOp(self.state, lambda office: scores_export.export_scores(office, out, year)) \
            .success(done).failure(self._failed).run()

    # -- import --------------------------------------------------------------------
    def import_file(self) -> None:
        year = self._year()
        path = self.ask_open_path(self)
        if year is None or not path:
            return
        source = Path(path)
        OfficeOp(
            self.state, lambda office: scores_preview.preview_scores(office, source, year)
        ).success(lambda preview: self._previewed(preview, source, year)).failure(
            self._failed
        ).run()

    def _confirm_import(self, preview: ScoresPreview, name: str) -> bool:
        return ImportPreviewDialog(self, preview, name).exec() == QDialog.DialogCode.Accepted

    def _previewed(self, preview: ScoresPreview, source: Path, year: int) -> None:
        if not preview.changes:
            self.inform(
                _("{name}: the {rows} rows match what is recorded; nothing to change.").format(
                    name=source.name, rows=preview.rows
                ),
                "",
            )
            return
        if not self.confirm_import(preview, source.name):
            return

        def done(result: scores_import.ScoresImportResult) -> None:
            self.state.mark_saved()
            self.state.reload(year)
            self.status_message.emit(
                _("Read {rows} rows; {changed} criteria changed.").format(
                    rows=result.rows, changed=result.changed
                )
            )

        OfficeOp(self.state, lambda office: scores_import.import_scores(office, source, year)) \
            .success(done).failure(self._failed).run()

    # -- last year -----------------------------------------------------------------
    def _confirm_copy(self, source: int, target: int) -> bool:
        return dialogs.confirm(
            self,
            _("Copy the declared data, explanations and evidence links of {source} into "
              "{target}? Criteria already filled in for {target} are kept as they are.").format(
                source=source, target=target
            ),
            _("Copy"),
        )

    def copy_last_year(self) -> None:
        year = self._year()
        if year is None or not self.confirm_copy(year - 1, year):
            return

        def done(result: CarryOverResult) -> None:
            self.state.mark_saved()
            self.state.reload(year)
            text, detail = carry_over_text(result)
            self.status_message.emit(text)
            self.inform(text, detail)

        OfficeOp(self.state, lambda office: carry_over.copy_last_year(office, year)) \
            .success(done).failure(self._failed).run()
