"""Shaping a plan's items by their numbers: add, edit, duplicate, split, merge, move,
remove and restore, and record progress.

**Numbers.** An item's number is its place in the plan as printed (the appendix's "TT"),
1-based. The document prints items by index (the plan's own index first, then the others in
their usual order), then by area in the criteria set's order (items with no area last), then
by position. Every change made here writes the positions back in that order, so the number is
position + 1, and it changes only when an item is added, removed or moved before it. An item
moves only within its group (index and area): anywhere else the document would print it back
in its group, under another number than the one asked for.

**Removal can be undone.** A removed item keeps its row, marked ``removed_at``, outside the
plan (``PlanRow.items`` leaves it out, so nothing shows, prints, counts or sends it) until it
is restored, back at the number it had, or the plan is issued, which deletes removed items
for good (an issued plan is final; a later revision starts without them). Redrafting with
``plan draft --replace`` deletes them too.

Only a draft's wording changes; progress is also recorded on an issued plan. Each function
is one transaction; a refusal is one sentence and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import NodeScoreRow, PlanItemRow, PlanRow, ProgressUpdateRow
from parapp.domain.deadlines import parse_deadline
from parapp.domain.remediation import ItemStatus, ProgressUpdate, new_id
from parapp.domain.text import clean

from . import office_lists
from .common import ServiceError, now
from .mapping import item_from_row
from .plan_numbers import (
    KIND_ORDER,
    ItemChange,
    NumberedItem,
    Order,
    PlanItems,
    RemovedItem,
    change,
    drop_removed,
    item_at,
    list_items,
    write_order,
)
from .plans import KIND_REMEDIATION

__all__ = [
    "ItemChange", "NumberedItem", "PlanItems", "RemovedItem", "add", "drop_removed",
    "duplicate", "edit", "list_items", "merge", "move", "progress", "remove", "restore",
    "split",
]  # fmt: skip

EDITABLE = frozenset(
    {"shortcoming", "tasks", "product", "lead", "coordinating", "deadline", "index_kind"}
)


def _index_kind(text: str) -> str:
    value = clean(text).upper().replace("-", "_").replace(" ", "_")
    if value not in KIND_ORDER:
        raise ServiceError(
            "'{kind}' is not an index this program knows; use one of {kinds}.",
            kind=clean(text),
            kinds=", ".join(KIND_ORDER),
        )
    return value


def _deadline_fields(row: PlanItemRow, text: str, year: int) -> None:
    try:
        deadline = parse_deadline(text, default_year=year)
    except ValueError:
        raise ServiceError("The deadline cannot be empty.") from None
    row.deadline_text = deadline.text
    row.deadline_kind = deadline.kind.value
    row.deadline_start = deadline.start
    row.deadline_end = deadline.end


def _copy(row: PlanItemRow, **changes: object) -> PlanItemRow:
    """A new item with ``row``'s wording and criteria, added by hand, without progress."""
    fields = {
        name: getattr(row, name)
        for name in (
            "area_code", "node_codes", "index_kind", "shortcoming", "points_lost", "tasks",
            "lead", "coordinating", "product", "deadline_text", "deadline_kind",
            "deadline_start", "deadline_end", "keep_up",
        )
    }  # fmt: skip
    fields.update(changes)
    return PlanItemRow(
        uuid=new_id(), status=ItemStatus.NOT_STARTED.value, progress=0, by_hand=True, **fields
    )


