"""The window by the keyboard (issue 16): Enter and Tab in the self-assessment table, a
visible focus on the lists, Ctrl+Q. On copies of the demo, offscreen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import Ready, figures_shown
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QListWidget, QWidget

from ui import screens
from ui.main_window import MainWindow
from ui.models.columns import COL_DECLARED, COL_EXPLANATION, ERROR_ROLE
from ui.screens.overview import OverviewScreen
from ui.screens.self_assessment import SelfAssessmentScreen

pytestmark = pytest.mark.usefixtures("vietnamese")


@pytest.fixture
def window_ready() -> Ready:
    return lambda window: figures_shown(window) and window.state.plan is not None


def _table_screen(window: MainWindow, area: str) -> SelfAssessmentScreen:
    window.navigate(screens.SELF_ASSESSMENT, area=area)
    screen = window.screen(screens.SELF_ASSESSMENT)
    assert isinstance(screen, SelfAssessmentScreen)
    return screen


def _go_to(screen: SelfAssessmentScreen, code: str, column: int) -> None:
    index = screen.proxy.mapFromSource(screen.model.index_of(code, column))
    assert index.isValid(), code
    screen.table.setFocus()
    screen.table.setCurrentIndex(index)


def _at(screen: SelfAssessmentScreen) -> tuple[str, int]:
    current = screen.table.currentIndex()
    return current.siblingAtColumn(0).data(), current.column()


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


@pytest.mark.parametrize(("code", "below"), [("1.1.1", "1.1.2"), ("1.3.1", "1.3.2")])
def test_enter_after_a_yes_no_choice_goes_to_the_next_criterion(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path,
    code: str, below: str,
) -> None:
    window = open_window(draft_db)
    screen = _table_screen(window, "1")
    _go_to(screen, code, COL_DECLARED)
    before = screen.model.index_of(code, COL_DECLARED).data()
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    combo = _focused()
    assert isinstance(combo, QComboBox)
    # An arrow key changes the answer shown; the cursor stays until Enter confirms it.
    qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() == 0 else Qt.Key.Key_Up)  # type: ignore[attr-defined]
    assert _at(screen) == (code, COL_DECLARED)
    qtbot.keyClick(_focused(), Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: _at(screen)[0] == below, timeout=2_000)  # type: ignore[attr-defined]
    qtbot.wait(100)  # type: ignore[attr-defined]  # the delegate's queued close has run too
    assert _at(screen)[0] == below
    assert screen.model.index_of(code, COL_DECLARED).data() != before


def test_tab_leaves_the_table_after_its_last_cell_and_ctrl_tab_at_once(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    screen = _table_screen(window, "1")
    _go_to(screen, "1.1.1", COL_DECLARED)
    qtbot.keyClick(screen.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert not screen.table.hasFocus()
    # The last editable cell of the whole table: Tab goes on out of the table.
    model, proxy = screen.model, screen.proxy
    last = None
    for row in range(proxy.rowCount()):
        stack = [proxy.index(row, 0)]
        while stack:
            node = stack.pop()
            screen.table.expand(node)
            cell = node.siblingAtColumn(COL_EXPLANATION)
            if cell.flags() & Qt.ItemFlag.ItemIsEditable:
                last = cell
            stack.extend(proxy.index(r, 0, node) for r in range(proxy.rowCount(node) - 1, -1, -1))
    assert last is not None and model is not None
    screen.table.setFocus()
    screen.table.setCurrentIndex(last)
    qtbot.keyClick(screen.table, Qt.Key.Key_Tab)  # type: ignore[attr-defined]
    assert not screen.table.hasFocus()
    assert screen.isAncestorOf(_focused()) or window.isAncestorOf(_focused())


def test_ctrl_q_closes_the_window(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    qtbot.waitUntil(lambda: window._painted, timeout=5_000)  # type: ignore[attr-defined]
    window.activateWindow()
    window.nav.setFocus()
    qtbot.wait(50)  # type: ignore[attr-defined]
    qtbot.keyClick(window.nav, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)  # type: ignore[attr-defined]


def _line(widget: QListWidget, row: int) -> QImage:
    rect = widget.visualItemRect(widget.item(row))
    return widget.viewport().grab().toImage().copy(rect)


def _dark(image: QImage) -> bool:
    return any(
        image.pixelColor(x, y).lightness() < 110
        for x in range(image.width())
        for y in range(image.height())
    )


@pytest.mark.parametrize("which", ["nav", "todo"])
def test_the_keyboard_line_of_a_list_is_framed_and_readable(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path, which: str
) -> None:
    window = open_window(draft_db)
    overview = window.screen(screens.OVERVIEW)
    assert isinstance(overview, OverviewScreen)
    lst = window.nav if which == "nav" else overview.todo
    window.activateWindow()
    lst.setFocus()
    lst.blockSignals(True)  # the line moves, nothing opens
    lst.setCurrentRow(1)
    lst.blockSignals(False)
    qtbot.waitUntil(lst.hasFocus, timeout=2_000)  # type: ignore[attr-defined]
    focused = _line(lst, 1)
    assert _dark(focused), "the selected line's text is as light as its background"
    window.stack.setFocus()
    qtbot.waitUntil(lambda: not lst.hasFocus(), timeout=2_000)  # type: ignore[attr-defined]
    assert _line(lst, 1) != focused, "the line looks the same with the focus and without"


def test_a_refused_value_stays_in_its_cell_with_the_sentence_under_the_table(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    screen = _table_screen(window, "5")
    _go_to(screen, "5.3.2", COL_DECLARED)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    editor = _focused()
    assert isinstance(editor, QLineEdit)
    editor.setText("120/100")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    message = "Tiêu chí 5.3.2: Số đạt được (120) lớn hơn tổng số (100)."
    cell = screen.model.index_of("5.3.2", COL_DECLARED)
    qtbot.waitUntil(lambda: cell.data(ERROR_ROLE) == message, timeout=2_000)  # type: ignore[attr-defined]
    assert cell.data() == "120/100"  # what was typed, not the old value
    assert cell.data(Qt.ItemDataRole.EditRole) == "120/100"
    assert screen.refusal.isVisible() and screen.refusal.text() == message
    # Corrected: the sentence goes.
    screen.table.edit(screen.proxy.mapFromSource(cell))
    qtbot.waitUntil(lambda: isinstance(_focused(), QLineEdit), timeout=2_000)  # type: ignore[attr-defined]
    editor = _focused()
    assert isinstance(editor, QLineEdit) and editor.text() == "120/100"
    editor.setText("90/100")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not screen.refusal.isVisible(), timeout=2_000)  # type: ignore[attr-defined]
    assert cell.data() == "90/100"
    assert not cell.data(ERROR_ROLE)
