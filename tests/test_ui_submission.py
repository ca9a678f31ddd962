"""The window follows the same rules as the CLI (issue 13, part 7): a commune submits from the
self-assessment screen after the pre-submission check (the missing list and a reason when
incomplete) and may withdraw; the appraiser is asked, with the list, before accepting or
publishing criteria nobody scored. Offscreen, on copies of the demo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import Ready, figures_shown, idle
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from sync_support import copy_demo, draft_2026_submission, dump

from db.engine import open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.i18n import _
from parapp.services import appraisal, assessments, submission, sync_import
from ui import screens
from ui.main_window import MainWindow
from ui.screens.appraisal import AppraisalScreen
from ui.screens.self_assessment import SelfAssessmentScreen
from ui.widgets.submit_flow import IncompleteDialog

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000


@pytest.fixture
def window_ready() -> Ready:
    """``open_window`` waits until the figures are shown and no job is left."""
    return lambda window: figures_shown(window) and idle(window)


def answer_modal(action: Callable[[QWidget], None]) -> None:
    """Run ``action`` on the next modal dialog as soon as it shows (exec() blocks)."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(20, poll)
            return
        action(widget)

    QTimer.singleShot(0, poll)


def press(box: QWidget, text: str, seen: list[str]) -> None:
    assert isinstance(box, QMessageBox), box
    seen.append(box.text())
    for button in box.buttons():
        if button.text() == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


def status_of(path: Path, year: int, unit: str | None = None) -> AssessmentStatus:
    db = open_database(path)
    try:
        return assessments.get_info(db, year, unit).status
    finally:
        db.close()


def self_screen(window: MainWindow) -> SelfAssessmentScreen:
    screen = window.screen(screens.SELF_ASSESSMENT)
    assert isinstance(screen, SelfAssessmentScreen)
    return screen


# -- the commune ---------------------------------------------------------------------------
def test_an_incomplete_submission_shows_the_list_and_needs_a_reason(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path, tmp_path: Path
) -> None:
    window = open_window(draft_db)
    screen = self_screen(window)
    assert screen.submit_button.isVisibleTo(screen)
    assert not screen.withdraw_button.isVisibleTo(screen)
    before = dump(draft_db)
    seen: dict[str, object] = {}

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, IncompleteDialog)
        seen["lines"] = dialog.texts()
        seen["enabled_empty"] = dialog.submit_button.isEnabled()
        dialog.reject()

    answer_modal(cancel)
    screen.submit_button.click()
    qtbot.waitUntil(lambda: "lines" in seen and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    lines = seen["lines"]
    assert isinstance(lines, list) and any(
        line.startswith("4.1. ") and line.endswith(": chưa chấm điểm") for line in lines
    )
    assert seen["enabled_empty"] is False
    assert dump(draft_db) == before  # cancelled: nothing written

    reason = "Lĩnh vực 4 đến 8 chờ số liệu của các bộ phận."

    def submit(dialog: QWidget) -> None:
        assert isinstance(dialog, IncompleteDialog)
        dialog.reason.setPlainText(reason)
        assert dialog.submit_button.isEnabled()
        dialog.grab().save(str(tmp_path / "incomplete-dialog.png"))
        dialog.submit_button.click()

    answer_modal(submit)
    screen.submit_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.withdraw_button.isVisibleTo(screen) and idle(window), timeout=WAIT_MS
    )
    assert status_of(draft_db, 2026) is AssessmentStatus.SUBMITTED
    db = open_database(draft_db)
    try:
        note = submission.read_note(db, assessments.get_info(db, 2026).id)
    finally:
        db.close()
    assert note is not None and note.reason == reason
    assert not screen.submit_button.isVisibleTo(screen)
    assert "rút lại" in screen.banner.text().lower()

    # Withdrawn (no result from the appraiser yet): a draft again.
    asked: list[str] = []
    answer_modal(lambda box: press(box, _("Withdraw"), asked))
    screen.withdraw_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.submit_button.isVisibleTo(screen) and idle(window), timeout=WAIT_MS
    )
    assert "2026" in asked[0]
    assert status_of(draft_db, 2026) is AssessmentStatus.DRAFT