# -- wording ---------------------------------------------------------------------------------
def add(
    db: Database,
    year: int | None = None,
    kind: str = KIND_REMEDIATION,
    *,
    criterion: str = "",
    index_kind: str = "",
    shortcoming: str = "",
    tasks: str = "",
    product: str = "",
    lead: str = "",
    coordinating: str = "",
    deadline: str = "",
    to: int | None = None,
) -> ItemChange:
    """Add an item by hand, about a criterion (any node of the plan's set, an area too) or
    none (a general task, another index: PAR unless ``index_kind`` says otherwise). It goes
    at the end of its group, or at number ``to`` within it. Without a shortcoming, one about
    a criterion says what the appraiser wrote about it, else the criterion's title."""

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        code = clean(criterion)
        wanted = _index_kind(index_kind) if clean(index_kind) else ""
        text = clean(shortcoming)
        if code:
            cset = order.cset
            if cset is None or not cset.has(code):
                raise ServiceError(
                    "There is no criterion {code} in the plan's criteria set.", code=code
                )
            if wanted and wanted != cset.index_kind.value:
                raise ServiceError(
                    "Criterion {code} belongs to the {kind} index, not {wanted}.",
                    code=code,
                    kind=cset.index_kind.value,
                    wanted=wanted,
                )
            wanted = cset.index_kind.value
            text = text or _comment(s, plan, code) or cset.node(code).title
        elif not (text or clean(tasks)):
            raise ServiceError("A new item needs a shortcoming, a task or a criterion.")
        row = PlanItemRow(
            uuid=new_id(),
            area_code=order.cset.area_of(code).code if code and order.cset else None,
            node_codes=code,
            index_kind=wanted or "PAR",
            shortcoming=text,
            tasks=clean(tasks),
            product=clean(product),
            lead=office_lists.remember(s, lead),
            coordinating=office_lists.remember(s, coordinating),
            status=ItemStatus.NOT_STARTED.value,
            progress=0,
            keep_up=False,
            by_hand=True,
            position=len(rows),
        )
        _deadline_fields(row, clean(deadline) or f"trong năm {plan.year}", plan.year)
        group = order.group(row)
        first, last = order.span(rows, group)
        last += 1  # the new item's own place at the end of its group
        at = last if to is None else to
        if not first <= at <= last:
            raise ServiceError(
                "This item can only be placed between numbers {first} and {last}: the plan "
                "prints its items grouped by index and area.",
                first=first,
                last=last,
            )
        plan.items.append(row)
        rows.insert(at - 1, row)
        write_order(s, plan, rows)
        return (row.uuid,)

    return change(db, year, kind, work)


def _comment(s: Session, plan: PlanRow, code: str) -> str:
    """The appraiser's comment on the criterion, if the plan's assessment has one."""
    if plan.assessment_id is None:
        return ""
    found = s.scalars(
        select(NodeScoreRow.appraisal_comment).where(
            NodeScoreRow.assessment_id == plan.assessment_id, NodeScoreRow.node_code == code
        )
    ).first()
    return clean(found)


def edit(
    db: Database,
    number: int,
    year: int | None = None,
    kind: str = KIND_REMEDIATION,
    **fields: str,
) -> ItemChange:
    """Change an item's wording: shortcoming, tasks (lines), product, lead, coordinating
    units, deadline (as typed, parsed again) and index. Its number stays, unless a new index
    moves it to another group."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValueError(f"unknown item fields {sorted(unknown)}")

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        row = item_at(rows, number)
        if not fields:
            raise ServiceError("Say what to change in item {number}.", number=number)
        for name, value in fields.items():
            if name == "deadline":
                _deadline_fields(row, clean(value), plan.year)
            elif name == "index_kind":
                wanted = _index_kind(value)
                codes = [c for c in row.node_codes.split(",") if c]
                if codes and order.cset is not None and wanted != order.main:
                    raise ServiceError(
                        "Item {number} answers criteria of the {kind} index ({codes}); its "
                        "index cannot change.",
                        number=number,
                        kind=order.main,
                        codes=", ".join(codes),
                    )
                row.index_kind = wanted
            elif name in ("lead", "coordinating"):
                # A new unit joins the office's list; a known one is spelled as listed.
                setattr(row, name, office_lists.remember(s, value))
            else:
                setattr(row, name, clean(value))
        write_order(s, plan, order.sort(rows))
        return (row.uuid,)

    return change(db, year, kind, work)


def duplicate(
    db: Database, number: int, year: int | None = None, kind: str = KIND_REMEDIATION
) -> ItemChange:
    """A copy of item ``number`` right after it (wording only: no progress)."""

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        row = item_at(rows, number)
        copy = _copy(row)
        plan.items.append(copy)
        rows.insert(number, copy)
        write_order(s, plan, rows)
        return (copy.uuid,)

    return change(db, year, kind, work)


def split(
    db: Database,
    number: int,
    tasks: Sequence[str] = (),
    year: int | None = None,
    kind: str = KIND_REMEDIATION,
) -> ItemChange:
    """One shortcoming, several tasks: item ``number`` keeps the first task and each other
    one becomes a new item right after it with the same shortcoming, criteria, lead,
    coordinating units and deadline. Without ``tasks``, the item's task lines are split."""

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        row = item_at(rows, number)
        parts = [clean(t) for t in tasks if clean(t)]
        if not tasks:
            parts = [_unbullet(line) for line in row.tasks.split("\n") if _unbullet(line)]
        if len(parts) < 2:
            raise ServiceError(
                "Item {number} has a single task; give the tasks to split it into (two or more).",
                number=number,
            )
        row.tasks = parts[0]
        made = [_copy(row, tasks=part, product="") for part in parts[1:]]
        for k, copy in enumerate(made, start=1):
            plan.items.append(copy)
            rows.insert(number - 1 + k, copy)
        write_order(s, plan, rows)
        return (row.uuid, *(m.uuid for m in made))

    return change(db, year, kind, work)


