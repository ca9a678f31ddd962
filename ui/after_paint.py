"""What the window sets up once it has painted. ``ui.app`` imports this module in one step,
its one deferred import, when the first frame is on screen (tests/test_layers.py lists the
modules loaded before).

The database thread starts first; the crash handler, Qt's own strings, the icon and the
automatic backup follow. Nothing here loads the ORM on the GUI thread: the database thread
does, after the first figures (``ui.state``).
"""

from __future__ import annotations

import sys
from argparse import Namespace
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from parapp import i18n, resources
from ui import crash, dialogs, qt_strings
from ui.main_window import MainWindow
from ui.state import AppState

SMOKE_TIMEOUT_MS = 120_000
AUTOBACKUP_CHECK_MS = 5 * 60_000  # parapp.services.autobackup.TIMER_MINUTES


def start(
    app: QApplication,
    window: MainWindow,
    state: AppState,
    options: Namespace,
    open_packages: Callable[[], None],
) -> None:
    """Start the database thread and everything the first paint could do without;
    ``open_packages`` shows the ``--open`` packages once the data is shown."""
    state.open()  # first: the database thread starts while we set up the rest
    crash.install(lambda: state.log_dir, interactive=not options.smoke)
    qt_strings.install()
    app.setApplicationDisplayName(i18n._("PAR index of the commune"))
    icon = _icon_path()
    if icon is not None:
        app.setWindowIcon(QIcon(icon))
    tasks = state.tasks
    tasks.dialog_parent = window

    def on_error(exc: BaseException) -> None:
        # Only once something failed: the services' common module loads the ORM.
        from parapp.services.storage import explain

        # A full disk or a read-only data folder, said plainly (not as a crash).
        exc = explain(exc, state.db_path.parent) or exc
        if hasattr(exc, "template") or isinstance(exc, OSError):
            dialogs.show_error(window, exc)
        else:
            crash.report(exc, window)

    tasks.default_error = on_error
    if options.open_files:
        window.data_shown.connect(open_packages, Qt.ConnectionType.SingleShotConnection)
    if options.smoke:
        window.data_shown.connect(lambda: QTimer.singleShot(0, lambda: app.exit(0)))
        # An appraiser's office has no assessment of its own; a commune's must show one.
        state.loaded.connect(
            lambda: (state.snapshot is None or (state.view is None and not state.is_appraiser))
            and app.exit(1)
        )
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(2))
    else:
        _start_autobackup(window, state)


def close_down(state: AppState, window: MainWindow, *, backup: bool) -> None:
    """After the window has closed: the exit backup (made only if the data changed) and
    the database thread stopped (bench/ui_actions.py measures this too)."""
    if state.has_tasks:
        if backup:
            _autobackup(state, window, at_exit=True)
        state.tasks.shutdown()


def _icon_path() -> str | None:
    for name in ("icons/parapp.ico", "icons/parapp.png"):
        path = resources.path(name)
        if path.exists():
            return str(path)
    return None


def _start_autobackup(window: MainWindow, state: AppState) -> None:
    """Ask every few minutes; the service backs up only when the data changed and the last
    backup is 30 minutes old (parapp.services.autobackup), on the database thread."""
    timer = QTimer(window)
    timer.setInterval(AUTOBACKUP_CHECK_MS)
    timer.timeout.connect(lambda: _autobackup(state, window))
    timer.start()


def _autobackup(state: AppState, window: MainWindow, *, at_exit: bool = False) -> None:
    if state.snapshot is None:  # the database never opened: nothing of ours to back up
        return
    path = state.db_path

    def job() -> object:
        # On the database thread, where the ORM this service needs is loaded.
        from parapp.services.autobackup import maybe_backup

        return maybe_backup(path, at_exit=at_exit)

    def failed(exc: BaseException) -> None:
        # Say it once per session (a full disk would otherwise interrupt every 5 minutes).
        if at_exit or getattr(state, "_autobackup_warned", False):
            sys.stderr.write(f"automatic backup failed: {exc!r}\n")
            return
        state._autobackup_warned = True  # type: ignore[attr-defined]
        dialogs.show_error(window, exc)

    state.run(job, None, failed)
