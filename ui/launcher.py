"""The ``parapp`` console script.

Without arguments, or with only the window's options (``--db PATH``, ``--lang vi|en``,
``--smoke``, ``--open FILE``), it opens the window. Any other argument goes to the command
line, which never imports Qt (a server or a script has no screen).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from parapp.i18n import LANGUAGES, _


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # pythonw (the windowed program) has no console
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(encoding="utf-8", errors="replace")


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


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8_console()
    os.environ.setdefault("PYTHONUTF8", "1")
    try:
        if window_options(args) is not None:
            from ui.app import run

            return run(args)
        from parapp.cli import main as cli_main

        return cli_main(args)
    except KeyboardInterrupt:
        # Ctrl-C while the program is still loading: one word, not a traceback.
        print(_("Interrupted."), file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
