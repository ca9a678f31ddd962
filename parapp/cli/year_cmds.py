"""Moving a year's self-assessment around: export to Excel (the sheet ``scores import``
reads back) and copying last year's into the new year's."""

from __future__ import annotations

import argparse
from pathlib import Path

from parapp.i18n import _
from parapp.services import assessments, carry_over, scores_export

from .handlers import _db, _out, _year, assessment_new


def scores_export_cmd(args: argparse.Namespace) -> int:
    with _db(args) as db:
        result = scores_export.export_scores(db, Path(args.file), args.period)
    _out(
        _("Wrote the {year} self-assessment ({rows} criteria) to {path}.").format(
            year=result.year, rows=result.rows, path=result.path
        )
    )
    return 0


def new_with_copy(args: argparse.Namespace) -> int:
    """``assessment new [--copy-last-year]``: the year before must exist before anything is
    created, so a refusal leaves no empty year behind."""
    if not args.copy_last_year:
        return assessment_new(args)
    with _db(args) as db:
        assessments.get_info(db, args.period - 1)
    assessment_new(args)
    args.to_year, args.from_year = args.period, args.period - 1
    return copy_last_year_cmd(args)


def copy_last_year_cmd(args: argparse.Namespace) -> int:
    with _db(args) as db:
        result = carry_over.copy_last_year(db, args.to_year, args.from_year)
    _out(
        _(
            "Copied {copied} criteria and {links} evidence links from {source} into {target}; "
            "{skipped} skipped."
        ).format(
            copied=len(result.copied),
            links=result.links,
            source=result.from_year,
            target=result.to_year,
            skipped=len(result.skipped),
        )
    )
    for item in result.skipped:
        _out(f"{item.code}\t{_(item.reason)}")
    return 0


def add_scores_export(actions: argparse._SubParsersAction) -> None:
    c = actions.add_parser(
        "export", help="the self-assessment as an Excel sheet that 'scores import' reads back"
    )
    c.add_argument("file", help="the .xlsx file to write")
    c.add_argument("--period", "--year", dest="period", type=_year,
                   help="assessed year (default: latest)")
    c.set_defaults(handler=scores_export_cmd)


def add_copy_option(new: argparse.ArgumentParser) -> None:
    """``--copy-last-year`` for ``assessment new``."""
    new.add_argument(
        "--copy-last-year",
        action="store_true",
        help="then copy the year before's declared data, explanations and evidence links "
        "(as 'assessment copy-last-year')",
    )
    new.set_defaults(handler=new_with_copy)


def add_copy_last_year(actions: argparse._SubParsersAction) -> None:
    c = actions.add_parser(
        "copy-last-year",
        help="copy last year's declared data, explanations and evidence links into the new "
        "year (criteria already filled in are kept)",
    )
    c.add_argument("--from", dest="from_year", type=_year,
                   help="the year to copy from (default: the year before)")
    c.add_argument("--to", dest="to_year", type=_year,
                   help="the year to copy into (default: latest)")
    c.set_defaults(handler=copy_last_year_cmd)
