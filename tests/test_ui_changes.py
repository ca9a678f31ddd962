"""After a write the window reads again only what the write changed (parapp.services.changes)
and refreshes only the screens that show it (offscreen, copies of the demo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from parapp.services import changes
from tests.test_ui_plan import _idle, _screen
from ui import screens
from ui.main_window import MainWindow
from ui.screens.self_assessment import SelfAssessmentScreen


def test_a_plan_item_change_reads_the_plan_again_and_leaves_the_assessment(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path
) -> None:
    window = open_window(published_db)
    state = window.state
    qtbot.waitUntil(lambda: state.plan is not None, timeout=15_000)  # type: ignore[attr-defined]
    scores = window.screen(screens.SELF_ASSESSMENT)
    assert isinstance(scores, SelfAssessmentScreen)
    screen = _screen(qtbot, window)
    view, plan = state.view, state.plan
    assert plan is not None
    told: list[changes.Changed] = []
    state.updated.connect(told.append)
    resets: list[bool] = []
    scores.model.modelReset.connect(lambda: resets.append(True))

    screen.table.select_rows([0], 0)
    screen._current_changed()
    screen.item_bar.duplicate_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=15_000)  # type: ignore[attr-defined]
    _idle(qtbot, screen)

    assert told == [changes.PLAN_ITEMS]
    assert state.view is view  # the assessment's view was not read again
    assert state.plan is not None and len(state.plan.items) == len(plan.items) + 1
    assert not resets  # nor was the self-assessment's table rebuilt
    assert screen.model.rowCount() == len(plan.items) + 1

