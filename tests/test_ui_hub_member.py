"""A council member's window on the real PostgreSQL server (issue 18, point 3 in the window):
the secretariat's buttons (accept, return, publish, export, send, import) are disabled with
the reason, and the areas assigned to others are read-only, each saying whose it is. The
secretariat's window on the same database keeps everything."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import Ready, figures_shown, idle
from PySide6.QtCore import Qt

from db.location import server_path
from parapp.services.sync_keys import read_card
from tests.hub_support import as_login as _as
from tests.test_cli import run
from ui import screens
from ui.main_window import MainWindow
from ui.models.appraisal_columns import COL_APPRAISED, COL_COMMENT, COL_TITLE
from ui.screens.appraisal import AppraisalScreen
from ui.screens.sync import SyncScreen

pytestmark = pytest.mark.usefixtures("vietnamese")
UNIT, YEAR = "06172", 2025
WAIT_MS = 30_000
SHOTS = os.environ.get("PARAPP_TEST_SHOTS")  # a folder: the member's screens saved there


@pytest.fixture
def window_ready() -> Ready:
    def ready(window: MainWindow) -> bool:
        screen = window.screen(screens.APPRAISAL)
        return (figures_shown(window) and isinstance(screen, AppraisalScreen)
                and screen.hub is not None and idle(window))

    return ready


def _ok(db: str, data: Path, *args: str) -> str:
    code, out, err = run(db, *args, data_dir=data, timeout=120)  # type: ignore[arg-type]
    assert code == 0, (args, err)
    return out


def _council(demo_db: Path, url: str, data: Path) -> None:
    """The secretariat's office on the server with the commune's submission; the justice
    department appraises area 2, the finance department area 6; area 1 is nobody's."""
    demo = demo_db.parent.parent
    shutil.copytree(demo / "appraiser" / "keys", server_path(url, data).parent / "keys")
    _ok(url, data, "init", "--role", "appraiser", "--unit-code", "20", "--sample")
    _ok(url, data, "appraise", "add-units", "--province", "20")
    card = demo / "usb" / "the-dinh-danh-06172.cchc"
    _ok(url, data, "keys", "trust", str(card), "--fingerprint", read_card(card).fingerprint)
    _ok(url, data, "sync", "import", str(demo / "usb" / "nop-06172-2025.cchc"))
    for login, name, area in (("tv_tuphap", "Sở Tư pháp", "2"),
                              ("tv_taichinh", "Sở Tài chính", "6")):
        _ok(url, data, "hub", "member", "add", login, "--name", name)
        _ok(url, data, "hub", "assign", "--member", login, "--area", area)


def _open_unit(qtbot: object, window: MainWindow) -> AppraisalScreen:
    screen = window.screen(screens.APPRAISAL)
    assert isinstance(screen, AppraisalScreen)
    window.navigate(screens.APPRAISAL, unit=UNIT)
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.unit_page.opened is not None and idle(window), timeout=WAIT_MS)
    return screen


def _leaf_in(screen: AppraisalScreen, area: str) -> str:
    opened = screen.unit_page.opened
    assert opened is not None
    cset = opened.view.cset
    return next(n.code for n in cset.leaves_under(area) if n.score_kinds)


def test_a_member_sees_only_its_areas_open_and_no_secretariat_buttons(
    open_window: object, demo_db: Path, pg_url: str, tmp_path: Path, qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    _council(demo_db, pg_url, data)
    monkeypatch.setenv("PARAPP_DATA_DIR", str(data))

    member = open_window(server_path(_as(pg_url, "tv_tuphap"), data))  # type: ignore[operator]
    screen = _open_unit(qtbot, member)
    page, model = screen.unit_page, screen.unit_page.model
    assert not page.accept_button.isEnabled() and not page.return_button.isEnabled()
    assert "Tổ thư ký" in page.accept_button.toolTip()
    ranking = screen.ranking
    for button in (ranking.publish_button, ranking.export_button, ranking.send_button):
        assert not button.isEnabled() and "Tổ thư ký" in button.toolTip()

    own, others, nobodys = (_leaf_in(screen, a) for a in ("2", "6", "1"))
    assert model.is_editable(model.index_of(own, COL_APPRAISED))
    assert model.is_editable(model.index_of(own, COL_COMMENT))
    for code in (others, nobodys):
        assert not model.is_editable(model.index_of(code, COL_APPRAISED))
        assert not model.is_editable(model.index_of(code, COL_COMMENT))
    title = model.index_of("6", COL_TITLE).data(Qt.ItemDataRole.DisplayRole)
    assert title.endswith("(giao cho Sở Tài chính)"), title
    assert "(chưa giao cho ai)" in model.index_of("1", COL_TITLE).data()
    assert "(giao cho" not in model.index_of("2", COL_TITLE).data()
    tip = model.index_of(others, COL_APPRAISED).data(Qt.ItemDataRole.ToolTipRole)
    assert "giao cho Sở Tài chính" in tip, tip

    member.navigate(screens.SYNC)
    sync = member.screen(screens.SYNC)
    assert isinstance(sync, SyncScreen)
    qtbot.waitUntil(lambda: sync.context is not None and idle(member),  # type: ignore[attr-defined]
                    timeout=WAIT_MS)
    assert sync.context is not None and sync.context.council_member
    assert not sync.send.isEnabled() and not sync.receive.isEnabled()
    assert "Tổ thư ký" in sync.tabs.tabToolTip(sync.tabs.indexOf(sync.receive))
    assert sync.keys.isEnabled()
    member.navigate(screens.SETTINGS)  # the database named by its server, not a stand-in path
    shown = member.screen(screens.SETTINGS).db_path_label.text()  # type: ignore[attr-defined]
    assert shown == _as(pg_url, "tv_tuphap"), shown

    # The secretariat's window on the same server keeps every button and every area.
    secretariat = open_window(server_path(pg_url, data))  # type: ignore[operator]
    screen = _open_unit(qtbot, secretariat)
    assert screen.unit_page.accept_button.isEnabled()
    assert screen.unit_page.model.closed_areas == {}
    assert screen.unit_page.model.is_editable(
        screen.unit_page.model.index_of(others, COL_APPRAISED))
    assert screen.ranking.signer_button.isEnabled()
    assert "Tổ thư ký" not in screen.ranking.export_button.toolTip()  # disabled: no ranking yet
    if SHOTS:
        member.navigate(screens.APPRAISAL)
        qtbot.waitUntil(lambda: idle(member), timeout=WAIT_MS)  # type: ignore[attr-defined]
        member.grab().save(str(Path(SHOTS) / "member_unit.png"))
        member.navigate(screens.SYNC, tab=screens.TAB_RECEIVE)
        member.grab().save(str(Path(SHOTS) / "member_sync.png"))
