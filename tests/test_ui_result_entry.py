"""The commune types its published result in the window (issue 13: most communes get their
result from the paper decision), offscreen, on copies of the demo office."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QMessageBox, QWidget

from db.engine import open_database
from parapp.i18n import _
from parapp.services import assessments, documents
from tests import test_ui_appraisal as appraisal_ui
from tests.test_ui_appraisal import answer_modal, hub_screen, idle
from ui import screens
from ui.main_window import MainWindow
from ui.widgets.result_entry import COL_POINTS, COL_RANK, ResultEntryPanel

pytestmark = pytest.mark.usefixtures("vietnamese")
window_ready = appraisal_ui.window_ready  # open_window waits as the appraisal tests' does


def typed_copy(published_db: Path) -> Path:
    """The demo's 2025 result as if typed from the paper (it came in the appraiser's
    package, which the commune cannot change)."""
    con = sqlite3.connect(published_db)
    with con:
        con.execute("UPDATE published_results SET source = 'typed'")
    con.close()
    return published_db


def panel_of(qtbot: object, window: MainWindow) -> ResultEntryPanel:
    window.navigate(screens.APPRAISAL)
    screen = hub_screen(window)
    panel = screen.result_entry
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: panel.form is not None and idle(window), timeout=30_000
    )
    assert screen.pages.currentWidget() is screen.commune_page and panel.isVisible()
    return panel


def row_of(panel: ResultEntryPanel, code: str) -> int:
    for row in range(panel.areas.rowCount()):
        if panel.areas.item(row, 0).text().startswith(f"{code}. "):
            return row
    raise AssertionError(code)


def stored(path: Path) -> tuple[object, ...]:
    db = open_database(path)
    try:
        r = assessments.view(db, 2025).result
        assert r is not None
        return (r.index, r.points, r.rank, r.rank_of, r.band, r.decision_number, r.areas)
    finally:
        db.close()


def test_the_decision_typed_in_the_form_is_what_the_plan_prints(
    qtbot: object, published_db: Path, open_window: Callable[[Path], MainWindow]
) -> None:
    window = open_window(typed_copy(published_db))
    panel = panel_of(qtbot, window)
    assert panel.save_button.isEnabled()
    assert panel.fields["index"].text() == "91,88"  # the stored decision, as typed back
    panel.fields["index"].setText("86,5")
    panel.fields["points"].setText("")
    panel.fields["rank"].setText("4")
    panel.fields["rank_of"].setText("20")
    panel.band.setCurrentIndex(0)  # from the set's bands
    for row in range(panel.areas.rowCount()):  # the decision gives only area 1
        panel.areas.item(row, COL_POINTS).setText("")
        panel.areas.item(row, COL_RANK).setText("")
    panel.areas.item(row_of(panel, "1"), COL_POINTS).setText("13,25")
    panel.save_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: idle(window) and window.state.view.result.index == Decimal("86.5"),
        timeout=30_000,
    )
    index, points, rank, rank_of, band, number, areas = stored(published_db)
    assert (index, points, rank, rank_of, band) == (Decimal("86.5"), None, 4, 20, "Khá")
    assert number == "215/QĐ-SNV"  # kept as it was
    assert [(a.code, a.points) for a in areas] == [("1", Decimal("13.25"))]  # type: ignore[attr-defined]
    db = open_database(published_db)
    try:
        doc = documents.remediation_plan(db)
    finally:
        db.close()
    basis = " ".join(r.text for r in doc.body[0].runs)  # type: ignore[union-attr]
    assert "đạt Chỉ số cải cách hành chính 86,50%, xếp thứ 4/20" in basis
    # The areas the decision does not give are labelled: the window says so too.
    assert "lĩnh vực 2, 3, 4, 5, 6, 7, 8" in panel.warnings.text()
    overview = window.screen(screens.OVERVIEW)
    assert overview is not None and overview.index_card.value.text() == "86,50"  # type: ignore[attr-defined]


def test_a_wrong_figure_is_refused_with_one_sentence_and_nothing_changes(
    qtbot: object, published_db: Path, open_window: Callable[[Path], MainWindow]
) -> None:
    window = open_window(typed_copy(published_db))
    panel = panel_of(qtbot, window)
    before = stored(published_db)
    seen: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    def refused() -> str:
        """Save, and the one sentence the message box said."""
        count = len(seen)
        answer_modal(read)
        panel.save_button.click()
        qtbot.waitUntil(lambda: len(seen) > count and idle(window), timeout=30_000)  # type: ignore[attr-defined]
        return seen[-1]

    for field, value, words in (
        ("index", "", "Chỉ số"),
        ("index", "120", "cao nhất bộ tiêu chí này cho phép"),
        ("decision_date", "31/02/2026", "ngày/tháng/năm"),
        ("rank", "bốn", "không phải là số nguyên"),
    ):
        old = panel.fields[field].text()
        panel.fields[field].setText(value)
        assert words in refused()
        panel.fields[field].setText(old)
    panel.areas.item(row_of(panel, "1"), COL_POINTS).setText("15")
    assert "14" in refused()
    assert stored(published_db) == before


def test_a_result_from_the_appraisers_package_is_shown_not_typed_over(
    qtbot: object, published_db: Path, open_window: Callable[[Path], MainWindow]
) -> None:
    window = open_window(published_db)
    panel = panel_of(qtbot, window)
    assert panel.fields["index"].text() == "91,88" and panel.fields["index"].isReadOnly()
    assert not panel.save_button.isEnabled() and not panel.import_button.isEnabled()
    assert (
        _("only a newer package") in panel.warnings.text() or "gói mới hơn" in panel.warnings.text()
    )
