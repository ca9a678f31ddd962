"""The window's import while another program holds the database's write lock (issue 19,
part 1): the files are checked without waiting, the import then ends in the services'
sentence in a message box, never in a crash report; offscreen, on a copy of the demo
appraiser, the lock held by a second, real connection to the same file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sync_support import copy_demo, draft_2026_submission, dump

import db.engine
from parapp.i18n import message
from parapp.services import sync_import
from ui import dialogs, qt_strings
from ui.state import AppState
from ui.widgets.sync_receive import ReceivePanel

WAIT_MS = 30_000


@pytest.fixture
def panel(qtbot: object, demo_db: Path, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ReceivePanel, Path, Path]]:
    """(the appraiser's receive panel, its database, the commune's 2026 submission)."""
    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 1_000)  # not ten seconds
    root = copy_demo(demo_db, tmp_path / "demo")
    package = draft_2026_submission(root)
    path = root / "appraiser" / "parapp.sqlite3"
    qt_strings.install()
    state = AppState(None, path)
    state.open()
    qtbot.waitUntil(lambda: state.db is not None and state.tasks.pending == 0,  # type: ignore[attr-defined]
                    timeout=WAIT_MS)
    widget = ReceivePanel(state)
    widget.show()
    yield widget, path, package
    widget.close()
    state.tasks.shutdown()
    if state.db is not None:
        state.db.close()
    shiboken6.delete(widget)


def test_the_window_says_another_parapp_is_writing(
        qtbot: object, panel: tuple[ReceivePanel, Path, Path], vietnamese: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    widget, path, package = panel
    before = dump(path)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "warn", lambda _parent, text, *_a, **_k: shown.append(text))
    planned: list[str] = []

    def accept(_parent: object, outcomes: list[sync_import.Outcome]
               ) -> list[sync_import.Outcome]:
        planned.extend(o.status for o in outcomes)
        return outcomes  # "Nhập" pressed

    widget.show_plan = accept
    widget.ask_files = lambda _parent: [package]
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program in the middle of a save
        other.execute("INSERT INTO settings (key, value) VALUES ('held-by-test', 'x')")
        QTest.mouseClick(widget.files_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)  # type: ignore[attr-defined]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert planned == ["planned"]  # the check read a snapshot: it did not wait
    assert shown == [message(sync_import.DatabaseBusy(sync_import.BUSY))]
    assert shown[0].startswith("Một parapp khác đang ghi vào cơ sở dữ liệu này")
    qtbot.waitUntil(lambda: widget.state.tasks.pending == 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert dump(path) == before
