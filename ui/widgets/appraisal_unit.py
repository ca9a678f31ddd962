"""Appraising one unit: its criteria tree with the self score, explanation and evidence
beside the appraised score, comment and survey score; "accept the self-scores" and "return
for correction"; the self and appraised index side by side, updated as the appraiser types.

Every accepted cell is saved at once through ``appraise_node`` on the worker (no Save
button); a value the service refuses is put back and its cell turns red with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from parapp.domain.assessment import AssessmentStatus, FieldGroup, NodeScore, can_edit
from parapp.domain.completeness import unscored_leaves
from parapp.domain.criteria import ScoreKind
from parapp.i18n import _, format_max, label, message
from parapp.services import appraisal, assessments, council, submission
from parapp.services.appraisal import accept_self_scores, appraise_node, return_for_correction
from parapp.services.appraisal_conflicts import Conflict, Seen
from ui import dialogs, style
from ui.fmt import points
from ui.models.appraisal_columns import COL_COMMENT, COL_SURVEY
from ui.models.appraisal_nodes import AppraisalNodesModel
from ui.models.columns import CODE_ROLE
from ui.operations import OfficeOp
from ui.screens.base import heading
from ui.widgets.appraisal_detail import AppraisalDetail
from ui.widgets.appraisal_dialogs import ask_return_reason, unscored_question
from ui.widgets.appraisal_tree import AppraisalView

if TYPE_CHECKING:
    from parapp.services.assessments import AssessmentView
    from parapp.services.office import Office
    from ui.state import AppState

# (parent, question, yes) -> True to go on; a test may answer instead of a person
Confirm = Callable[[QWidget, str, str], bool]
AskReason = Callable[[QWidget, str], "str | None"]


@dataclass(frozen=True)
class Opened:
    """What the panel shows: the unit's assessment and why it may be locked."""

    view: AssessmentView
    return_reason: str
    incomplete_reason: str = ""  # the unit submitted it incomplete, and said why
    # A council member (docs/hub.md): not the secretariat, and the areas it may not score,
    # each with the member it is assigned to ("" for nobody).
    member: bool = False
    closed_areas: dict[str, str] = field(default_factory=dict)


def load_unit(db: Office, year: int, unit_code: str) -> Opened:
    """Runs on the worker."""
    view = assessments.view(db, year, unit_code)
    reason = ""
    if view.info.status is AssessmentStatus.RETURNED:
        reason = appraisal.unit_return_reason(db, unit_code, year, view.info.set_code) or ""
    note = submission.read_note(db, view.info.id)
    member = not council.role(db).secretariat
    closed = (council.closed_areas(db, view.info.set_code, year,
                                   [r.code for r in view.cset.roots()]) if member else {})
    return Opened(view, reason, note.reason if note is not None else "", member, closed)


