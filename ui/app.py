"""Start the desktop program: the window first, the database after its first paint.

Start-up order matters on office PCs: Qt and a few small modules are imported, the window
is shown with a "Đang mở dữ liệu…" page, and only after it has painted do we start the
database thread, which imports SQLAlchemy, opens the database and loads the figures.
Everything not needed for that first paint (crash handler, Qt's own strings, the task
manager) is set up just after it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ui.options import window_options

if TYPE_CHECKING:
    from argparse import Namespace

    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    from ui.state import AppState

SMOKE_TIMEOUT_MS = 120_000
AUTOBACKUP_CHECK_MS = 5 * 60_000  # parapp.services.autobackup.TIMER_MINUTES


def files_to_open(argv: Sequence[str]) -> list[str]:
    """The ``--open`` packages of a start's arguments (none if they are not the window's)."""
    options = window_options(argv)
    return options.open_files if options is not None else []


def open_packages(window: MainWindow, files: Sequence[str]) -> None:
    """Show the Sync screen's Receive tab and check ``files`` there (the dry-run plan is
    shown and nothing is imported before the clerk confirms)."""
    if not files:
        return
    from ui import screens
    from ui.screens.sync import TAB_RECEIVE

    window.navigate(screens.SYNC, tab=TAB_RECEIVE)
    screen = window.screen(screens.SYNC)
    receive = getattr(screen, "receive", None)
    if receive is not None:
        receive.check([Path(f) for f in files])


def _demo_database() -> Path:
    """A fresh demo office in a temporary folder (for ``--smoke`` without ``--db``)."""
    import tempfile

    from parapp.services.demo import build_demo

    folder = Path(tempfile.mkdtemp(prefix="parapp-smoke-"))
    paths = dict(build_demo(folder / "demo"))
    return paths["commune-db"]


def _icon_path() -> Path | None:
    from parapp import resources

    for name in ("icons/parapp.ico", "icons/parapp.png"):
        path = resources.path(name)
        if path.exists():
            return path
    return None


def run(argv: Sequence[str] | None = None) -> int:
    """Open the main window on the window's options (``ui.launcher``); the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    options = window_options(args)
    if options is None:
        raise ValueError(f"not the window's options: {args}")
    from parapp import i18n

    if options.lang:
        i18n.set_language(options.lang)
    from PySide6.QtWidgets import QApplication

    from ui import qt_compat, style

    qt_compat.apply()
    app = QApplication.instance() or QApplication(style.qt_arguments(sys.argv[0]))
    assert isinstance(app, QApplication)
    app.setApplicationName("parapp")
    app.setOrganizationName("parapp")
    style.apply(app)

    from parapp.services.paths import resolve_db_path
    from ui.main_window import MainWindow
    from ui.state import AppState

    demo = options.smoke and not options.db
    db_path = _demo_database() if demo else resolve_db_path(options.db or None)
    from ui import single_instance

    # A second start on the same data brings the first window forward and exits.
    instance = single_instance.claim(db_path, args)
    if instance is None:
        return 0
    from ui.preferences import start_language

    # The saved language (a file beside the database): the window's texts come next.
    lang = start_language(db_path, options.lang)
    if lang:
        i18n.set_language(lang)
    state = AppState(None, db_path)
    window = MainWindow(state)
    window.first_painted.connect(lambda: _after_first_paint(app, window, state, options))
    # A package double-clicked while this window is open comes here from the second start.
    instance.activated.connect(lambda sent: open_packages(window, files_to_open(sent)))
    instance.listen(window)
    if options.open_files:
        from PySide6.QtCore import Qt

        window.data_shown.connect(lambda: open_packages(window, options.open_files),
                                  Qt.ConnectionType.SingleShotConnection)
    _show(app, window)
    code = app.exec()
    instance.close()
    close_down(state, window, backup=not options.smoke)
    import shiboken6

    # Delete the window while the application still exists; left to the interpreter's
    # exit, PySide's clean-up may destroy widgets in an order Qt does not survive.
    shiboken6.delete(window)
    if demo:
        import shutil

        shutil.rmtree(db_path.parents[2], ignore_errors=True)  # the smoke run's temporary demo
    return code


def close_down(state: AppState, window: MainWindow, *, backup: bool) -> None:
    """After the window has closed: the exit backup (made only if the data changed) and
    the database thread stopped (bench/ui_actions.py measures this too)."""
    if state.has_tasks:
        if backup:
            _autobackup(state, window, at_exit=True)
        state.tasks.shutdown()


def _after_first_paint(
    app: QApplication, window: MainWindow, state: AppState, options: Namespace
) -> None:
    """Start the database thread and everything the first paint could do without."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon

    from parapp import i18n
    from ui import crash, dialogs, qt_strings

    state.open()  # first: the database thread starts while we set up the rest
    crash.install(lambda: state.log_dir, interactive=not options.smoke)
    qt_strings.install()
    app.setApplicationDisplayName(i18n._("PAR index of the commune"))
    icon = _icon_path()
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    tasks = state.tasks
    tasks.dialog_parent = window

    def on_error(exc: BaseException) -> None:
        from parapp.services.storage import explain

        # A full disk or a read-only data folder, said plainly (not as a crash).
        exc = explain(exc, state.db_path.parent) or exc
        if hasattr(exc, "template") or isinstance(exc, OSError):
            dialogs.show_error(window, exc)
        else:
            crash.report(exc, window)

    tasks.default_error = on_error
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


def _start_autobackup(window: MainWindow, state: AppState) -> None:
    """Ask every few minutes; the service backs up only when the data changed and the last
    backup is 30 minutes old (parapp.services.autobackup), on the database thread."""
    from PySide6.QtCore import QTimer

    timer = QTimer(window)
    timer.setInterval(AUTOBACKUP_CHECK_MS)
    timer.timeout.connect(lambda: _autobackup(state, window))
    timer.start()


def _autobackup(state: AppState, window: MainWindow, *, at_exit: bool = False) -> None:
    if state.snapshot is None:  # the database never opened: nothing of ours to back up
        return
    path = state.db_path

    def job() -> object:
        from parapp.services.autobackup import maybe_backup

        return maybe_backup(path, at_exit=at_exit)

    def failed(exc: BaseException) -> None:
        # Say it once per session (a full disk would otherwise interrupt every 5 minutes).
        if at_exit or getattr(state, "_autobackup_warned", False):
            sys.stderr.write(f"automatic backup failed: {exc!r}\n")
            return
        state._autobackup_warned = True  # type: ignore[attr-defined]
        from ui import dialogs

        dialogs.show_error(window, exc)

    state.run(job, None, failed)


def _show(app: QApplication, window: MainWindow) -> None:
    screen = app.primaryScreen()
    available = screen.availableGeometry() if screen is not None else None
    if available is not None and available.width() <= 1440:
        window.resize(min(1366, available.width()), min(768, available.height()))
        window.showMaximized()
    else:
        window.resize(1366, 800)
        window.show()
