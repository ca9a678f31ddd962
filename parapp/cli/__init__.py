"""The command line: the same services as the GUI, no prompts (confirmations are flags).

Results go to stdout, progress and errors to stderr; an error is one clear sentence and a
non-zero exit code, never a traceback (that goes to a log file the message names).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from parapp.domain.errors import DomainError


def _log_crash(exc: BaseException) -> Path | None:
    from db.location import default_data_dir

    try:
        folder = default_data_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        return path
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    from parapp import i18n

    from .parser import build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "lang", None):
        i18n.set_language(args.lang)
    _ = i18n._
    try:
        return int(args.handler(args) or 0)
    except DomainError as exc:
        print(i18n.message(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            _("The file system refused the operation: {reason}{where}").format(
                reason=exc.strerror or exc, where=where
            ),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: never show a traceback
        log = _log_crash(exc)
        print(
            _("An unexpected error occurred ({kind}). Details were written to {log}.").format(
                kind=type(exc).__name__, log=log or "-"
            ),
            file=sys.stderr,
        )
        return 70