class UnitAppraisalPanel(QWidget):
    back = Signal()
    changed = Signal()  # something was written: the units table is out of date
    status_message = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.opened: Opened | None = None
        self.year: int | None = None
        self.unit_code = ""
        self.pending = 0
        self.confirm: Confirm = lambda parent, text, yes: dialogs.confirm(parent, text, yes)
        self.ask_reason: AskReason = ask_return_reason
        self.model = AppraisalNodesModel(self)
        self.model.committer = self._commit
        self.model.totals_changed.connect(self._show_totals)
        self.model.edit_refused.connect(lambda _c, _col, reason: self.status_message.emit(reason))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(style.SPACING)
        top = QHBoxLayout()
        self.back_button = QPushButton(_("← All units"))
        self.back_button.clicked.connect(self._back)
        top.addWidget(self.back_button)
        self.title = heading("", 1.2)
        top.addWidget(self.title, 1)
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
        self.totals = QLabel()
        self.totals.setFont(style.scaled(self.totals.font(), 1.1, bold=True))
        self.totals.setWordWrap(True)
        style.room_for_marks(self.totals)
        bar.addWidget(self.totals, 1)
        self.accept_button = QPushButton(_("Accept the self-scores"))
        self.accept_button.setToolTip(
            _("The self score becomes the appraised score of every criterion not appraised yet.")
        )
        self.accept_button.clicked.connect(self.accept_self_scores)
        self.return_button = QPushButton(_("Return for correction…"))
        self.return_button.clicked.connect(self.return_for_correction)
        bar.addWidget(self.accept_button)
        bar.addWidget(self.return_button)
        layout.addLayout(bar)
        self.hint = QLabel(
            _(
                "Type the appraised score in the blue cells (Enter goes down); an empty "
                "appraised score means the self score is kept."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
        layout.addWidget(self.hint)

        self.table = AppraisalView()
        self.table.setModel(self.model)
        self.table.setup_columns()
        # What the unit declared and filed for the selected criterion, under the table:
        # the appraiser reads it before typing the score.
        self.detail = AppraisalDetail(state)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.table)
        self.split.addWidget(self.detail)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([400, 170])
        layout.addWidget(self.split, 1)

    # -- loading -------------------------------------------------------------------
    def open_unit(self, year: int, unit_code: str) -> None:
        db = self.state.db
        if db is None:
            return
        self.year, self.unit_code = year, unit_code
        OfficeOp(self.state, lambda office: load_unit(office, year, unit_code)).success(
            self._loaded
        ).failure(self._load_failed).run()

    def _loaded(self, opened: Opened) -> None:
        other = self.opened is None or self.opened.view.info.id != opened.view.info.id
        self.opened = opened
        view = opened.view
        self.model.set_data(view.cset, view.scores, view.evidence_counts, self._editable(),
                            opened.closed_areas)
        self.table.expandAll()
        if other:  # another unit starts at its first criterion, not where the last one was
            self.table.scrollToTop()
        self._show_state()
        self._show_detail(self.table.currentIndex())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(current)

    def _show_detail(self, current: QModelIndex) -> None:
        code = current.data(CODE_ROLE) if current.isValid() else None
        view = self.opened.view if self.opened else None
        self.detail.show_node(
            view.cset if view else None,
            self.model.scores if view else {},
            code,
            view.info.id if view else None,
        )

    def _load_failed(self, exc: BaseException) -> None:
        dialogs.show_error(self, exc)
        self.back.emit()

    def _editable(self) -> bool:
        return self.opened is not None and can_edit(self.status, FieldGroup.APPRAISAL)

    @property
    def status(self) -> AssessmentStatus:
        assert self.opened is not None
        return self.opened.view.info.status

    def _show_state(self) -> None:
        if self.opened is None:
            return
        info = self.opened.view.info
        self.title.setText(
            _("{unit} — {year} ({status})").format(
                unit=info.unit_name, year=info.year, status=label(info.status)
            )
        )
        editable = self._editable()
        self.model.editable = editable
        member = self.opened.member
        self.accept_button.setEnabled(editable and not member)
        self.return_button.setEnabled(
            not member and info.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED)
        )
        secretariat_only = _("Only the council's secretariat accepts and returns results.")
        self.accept_button.setToolTip(secretariat_only if member else _(
            "The self score becomes the appraised score of every criterion not appraised yet."))
        self.return_button.setToolTip(secretariat_only if member else "")
        self.hint.setVisible(editable)
        self.banner.setText(self._banner_text())
        self.banner.setVisible(bool(self.banner.text()))
        self._show_totals()

    def _banner_text(self) -> str:
        assert self.opened is not None
        status = self.status
        if status is AssessmentStatus.RETURNED:
            text = _(
                "Returned to the unit for correction: it can be appraised again when the "
                "unit sends it back."
            )
            if self.opened.return_reason:
                text += " " + _("Reason: {reason}").format(reason=self.opened.return_reason)
            return text
        if status is AssessmentStatus.PUBLISHED:
            return _("The results are published: this appraisal can only be read.")
        if self.opened.incomplete_reason:
            return _(
                "The unit submitted this self-assessment incomplete. Its reason: {reason}"
            ).format(reason=self.opened.incomplete_reason)
        count = sum(1 for s in self.model.scores.values() if s.needs_reappraisal)
        if count:
            return _(
                "{n} criteria were changed by the unit after you appraised them (marked in "
                "amber): type their appraised score again."
            ).format(n=count)
        return ""

    def _show_totals(self) -> None:
        own, official = self.model.self_totals, self.model.official
        if own is None or official is None:
            self.totals.setText("")
            return
        # Both indices are percentages, each of its own maximum (the unit does not score
        # the survey criteria): the points and the maximum are said beside each.
        self.totals.setText(
            _(
                "Self-assessed index {self_index}% ({self_points}/{self_max} points) · "
                "appraised index {appraised}% ({points}/{max} points)"
            ).format(
                self_index=points(own.index),
                self_points=points(own.total),
                self_max=format_max(own.main_max),
                appraised=points(official.index),
                points=points(official.total),
                max=format_max(official.main_max),
            )
        )
        missing = self.model.survey_missing()
        self.totals.setToolTip(
            _(
                "{n} survey criteria have no score yet: they count 0 in the appraised index "
                "until you type their survey score."
            ).format(n=missing)
            if missing
            else ""
        )
        if missing:
            self.totals.setText(self.totals.text() + " " + _("(survey not scored yet)"))

    # -- saving --------------------------------------------------------------------
    def _commit(self, code: str, col: int, old: NodeScore, new: NodeScore) -> None:
        """An accepted cell: show it now, save it on the worker."""
        db, year, unit = self.state.db, self.year, self.unit_code
        if db is None or year is None or self.opened is None:
            return
        self.model.apply_local(code, new)
        # A cell saves its own value only (a score leaves the comment as stored, and the
        # other way round), with what the appraiser saw of the criterion: a colleague's
        # change since is refused, not overwritten (issue 18, point 4).
        survey = col == COL_SURVEY
        score: Decimal | None = None
        comment: str | None = None
        if col == COL_COMMENT:
            comment = new.appraisal_comment
        else:
            score = new.survey_score if survey else new.appraised_score
        seen = Seen(old.survey_score if self._survey_only(code) else old.appraised_score,
                    old.appraisal_comment)
        set_code = self.opened.view.info.set_code
        self.pending += 1

        def job(office: Any) -> Any:
            return appraise_node(office, unit, year, code, score, comment, set_code=set_code,
                                 seen=seen)

        def done(result: Any) -> None:
            self.pending -= 1
            current = self.model.scores.get(code) or new
            self.model.apply_local(
                code,
                replace(
                    current,
                    appraised_score=result.appraised,
                    survey_score=result.survey,
                    appraisal_comment=result.comment,
                    needs_reappraisal=current.needs_reappraisal and score is None,
                ),
            )
            self._set_status(result.status)
            self.state.mark_saved(datetime.now())
            if self.pending == 0:
                self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.pending -= 1
            if not hasattr(exc, "template"):
                raise exc
            reason = message(exc)
            stored = old
            if isinstance(exc, Conflict):  # what the colleague saved, under the typed value
                stored = (replace(old, survey_score=exc.score) if self._survey_only(code)
                          else replace(old, appraised_score=exc.score))
                stored = replace(stored, appraisal_comment=exc.comment)
            self.model.apply_local(code, stored)
            self.model.keep_refused(code, col, self.model.typed_text(new, col), reason)
            self.status_message.emit(reason)

        OfficeOp(self.state, job).success(done).failure(failed).run()

    def _survey_only(self, code: str) -> bool:
        cset = self.model.cset
        return cset is not None and ScoreKind.SELF not in cset.node(code).score_kinds

    def _set_status(self, status: AssessmentStatus) -> None:
        if self.opened is None or status is self.status:
            return
        info = replace(self.opened.view.info, status=status)
        self.opened = replace(self.opened, view=replace(self.opened.view, info=info))
        self._show_state()

    # -- actions -------------------------------------------------------------------
    def accept_self_scores(self) -> None:
        db, year, unit = self.state.db, self.year, self.unit_code
        if db is None or year is None or self.opened is None:
            return
        self.table.commit_open_editor()
        view = self.opened.view
        question = _(
            "The self score of every criterion of {unit} not appraised yet becomes its "
            "appraised score. Criteria changed by the unit after appraisal are left for you. "
            "Accept the self-scores?"
        ).format(unit=view.info.unit_name)
        yes = _("Accept the self-scores")
        # Criteria nobody scored would count 0: the appraiser sees them and says so. The
        # table's scores, not those read when the unit was opened: what was typed since counts.
        unscored = unscored_leaves(view.cset, self.model.scores)
        if unscored:
            question = unscored_question(view.info.unit_name, unscored)
            yes = _("Accept anyway")
        if not self.confirm(self, question, yes):
            return
        confirmed = bool(unscored)

        def job(office: Any) -> Any:
            return accept_self_scores(
                office, unit, year, set_code=self.opened_set(), confirm_incomplete=confirmed
            )

        def done(result: Any) -> None:
            text = _("{n} self-scores accepted as appraised.").format(n=result.accepted)
            if result.to_reappraise:
                text += " " + _("{n} criteria still to re-appraise.").format(n=result.to_reappraise)
            self.status_message.emit(text)
            self.state.mark_saved(datetime.now())
            self._after_action()

        OfficeOp(self.state, job).success(done).failure(lambda e: dialogs.show_error(self, e)).run()

    def return_for_correction(self) -> None:
        db, year, unit = self.state.db, self.year, self.unit_code
        if db is None or year is None or self.opened is None:
            return
        self.table.commit_open_editor()
        reason = self.ask_reason(self, self.opened.view.info.unit_name)
        if not reason:
            return

        def job(office: Any) -> Any:
            return return_for_correction(office, unit, year, reason, set_code=self.opened_set())

        def done(_result: Any) -> None:
            self.status_message.emit(
                _("{unit} was returned for correction.").format(
                    unit=self.opened.view.info.unit_name if self.opened else unit
                )
            )
            self.state.mark_saved(datetime.now())
            self._after_action()

        OfficeOp(self.state, job).success(done).failure(lambda e: dialogs.show_error(self, e)).run()

    def opened_set(self) -> str | None:
        return self.opened.view.info.set_code if self.opened else None

    def _after_action(self) -> None:
        self.changed.emit()
        if self.year is not None:
            self.open_unit(self.year, self.unit_code)

    def _back(self) -> None:
        self.table.commit_open_editor()
        self.back.emit()

    def before_leave(self) -> None:
        self.table.commit_open_editor()
