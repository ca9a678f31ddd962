"""The office profile and other indices' results on the command line:
``office show|set`` (how documents head, number, date and sign for the office) and
``result index set|list|remove|import`` (SIPAS, PAPI, DTI, Dân vận ... results of a year)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from parapp.domain.office import FIELDS
from parapp.domain.text import clean
from parapp.i18n import _, format_date, format_percent
from parapp.services import index_results, office_profile
from parapp.services.common import ServiceError
from parapp.services.index_results import IndexResult

from .handlers import _date, _db, _number, _out
from .options import DECISION_DATE_HELP, DECISION_NUMBER_HELP, add_period

# Option names of the profile's fields, as ``office set`` takes them.
_OPTIONS = {name: "--" + name.replace("_", "-") for name in FIELDS}


def office_show(args: argparse.Namespace) -> int:
    with _db(args) as db:
        profile = office_profile.get_profile(db)
        own = office_profile.stored_choices(db)
    values = office_profile.as_dict(profile)
    names = office_profile.labels()
    for name in FIELDS:
        mark = "" if name in own else " " + _("(default)")
        _out(f"{names[name]}: {values[name] or '-'}{mark}")
    header = " / ".join(x for x in (profile.parent_body(), *profile.issuing_body()) if x)
    _out(_("Header: {lines}").format(lines=header))
    _out(_("Plan symbol: {symbol}").format(symbol=profile.symbol("KH")))
    return 0


def office_set(args: argparse.Namespace) -> int:
    changes = {name: getattr(args, name) for name in FIELDS if getattr(args, name) is not None}
    if not changes:
        raise ServiceError("Give at least one field to change, e.g. --symbol-suffix SNV.")
    with _db(args) as db:
        profile = office_profile.set_profile(db, changes)
    header = " / ".join(x for x in (profile.parent_body(), *profile.issuing_body()) if x)
    _out(_("Saved the office profile. Header: {lines}").format(lines=header))
    return 0


def add_profile_commands(office: argparse._SubParsersAction) -> None:
    """``office show`` and ``office set`` on the ``office`` group."""
    c = office.add_parser("show", help="how documents head, number, date and sign for the office")
    c.set_defaults(handler=office_show)
    c = office.add_parser(
        "set", help="change the office profile; an empty value goes back to the default"
    )
    c.add_argument("--governing-body", help="e.g. 'ỦY BAN NHÂN DÂN' or 'UBND TỈNH LẠNG SƠN'")
    c.add_argument("--own-name", help="e.g. 'XÃ HOÀNG VĂN THỤ' or 'SỞ NỘI VỤ'")
    c.add_argument("--symbol-suffix", help="e.g. UBND, SNV, VP (KH-SNV)")
    c.add_argument("--place", help="the date line's place, e.g. 'Lạng Sơn'")
    c.add_argument(
        "--signer-authority", help="e.g. 'TM. ỦY BAN NHÂN DÂN', 'KT. GIÁM ĐỐC' or '' (none)"
    )
    c.add_argument("--signer-title", help="e.g. 'CHỦ TỊCH', 'PHÓ GIÁM ĐỐC'")
    c.add_argument("--level", help="e.g. 'cấp xã', 'cấp sở', 'cấp huyện', 'cấp tỉnh'")
    c.add_argument("--self-name", help="e.g. 'Ủy ban nhân dân xã', 'Sở', 'Văn phòng'")
    c.add_argument("--head", help="e.g. 'Chủ tịch Ủy ban nhân dân xã', 'Giám đốc Sở'")
    c.set_defaults(handler=office_set)


# -- other indices' results -------------------------------------------------------------
def _line(r: IndexResult) -> str:
    res = r.result
    parts = [str(r.year), r.kind, format_percent(res.index)]
    if res.rank is not None:
        parts.append(f"{res.rank}/{res.rank_of}" if res.rank_of else str(res.rank))
    if res.decision_number:
        when = f" {format_date(res.decision_date)}" if res.decision_date else ""
        parts.append(res.decision_number + when)
    return "\t".join(parts)


def index_set(args: argparse.Namespace) -> int:
    given = {
        "index": _number(args.value, "--value"),
        "points": _number(args.points, "--points"),
        "max_points": _number(args.max_points, "--max-points"),
        "rank": args.rank,
        "rank_of": args.rank_of,
        "band": clean(args.band) if args.band is not None else None,
        "decision_number": clean(args.decision_number) if args.decision_number else None,
        "decision_date": _date(args.decision_date),
        "issuer": clean(args.issuer) if args.issuer is not None else None,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    with _db(args) as db:
        stored = index_results.set_result(db, args.kind, args.period, changes)
    _out(
        _("Recorded the {kind} result of {year}: {value}.").format(
            kind=stored.kind, year=stored.year, value=format_percent(stored.result.index)
        )
    )
    return 0


def index_list(args: argparse.Namespace) -> int:
    with _db(args) as db:
        for r in index_results.list_results(db, args.period):
            _out(_line(r))
    return 0


def index_remove(args: argparse.Namespace) -> int:
    with _db(args) as db:
        gone = index_results.remove_result(db, args.kind, args.period)
    _out(_("Removed the {kind} result of {year}.").format(kind=gone.kind, year=gone.year))
    return 0


def index_import(args: argparse.Namespace) -> int:
    with _db(args) as db:
        stored = index_results.import_file(db, Path(args.file))
    _out(_("Recorded {n} index result(s).").format(n=len(stored)))
    return 0


def add_index_result_commands(result: argparse._SubParsersAction,
                               year: Callable[[str], int]) -> None:
    """``result index …`` on the ``result`` group; ``year`` is the parser's year type."""
    idx = result.add_parser(
        "index", help="results of other indices (SIPAS, PAPI, DTI, DAN_VAN, OTHER)"
    ).add_subparsers(dest="index_action", required=True, metavar="ACTION")
    kinds = ", ".join(index_results.KINDS)
    c = idx.add_parser("set", help="type in (or correct) an index's result for a year")
    c.add_argument("--kind", required=True, help=kinds)
    add_period(c, year, required=True)
    c.add_argument("--value", help="e.g. 84,20 (a percentage; needed the first time)")
    c.add_argument("--points", help="the published points, e.g. 84,96")
    c.add_argument("--max-points", help="the maximum points, e.g. 100")
    c.add_argument("--rank", type=int, help="the published rank, e.g. 12")
    c.add_argument("--rank-of", type=int, help="how many units were ranked, e.g. 65")
    c.add_argument("--band", help="the published band, e.g. 'Tốt'")
    c.add_argument("--decision-number", help=DECISION_NUMBER_HELP)
    c.add_argument("--decision-date", help=DECISION_DATE_HELP)
    c.add_argument("--issuer", help="who issued the decision")
    c.set_defaults(handler=index_set)
    c = idx.add_parser("list", help="the recorded results")
    add_period(c, year)
    c.set_defaults(handler=index_list)
    c = idx.add_parser("remove", help="remove an index's result for a year")
    c.add_argument("--kind", required=True, help=kinds)
    add_period(c, year, required=True)
    c.set_defaults(handler=index_remove)
    c = idx.add_parser("import", help="import an index results file (.json)")
    c.add_argument("file", help="the index results file (.json)")
    c.set_defaults(handler=index_import)
