"""The command line: the same services as the GUI, no prompts (confirmations are flags).

Results go to stdout, progress and errors to stderr; an error is one clear sentence and a
non-zero exit code, never a traceback (that goes to a log file the message names).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from parapp import i18n
from parapp.domain.errors import DomainError, Phrase
from parapp.services.common import os_reason
from parapp.services.office import OfficePaths, resolve_db_path
from parapp.services.storage import explain

from . import language
from .hints import with_hint
from .parser import build_parser


def _log_crash(exc: BaseException, db: str | None) -> Path | None:
    """Logs live beside the database in use (docs/data.md)."""
    try:
        folder = OfficePaths(resolve_db_path(db)).logs
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        return path
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:

    argv = list(sys.argv[1:] if argv is None else argv)
    language.prepare(argv)  # before the parser is built: its titles are translated then
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "lang", None):
        i18n.set_language(args.lang)
    _ = i18n._
    try:
        code = int(args.handler(args) or 0)
        sys.stdout.flush()  # a closed pipe is found here, not at the interpreter's exit
        return code
    except BrokenPipeError:
        # "parapp … | head": the reader has all it wanted; no message, as other tools do.
        _silence_stdout()
        return 141
    except DomainError as exc:
        shown = _disk_problem(exc, args) or exc
        print(with_hint(shown, i18n.message(shown)), file=sys.stderr)
        # One sentence, then the list it announces (what a submission lacks), if any.
        for detail in getattr(exc, "details", ()):
            print("  - " + i18n.message(detail), file=sys.stderr)
        return 1
    except Exception as exc:
        clear = _disk_problem(exc, args)
        if clear is not None:  # a full disk or a read-only folder, said plainly
            print(i18n.message(clear), file=sys.stderr)
            return 1
        if not isinstance(exc, OSError):
            return _unexpected(exc, args)
        where = f" ({exc.filename})" if exc.filename else ""
        reason = os_reason(exc)
        print(
            _("The file system refused the operation: {reason}{where}").format(
                reason=i18n.message(reason) if isinstance(reason, Phrase) else reason,
                where=where,
            ),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """Point stdout at the null device so Python's own flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _disk_problem(exc: BaseException, args: object) -> DomainError | None:
    """The clear message for disk trouble in the data folder, if that is what ``exc`` is."""
    try:
        return explain(exc, resolve_db_path(getattr(args, "db", None)).parent)
    except Exception:  # finding the folder must not hide the original error
        return None


def _unexpected(exc: BaseException, args: object) -> int:
    """The last line of defence: never show a traceback; log it and say where."""
    log = _log_crash(exc, getattr(args, "db", None))
    print(
        i18n._("An unexpected error occurred ({kind}). Details were written to {log}.").format(
            kind=type(exc).__name__, log=log or "-"
        ),
        file=sys.stderr,
    )
    return 70