def test_a_published_year_offers_neither_button(
    open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    screen = self_screen(window)
    assert not screen.submit_button.isVisibleTo(screen)
    assert not screen.withdraw_button.isVisibleTo(screen)


# -- the appraiser -------------------------------------------------------------------------
@pytest.fixture
def incomplete_hub(demo_db: Path, tmp_path: Path) -> Path:
    root = copy_demo(demo_db, tmp_path / "demo")
    package = draft_2026_submission(root)  # area 7 unscored, submitted with a reason
    hub = root / "appraiser" / "parapp.sqlite3"
    db = open_database(hub)
    try:
        for _d, _t, outcome in sync_import.import_packages(db, [package]):
            assert outcome.status == "applied"
    finally:
        db.close()
    return hub


def open_unit(qtbot: object, window: MainWindow, code: str) -> AppraisalScreen:
    screen = window.screen(screens.APPRAISAL)
    assert isinstance(screen, AppraisalScreen)
    qtbot.waitUntil(lambda: screen.hub is not None and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert screen.hub is not None and screen.hub.year == 2026  # the latest year received
    screen.open_unit(code)
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.unit_page.opened is not None and idle(window), timeout=WAIT_MS
    )
    return screen


def test_accepting_unscored_criteria_asks_with_the_list(
    qtbot: object, open_window: Callable[[Path], MainWindow], incomplete_hub: Path
) -> None:
    window = open_window(incomplete_hub)
    screen = open_unit(qtbot, window, "06172")
    page = screen.unit_page
    assert "Lĩnh vực 7 đang chờ số liệu của huyện." in page.banner.text()
    before = dump(incomplete_hub)
    asked: list[str] = []
    answer_modal(lambda box: press(box, _("Cancel"), asked))
    page.accept_button.click()
    qtbot.waitUntil(lambda: bool(asked) and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "7.1.1." in asked[0] and "0" in asked[0]
    assert dump(incomplete_hub) == before
    answer_modal(lambda box: press(box, _("Accept anyway"), asked))
    page.accept_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: len(asked) == 2
        and idle(window)
        and status_of(incomplete_hub, 2026, "06172") is AssessmentStatus.APPRAISED,
        timeout=WAIT_MS,
    )


def test_publishing_unscored_criteria_asks_with_the_list(
    qtbot: object, open_window: Callable[[Path], MainWindow], incomplete_hub: Path
) -> None:
    db = open_database(incomplete_hub)
    try:
        appraisal.accept_self_scores(db, "06172", 2026, confirm_incomplete=True)
    finally:
        db.close()
    window = open_window(incomplete_hub)
    screen = window.screen(screens.APPRAISAL)
    assert isinstance(screen, AppraisalScreen)
    qtbot.waitUntil(lambda: screen.hub is not None and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    ranking = screen.ranking
    assert ranking.year == 2026
    before = dump(incomplete_hub)
    asked: list[str] = []

    def decide(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog)
        dialog.number.setText("12/QĐ-SNV")  # type: ignore[attr-defined]
        dialog.decided_on.setText("02/02/2027")  # type: ignore[attr-defined]
        answer_modal(lambda box: press(box, _("Cancel"), asked))
        dialog.accept_button.click()  # type: ignore[attr-defined]

    answer_modal(decide)
    ranking.publish()
    qtbot.waitUntil(lambda: bool(asked) and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "7.1.1." in asked[0] and "Xã Hoàng Văn Thụ" in asked[0]
    assert dump(incomplete_hub) == before
    assert status_of(incomplete_hub, 2026, "06172") is AssessmentStatus.APPRAISED
