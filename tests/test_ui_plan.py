"""The remediation plan screen end to end (offscreen, Vietnamese, copies of the demo), its
model's deadline rules, and the plan services it adds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QWidget

from db.engine import open_database
from parapp.domain.deadlines import DeadlineKind
from parapp.domain.remediation import ItemStatus
from parapp.services import plan_items, plans
from parapp.services.common import ServiceError
from ui import screens
from ui.main_window import MainWindow
from ui.models.plan_items import (
    COL_DEADLINE,
    COL_PROGRESS,
    COL_SHORTCOMING,
    COL_STATUS,
    OVERDUE_BACKGROUND,
    OVERDUE_ROLE,
    Show,
    deadline_problem,
)
from ui.screens.plan import PlanScreen
from ui.widgets.plan_progress import ProgressDialog

pytestmark = pytest.mark.usefixtures("vietnamese")
ENGLISH_BUTTONS = {"OK", "&OK", "Cancel", "&Cancel", "Yes", "&Yes", "No", "&No"}


def _idle(qtbot: object, screen: PlanScreen) -> None:
    tasks = screen.state.tasks
    qtbot.waitUntil(lambda: tasks.pending == 0 and not screen.loading, timeout=15_000)  # type: ignore[attr-defined]


def _screen(qtbot: object, window: MainWindow) -> PlanScreen:
    window.navigate(screens.PLAN)
    screen = window.screen(screens.PLAN)
    assert isinstance(screen, PlanScreen)
    _idle(qtbot, screen)
    return screen


def _answer_dialog(handle: Callable[[QWidget], None], seen: list[QWidget]) -> None:
    """Run ``handle`` on the next modal dialog as soon as it shows."""

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(20, look)
            return
        seen.append(widget)
        handle(widget)

    QTimer.singleShot(0, look)


def _accept_box(widget: QWidget) -> None:
    assert isinstance(widget, QMessageBox)
    texts = {b.text() for b in widget.buttons()}
    assert not texts & ENGLISH_BUTTONS, texts
    widget.buttons()[0].click()  # the action button comes first


def _stored_plan(path: Path, year: int | None = None) -> plans.PlanView:
    db = open_database(path)
    try:
        return plans.get_plan(db, year)
    finally:
        db.close()


# -- the model's rules, without widgets ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("Quý II/2026", date(2026, 6, 30)),
        ("trước 30/6/2026", date(2026, 6, 30)),
        ("quý III", date(2026, 9, 30)),
        ("6 tháng đầu năm 2026", date(2026, 6, 30)),
    ],
)
def test_deadlines_the_clerk_writes_are_understood(text: str, end: date) -> None:
    deadline, reason = deadline_problem(text, 2026)
    assert reason == "" and deadline is not None and deadline.end == end


def test_ongoing_is_accepted_and_nonsense_and_blank_are_not() -> None:
    deadline, reason = deadline_problem("Thường xuyên", 2026)
    assert deadline is not None and deadline.kind is DeadlineKind.ONGOING and not reason
    assert deadline_problem("khi nào rảnh", 2026)[1]
    assert deadline_problem("   ", 2026)[1]


def test_copy_unfinished_copies_once(draft_db: Path) -> None:
    db = open_database(draft_db)
    try:
        plan = plans.draft_plan(db, 2026)
        before = len(plan.items)
        old = plans.get_plan(db, 2026)
        unfinished = [i for i in old.items if i.status is not ItemStatus.DONE]
        plan, copied = plans.copy_unfinished(db, 2027)
        assert 0 < copied <= len(unfinished)
        assert len(plan.items) == before + copied
        assert {i.carried_from for i in plan.items if i.carried_from} <= {i.id for i in old.items}
        assert plans.copy_unfinished(db, 2027)[1] == 0
        assert [s.year for s in plans.list_plans(db)] == [2027, 2026, 2025]
        with pytest.raises(ServiceError):
            plans.copy_unfinished(db, 2025)  # issued
    finally:
        db.close()


# -- the screen ----------------------------------------------------------------------------


def test_drafting_the_plan_that_follows_the_assessment(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    screen = _screen(qtbot, open_window(draft_db))
    assert screen.plan is not None and screen.plan.year == 2026  # the newest, as on the overview
    screen.choose_plan(2027)
    _idle(qtbot, screen)
    assert screen.pages.currentIndex() == 0 and screen.draft_button.isVisible()
    seen: list[QWidget] = []
    _answer_dialog(_accept_box, seen)  # "no appraised result yet: draft from self-scores?"
    qtbot.mouseClick(screen.draft_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: screen.plan is not None and screen.plan.year == 2027, timeout=15_000)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    assert seen, "the clerk was asked before drafting from self-scores"
    assert screen.pages.currentIndex() == 1
    assert screen.model.rowCount() == len(_stored_plan(draft_db, 2027).items) > 0
    assert screen.model.editable


def _pane_edit(qtbot: object, screen: PlanScreen, row: int, field: str, text: str) -> None:
    """Type ``text`` into the detail pane's ``field`` of the item on ``row`` and leave it."""
    screen.table.setCurrentIndex(screen.model.index(row, COL_SHORTCOMING))
    widget = getattr(screen.detail, field)
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
        widget.left.emit()
    else:
        widget.setText(text)
        widget.editingFinished.emit()
    _idle(qtbot, screen)


