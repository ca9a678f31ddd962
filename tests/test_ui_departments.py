"""Cài đặt's list of the office's departments and officers (issue 14, part 2), offscreen on a
new database: the usual departments are there, a name is added, refused twice, renamed and
removed through the widget, and what the database holds follows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from db.engine import open_database
from parapp.domain.units import Unit, UnitKind
from parapp.services import office_lists, setup
from ui.state import AppState
from ui.widgets.settings_departments import DepartmentsPanel

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000


@pytest.fixture
def panel(qtbot: object, tmp_path: Path) -> Iterator[DepartmentsPanel]:
    path = tmp_path / "parapp.sqlite3"
    setup.init_database(path, Unit("06172", "Xã Hoàng Văn Thụ", UnitKind.COMMUNE))
    state = AppState(None, path)
    state.open()
    qtbot.waitUntil(lambda: state.db is not None and state.tasks.pending == 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    widget = DepartmentsPanel(state)
    widget.resize(480, 420)
    widget.show()
    with qtbot.waitSignal(widget.listed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        widget.load()
    yield widget
    widget.close()
    state.close()
    qtbot.waitUntil(lambda: state.tasks.pending == 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    state.tasks.shutdown()


def _stored(panel: DepartmentsPanel) -> list[str]:
    db = open_database(panel.state.db_path)
    try:
        return office_lists.names(db)
    finally:
        db.close()


def _texts(panel: DepartmentsPanel) -> list[str]:
    return [panel.list.item(k).text() for k in range(panel.list.count())]


def test_the_settings_list_adds_refuses_renames_and_removes(
    qtbot: object, panel: DepartmentsPanel
) -> None:
    assert _texts(panel)[0] == "Văn phòng HĐND và UBND" and "Công an xã" in _texts(panel)
    assert not panel.remove_button.isEnabled()  # nothing chosen yet

    panel.new_name.setText("  công chức Tư pháp -  Hộ tịch ")
    with qtbot.waitSignal(panel.listed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        panel.add_button.click()
    assert "công chức Tư pháp - Hộ tịch" in _texts(panel)
    assert panel.new_name.text() == ""
    assert "công chức Tư pháp - Hộ tịch" in _stored(panel)

    panel.new_name.setText("CÔNG AN XÃ")
    with qtbot.waitSignal(panel.listed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        panel.add_button.click()
    assert "đã có trong danh sách" in panel.message.text()
    assert _texts(panel).count("Công an xã") == 1 and "CÔNG AN XÃ" not in _stored(panel)

    # renaming in place (as a double-click edit does)
    row = _texts(panel).index("Công an xã")
    with qtbot.waitSignal(panel.listed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        panel.list.item(row).setText("Công an xã Hoàng Văn Thụ")
    assert "Công an xã Hoàng Văn Thụ" in _stored(panel) and "Công an xã" not in _stored(panel)
    assert panel.list.currentItem().text() == "Công an xã Hoàng Văn Thụ"

    with qtbot.waitSignal(panel.listed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        panel.remove_button.click()
    assert "Công an xã Hoàng Văn Thụ" not in _texts(panel) + _stored(panel)
    assert "Đã xóa" in panel.message.text()
