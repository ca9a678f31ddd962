"""Đồng bộ end to end: packages written, checked, imported and keys trusted through the
screen's widgets and dialogs, offscreen, on copies of the demo's two offices."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("pytestqt")

import shiboken6
from gui_support import OpenWindow
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sync_support import copy_demo, dump

from db.engine import open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.units import Unit, UnitKind
from parapp.i18n import _, message
from parapp.services import assessments, setup, submission, sync_export, sync_keys
from parapp.services.common import ServiceError
from parapp.services.demo import start_next_year
from parapp.services.sync_log import LogLine, other_unit
from parapp.services.sync_words import word
from ui import qt_strings, screens
from ui.dialogs_sync import PlanDialog, TrustCardDialog
from ui.main_window import MainWindow
from ui.models.sync_log import (
    COL_DIRECTION,
    COL_KIND,
    COL_OTHER,
    COL_OUTCOME,
    COL_WHEN,
    KEY_FINGERPRINT,
    KEY_UNIT,
    SyncLogModel,
    TrustedKeysModel,
    key_entries,
    log_entries,
)
from ui.screens.sync import TAB_HISTORY, TAB_KEYS, TAB_RECEIVE, SyncScreen
from ui.state import AppState
from ui.widgets.sync_context import grouped
from ui.widgets.sync_drives import CHOOSE, PATH_ROLE, Volume

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000
REMOVE_STICK = (
    "The package {file} was written and checked again. You can remove the USB stick."
)


# -- fixtures and helpers ------------------------------------------------------------------
@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    """The whole demo folder: commune, appraiser (trusting each other) and the usb folder."""
    return copy_demo(demo_db, tmp_path / "demo")


@pytest.fixture
def sync_in_window(open_window: OpenWindow, qtbot: object) -> Callable[[Path], SyncScreen]:
    """The main window on a commune database, showing Đồng bộ once its data is loaded."""

    def opener(path: Path) -> SyncScreen:
        window = open_window(path)
        screen = window.screen(screens.SYNC)
        assert isinstance(screen, SyncScreen)
        screen.list_volumes = lambda: []  # the test machine's drives are not the point
        window.navigate(screens.SYNC)
        _settle(qtbot, screen)
        return screen

    return opener


@pytest.fixture
def sync_alone(qtbot: object) -> Iterator[Callable[[Path], SyncScreen]]:
    """The screen by itself (an appraiser has no own assessment for the main window)."""
    qt_strings.install()
    made: list[SyncScreen] = []

    def opener(path: Path) -> SyncScreen:
        state = AppState(None, path)
        state.open()
        qtbot.waitUntil(lambda: state.db is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]
        screen = SyncScreen(state)
        screen.list_volumes = lambda: []
        screen.resize(1150, 700)
        screen.show()
        screen.activate()
        _settle(qtbot, screen)
        made.append(screen)
        return screen

    yield opener
    for screen in made:
        screen.close()
        screen.state.tasks.shutdown()
        if screen.state.db is not None:
            screen.state.db.close()
        shiboken6.delete(screen)


def _settle(qtbot: object, screen: SyncScreen) -> None:
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.context is not None and screen.state.tasks.pending == 0,
        timeout=WAIT_MS,
    )


def _when_modal(kind: type, handle: Callable[[QWidget], None], seen: list[QWidget]) -> None:
    """Answer the next modal dialog of ``kind`` as a person would."""

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind) or widget in seen:
            QTimer.singleShot(30, look)
            return
        seen.append(widget)
        handle(widget)

    QTimer.singleShot(0, look)


def _press(box: QWidget, role: QMessageBox.ButtonRole) -> str:
    assert isinstance(box, QMessageBox)
    text = box.text()
    next(b for b in box.buttons() if box.buttonRole(b) == role).click()
    return text


def _choose_folder_item(screen: SyncScreen, folder: Path) -> None:
    """Click "Chọn thư mục…" in the destination list; the folder dialog answers ``folder``."""
    destinations = screen.send.destinations
    destinations.ask_folder = lambda _parent, _caption: folder
    row = next(r for r in range(destinations.count())
               if destinations.item(r).data(PATH_ROLE) == CHOOSE)
    rect = destinations.visualItemRect(destinations.item(row))
    QTest.mouseClick(destinations.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert destinations.destination() == folder


def _write(qtbot: object, screen: SyncScreen) -> list[object]:
    sent: list[object] = []
    screen.send.sent.connect(sent.append)
    assert screen.send.write_button.isEnabled()
    QTest.mouseClick(screen.send.write_button, Qt.MouseButton.LeftButton)
    return sent


# -- sending ---------------------------------------------------------------------------------
def test_progress_report_goes_to_the_folder_with_its_slip_and_history(
    qtbot: object, sync_in_window: Callable[[Path], SyncScreen], demo_copy: Path, tmp_path: Path
) -> None:
    screen = sync_in_window(demo_copy / "commune" / "parapp.sqlite3")
    assert screen.history.model.rowCount() == 3  # the demo: card and submission out, result in
    # The 2025 assessment is published: the screen offers the progress report first.
    assert screen.send.kind() == "progress"
    stick = tmp_path / "stick"
    stick.mkdir()
    _choose_folder_item(screen, stick)
    sent = _write(qtbot, screen)
    qtbot.waitUntil(lambda: bool(sent) and screen.state.tasks.pending == 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    package = stick / "tien-do-06172-2025.cchc"
    assert package.is_file()
    card = screen.send.card
    assert card.isVisible()
    assert card.title.text() == _(REMOVE_STICK).format(file=package.name)
    assert card.sha.text() == grouped(hashlib.sha256(package.read_bytes()).hexdigest(), 8)
    assert card.fingerprint.text().replace("\n", " ") == screen.context.fingerprint  # type: ignore[union-attr]

    slip = tmp_path / "phieu" / "phieu-giao-nhan.pdf"
    slip.parent.mkdir()
    card.ask_save_path = lambda _p, _c, suggested, _f: str(slip)
    printed = tmp_path / "printed.pdf"

    def to_file(_parent: QWidget, printer: QPrinter) -> bool:
        """The print dialog answered: a printer writing a PDF file."""
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(100)
        return True

    card.ask_print = to_file
    written: list[object] = []
    card.slip_written.connect(written.append)
    QTest.mouseClick(card.slip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(written), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert slip.read_bytes().startswith(b"%PDF")
    # "In phiếu…" prints: the slip's page went to the printer (it only opened the file).
    assert printed.read_bytes().startswith(b"%PDF")

    screen.tabs.setCurrentIndex(TAB_HISTORY)
    _settle(qtbot, screen)
    model = screen.history.model
    assert model.rowCount() == 4
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first[COL_DIRECTION] == _("Sent")
    assert first[COL_KIND] == word("progress")
    assert first[COL_OTHER] == "Sở Nội vụ tỉnh Lạng Sơn (20)"
    assert first[COL_OUTCOME] == word("exported")
    assert datetime.strptime(first[COL_WHEN], "%d/%m/%Y %H:%M")


def test_submitting_a_published_year_is_refused_with_the_reason(
    qtbot: object, sync_in_window: Callable[[Path], SyncScreen], demo_copy: Path, tmp_path: Path
) -> None:
    screen = sync_in_window(demo_copy / "commune" / "parapp.sqlite3")
    screen.send.select_kind("submission")
    stick = tmp_path / "stick"
    stick.mkdir()
    _choose_folder_item(screen, stick)
    seen: list[QWidget] = []
    said: list[str] = []
    _when_modal(QMessageBox, lambda box: said.append(
        _press(box, QMessageBox.ButtonRole.AcceptRole)), seen)
    _write(qtbot, screen)
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)  # type: ignore[attr-defined]
    expected = message(ServiceError(
        "The {year} assessment is already appraised: there is nothing to submit.", year=2025))
    assert said == [expected]
    assert list(stick.iterdir()) == []
    assert not screen.send.card.isVisible()


def test_writing_a_draft_is_refused_and_submits_nothing(
    qtbot: object, sync_in_window: Callable[[Path], SyncScreen], demo_copy: Path, tmp_path: Path
) -> None:
    """Writing the package never submits: a draft year is refused with the sentence that
    says to submit it first, and stays a draft."""
    commune_path = demo_copy / "commune" / "parapp.sqlite3"
    db = open_database(commune_path)
    try:
        start_next_year(db)
    finally:
        db.close()
    screen = sync_in_window(commune_path)
    assert screen.send.kind() == "submission"
    assert "Tự đánh giá" in screen.send.details["submission"].text()
    stick = tmp_path / "stick"
    stick.mkdir()
    _choose_folder_item(screen, stick)
    seen: list[QWidget] = []
    said: list[str] = []
    _when_modal(QMessageBox, lambda box: said.append(
        _press(box, QMessageBox.ButtonRole.AcceptRole)), seen)
    _write(qtbot, screen)
    qtbot.waitUntil(lambda: bool(said), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert said[0].startswith("Bản tự đánh giá năm 2026 chưa được nộp")
    assert list(stick.iterdir()) == []
    db = open_database(commune_path)
    try:
        assert assessments.get_info(db, 2026).status is AssessmentStatus.DRAFT
    finally:
        db.close()


def test_a_2026_submission_is_sent_then_imported_by_the_appraiser(
    qtbot: object,
    sync_in_window: Callable[[Path], SyncScreen],
    sync_alone: Callable[[Path], SyncScreen],
    demo_copy: Path,
    tmp_path: Path,
) -> None:
    commune_path = demo_copy / "commune" / "parapp.sqlite3"
    reason = "Lĩnh vực 7 chờ số liệu của huyện."
    db = open_database(commune_path)
    try:
        assessment_id = start_next_year(db, frozenset({"1", "2", "3", "4", "5", "6"}))
        # Submitted first (the window's own submit is tested in test_ui_submission.py):
        # writing the package never submits.
        submission.submit(db, assessment_id, allow_incomplete=True, reason=reason)
    finally:
        db.close()
    screen = sync_in_window(commune_path)
    assert screen.send.kind() == "submission"
    stick = tmp_path / "stick"
    stick.mkdir()
    _choose_folder_item(screen, stick)
    seen: list[QWidget] = []
    sent = _write(qtbot, screen)
    qtbot.waitUntil(lambda: bool(sent) and screen.state.tasks.pending == 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    package = stick / "nop-06172-2026.cchc"
    assert package.is_file()
    db = open_database(commune_path)
    try:
        assert assessments.get_info(db, 2026).status is AssessmentStatus.SUBMITTED
    finally:
        db.close()

    appraiser_path = demo_copy / "appraiser" / "parapp.sqlite3"
    office = sync_alone(appraiser_path)
    assert office.send.kind() == "result" and office.context.appraiser  # type: ignore[union-attr]
    office.tabs.setCurrentIndex(TAB_RECEIVE)
    office.receive.ask_files = lambda _parent: [package]
    plan_lines: list[list[str]] = []
    summary: list[str] = []

    def import_it(dialog: QWidget) -> None:
        assert isinstance(dialog, PlanDialog)
        plan_lines.append(dialog.texts())
        assert dialog.import_button is not None
        assert dialog.import_button.text() == _("Import")
        _when_modal(QMessageBox, lambda box: summary.append(
            _press(box, QMessageBox.ButtonRole.AcceptRole)), seen)
        dialog.import_button.click()

    _when_modal(PlanDialog, import_it, seen)
    imported: list[object] = []
    office.receive.imported.connect(imported.append)
    QTest.mouseClick(office.receive.files_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(summary) and office.state.tasks.pending == 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    heading = plan_lines[0][0]
    assert heading.startswith("nop-06172-2026.cchc") and "Xã Hoàng Văn Thụ" in heading
    assert any("1.1" in line for line in plan_lines[0][1:])
    assert any(reason in line for line in plan_lines[0][1:])  # the unit's reason, up front
    assert summary == [_("Imported {n} of {total} files.").format(n=1, total=1)]
    db = open_database(appraiser_path)
    try:
        seen_info = assessments.get_info(db, 2026, unit_code="06172")
        assert seen_info.status is AssessmentStatus.SUBMITTED
    finally:
        db.close()
    _settle(qtbot, office)
    top = office.history.model.entry_at(0)
    assert top is not None
    assert (top.sent, top.kind, top.outcome, top.other_code) == (
        False, "submission", "applied", "06172")


# -- receiving -------------------------------------------------------------------------------
def test_a_package_imported_before_is_listed_as_such_and_changes_nothing(
    qtbot: object, sync_in_window: Callable[[Path], SyncScreen], demo_copy: Path
) -> None:
    path = demo_copy / "commune" / "parapp.sqlite3"
    screen = sync_in_window(path)
    before = dump(path)
    screen.tabs.setCurrentIndex(TAB_RECEIVE)
    screen.receive.ask_folder = lambda _parent, _caption: demo_copy / "usb"
    lines: list[list[str]] = []
    buttons: list[object] = []

    def close(dialog: QWidget) -> None:
        assert isinstance(dialog, PlanDialog)
        lines.append(dialog.texts())
        buttons.append(dialog.import_button)
        dialog.reject()  # "Đóng"

    seen: list[QWidget] = []
    _when_modal(PlanDialog, close, seen)
    planned: list[object] = []
    screen.receive.planned.connect(planned.append)
    QTest.mouseClick(screen.receive.folder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(lines), timeout=WAIT_MS)  # type: ignore[attr-defined]
    text = "\n".join(lines[0])
    assert "ket-qua-06172-2025.cchc" in text
    assert _("Already imported: nothing changes.") in text
    assert buttons == [None]  # nothing to import: only "Đóng"
    assert len(planned[0]) == 4  # type: ignore[arg-type]
    assert dump(path) == before


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # QDragEnterEvent takes a QPoint
def test_a_broken_file_dropped_is_refused_with_its_reason(
    qtbot: object, sync_in_window: Callable[[Path], SyncScreen], demo_copy: Path, tmp_path: Path
) -> None:
    path = demo_copy / "commune" / "parapp.sqlite3"
    screen = sync_in_window(path)
    screen.tabs.setCurrentIndex(TAB_RECEIVE)
    broken = tmp_path / "ket-qua-hong.cchc"
    good = (demo_copy / "usb" / "ket-qua-06172-2025.cchc").read_bytes()
    broken.write_bytes(good[: len(good) // 2])  # a copy pulled out too early
    before = dump(path)
    found: list[object] = []
    screen.receive.planned.connect(found.append)
    lines: list[list[str]] = []

    def close(dialog: QWidget) -> None:
        assert isinstance(dialog, PlanDialog)
        lines.append(dialog.texts())
        assert dialog.import_button is None
        dialog.reject()

    seen: list[QWidget] = []
    _when_modal(PlanDialog, close, seen)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(broken))])
    zone = screen.receive.zone
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(zone, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, data,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(zone, drop)
    qtbot.waitUntil(lambda: bool(lines), timeout=WAIT_MS)  # type: ignore[attr-defined]
    [outcome] = found[0]  # type: ignore[misc]
    assert outcome.status == "refused"
    assert lines[0] == [_("{file}: refused").format(file=broken.name), message(outcome.error)]
    assert message(outcome.error)  # one sentence, in Vietnamese
    assert dump(path) == before


# -- keys --------------------------------------------------------------------------------------
def test_a_card_is_trusted_only_with_the_fingerprint_typed(
    qtbot: object, sync_alone: Callable[[Path], SyncScreen], demo_copy: Path, tmp_path: Path
) -> None:
    # A new commune under the demo's appraiser makes its card.
    new_path = tmp_path / "xa-moi" / "parapp.sqlite3"
    setup.init_database(new_path, Unit("06175", "Xã Tân Đoàn", UnitKind.COMMUNE, "20",
                                       "Sở Nội vụ tỉnh Lạng Sơn", "Tỉnh Lạng Sơn"))
    db = open_database(new_path)
    try:
        (tmp_path / "the").mkdir()
        card_path = sync_export.export(db, "unit-card", tmp_path / "the").info.path
    finally:
        db.close()
    right = sync_keys.read_card(card_path).fingerprint
    wrong = right[:-4] + ("0000" if not right.endswith("0000") else "1111")

    office = sync_alone(demo_copy / "appraiser" / "parapp.sqlite3")
    office.tabs.setCurrentIndex(TAB_KEYS)
    keys = office.keys
    assert keys.model.rowCount() == 1  # the demo commune
    assert keys.fingerprint_label.text().replace("\n", " ") == office.context.fingerprint  # type: ignore[union-attr]
    keys.ask_card = lambda _parent: card_path
    refusals: list[str] = []
    seen: list[QWidget] = []

    def trust(dialog: QWidget) -> None:
        assert isinstance(dialog, TrustCardDialog)
        assert dialog.card.unit.name == "Xã Tân Đoàn"
        QTest.keyClicks(dialog.typed, wrong.lower())
        dialog.trust_button.click()

        def refused() -> None:
            if dialog.problem.isHidden():
                QTimer.singleShot(30, refused)
                return
            refusals.append(dialog.problem.text())
            dialog.typed.clear()
            QTest.keyClicks(dialog.typed, right.replace(" ", ""))
            dialog.trust_button.click()

        QTimer.singleShot(30, refused)

    _when_modal(TrustCardDialog, trust, seen)
    QTest.mouseClick(keys.trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: keys.model.rowCount() == 2, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert refusals == [message(ServiceError(
        "The card's key has the fingerprint {actual}, not the one you typed ({typed}). Do not "
        "trust it: ask the sender for the card again.", actual=right, typed=wrong))]
    rows = {keys.model.index(r, KEY_UNIT).data(): keys.model.index(r, KEY_FINGERPRINT).data()
            for r in range(2)}
    assert rows["Xã Tân Đoàn (06175)"] == right


# -- models, without widgets -----------------------------------------------------------------
def test_log_model_names_the_other_side() -> None:
    def line(sent: bool, sender: str, recipient: str, **kw: Any) -> LogLine:
        other = other_unit("out" if sent else "in", sender, recipient)
        return LogLine(sender_code=sender, sent=sent, other_code=other, **kw)

    rows = [
        line(True, "06172", '{"unit_code": "20"}', logged_at=datetime(2025, 3, 5, 14, 30),
             kind="submission", outcome="exported", package_id="p1", file_name="a.cchc",
             sha256="ab"),
        line(False, "20", "{'unit_code': '06172'}", logged_at=datetime(2025, 4, 1, 8, 5),
             kind="result", outcome="applied", package_id="p2", file_name="b.cchc"),
        line(True, "20", '{"appraiser_of": "20"}', logged_at=datetime(2025, 1, 2, 9, 0),
             kind="criteria-set", outcome="exported", package_id="p3"),
    ]
    model = SyncLogModel()
    model.set_entries(log_entries(rows, {"20": "Sở Nội vụ tỉnh Lạng Sơn"}))
    assert model.rowCount() == 3
    assert model.index(0, COL_WHEN).data() == "05/03/2025 14:30"
    assert model.index(0, COL_OTHER).data() == "Sở Nội vụ tỉnh Lạng Sơn (20)"
    assert model.index(1, COL_DIRECTION).data() == _("Received")
    assert model.index(1, COL_OTHER).data() == "Sở Nội vụ tỉnh Lạng Sơn (20)"
    assert model.index(2, COL_OTHER).data() == _("every unit")
    assert model.index(1, COL_OUTCOME).data() == word("applied")
    assert other_unit("out", "x", "not json") == "not json"


def test_keys_model_and_grouping() -> None:
    key = SimpleNamespace(unit_code="20", unit_name="Sở Nội vụ", role="appraiser",
                          fingerprint="ABCD " * 15 + "ABCD")
    model = TrustedKeysModel()
    model.set_keys(key_entries([key]))
    assert model.index(0, KEY_UNIT).data() == "Sở Nội vụ (20)"
    assert model.index(0, 3).data() == "—"  # this service version does not say when
    assert grouped("ab" * 32, 8).splitlines() == ["ABAB " * 7 + "ABAB"] * 2
    label = Volume(Path("/media/u/KINGSTON"), "KINGSTON", 3 * 1024**3).label
    assert "KINGSTON (/media/u/KINGSTON)" in label and "GB" in label


def test_a_package_double_clicked_opens_its_plan_in_the_receive_tab(
    qtbot: object, sync_in_window: Callable[[Path], SyncScreen], demo_copy: Path
) -> None:
    from ui.app import files_to_open, open_packages
    from ui.launcher import window_options

    package = demo_copy / "usb" / "ket-qua-06172-2025.cchc"
    argv = ["--db", "x.sqlite3", "--open", str(package)]
    assert window_options(argv) is not None  # Explorer's "--open %1" reaches the window
    assert files_to_open(argv) == [str(package)]
    path = demo_copy / "commune" / "parapp.sqlite3"
    screen = sync_in_window(path)
    window = screen.window()
    assert isinstance(window, MainWindow)
    window.navigate(screens.OVERVIEW)
    before = dump(path)
    lines: list[list[str]] = []

    def close(dialog: QWidget) -> None:
        assert isinstance(dialog, PlanDialog)
        lines.append(dialog.texts())
        dialog.reject()

    seen: list[QWidget] = []
    _when_modal(PlanDialog, close, seen)
    open_packages(window, files_to_open(argv))
    qtbot.waitUntil(lambda: bool(lines), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert window.current_key == screens.SYNC
    assert screen.tabs.currentIndex() == TAB_RECEIVE
    assert "ket-qua-06172-2025.cchc" in "\n".join(lines[0])
    assert dump(path) == before  # shown, not imported: the clerk decides
