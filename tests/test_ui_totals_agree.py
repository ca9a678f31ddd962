"""The self-assessment screen says one total: its header and the area list's first row are
the figures every document prints, bonus included (they differed by the bonus)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from db.engine import open_database
from parapp.services import score_entry
from ui import screens
from ui.main_window import MainWindow
from ui.screens.self_assessment import SelfAssessmentScreen


def test_header_and_area_list_give_the_same_total(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    db = open_database(draft_db)
    try:
        score_entry.set_score(db, "C.1", "Có")  # a bonus point for the 2026 self-assessment
    finally:
        db.close()
    window = open_window(draft_db)
    window.navigate(screens.SELF_ASSESSMENT)
    screen = window.screen(screens.SELF_ASSESSMENT)
    assert isinstance(screen, SelfAssessmentScreen)
    qtbot.waitUntil(lambda: screen.areas.topLevelItemCount() > 0, timeout=15_000)  # type: ignore[attr-defined]
    first = screen.areas.topLevelItem(0)
    assert first is not None
    total = first.text(1)
    header = screen.summary.text()
    assert f": {total}" in header, (header, total)
    bonus = [screen.areas.topLevelItem(i) for i in range(screen.areas.topLevelItemCount())]
    assert any(item is not None and item.text(0).startswith("C.") and
               item.text(1).startswith("1,00") for item in bonus)
