"""``parapp hub ...``: the appraiser's office on a PostgreSQL server (docs/hub.md).

    parapp hub move --to TARGET                 the office to a server, or back to a file
    parapp hub member add LOGIN --name NAME [--secretariat]
    parapp hub member list | remove LOGIN       the appraisal council's members
    parapp hub assign --member LOGIN --area CODE [--year Y] [--set CODE]
    parapp hub unassign --area CODE [--year Y] [--set CODE]
    parapp hub areas [--year Y] [--set CODE]    who appraises which area
"""

from __future__ import annotations

import argparse
from typing import Any

from parapp.i18n import _
from parapp.services import council, hub
from parapp.services.office import resolve_db_path

from .handlers import _db, _out, header
from .options import PERIOD_HELP


def move(args: argparse.Namespace) -> int:
    report = hub.move(resolve_db_path(args.db), resolve_db_path(args.to))
    for check in report.tables:
        _out(f"{check.table}\t{check.rows}")
    _out(
        _("Copied {tables} tables ({rows} rows) to {target}: the row counts and checksums "
          "match the original.").format(
            tables=len(report.tables),
            rows=sum(c.rows for c in report.tables),
            target=report.target,
        )
    )
    return 0


def _role(member: council.Member) -> str:
    return _("secretariat") if member.secretariat else _("member")


def member_add(args: argparse.Namespace) -> int:
    with _db(args) as db:
        added = council.add_member(db, args.login, args.name, secretariat=args.secretariat)
    m = added.member
    text = (_("{name} ({login}) is a {role} of the council; the server login was created: "
              "the IT staff give it a password.") if added.login_created
            else _("{name} ({login}) is a {role} of the council, with the server login it "
                   "already had."))
    _out(text.format(name=m.name, login=m.login, role=_role(m)))
    return 0


def member_list(args: argparse.Namespace) -> int:
    with _db(args) as db:
        found = council.members(db)
    if not found:
        _out(_("The council has no member yet: every login that can open the database may do "
               "everything."))
        return 0
    header(_("Login"), _("Name"), _("Role"))
    for m in found:
        _out(f"{m.login}\t{m.name}\t{_role(m)}")
    return 0


def member_remove(args: argparse.Namespace) -> int:
    with _db(args) as db:
        m = council.remove_member(db, args.login)
    _out(_("{name} ({login}) is no longer a member of the council; its areas are unassigned.")
         .format(name=m.name, login=m.login))
    return 0


def assign(args: argparse.Namespace) -> int:
    with _db(args) as db:
        a = council.assign(db, args.member, args.area, year=args.year, set_code=args.set)
    _out(_("Area {area} ({title}) of {set} {year} is assigned to {name} ({login}).").format(
        area=a.area_code, title=a.area_title, set=a.set_code, year=a.year,
        name=a.member.name, login=a.member.login))
    return 0


def unassign(args: argparse.Namespace) -> int:
    with _db(args) as db:
        a = council.unassign(db, args.area, year=args.year, set_code=args.set)
    _out(_("Area {area} of {set} {year} is no longer assigned to {name}.").format(
        area=a.area_code, set=a.set_code, year=a.year, name=a.member.name))
    return 0


def areas(args: argparse.Namespace) -> int:
    with _db(args) as db:
        found = council.assignments(db, year=args.year, set_code=args.set)
    if not found:
        _out(_("No area is assigned yet: 'parapp hub assign --member LOGIN --area CODE'."))
        return 0
    header(_("Year"), _("Criteria set"), _("Area"), _("Area name"), _("Login"), _("Name"))
    for a in found:
        _out(f"{a.year}\t{a.set_code}\t{a.area_code}\t{a.area_title}\t{a.member.login}"
             f"\t{a.member.name}")
    return 0


def _where(p: Any) -> None:
    p.add_argument("--year", type=int, default=None, help=PERIOD_HELP)
    p.add_argument("--set", default=None, help="the criteria set's code")


def register(sub: Any) -> None:
    h = sub.add_parser("hub", help="the office on a PostgreSQL server (docs/hub.md)")
    acts = h.add_subparsers(dest="action", required=True, metavar="ACTION")
    c = acts.add_parser(
        "move", help="copy this office into an empty server database or a new file"
    )
    c.add_argument(
        "--to", required=True, help="postgresql://host/dbname, or a new .sqlite3 file"
    )
    c.set_defaults(handler=move)

    m = acts.add_parser("member", help="the appraisal council's members (server logins)")
    member_acts = m.add_subparsers(dest="member_action", required=True, metavar="ACTION")
    c = member_acts.add_parser("add", help="add a member, adopting or creating its login")
    c.add_argument("login", help="the member's server login")
    c.add_argument("--name", required=True, help="the name shown to others")
    c.add_argument("--secretariat", action="store_true",
                   help="the secretariat: imports, accepts, returns, publishes, exports")
    c.set_defaults(handler=member_add)
    c = member_acts.add_parser("list", help="the members")
    c.set_defaults(handler=member_list)
    c = member_acts.add_parser("remove", help="remove a member and its areas")
    c.add_argument("login", help="the member's server login")
    c.set_defaults(handler=member_remove)

    c = acts.add_parser("assign", help="give an area to a member (per criteria set and year)")
    c.add_argument("--member", required=True, help="the member's login")
    c.add_argument("--area", required=True, help="the area's code, e.g. 3")
    _where(c)
    c.set_defaults(handler=assign)
    c = acts.add_parser("unassign", help="take an area back from its member")
    c.add_argument("--area", required=True, help="the area's code, e.g. 3")
    _where(c)
    c.set_defaults(handler=unassign)
    c = acts.add_parser("areas", help="who appraises which area")
    _where(c)
    c.set_defaults(handler=areas)
