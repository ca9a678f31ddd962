"""Each role's whole year through the real window (issue 16): the walk-throughs of docs/cli.md
done with the window's own widgets, offscreen, on offices made fresh in tmp_path.

The commune is a ward (Phường Ba Đình, Hà Nội) set up on the first-run page with the
built-in criteria set; its self-assessment is typed with the keyboard only.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

pytest.importorskip("pytestqt")

import pdfplumber
from gui_support import WAIT_MS, OpenWindow, idle
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from db.engine import open_database
from parapp.i18n import format_date
from parapp.services import (
    assessments,
    criteria,
    documents,
    evidence,
    issuing,
    setup,
    sync_export,
    sync_keys,
)
from parapp.services.periods import appraiser_unit
from parapp.services.units_catalog import search_units
from ui import screens
from ui.dialogs_sync import TrustCardDialog
from ui.main_window import MainWindow
from ui.models.columns import COL_DECLARED, COL_EXPLANATION
from ui.models.plan_items import COL_DEADLINE, COL_PROGRESS, COL_SHORTCOMING
from ui.screens.appraisal import AppraisalScreen
from ui.screens.documents import DocumentsScreen
from ui.screens.evidence import EvidenceScreen
from ui.screens.overview import OverviewScreen
from ui.screens.plan import PlanScreen
from ui.screens.self_assessment import SelfAssessmentScreen
from ui.screens.setup import SetupScreen
from ui.screens.sync import TAB_KEYS, SyncScreen
from ui.widgets.evidence_criteria import CriteriaPicker
from ui.widgets.plan_progress import ProgressDialog
from ui.widgets.result_entry import COL_POINTS
from ui.widgets.submit_flow import IncompleteDialog
from ui.widgets.sync_drives import CHOOSE, PATH_ROLE

pytestmark = pytest.mark.usefixtures("vietnamese")


# -- helpers -------------------------------------------------------------------------------
def when_modal(kind: type, handle: Callable[[QWidget], None]) -> None:
    """Answer the next modal dialog of ``kind`` as a person would (exec() blocks)."""

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind):
            QTimer.singleShot(20, look)
            return
        handle(widget)

    QTimer.singleShot(0, look)


def wait(qtbot: object, condition: Callable[[], object], ms: int = WAIT_MS) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=ms)  # type: ignore[attr-defined]


def settled(qtbot: object, window: MainWindow) -> None:
    wait(qtbot, lambda: idle(window))


def set_up_on_first_run(qtbot: object, window: MainWindow, search: str) -> None:
    """The first-run page: find the unit, keep the built-in criteria set, start."""
    page = window.setup_page
    assert isinstance(page, SetupScreen)
    QTest.keyClicks(page.search_edit, search)
    assert page.model.rowCount() == 1
    rect = page.results.visualRect(page.model.index(0))
    QTest.mouseClick(page.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page.role_commune.click()
    assert page.use_sample.isChecked()
    QTest.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: isinstance(window.stack.currentWidget(), OverviewScreen))
    settled(qtbot, window)


TYPED: list[tuple[str, str | Qt.Key]] = [
    ("1.1.1", Qt.Key.Key_C),  # Có
    ("1.1.2", "9/10"),
    ("1.2", "1"),  # one report late
    ("1.3.1", Qt.Key.Key_C),
    ("1.3.2", "4/4"),
    ("1.3.3", Qt.Key.Key_K),  # Không
    ("1.4.1", Qt.Key.Key_C),
    ("1.4.2", Qt.Key.Key_H),  # Hoàn thành xuất sắc
    ("1.5", Qt.Key.Key_K),  # Không có
    ("1.6.1", Qt.Key.Key_C),
    ("1.6.2", Qt.Key.Key_H),
    ("1.7", "0"),
    ("2.1.1", Qt.Key.Key_C),
    ("2.1.2", "0"),
    ("2.2.1", Qt.Key.Key_C),
    ("2.2.2", Qt.Key.Key_C),
    ("2.2.3", "3/3"),
    ("2.3", Qt.Key.Key_H),
    ("2.4", "1,5"),  # scored by judgement: the points typed
]


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, one key event per character (keyClicks aborts on non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def choose_folder(screen: SyncScreen, folder: Path) -> None:
    """Click "Chọn thư mục…" in the destination list; the folder dialog answers ``folder``."""
    destinations = screen.send.destinations
    destinations.ask_folder = lambda _parent, _caption: folder
    row = next(r for r in range(destinations.count())
               if destinations.item(r).data(PATH_ROLE) == CHOOSE)
    rect = destinations.visualItemRect(destinations.item(row))
    QTest.mouseClick(destinations.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert destinations.destination() == folder


class Office(NamedTuple):
    path: Path
    card: str  # the file name of its unit card on the stick


def appraiser_office(folder: Path, stick: Path) -> Office:
    """The ward's appraiser (Sở Nội vụ thành phố Hà Nội) with the built-in set, as its own
    clerk sets it up; its unit card written to the stick."""
    path = folder / "parapp.sqlite3"
    setup.init_database(path, appraiser_unit(search_units("phuong ba dinh")[0]), "appraiser")
    db = open_database(path)
    try:
        criteria.import_set(db, criteria.sample_set())
        card = sync_export.export(db, "unit-card", stick).info.path
    finally:
        db.close()
    return Office(path, card.name)


def trust_with_services(path: Path, card: Path) -> None:
    db = open_database(path)
    try:
        sync_keys.trust_card(db, card, sync_keys.read_card(card).fingerprint)
    finally:
        db.close()


def trust_in_window(qtbot: object, window: MainWindow, sync: SyncScreen, card: Path) -> None:
    """Sync › Keys › "Trust a unit card…": the card chosen, its fingerprint typed."""
    sync.tabs.setCurrentIndex(TAB_KEYS)
    keys = sync.keys
    before = keys.model.rowCount()
    keys.ask_card = lambda _parent: card
    fingerprint = sync_keys.read_card(card).fingerprint

    def trust(dialog: QWidget) -> None:
        assert isinstance(dialog, TrustCardDialog)
        QTest.keyClicks(dialog.typed, fingerprint.replace(" ", "").lower())
        dialog.trust_button.click()

    when_modal(TrustCardDialog, trust)
    QTest.mouseClick(keys.trust_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: keys.model.rowCount() == before + 1 and idle(window))


def export_card_in_window(
    qtbot: object, window: MainWindow, sync: SyncScreen, folder: Path
) -> Path:
    """Sync › Keys › "Export the unit card…" to ``folder``; the fingerprint is shown."""
    sync.tabs.setCurrentIndex(TAB_KEYS)
    keys = sync.keys
    keys.ask_folder = lambda _parent, _caption: folder
    shown: list[str] = []
    when_modal(QMessageBox, lambda box: shown.append(box.informativeText()) or box.close())
    before = set(folder.iterdir())
    QTest.mouseClick(keys.card_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: bool(shown) and idle(window))
    [card] = set(folder.iterdir()) - before
    assert shown[0].replace("\n", " ") == sync_keys.read_card(card).fingerprint
    return card


def documents_idle(screen: DocumentsScreen) -> bool:
    """Saved, rendered and nothing left on the worker."""
    return (not screen.save_timer.isActive() and screen.state.tasks.pending == 0
            and not screen._rendering)


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def key(widget: QWidget, k: Qt.Key) -> None:
    QTest.keyClick(widget, k)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def current_code(screen: SelfAssessmentScreen) -> str:
    return str(screen.table.currentIndex().siblingAtColumn(0).data())


def stored_scores(path: Path, year: int) -> dict[str, object]:
    db = open_database(path)
    try:
        return dict(assessments.view(db, year).scores)
    finally:
        db.close()


# -- the commune's year --------------------------------------------------------------------
def test_a_wards_whole_year_in_the_window(
    qtbot: object, open_window: OpenWindow, tmp_path: Path
) -> None:
    path = tmp_path / "phuong" / "parapp.sqlite3"
    window = open_window(
        path, lambda w: isinstance(w.setup_page, SetupScreen) and w.setup_page.catalog is not None
    )
    set_up_on_first_run(qtbot, window, "phuong ba dinh")
    year = window.state.today.year
    assert window.unit_label.text() == "Phường Ba Đình"

    # The self-assessment, keyboard only: Enter opens the cell, a letter picks from a list,
    # Enter saves and opens the next criterion's input (Tab: the explanation beside it).
    window.navigate(screens.SELF_ASSESSMENT)
    screen = window.screen(screens.SELF_ASSESSMENT)
    assert isinstance(screen, SelfAssessmentScreen)
    settled(qtbot, window)
    table = screen.table
    table.setFocus()
    table.setCurrentIndex(screen.proxy.mapFromSource(screen.model.index_of("1.1.1", COL_DECLARED)))
    key(table, Qt.Key.Key_Return)
    for code, typed in TYPED:
        editor = focused()
        assert current_code(screen) == code
        if isinstance(typed, Qt.Key):
            key(editor, typed)
        else:
            type_text(editor, typed)
        key(focused(), Qt.Key.Key_Return)
        # The delegate saves and moves on from the event loop, not at once.
        wait(qtbot, lambda c=code: current_code(screen) != c, 5_000)
    # Tab from a list leaves the explanation beside it to be typed.
    assert current_code(screen) == "3.1.1"
    key(focused(), Qt.Key.Key_C)
    key(focused(), Qt.Key.Key_Tab)
    wait(qtbot, lambda: table.currentIndex().column() == COL_EXPLANATION, 5_000)
    type_text(focused(), "Kế hoạch số 05/KH-UBND ngày 08/01")
    key(focused(), Qt.Key.Key_Return)
    wait(qtbot, lambda: current_code(screen) != "3.1.1", 5_000)
    table.commit_open_editor()
    wait(qtbot, lambda: screen.editor.pending == 0 and idle(window))
    assert [screen.areas.score_text(a) for a in "12"] == ["10,75/14", "7,50/8"]
    scores = stored_scores(path, year)
    assert scores["1.1.2"].declared.numerator == 9  # type: ignore[attr-defined]
    assert scores["1.2"].self_score == Decimal("1.75")  # type: ignore[attr-defined]
    assert scores["2.4"].self_score == Decimal("1.5")  # type: ignore[attr-defined]
    assert scores["3.1.1"].explanation == "Kế hoạch số 05/KH-UBND ngày 08/01"  # type: ignore[attr-defined]

    # Evidence: a file added for a criterion that asks for one, then linked to another.
    window.navigate(screens.EVIDENCE)
    ev = window.screen(screens.EVIDENCE)
    assert isinstance(ev, EvidenceScreen)
    wait(qtbot, lambda: idle(window) and not ev.loading)
    lacking = ev.lacking.codes()
    assert lacking[:2] == ["1.1.1", "1.1.2"]  # every main criterion asks for a document
    plan_file = tmp_path / "scan" / "Kế hoạch CCHC năm.pdf"
    plan_file.parent.mkdir()
    plan_file.write_bytes(b"%PDF-1.4 ke hoach cai cach hanh chinh")
    ev.choose_files = lambda _parent: [plan_file]
    assert ev.lacking.select(lacking[0])
    QTest.mouseClick(ev.lacking.add_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: ev.model.total == 1 and idle(window) and not ev.loading)
    assert lacking[0] not in ev.lacking.codes()

    def tick(picker: QWidget) -> None:
        assert isinstance(picker, CriteriaPicker)
        picker.check(["1.1.2"])
        picker.ok_button.click()

    when_modal(CriteriaPicker, tick)
    QTest.mouseClick(ev.detail.link_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: idle(window) and not ev.loading)
    db = open_database(path)
    try:
        [doc] = evidence.list_evidence(db)
        assert set(doc.node_codes) == {lacking[0], "1.1.2"}
    finally:
        db.close()

    # The pre-submission check lists what is missing; submitted with a reason.
    window.navigate(screens.SELF_ASSESSMENT)
    seen: dict[str, object] = {}
    reason = "Lĩnh vực 3 đến 7 chờ số liệu của các bộ phận."

    def submit(dialog: QWidget) -> None:
        assert isinstance(dialog, IncompleteDialog)
        seen["lines"] = dialog.texts()
        dialog.reason.setPlainText(reason)
        dialog.submit_button.click()

    when_modal(IncompleteDialog, submit)
    QTest.mouseClick(screen.submit_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: screen.withdraw_button.isVisibleTo(screen) and idle(window))
    lines = seen["lines"]
    assert isinstance(lines, list)
    assert "1.3.1. Ban hành Kế hoạch kiểm tra CCHC đối với các bộ phận chuyên môn: chưa gắn " \
        "tài liệu kiểm chứng và chưa có giải trình" in lines
    assert not any(line.startswith(("1.1.1.", "1.1.2.", "3.1.1.")) for line in lines)
    assert any(line.startswith("3.1.2. ") and "chưa chấm điểm" in line for line in lines)
    assert window.status_label.text() == "Trạng thái: đã nộp"

    # Sync › Send: the submission package written to the stick (a folder here).
    window.navigate(screens.SYNC)
    sync = window.screen(screens.SYNC)
    assert isinstance(sync, SyncScreen)
    sync.list_volumes = lambda: []
    wait(qtbot, lambda: sync.context is not None and idle(window))
    assert sync.send.kind() == "submission"
    stick = tmp_path / "usb"
    stick.mkdir()
    # Once: the unit cards swapped, each side typing the fingerprint it was told.
    hub = appraiser_office(tmp_path / "so", stick)
    trust_in_window(qtbot, window, sync, stick / hub.card)
    own_card = export_card_in_window(qtbot, window, sync, stick)
    trust_with_services(hub.path, own_card)
    sync.tabs.setCurrentIndex(0)
    choose_folder(sync, stick)
    sent: list[object] = []
    sync.send.sent.connect(sent.append)
    QTest.mouseClick(sync.send.write_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: bool(sent) and idle(window))
    package = stick / "nop-00004-2026.cchc".replace("2026", str(year))
    assert package.is_file()
    assert sync.send.card.isVisible()  # "… you can remove the USB stick", with its SHA-256

    # The published decision, typed from the paper (most communes' way).
    window.navigate(screens.APPRAISAL)
    hub_screen = window.screen(screens.APPRAISAL)
    assert isinstance(hub_screen, AppraisalScreen)
    panel = hub_screen.result_entry
    wait(qtbot, lambda: panel.form is not None and idle(window))
    today = format_date(window.state.today)
    for field, text in (("decision_number", "215/QĐ-SNV"), ("decision_date", today),
                        ("index", "84,96"), ("rank", "3"), ("rank_of", "126")):
        panel.fields[field].setFocus()
        panel.fields[field].clear()
        type_text(panel.fields[field], text)
    for row in range(panel.areas.rowCount()):
        code = panel.areas.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if code in ("1", "2"):
            panel.areas.item(row, COL_POINTS).setText({"1": "10,75", "2": "7,5"}[code])
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: idle(window) and window.state.view is not None
         and window.state.view.result is not None)
    assert window.status_label.text() == "Trạng thái: đã công bố"
    assert "lĩnh vực 3, 4, 5, 6, 7" in panel.warnings.text()
    overview = window.screen(screens.OVERVIEW)
    assert isinstance(overview, OverviewScreen)
    assert (overview.index_card.value.text(), overview.rank_card.value.text()) == (
        "84,96", "3/126")

    # Kế hoạch khắc phục: drafted from the points lost, an item edited.
    window.navigate(screens.PLAN)
    plan = window.screen(screens.PLAN)
    assert isinstance(plan, PlanScreen)
    wait(qtbot, lambda: idle(window) and not plan.loading)
    assert plan.plan is None and plan.draft_button.isVisible()
    QTest.mouseClick(plan.draft_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: plan.plan is not None and idle(window) and not plan.loading)
    assert plan.plan is not None and plan.plan.year == year + 1
    shortcomings = [plan.model.index(r, COL_SHORTCOMING).data()
                    for r in range(plan.model.rowCount())]
    assert shortcomings[:2] == [
        "1.1. Kế hoạch CCHC năm (Trừ 1,00 điểm)",  # 1.1.2: 9 of 10 done
        "1.2. Thực hiện chế độ báo cáo CCHC định kỳ (quý, 6 tháng, năm) (Trừ 0,25 điểm)",
    ]
    plan.table.setCurrentIndex(plan.model.index(0, COL_SHORTCOMING))
    plan.detail.deadline.setFocus()
    plan.detail.deadline.clear()
    type_text(plan.detail.deadline, "Quý II/" + str(year + 1))
    key(plan.detail.deadline, Qt.Key.Key_Return)
    wait(qtbot, lambda: idle(window) and not plan.loading)
    assert plan.model.index(0, COL_DEADLINE).data() == f"Quý II/{year + 1}"
    assert f"30/06/{year + 1}" in plan.detail.meaning.text()

    # Văn bản: the plan issued with its number.
    window.navigate(screens.DOCUMENTS)
    docs = window.screen(screens.DOCUMENTS)
    assert isinstance(docs, DocumentsScreen)
    wait(qtbot, lambda: docs.preview.page_count > 0 and documents_idle(docs))
    assert docs.chooser.currentText() == f"Kế hoạch khắc phục năm {year + 1} (đang soạn)"
    docs.form.number.setFocus()
    type_text(docs.form.number, "15")
    docs.form.signer.name.setFocus()
    type_text(docs.form.signer.name, "Nguyễn Văn An")
    wait(qtbot, lambda: documents_idle(docs))
    confirm: list[str] = []
    when_modal(QMessageBox, lambda box: confirm.append(box.text()) or next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
    ).click())
    QTest.mouseClick(docs.issue_actions.issue_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: docs.editing is not None and docs.editing.frozen)
    assert confirm[0].startswith(f"Ban hành Kế hoạch khắc phục năm {year + 1} số 15/KH-UBND")
    db = open_database(path)
    try:
        assert [i.number for i in issuing.list_issued(db, year + 1)] == ["15"]
    finally:
        db.close()

    # Progress on the issued plan, then the progress report.
    window.navigate(screens.PLAN)
    wait(qtbot, lambda: idle(window) and not plan.loading)
    plan.table.setCurrentIndex(plan.model.index(0, COL_SHORTCOMING))

    def progress(dialog: QWidget) -> None:
        assert isinstance(dialog, ProgressDialog)
        dialog.percent.setValue(50)
        dialog.note.setPlainText("Đã rà soát một nửa hồ sơ.")
        dialog.ok_button.click()

    when_modal(ProgressDialog, progress)
    QTest.mouseClick(plan.progress_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: idle(window) and not plan.loading
         and plan.model.index(0, COL_PROGRESS).data() == "50%")

    window.navigate(screens.DOCUMENTS)
    wait(qtbot, lambda: documents_idle(docs))
    row = next(k for k in range(docs.chooser.count())
               if getattr(docs.chooser.itemData(k), "kind", None) == documents.PROGRESS_REPORT)
    docs.chooser.setCurrentIndex(row)
    wait(qtbot, lambda: docs.editing is not None
         and docs.editing.choice.kind == documents.PROGRESS_REPORT and documents_idle(docs))
    docs.form.number.setFocus()
    type_text(docs.form.number, "20")
    wait(qtbot, lambda: documents_idle(docs))
    report = tmp_path / "bao-cao-tien-do.pdf"
    docs.ask_save_path = lambda _p, _c, _s, _f: str(report)
    QTest.mouseClick(docs.pdf_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: report.exists() and documents_idle(docs))
    text = pdf_text(report)
    assert "Số: 20/BC-UBND" in text
    assert f"Thực hiện Kế hoạch số 15/KH-UBND ngày {today}" in text
    assert "đang thực hiện, đạt 50%" in text and "Đã rà soát một nửa hồ sơ" in text
