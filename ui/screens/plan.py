"""Kế hoạch khắc phục: the remediation plan the clerk shapes and reports on.

One plan is shown at a time (chosen at the top; the newest by default, as on the overview).
The plan that would follow the current assessment, if not drafted yet, is offered as an
empty page with one button that drafts it from the criteria that lost points. An issued
plan's wording is frozen: only status and progress are recorded until a new revision.

A compact table (one line per item, so a 768-pixel screen shows a score of them) sits
beside a pane with the selected item's texts. Every change goes through
``parapp.services.plan_items`` by item number; the number is looked up from the item's id
on the database thread, just before the change, so a change queued behind another one acts
on the item the clerk chose. After every change the same items stay selected and the table
does not scroll.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QWidget

from parapp.domain.errors import DomainError
from parapp.domain.remediation import PlanStatus
from parapp.i18n import _, message, ngettext
from parapp.services import changes, issuing, office_lists, plan_items, plan_whatif, plans
from ui import dialogs, screens, style
from ui.models.plan_items import COL_LOST, COL_RECOVERABLE, PlanItemsModel, Show
from ui.screens.base import Screen, heading, page_layout
from ui.state import AppState
from ui.widgets.plan_actions import ItemActions, number_now
from ui.widgets.plan_bars import ActionBar, FilterBar, table_page
from ui.widgets.plan_pages import DraftPage, banner, issued_text

if TYPE_CHECKING:
    from parapp.services.office import Office
    from parapp.services.plan_items import ItemChange, PlanItems
    from parapp.services.plan_whatif import WhatIf
    from parapp.services.plans import PlanSummary, PlanView

Loaded = tuple["list[PlanSummary]", "PlanView | None", "PlanItems | None", "list[str]"]


def _office_names(db: Office) -> list[str]:
    """On the database thread: the office's own list of departments and officers."""
    return office_lists.names(db)


