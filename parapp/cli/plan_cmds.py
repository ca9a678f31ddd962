"""The plan's items on the command line, addressed by their numbers: ``plan items``,
``plan item add|edit|duplicate|split|merge|move|remove|restore|progress`` and ``plan list``.

A number is the item's place in the plan as printed (the appendix's "TT"); ``plan items``
shows it beside the area, which is a separate column. Each change prints one sentence and
the items it made or changed, with their numbers after the change.
"""

from __future__ import annotations

import argparse
from datetime import date

from parapp.domain.remediation import PlanStatus
from parapp.i18n import N_, _, format_date
from parapp.services import issuing, plans
from parapp.services import plan_items as pi
from parapp.services.common import ServiceError
from parapp.services.plan_items import ItemChange, NumberedItem, PlanItems, RemovedItem
from parapp.services.plans import KIND_ANNUAL, KIND_REMEDIATION

from .handlers import _date, _db, _out, _year
from .render import where

NUMBER_HELP = N_("the item's number, as 'plan items' lists it")


def _kind(args: argparse.Namespace) -> str:
    return KIND_ANNUAL if getattr(args, "annual", False) else KIND_REMEDIATION


def _what(kind: str) -> str:
    return _("Annual reform plan") if kind == KIND_ANNUAL else _("Remediation plan")


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def item_block(n: NumberedItem) -> list[str]:
    item = n.item
    lines = [f"{n.number}. [{where(n.area_code, item.index_kind)}] {item.shortcoming or '-'}"]
    tasks = [t for t in item.tasks.split("\n") if t.strip()] or ["-"]
    label = _("Tasks:")
    lines.append(f"   {label} {tasks[0]}")
    lines += [f"   {' ' * len(label)} {t}" for t in tasks[1:]]
    if item.product:
        lines.append("   " + _("Product: {product}").format(product=item.product))
    lines.append(
        "   "
        + _("Lead: {lead}; coordinating: {coordinating}; deadline: {deadline}; progress: {p}%")
        .format(
            lead=item.lead or "-",
            coordinating=item.coordinating or "-",
            deadline=item.deadline.text,
            p=item.progress,
        )
    )
    for update in item.updates:
        note = f" — {update.note}" if update.note else ""
        lines.append(f"   {format_date(update.on)}: {update.percent}%{note}")
    return lines


def _removed_line(r: RemovedItem) -> str:
    label = r.item.shortcoming or _first_line(r.item.tasks) or "-"
    return "  " + _("{number}. (was item {was}) {label}").format(
        number=r.number, was=r.was_number, label=label
    )


def items_text(plan: PlanItems) -> str:
    state = _("issued") if plan.status == PlanStatus.ISSUED else _("draft")
    lines = [
        _("{what} {year} — revision {revision}, {state} — {n} items").format(
            what=_what(plan.kind),
            year=plan.year,
            revision=plan.revision,
            state=state,
            n=len(plan.items),
        )
    ]
    for n in plan.items:
        lines += item_block(n)
    if plan.removed:
        lines.append(_("Removed, can be restored ('parapp plan item restore N'):"))
        lines += [_removed_line(r) for r in plan.removed]
    return "\n".join(lines)


def _changed(change: ItemChange, sentence: str) -> int:
    _out(sentence)
    by_number = {n.number: n for n in change.plan.items}
    for number in change.numbers:
        for line in item_block(by_number[number]):
            _out(line)
    return 0


