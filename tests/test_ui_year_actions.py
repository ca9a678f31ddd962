"""The self-assessment's Excel and last-year actions in the real window over a real database
(the demo with a 2026 self-assessment half done: areas 1-3 carry 2025's answers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db.engine import open_database
from parapp.services import assessments
from tests.gui_support import idle
from ui import screens
from ui.main_window import MainWindow
from ui.screens.self_assessment import SelfAssessmentScreen

pytestmark = pytest.mark.usefixtures("vietnamese")


def _screen(window: MainWindow) -> SelfAssessmentScreen:
    window.navigate(screens.SELF_ASSESSMENT)
    screen = window.screen(screens.SELF_ASSESSMENT)
    assert isinstance(screen, SelfAssessmentScreen)
    return screen


def _stored(path: Path, year: int) -> dict[str, Any]:
    db = open_database(path)
    try:
        return assessments.view(db, year).scores
    finally:
        db.close()


def test_export_then_import_a_changed_sheet(
    qtbot: Any, open_window: Any, draft_db: Path, tmp_path: Path
) -> None:
    window = open_window(draft_db)
    actions = _screen(window).year_actions
    sheet = tmp_path / "tu-cham"
    actions.ask_save_path = lambda _parent, suggested: str(sheet)
    assert suggested_name(actions) == "tu-cham-2026.xlsx"
    actions.export_action.trigger()
    out = sheet.with_suffix(".xlsx")
    qtbot.waitUntil(lambda: out.exists() and idle(window), timeout=30_000)

    book = openpyxl.load_workbook(out)
    rows = list(book.worksheets[0].iter_rows(min_row=2))
    rows[0][5].value = "Giải trình sửa trong Excel"
    code = rows[0][0].value
    book.save(out)
    previews: list[Any] = []
    actions.ask_open_path = lambda _parent: str(out)
    actions.confirm_import = lambda preview, _name: previews.append(preview) or True
    actions.import_action.trigger()
    qtbot.waitUntil(
        lambda: window.state.view is not None
        and window.state.view.scores[code].explanation == "Giải trình sửa trong Excel",
        timeout=30_000,
    )
    assert [c.code for c in previews[0].changes] == [code]
    assert _stored(draft_db, 2026)[code].explanation == "Giải trình sửa trong Excel"


def test_a_refused_row_is_one_sentence_and_nothing_changes(
    qtbot: Any, open_window: Any, draft_db: Path, tmp_path: Path
) -> None:
    window = open_window(draft_db)
    actions = _screen(window).year_actions
    bad = tmp_path / "sai.csv"
    bad.write_text("Mã;Số liệu kê khai;Điểm tự chấm;Giải trình\n1.1.1;Có;;\n9.9.9;;1;\n",
                   encoding="utf-8")
    errors: list[BaseException] = []
    asked: list[Any] = []
    actions.show_error = errors.append
    actions.ask_open_path = lambda _parent: str(bad)
    actions.confirm_import = lambda preview, _name: asked.append(preview) or True
    before = _stored(draft_db, 2026)
    actions.import_action.trigger()
    qtbot.waitUntil(lambda: bool(errors), timeout=30_000)
    assert "3" in str(errors[0]) and "9.9.9" in str(errors[0])
    assert not asked and _stored(draft_db, 2026) == before


def test_copy_last_year_fills_what_is_empty(
    qtbot: Any, open_window: Any, draft_db: Path
) -> None:
    window = open_window(draft_db)
    actions = _screen(window).year_actions
    said: list[tuple[str, str]] = []
    actions.confirm_copy = lambda source, target: (source, target) == (2025, 2026)
    actions.inform = lambda text, detail: said.append((text, detail))
    filled = {c for c, s in _stored(draft_db, 2026).items() if s.self_score is not None}
    assert "4.1" not in {c.split(".")[0] + "." + c.split(".")[1] for c in filled}
    actions.copy_action.trigger()
    qtbot.waitUntil(lambda: bool(said) and idle(window), timeout=30_000)
    text, detail = said[0]
    assert "2025" in text and "2026" in text
    after = _stored(draft_db, 2026)
    last = _stored(draft_db, 2025)
    copied = [c for c in after if c not in filled and after[c].self_score is not None]
    assert copied and all(after[c].declared == last[c].declared for c in copied)
    assert all(after[c] == _stored(draft_db, 2026)[c] for c in filled)
    # the criteria typed already are one line: the reason, how many, their codes
    assert detail.startswith(f"năm mới đã có số liệu, giữ nguyên ({len(filled)}): 1.1.1, ")


def suggested_name(actions: Any) -> str:
    seen: list[str] = []
    keep = actions.ask_save_path
    actions.ask_save_path = lambda _parent, suggested: seen.append(suggested) or ""
    actions.export_action.trigger()
    actions.ask_save_path = keep
    return Path(seen[0]).name


def test_a_new_year_can_start_with_last_years_data(
    qtbot: Any, open_window: Any, published_db: Path
) -> None:
    from PySide6.QtCore import Qt

    from ui.widgets.period_dialog import NewPeriodDialog

    window = open_window(published_db)
    window.periods.new_period()
    qtbot.waitUntil(lambda: window.findChild(NewPeriodDialog) is not None, timeout=10_000)
    dialog = window.findChild(NewPeriodDialog)
    assert dialog.copy_last.isVisible() and dialog.copy_last.isChecked()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.state.view is not None and window.state.view.info.year == 2026,
        timeout=30_000,
    )
    after, last = _stored(published_db, 2026), _stored(published_db, 2025)
    assert after and all(after[c].declared == last[c].declared for c in after)


def test_a_document_attached_from_the_criterion_row_and_opened(
    qtbot: Any, open_window: Any, draft_db: Path, tmp_path: Path
) -> None:
    window = open_window(draft_db)
    screen = _screen(window)
    cset = screen.model.cset
    assert cset is not None
    code = next(n.code for n in cset.nodes if cset.is_leaf(n.code) and n.code.startswith("4."))
    screen.table.setCurrentIndex(screen.proxy.mapFromSource(screen.model.index_of(code)))
    pane = screen.detail.evidence_actions
    assert pane.code == code and pane.attach_button.isEnabled()
    doc = tmp_path / "bien-ban-kiem-tra.pdf"
    doc.write_bytes(b"%PDF-1.4 bien ban kiem tra")
    pane.choose_files = lambda _parent: [doc]
    pane.attach_button.click()
    qtbot.waitUntil(lambda: window.state.view.evidence_counts.get(code) == 1, timeout=30_000)
    qtbot.waitUntil(lambda: len(pane.documents) == 1, timeout=30_000)
    opened: list[Path] = []
    pane.opener = lambda path: opened.append(path) or True
    pane.open_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert opened[0].read_bytes() == doc.read_bytes() and opened[0].suffix == ".pdf"


def test_the_row_menu_offers_the_criterions_evidence(
    qtbot: Any, open_window: Any, draft_db: Path
) -> None:
    window = open_window(draft_db)
    screen = _screen(window)
    screen.table.setCurrentIndex(screen.proxy.mapFromSource(screen.model.index_of("1")))
    assert screen.detail.evidence_actions.row_menu(screen.table) is None  # an area
    screen.table.setCurrentIndex(screen.proxy.mapFromSource(screen.model.index_of("1.1.1")))
    menu = screen.detail.evidence_actions.row_menu(screen.table)
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["Đính kèm tài liệu…", "Mở tài liệu"]
