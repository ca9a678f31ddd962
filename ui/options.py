"""The window's own options (``--db``, ``--lang``, ``--smoke``, ``--open``): read by the
launcher to choose the window or the command line, and by ``ui.app`` to start the window."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from parapp.i18n import LANGUAGES


def window_parser() -> argparse.ArgumentParser:
    # No -h and no abbreviations: "parapp --help" and anything not exactly the window's
    # options belong to the command line.
    parser = argparse.ArgumentParser(
        prog="parapp", add_help=False, allow_abbrev=False, exit_on_error=False
    )
    parser.add_argument("--db", metavar="PATH", help="the database to open")
    parser.add_argument("--lang", choices=LANGUAGES, help="the window's language")
    parser.add_argument(
        "--smoke", action="store_true",
        help="open on demo data (or --db), wait until the data is shown, exit 0",
    )
    # A .cchc package double-clicked in Explorer (the installer's file association).
    parser.add_argument(
        "--open", dest="open_files", metavar="FILE", action="append", default=[],
        help="check this sync package and offer to import it",
    )
    return parser


def window_options(args: Sequence[str]) -> argparse.Namespace | None:
    """The window's options, or None when ``args`` are for the command line."""
    try:
        options, rest = window_parser().parse_known_args(list(args))
    except argparse.ArgumentError:
        return None  # e.g. "--db" without a path: the command line says what is wrong
    return None if rest else options
