"""``parapp history``: who changed what and when, newest first — a criterion's scores and
documents, the plan's document, or one plan item — worded as the window's history list."""

from __future__ import annotations

import argparse

from parapp.i18n import _, format_datetime
from parapp.services import assessments, history
from parapp.services.common import ServiceError
from parapp.services.history_words import change_text, field_label
from parapp.services.plan_numbers import list_items

from .handlers import _db, _out, _year, header


def show(args: argparse.Namespace) -> int:
    rule = None
    with _db(args) as db:
        if args.item is not None:
            numbered = {n.number: n.item for n in list_items(db, args.period).items}
            if args.item not in numbered:
                raise ServiceError("The plan has no item {number}.", number=args.item)
            entries = history.item_history(db, numbered[args.item].id)
        elif args.plan:
            entries = history.plan_history(db, args.period)
        elif args.code:
            cset = assessments.view(db, args.period).cset
            if not cset.has(args.code):
                raise ServiceError("'{code}' is not a criterion of this criteria set.",
                                   code=args.code)
            rule = cset.node(args.code).rule
            entries = history.node_history(db, args.code, args.period)
        else:
            raise ServiceError("Say whose history to show: a criterion's code, the plan, or "
                               "one of its items.")
    if not entries:
        _out(_("No change has been recorded yet."))
        return 0
    header(_("When"), _("Who"), _("What"), _("Change"))
    for entry in entries:
        who = entry.actor or "—"
        if entry.received:
            who += " " + _("(received in a package)")
        _out("\t".join((format_datetime(entry.at), who, field_label(entry),
                        change_text(entry, rule))))
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("history", help="who changed what and when, newest first")
    c.add_argument("code", nargs="?", help="a criterion's code, e.g. 1.2.1")
    c.add_argument("--plan", action="store_true", help="the plan's document: texts, number, "
                   "issuing, signing")
    c.add_argument("--item", type=int, default=None, help="one plan item, by its number as "
                   "'plan items' lists it")
    c.add_argument("--period", "--year", dest="period", type=_year,
                   help="the assessment's year (a criterion) or the plan's year")
    c.set_defaults(handler=show)