def _numbers(numbers: tuple[int, ...] | list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _tasks(args: argparse.Namespace) -> str | None:
    """--tasks TEXT (lines kept) or --task LINE repeated; None when neither is given."""
    if args.tasks is not None and args.task:
        raise ServiceError("Give the tasks either with --tasks or with --task, not both.")
    if args.task:
        return "\n".join(args.task)
    return args.tasks


# -- handlers --------------------------------------------------------------------------------
def plan_items(args: argparse.Namespace) -> int:
    with _db(args) as db:
        _out(items_text(pi.list_items(db, args.year, _kind(args))))
    return 0


def plan_list(args: argparse.Namespace) -> int:
    with _db(args) as db:
        found = [s for kind in (KIND_REMEDIATION, KIND_ANNUAL) for s in plans.list_plans(db, kind)]
        if not found:
            raise ServiceError(
                "There is no remediation plan yet. Draft one with 'parapp plan draft'."
            )
        for summary in sorted(found, key=lambda s: (-s.year, s.kind != KIND_REMEDIATION)):
            state = _("issued") if summary.status == PlanStatus.ISSUED else _("draft")
            basis = (
                _("remedies the results of {year}").format(year=summary.assessment_year)
                if summary.assessment_year
                else ""
            )
            _out(
                "\t".join(
                    part
                    for part in (
                        str(summary.year),
                        _what(summary.kind),
                        _("revision {revision}").format(revision=summary.revision),
                        state,
                        _("{n} items").format(n=summary.items),
                        basis,
                    )
                    if part
                )
            )
            for info in issuing.list_issued(db, summary.year, summary.kind):
                signed = " " + _("(digitally signed)") if info.signed_sha256 else ""
                _out(
                    "  "
                    + _("revision {revision} issued as No. {ref} dated {date}").format(
                        revision=info.revision, ref=info.reference, date=format_date(info.issued_on)
                    )
                    + signed
                )
    return 0


def item_add(args: argparse.Namespace) -> int:
    with _db(args) as db:
        change = pi.add(
            db,
            args.year,
            _kind(args),
            criterion=args.criterion or "",
            index_kind=args.index or "",
            shortcoming=args.shortcoming or "",
            tasks=_tasks(args) or "",
            product=args.product or "",
            lead=args.lead or "",
            coordinating=args.coordinating or "",
            deadline=args.deadline or "",
            to=args.to,
        )
    return _changed(change, _("Added item {number}.").format(number=change.numbers[0]))


def item_edit(args: argparse.Namespace) -> int:
    fields = {
        name: getattr(args, name)
        for name in ("shortcoming", "product", "lead", "coordinating", "deadline")
        if getattr(args, name) is not None
    }
    tasks = _tasks(args)
    if tasks is not None:
        fields["tasks"] = tasks
    if args.index is not None:
        fields["index_kind"] = args.index
    with _db(args) as db:
        change = pi.edit(db, args.number, args.year, _kind(args), **fields)
    return _changed(change, _("Saved item {number}.").format(number=change.numbers[0]))


def item_duplicate(args: argparse.Namespace) -> int:
    with _db(args) as db:
        change = pi.duplicate(db, args.number, args.year, _kind(args))
    return _changed(
        change,
        _("Item {number} is a copy of item {source}.").format(
            number=change.numbers[0], source=args.number
        ),
    )


def item_split(args: argparse.Namespace) -> int:
    with _db(args) as db:
        change = pi.split(db, args.number, args.task or (), args.year, _kind(args))
    return _changed(
        change,
        _("Split item {number} into items {numbers}.").format(
            number=args.number, numbers=_numbers(change.numbers)
        ),
    )


def item_merge(args: argparse.Namespace) -> int:
    with _db(args) as db:
        change = pi.merge(db, args.numbers, args.year, _kind(args))
    return _changed(
        change,
        _(
            "Merged items {numbers} into item {number}; the others are removed and can be "
            "restored."
        ).format(numbers=_numbers(sorted(set(args.numbers))), number=change.numbers[0]),
    )


def item_move(args: argparse.Namespace) -> int:
    step = -1 if args.up else 1 if args.down else 0
    with _db(args) as db:
        change = pi.move(db, args.number, to=args.to, step=step, year=args.year, kind=_kind(args))
    return _changed(
        change,
        _("Item {old} is now item {number}.").format(old=args.number, number=change.numbers[0]),
    )


def item_remove(args: argparse.Namespace) -> int:
    with _db(args) as db:
        pi.remove(db, args.number, args.year, _kind(args))
    _out(
        _(
            "Removed item {number}; the items after it moved up one number. "
            "'parapp plan item restore' brings it back."
        ).format(number=args.number)
    )
    return 0


def item_restore(args: argparse.Namespace) -> int:
    with _db(args) as db:
        change = pi.restore(db, args.which, args.year, _kind(args))
    return _changed(change, _("Restored as item {number}.").format(number=change.numbers[0]))


def item_progress(args: argparse.Namespace) -> int:
    on = _date(args.date) or date.today()
    with _db(args) as db:
        change = pi.progress(
            db, args.number, on, args.percent, args.note or "", args.year, _kind(args)
        )
    return _changed(
        change,
        _("Recorded {percent}% for item {number} on {date}.").format(
            percent=args.percent, number=change.numbers[0], date=format_date(on)
        ),
    )


# -- registration ----------------------------------------------------------------------------
def add_commands(plan: argparse._SubParsersAction) -> None:
    """``plan items``, ``plan list`` and the ``plan item`` group, on the ``plan`` group."""
    def which(c: argparse.ArgumentParser) -> None:
        c.add_argument("--year", type=_year, help="plan year (default: latest)")
        c.add_argument("--annual", action="store_true", help="the annual reform plan")

    def wording(c: argparse.ArgumentParser) -> None:
        c.add_argument("--shortcoming", help="the shortcoming it answers (Tồn tại, hạn chế)")
        c.add_argument("--tasks", help="tasks and solutions (line breaks kept)")
        c.add_argument("--task", action="append", help="one line of the tasks (repeatable)")
        c.add_argument("--product", help="what the task delivers (Sản phẩm)")
        c.add_argument("--lead", help="lead unit or officer (chủ trì)")
        c.add_argument("--coordinating", help="coordinating units (phối hợp)")
        c.add_argument("--deadline", help="as the plan words it, e.g. 'quý II/2026'")
        c.add_argument("--index", help="PAR (default), SIPAS, PAPI, DTI, DAN_VAN or OTHER")

    c = plan.add_parser("items", help="the plan's items with their numbers")
    which(c)
    c.set_defaults(handler=plan_items)
    c = plan.add_parser("list", help="the plans of the database, their revisions and states")
    c.set_defaults(handler=plan_list)

    item = plan.add_parser("item", help="change one item, by its number").add_subparsers(
        dest="item_action", required=True, metavar="ACTION"
    )
    c = item.add_parser("add", help="add an item (about a criterion or none)")
    c.add_argument("--criterion", help="the criterion code it answers, e.g. 2.1")
    wording(c)
    c.add_argument("--to", type=int, metavar="N", help="its number (default: end of its area)")
    which(c)
    c.set_defaults(handler=item_add)

    c = item.add_parser("edit", help="change an item's wording")
    c.add_argument("number", type=int, help=NUMBER_HELP)
    wording(c)
    which(c)
    c.set_defaults(handler=item_edit)

    c = item.add_parser("duplicate", help="copy an item right after it")
    c.add_argument("number", type=int, help=NUMBER_HELP)
    which(c)
    c.set_defaults(handler=item_duplicate)

    c = item.add_parser("split", help="one shortcoming, several tasks: one item per task")
    c.add_argument("number", type=int, help=NUMBER_HELP)
    c.add_argument("--task", action="append", help="a task (repeatable; default: its lines)")
    which(c)
    c.set_defaults(handler=item_split)

    c = item.add_parser("merge", help="several items into the first of them")
    c.add_argument("numbers", type=int, nargs="+",
                   help="the items' numbers; the first one takes in the others")
    which(c)
    c.set_defaults(handler=item_merge)

    c = item.add_parser("move", help="move an item within its area")
    c.add_argument("number", type=int, help=NUMBER_HELP)
    where_to = c.add_mutually_exclusive_group(required=True)
    where_to.add_argument("--to", type=int, metavar="N", help="the number it takes")
    where_to.add_argument("--up", action="store_true", help="one place up")
    where_to.add_argument("--down", action="store_true", help="one place down")
    which(c)
    c.set_defaults(handler=item_move)

    c = item.add_parser("remove", help="take an item out of the plan (restore undoes it)")
    c.add_argument("number", type=int, help=NUMBER_HELP)
    which(c)
    c.set_defaults(handler=item_remove)

    c = item.add_parser("restore", help="put a removed item back (default: the last removed)")
    c.add_argument("which", type=int, nargs="?", default=1, help="as 'plan items' lists them")
    which(c)
    c.set_defaults(handler=item_restore)

    c = item.add_parser(
        "progress",
        help="record progress: date, percent, note",
        description="record progress: date, percent, note\n\nexample:\n"
        "  parapp plan item progress 3 --percent 50 --date 30/06/2026 --note 'đã ban hành quy chế'",
    )
    c.add_argument("number", type=int, help=NUMBER_HELP)
    c.add_argument("--percent", type=int, required=True, help="how much is done, 0 to 100")
    c.add_argument("--date", help="dd/mm/yyyy (default: today)")
    c.add_argument("--note", default="", help="what was done, e.g. 'đã ban hành quy chế'")
    which(c)
    c.set_defaults(handler=item_progress)
