"""The appraiser's hub through its widgets, offscreen, on a copy of the demo's appraiser.

The demo's appraiser database (Sở Nội vụ tỉnh Lạng Sơn) holds one commune with a published
2025 result; each test adds Lạng Sơn's units and three communes' submitted 2026
self-assessments with the services (A: every main criterion at its max; B and C lose some),
then opens the real window on it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import shiboken6
from gui_support import Ready, figures_shown, idle
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QListWidgetItem, QMessageBox, QWidget

from db.engine import open_database
from parapp.domain.assessment import AssessmentStatus, NodeScore
from parapp.domain.criteria import Part, ScoreKind
from parapp.domain.errors import ScoreError
from parapp.domain.units import UnitKind
from parapp.i18n import _, message
from parapp.services import assessments, changes, criteria
from parapp.services.appraisal import (
    UnitStatus,
    add_units_from_catalog,
    unit_return_reason,
    unit_statuses,
)
from parapp.services.assessments import SelfEntry
from parapp.services.common import ServiceError
from tests.state_support import arrive_submitted
from tests.sync_support import copy_demo
from ui import screens
from ui.main_window import ICON_ROLE, KEY_ROLE, MainWindow
from ui.models.appraisal_columns import COL_APPRAISED, COL_COMMENT
from ui.models.appraisal_nodes import AppraisalNodesModel
from ui.models.columns import ERROR_ROLE
from ui.models.ranking import COL_RANK, COL_UNIT
from ui.models.unit_statuses import (
    COL_STATUS,
    StatusFilter,
    UnitStatusFilter,
    UnitStatusModel,
    status_text,
)
from ui.screens.appraisal import FOR_THE_APPRAISER, AppraisalScreen
from ui.state import AppState
from ui.widgets.appraisal_dialogs import PublishDialog, ReturnDialog

YEAR = 2026
pytestmark = pytest.mark.usefixtures("vietnamese")


# -- data ------------------------------------------------------------------------------
def submit_three(db_path: Path) -> list[str]:
    """Lạng Sơn's units and three communes' submitted 2026 self-assessments."""
    db = open_database(db_path)
    try:
        add_units_from_catalog(db, "20")
        communes = [
            u.unit_code
            for u in unit_statuses(db, YEAR)
            if u.kind is UnitKind.COMMUNE and u.unit_code != "06172"
        ][:3]
        cset = criteria.get_set(db)
        leaves = [n for n in cset.leaves() if ScoreKind.SELF in n.score_kinds]
        for i, code in enumerate(communes):
            entries = [
                SelfEntry(
                    code=n.code,
                    typed=n.max_points
                    if n.part is Part.MAIN and not (i and k % (5 - i) == 0)
                    else Decimal(0),
                )
                for k, n in enumerate(leaves)
            ]
            info = assessments.new_assessment(db, YEAR, unit_code=code)
            assessments.set_self_scores(db, info.id, entries)
            arrive_submitted(db, info.id)  # as its package leaves it
        return communes
    finally:
        db.close()


@pytest.fixture
def hub(demo_db: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    root = copy_demo(demo_db, tmp_path / "demo")
    path = root / "appraiser" / "parapp.sqlite3"
    return path, submit_three(path)


def stored(path: Path, unit: str, code: str) -> NodeScore | None:
    db = open_database(path)
    try:
        return assessments.view(db, YEAR, unit).scores.get(code)
    finally:
        db.close()


def statuses(path: Path) -> dict[str, UnitStatus]:
    db = open_database(path)
    try:
        return {u.unit_code: u for u in unit_statuses(db, YEAR)}
    finally:
        db.close()


def node_scores(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return list(con.execute("SELECT * FROM node_scores ORDER BY id"))
    finally:
        con.close()


# -- the window ------------------------------------------------------------------------
@pytest.fixture
def window_ready() -> Ready:
    """``open_window`` waits until the figures are shown, the hub read and no job left."""
    return lambda window: figures_shown(window) and _hub_read(window) and idle(window)


def _hub_read(window: MainWindow) -> bool:
    screen = window.screen(screens.APPRAISAL)
    assert isinstance(screen, AppraisalScreen)
    return screen.hub is not None


def hub_screen(window: MainWindow) -> AppraisalScreen:
    screen = window.screen(screens.APPRAISAL)
    assert isinstance(screen, AppraisalScreen)
    return screen


def open_unit(qtbot: object, window: MainWindow, code: str) -> AppraisalScreen:
    """Open the unit from the table as a clerk does: select its row, press Enter."""
    screen = hub_screen(window)
    screen.units.select(code)
    assert screen.units.current_code() == code
    QTest.keyClick(screen.units.table, Qt.Key.Key_Return)
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.unit_page.opened is not None
        and screen.unit_page.opened.view.info.unit_code == code
        and idle(window),
        timeout=15_000,
    )
    assert screen.pages.currentWidget() is screen.unit_page
    return screen


def type_in_cell(qtbot: object, screen: AppraisalScreen, code: str, col: int, text: str) -> None:
    """Open the cell's editor, type, press Enter (the way the appraiser works)."""
    table = screen.unit_page.table
    index = screen.unit_page.model.index_of(code, col)
    table.setCurrentIndex(index)
    table.edit(index)
    qtbot.waitUntil(lambda: editor(table) is not None, timeout=5_000)  # type: ignore[attr-defined]
    line = editor(table)
    assert line is not None
    line.setText(text)
    QTest.keyClick(line, Qt.Key.Key_Return)
    # The delegate commits and closes its editor from the event loop, not at once.
    qtbot.waitUntil(lambda: editor(table) is None, timeout=5_000)  # type: ignore[attr-defined]


