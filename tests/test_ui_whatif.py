"""The overview's what-if card (issue 14 part 4): the projected points and index if every
item of the plan is done, and the projected rank, or why there is none. On copies of the
demo: its 2026 plan wins back 9,12 points of 91,88/100, capped at 100."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from sync_support import copy_demo

from db.engine import open_database
from parapp.services import sync_export, sync_import
from tests.test_sync_ranking import _publish_others
from ui import screens
from ui.main_window import MainWindow
from ui.screens.overview import OverviewScreen

pytestmark = pytest.mark.usefixtures("vietnamese")


def _overview(window: MainWindow) -> OverviewScreen:
    screen = window.screen(screens.OVERVIEW)
    assert isinstance(screen, OverviewScreen)
    return screen


def _card_shown(window: MainWindow) -> bool:
    return _overview(window).whatif_card.isVisible()


def test_overview_projects_the_plan_and_says_why_no_rank(
    open_window: object, published_db: Path
) -> None:
    window = open_window(published_db, _card_shown)  # type: ignore[operator]
    card = _overview(window).whatif_card
    assert card.title.text() == "Nếu hoàn thành Kế hoạch năm 2026"
    assert card.value.text() == "100,00"
    assert card.note.text() == "dự kiến: 100,00/100 điểm (+8,12)"
    assert card.detail.text() == (
        "Chưa nhận được bảng xếp hạng do cơ quan thẩm định công bố nên chưa dự kiến được "
        "thứ hạng."
    )


def test_overview_projects_the_rank_against_the_received_ranking(
    open_window: object, demo_db: Path, tmp_path: Path
) -> None:
    root = copy_demo(demo_db, tmp_path / "demo")
    commune = open_database(root / "commune" / "parapp.sqlite3")
    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    try:
        _publish_others(appraiser)  # 06172 third of four in the 2025 ranking
        (root / "stick").mkdir()
        sent = sync_export.export(appraiser, "result", root / "stick", to="06172", year=2025)
        [(_d, _t, outcome)] = list(sync_import.import_packages(commune, [sent.info.path]))
        assert outcome.status == "applied"
    finally:
        commune.close()
        appraiser.close()
    window = open_window(root / "commune" / "parapp.sqlite3", _card_shown)  # type: ignore[operator]
    card = _overview(window).whatif_card
    assert card.value.text() == "100,00"
    # 100,00 passes Phường Chi Lăng's 91,20: first of the four.
    assert card.detail.text() == "Thứ hạng dự kiến 1/4 theo bảng xếp hạng năm 2025"
