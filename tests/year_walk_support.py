"""Shared by tests/test_ui_year_walk.py: a person's moves in the real window (dialogs
answered as they show, text typed key by key, cards swapped, packages received) and the
offices the walk-throughs start from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pdfplumber
from gui_support import WAIT_MS, idle
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from db.engine import open_database
from parapp.domain.criteria import Part, ScoreKind
from parapp.services import (
    assessments,
    criteria,
    setup,
    submission,
    sync_export,
    sync_keys,
)
from parapp.services.periods import appraiser_unit
from parapp.services.units_catalog import search_units
from ui import screens
from ui.dialogs_sync import PlanDialog, TrustCardDialog
from ui.main_window import MainWindow
from ui.screens.appraisal import AppraisalScreen
from ui.screens.documents import DocumentsScreen
from ui.screens.overview import OverviewScreen
from ui.screens.self_assessment import SelfAssessmentScreen
from ui.screens.setup import SetupScreen
from ui.screens.sync import TAB_KEYS, TAB_RECEIVE, SyncScreen
from ui.widgets.sync_drives import CHOOSE, PATH_ROLE


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


def setup_shown(window: MainWindow) -> bool:
    """The first-run page is shown with its list of units."""
    page = window.setup_page
    return isinstance(page, SetupScreen) and page.catalog is not None


def press_accept(box: QWidget) -> None:
    """Press the box's accepting button (it names the action: "Ban hành", "Chấp nhận"…)."""
    assert isinstance(box, QMessageBox)
    accept = QMessageBox.ButtonRole.AcceptRole
    next(b for b in box.buttons() if box.buttonRole(b) == accept).click()


def click_nav(window: MainWindow, text: str) -> None:
    """Click the navigation entry that reads ``text`` (as the office's role shows it)."""
    nav = window.nav
    item = next(nav.item(r) for r in range(nav.count()) if nav.item(r).text() == text)
    rect = nav.visualItemRect(item)
    QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


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


def choose_document(qtbot: object, docs: DocumentsScreen, kind: str) -> None:
    """Pick the document of ``kind`` in Văn bản's list and wait for its form and preview."""
    row = next(k for k in range(docs.chooser.count())
               if getattr(docs.chooser.itemData(k), "kind", None) == kind)
    docs.chooser.setCurrentIndex(row)
    wait(qtbot, lambda: docs.editing is not None and docs.editing.choice.kind == kind
         and documents_idle(docs))


def save_pdf(qtbot: object, docs: DocumentsScreen, path: Path) -> Path:
    """"Lưu PDF…", the save dialog answered with ``path``."""
    docs.ask_save_path = lambda _p, _c, _s, _f: str(path)
    QTest.mouseClick(docs.pdf_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: path.exists() and documents_idle(docs))
    return path


def print_to(printer: QPrinter, path: Path) -> bool:
    """The print dialog answered: a printer writing a PDF file."""
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(100)
    return True


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



def submitted_ward(folder: Path, stick: Path, year: int) -> Office:
    """The ward's office made with the services: every main criterion it scores at full
    marks, submitted (no evidence yet, with a reason), its card on the stick."""
    path = folder / "parapp.sqlite3"
    setup.init_database(path, search_units("phuong ba dinh")[0])
    db = open_database(path)
    try:
        cset = criteria.sample_set()
        criteria.import_set(db, cset)
        info = assessments.new_assessment(db, year)
        entries = [
            assessments.SelfEntry(n.code, typed=n.max_points)
            for n in cset.leaves()
            if ScoreKind.SELF in n.score_kinds and n.part is Part.MAIN
        ]
        assessments.set_self_scores(db, info.id, entries)
        submission.submit(db, info.id, allow_incomplete=True, reason="Chưa đủ tài liệu kiểm chứng.")
        card = sync_export.export(db, "unit-card", stick).info.path
    finally:
        db.close()
    return Office(path, card.name)


def appraise_cell(
    qtbot: object, window: MainWindow, hub: AppraisalScreen, code: str, col: int, text: str
) -> None:
    """Type in a criterion's cell of the unit's appraisal, then Enter."""
    table = hub.unit_page.table
    index = hub.unit_page.model.index_of(code, col)
    table.setCurrentIndex(index)
    table.edit(index)

    def editor() -> QLineEdit | None:
        shown = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
        return shown[0] if shown else None

    wait(qtbot, editor, 5_000)
    line = editor()
    assert line is not None
    line.setText(text)
    key(line, Qt.Key.Key_Return)
    wait(qtbot, lambda: editor() is None and hub.unit_page.pending == 0 and idle(window))


def receive_in_window(
    qtbot: object, window: MainWindow, chosen: Path, expected: str = "Đã nhập 1/1 tệp."
) -> list[str]:
    """Sync › Receive: a package ("Choose files…") or a whole folder ("Choose a folder…");
    the plan shown, "Import" pressed. Its summary, then its lines."""
    window.navigate(screens.SYNC)
    sync = window.screen(screens.SYNC)
    assert isinstance(sync, SyncScreen)
    sync.list_volumes = lambda: []
    wait(qtbot, lambda: sync.context is not None and idle(window))
    sync.tabs.setCurrentIndex(TAB_RECEIVE)
    sync.receive.ask_files = lambda _parent: [chosen]
    sync.receive.ask_folder = lambda _parent, _caption: chosen
    lines: list[str] = []
    summary: list[str] = []

    def import_it(dialog: QWidget) -> None:
        assert isinstance(dialog, PlanDialog)
        lines.extend([dialog.summary.text(), *dialog.texts()])
        assert dialog.import_button is not None
        when_modal(QMessageBox, lambda box: summary.append(box.text()) or box.accept())
        dialog.import_button.click()

    when_modal(PlanDialog, import_it)
    button = sync.receive.folder_button if chosen.is_dir() else sync.receive.files_button
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: bool(summary) and idle(window))
    assert summary == [expected], (summary, lines)
    return lines
