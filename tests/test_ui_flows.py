"""The main window end to end, through its widgets, offscreen, on copies of the demo."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from conftest import copy_database
from gui_support import Ready, figures_shown
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from db.engine import open_database
from parapp.domain.scoring import Answer
from parapp.services import assessments
from ui import crash, qt_strings, screens
from ui.launcher import window_options
from ui.main_window import MainWindow
from ui.models.columns import COL_DECLARED, COL_SELF, COL_TITLE, ERROR_ROLE
from ui.models.problems import Problem
from ui.screens.overview import OverviewScreen
from ui.screens.self_assessment import SelfAssessmentScreen
from ui.tasks import Cancelled

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_BUTTONS = {"OK", "&OK", "Cancel", "&Cancel", "Close", "&Close", "Yes", "&Yes", "No", "&No"}

pytestmark = pytest.mark.usefixtures("vietnamese")


@pytest.fixture
def window_ready() -> Ready:
    """``open_window`` waits until the figures and the plan are shown."""
    return lambda window: figures_shown(window) and window.state.plan is not None


def _self_assessment(window: MainWindow) -> SelfAssessmentScreen:
    screen = window.screen(screens.SELF_ASSESSMENT)
    assert isinstance(screen, SelfAssessmentScreen)
    return screen


def _overview(window: MainWindow) -> OverviewScreen:
    screen = window.screen(screens.OVERVIEW)
    assert isinstance(screen, OverviewScreen)
    return screen


def _stored(path: Path, code: str) -> object:
    db = open_database(path)
    try:
        return assessments.view(db).scores.get(code)
    finally:
        db.close()


def _open_editor(qtbot: object, screen: SelfAssessmentScreen, code: str, column: int) -> QWidget:
    index = screen.proxy.mapFromSource(screen.model.index_of(code, column))
    assert index.isValid(), f"{code} is filtered out"
    screen.table.setCurrentIndex(index)
    screen.table.edit(index)
    qtbot.waitUntil(lambda: _editor(screen) is not None, timeout=5_000)  # type: ignore[attr-defined]
    editor = _editor(screen)
    assert editor is not None
    return editor


def _editor(screen: SelfAssessmentScreen) -> QWidget | None:
    for widget in screen.table.viewport().findChildren(QWidget):
        if isinstance(widget, QComboBox | QLineEdit) and widget.isVisible():
            return widget
    return None


def _wait_saved(qtbot: object, screen: SelfAssessmentScreen) -> None:
    qtbot.waitUntil(lambda: screen.editor.pending == 0, timeout=15_000)  # type: ignore[attr-defined]


def _type(widget: QWidget, text: str) -> None:
    """Type any text, one key event per character (keyClicks aborts on non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


# --- opening and moving around -----------------------------------------------------


def test_window_opens_on_the_demo_and_shows_the_figures(
    open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    assert window.unit_label.text() == "Xã Hoàng Văn Thụ"
    assert "2025" in window.period_label.text()
    assert window.status_label.text() == "Trạng thái: đã công bố"
    overview = _overview(window)
    assert window.stack.currentWidget() is overview
    assert overview.index_card.value.text() == "91,88"
    assert overview.index_card.note.text() == "chính thức"
    assert overview.rank_card.value.text() == "12/65"
    assert overview.change_card.note.text() == "tăng 11,62 điểm"  # 91,88 − 80,26
    assert [a.code for a in overview.chart.areas] == [str(i) for i in range(1, 9)]
    assert any("Kế hoạch khắc phục năm 2026" in t for t in overview.todo_texts())


def test_navigation_switches_screens(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    for row, screen in enumerate(screens.SCREENS):
        item = window.nav.item(row)
        assert (
            item.text()
            == {
                screens.OVERVIEW: "Tổng quan",
                screens.SELF_ASSESSMENT: "Tự đánh giá",
                screens.EVIDENCE: "Tài liệu kiểm chứng",
                screens.PLAN: "Kế hoạch khắc phục",
                screens.DOCUMENTS: "Văn bản",
                screens.SYNC: "Đồng bộ",
                screens.APPRAISAL: "Kết quả công bố",  # a commune's (the appraiser's differs)
                screens.SETTINGS: "Cài đặt",
            }[screen.key]
        )
        rect = window.nav.visualItemRect(item)
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[attr-defined]
        assert window.current_key == screen.key
        assert window.stack.currentWidget() is window.screen(screen.key)


def test_published_assessment_is_locked_with_the_reason(
    open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    window.navigate(screens.SELF_ASSESSMENT)
    screen = _self_assessment(window)
    assert screen.banner.isVisible()
    assert "đã được công bố" in screen.banner.text()
    index = screen.model.index_of("1.1.1", COL_DECLARED)
    assert not screen.model.flags(index) & Qt.ItemFlag.ItemIsEditable


# --- typing in the self-assessment -------------------------------------------------


def test_entering_a_score_changes_the_area_total_and_the_overview(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    overview = _overview(window)
    index_before = overview.index_card.value.text()
    assert any(t.startswith("31 tiêu chí chưa chấm điểm") for t in overview.todo_texts())
    window.navigate(screens.SELF_ASSESSMENT, area="4")
    screen = _self_assessment(window)
    assert screen.areas.score_text("4") == "0,00/7"
    assert not screen.banner.isVisible()
    combo = _open_editor(qtbot, screen, "4.3", COL_DECLARED)
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(Answer.YES.value))
    qtbot.keyClick(combo, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    # The area list changes at once; Enter moved on to the next row's input (4.4: typed).
    qtbot.waitUntil(lambda: screen.areas.score_text("4") == "1,50/7", timeout=2_000)  # type: ignore[attr-defined]
    current = screen.table.currentIndex()
    assert (current.siblingAtColumn(0).data(), current.column()) == ("4.4", COL_SELF)
    _wait_saved(qtbot, screen)
    assert _stored(draft_db, "4.3").self_score == Decimal("1.5")  # type: ignore[union-attr]
    assert window.saved_label.text().startswith("Đã lưu lúc ")
    window.navigate(screens.OVERVIEW)
    assert overview.index_card.value.text() != index_before
    assert any(t.startswith("30 tiêu chí chưa chấm điểm") for t in overview.todo_texts())


def test_an_invalid_value_shows_the_reason_and_changes_nothing(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    window.navigate(screens.SELF_ASSESSMENT, area="5")
    screen = _self_assessment(window)
    editor = _open_editor(qtbot, screen, "5.3.2", COL_DECLARED)
    assert isinstance(editor, QLineEdit)
    editor.setText("120/100")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    message = "Tiêu chí 5.3.2: Số đạt được (120) lớn hơn tổng số (100)."
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == message, timeout=2_000)  # type: ignore[attr-defined]
    cell = screen.model.index_of("5.3.2", COL_DECLARED)
    assert cell.data(ERROR_ROLE) == message
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == message
    # The cursor stays on the refused cell, and nothing reached the database.
    assert screen.table.currentIndex().siblingAtColumn(0).data() == "5.3.2"
    assert screen.editor.pending == 0
    assert _stored(draft_db, "5.3.2") is None


def test_undo_restores_the_previous_value_in_the_database(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    window.navigate(screens.SELF_ASSESSMENT, area="1")
    screen = _self_assessment(window)
    before = _stored(draft_db, "1.1.2")
    editor = _open_editor(qtbot, screen, "1.1.2", COL_DECLARED)
    assert isinstance(editor, QLineEdit)
    editor.setText("7/10")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    cell = screen.model.index_of("1.1.2", COL_DECLARED)
    qtbot.waitUntil(lambda: cell.data() == "7/10", timeout=2_000)  # type: ignore[attr-defined]
    _wait_saved(qtbot, screen)
    assert _stored(draft_db, "1.1.2") != before
    assert screen.undo_action.isEnabled()
    assert screen.undo_action.text() == "Hoàn tác tiêu chí 1.1.2"
    screen.table.commit_open_editor()
    screen.undo_action.trigger()
    _wait_saved(qtbot, screen)
    assert _stored(draft_db, "1.1.2") == before
    assert screen.model.index_of("1.1.2", COL_DECLARED).data() == "100/100"


def test_closing_the_window_saves_what_is_being_typed(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    window.navigate(screens.SELF_ASSESSMENT, area="5")
    screen = _self_assessment(window)
    editor = _open_editor(qtbot, screen, "5.3.2", COL_DECLARED)
    assert isinstance(editor, QLineEdit)
    editor.setText("9/10")  # no Enter, no Tab: the clerk closes the window
    window.close()
    stored = _stored(draft_db, "5.3.2")
    assert stored is not None and stored.declared.numerator == 9  # type: ignore[attr-defined]


def test_vietnamese_capitals_are_not_clipped(
    open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    for label in (window.unit_label, _overview(window).title):
        label.setText("ẬỶĐ Ấp Kỳ")
        tall = label.fontMetrics().boundingRect("ẬỶĐỹ").height()
        assert label.height() >= tall, label.text()
    window.navigate(screens.SELF_ASSESSMENT)
    header = _self_assessment(window).table.header()
    two_lines = 2 * header.fontMetrics().lineSpacing()
    assert header.sizeHint().height() >= two_lines  # "Điểm / tự chấm" on two lines


def test_search_finds_diacritic_text_typed_without_accents(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    window.navigate(screens.SELF_ASSESSMENT)
    screen = _self_assessment(window)
    screen.search.setFocus()
    qtbot.keyClicks(screen.search, "thu tuc hanh chinh")  # type: ignore[attr-defined]
    shown = screen.visible_codes()
    assert shown and shown[0] == "3"
    screen.search.clear()
    _type(screen.search, "ĐIỆN TỬ")  # with accents and upper case works too
    assert "7.1.1" in screen.visible_codes()
    screen.search.clear()
    _type(screen.search, "không có tiêu chí nào như thế")
    assert screen.visible_codes() == []
    assert screen.empty.isVisible()


def test_overview_lines_open_the_screen_filtered(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    overview = _overview(window)
    item = overview.todo.item(0)
    assert item.text().startswith("31 tiêu chí chưa chấm điểm")
    rect = overview.todo.visualItemRect(item)
    qtbot.mouseClick(overview.todo.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # type: ignore[attr-defined]
    screen = _self_assessment(window)
    assert window.current_key == screens.SELF_ASSESSMENT
    assert screen.problem_box.currentData() == Problem.NOT_SCORED
    assert "4.3" in screen.visible_codes() and "1.1.1" not in screen.visible_codes()
    window.navigate(screens.OVERVIEW)
    chart = overview.chart
    row_h = chart.sizeHint().height() // len(chart.areas)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(20, row_h * 2 + row_h // 2))  # type: ignore[attr-defined]
    assert window.current_key == screens.SELF_ASSESSMENT
    assert screen.problem_box.currentData() == Problem.LOST
    assert all(code.startswith("3") for code in screen.visible_codes())


# --- dialogs speak Vietnamese ------------------------------------------------------


def _button_texts(widget: QWidget) -> list[str]:
    return [b.text() for b in widget.findChildren(QAbstractButton) if b.isVisible() and b.text()]


def test_progress_dialog_cancels_in_vietnamese(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    steps: list[int] = []
    outcome: list[BaseException] = []

    def long_job() -> Iterator[tuple[int, int, str]]:
        for i in range(50):
            steps.append(i)
            time.sleep(0.05)
            yield i, 50, f"Đang xử lý {i}/50"

    # Start-up's own jobs first: a job queued behind ours would get its own busy cursor.
    qtbot.waitUntil(lambda: window.state.tasks.pending == 0, timeout=30_000)  # type: ignore[attr-defined]
    window.state.tasks.run(long_job, on_error=outcome.append, label="Đang thử")
    qtbot.waitUntil(lambda: _visible_dialog(QProgressDialog) is not None, timeout=5_000)  # type: ignore[attr-defined]
    dialog = _visible_dialog(QProgressDialog)
    assert dialog is not None
    texts = _button_texts(dialog)
    assert texts == ["Hủy"] and not ENGLISH_BUTTONS & set(texts)
    assert dialog.windowTitle() == "Xin chờ"
    assert QApplication.overrideCursor() is not None  # busy cursor after 300 ms
    next(b for b in dialog.findChildren(QAbstractButton) if b.text() == "Hủy").click()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5_000)  # type: ignore[attr-defined]
    assert isinstance(outcome[0], Cancelled)
    assert len(steps) < 50
    # Every job done (one queued meanwhile waits with its own busy cursor): no cursor left.
    qtbot.waitUntil(lambda: window.state.tasks.pending == 0, timeout=30_000)  # type: ignore[attr-defined]
    assert QApplication.overrideCursor() is None


def _visible_dialog(kind: type) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, kind) and widget.isVisible():
            return widget
    return None


def test_crash_message_names_the_log_in_vietnamese(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path, tmp_path: Path
) -> None:
    window = open_window(published_db)
    crash.set_log_dir(lambda: tmp_path / "logs")
    seen: dict[str, object] = {}

    def inspect() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, inspect)
            return
        seen["buttons"] = _button_texts(box)
        seen["text"] = box.text() + "\n" + box.informativeText()
        box.buttons()[0].click()

    QTimer.singleShot(50, inspect)
    try:
        raise RuntimeError("a bug")
    except RuntimeError as exc:
        path = crash.report(exc, window)
    assert path is not None and path.parent == tmp_path / "logs"
    assert "RuntimeError: a bug" in path.read_text(encoding="utf-8")
    assert seen["buttons"] == ["Đóng"]
    assert str(path) in str(seen["text"])
    assert "lỗi không lường trước" in str(seen["text"])


# --- the launcher ------------------------------------------------------------------


def test_launcher_sends_only_window_options_to_the_gui() -> None:
    plain = window_options([])
    assert plain is not None
    assert (plain.db, plain.lang, plain.smoke, plain.open_files) == (None, None, False, [])
    full = window_options(["--db=x.sqlite3", "--lang", "en", "--smoke", "--open", "a.cchc",
                           "--open", "b.cchc"])
    assert full is not None
    assert (full.db, full.lang, full.smoke) == ("x.sqlite3", "en", True)
    assert full.open_files == ["a.cchc", "b.cchc"]
    for cli in (["--db", "x.sqlite3", "assessment", "show"], ["demo", "/tmp/x"], ["--db"],
                ["--help"], ["-h"], ["--lang", "fr"], ["--sm"]):
        assert window_options(cli) is None, cli
    from ui.app import files_to_open  # what a second start sends to the first window

    assert files_to_open(["--open", "a.cchc", "--db", "x"]) == ["a.cchc"]
    assert files_to_open(["--open", "a.cchc", "export"]) == []


def test_the_command_line_runs_without_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ui.launcher import main\n"
        "code = main(['--db', sys.argv[1], 'assessment', 'show'])\n"
        "print(code, 'PySide6' in sys.modules, 'shiboken6' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "none" / "parapp.sqlite3")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False", "False"]  # the CLI refused: no database
    assert done.stderr.strip()


def test_smoke_run_opens_the_window_on_the_data(published_db: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PARAPP_BENCH="1")
    done = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--smoke", "--db", str(published_db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    marks = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("PARAPP")]
    assert marks.index("first_paint") < marks.index("data_shown")


def test_smoke_run_of_an_appraisers_office_succeeds(demo_db: Path, tmp_path: Path) -> None:
    """An appraiser has no assessment of its own: the window showing its office is a
    success (the smoke run failed it for that)."""
    appraiser = demo_db.parents[1] / "appraiser" / "parapp.sqlite3"
    copy = copy_database(appraiser, tmp_path / "appraiser" / "parapp.sqlite3")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--smoke", "--db", str(copy)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_first_paint_comes_before_the_orm_is_imported() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from ui.state import AppState\n"
        "from ui.main_window import MainWindow\n"
        "w = MainWindow(AppState(None, __import__('pathlib').Path('x.sqlite3')))\n"
        "w.show(); w.repaint()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_model_cells_keep_the_title(published_db: Path, qapp: object) -> None:
    # The title column's tooltip repeats the whole title (it may wrap or be cut).
    from ui.models.criteria_tree import CriteriaTreeModel

    db = open_database(published_db)
    try:
        view = assessments.view(db)
    finally:
        db.close()
    model = CriteriaTreeModel()
    model.set_data(view.cset, view.scores, view.evidence_counts, False)
    index = model.index_of("7", COL_TITLE)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == view.cset.node("7").title


def test_qt_keeps_its_own_text_where_we_have_no_translation(qapp: object) -> None:
    # Our translator answers for the buttons we know; for every other Qt string it must
    # pass (a null answer), or Qt shows an empty label or error message in its place.
    from PySide6.QtCore import QCoreApplication

    qt_strings.install()
    assert QCoreApplication.translate("QDialogButtonBox", "Cancel") == "Hủy"
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Look in:"
    message = QCoreApplication.translate("QLocalSocket", "%1: Connection refused")
    assert message.replace("%1", "connectToServer") == "connectToServer: Connection refused"
