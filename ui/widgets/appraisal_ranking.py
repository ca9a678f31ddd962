"""The ranking of the year: table and bar chart, publishing the results, exporting the
ranking (XLSX, PDF, Word) and sending every unit its result package.

The file and folder dialogs are plain functions the panel holds, so a test can answer them.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.assessment import AssessmentStatus
from parapp.domain.errors import DomainError
from parapp.domain.roles import PackageKind
from parapp.i18n import _, message
from parapp.services import council
from parapp.services.appraisal import UnitStatus
from parapp.services.appraisal_publish import (
    RANKING_SUFFIXES,
    export_ranking,
    publish,
    ranking_inputs,
)
from parapp.services.sync_export import export
from ui import dialogs, style
from ui.models.ranking import COL_BAND, COL_INDEX, COL_RANK, COL_STATE, COL_UNIT, RankingModel
from ui.operations import OfficeOp
from ui.widgets.appraisal_dialogs import (
    PublishDialog,
    blocking,
    left_out,
    skipped_text,
    status_why,
)
from ui.widgets.appraisal_signer import AppraiserSignerDialog, edit_appraiser_signer
from ui.widgets.ranking_chart import Bar, RankingChart

if TYPE_CHECKING:
    from parapp.domain.ranking import RankingInputs
    from parapp.services.office import Office
    from ui.state import AppState

# (parent, caption, suggested path, filters) -> the chosen path, "" when cancelled
SavePath = Callable[[QWidget, str, str, str], str]
# (parent, caption) -> the chosen folder, "" when cancelled
ChooseFolder = Callable[[QWidget, str], str]
# Units that have a result to send back (as sync_export.export_all_results chooses them).
SENDABLE = frozenset(
    {AssessmentStatus.APPRAISED, AssessmentStatus.RETURNED, AssessmentStatus.PUBLISHED}
)


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, _chosen = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return path


def ask_folder(parent: QWidget, caption: str) -> str:
    return QFileDialog.getExistingDirectory(parent, caption)


class RankingPanel(QWidget):
    changed = Signal()  # results were published: the units table is out of date
    status_message = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.year: int | None = None
        self.units: list[UnitStatus] = []
        self.inputs: RankingInputs | None = None
        self.issuer_name = ""  # the appraiser: who publishes unless the dialog says otherwise
        self.last_export: Path | None = None
        self.last_sent: list[Any] = []
        self.ask_save_path: SavePath = ask_save_path
        self.ask_folder: ChooseFolder = ask_folder
        self.publish_dialog: Callable[..., PublishDialog] = PublishDialog
        self.model = RankingModel(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, style.SPACING, 0, 0)
        layout.setSpacing(style.SPACING)
        bar = QHBoxLayout()
        bar.setSpacing(style.SPACING)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bar.addWidget(self.summary, 1)
        self.publish_button = QPushButton(_("Publish the results…"))
        self.publish_button.clicked.connect(self.publish)
        self.export_button = QPushButton(_("Export the ranking…"))
        self.export_button.setToolTip(_("As an Excel table, a PDF or a Word document."))
        self.export_button.clicked.connect(self.export)
        self.send_button = QPushButton(_("Send the results to all units…"))
        self.send_button.setToolTip(
            _("A result package for every unit appraised, returned or published, in one folder.")
        )
        self.send_button.clicked.connect(self.send_all)
        self.signer_button = QPushButton(_("Signer…"))
        self.signer_button.setToolTip(_("Who signs the ranking (the director, or a deputy)."))
        self.signer_button.clicked.connect(self.edit_signer)
        self.signer_dialog: AppraiserSignerDialog | None = None
        buttons = (self.publish_button, self.export_button, self.signer_button, self.send_button)
        self.member = False  # the login in use is a council member, not the secretariat
        self._tips = {b: b.toolTip() for b in buttons}
        for button in buttons:
            bar.addWidget(button)
        layout.addLayout(bar)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"color: {style.MUTED_TEXT.name()}; padding: 8px;")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.hide()
        layout.addWidget(self.empty)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_UNIT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_RANK, 80), (COL_INDEX, 120), (COL_BAND, 110), (COL_STATE, 100)):
            self.table.setColumnWidth(col, width)
        self.chart = RankingChart()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        scroll.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.table)
        self.split.addWidget(scroll)
        self.split.setSizes([560, 520])
        layout.addWidget(self.split, 1)

    # -- loading -------------------------------------------------------------------
    def set_units(self, year: int, units: list[UnitStatus]) -> None:
        """The units of ``year`` as the hub last loaded them; reloads the ranking."""
        self.year, self.units = year, list(units)
        self._update_buttons()
        db = self.state.db
        if db is None:
            return
        OfficeOp(self.state, council.role).success(self._role_loaded).run()

        def job(office: Any) -> RankingInputs | BaseException:
            try:
                return ranking_inputs(office, year)
            except DomainError as exc:  # no ranking yet, or several criteria sets
                return exc

        OfficeOp(self.state, job).success(self._loaded).run()

    def _loaded(self, result: RankingInputs | BaseException) -> None:
        if isinstance(result, BaseException):
            self.inputs = None
            self.model.set_inputs(None)
            self.chart.set_bars([])
            self.empty.setText(
                message(result)
                + " "
                + _("Appraise the units first: a unit is ranked once its appraisal is complete.")
            )
            self.summary.setText("")
        else:
            self.inputs = result
            self.model.set_inputs(result)
            self.chart.set_bars(
                [Bar(r.rank, r.unit_name, r.index, r.published) for r in result.rows]
            )
            published = sum(1 for r in result.rows if r.published)
            text = _("Ranking of {year}: {n} units, {published} published.").format(
                year=result.year, n=len(result.rows), published=published
            )
            if result.decision_number:
                text += " " + _("Decision {number}.").format(number=result.decision_number)
            self.summary.setText(text)
        self.empty.setVisible(self.inputs is None)
        self.split.setVisible(self.inputs is not None)
        self._update_buttons()

    def _role_loaded(self, role: council.Role) -> None:
        self.member = not role.secretariat
        self._update_buttons()

    def _update_buttons(self) -> None:
        statuses = {u.status for u in self.units}
        allowed = not self.member  # a council member: the secretariat's buttons say why not
        self.publish_button.setEnabled(allowed and AssessmentStatus.APPRAISED in statuses)
        self.export_button.setEnabled(allowed and self.inputs is not None)
        self.send_button.setEnabled(allowed and bool(statuses & SENDABLE))
        self.signer_button.setEnabled(allowed)
        for button, tip in self._tips.items():
            button.setToolTip(tip if allowed else secretariat_only())

    # -- publishing ----------------------------------------------------------------
    def publish(self) -> None:
        db, year = self.state.db, self.year
        if db is None or year is None:
            return
        ready = sum(1 for u in self.units if u.status is AssessmentStatus.APPRAISED)
        dialog = self.publish_dialog(
            year, self.issuer_name, ready, left_out(self.units), self, blocking(self.units)
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.decision is None:
            return
        decision = dialog.decision

        def job(office: Any, confirmed: bool = False) -> Any:
            return publish(
                office,
                year,
                decision_number=decision.number,
                decision_date=decision.decided_on,
                issuer=decision.issuer,
                confirm_incomplete=confirmed,
            )

        def failed(exc: BaseException) -> None:
            details = getattr(exc, "details", None)
            if not details:  # not the "criteria nobody scored" refusal
                dialogs.show_error(self, exc)
                return
            # Criteria nobody scored would be published as 0: ask, with the list.
            lines = [message(d) for d in details[:12]]
            if len(details) > 12:
                lines.append(_("… and {n} more").format(n=len(details) - 12))
            question = (
                _("{n} criteria were never scored and would be published as 0:").format(
                    n=len(details)
                )
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("Publish the results anyway?")
            )
            if dialogs.confirm(self, question, _("Publish anyway")):
                OfficeOp(self.state, lambda office: job(office, True)).success(
                    self._published
                ).failure(lambda e: dialogs.show_error(self, e)).run()

        OfficeOp(self.state, job).success(self._published).failure(failed).run()

    def _published(self, outcome: Any) -> None:
        self.state.mark_saved()
        text = _("Published the results of {n} units.").format(n=len(outcome.published))
        detail = ""
        if outcome.skipped:
            skipped = [(name, status_why(status)) for _code, name, status in outcome.skipped]
            detail = _("Not published yet:") + "\n" + skipped_text(skipped)
        self.status_message.emit(text)
        self.changed.emit()
        dialogs.inform(self, text, detail, _("Results published"))

    # -- exporting -----------------------------------------------------------------
    def export(self) -> None:
        inputs, db = self.inputs, self.state.db
        if inputs is None or db is None:
            return
        suggested = str(Path.home() / f"bang-xep-hang-{inputs.year}.xlsx")
        filters = ";;".join(
            (
                _("Excel table (*.xlsx)"),
                _("PDF document (*.pdf)"),
                _("Word document (*.docx)"),
            )
        )
        chosen = self.ask_save_path(self, _("Export the ranking"), suggested, filters)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in RANKING_SUFFIXES:
            path = path.with_name(path.name + ".xlsx")
        self.state.run(
            lambda: export_ranking(inputs, path),
            self._exported,
            lambda exc: dialogs.show_error(self, exc),
            label=_("Exporting the ranking…"),
        )

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.status_message.emit(_("The ranking was saved to {path}.").format(path=path))

    def edit_signer(self) -> None:
        edit_appraiser_signer(self, self.state, self._signer_shown)

    def _signer_shown(self, dialog: AppraiserSignerDialog) -> None:
        self.signer_dialog = dialog

    def send_all(self) -> None:
        db, year = self.state.db, self.year
        if db is None or year is None:
            return
        caption = _("Choose the folder (or USB stick) for the result packages")
        folder = self.ask_folder(self, caption)
        if not folder:
            return
        target = Path(folder)
        units = [(u.unit_code, u.unit_name) for u in self.units if u.status in SENDABLE]
        OfficeOp(
            self.state,
            lambda office: send_results(office, target, year, units),
            label=_("Making the result packages…"),
        ).success(lambda done: self._sent(target, done)).failure(
            lambda exc: dialogs.show_error(self, exc)
        ).run()

    def _sent(self, folder: Path, outcome: Sent) -> None:
        self.last_sent = outcome.exported
        if outcome.exported:
            self.state.mark_saved()
        text = _("{n} result packages were written to {folder}.").format(
            n=len(outcome.exported), folder=folder
        )
        parts: list[str] = []
        if outcome.exported:
            parts.append(
                _("Give each unit its own package (the file name carries its code):")
                + "\n"
                + _bullets([e.info.path.name for e in outcome.exported])
            )
        if outcome.failed:
            parts.append(
                _("Not made for these units:")
                + "\n"
                + _bullets([f"{name}: {reason}" for name, reason in outcome.failed])
            )
        self.status_message.emit(text)
        dialogs.inform(self, text, "\n\n".join(parts), _("Results sent"))


def _bullets(lines: list[str], limit: int = 12) -> str:
    out = [f"• {line}" for line in lines[:limit]]
    if len(lines) > limit:
        out.append(_("… and {n} more").format(n=len(lines) - limit))
    return "\n".join(out)


def secretariat_only() -> str:
    return _("Only the council's secretariat publishes, exports and sends the results.")


@dataclass(frozen=True)
class Sent:
    exported: list[Any]  # sync_export.Exported
    failed: list[tuple[str, str]]  # (unit name, why), e.g. its key is not trusted yet


def send_results(
    db: Office, folder: Path, year: int, units: list[tuple[str, str]]
) -> Generator[tuple[int, int, str], None, Sent]:
    """A result package for each unit (on the worker, with progress). One unit whose key is
    not trusted yet does not stop the others: it is listed with the reason."""
    exported: list[Any] = []
    failed: list[tuple[str, str]] = []
    for done, (code, name) in enumerate(units):
        yield done, len(units), name
        try:
            exported.append(export(db, PackageKind.RESULT, folder, to=code, year=year))
        except DomainError as exc:
            failed.append((name, message(exc)))
    return Sent(exported, failed)
