"""The main window opened on a database, as the GUI tests use it (the ``open_window``
fixture in conftest.py): shown at 1366×768, its database opened on the worker, and waited
for until a test's condition holds; closed with its worker stopped after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import shiboken6

from ui import qt_strings
from ui.main_window import MainWindow
from ui.state import AppState

WAIT_MS = 30_000
Ready = Callable[[MainWindow], bool]
_SHOWN = "test_data_shown"  # a dynamic property set when the window says its data is shown


def figures_shown(window: MainWindow) -> bool:
    """The window has shown its figures (its ``data_shown`` signal came)."""
    return bool(window.property(_SHOWN))


def idle(window: MainWindow) -> bool:
    """No job queued or running on the window's worker."""
    return window.state.tasks.pending == 0


class OpenWindow(Protocol):
    def __call__(self, path: Path, ready: Ready | None = None) -> MainWindow: ...


def opened_windows(qtbot: Any, default_ready: Ready) -> Iterator[OpenWindow]:
    """The body of the ``open_window`` fixture: ``ready`` defaults to the test module's
    ``window_ready`` fixture."""
    qt_strings.install()
    windows: list[MainWindow] = []

    def opener(path: Path, ready: Ready | None = None) -> MainWindow:
        until = ready or default_ready
        state = AppState(None, path)
        window = MainWindow(state)
        window.resize(1366, 768)
        window.show()
        window.data_shown.connect(lambda: window.setProperty(_SHOWN, True))
        state.open()
        windows.append(window)
        qtbot.waitUntil(lambda: until(window), timeout=WAIT_MS)
        return window

    yield opener
    for window in windows:
        window.close()
        if window.state.has_tasks:
            window.state.tasks.shutdown()
        shiboken6.delete(window)
