"""Item numbers: the order a plan's items are printed in, and the frame every item change
runs in (one transaction, the positions written back in printed order).

An item's number is its place in the plan as printed (the appendix's "TT"), 1-based. The
document prints items by index (the plan's own index first, then the others in their usual
order), then by area in the criteria set's order (items with no area last), then by position.
Every change writes the positions back in that order, so the number is position + 1.

Removed items (``PlanItemRow.removed_at``) are outside ``PlanRow.items``; they are listed
here, most recent first, for restoring, and deleted for good by :func:`drop_removed` when
the plan is issued or redrafted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, PlanItemRow, PlanRow
from parapp.domain.criteria import CriteriaSet, IndexKind
from parapp.domain.remediation import PlanStatus, RemediationItem

from .common import ServiceError, now
from .criteria import find_set_row
from .mapping import item_from_row, set_from_rows
from .plan_rows import KIND_ANNUAL, KIND_REMEDIATION, _plan_row

T = TypeVar("T")

KIND_ORDER = [k.value for k in IndexKind]  # the printed order of indices after the main one


@dataclass(frozen=True)
class NumberedItem:
    number: int  # 1-based, as the appendix's "TT" prints it
    item: RemediationItem
    area_code: str | None  # the area it is printed under; None: no area (general, other index)


@dataclass(frozen=True)
class RemovedItem:
    number: int  # 1 = the last one removed: what restore takes
    item: RemediationItem
    removed_at: datetime
    was_number: int  # its number when it was removed


@dataclass(frozen=True)
class PlanItems:
    year: int
    kind: str
    status: PlanStatus
    revision: int
    items: tuple[NumberedItem, ...]
    removed: tuple[RemovedItem, ...] = ()

    def number_of(self, item_id: str) -> int:
        return next(n.number for n in self.items if n.item.id == item_id)


@dataclass(frozen=True)
class ItemChange:
    """The plan after a change and the numbers of the items it made or changed."""

    plan: PlanItems
    numbers: tuple[int, ...]
    removed: tuple[int, ...] = ()  # numbers (before the change) of items taken out


# -- order and numbers ---------------------------------------------------------------------
class Order:
    """The printed order of one plan's items (see the module docstring)."""

    def __init__(self, cset: CriteriaSet | None) -> None:
        self.cset = cset
        self.main = cset.index_kind.value if cset is not None else "PAR"
        self.areas = {n.code: k for k, n in enumerate(cset.roots())} if cset else {}

    def area(self, row: PlanItemRow) -> str | None:
        """The area the document prints it under (``printing.builders.item_text.area_code_of``)."""
        if self.cset is None or (row.index_kind or "PAR") != self.main:
            return None
        for code in (row.area_code, *row.node_codes.split(",")):
            if code and self.cset.has(code):
                return self.cset.area_of(code).code
        return None

    def group(self, row: PlanItemRow) -> tuple[int, int]:
        kind = row.index_kind or "PAR"
        if kind == self.main:
            index = 0
        else:
            index = 1 + (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER))
        area = self.area(row)
        return index, self.areas.get(area, len(self.areas)) if area else len(self.areas)

    def sort(self, rows: Iterable[PlanItemRow]) -> list[PlanItemRow]:
        return sorted(rows, key=lambda r: (self.group(r), r.position))

    def span(self, rows: Sequence[PlanItemRow], group: tuple[int, int]) -> tuple[int, int]:
        """The numbers (first, last) the items of ``group`` have in ``rows`` (printed order)."""
        before = sum(1 for r in rows if self.group(r) < group)
        return before + 1, before + sum(1 for r in rows if self.group(r) == group)


def plan_set(s: Session, plan: PlanRow) -> CriteriaSet | None:
    """The set the plan is printed with: its assessment's (the annual plan: the latest)."""
    if plan.kind == KIND_ANNUAL:
        try:
            return set_from_rows(find_set_row(s))
        except ServiceError:
            return None
    arow = s.get(AssessmentRow, plan.assessment_id) if plan.assessment_id else None
    if arow is None:
        arow = s.scalars(
            select(AssessmentRow).where(
                AssessmentRow.unit_id == plan.unit_id, AssessmentRow.year == plan.year - 1
            )
        ).first()
    return set_from_rows(arow.criteria_set) if arow is not None else None


def write_order(s: Session, plan: PlanRow, rows: Sequence[PlanItemRow]) -> None:
    """Positions 0..n-1 in the given (printed) order; the plan's list read again."""
    for k, row in enumerate(rows):
        row.position = k
    plan.updated_at = now()
    s.flush()
    s.expire(plan, ["items", "removed_items"])


def snapshot(plan: PlanRow, order: Order) -> PlanItems:
    rows = order.sort(plan.items)
    removed = sorted(plan.removed_items, key=lambda r: (r.removed_at, r.id), reverse=True)
    return PlanItems(
        year=plan.year,
        kind=plan.kind,
        status=PlanStatus(plan.status),
        revision=plan.revision or 1,
        items=tuple(
            NumberedItem(k, item_from_row(r), order.area(r)) for k, r in enumerate(rows, start=1)
        ),
        removed=tuple(
            RemovedItem(k, item_from_row(r), r.removed_at or now(), r.position + 1)
            for k, r in enumerate(removed, start=1)
        ),
    )


def item_at(rows: Sequence[T], number: int) -> T:
    """The item numbered ``number`` (1-based, as printed) of the plan's ordered items."""
    if not rows:
        raise ServiceError("The plan has no items yet.")
    if not 1 <= number <= len(rows):
        raise ServiceError(
            "There is no item {number}: the plan's items are numbered 1 to {count}.",
            number=number,
            count=len(rows),
        )
    return rows[number - 1]


def require_draft(plan: PlanRow) -> None:
    if plan.status != PlanStatus.DRAFT:
        # The same sentence as every other refused edit of an issued plan.
        raise ServiceError(
            "The plan has been issued; its wording is frozen. Make a new revision to "
            "change it ('parapp plan revise')."
        )


Work = Callable[[Session, PlanRow, Order, list[PlanItemRow]], tuple[str, ...]]


def change(
    db: Database, year: int | None, kind: str, work: Work, *, wording: bool = True
) -> ItemChange:
    """Run ``work`` on the plan's rows in printed order, in one transaction; ``work``
    returns the ids of the rows it made or changed, reported by their new numbers."""
    with db.session() as s:
        plan = _plan_row(s, year, kind)
        if wording:
            require_draft(plan)
        order = Order(plan_set(s, plan))
        rows = order.sort(plan.items)
        touched = work(s, plan, order, rows)
        s.flush()
        s.expire(plan, ["items", "removed_items"])
        view = snapshot(plan, order)
        numbers = {n.item.id: n.number for n in view.items}
        return ItemChange(view, tuple(numbers[i] for i in touched if i in numbers))


# -- reading ---------------------------------------------------------------------------------
def list_items(db: Database, year: int | None = None, kind: str = KIND_REMEDIATION) -> PlanItems:
    """The plan's items with their numbers, and the removed ones that can be restored."""
    with db.session() as s:
        plan = _plan_row(s, year, kind)
        return snapshot(plan, Order(plan_set(s, plan)))


def drop_removed(s: Session, plan: PlanRow) -> int:
    """Delete the plan's removed items for good (issuing, redrafting); how many."""
    gone = list(plan.removed_items)
    for row in gone:
        s.delete(row)
    return len(gone)
