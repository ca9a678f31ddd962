"""Kế hoạch khắc phục: the remediation plan's items, edited in place, with progress.

One plan is shown at a time (chosen at the top; the newest by default, as on the overview).
The plan that would follow the current assessment, if not drafted yet, is offered as an
empty page with one button that drafts it from the criteria that lost points. An issued
plan's wording is frozen: only status and progress are recorded until a new revision.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from parapp.domain.totals import Basis
from parapp.i18n import _, message, ngettext
from ui import dialogs, screens, style
from ui.models.plan_items import (
    COL_COORDINATING,
    COL_DEADLINE,
    COL_LEAD,
    COL_LOST,
    COL_PRODUCT,
    COL_PROGRESS,
    COL_SHORTCOMING,
    COL_STATUS,
    COL_STT,
    COL_TASKS,
    PlanItemsModel,
    Show,
)
from ui.screens.base import Screen, heading, page_layout
from ui.state import AppState
from ui.widgets.evidence_table import EditTable
from ui.widgets.plan_delegate import PlanDelegate
from ui.widgets.plan_pages import DraftPage, banner, issued_text
from ui.widgets.plan_progress import ProgressDialog

if TYPE_CHECKING:
    from parapp.services.plans import PlanSummary, PlanView

RELOADS_STATE = frozenset({"deadline", "status"})  # what the overview's overdue list uses


def _shows() -> list[tuple[Show, str]]:
    return [
        (Show.ALL, _("All items")),
        (Show.OVERDUE, _("Overdue")),
        (Show.UNFINISHED, _("Not finished")),
    ]


class PlanScreen(Screen):
    key = screens.PLAN
    status_message = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.plan: PlanView | None = None
        self.summaries: list[PlanSummary] = []
        self._wanted: int | None = None  # the plan year chosen at the top; None: newest
        self._loading = 0
        self.model = PlanItemsModel(self)
        self.model.committer = self._save
        self.model.edit_refused.connect(self.status_message)

        layout = page_layout(self)
        top = QHBoxLayout()
        top.setSpacing(style.SPACING)
        top.addWidget(heading(_("Remediation plan")))
        self.plan_box = QComboBox()
        self.plan_box.setMinimumWidth(260)
        self.plan_box.activated.connect(self._plan_chosen)
        top.addWidget(self.plan_box)
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setFont(style.scaled(self.summary.font(), 1.1, bold=True))
        top.addWidget(self.summary)
        layout.addLayout(top)

        banner_row = QHBoxLayout()
        self.banner = banner()
        banner_row.addWidget(self.banner, 1)
        self.revise_button = QPushButton(_("Make a new revision"))
        self.revise_button.clicked.connect(self.make_revision)
        banner_row.addWidget(self.revise_button)
        layout.addLayout(banner_row)

        self.pages = QStackedWidget()
        self.draft_page = DraftPage()
        self.empty_text = self.draft_page.text
        self.draft_button = self.draft_page.button
        self.draft_button.clicked.connect(self.draft)
        self.pages.addWidget(self.draft_page)
        self.pages.addWidget(self._table_page())
        layout.addWidget(self.pages, 1)
        self._show_banner(None)
        self.refresh()

    def _table_page(self) -> QWidget:
        page = QWidget()
        box = page_layout(page)
        box.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setSpacing(style.SPACING)
        bar.addWidget(QLabel(_("Show:")))
        self.show_box = QComboBox()
        for show, text in _shows():
            self.show_box.addItem(text, show)
        self.show_box.currentIndexChanged.connect(self._show_changed)
        bar.addWidget(self.show_box)
        self.progress_button = QPushButton(_("Record progress…"))
        self.progress_button.clicked.connect(self.record_progress)
        self.copy_button = QPushButton(_("Copy last year's unfinished items"))
        self.copy_button.clicked.connect(self.copy_unfinished)
        bar.addWidget(self.progress_button)
        bar.addWidget(self.copy_button)
        bar.addStretch(1)
        self.hint = QLabel(
            _("Deadlines are written as usual: “quý II/2026”, “trước 30/6/2026”, “thường xuyên”.")
        )
        self.hint.setStyleSheet("color: #5f6b7a;")
        bar.addWidget(self.hint)
        box.addLayout(bar)
        self.table = EditTable()
        self.table.setModel(self.model)
        self.table.setItemDelegate(PlanDelegate(self.table))
        self.table.set_widths(
            {
                COL_STT: 36,
                COL_SHORTCOMING: 180,
                COL_LOST: 56,
                COL_PRODUCT: 90,
                COL_LEAD: 100,
                COL_COORDINATING: 100,
                COL_DEADLINE: 120,
                COL_STATUS: 84,
                COL_PROGRESS: 116,
            },
            COL_TASKS,
        )
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._double_clicked)
        self.no_rows = QLabel()
        self.no_rows.setStyleSheet("color: #5f6b7a; padding: 8px;")
        self.no_rows.hide()
        box.addWidget(self.no_rows)
        box.addWidget(self.table, 1)
        return page

    # -- loading -------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading > 0

    def refresh(self) -> None:
        db = self.state.db
        if db is None or self.state.view is None or not hasattr(self, "table"):
            return
        wanted = self._wanted
        self._loading += 1

        def job() -> tuple[list[PlanSummary], PlanView | None]:
            from parapp.services import plans

            summaries = plans.list_plans(db)
            years = [p.year for p in summaries]
            year = wanted if wanted in years else (years[0] if years else None)
            return summaries, plans.get_plan(db, year) if year is not None else None

        self.state.run(job, self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._loading = max(0, self._loading - 1)
        self.status_message.emit(message(exc))
        dialogs.show_error(self, exc)

    def _loaded(self, result: tuple[list[PlanSummary], PlanView | None]) -> None:
        self._loading -= 1
        summaries, plan = result
        self.summaries = summaries
        view = self.state.view
        self.plan = plan
        if self._wanted is not None and self._wanted == self.next_year and not any(
            s.year == self._wanted for s in summaries
        ):
            self.plan = None  # the chosen year is the plan not drafted yet
        self._fill_plan_box()
        self._show_banner(self.plan)
        if self.plan is None:
            self.pages.setCurrentIndex(0)
            year = view.info.year if view else 0
            self.empty_text.setText(
                _("There is no remediation plan for {plan_year} yet. It follows the result of "
                  "the {year} assessment: one item for each criterion that lost points, which "
                  "you then complete (tasks, lead, deadline).").format(
                    plan_year=year + 1, year=year
                )
            )
            self.summary.setText("")
            return
        self.pages.setCurrentIndex(1)
        self.table.commit_open_editor()
        self.model.set_items(
            self.plan.items,
            year=self.plan.year,
            today=self.state.today,
            editable=self.plan.status == "draft",
            trackable=self.plan.status in ("draft", "issued"),
        )
        self._show_counts()
        if self.table.currentIndex().row() < 0 and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, COL_TASKS))
        self._update_buttons()

    @property
    def next_year(self) -> int | None:
        """The year of the plan that follows the current assessment."""
        view = self.state.view
        return view.info.year + 1 if view else None

    def _fill_plan_box(self) -> None:
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        years = [s.year for s in self.summaries]
        if self.next_year is not None and self.next_year not in years:
            self.plan_box.addItem(
                _("Plan for {year} (not drafted yet)").format(year=self.next_year), self.next_year
            )
        for s in self.summaries:
            status = _("issued") if s.status == "issued" else _("draft")
            self.plan_box.addItem(
                _("Plan for {year} · {status}").format(year=s.year, status=status), s.year
            )
        shown = self.plan.year if self.plan else self.next_year
        self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(shown)))
        self.plan_box.blockSignals(False)

    def _show_banner(self, plan: PlanView | None) -> None:
        issued = plan is not None and plan.status != "draft"
        self.banner.setVisible(issued)
        self.revise_button.setVisible(issued and plan is not None and plan.status == "issued")
        if not issued or plan is None:
            return
        self.banner.setText(issued_text(plan))

    def _show_counts(self) -> None:
        items = self.model.items
        overdue = sum(1 for i in items if i.is_overdue(self.state.today))
        text = ngettext("{n} item", "{n} items", len(items)).format(n=len(items))
        if overdue:
            text += " · " + ngettext("{n} overdue", "{n} overdue", overdue).format(n=overdue)
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {style.ERROR_TEXT.name()};" if overdue else "")
        shown = self.model.rowCount()
        self.no_rows.setText(
            _("This plan has no items yet.") if not items else _("No item matches the filter.")
        )
        self.no_rows.setVisible(shown == 0)

    def _plan_chosen(self, _index: int) -> None:
        self.table.commit_open_editor()
        self._wanted = self.plan_box.currentData()
        self.refresh()

    def choose_plan(self, year: int) -> None:
        self.plan_box.setCurrentIndex(self.plan_box.findData(year))
        self._plan_chosen(self.plan_box.currentIndex())

    def _show_changed(self) -> None:
        self.table.commit_open_editor()
        self.model.set_show(Show(self.show_box.currentData()))
        self._show_counts()
        self._update_buttons()

    def activate(self, **filters: Any) -> None:
        if filters.get("show"):
            self.show_box.setCurrentIndex(self.show_box.findData(Show(filters["show"])))

    def before_leave(self) -> None:
        self.table.commit_open_editor()

    def _update_buttons(self, *_args: object) -> None:
        plan = self.plan
        item = self.model.item(self.table.currentIndex().row())
        self.progress_button.setEnabled(item is not None and self.model.trackable)
        draft = plan is not None and plan.status == "draft"
        self.copy_button.setVisible(draft)
        self.hint.setVisible(draft)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == COL_PROGRESS:
            self.record_progress()

    # -- changes -------------------------------------------------------------------
    def _run(self, job: Any, done: Any, reload_state: bool = True) -> None:
        def finished(result: Any) -> None:
            self.state.mark_saved(datetime.now())
            done(result)
            if reload_state:
                self.state.reload()  # the overview's overdue list follows; we reload too

        def failed(exc: BaseException) -> None:
            self.status_message.emit(message(exc))
            dialogs.show_error(self, exc)
            self.refresh()  # show what is stored

        self.state.run(job, finished, failed)

    def _save(self, item_id: str, field: str, value: Any) -> None:
        db = self.state.db
        if db is None:
            return

        def job() -> Any:
            from parapp.services import plans

            if field == "status":
                return plans.set_status(db, item_id, value)
            return plans.update_item(db, item_id, **{field: value})

        self._run(job, self._item_saved, reload_state=field in RELOADS_STATE)

    def _item_saved(self, item: Any) -> None:
        self.model.replace_item(item)
        self._show_counts()

    def draft(self) -> None:
        db, view = self.state.db, self.state.view
        if db is None or view is None:
            return
        if view.basis is not Basis.OFFICIAL and not dialogs.confirm(
            self,
            _("The {year} assessment has no appraised result yet, so the plan will follow "
              "your self-scores. You can draft it again when the result is published, as "
              "long as it has not been issued.").format(year=view.info.year),
            _("Draft the plan"),
        ):
            return
        year = view.info.year
        previous = self.plan or None

        def job() -> Any:
            from parapp.services import plans

            leads = Counter(i.lead for i in (previous.items if previous else ()) if i.lead)
            lead = leads.most_common(1)[0][0] if leads else ""
            return plans.draft_plan(db, year, default_lead=lead)

        def done(plan: Any) -> None:
            self._wanted = plan.year
            self.status_message.emit(
                ngettext(
                    "The plan has been drafted with {n} item.",
                    "The plan has been drafted with {n} items.",
                    len(plan.items),
                ).format(n=len(plan.items))
            )

        self._run(job, done)

    def copy_unfinished(self) -> None:
        db, plan = self.state.db, self.plan
        if db is None or plan is None:
            return
        year = plan.year

        def job() -> Any:
            from parapp.services import plans

            return plans.copy_unfinished(db, year)

        def done(result: tuple[Any, int]) -> None:
            count = result[1]
            if count == 0:
                dialogs.inform(
                    self,
                    _("Every unfinished item of last year's plan is already in this plan."),
                )
            else:
                self.status_message.emit(
                    ngettext(
                        "{n} unfinished item copied from last year.",
                        "{n} unfinished items copied from last year.",
                        count,
                    ).format(n=count)
                )

        self._run(job, done)

    def record_progress(self) -> None:
        db = self.state.db
        item = self.model.item(self.table.currentIndex().row())
        if db is None or item is None or not self.model.trackable:
            return
        dialog = ProgressDialog(item, self.state.today, self)
        if not dialog.exec():
            return
        on, percent, note = dialog.values()
        item_id = item.id

        def job() -> Any:
            from parapp.services import plans

            return plans.record_progress(db, item_id, on, percent, note)

        self._run(job, self._item_saved)

    def make_revision(self) -> None:
        db, plan = self.state.db, self.plan
        if db is None or plan is None or not dialogs.confirm(
            self,
            _("Make the {year} plan editable again as revision {revision}? The issued "
              "document stays as it was; the new revision must be issued again.").format(
                year=plan.year, revision=plan.revision + 1
            ),
            _("Make a new revision"),
        ):
            return
        year = plan.year

        def job() -> int:
            from parapp.services import issuing

            return issuing.new_revision(db, year)

        self._run(job, lambda _revision: None)
