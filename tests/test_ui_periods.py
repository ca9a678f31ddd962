"""The window's frame: the period selector, the saved language, the navigation icons."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import shiboken6
from gui_support import Ready, figures_shown
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication

from db.engine import open_database
from parapp import i18n
from parapp.services import assessments, periods, setup
from ui import preferences, screens
from ui.fmt import points
from ui.main_window import MainWindow, nav_icon_path
from ui.screens.overview import OverviewScreen
from ui.state import AppState
from ui.widgets.period_dialog import NewPeriodDialog

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.usefixtures("vietnamese")


@pytest.fixture
def window_ready() -> Ready:
    """``open_window`` waits until the figures, the plan and the list of periods are shown."""
    return lambda window: (
        figures_shown(window)
        and window.state.plan is not None
        and len(window.period_combo.years()) > 1
    )


def _overview(window: MainWindow) -> OverviewScreen:
    screen = window.screen(screens.OVERVIEW)
    assert isinstance(screen, OverviewScreen)
    return screen


def _index_of(path: Path, year: int) -> str:
    db = open_database(path)
    try:
        return points(assessments.view(db, year).index)
    finally:
        db.close()


# --- the period selector -----------------------------------------------------------


def test_period_selector_lists_the_years_and_switches_the_overview(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    combo = window.period_combo
    assert combo.years() == [2025, 2024]
    assert combo.text().endswith("2025 · đã công bố")
    assert "2025" in combo.text()
    overview = _overview(window)
    assert overview.index_card.value.text() == "91,88"
    expected = _index_of(published_db, 2024)
    assert expected != "91,88"

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # type: ignore[attr-defined]  # the line below: 2024
    qtbot.waitUntil(lambda: window.state.view.info.year == 2024, timeout=15_000)  # type: ignore[attr-defined, union-attr]
    assert overview.index_card.value.text() == expected
    assert overview.title.text().startswith("Tổng quan năm 2024")
    assert "2024" in combo.text()
    assert "2024" in window.windowTitle()

    qtbot.keyClick(combo, Qt.Key.Key_Up)  # type: ignore[attr-defined]  # back to 2025
    qtbot.waitUntil(lambda: window.state.view.info.year == 2025, timeout=15_000)  # type: ignore[attr-defined, union-attr]
    assert overview.index_card.value.text() == "91,88"


def test_new_period_from_the_selector(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    combo = window.period_combo
    last = combo.count() - 1
    combo.setCurrentIndex(last)
    combo.activated.emit(last)  # what choosing the line in the open list does
    assert "2025" in combo.text()  # the period on screen stays chosen meanwhile
    qtbot.waitUntil(lambda: window.findChild(NewPeriodDialog) is not None, timeout=10_000)  # type: ignore[attr-defined]
    dialog = window.findChild(NewPeriodDialog)
    assert isinstance(dialog, NewPeriodDialog)
    assert dialog.year.value() == 2026
    assert dialog.chosen_set() is not None
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.state.view.info.year == 2026, timeout=15_000)  # type: ignore[attr-defined, union-attr]
    qtbot.waitUntil(lambda: combo.years() == [2026, 2025, 2024], timeout=15_000)  # type: ignore[attr-defined]
    assert "2026" in combo.text()
    assert _overview(window).title.text().startswith("Tổng quan năm 2026")
    db = open_database(published_db)
    try:
        assert [s.year for s in periods.list_assessments(db)] == [2026, 2025, 2024]
    finally:
        db.close()


def test_the_same_period_twice_is_refused_in_words(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window = open_window(published_db)
    window.periods.new_period()
    qtbot.waitUntil(lambda: window.findChild(NewPeriodDialog) is not None, timeout=10_000)  # type: ignore[attr-defined]
    dialog = window.findChild(NewPeriodDialog)
    assert isinstance(dialog, NewPeriodDialog)
    dialog.year.setValue(2025)  # exists already with this set
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        seen.append(box.text())
        box.buttons()[0].click()

    QTimer.singleShot(50, answer)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(seen), timeout=15_000)  # type: ignore[attr-defined]
    assert "2025" in seen[0] and "Xã Hoàng Văn Thụ" in seen[0]
    assert window.state.view.info.year == 2025  # type: ignore[union-attr]


# --- the language saved beside the database ----------------------------------------


def test_language_file_round_trip(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "parapp.sqlite3"
    assert preferences.read_language(db_path) is None
    written = preferences.set_language(db_path, "EN")
    assert written == tmp_path / "data" / "language.txt"
    assert preferences.read_language(db_path) == "en"
    preferences.set_language(db_path, "vi")
    assert preferences.read_language(db_path) == "vi"
    assert [p.name for p in written.parent.iterdir()] == ["language.txt"]  # no temp left
    with pytest.raises(ValueError):
        preferences.set_language(db_path, "fr")
    written.write_text("klingon\n", encoding="utf-8")
    assert preferences.read_language(db_path) is None  # a bad file is ignored, not fatal


def test_start_language_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db_path = tmp_path / "parapp.sqlite3"
    preferences.set_language(db_path, "en")
    monkeypatch.delenv("PARAPP_LANG", raising=False)
    assert preferences.start_language(db_path, None) == "en"
    assert preferences.start_language(db_path, "vi") == "vi"  # --lang wins
    monkeypatch.setenv("PARAPP_LANG", "vi")
    assert preferences.start_language(db_path, None) is None  # the variable already applied


def test_the_language_setting_reaches_the_file_when_the_database_opens(
    open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    db = open_database(published_db)
    try:
        setup.set_setting(db, "language", "en")
    finally:
        db.close()
    assert preferences.read_language(published_db) is None
    open_window(published_db)
    assert preferences.read_language(published_db) == "en"


def test_start_up_with_the_saved_language_shows_english_titles(published_db: Path) -> None:
    preferences.set_language(published_db, "en")
    script = (
        "import sys\n"
        "import ui\n"
        "from ui import app\n"
        "from ui.main_window import MainWindow\n"
        "seen = []\n"
        "show = MainWindow._show_header\n"
        "def spy(self):\n"
        "    show(self)\n"
        "    seen.append((self.windowTitle(), self.nav.item(0).text()))\n"
        "MainWindow._show_header = spy\n"
        "code = app.run(['--smoke', '--db', sys.argv[1]])\n"
        "print(seen[-1])\n"
        "sys.exit(code)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PARAPP_LANG", None)
    done = subprocess.run(
        [sys.executable, "-c", script, str(published_db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert "PAR index of the commune 2025" in last and "'Overview'" in last, last


def test_window_built_in_english_has_english_titles(published_db: Path, qapp: object) -> None:
    preferences.set_language(published_db, "en")
    lang = preferences.start_language(published_db, None) or "vi"
    before = i18n.get_language()
    i18n.set_language(lang)
    try:
        window = MainWindow(AppState(None, published_db))
        assert window.windowTitle() == "PAR index of the commune"
        assert [window.nav.item(r).text() for r in range(2)] == ["Overview", "Self-assessment"]
        shiboken6.delete(window)
    finally:
        i18n.set_language(before)


# --- icons -------------------------------------------------------------------------


def test_every_screen_has_its_icon_in_the_navigation(
    open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    assert window.nav.count() == len(screens.SCREENS)
    for row, screen in enumerate(screens.SCREENS):
        assert nav_icon_path(screen.key).exists(), screen.key
        assert nav_icon_path(screen.key, 2).exists(), screen.key
        icon = window.nav.item(row).icon()
        assert not icon.isNull(), screen.key
        assert QSize(24, 24) in icon.availableSizes() and QSize(48, 48) in icon.availableSizes()


def test_icons_come_after_the_first_paint_without_the_orm() -> None:
    code = (
        "import sys, time\n"
        "import ui\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from ui.state import AppState\n"
        "from ui.main_window import MainWindow\n"
        "w = MainWindow(AppState(None, __import__('pathlib').Path('x.sqlite3')))\n"
        "w.show(); w.repaint()\n"
        "before = w.nav.item(0).icon().isNull()\n"
        "end = time.monotonic() + 5\n"
        "while w.nav.item(0).icon().isNull() and time.monotonic() < end:\n"
        "    QCoreApplication.processEvents()\n"
        "icons = [not w.nav.item(r).icon().isNull() for r in range(w.nav.count())]\n"
        "orm = sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic')))\n"
        "print(before, all(icons), orm)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True True []"
