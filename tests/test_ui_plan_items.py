"""Shaping the plan in the window (offscreen, Vietnamese, copies of the demo): add,
duplicate, split, merge, remove and restore, reorder by button, key and drag and drop,
filters, and a table that shows at least twelve items at 1366×768."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QWidget

from db.engine import open_database
from parapp.services import plan_items
from tests.test_ui_plan import _answer_dialog, _idle, _lengthen, _screen
from ui.main_window import MainWindow
from ui.models.plan_items import COL_LEAD, COL_SHORTCOMING, NO_AREA, Show
from ui.screens.plan import PlanScreen
from ui.widgets.plan_dialogs import AddItemDialog, SplitDialog

pytestmark = pytest.mark.usefixtures("vietnamese")


def _stored(path: Path) -> plan_items.PlanItems:
    db = open_database(path)
    try:
        return plan_items.list_items(db, 2026)
    finally:
        db.close()


def _ids(path: Path) -> list[str]:
    return [n.item.id for n in _stored(path).items]


def _select(screen: PlanScreen, *rows: int) -> None:
    screen.table.select_rows(list(rows), rows[0])
    screen._current_changed()


def _click(qtbot: object, screen: PlanScreen, button: QWidget) -> None:
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    _idle(qtbot, screen)


def _current_id(screen: PlanScreen) -> str:
    item = screen.model.item(screen.table.currentIndex().row())
    assert item is not None
    return item.id


def test_twelve_items_and_more_are_seen_at_1366_by_768(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    _lengthen(published_db, 24)
    window = open_window(published_db)
    assert (window.width(), window.height()) == (1366, 768)
    screen = _screen(qtbot, window)
    table = screen.table
    assert screen.model.rowCount() == 24
    viewport = table.viewport().rect()
    whole = [
        r for r in range(screen.model.rowCount())
        if viewport.contains(table.visualRect(screen.model.index(r, COL_SHORTCOMING)))
    ]  # fmt: skip
    assert len(whole) >= 12, len(whole)
    assert table.rowAt(0) == 0 and table.rowAt(viewport.height() - 1) >= 11
    # The long texts are in the pane, whole, not in the row.
    assert screen.detail.isVisible() and screen.detail.width() >= 380
    last = screen.model.rowCount() - 1
    table.setCurrentIndex(screen.model.index(last, COL_SHORTCOMING))
    assert screen.detail.shortcoming.toPlainText().startswith("Nhiệm vụ chung số 24")


def test_add_duplicate_split_merge_remove_and_restore(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    screen = _screen(qtbot, open_window(published_db))
    bar = screen.item_bar
    count = len(_stored(published_db).items)

    def add(widget: QWidget) -> None:
        assert isinstance(widget, AddItemDialog)
        widget.criterion.setText("")
        widget.shortcoming.setPlainText("Chưa niêm yết đường dây nóng tại Bộ phận một cửa.")
        widget.tasks.setPlainText("Niêm yết số điện thoại đường dây nóng.")
        widget.ok_button.click()  # type: ignore[attr-defined]

    _select(screen, 2)
    _answer_dialog(add, [])
    _click(qtbot, screen, bar.add_button)
    stored = _stored(published_db)
    assert len(stored.items) == count + 1
    added = next(n for n in stored.items if n.item.shortcoming.startswith("Chưa niêm yết"))
    assert _current_id(screen) == added.item.id  # the new item is selected
    assert screen.detail.tasks.toPlainText() == "Niêm yết số điện thoại đường dây nóng."

    _select(screen, 0)
    first = _current_id(screen)
    _click(qtbot, screen, bar.duplicate_button)
    stored = _stored(published_db)
    assert len(stored.items) == count + 2
    assert stored.items[1].item.shortcoming == stored.items[0].item.shortcoming
    assert _current_id(screen) == stored.items[1].item.id

    def split(widget: QWidget) -> None:
        assert isinstance(widget, SplitDialog)
        widget.tasks.setPlainText("- Xây dựng kế hoạch tuyên truyền.\n- Tổ chức hội nghị.")
        widget.ok_button.click()  # type: ignore[attr-defined]

    _select(screen, 0)
    _answer_dialog(split, [])
    _click(qtbot, screen, bar.split_button)
    stored = _stored(published_db)
    assert len(stored.items) == count + 3
    assert [n.item.tasks for n in stored.items[:2]] == [
        "Xây dựng kế hoạch tuyên truyền.",
        "Tổ chức hội nghị.",
    ]
    assert stored.items[0].item.id == first == _current_id(screen)

    _select(screen, 0, 1)
    _click(qtbot, screen, bar.merge_button)
    stored = _stored(published_db)
    assert len(stored.items) == count + 2 and len(stored.removed) == 1
    assert stored.items[0].item.tasks == "Xây dựng kế hoạch tuyên truyền.\nTổ chức hội nghị."
    assert _current_id(screen) == first
    assert "(1)" in bar.restore_button.text()

    _select(screen, 3)
    gone = _current_id(screen)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    stored = _stored(published_db)
    assert gone not in {n.item.id for n in stored.items}
    assert screen.table.currentIndex().row() == 3  # the next item takes its place
    _click(qtbot, screen, bar.restore_button)
    stored = _stored(published_db)
    assert stored.items[3].item.id == gone == _current_id(screen)  # back at its number
    _click(qtbot, screen, bar.restore_button)  # the merged-away copy comes back too
    assert len(_stored(published_db).items) == count + 3
    assert not bar.restore_button.isEnabled()


def test_reorder_by_button_key_and_drag_and_drop(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    screen = _screen(qtbot, open_window(published_db))
    before = _ids(published_db)  # items 1-3 answer area 1, so they move among themselves
    _select(screen, 0)
    _click(qtbot, screen, screen.item_bar.down_button)
    assert _ids(published_db)[:3] == [before[1], before[0], before[2]]
    assert _current_id(screen) == before[0] and screen.table.currentIndex().row() == 1

    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    assert _ids(published_db)[:3] == [before[1], before[2], before[0]]
    qtbot.keyClick(screen.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    assert _ids(published_db)[:3] == [before[1], before[0], before[2]]
    assert _current_id(screen) == before[0]

    # Drag item 3 and drop it above item 1 (the view hands the model the drop).
    model = screen.model
    data = model.mimeData([model.index(2, 0)])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    _idle(qtbot, screen)
    assert _ids(published_db)[:3] == [before[2], before[1], before[0]]

    # Out of its area: refused in one sentence, nothing moved.
    alone = 3  # item 4 is area 2's only item
    _select(screen, alone)
    order = _ids(published_db)
    _click(qtbot, screen, screen.item_bar.up_button)
    assert _ids(published_db) == order
    assert screen.item_bar.refusal.isVisible() and "4" in screen.item_bar.refusal.text()


def test_filters_by_status_lead_and_area(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    drafted = len(_stored(published_db).items)
    _lengthen(published_db, drafted + 4)  # four general tasks led by "Công an xã"
    screen = _screen(qtbot, open_window(published_db))
    total = screen.model.rowCount()
    f = screen.filters
    f.lead_box.setCurrentIndex(f.lead_box.findData("Công an xã"))
    assert screen.model.rowCount() == 4
    assert all(screen.model.index(r, COL_LEAD).data() == "Công an xã" for r in range(4))
    assert screen.model.index(0, 0).data() == str(drafted + 1)  # the plan's numbers
    f.lead_box.setCurrentIndex(0)
    f.area_box.setCurrentIndex(f.area_box.findData("1"))
    assert 0 < screen.model.rowCount() < total
    shown = [screen.model.item(r) for r in range(screen.model.rowCount())]
    assert all(i is not None and i.node_codes[0].startswith("1.") for i in shown)
    f.area_box.setCurrentIndex(f.area_box.findData(NO_AREA))
    assert screen.model.rowCount() == 4
    f.area_box.setCurrentIndex(0)
    in_progress = sum(1 for i in screen.model.items if i.status.value == "in_progress")
    screen.show_box.setCurrentIndex(screen.show_box.findData(Show.IN_PROGRESS))
    assert screen.model.rowCount() == in_progress > 0
    screen.show_box.setCurrentIndex(screen.show_box.findData(Show.ALL))
    assert screen.model.rowCount() == total
