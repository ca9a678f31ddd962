"""Small everyday commands: the assessments of the database, one score typed, a document
taken off criteria. Each listing starts with a header row (tab-separated, like its rows)."""

from __future__ import annotations

import argparse

from parapp.i18n import _, format_datetime, format_points, label
from parapp.services import evidence_pick, periods, score_entry

from .handlers import _db, _out, _year, header
from .options import add_period


def assessment_list(args: argparse.Namespace) -> int:
    with _db(args) as db:
        rows = periods.list_assessments(db)
    if not rows:
        _out(_("There is no assessment yet."))
        return 0
    header(_("Year"), _("Unit"), _("Criteria set"), _("Status"), _("Last change"))
    for r in rows:
        _out("\t".join((str(r.year), f"{r.unit_code} {r.unit_name}",
                        f"{r.set_code} v{r.set_version}", label(r.status),
                        format_datetime(r.updated_at))))
    return 0


def scores_set(args: argparse.Namespace) -> int:
    with _db(args) as db:
        code, score = score_entry.set_score(db, args.code, args.value,
                                            explanation=args.explanation, year=args.period)
    shown = format_points(score) if score is not None else _("no score yet")
    _out(_("{code}: recorded; self score {score}.").format(code=code, score=shown))
    return 0


def evidence_unlink(args: argparse.Namespace) -> int:
    codes = [c.strip() for c in args.nodes.split(",") if c.strip()]
    with _db(args) as db:
        info = evidence_pick.unlink(db, args.document, codes, args.period)
    left = ", ".join(info.node_codes) or _("(not linked to a criterion yet)")
    _out(_("{title}: taken off {codes}; still linked to: {left}.").format(
        title=info.citation, codes=", ".join(codes), left=left))
    return 0


def evidence_remove(args: argparse.Namespace) -> int:
    with _db(args) as db:
        info = evidence_pick.remove(db, args.document, args.period)
    _out(_("{title}: taken off every criterion of this assessment (the file stays in the "
           "evidence store, for the years and documents that cite it).").format(
        title=info.citation))
    return 0


def add_assessment_list(actions: argparse._SubParsersAction) -> None:
    c = actions.add_parser("list", help="the assessments in this database, newest first")
    c.set_defaults(handler=assessment_list)


def add_scores_set(actions: argparse._SubParsersAction) -> None:
    c = actions.add_parser(
        "set",
        help="type one criterion's self-assessment",
        description="type one criterion's self-assessment\n\nexample:\n"
        "  parapp scores set 1.1.1 Có --year 2025 --explanation 'Kế hoạch số 12/KH-UBND'",
    )
    c.add_argument("code", help="criterion code, e.g. 1.2.1")
    c.add_argument("value", help="its declared data (Có, Không, a level, 45/50, a count) "
                   "or, for a criterion scored by judgement, its points (e.g. 0,5)")
    c.add_argument("--explanation", default=None, help="the explanation (giải trình)")
    add_period(c, _year)
    c.set_defaults(handler=scores_set)


def add_evidence_edits(actions: argparse._SubParsersAction) -> None:
    c = actions.add_parser("unlink", help="take a document off some criteria")
    c.add_argument("document", help="the start of its code as 'evidence list' shows it, or "
                   "its number")
    c.add_argument("--nodes", required=True, help="criterion codes, comma-separated")
    add_period(c, _year)
    c.set_defaults(handler=evidence_unlink)
    c = actions.add_parser("remove", help="take a document off every criterion of the "
                           "assessment")
    c.add_argument("document", help="the start of its code as 'evidence list' shows it, or "
                   "its number")
    add_period(c, _year)
    c.set_defaults(handler=evidence_remove)
