"""The last line of defence: log an unexpected error and tell the user where the log is.

Edits are saved as they are made, so the message can honestly say nothing typed was lost
(except, at worst, the field being edited).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from parapp.i18n import _
from parapp.services.paths import default_data_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

_log_dir: Callable[[], Path] | None = None
_showing = False
_interactive = True


def _default_log_dir() -> Path:
    return default_data_dir() / "logs"


def write_log(exc: BaseException, folder: Path | None = None) -> Path | None:
    """Write the traceback to ``folder`` (the data folder's logs/); None if that fails."""
    target = folder or (_log_dir or _default_log_dir)()
    try:
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        path.write_text(text, encoding="utf-8")
        return path
    except OSError:
        return None


def report(exc: BaseException, parent: object = None) -> Path | None:
    """Log ``exc`` and show a Vietnamese message naming the log file."""
    global _showing
    path = write_log(exc)
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    if _showing:
        return path

    if QApplication.instance() is None:
        return path
    if not _interactive:  # smoke runs and benchmarks: fail loudly, never wait for a click
        QApplication.exit(3)
        return path
    _showing = True
    try:
        message_box(parent if isinstance(parent, QWidget) else None, path).exec()
    finally:
        _showing = False
    return path


def message_box(parent: QWidget | None, path: Path | None) -> QMessageBox:
    """The message of :func:`report`: what happened, that the typing is safe, and where the
    report is (its path can be selected and copied)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Unexpected error"))
    box.setText(
        _("The program met an unexpected error. What you typed before it has been saved.")
    )
    if path is not None:
        detail = _(
            "A report was written to:\n{path}\n\nPlease send this file to the person who "
            "supports the program."
        ).format(path=path)
    else:
        detail = _("The report could not be written to disk.")
    box.setInformativeText(detail)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
    return box


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    report(exc)


def install(log_dir: Callable[[], Path] | None = None, *, interactive: bool = True) -> None:
    """Route uncaught exceptions (including those in Qt slots) to :func:`report`."""
    global _log_dir, _interactive
    _log_dir = log_dir
    _interactive = interactive
    sys.excepthook = _hook


def set_log_dir(log_dir: Callable[[], Path]) -> None:
    global _log_dir
    _log_dir = log_dir