def test_a_deadline_is_saved_parsed_and_a_wrong_one_refused_beside_the_field(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    screen = _screen(qtbot, window)
    assert screen.plan is not None and screen.plan.year == 2026 and screen.model.editable
    item_id = screen.model.item(0).id  # type: ignore[union-attr]
    _pane_edit(qtbot, screen, 0, "deadline", "Quý II/2026")
    assert screen.model.index(0, COL_DEADLINE).data() == "Quý II/2026"
    assert "30/06/2026" in screen.detail.meaning.text()
    stored = next(i for i in _stored_plan(published_db, 2026).items if i.id == item_id)
    assert stored.deadline.kind is DeadlineKind.QUARTER
    assert stored.deadline.end == date(2026, 6, 30)
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: window.state.plan is not None
        and any(i.deadline.text == "Quý II/2026" for i in window.state.plan.items)
    )

    _pane_edit(qtbot, screen, 0, "deadline", "khi nào có kinh phí")
    reason = screen.detail.error("deadline")
    assert "khi nào có kinh phí" in reason
    assert screen.detail.deadline.text() == "khi nào có kinh phí"  # not lost
    _pane_edit(qtbot, screen, 0, "deadline", "")
    assert screen.detail.error("deadline")
    stored = next(i for i in _stored_plan(published_db, 2026).items if i.id == item_id)
    assert stored.deadline.text == "Quý II/2026"