def _unbullet(line: str) -> str:
    """A task line without the bullet a clerk types ("- ", "+ ", "• ")."""
    text = clean(line)
    return text[1:].strip() if text[:1] in "-+•" and text[1:2] == " " else text


def merge(
    db: Database, numbers: Sequence[int], year: int | None = None, kind: str = KIND_REMEDIATION
) -> ItemChange:
    """Several items become the first of them: shortcomings and tasks joined (each once),
    criteria united, lead and coordinating units listed once each, the first one's deadline.
    The others are removed (they can be restored like any removed item)."""

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        wanted = sorted(set(numbers))
        if len(wanted) < 2:
            raise ServiceError("Give at least two items to merge.")
        chosen = [item_at(rows, n) for n in wanted]
        keep, others = chosen[0], chosen[1:]
        for n, row in zip(wanted[1:], others, strict=True):
            if (row.index_kind or "PAR") != (keep.index_kind or "PAR"):
                raise ServiceError(
                    "Items of different indices cannot be merged: item {first} is {kind}, item "
                    "{number} is {other}.",
                    first=wanted[0],
                    kind=keep.index_kind or "PAR",
                    number=n,
                    other=row.index_kind or "PAR",
                )
            if row.updates or row.progress:
                raise ServiceError(
                    "Item {number} has progress recorded; it cannot be merged into another item.",
                    number=n,
                )
        keep.shortcoming = "; ".join(_once(r.shortcoming for r in chosen))
        keep.tasks = "\n".join(_once(r.tasks for r in chosen))
        keep.product = "; ".join(_once(r.product for r in chosen))
        keep.lead = ", ".join(_once(r.lead for r in chosen))
        keep.coordinating = ", ".join(_once(r.coordinating for r in chosen))
        keep.node_codes = ",".join(_once(c for r in chosen for c in r.node_codes.split(",")))
        keep.points_lost = _points(chosen)
        keep.keep_up = all(r.keep_up for r in chosen)
        stamp = _removal_stamp(plan)
        for row in others:
            row.removed_at = stamp
        write_order(s, plan, order.sort(r for r in rows if r not in others))
        return (keep.uuid,)

    return change(db, year, kind, work)


