"""``parapp appraise ...`` and ``parapp ranking``: the appraiser's hub on the command line.

    parapp appraise units [--year Y] [--set CODE]
    parapp appraise add-units --province CODE
    parapp appraise add-unit --code CODE --name NAME --kind KIND     (historical units)
    parapp appraise score UNIT CODE SCORE [--comment TEXT] [--was OLD] [--year Y] [--set CODE]
    parapp appraise accept UNIT [--year Y] [--set CODE] [--confirm-incomplete]
    parapp appraise return UNIT --reason TEXT [--year Y] [--set CODE]
    parapp appraise publish --decision-number N --decision-date DD/MM/YYYY [--year Y] [--set]
                            [--confirm-incomplete]
    parapp ranking [--year Y] [--set CODE] --out FILE.xlsx|.pdf|.docx [--date DD/MM/YYYY]
                   [--signer-mode M] [--signer-head H] [--signer-position P] [--signer-name N]
    parapp appraise signer [--signer-mode M] [--signer-head H] [--signer-position P] …

Without --year a change (score, accept, return, publish) works on the year whose assessments wait
for the appraiser (asked when several do); a listing on the latest year received.
Never prompts; errors are one sentence and a non-zero exit (see parapp.cli.main).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from parapp.domain.units import Unit, UnitKind
from parapp.i18n import N_, _, format_max, format_percent
from parapp.services.appraisal import (
    accept_self_scores,
    add_units_from_catalog,
    appraise_node,
    latest_year,
    return_for_correction,
    unit_statuses,
)
from parapp.services.appraisal import add_unit as add
from parapp.services.appraisal_conflicts import Seen
from parapp.services.appraisal_publish import RANKING_SUFFIXES, export_ranking, ranking_inputs
from parapp.services.appraisal_publish import publish as do_publish
from parapp.services.appraisal_years import year_to_work_on
from parapp.services.appraiser_signer import appraiser_signer, set_appraiser_signer, signer_lines
from parapp.services.common import NotFound, ServiceError

from . import handlers as h
from .handlers import _year
from .options import SIGNER_MODE_HELP, add_period
from .render import status_text


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _year_or_latest(db: Any, args: argparse.Namespace, unit_code: str | None = None) -> int:
    return args.period if args.period is not None else latest_year(db, unit_code)


def _year_to_change(db: Any, args: argparse.Namespace, unit_code: str | None = None) -> int:
    """A change without --year: the year waiting for the appraiser (asked if several)."""
    return args.period if args.period is not None else year_to_work_on(db, unit_code)


def _index(value: Any) -> str:
    return format_percent(value) if value is not None else "-"


def units(args: argparse.Namespace) -> int:

    with h._db(args) as db:
        try:
            year = _year_or_latest(db, args)
        except NotFound:  # nothing submitted yet: list the units, none submitted
            year = date.today().year
        rows = unit_statuses(db, year, args.set_code)
    if not rows:
        _out(_("No unit is registered yet. Add them with 'parapp appraise add-units'."))
        return 0
    h.header(_("Unit code"), _("Unit"), _("Status"), _("Criteria set"), _("Self index"),
             _("Appraised index"), _("Notes"))
    for r in rows:
        status = status_text(r.status) if r.status is not None else _("not submitted")
        extra = []
        if r.to_appraise:
            extra.append(_("{n} to appraise").format(n=r.to_appraise))
        if r.to_reappraise:
            extra.append(_("{n} to re-appraise").format(n=r.to_reappraise))
        if r.rank is not None:
            extra.append(_("rank {rank}/{of}").format(rank=r.rank, of=r.rank_of))
        if r.return_reason:
            extra.append(_("returned: {reason}").format(reason=r.return_reason))
        if r.incomplete_reason:
            extra.append(_("submitted incomplete: {reason}").format(reason=r.incomplete_reason))
        _out(
            "\t".join(
                (
                    r.unit_code,
                    r.unit_name,
                    status,
                    r.set_code or "-",
                    _index(r.self_index),
                    _index(r.appraised_index),
                    "; ".join(extra),
                )
            ).rstrip("\t")
        )
    return 0


def add_units(args: argparse.Namespace) -> int:
    with h._db(args) as db:
        done = add_units_from_catalog(db, args.province)
    _out(
        _("{province}: {added} units added, {updated} updated, {unchanged} unchanged.").format(
            province=done.province_name,
            added=done.added,
            updated=done.updated,
            unchanged=done.unchanged,
        )
    )
    return 0


def add_unit(args: argparse.Namespace) -> int:
    unit = Unit(args.code, args.name, UnitKind(args.kind), province_name=args.province or "")
    with h._db(args) as db:
        new = add(db, unit)
    _out(
        (_("Added {name} ({code}).") if new else _("Updated {name} ({code}).")).format(
            name=unit.name, code=unit.code
        )
    )
    return 0


def score(args: argparse.Namespace) -> int:
    value = h._number(args.score, "SCORE")
    # What the person read before (``--was``): a score someone changed since is refused
    # with who and when instead of being overwritten.
    seen = None
    if args.was is not None:
        seen = Seen(None if args.was.strip() in ("", "-") else h._number(args.was, "--was"))
    with h._db(args) as db:
        year = _year_to_change(db, args, args.unit)
        done = appraise_node(
            db, args.unit, year, args.code, value, args.comment or "", set_code=args.set_code,
            seen=seen,
        )

    shown = done.appraised if done.appraised is not None else done.survey
    _out(
        _("{unit} {year}, criterion {code}: {score}/{max}.").format(
            unit=done.unit_code,
            year=year,
            code=done.code,
            score=format_max(shown) if shown is not None else "-",
            max=format_max(done.max_points),
        )
    )
    return 0


def accept(args: argparse.Namespace) -> int:

    with h._db(args) as db:
        year = _year_to_change(db, args, args.unit)
        done = accept_self_scores(
            db,
            args.unit,
            year,
            set_code=args.set_code,
            confirm_incomplete=args.confirm_incomplete,
        )
    _out(
        _("Accepted the self scores of {n} criteria; status: {status}.").format(
            n=done.accepted, status=status_text(done.status)
        )
    )
    if done.to_reappraise:
        _out(
            _("{n} criteria changed by the unit still need re-appraisal.").format(
                n=done.to_reappraise
            )
        )
    return 0


def return_(args: argparse.Namespace) -> int:
    with h._db(args) as db:
        year = _year_to_change(db, args, args.unit)
        return_for_correction(db, args.unit, year, args.reason, set_code=args.set_code)
    _out(
        _("Returned the {year} assessment of {unit} for correction.").format(
            year=year, unit=args.unit
        )
    )
    return 0


def publish(args: argparse.Namespace) -> int:
    decision_date = h._date(args.decision_date)
    with h._db(args) as db:
        year = _year_to_change(db, args)
        outcome = do_publish(
            db,
            year,
            args.set_code,
            decision_number=args.decision_number,
            decision_date=decision_date,
            issuer=args.issuer or "",
            confirm_incomplete=args.confirm_incomplete,
        )
    if outcome.published:
        h.header(_("Rank"), _("Index"), _("Band"), _("Unit code"), _("Unit"))
    for p in outcome.published:
        _out(
            f"{p.rank}/{p.rank_of}\t{format_percent(p.index)}\t{p.band}\t{p.unit_code}\t"
            f"{p.unit_name}"
        )
    _out(
        _("Published the {year} results of {n} units.").format(year=year, n=len(outcome.published))
    )
    for code, name, status in outcome.skipped:
        sys.stderr.write(
            _("Not published: {name} ({code}) is {status}.").format(
                name=name, code=code, status=status_text(status)
            )
            + "\n"
        )
    return 0


def _save_signer(db: Any, args: argparse.Namespace) -> bool:
    """Keep the --signer-* options given in the appraiser's settings; True if any was."""
    given = {
        "mode": args.signer_mode,
        "body": args.signer_body,
        "head_title": args.signer_head,
        "position": args.signer_position,
        "name": args.signer_name,
    }
    if all(value is None for value in given.values()):
        return False
    set_appraiser_signer(db, **given)
    return True


