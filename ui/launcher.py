"""The ``parapp`` console script.

With command arguments it runs the command line and never imports Qt (a server or a script
has no screen). Without arguments, or with only ``--db PATH`` / ``--lang`` / ``--smoke`` /
``--open FILE``, it opens the GUI (``--smoke``: open the window on demo data, wait until it
is shown, exit 0; ``--open``: check that package and offer to import it).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

# --open FILE: a .cchc package double-clicked in Explorer (the installer's file association).
GUI_OPTIONS = {"--db": 1, "--lang": 1, "--smoke": 0, "--open": 1}


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # pythonw (the windowed program) has no console
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(encoding="utf-8", errors="replace")


def wants_gui(args: Sequence[str]) -> bool:
    """True for no arguments, or only the options the window understands."""
    i = 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0]
        if name not in GUI_OPTIONS:
            return False
        takes = GUI_OPTIONS[name] if "=" not in arg else 0
        if takes and i + 1 >= len(args):
            return False
        i += 1 + takes
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8_console()
    os.environ.setdefault("PYTHONUTF8", "1")
    if wants_gui(args):
        from ui.app import run

        return run(args)
    from parapp.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