def test_a_value_the_service_refuses_stays_with_its_sentence(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    screen = _screen(qtbot, open_window(published_db))
    item = screen.model.item(0)
    assert item is not None and item.node_codes  # a PAR criterion: its index cannot change
    screen.table.setCurrentIndex(screen.model.index(0, COL_SHORTCOMING))
    box = screen.detail.index_box
    box.setCurrentIndex(box.findData("SIPAS"))
    box.activated.emit(box.currentIndex())
    _idle(qtbot, screen)
    assert "PAR" in screen.detail.error("index_kind")
    assert box.currentData() == "SIPAS"  # what was chosen is still shown
    stored = next(i for i in _stored_plan(published_db, 2026).items if i.id == item.id)
    assert stored.index_kind == "PAR"


def test_editing_in_the_pane_keeps_the_selection_and_the_scroll(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    _lengthen(published_db, 30)
    screen = _screen(qtbot, open_window(published_db))
    last = screen.model.rowCount() - 1
    screen.table.setCurrentIndex(screen.model.index(last, COL_SHORTCOMING))
    screen.table.scrollToBottom()
    scroll = screen.table.verticalScrollBar().value()
    assert scroll > 0
    item_id = screen.model.item(last).id  # type: ignore[union-attr]
    screen.detail.tasks.setPlainText("- Rà soát quy trình.\n- Báo cáo kết quả.")
    screen.detail.tasks.left.emit()
    _idle(qtbot, screen)
    stored = next(i for i in _stored_plan(published_db, 2026).items if i.id == item_id)
    assert stored.tasks == "- Rà soát quy trình.\n- Báo cáo kết quả."
    assert screen.model.item(screen.table.currentIndex().row()).id == item_id  # type: ignore[union-attr]
    assert screen.table.verticalScrollBar().value() == scroll


def _lengthen(path: Path, total: int) -> None:
    """Add general tasks with long texts until the 2026 plan has ``total`` items."""
    db = open_database(path)
    try:
        have = len(plan_items.list_items(db, 2026).items)
        for k in range(have, total):
            plan_items.add(
                db, 2026, shortcoming=f"Nhiệm vụ chung số {k + 1}: " + "rà soát, " * 30,
                tasks="- Xây dựng kế hoạch.\n- Tổ chức thực hiện.", lead="Công an xã",
            )  # fmt: skip
    finally:
        db.close()


def test_recording_progress_keeps_the_selection_and_the_scroll(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    _lengthen(published_db, 30)
    screen = _screen(qtbot, open_window(published_db))
    row = 20
    screen.table.setCurrentIndex(screen.model.index(row, COL_SHORTCOMING))
    screen.table.verticalScrollBar().setValue(5)  # row 20 in the middle, not at an end
    scroll = screen.table.verticalScrollBar().value()
    assert scroll == 5
    item_id = screen.model.item(row).id  # type: ignore[union-attr]

    def fill(widget: QWidget) -> None:
        assert isinstance(widget, ProgressDialog)
        widget.percent.setValue(100)
        note = widget.findChild(QPlainTextEdit)
        assert note is not None
        note.setPlainText("Đã ban hành Kế hoạch số 25/KH-UBND.")
        widget.ok_button.click()

    seen: list[QWidget] = []
    _answer_dialog(fill, seen)
    qtbot.mouseClick(screen.progress_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    assert seen
    stored = next(i for i in _stored_plan(published_db, 2026).items if i.id == item_id)
    assert stored.status is ItemStatus.DONE
    assert stored.updates[-1].note == "Đã ban hành Kế hoạch số 25/KH-UBND."
    assert screen.table.currentIndex().row() == row
    assert screen.table.verticalScrollBar().value() == scroll
    assert screen.model.index(row, COL_PROGRESS).data() == "100%"
    assert "Đã ban hành Kế hoạch số 25/KH-UBND." in screen.detail.history.text()


def test_overdue_items_are_marked_and_filtered(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    window.state.today = date(2027, 1, 15)  # the 2026 plan's "trong năm 2026" has passed
    screen = _screen(qtbot, window)
    screen.refresh()
    _idle(qtbot, screen)
    total = screen.model.rowCount()
    overdue = [r for r in range(total) if screen.model.index(r, 0).data(OVERDUE_ROLE)]
    assert overdue and len(overdue) == total  # nothing is done yet
    index = screen.model.index(overdue[0], COL_SHORTCOMING)
    assert index.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert "Quá hạn" in screen.model.index(overdue[0], COL_STATUS).data()  # not colour alone
    assert str(len(overdue)) in screen.summary.text()
    window.state.today = date(2026, 3, 1)
    screen.refresh()
    _idle(qtbot, screen)
    assert not screen.model.index(0, 0).data(OVERDUE_ROLE)
    screen.show_box.setCurrentIndex(screen.show_box.findData(Show.OVERDUE))
    assert screen.model.rowCount() == 0 and screen.no_rows.isVisible()


def test_copying_last_years_unfinished_items(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    db = open_database(draft_db)
    try:
        before = len(plans.draft_plan(db, 2026).items)
    finally:
        db.close()
    screen = _screen(qtbot, open_window(draft_db))
    assert screen.plan is not None and screen.plan.year == 2027
    assert screen.model.rowCount() == before
    qtbot.mouseClick(screen.copy_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: screen.model.rowCount() > before, timeout=15_000)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    copied = [i for i in screen.model.items if i.carried_from]
    assert copied and len(screen.model.items) == before + len(copied)
    assert len(_stored_plan(draft_db, 2027).items) == before + len(copied)
    seen: list[QWidget] = []
    _answer_dialog(_accept_box, seen)  # "already copied"
    qtbot.mouseClick(screen.copy_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)  # type: ignore[attr-defined]
    assert len(_stored_plan(draft_db, 2027).items) == before + len(copied)


def test_an_issued_plan_is_read_only_until_a_new_revision(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    screen = _screen(qtbot, open_window(published_db))
    screen.choose_plan(2025)
    _idle(qtbot, screen)
    assert screen.plan is not None and screen.plan.status == "issued"
    assert screen.banner.isVisible() and "15/KH-UBND" in screen.banner.text()
    detail = screen.detail
    assert detail.tasks.isReadOnly() and detail.deadline.isReadOnly()
    assert not detail.lead.isEnabled() and detail.status_box.isEnabled()
    assert not screen.copy_button.isVisible()
    assert not screen.item_bar.add_button.isVisible()  # no adding, moving or removing
    assert not screen.model.flags(screen.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert screen.progress_button.isEnabled()  # progress is still recorded on an issued plan
    seen: list[QWidget] = []
    _answer_dialog(_accept_box, seen)
    qtbot.mouseClick(screen.revise_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.plan is not None and screen.plan.status == "draft", timeout=15_000
    )
    _idle(qtbot, screen)
    assert not screen.banner.isVisible()
    assert not screen.detail.tasks.isReadOnly() and screen.item_bar.add_button.isVisible()
    assert _stored_plan(published_db, 2025).revision == 2