class PlanScreen(ItemActions, Screen):
    key = screens.PLAN
    # The assessment: its year names the next plan, its scores give the what-if figures.
    shows = frozenset({changes.Data.ASSESSMENT, changes.Data.PLAN})
    status_message = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.plan: PlanView | None = None
        self.listing: PlanItems | None = None
        self.summaries: list[PlanSummary] = []
        self._wanted: int | None = None  # the plan year chosen at the top; None: newest
        self._loading = 0
        self.office_names: list[str] = []
        self._whatif_key: object = None
        self.model = PlanItemsModel(self)
        self.model.move_requested.connect(lambda item_id, to: self._move(item_id, to=to))

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
        self.filters = FilterBar()
        self.item_bar = ActionBar()
        page = table_page(self.filters, self.item_bar, self.model)
        self.table, self.detail, self.whatif, self.no_rows = (
            page.table, page.detail, page.whatif, page.no_rows
        )
        self.pages.addWidget(page)
        layout.addWidget(self.pages, 1)
        self._connect()
        self._show_banner(None)
        self.refresh()

    def _connect(self) -> None:
        f, a = self.filters, self.item_bar
        self.show_box = f.show_box
        for box in (f.show_box, f.lead_box, f.area_box):
            box.currentIndexChanged.connect(self._filter_changed)
        f.copy_button.clicked.connect(self.copy_unfinished)
        self.copy_button = f.copy_button
        a.add_button.clicked.connect(self.add)
        a.duplicate_button.clicked.connect(self.duplicate)
        a.split_button.clicked.connect(self.split)
        a.merge_button.clicked.connect(self.merge)
        a.remove_button.clicked.connect(self.remove)
        a.restore_button.clicked.connect(self.restore)
        a.up_button.clicked.connect(lambda: self.move_current(-1))
        a.down_button.clicked.connect(lambda: self.move_current(1))
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.move_keyed.connect(self.move_current)
        self.table.remove_keyed.connect(self.remove)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.detail.save.connect(self._save)
        self.detail.progress_wanted.connect(self.record_progress)
        self.progress_button = self.detail.progress_button

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

        def job() -> Loaded:
            summaries = plans.list_plans(db)
            years = [p.year for p in summaries]
            year = wanted if wanted in years else (years[0] if years else None)
            if year is None:  # none drafted yet: the draft page offers the office's units
                return summaries, None, None, _office_names(db)
            listing = plan_items.list_items(db, year)
            return summaries, plans.get_plan(db, year), listing, _office_names(db)

        self.state.run(job, self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._loading = max(0, self._loading - 1)
        self.status_message.emit(message(exc))
        dialogs.show_error(self, exc)

    def _loaded(self, result: Loaded) -> None:
        self._loading -= 1
        summaries, plan, listing, names = result
        self.summaries = summaries
        self.office_names = names
        self.plan = plan
        if self._wanted is not None and self._wanted == self.next_year and not any(
            s.year == self._wanted for s in summaries
        ):
            self.plan = None  # the chosen year is the plan not drafted yet
        self._fill_plan_box()
        self._show_banner(self.plan)
        if self.plan is None or listing is None:
            self.listing = None
            self.pages.setCurrentIndex(0)
            self.draft_page.set_units(names)
            view = self.state.view
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
        self._apply(listing)

    def _apply(self, listing: PlanItems, select: tuple[str, ...] = ()) -> None:
        """Show ``listing`` keeping the selection (or selecting ``select``) and the scroll."""
        self.listing = listing
        plan = self.plan
        row_before = self.table.currentIndex().row()
        current = self.model.item(row_before)
        chosen = [i.id for r in self.table.selected_rows() if (i := self.model.item(r))]
        scroll = self.table.verticalScrollBar().value()
        draft = PlanStatus.DRAFT
        editable = plan is not None and plan.status == draft and listing.status == draft
        self.model.set_items(
            [n.item for n in listing.items],
            year=listing.year,
            today=self.state.today,
            editable=editable,
            trackable=listing.status in (PlanStatus.DRAFT, PlanStatus.ISSUED),
            areas={n.item.id: n.area_code for n in listing.items},
        )
        self.filters.set_choices(self.model.leads(), self._areas())
        self.detail.set_units(self._unit_names())
        current_id: str | None
        if select:
            chosen, current_id = list(select), select[0]
        else:
            current_id = current.id if current else (chosen[0] if chosen else None)
        rows = [r for r in (self.model.row_of(i) for i in chosen) if r >= 0]
        now = self.model.row_of(current_id) if current_id else -1
        if now < 0 and self.model.rowCount():
            # The current item went (removed, merged): the one now in its place.
            now = rows[0] if rows else min(max(row_before, 0), self.model.rowCount() - 1)
        self.table.select_rows(rows or ([now] if now >= 0 else []), now)
        self.table.doItemsLayout()  # the scroll range of the new rows, before scrolling back
        self.table.verticalScrollBar().setValue(scroll)
        if select and now >= 0:
            self.table.scrollTo(self.model.index(now, 0))  # a new item: show it
        self._current_changed()
        self._show_counts()

    def _areas(self) -> list[tuple[str, str]]:
        """(code, name) of the areas the plan's items are printed under, in printed order."""
        view = self.state.view
        codes = list(dict.fromkeys(a or "" for a in self.model.areas.values()))
        out = []
        for code in codes:
            if not code:
                out.append(("", _("No area (general tasks, other indices)")))
            elif view is not None and view.cset.has(code):
                out.append((code, f"{code}. {view.cset.node(code).title}"))
            else:
                out.append((code, code))
        return out

    def _unit_names(self) -> list[str]:
        """The office's list first, then the other names the plan uses."""
        return list(dict.fromkeys([*self.office_names, *self.model.units()]))

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
            status = _("issued") if s.status == PlanStatus.ISSUED else _("draft")
            self.plan_box.addItem(
                _("Plan for {year} · {status}").format(year=s.year, status=status), s.year
            )
        shown = self.plan.year if self.plan else self.next_year
        self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(shown)))
        self.plan_box.blockSignals(False)

    def _show_banner(self, plan: PlanView | None) -> None:
        issued = plan is not None and plan.status != PlanStatus.DRAFT
        self.banner.setVisible(issued)
        self.revise_button.setVisible(plan is not None and plan.status == PlanStatus.ISSUED)
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
        self.no_rows.setText(
            _("This plan has no items yet.") if not items else _("No item matches the filter.")
        )
        self.no_rows.setVisible(self.model.rowCount() == 0)

    def _plan_chosen(self, _index: int) -> None:
        self.detail.commit_all()
        self._wanted = self.plan_box.currentData()
        self.refresh()

    def choose_plan(self, year: int) -> None:
        self.plan_box.setCurrentIndex(self.plan_box.findData(year))
        self._plan_chosen(self.plan_box.currentIndex())

    def _filter_changed(self) -> None:
        current = self.model.item(self.table.currentIndex().row())
        self.model.set_filter(self.filters.value())
        row = self.model.row_of(current.id) if current else -1
        row = row if row >= 0 else (0 if self.model.rowCount() else -1)
        self.table.select_rows([row] if row >= 0 else [], row)
        if row >= 0:
            self.table.scrollTo(self.model.index(row, 0))
        self._current_changed()
        self._show_counts()

    def activate(self, **filters: Any) -> None:
        show = Show.OVERDUE if filters.get("overdue") else filters.get("show")
        if show:
            self.show_box.setCurrentIndex(self.show_box.findData(Show(show)))

    def before_leave(self) -> None:
        self.detail.commit_all()

    def _current_changed(self, *_args: object) -> None:
        item = self.model.item(self.table.currentIndex().row())
        self.detail.show_item(
            item,
            self.model.number(item) if item else 0,
            year=self.model.year,
            editable=self.model.editable,
            trackable=self.model.trackable,
        )
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        plan = self.plan
        draft = plan is not None and plan.status == PlanStatus.DRAFT and self.model.editable
        removed = len(self.listing.removed) if self.listing else 0
        current = self.model.item(self.table.currentIndex().row()) is not None
        self.item_bar.show_state(draft, current, len(self._selected()), removed)
        self.filters.copy_button.setVisible(draft)
        self._ask_whatif()

    def _ask_whatif(self) -> None:
        """The what-if figures of the selected items (two or more), or of all of them."""
        db, listing = self.state.db, self.listing
        if db is None or listing is None:
            return
        ids = self._selected()
        chosen = tuple(ids) if len(ids) > 1 else None
        key = (id(listing), chosen)
        if key == self._whatif_key:
            return
        self._whatif_key = key
        year = listing.year

        def job() -> WhatIf | None:
            try:
                return plan_whatif.whatif(db, year, chosen)
            except DomainError:
                return None  # nothing to project from (e.g. no assessment): lost points

        def done(result: WhatIf | None) -> None:
            if key == self._whatif_key:  # an answer to an older question is dropped
                self._show_whatif(result, list(chosen or ()))

        self.state.run(job, done, lambda _exc: done(None))

    def _show_whatif(self, result: WhatIf | None, ids: list[str]) -> None:
        values = {i: w.points for i, w in result.items.items()} if result else {}
        self.model.set_recoverable(values)
        self.table.setColumnHidden(COL_RECOVERABLE, result is None)
        self.table.setColumnHidden(COL_LOST, result is not None)  # the pane's title says it
        self.whatif.show_figures(self.model, ids, result)

    # -- changes -------------------------------------------------------------------
    def _run(
        self, job: Callable[[], Any], done: Callable[[Any], None], on_refusal: Any = None
    ) -> None:
        def finished(result: Any) -> None:
            self.state.mark_saved(datetime.now())
            self.item_bar.notice("")
            done(result)
            # The overview's overdue list follows, and this screen; the assessment's view is
            # not read again.
            self.state.reload(changed=changes.PLAN_ITEMS)

        def failed(exc: BaseException) -> None:
            self.status_message.emit(message(exc))
            if isinstance(exc, DomainError):
                # One sentence beside what was refused; nothing changed.
                if on_refusal is not None:
                    on_refusal(message(exc))
                else:
                    self.item_bar.notice(message(exc))
                return
            dialogs.show_error(self, exc)
            self.refresh()  # show what is stored

        self.state.run(job, finished, failed)

    def _change(
        self, work: Callable[[Office, int], ItemChange], said: Callable[[ItemChange], str]
    ) -> None:
        """Run one plan_items change and show the plan it leaves, the items it made or
        changed selected."""
        db, listing = self.state.db, self.listing
        if db is None or listing is None:
            return
        self.detail.commit_all()
        year = listing.year

        def job() -> ItemChange:
            return work(db, year)

        def done(change: ItemChange) -> None:
            made = {n.number: n.item.id for n in change.plan.items}
            self._apply(change.plan, tuple(made[n] for n in change.numbers if n in made))
            self.status_message.emit(said(change))

        self._run(job, done)

    def _today(self) -> date:
        return self.state.today

    def _save(self, item_id: str, field: str, value: Any) -> None:
        db, listing = self.state.db, self.listing
        if db is None or listing is None:
            return
        year = listing.year

        def job() -> PlanItems:
            if field == "status":
                plans.set_status(db, item_id, value)
                return plan_items.list_items(db, year)
            number = number_now(db, year, item_id)
            return plan_items.edit(db, number, year, **{field: value}).plan

        def done(result: PlanItems) -> None:
            self.detail.accepted(item_id, field)
            self._apply(result)

        def refused(reason: str) -> None:
            self.detail.refused(item_id, field, str(value), reason)

        self._run(job, done, refused)

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
            return issuing.new_revision(db, year)

        self._run(job, lambda _revision: None)

    def _double_clicked(self, _index: QModelIndex) -> None:
        if self.model.editable:
            self.detail.tasks.setFocus(Qt.FocusReason.OtherFocusReason)
