"""Start the desktop program: the window first, the database after its first paint.

Start-up order matters on office PCs: Qt and a few small modules are imported, the window
is shown with a "Đang mở dữ liệu…" page, and only after it has painted do we start the
database thread, which imports SQLAlchemy, opens the database and loads the figures.
Everything not needed for that first paint (crash handler, Qt's own strings, the task
manager) is set up just after it, by ``ui.after_paint``: the one module imported late.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from argparse import Namespace
from collections.abc import Callable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtWidgets import QApplication

from parapp import i18n
from parapp.services.paths import default_data_dir, resolve_db_path
from ui import qt_compat, screens, single_instance, style
from ui.main_window import MainWindow
from ui.options import window_options
from ui.preferences import saved_server, start_language
from ui.state import AppState


def files_to_open(argv: Sequence[str]) -> list[str]:
    """The ``--open`` packages of a start's arguments (none if they are not the window's)."""
    options = window_options(argv)
    return options.open_files if options is not None else []


def open_packages(window: MainWindow, files: Sequence[str]) -> None:
    """Show the Sync screen's Receive tab and check ``files`` there (the dry-run plan is
    shown and nothing is imported before the clerk confirms)."""
    if not files:
        return
    window.navigate(screens.SYNC, tab=screens.TAB_RECEIVE)
    screen = window.screen(screens.SYNC)
    receive = getattr(screen, "receive", None)
    if receive is not None:
        receive.check([Path(f) for f in files])


def _demo_database() -> Path:
    """A fresh demo office in a temporary folder (for ``--smoke`` without ``--db``)."""
    # Only this smoke run builds a demo: it needs every service, the ORM with them.
    from parapp.services.demo import build_demo

    folder = Path(tempfile.mkdtemp(prefix="parapp-smoke-"))
    paths = dict(build_demo(folder / "demo"))
    return paths["commune-db"]


def _database(given: str | None) -> str | None:
    """``--db``, else the server saved in Settings (its keyring password added in this
    process only), else None: the database file in the data folder."""
    if given:
        return given
    saved = saved_server(default_data_dir())
    if saved is None:
        return None
    from parapp.services.hub_connection import opening_url  # only for a saved server

    return opening_url(saved)


def run(argv: Sequence[str] | None = None) -> int:
    """Open the main window on the window's options (``ui.launcher``); the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    options = window_options(args)
    if options is None:
        raise ValueError(f"not the window's options: {args}")
    if options.lang:
        i18n.set_language(options.lang)
    qt_compat.apply()
    app = QApplication.instance() or QApplication(style.qt_arguments(sys.argv[0]))
    assert isinstance(app, QApplication)
    app.setApplicationName("parapp")
    app.setOrganizationName("parapp")
    style.apply(app)

    demo = options.smoke and not options.db
    db_path = _demo_database() if demo else resolve_db_path(_database(options.db))
    # A second start on the same data brings the first window forward and exits.
    instance = single_instance.claim(db_path, args)
    if instance is None:
        return 0
    # The saved language (a file beside the database): the window's texts come next.
    lang = start_language(db_path, options.lang)
    if lang:
        i18n.set_language(lang)
    state = AppState(None, db_path)
    window = MainWindow(state)
    finish: list[Callable[[], None]] = []
    window.first_painted.connect(
        lambda: finish.append(_after_first_paint(app, window, state, options))
    )
    # A package double-clicked while this window is open comes here from the second start.
    instance.activated.connect(lambda sent: open_packages(window, files_to_open(sent)))
    instance.listen(window)
    _show(app, window)
    code = app.exec()
    instance.close()
    for close_down in finish:  # the window painted: end what the step after it started
        close_down()
    # Delete the window while the application still exists; left to the interpreter's
    # exit, PySide's clean-up may destroy widgets in an order Qt does not survive.
    shiboken6.delete(window)
    if demo:
        shutil.rmtree(db_path.parents[2], ignore_errors=True)  # the smoke run's temporary demo
    return code


def _after_first_paint(
    app: QApplication, window: MainWindow, state: AppState, options: Namespace
) -> Callable[[], None]:
    """The window's one deferred step: what the first paint did without is imported now
    (``ui.after_paint``) and started; the function that ends it once the window closes."""
    from ui import after_paint

    after_paint.start(
        app, window, state, options, lambda: open_packages(window, options.open_files)
    )
    return lambda: after_paint.close_down(state, window, backup=not options.smoke)


def _show(app: QApplication, window: MainWindow) -> None:
    screen = app.primaryScreen()
    available = screen.availableGeometry() if screen is not None else None
    if available is not None and available.width() <= 1440:
        window.resize(min(1366, available.width()), min(768, available.height()))
        window.showMaximized()
    else:
        window.resize(1366, 800)
        window.show()