def _signer_text(db: Any) -> str:
    signer = appraiser_signer(db)
    name = signer.name or _("(no name)")
    return f"{' / '.join(signer_lines(signer))} — {name}"


def signer(args: argparse.Namespace) -> int:
    with h._db(args) as db:
        saved = _save_signer(db, args)
        text = _signer_text(db)
    template = _("Saved. Signer: {signer}") if saved else _("Signer: {signer}")
    _out(template.format(signer=text))
    return 0


def ranking(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in RANKING_SUFFIXES:
        raise ServiceError("Save the ranking as a .xlsx, .pdf or .docx file.")
    with h._db(args) as db:
        if _save_signer(db, args):
            _out(_("Saved. Signer: {signer}").format(signer=_signer_text(db)))
        year = _year_or_latest(db, args)
        data = ranking_inputs(db, year, args.set_code, issued_on=h._date(args.date))
    export_ranking(data, out)
    _out(_("Wrote {path}").format(path=out))
    return 0


def register(sub: Any) -> None:
    """Add ``appraise`` and ``ranking`` to the sub-parsers of ``parapp``."""
    a = sub.add_parser("appraise", help="appraiser: units, appraisal, return, publish")
    acts = a.add_subparsers(dest="action", required=True, metavar="ACTION")

    def with_year(c: argparse.ArgumentParser) -> argparse.ArgumentParser:
        add_period(c, _year)
        c.add_argument("--set", dest="set_code", help="criteria set code")
        return c

    c = with_year(acts.add_parser("units", help="every unit with the state of its assessment"))
    c.set_defaults(handler=units)
    c = acts.add_parser("add-units", help="the communes and wards of a province (official list)")
    c.add_argument("--province", required=True, help="province code after 2025, e.g. 20")
    c.set_defaults(handler=add_units)
    c = acts.add_parser("add-unit", help="one unit by hand (a district of a past year)")
    c.add_argument("--code", required=True, help="official unit code, e.g. 06172")
    c.add_argument("--name", required=True, help="unit name, e.g. 'Xã Hoàng Văn Thụ'")
    c.add_argument("--kind", required=True, choices=[k.value for k in UnitKind],
                   help="the kind of unit")
    c.add_argument("--province", default="", help="the province's name, e.g. 'Lạng Sơn'")
    c.set_defaults(handler=add_unit)
    c = with_year(acts.add_parser(
        "score",
        help="appraise one criterion",
        description="appraise one criterion\n\nexample:\n"
        "  parapp appraise score 06172 1.1.1 0 --year 2025 --comment 'ban hành quá thời hạn'",
    ))
    c.add_argument("unit", help="unit code")
    c.add_argument("code", help="criterion code, e.g. 1.2.1")
    c.add_argument("score", help="appraised score, e.g. 0,5")
    c.add_argument("--comment", default="", help="the appraiser's comment")
    c.add_argument("--was", metavar="SCORE",
                   help="the score you saw ('-' for none): refused if someone changed it since")
    c.set_defaults(handler=score)
    confirm_help = N_("go ahead although some criteria have no score at all (counted 0)")
    c = with_year(acts.add_parser("accept", help="appraised = self for every unscored criterion"))
    c.add_argument("unit", help="unit code")
    c.add_argument("--confirm-incomplete", action="store_true", help=confirm_help)
    c.set_defaults(handler=accept)
    c = with_year(acts.add_parser("return", help="return the assessment for correction"))
    c.add_argument("unit", help="unit code")
    c.add_argument("--reason", required=True, help="why, and what the unit is to correct")
    c.set_defaults(handler=return_)
    c = with_year(acts.add_parser("publish", help="publish index, rank and band of all units"))
    c.add_argument("--decision-number", required=True, help="e.g. 70/QĐ-UBND")
    c.add_argument("--decision-date", required=True, help="dd/mm/yyyy")
    c.add_argument("--issuer", default="", help="who issued the decision")
    c.add_argument("--confirm-incomplete", action="store_true", help=confirm_help)
    c.set_defaults(handler=publish)

    c = with_signer(acts.add_parser("signer", help="who signs the ranking (kept in settings)"))
    c.set_defaults(handler=signer)

    c = sub.add_parser("ranking", help="the ranking of all units to .xlsx, .pdf or .docx")
    add_period(c, _year)
    c.add_argument("--set", dest="set_code", help="criteria set code")
    c.add_argument("--out", required=True, help="the file to write: .xlsx, .pdf or .docx")
    c.add_argument("--date", default=None, help="date printed on the document, dd/mm/yyyy")
    with_signer(c)
    c.set_defaults(handler=ranking)


def with_signer(c: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The signer of the appraiser's documents; what is given is kept for the next time."""
    c.add_argument("--signer-mode", choices=("TM", "KT", "Q", "TL", "TUQ", "direct"),
                   help=SIGNER_MODE_HELP)
    c.add_argument("--signer-body", help="for TM.: the collective body")
    c.add_argument(
        "--signer-head", help="whose authority KT./Q./TL./TUQ. stand for, e.g. 'GIÁM ĐỐC'"
    )
    c.add_argument("--signer-position", help="e.g. 'PHÓ GIÁM ĐỐC'")
    c.add_argument("--signer-name", help="the signer's full name")
    return c
