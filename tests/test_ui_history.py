"""The change history in the self-assessment detail pane, offscreen, on copies of the demo."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import Ready

from db.engine import open_database
from parapp.domain.numbers import format_vi
from parapp.domain.scoring import Declared, YesNoRule
from parapp.i18n import _
from parapp.services import assessments, setup
from parapp.services.history import HistoryEntry
from parapp.services.history_words import change_text, field_label
from ui import screens
from ui.main_window import MainWindow
from ui.models.columns import COL_DECLARED, COL_TITLE
from ui.screens.self_assessment import SelfAssessmentScreen
from ui.widgets.history_view import HistoryView

pytestmark = pytest.mark.usefixtures("vietnamese")

CLERK = "Hoàng Thị Mai"
CODE = "1.1.2"  # a ratio criterion at 100/100 in the 2026 draft
TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


@pytest.fixture
def window_ready() -> Ready:
    """``open_window`` waits until the assessment and the plan are read."""
    return lambda window: window.state.view is not None and window.state.plan is not None


def _edit_in_services(path: Path) -> tuple[Decimal, Decimal]:
    """The clerk's name in settings, then 1.1.2 changed from 100/100 to 1/2."""
    db = open_database(path)
    try:
        setup.set_setting(db, "clerk_name", CLERK)
        info = assessments.get_info(db)
        before = assessments.view(db).scores[CODE].self_score
        half = Declared(numerator=Decimal(1), denominator=Decimal(2))
        assessments.set_self_scores(db, info.id, [assessments.SelfEntry(CODE, declared=half)])
        after = assessments.view(db).scores[CODE].self_score
    finally:
        db.close()
    assert before is not None and after is not None and before != after
    return before, after


def _select(screen: SelfAssessmentScreen, code: str) -> None:
    index = screen.proxy.mapFromSource(screen.model.index_of(code, COL_TITLE))
    assert index.isValid()
    screen.table.setCurrentIndex(index)


def _rows_for(view: HistoryView, field: str) -> list[tuple[str, str, str, str]]:
    return [row for row in view.texts() if row[2] == field]


def test_selecting_a_node_shows_its_changes_in_the_detail_pane(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    before, after = _edit_in_services(draft_db)
    window = open_window(draft_db)
    window.navigate(screens.SELF_ASSESSMENT)
    screen = window.screen(screens.SELF_ASSESSMENT)
    assert isinstance(screen, SelfAssessmentScreen)
    detail = screen.detail
    _select(screen, CODE)
    qtbot.waitUntil(lambda: bool(_rows_for(detail.history, _("Self score"))), timeout=10_000)  # type: ignore[attr-defined]
    assert detail.history_heading.isVisible()
    assert detail.history_heading.text() == _("Change history")
    assert detail.history.isVisible()

    # Newest first: the clerk's edit, then the score the draft started from.
    (when, who, _field, change), first = _rows_for(detail.history, _("Self score"))
    assert TIME.match(when), when
    assert who == CLERK
    assert change == f"{format_vi(before)} → {format_vi(after)}"
    assert first[3] == f"— → {format_vi(before)}"
    declared = _rows_for(detail.history, _("Declared data"))[0][3]
    assert declared == "100/100 → 1/2"  # as the table's cell shows it

    # Another node: its own history (none: area 4 is not scored yet), not the neighbour's.
    assert screen.model.cset is not None
    unscored = next(
        n.code
        for n in screen.model.cset.leaves()
        if screen.model.cset.area_of(n.code).code == "4" and n.code not in screen.model.scores
    )
    _select(screen, unscored)
    nothing = [(_("No changes recorded yet."), "", "", "")]
    qtbot.waitUntil(lambda: detail.history.texts() == nothing, timeout=10_000)  # type: ignore[attr-defined]

    # An edit typed in the table appears at the top once it is saved.
    _select(screen, CODE)
    qtbot.waitUntil(lambda: bool(_rows_for(detail.history, _("Self score"))), timeout=10_000)  # type: ignore[attr-defined]
    screen.model.setData(screen.model.index_of(CODE, COL_DECLARED), "10/10")  # full marks again
    qtbot.waitUntil(lambda: screen.editor.pending == 0, timeout=15_000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(_rows_for(detail.history, _("Self score"))) == 3, timeout=10_000)  # type: ignore[attr-defined]
    newest = detail.history.texts()[:2]
    assert {row[2] for row in newest} == {_("Self score"), _("Declared data")}
    assert (CLERK, "1/2 → 10/10") in {(row[1], row[3]) for row in newest}
    assert (CLERK, f"{format_vi(after)} → {format_vi(before)}") in {(r[1], r[3]) for r in newest}


def test_values_are_shown_in_the_clerks_words(vietnamese: None) -> None:
    at = datetime(2026, 3, 5, 14, 30)
    score = HistoryEntry(at, CLERK, "node", CODE, "self_score", "2", "0.5")
    assert field_label(score) == _("Self score")
    assert change_text(score) == "2,00 → 0,50"
    cleared = HistoryEntry(at, CLERK, "node", CODE, "explanation", "Đã làm\nđủ", "")
    assert change_text(cleared) == "Đã làm đủ → —"
    link = HistoryEntry(at, "", "evidence_link", CODE, "evidence", "", "ab" * 32, subject="KH 5")
    assert (field_label(link), change_text(link)) == (_("Document linked"), "KH 5")
    unlink = HistoryEntry(at, "", "evidence_link", CODE, "evidence", "ab" * 32, "", subject="KH 5")
    assert field_label(unlink) == _("Document unlinked")
    value = '{"note": "Xong 4 thủ tục", "on": "2026-03-31", "percent": 40}'
    progress = HistoryEntry(at, CLERK, "plan_item", "u", "progress_update", "", value)
    assert change_text(progress) == "31/03/2026: 40% — Xong 4 thủ tục"
    declared = HistoryEntry(at, CLERK, "node", CODE, "declared_json", "{}", '{"answer": "yes"}')
    assert change_text(declared, YesNoRule()) == f"— → {_('Yes')}"
    text = '{"numerator": "7", "denominator": "10"}'
    ratio = HistoryEntry(at, CLERK, "node", CODE, "declared_json", "", text)
    assert change_text(ratio) == "— → 7/10"
