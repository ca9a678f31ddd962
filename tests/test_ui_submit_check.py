"""Kiểm tra trước khi nộp (issue 16): the pre-submission check beside the self-assessment,
its lines taking the clerk to each criterion, and submitting from it. Offscreen, on copies
of the demo: the 2026 year half done (areas 4 and up not scored) and one complete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import Ready, figures_shown, idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from sync_support import dump
from test_ui_submission import answer_modal, press, self_screen, status_of

from db.engine import open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.i18n import _
from parapp.services import assessments, carry_over
from tests.conftest import copy_database
from ui import screens
from ui.main_window import MainWindow
from ui.models.columns import CODE_ROLE
from ui.models.problems import Problem
from ui.screens.self_assessment import SelfAssessmentScreen

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000


@pytest.fixture
def window_ready() -> Ready:
    return lambda window: figures_shown(window) and idle(window)


@pytest.fixture
def complete_db(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo with a 2026 draft that has everything: last year's declared data,
    scores, explanations and evidence links copied."""
    path = copy_database(demo_db, tmp_path / "complete" / "parapp.sqlite3")
    db = open_database(path)
    try:
        assessments.new_assessment(db, 2026)
        carry_over.copy_last_year(db, 2026, 2025)
    finally:
        db.close()
    return path


def open_check(qtbot: object, window: MainWindow) -> SelfAssessmentScreen:
    window.navigate(screens.SELF_ASSESSMENT)
    screen = self_screen(window)
    assert screen.check_button.isVisibleTo(screen) and not screen.check.isVisibleTo(screen)
    screen.check_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.check.gaps is not None and idle(window), timeout=WAIT_MS
    )
    assert screen.check.isVisible()
    return screen


def current_code(screen: SelfAssessmentScreen) -> str:
    return str(screen.table.currentIndex().data(CODE_ROLE))


def test_a_line_of_the_check_selects_its_criterion(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    screen = open_check(qtbot, window)
    check = screen.check
    texts = check.texts()
    assert check.summary.text() == f"{len(texts)} tiêu chí chưa hoàn thiện:"
    assert "4.1. " in "\n".join(texts) and all(": " in t for t in texts)
    # The table shows area 1 only: the line still finds 4.1's row, in area 4.
    screen.activate(area="1", problem=Problem.LOST)
    row = check.row_of("4.1")
    assert row >= 0
    item = check.missing.item(row)
    check.missing.scrollToItem(item)
    rect = check.missing.visualItemRect(item)
    QTest.mouseClick(check.missing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert current_code(screen) == "4.1"
    assert screen.table.hasFocus() or not window.isActiveWindow()
    assert screen.problem_box.currentData() == Problem.ALL
    # The keyboard: a line chosen with the arrows and Enter.
    other = texts[-1].split(". ", 1)[0]
    check.missing.setFocus()
    check.missing.setCurrentRow(check.row_of(other))
    QTest.keyClick(check.missing, Qt.Key.Key_Return)
    assert current_code(screen) == other


def test_the_check_follows_the_work_and_closes(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    window = open_window(draft_db)
    screen = open_check(qtbot, window)
    before = len(screen.check.texts())
    window.navigate(screens.OVERVIEW)
    window.navigate(screens.SELF_ASSESSMENT, criterion="4.3")
    assert current_code(screen) == "4.3"
    assert not screen.areas.isVisible()  # the check has the area list's place
    screen.check.close_button.click()
    assert not screen.check.isVisibleTo(screen) and screen.areas.isVisible()
    # The overview's next step opens it again.
    window.navigate(screens.SELF_ASSESSMENT, check=True)
    qtbot.waitUntil(lambda: idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert screen.check.isVisible() and len(screen.check.texts()) == before


def test_a_complete_assessment_has_nothing_missing_and_submits(
    qtbot: object, open_window: Callable[[Path], MainWindow], complete_db: Path
) -> None:
    window = open_window(complete_db)
    screen = open_check(qtbot, window)
    check = screen.check
    assert check.gaps == []
    assert check.summary.text().startswith("Không còn thiếu gì")
    assert not check.missing.isVisibleTo(check)
    before = dump(complete_db)
    asked: list[str] = []
    answer_modal(lambda box: press(box, _("Cancel"), asked))
    check.submit_button.click()
    qtbot.waitUntil(lambda: bool(asked) and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert dump(complete_db) == before

    def submit(box: QWidget) -> None:
        press(box, _("Submit"), asked)

    answer_modal(submit)
    check.submit_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.withdraw_button.isVisibleTo(screen) and idle(window), timeout=WAIT_MS
    )
    assert status_of(complete_db, 2026) is AssessmentStatus.SUBMITTED
    assert not check.isVisibleTo(screen)  # nothing to check once submitted
    assert not screen.check_button.isVisibleTo(screen)
