"""The office's own lists on the command line: ``office departments list|add|rename|remove``
(the departments and officers offered as lead and coordinating units of plan items)."""

from __future__ import annotations

import argparse

from parapp.i18n import _
from parapp.services import office_lists

from .handlers import _db, _out


def departments_list(args: argparse.Namespace) -> int:
    with _db(args) as db:
        for name in office_lists.names(db):
            _out(name)
    return 0


def departments_add(args: argparse.Namespace) -> int:
    with _db(args) as db:
        name = office_lists.add(db, args.name)
    _out(_("Added to the office's list: {name}").format(name=name))
    return 0


def departments_rename(args: argparse.Namespace) -> int:
    with _db(args) as db:
        changed = office_lists.rename(db, args.old, args.new)
    _out(
        _("Renamed {old} to {new}; {n} item(s) of plans not yet issued now name it so.").format(
            old=office_lists.normal(args.old), new=office_lists.normal(args.new), n=changed
        )
    )
    return 0


def departments_remove(args: argparse.Namespace) -> int:
    with _db(args) as db:
        name = office_lists.remove(db, args.name)
    _out(
        _("Removed from the office's list: {name} (plans that name it keep it).").format(name=name)
    )
    return 0


def add_department_commands(office: argparse._SubParsersAction) -> None:
    """``office departments …`` on the ``office`` group."""
    dep = office.add_parser(
        "departments", help="the office's departments and officers (lead and coordinating units)"
    ).add_subparsers(dest="list_action", required=True, metavar="ACTION")
    c = dep.add_parser("list", help="the list, in its order")
    c.set_defaults(handler=departments_list)
    c = dep.add_parser("add", help="add a department or officer")
    c.add_argument("name", help="its name, e.g. 'Văn phòng HĐND và UBND'")
    c.set_defaults(handler=departments_add)
    c = dep.add_parser("rename", help="rename one (plans not yet issued follow)")
    c.add_argument("old", help="the name as listed")
    c.add_argument("new", help="the new name")
    c.set_defaults(handler=departments_rename)
    c = dep.add_parser("remove", help="take one off the list")
    c.add_argument("name", help="the name as listed")
    c.set_defaults(handler=departments_remove)
