"""The ``parapp`` console script.

With arguments it runs the command line and never imports Qt (a server or a script has no
screen); without arguments it opens the GUI, or prints help until the GUI exists.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8_console()
    if args:
        from parapp.cli import main as cli_main

        return cli_main(args)
    # The GUI is another capability; until it lands, show what the program can do.
    return _help()


def _help() -> int:
    from parapp.cli.parser import build_parser

    build_parser().print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
