"""The ``parapp`` console script.

Without arguments, or with only the window's options (``--db PATH``, ``--lang vi|en``,
``--smoke``, ``--open FILE``), it opens the window. Any other argument goes to the command
line, which never imports Qt (a server or a script has no screen).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from parapp.i18n import _
from ui.options import window_options


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # pythonw (the windowed program) has no console
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8_console()
    os.environ.setdefault("PYTHONUTF8", "1")
    try:
        # One of the two is imported, never both: the window's Qt would slow every command,
        # the command line's services the window's first paint.
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