def _once(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        text = clean(value)
        if text and text not in out:
            out.append(text)
    return out


def _points(rows: Sequence[PlanItemRow]) -> Decimal | None:
    """The points the merged item answers for: items split from one shortcoming (same
    criteria and wording) count once."""
    seen: dict[tuple[str, str], Decimal] = {}
    for r in rows:
        if r.points_lost is not None:
            seen.setdefault((r.node_codes, clean(r.shortcoming)), r.points_lost)
    return sum(seen.values(), Decimal(0)) if seen else None


def move(
    db: Database,
    number: int,
    *,
    to: int | None = None,
    step: int = 0,
    year: int | None = None,
    kind: str = KIND_REMEDIATION,
) -> ItemChange:
    """Item ``number`` becomes number ``to`` (or moves ``step`` places: -1 up, +1 down),
    within its group: the items between shift by one."""

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        row = item_at(rows, number)
        target = to if to is not None else number + step
        first, last = order.span(rows, order.group(row))
        if first == last:
            raise ServiceError(
                "Item {number} is the only one of its index and area, so it has nowhere to move.",
                number=number,
            )
        if not first <= target <= last:
            raise ServiceError(
                "Item {number} can only move between numbers {first} and {last}: the plan "
                "prints its items grouped by index and area.",
                number=number,
                first=first,
                last=last,
            )
        rows.remove(row)
        rows.insert(target - 1, row)
        write_order(s, plan, rows)
        return (row.uuid,)

    return change(db, year, kind, work)


def remove(
    db: Database, number: int, year: int | None = None, kind: str = KIND_REMEDIATION
) -> ItemChange:
    """Take item ``number`` out of the plan; :func:`restore` brings it back."""
    removed: list[int] = []

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        row = item_at(rows, number)
        row.removed_at = _removal_stamp(plan)
        removed.append(number)
        write_order(s, plan, [r for r in rows if r is not row])
        row.position = number - 1  # where restore puts it back
        return ()

    done = change(db, year, kind, work)
    return ItemChange(done.plan, (), tuple(removed))


def _removal_stamp(plan: PlanRow) -> datetime:
    """Now, or just after the plan's latest removal: restore takes the last one removed,
    also when two removals fall in the same second (``now`` keeps whole seconds)."""
    stamp = now()
    latest = max((r.removed_at for r in plan.removed_items if r.removed_at), default=None)
    return max(stamp, latest + timedelta(microseconds=1)) if latest else stamp


def restore(
    db: Database, which: int = 1, year: int | None = None, kind: str = KIND_REMEDIATION
) -> ItemChange:
    """Put a removed item back (``which``: 1 = the last removed, as listed) at the number it
    had, or as near as its group allows."""

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        gone = sorted(plan.removed_items, key=lambda r: (r.removed_at, r.id), reverse=True)
        if not gone:
            raise ServiceError("No item of this plan has been removed, so none can be restored.")
        if not 1 <= which <= len(gone):
            raise ServiceError(
                "There is no removed item {number}: the removed items are numbered 1 to {count}.",
                number=which,
                count=len(gone),
            )
        row = gone[which - 1]
        first, last = order.span(rows, order.group(row))
        at = min(max(row.position + 1, first), last + 1)
        row.removed_at = None
        rows.insert(at - 1, row)
        write_order(s, plan, rows)
        return (row.uuid,)

    return change(db, year, kind, work)


# -- progress --------------------------------------------------------------------------------
def progress(
    db: Database,
    number: int,
    on: date,
    percent: int,
    note: str = "",
    year: int | None = None,
    kind: str = KIND_REMEDIATION,
) -> ItemChange:
    """A dated progress entry with a note (issued plans too); 100% marks the item done."""
    if not 0 <= percent <= 100:
        raise ServiceError("Progress must be between 0 and 100%.")

    def work(s: Session, plan: PlanRow, order: Order, rows: list[PlanItemRow]) -> tuple[str, ...]:
        row = item_at(rows, number)
        entry = ProgressUpdate(on, percent, clean(note))
        item = item_from_row(row).with_progress(entry)
        row.updates.append(ProgressUpdateRow(on_date=on, percent=percent, note=entry.note))
        row.progress = item.progress
        row.status = item.status.value
        plan.updated_at = now()
        return (row.uuid,)

    return change(db, year, kind, work, wording=False)
