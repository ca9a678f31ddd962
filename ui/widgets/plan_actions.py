"""What the plan screen does: add, duplicate, split, merge, remove, restore and move items
and record their progress, each through ``parapp.services.plan_items`` by the item's
number, looked up from its id on the database thread just before the change (a change
queued behind another acts on the item the clerk chose, whatever number it has by then);
and, for the whole plan, draft it and copy last year's unfinished items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from parapp.domain.totals import Basis
from parapp.i18n import _, ngettext
from parapp.services import plan_items, plans
from ui import dialogs
from ui.models.plan_items import PlanItemsModel
from ui.widgets.plan_dialogs import AddItemDialog, SplitDialog
from ui.widgets.plan_progress import ProgressDialog
from ui.widgets.plan_table import PlanTable

if TYPE_CHECKING:
    from datetime import date

    from parapp.services.office import Office
    from parapp.services.plan_items import ItemChange
    from parapp.services.plans import PlanView
    from ui.state import AppState
    from ui.widgets.plan_pages import DraftPage

Work = Callable[["Office", int], "ItemChange"]
T_co = TypeVar("T_co", covariant=True)


def number_now(db: Office, year: int, item_id: str) -> int:
    """On the database thread: the item's number now (the plan may have changed since)."""
    return plan_items.list_items(db, year).number_of(item_id)


class Asking(Protocol[T_co]):
    def exec(self) -> int: ...
    def values(self) -> T_co: ...
    def deleteLater(self) -> None: ...


def _ask(dialog: Asking[T_co]) -> T_co | None:
    """The dialog's values if accepted. The dialog is deleted afterwards: one left hidden
    under the screen after each question (with its timers) crashed Qt later, in tests."""
    try:
        return dialog.values() if dialog.exec() else None
    finally:
        dialog.deleteLater()


class ItemActions:
    """Mixed into the plan screen, which provides the table, its model, ``_change`` (an item
    change) and ``_run`` (any other job)."""

    model: PlanItemsModel
    table: PlanTable
    state: AppState
    plan: PlanView | None
    status_message: SignalInstance
    _wanted: int | None
    draft_page: DraftPage

    def _change(self, work: Work, said: Callable[[ItemChange], str]) -> None:
        raise NotImplementedError

    def _run(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        raise NotImplementedError

    def _today(self) -> date:
        raise NotImplementedError

    def _widget(self) -> QWidget:
        return cast(QWidget, self)  # the screen: the dialogs' parent

    def _selected(self) -> list[str]:
        return [i.id for r in self.table.selected_rows() if (i := self.model.item(r))]

    def _current_id(self) -> str | None:
        item = self.model.item(self.table.currentIndex().row())
        return item.id if item else None

    def add(self) -> None:
        item = self.model.item(self.table.currentIndex().row())
        code = item.node_codes[0] if item and item.node_codes else ""
        answer = _ask(AddItemDialog(code, self._widget()))
        if answer is None:
            return
        criterion, shortcoming, tasks = answer
        deadline = item.deadline.text if item else ""
        lead = item.lead if item else ""

        def work(db: Office, year: int) -> ItemChange:
            return plan_items.add(
                db, year, criterion=criterion, shortcoming=shortcoming, tasks=tasks,
                deadline=deadline, lead=lead,
            )  # fmt: skip

        self._change(work, lambda c: _("Item {number} added.").format(number=c.numbers[0]))

    def duplicate(self) -> None:
        item_id = self._current_id()
        if item_id is None:
            return

        def work(db: Office, year: int) -> ItemChange:
            return plan_items.duplicate(db, number_now(db, year, item_id), year)

        self._change(
            work, lambda c: _("Item {number} is a copy; edit it beside the table.").format(
                number=c.numbers[0]
            )
        )

    def split(self) -> None:
        item = self.model.item(self.table.currentIndex().row())
        if item is None:
            return
        tasks = _ask(SplitDialog(self.model.number(item), item.tasks, self._widget()))
        if tasks is None:
            return
        item_id = item.id

        def work(db: Office, year: int) -> ItemChange:
            return plan_items.split(db, number_now(db, year, item_id), tasks or ("",), year)

        self._change(
            work,
            lambda c: ngettext(
                "Split into {n} item.", "Split into {n} items: {numbers}.", len(c.numbers)
            ).format(n=len(c.numbers), numbers=", ".join(map(str, c.numbers))),
        )

    def merge(self) -> None:
        ids = self._selected()
        if len(ids) < 2:
            return

        def work(db: Office, year: int) -> ItemChange:
            listing = plan_items.list_items(db, year)
            return plan_items.merge(db, [listing.number_of(i) for i in ids], year)

        self._change(
            work,
            lambda c: _("{n} items merged into item {number}; the others can be restored.").format(
                n=len(ids), number=c.numbers[0]
            ),
        )

    def remove(self) -> None:
        ids = self._selected()
        if not ids or not self.model.editable:
            return

        def work(db: Office, year: int) -> ItemChange:
            change = None
            for item_id in ids:  # one at a time: each can be restored on its own
                change = plan_items.remove(db, number_now(db, year, item_id), year)
            assert change is not None
            return change

        self._change(
            work,
            lambda c: ngettext(
                "{n} item removed; “Restore removed” brings it back.",
                "{n} items removed; “Restore removed” brings them back one by one.",
                len(ids),
            ).format(n=len(ids)),
        )

    def restore(self) -> None:
        def work(db: Office, year: int) -> ItemChange:
            return plan_items.restore(db, 1, year)

        self._change(work, lambda c: _("Item {number} restored.").format(number=c.numbers[0]))

    def move_current(self, step: int) -> None:
        item_id = self._current_id()
        if item_id is not None and self.model.editable:
            self._move(item_id, step=step)

    def _move(self, item_id: str, *, to: int | None = None, step: int = 0) -> None:
        def work(db: Office, year: int) -> ItemChange:
            return plan_items.move(db, number_now(db, year, item_id), to=to, step=step, year=year)

        self._change(work, lambda c: _("Item moved to number {number}.").format(
            number=c.numbers[0]
        ))

    def record_progress(self) -> None:
        item = self.model.item(self.table.currentIndex().row())
        if item is None or not self.model.trackable:
            return
        answer = _ask(ProgressDialog(item, self._today(), self._widget()))
        if answer is None:
            return
        on, percent, note = answer
        item_id = item.id

        def work(db: Office, year: int) -> ItemChange:
            return plan_items.progress(db, number_now(db, year, item_id), on, percent, note, year)

        self._change(work, lambda c: _("Progress recorded."))

    def draft(self) -> None:
        db, view = self.state.db, self.state.view
        if db is None or view is None:
            return
        if view.basis is not Basis.OFFICIAL and not dialogs.confirm(
            self._widget(),
            _("The {year} assessment has no appraised result yet, so the plan will follow "
              "your self-scores. You can draft it again when the result is published, as "
              "long as it has not been issued.").format(year=view.info.year),
            _("Draft the plan"),
        ):
            return
        year = view.info.year
        previous = self.plan or None
        maintain = self.draft_page.maintain.isChecked()
        chosen = self.draft_page.lead.currentText().strip()

        def job() -> Any:
            leads = Counter(i.lead for i in (previous.items if previous else ()) if i.lead)
            lead = chosen or (leads.most_common(1)[0][0] if leads else "")
            return plans.draft_plan(db, year, default_lead=lead, include_full_marks=maintain)

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
            return plans.copy_unfinished(db, year)

        def done(result: tuple[Any, int]) -> None:
            count = result[1]
            if count == 0:
                dialogs.inform(
                    self._widget(),
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