def editor(table: QWidget) -> QLineEdit | None:
    for widget in table.viewport().findChildren(QLineEdit):  # type: ignore[attr-defined]
        if widget.isVisible():
            return widget
    return None


def answer_modal(action: Callable[[QWidget], None]) -> None:
    """Run ``action`` on the next modal dialog as soon as it shows (dialogs block exec())."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(20, poll)
            return
        action(widget)

    QTimer.singleShot(0, poll)


def click_button(box: QWidget, text: str) -> None:
    assert isinstance(box, QMessageBox), box
    for button in box.buttons():
        if button.text() == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


def first_full_leaf(screen: AppraisalScreen) -> str:
    model = screen.unit_page.model
    assert model.cset is not None
    for node in model.cset.leaves():
        score = model.scores.get(node.code)
        full = score is not None and score.self_score == node.max_points
        if ScoreKind.SELF in node.score_kinds and full and node.max_points > 0:
            return node.code
    raise AssertionError("no leaf at full marks")


def nav_entry(window: MainWindow, key: str) -> QListWidgetItem:
    return next(
        window.nav.item(r) for r in range(window.nav.count())
        if window.nav.item(r).data(KEY_ROLE) == key
    )


# -- tests -----------------------------------------------------------------------------
def test_appraiser_window_opens_on_the_hub(
    qtbot: object, hub: tuple[Path, list[str]], open_window: Callable[[Path], MainWindow]
) -> None:
    path, _communes = hub
    window = open_window(path)
    screen = hub_screen(window)
    assert window.stack.currentWidget() is screen  # not the "no assessment" page
    assert window.current_key == screens.APPRAISAL
    assert screen.pages.currentWidget() is screen.tabs
    model = screen.units.model
    assert model.rowCount() > 50  # Lạng Sơn's communes and wards
    # The units that sent something come first; the rest say "chưa nộp".
    proxy = screen.units.proxy
    first = {proxy.index(r, COL_STATUS).data() for r in range(3)}
    assert first == {status_text(AssessmentStatus.SUBMITTED)}
    assert proxy.index(5, COL_STATUS).data() == status_text(None)
    # The header: the appraiser's name and the year it appraises.
    assert window.unit_label.text() == "Sở Nội vụ tỉnh Lạng Sơn"
    assert window.status_label.text() == _("Appraisal of {year}").format(year=YEAR)
    # The commune's entries are hidden and their screens never built.
    shown = {
        window.nav.item(r).data(257) for r in range(window.nav.count())
        if not window.nav.item(r).isHidden()
    }
    assert shown == {screens.SYNC, screens.APPRAISAL, screens.SETTINGS}
    # The entry is the appraiser's hub here (a commune's office calls it its result).
    entry = nav_entry(window, screens.APPRAISAL)
    assert entry.text() == "Thẩm định / Tổng hợp"
    assert entry.toolTip().startswith("Dành cho cơ quan thẩm định")
    assert entry.data(ICON_ROLE) == "appraisal" and not entry.icon().isNull()
    assert screen.title.text() == "Thẩm định / Tổng hợp"
    qtbot.waitUntil(lambda: screens.SETTINGS in window._screens, timeout=10_000)  # type: ignore[attr-defined]
    assert window.screen(screens.OVERVIEW) is None
    assert screens.SELF_ASSESSMENT not in window._screens
    # Filtering by status.
    screen.units.set_filter(StatusFilter.SUBMITTED)
    assert proxy.rowCount() == 3
    screen.units.set_filter(StatusFilter.ALL)


def test_appraised_score_is_saved_and_changes_the_total(
    qtbot: object, hub: tuple[Path, list[str]], open_window: Callable[[Path], MainWindow]
) -> None:
    path, (a, _b, _c) = hub
    window = open_window(path)
    screen = open_unit(qtbot, window, a)
    page = screen.unit_page
    code = first_full_leaf(screen)
    before_total = page.totals.text()
    before_index = page.model.appraised_index
    type_in_cell(qtbot, screen, code, COL_APPRAISED, "0")
    qtbot.waitUntil(lambda: page.pending == 0 and idle(window), timeout=15_000)  # type: ignore[attr-defined]
    saved = stored(path, a, code)
    assert saved is not None and saved.appraised_score == Decimal(0)
    assert page.model.appraised_index is not None and before_index is not None
    assert page.model.appraised_index < before_index
    assert page.totals.text() != before_total
    # Enter went down the appraised column, to the next criterion's cell.
    current = page.table.currentIndex()
    assert current.column() == COL_APPRAISED and current.data(Qt.ItemDataRole.UserRole + 1) != code
    # A comment, typed in its column, is saved too (with the score kept).
    type_in_cell(qtbot, screen, code, COL_COMMENT, "Thiếu biên bản")
    qtbot.waitUntil(lambda: page.pending == 0 and idle(window), timeout=15_000)  # type: ignore[attr-defined]
    saved = stored(path, a, code)
    assert saved is not None
    assert (saved.appraisal_comment, saved.appraised_score) == ("Thiếu biên bản", Decimal(0))


def test_out_of_range_score_shows_the_reason_and_saves_nothing(
    qtbot: object, hub: tuple[Path, list[str]], open_window: Callable[[Path], MainWindow]
) -> None:
    path, (a, _b, _c) = hub
    window = open_window(path)
    screen = open_unit(qtbot, window, a)
    page = screen.unit_page
    code = first_full_leaf(screen)
    node = page.model.cset.node(code)  # type: ignore[union-attr]
    before = node_scores(path)
    messages: list[str] = []
    screen.status_message.connect(messages.append)
    type_in_cell(qtbot, screen, code, COL_APPRAISED, "99")
    qtbot.waitUntil(lambda: idle(window), timeout=5_000)  # type: ignore[attr-defined]
    # The sentence the service gives for this value (appraise_node's ServiceError).
    expected = message(
        ServiceError(
            "Criterion {code}: {reason}",
            code=code,
            reason=ScoreError(
                "The score {score} is outside 0 to {max}.",
                score=Decimal(99),
                max=node.max_points,
            ),
        )
    )
    index = page.model.index_of(code, COL_APPRAISED)
    assert index.data(ERROR_ROLE) == expected
    assert index.data(Qt.ItemDataRole.ToolTipRole) == expected
    assert messages and messages[-1] == expected
    assert page.table.currentIndex() == index  # stays to be corrected
    assert node_scores(path) == before
    # The cell keeps what was typed, red, until it is typed again.
    assert index.data() == "99" and index.data(Qt.ItemDataRole.EditRole) == "99"


def test_a_score_a_colleague_changed_since_is_refused_and_the_typed_value_kept(
    qtbot: object, hub: tuple[Path, list[str]], open_window: Callable[[Path], MainWindow]
) -> None:
    """Issue 18, point 4: two saves of the same score never overwrite each other
    silently; the later is refused with who and when, the typed value kept to re-apply."""
    from parapp.services.appraisal import appraise_node
    from parapp.services.setup import set_setting

    path, (a, _b, _c) = hub
    window = open_window(path)
    screen = open_unit(qtbot, window, a)
    page = screen.unit_page
    code = first_full_leaf(screen)
    # Meanwhile a colleague (another PC, here the same file) scores it and comments.
    other = open_database(path)
    try:
        set_setting(other, "clerk_name", "Sở Tư pháp")
        appraise_node(other, a, YEAR, code, Decimal(0), "Thiếu biên bản")
        set_setting(other, "clerk_name", "")
    finally:
        other.close()
    before = node_scores(path)
    messages: list[str] = []
    screen.status_message.connect(messages.append)
    type_in_cell(qtbot, screen, code, COL_APPRAISED, "0,5")
    qtbot.waitUntil(lambda: page.pending == 0 and idle(window), timeout=15_000)  # type: ignore[attr-defined]
    assert node_scores(path) == before  # the colleague's value stays
    index = page.model.index_of(code, COL_APPRAISED)
    said = index.data(ERROR_ROLE)
    assert said.startswith(f"Điểm tiêu chí {code} của "), said
    assert " vừa được Sở Tư pháp sửa lúc " in said, said
    assert said.endswith("điểm bạn nhập (0,50) chưa được ghi — xem lại rồi nhập lại."), said
    assert messages and messages[-1] == said
    assert index.data() == "0,5"  # what was typed, to re-apply
    # The comment the colleague wrote is shown; the score saved is what it saved.
    assert page.model.index_of(code, COL_COMMENT).data() == "Thiếu biên bản"
    assert page.model.scores[code].appraised_score == Decimal(0)
    # Typed again on what is now seen: saved, and the colleague's comment kept.
    type_in_cell(qtbot, screen, code, COL_APPRAISED, "0,5")
    qtbot.waitUntil(lambda: page.pending == 0 and idle(window), timeout=15_000)  # type: ignore[attr-defined]
    saved = stored(path, a, code)
    assert saved is not None
    assert (saved.appraised_score, saved.appraisal_comment) == (Decimal("0.5"), "Thiếu biên bản")
    assert index.data(ERROR_ROLE) is None and index.data() == "0,50"


def test_accept_self_scores_after_confirming(
    qtbot: object, hub: tuple[Path, list[str]], open_window: Callable[[Path], MainWindow]
) -> None:
    path, (a, _b, _c) = hub
    window = open_window(path)
    screen = open_unit(qtbot, window, a)
    page = screen.unit_page
    # "Hủy" first: nothing happens.
    answer_modal(lambda box: click_button(box, _("Cancel")))
    page.accept_button.click()
    qtbot.waitUntil(lambda: idle(window), timeout=5_000)  # type: ignore[attr-defined]
    assert statuses(path)[a].status is AssessmentStatus.SUBMITTED
    answer_modal(lambda box: click_button(box, _("Accept the self-scores")))
    page.accept_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: page.opened is not None
        and page.opened.view.info.status is AssessmentStatus.APPRAISED
        and idle(window),
        timeout=15_000,
    )
    after = statuses(path)[a]
    assert after.status is AssessmentStatus.APPRAISED and after.to_appraise == 0
    code = first_full_leaf(screen)
    saved = stored(path, a, code)
    assert saved is not None and saved.appraised_score == saved.self_score
    # The units table follows.
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.units.unit(a) is not None
        and screen.units.unit(a).status is AssessmentStatus.APPRAISED,  # type: ignore[union-attr]
        timeout=10_000,
    )


def test_return_needs_a_reason(
    qtbot: object, hub: tuple[Path, list[str]], open_window: Callable[[Path], MainWindow]
) -> None:
    path, (_a, b, _c) = hub
    window = open_window(path)
    screen = open_unit(qtbot, window, b)
    page = screen.unit_page
    reason = "Tiêu chí 2.1 thiếu biên bản ký; bổ sung rồi gửi lại."
    seen: dict[str, bool] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ReturnDialog)
        seen["empty_refused"] = not dialog.accept_button.isEnabled()
        dialog.reason.setPlainText(reason)
        seen["enabled"] = dialog.accept_button.isEnabled()
        dialog.accept_button.click()

    answer_modal(fill)
    page.return_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: page.opened is not None
        and page.opened.view.info.status is AssessmentStatus.RETURNED
        and idle(window),
        timeout=15_000,
    )
    assert seen == {"empty_refused": True, "enabled": True}
    db = open_database(path)
    try:
        assert unit_return_reason(db, b, YEAR) == reason
        assert statuses(path)[b].return_reason == reason
        info = assessments.get_info(db, YEAR, b)
        assert info.status is AssessmentStatus.RETURNED
    finally:
        db.close()
    assert reason in page.banner.text()
    assert not page.accept_button.isEnabled()
    assert not page.model.editable


def publish_ready(path: Path, codes: list[str]) -> None:
    """Accept the self-scores of ``codes`` and enter their survey results (the appraisal
    itself is tested above)."""
    from parapp.services.appraisal import accept_self_scores, appraise_node
    from tests.test_appraisal import SURVEY

    db = open_database(path)
    try:
        for code in codes:
            accept_self_scores(db, code, YEAR)
            for node, value in SURVEY.items():
                appraise_node(db, code, YEAR, node, Decimal(value), "Điều tra XHH")
    finally:
        db.close()


def test_publish_export_and_send(
    qtbot: object,
    hub: tuple[Path, list[str]],
    open_window: Callable[[Path], MainWindow],
    tmp_path: Path,
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path, (a, b, c) = hub
    publish_ready(path, [a, b])  # C stays submitted: left out, and said so
    window = open_window(path)
    screen = hub_screen(window)
    ranking = screen.ranking
    screen.tabs.setCurrentWidget(ranking)
    qtbot.waitUntil(lambda: ranking.inputs is not None and idle(window), timeout=15_000)  # type: ignore[attr-defined]
    assert ranking.model.index(0, COL_RANK).data() == _("{rank} of {of}").format(rank=1, of=2)
    assert ranking.publish_button.isEnabled()
    seen: dict[str, str] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, PublishDialog)
        seen["skipped"] = dialog.skipped_label.text()
        dialog.accept_button.click()  # no number yet: refused inside the dialog
        seen["refused"] = dialog.error.text()
        dialog.number.setText("70/QĐ-UBND")
        dialog.decided_on.setText("27/01/2027")
        dialog.accept_button.click()
        answer_modal(lambda box: seen.setdefault("done", box.text()) and box.close())  # type: ignore[attr-defined]

    answer_modal(fill)
    ranking.publish_button.click()
    qtbot.waitUntil(lambda: "done" in seen and idle(window), timeout=15_000)  # type: ignore[attr-defined]
    c_name = statuses(path)[c].unit_name
    assert c_name in seen["skipped"]
    assert seen["refused"]
    assert seen["done"] == _("Published the results of {n} units.").format(n=2)
    after = statuses(path)
    assert after[a].status is AssessmentStatus.PUBLISHED and after[a].rank == 1
    assert after[b].status is AssessmentStatus.PUBLISHED and after[b].rank == 2
    assert after[c].status is AssessmentStatus.SUBMITTED
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: ranking.inputs is not None
        and ranking.inputs.decision_number == "70/QĐ-UBND"
        and idle(window),
        timeout=15_000,
    )
    rows = [
        (ranking.model.index(r, COL_RANK).data(), ranking.model.index(r, COL_UNIT).data())
        for r in range(ranking.model.rowCount())
    ]
    assert rows == [
        (_("{rank} of {of}").format(rank=1, of=2), after[a].unit_name),
        (_("{rank} of {of}").format(rank=2, of=2), after[b].unit_name),
    ]
    assert [bar.rank for bar in ranking.chart.bars] == [1, 2]

    # Export the ranking as XLSX through the (injected) save dialog, and read it back.
    out = tmp_path / "out" / "xep-hang"
    asked: list[str] = []

    def save_path(_parent: QWidget, caption: str, suggested: str, filters: str) -> str:
        asked.append(filters)
        return str(out)  # no ending typed: an Excel table

    ranking.ask_save_path = save_path
    ranking.export_button.click()
    qtbot.waitUntil(lambda: ranking.last_export is not None and idle(window), timeout=30_000)  # type: ignore[attr-defined]
    xlsx = out.with_name("xep-hang.xlsx")
    assert ranking.last_export == xlsx and xlsx.exists()
    assert ".pdf" in asked[0] and ".docx" in asked[0]
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert after[a].unit_name in cells and after[b].unit_name in cells
    assert any("70/QĐ-UBND" in v for v in cells)

    # Send every unit its result package: the 2026 communes' keys are not trusted here
    # (no unit card received), so each is listed with the reason, and nothing is written.
    folder = tmp_path / "usb"
    folder.mkdir()  # a folder picked in the dialog exists
    ranking.ask_folder = lambda _parent, _caption: str(folder)
    boxes: list[tuple[str, str]] = []

    def read_box(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        boxes.append((box.text(), box.informativeText()))
        box.close()

    answer_modal(read_box)
    ranking.send_button.click()
    qtbot.waitUntil(lambda: bool(boxes) and idle(window), timeout=30_000)  # type: ignore[attr-defined]
    text, detail = boxes[-1]
    assert text == _("{n} result packages were written to {folder}.").format(n=0, folder=folder)
    assert after[a].unit_name in detail and after[b].unit_name in detail
    assert not folder.exists() or not any(folder.iterdir())

    # 2025 (the year chosen in the selector): the demo's commune, whose key is trusted.
    screen.year_box.setCurrentIndex(screen.year_box.findData(2025))
    screen.year_box.activated.emit(screen.year_box.currentIndex())
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.hub is not None and screen.hub.year == 2025 and idle(window),
        timeout=15_000,
    )
    assert window.status_label.text() == _("Appraisal of {year}").format(year=2025)
    answer_modal(read_box)
    ranking.send_button.click()
    qtbot.waitUntil(lambda: len(boxes) == 2 and idle(window), timeout=30_000)  # type: ignore[attr-defined]
    packages = sorted(folder.iterdir())
    assert len(packages) == len(ranking.last_sent) == 1
    assert "06172" in packages[0].name
    assert boxes[-1][0] == _("{n} result packages were written to {folder}.").format(
        n=1, folder=folder
    )


def test_commune_role_shows_what_the_screen_is_for(
    qtbot: object, published_db: Path, open_window: Callable[[Path], MainWindow]
) -> None:
    window = open_window(published_db)
    assert window.state.role == "commune"
    window.navigate(screens.APPRAISAL)
    screen = hub_screen(window)
    assert screen.pages.currentWidget() is screen.commune_page
    assert screen.commune_page.isVisible()
    assert screen.commune_text.text() == _(FOR_THE_APPRAISER)
    assert not screen.year_box.isVisible()
    # Its navigation entry, heading and icon say what a commune does there.
    entry = nav_entry(window, screens.APPRAISAL)
    assert entry.text() == "Kết quả công bố"
    assert entry.toolTip().startswith("Nhập số liệu của quyết định công bố kết quả")
    assert entry.data(ICON_ROLE) == "result" and not entry.icon().isNull()
    assert screen.title.text() == "Kết quả công bố năm 2025"
    assert screen.result_entry.isVisible() and not screen.result_entry.title.isVisible()
    # The commune keeps its own screens.
    assert window.screen(screens.OVERVIEW) is not None


def test_built_screens_survive_an_appraiser_state(
    qtbot: object, hub: tuple[Path, list[str]]
) -> None:
    """Every built screen refreshes without a view (an appraiser has none)."""
    import importlib

    path, _communes = hub
    state = AppState(None, path)
    loaded: list[bool] = []
    state.loaded.connect(lambda: loaded.append(True))
    state.open()
    qtbot.waitUntil(lambda: bool(loaded), timeout=30_000)  # type: ignore[attr-defined]
    assert state.view is None and state.is_appraiser
    built: list[QWidget] = []
    try:
        for info in screens.SCREENS:
            if not info.built:
                continue
            widget = getattr(importlib.import_module(info.module), info.class_name)(state)
            built.append(widget)
            widget.refresh()
            state.updated.emit(changes.EVERYTHING)
            qtbot.waitUntil(lambda: state.tasks.pending == 0, timeout=15_000)  # type: ignore[attr-defined]
    finally:
        state.tasks.shutdown()
        for widget in built:
            shiboken6.delete(widget)


# -- models without widgets ------------------------------------------------------------
def test_unit_status_model_filters_and_words(vietnamese: None) -> None:
    units = [
        UnitStatus("1", "Xã Bắc Sơn", UnitKind.COMMUNE, None),
        UnitStatus("2", "Xã Ba Sơn", UnitKind.COMMUNE, AssessmentStatus.SUBMITTED, to_appraise=3),
        UnitStatus("3", "Phường X", UnitKind.WARD, AssessmentStatus.RETURNED, return_reason="R"),
        UnitStatus(
            "4", "Xã Y", UnitKind.COMMUNE, AssessmentStatus.PUBLISHED,
            published_index=Decimal("84.955"), rank=1, rank_of=3,
        ),
    ]
    model = UnitStatusModel()
    model.set_units(units)
    proxy = UnitStatusFilter()
    proxy.setSourceModel(model)
    assert model.index(0, COL_STATUS).data() == _("not submitted")
    assert model.index(1, COL_STATUS).data() == status_text(AssessmentStatus.SUBMITTED)
    assert model.index(3, 5).data() == "84,96"
    assert _("Returned because: {reason}").format(reason="R") == model.index(2, COL_STATUS).data(
        Qt.ItemDataRole.ToolTipRole
    )
    for wanted, codes in (
        (StatusFilter.NOT_SUBMITTED, ["1"]),
        (StatusFilter.TO_APPRAISE, ["2"]),
        (StatusFilter.RETURNED, ["3"]),
        (StatusFilter.PUBLISHED, ["4"]),
        (StatusFilter.ALL, ["1", "2", "3", "4"]),
    ):
        proxy.set_status(wanted)
        rows = range(proxy.rowCount())
        assert [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in rows] == codes


def test_appraisal_model_checks_and_totals(vietnamese: None) -> None:
    cset = criteria.sample_set()
    leaves = [n for n in cset.leaves() if ScoreKind.SELF in n.score_kinds]
    scores = {
        n.code: NodeScore(
            code=n.code, self_score=n.max_points if n.part is Part.MAIN else Decimal(0)
        )
        for n in leaves
    }
    model = AppraisalNodesModel()
    model.set_data(cset, scores, {}, editable=True)
    committed: list[tuple[str, int, NodeScore, NodeScore]] = []
    model.committer = lambda *args: committed.append(args)
    leaf = next(n for n in leaves if n.max_points >= 1 and n.part is Part.MAIN)
    cell = model.index_of(leaf.code, COL_APPRAISED)
    assert model.setData(cell, "0,5")
    assert committed[-1][3].appraised_score == Decimal("0.5")
    assert not model.setData(cell, "abc")
    assert cell.data(ERROR_ROLE)
    assert not model.setData(cell, "-1")
    # Without a committer the model shows the value and the totals at once.
    model.committer = None
    before = model.appraised_index
    assert model.setData(cell, "0")
    assert model.appraised_index is not None and before is not None
    assert model.appraised_index < before
    assert model.self_index == Decimal(100)
    # Areas and survey criteria are not typed in; a read-only model takes nothing.
    area = model.index_of(cset.roots(Part.MAIN)[0].code, COL_APPRAISED)
    assert not model.setData(area, "1")
    survey = next(n for n in cset.leaves() if ScoreKind.SELF not in n.score_kinds)
    assert not model.flags(model.index_of(survey.code, COL_APPRAISED)) & Qt.ItemFlag.ItemIsEditable
    model.editable = False
    assert not model.setData(cell, "0")
    assert model.index(0, 0, QModelIndex()).isValid()


def test_publish_dialog_blocks_while_criteria_wait_for_reappraisal(qtbot: object) -> None:
    units = [
        UnitStatus("1", "Xã A", UnitKind.COMMUNE, AssessmentStatus.APPRAISED),
        UnitStatus(
            "2", "Xã B", UnitKind.COMMUNE, AssessmentStatus.SUBMITTED, to_reappraise=2
        ),
        UnitStatus("3", "Xã C", UnitKind.COMMUNE, AssessmentStatus.RETURNED),
    ]
    from ui.widgets.appraisal_dialogs import blocking, left_out

    assert [name for name, _why in left_out(units)] == ["Xã B", "Xã C"]
    dialog = PublishDialog(YEAR, "Sở Nội vụ", 1, left_out(units), None, blocking(units))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert not dialog.accept_button.isEnabled()
    assert "Xã B" in dialog.error.text() and "Xã C" not in dialog.error.text()
    fine = PublishDialog(YEAR, "Sở Nội vụ", 1, left_out(units[:1]), None, blocking(units[:1]))
    qtbot.addWidget(fine)  # type: ignore[attr-defined]
    assert fine.accept_button.isEnabled() and fine.skipped_label.isHidden()
    fine.number.setText("70/QĐ-UBND")
    fine.decided_on.setText("31/02/2026")  # no such day
    fine.accept_button.click()
    assert fine.decision is None and fine.error.text()
    fine.decided_on.setText("27/1/2026")
    fine.accept_button.click()
    assert fine.decision is not None
    assert (fine.decision.number, fine.decision.decided_on.isoformat()) == (
        "70/QĐ-UBND",
        "2026-01-27",
    )
