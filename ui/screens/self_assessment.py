"""Tự đánh giá: the criteria tree as an editable table, areas on the left, details below.

Every edit is saved as it is made (no Save button to forget) and the totals change at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QWidget,
)

from parapp.domain.assessment import AssessmentStatus, FieldGroup, can_edit
from parapp.domain.figures import compute_figures
from parapp.i18n import _, format_max, label
from parapp.services import changes
from ui import screens, style
from ui.fmt import points
from ui.models.columns import CODE_ROLE, COL_DECLARED, COL_SELF
from ui.models.criteria_filter import CriteriaFilter
from ui.models.criteria_tree import CriteriaTreeModel
from ui.models.problems import Problem
from ui.models.score_editing import ScoreEditor, Target
from ui.screens.base import Screen, heading, page_layout
from ui.screens.criterion_detail import CriterionDetail
from ui.state import AppState
from ui.widgets.area_list import AreaList
from ui.widgets.criteria_view import CriteriaView
from ui.widgets.submit_check import SubmitCheckPanel
from ui.widgets.submit_flow import SubmitFlow
from ui.widgets.year_actions import YearActions


def _problems() -> list[tuple[Problem, str]]:
    return [
        (Problem.ALL, _("All criteria")),
        (Problem.LOST, _("Lost points")),
        (Problem.NO_EVIDENCE, _("No evidence")),
        (Problem.NOT_SCORED, _("Not scored yet")),
    ]


def lock_reason(status: AssessmentStatus) -> str:
    if status is AssessmentStatus.SUBMITTED:
        return _(
            "The self-assessment is submitted, so it can no longer be changed. To correct "
            "it, withdraw the submission (possible until the appraiser's result comes in)."
        )
    if status is AssessmentStatus.APPRAISED:
        return _("The self-assessment has been appraised, so it can only be read.")
    if status is AssessmentStatus.PUBLISHED:
        return _("The results have been published, so the self-assessment is locked.")
    return _("This assessment is '{status}': it can only be read.").format(status=label(status))


class SelfAssessmentScreen(Screen):
    key = screens.SELF_ASSESSMENT
    shows = frozenset({changes.Data.ASSESSMENT})  # evidence counts are in the view
    status_message = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.model = CriteriaTreeModel(self)
        self.proxy = CriteriaFilter(self)
        self.proxy.setSourceModel(self.model)
        self.editor = ScoreEditor(self.model, state.tasks, self)
        self.editor.saved.connect(state.mark_saved)
        self.editor.view_saved.connect(state.set_view)
        self.editor.refused.connect(self.status_message)
        self.model.edit_refused.connect(lambda _c, _col, reason: self.status_message.emit(reason))
        self.model.totals_changed.connect(self._show_totals)

        layout = page_layout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Self-assessment")))
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setFont(style.scaled(self.summary.font(), 1.1, bold=True))
        top.addWidget(self.summary)
        # Submitting and withdrawing: the unit's only moves (the rest is the appraiser's).
        self.flow = SubmitFlow(state, self)
        self.flow.done.connect(self.status_message)
        self.submit_button = QPushButton(_("Submit for appraisal…"))
        self.submit_button.setToolTip(
            _("Checks that every criterion is scored and backed, then marks it submitted.")
        )
        self.submit_button.clicked.connect(self._submit)
        self.check_button = QPushButton(_("Check before submitting"))
        self.check_button.setToolTip(
            _("Lists what is still missing beside the table; a click on a line goes there.")
        )
        self.check_button.clicked.connect(self.open_check)
        self.withdraw_button = QPushButton(_("Withdraw the submission…"))
        self.withdraw_button.clicked.connect(self._withdraw)
        for button in (self.check_button, self.submit_button, self.withdraw_button):
            top.addWidget(button)
            button.hide()
        layout.addLayout(top)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            f"background: {style.BANNER_BACKGROUND}; border: 1px solid {style.BANNER_BORDER};"
            " border-radius: 4px; padding: 8px;"
        )
        self.banner.hide()
        layout.addWidget(self.banner)
        layout.addLayout(self._toolbar())

        self.areas = AreaList()
        self.areas.area_selected.connect(self._area_selected)
        self.table = CriteriaView()
        self.table.setModel(self.proxy)
        self.table.setup_columns()
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._row_menu)
        self.empty = QLabel(_("No criterion matches the filter."))
        self.empty.setStyleSheet("color: #5f6b7a; padding: 8px;")
        self.empty.hide()
        self.detail = CriterionDetail()

        right = QSplitter(Qt.Orientation.Vertical)
        table_box = QWidget()
        table_layout = page_layout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.empty)
        table_layout.addWidget(self.table, 1)
        # A refused value's sentence under the table, while the cell keeps what was typed.
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(f"color: {style.ERROR_TEXT.name()}; padding: 4px 0px;")
        self.refusal.hide()
        table_layout.addWidget(self.refusal)
        self.model.dataChanged.connect(self._show_refusal)
        self.model.modelReset.connect(self._show_refusal)
        right.addWidget(table_box)
        right.addWidget(self.detail)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        right.setSizes([420, 150])
        # The check takes the area list's place while it is open: both lead to criteria,
        # and the table keeps its width.
        self.check = SubmitCheckPanel(state)
        self.check.go_to.connect(self.go_to)
        self.check.submit_requested.connect(self._submit)
        self.check.closed.connect(self.areas.show)
        self.check.hide()
        self.split = split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.areas)
        split.addWidget(self.check)
        split.addWidget(right)
        split.setStretchFactor(2, 1)
        split.setSizes([250, 0, 900])
        layout.addWidget(split, 1)
        self.refresh()

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(style.SPACING)
        bar.addWidget(QLabel(_("Show:")))
        self.problem_box = QComboBox()
        for problem, text in _problems():
            self.problem_box.addItem(text, problem)
        self.problem_box.currentIndexChanged.connect(self._problem_changed)
        bar.addWidget(self.problem_box)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search criteria (accents not needed)…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.setMinimumWidth(260)
        bar.addWidget(self.search, 1)
        self.year_actions = YearActions(self.state, self)
        self.year_actions.status_message.connect(self.status_message)
        bar.addWidget(self.year_actions)
        stack = self.editor.undo_stack
        self.undo_action = stack.createUndoAction(self, _("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, _("Redo"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        return bar

    # -- data ----------------------------------------------------------------------
    def refresh(self) -> None:
        view = self.state.view
        if view is None or not hasattr(self, "table"):
            return
        editable = can_edit(view.info.status, FieldGroup.SELF)
        first = self.model.cset is None
        self.model.set_data(view.cset, view.scores, view.evidence_counts, editable)
        db = self.state.db
        if db is not None:
            self.editor.set_target(Target(db, view.info.id, view.info.year))
        self.banner.setVisible(not editable)
        self.banner.setText(lock_reason(view.info.status) if not editable else "")
        status, unit_side = view.info.status, not self.state.is_appraiser
        open_to_submit = unit_side and status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
        self.submit_button.setVisible(open_to_submit)
        self.check_button.setVisible(open_to_submit)
        if not open_to_submit:
            self.check.close_check()
        elif self.check.isVisibleTo(self):
            self.check.run()  # a change was saved: the list follows it
        self.withdraw_button.setVisible(unit_side and status is AssessmentStatus.SUBMITTED)
        self.year_actions.refresh()
        if first:
            self.table.expandAll()
        self._show_totals()
        self._current_changed(self.table.currentIndex(), QModelIndex())

    def _show_totals(self) -> None:
        totals = self.model.totals
        if totals is None or self.model.cset is None:
            return
        # The figures every document prints (rounded once, adding up), live as she types.
        figures = compute_figures(self.model.cset, totals)
        text = _("Self score: {points}/{max}").format(
            points=points(figures.points), max=format_max(figures.max_points)
        )
        view = self.state.view
        if view is not None and view.result is None and self.model.editable:
            text += " · " + _("provisional index {index}").format(index=points(figures.index))
        self.summary.setText(text)
        self.areas.set_areas(self.model.cset, totals, figures)

    # -- filters -------------------------------------------------------------------
    def activate(self, **filters: Any) -> None:
        if filters.get("check"):
            self.open_check()
        if "criterion" in filters:
            self.go_to(str(filters["criterion"]))
            return
        if "problem" in filters:
            problem = Problem(filters["problem"])
            self.problem_box.setCurrentIndex(self.problem_box.findData(problem))
        if "area" in filters:
            self.areas.select_area(filters["area"])
        if "query" in filters:
            self.search.setText(str(filters["query"]))
        self._apply_filter()

    def _problem_changed(self) -> None:
        self._apply_filter()

    def _search_changed(self, _text: str) -> None:
        self._apply_filter()

    def _area_selected(self, _code: object) -> None:
        self._apply_filter()

    def _apply_filter(self) -> None:
        if not hasattr(self, "table"):
            return
        self.table.commit_open_editor()
        item = self.areas.currentItem()
        area = item.data(0, Qt.ItemDataRole.UserRole + 1) if item is not None else None
        problem = self.problem_box.currentData() or Problem.ALL
        self.proxy.set_filter(area=area, problem=Problem(problem), query=self.search.text())
        self.table.expandAll()
        self.empty.setVisible(self.proxy.rowCount() == 0)

    # -- selection -----------------------------------------------------------------
    def _show_refusal(self, *_args: object) -> None:
        text = self.model.refusal()
        self.refusal.setText(text)
        self.refusal.setVisible(bool(text))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.data(CODE_ROLE) if current.isValid() else None
        self.detail.show_node(self.model, code)

    def _row_menu(self, pos: QPoint) -> None:
        """Right-click on a criterion: its evidence, as in the pane below the table."""
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = self.detail.evidence_actions.row_menu(self.table)
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def open_check(self) -> None:
        """Show the pre-submission check beside the table (checked afresh)."""
        if not self.check_button.isVisibleTo(self):
            return
        self.table.commit_open_editor()  # a score being typed counts in the check
        if not self.check.isVisibleTo(self):
            width = sum(self.split.sizes())
            self.areas.hide()
            self.check.show()
            self.split.setSizes([0, 340, max(width - 340, 400)])
        self.check.run()

    def go_to(self, code: str) -> None:
        """Select criterion ``code``'s row (its cell to type in), showing it whatever the
        filters hid; the keyboard goes to the table."""
        source = self.model.index_of(code, COL_DECLARED)
        if not source.isValid() or self.model.cset is None:
            return
        if not self.model.flags(source) & Qt.ItemFlag.ItemIsEditable:
            source = self.model.index_of(code, COL_SELF)  # a score typed, not computed
        if not self.proxy.mapFromSource(source).isValid():
            self.problem_box.setCurrentIndex(self.problem_box.findData(Problem.ALL))
            self.search.clear()
            self.areas.select_area(self.model.cset.area_of(code).code)
            self._apply_filter()
        index = self.proxy.mapFromSource(source)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()

    def _submit(self) -> None:
        self.table.commit_open_editor()  # a score being typed counts in the check
        self.flow.submit()

    def _withdraw(self) -> None:
        self.flow.withdraw()

    def before_leave(self) -> None:
        self.table.commit_open_editor()

    def visible_codes(self) -> list[str]:
        """Codes of the rows the filter shows, in order (for tests and screenshots)."""
        out: list[str] = []

        def visit(parent: QModelIndex) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                out.append(index.data(CODE_ROLE))
                visit(index)

        visit(QModelIndex())
        return out
