"""``parapp hub move --to TARGET``: the office to a PostgreSQL server or back to a file
(docs/hub.md)."""

from __future__ import annotations

import argparse
from typing import Any

from parapp.i18n import _
from parapp.services import hub
from parapp.services.office import resolve_db_path

from .handlers import _out


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
