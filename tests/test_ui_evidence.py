"""The evidence screen end to end, offscreen, in Vietnamese, on copies of the demo."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import Ready
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from db.engine import open_database
from parapp.services import assessments, evidence
from ui import screens
from ui.main_window import MainWindow
from ui.models.evidence import COL_DATE, COL_NUMBER, COL_TITLE, ERROR_ROLE, EvidenceModel
from ui.screens.evidence import EvidenceScreen
from ui.widgets.evidence_criteria import CODE_ROLE, CriteriaPicker

pytestmark = pytest.mark.usefixtures("vietnamese")


@pytest.fixture
def window_ready() -> Ready:
    """``open_window`` waits until the assessment is read (not for the figures)."""
    return lambda window: window.state.view is not None


def _screen(qtbot: object, window: MainWindow) -> EvidenceScreen:
    window.navigate(screens.EVIDENCE)
    screen = window.screen(screens.EVIDENCE)
    assert isinstance(screen, EvidenceScreen)
    _idle(qtbot, screen)
    return screen


def _idle(qtbot: object, screen: EvidenceScreen) -> None:
    tasks = screen.state.tasks
    qtbot.waitUntil(lambda: tasks.pending == 0 and not screen.loading, timeout=15_000)  # type: ignore[attr-defined]


def _file(folder: Path, name: str, text: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text or f"Nội dung của {name}", encoding="utf-8")
    return path


def _titles(model: EvidenceModel) -> list[str]:
    return [model.index(r, COL_TITLE).data() for r in range(model.rowCount())]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # QDragEnterEvent takes a QPoint
def test_a_dropped_file_is_listed_and_linked_from_the_lacking_list(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path, tmp_path: Path
) -> None:
    screen = _screen(qtbot, open_window(draft_db))
    assert screen.model.total == 0
    assert screen.empty.isVisible()
    lacking = screen.lacking.codes()
    assert lacking, "the 2026 assessment has no evidence yet"
    path = _file(tmp_path / "scan", "Kế hoạch kiểm tra 2026.pdf")

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(300, 300),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(screen, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(300, 300),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(screen, drop)
    qtbot.waitUntil(lambda: screen.model.total == 1, timeout=15_000)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    assert _titles(screen.model) == ["Kế hoạch kiểm tra 2026"]
    assert screen.table.currentIndex().row() == 0

    code = lacking[0]
    assert screen.lacking.select(code)
    assert screen.lacking.link_button.isEnabled()
    qtbot.mouseClick(screen.lacking.link_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: code not in screen.lacking.codes(), timeout=15_000)  # type: ignore[attr-defined]
    assert len(screen.lacking.codes()) == len(lacking) - 1
    db = open_database(draft_db)
    try:
        assert assessments.view(db).has_evidence(code)
        assert evidence.list_evidence(db)[0].node_codes == (code,)
    finally:
        db.close()


def test_the_file_dialog_adds_files_for_the_chosen_criterion(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path, tmp_path: Path
) -> None:
    screen = _screen(qtbot, open_window(draft_db))
    lacking = screen.lacking.codes()
    code = lacking[2]
    files = [_file(tmp_path, "Báo cáo CCHC quý I.docx"), _file(tmp_path, "Quyết định 7.pdf")]
    asked: list[object] = []
    screen.choose_files = lambda parent: asked.append(parent) or files
    screen.lacking.select(code)
    qtbot.mouseClick(screen.lacking.add_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: screen.model.total == 2, timeout=15_000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: code not in screen.lacking.codes(), timeout=15_000)  # type: ignore[attr-defined]
    assert asked == [screen]
    assert sorted(_titles(screen.model)) == ["Báo cáo CCHC quý I", "Quyết định 7"]
    docs = [screen.model.document(r) for r in range(2)]
    assert all(d is not None and d.node_codes == (code,) for d in docs)
    # The search ignores accents and case.
    screen.search.setText("bao cao cchc")
    assert _titles(screen.model) == ["Báo cáo CCHC quý I"]
    screen.search.setText("khong co dau nay")
    assert screen.model.rowCount() == 0 and screen.empty.isVisible()


def _edit(qtbot: object, screen: EvidenceScreen, row: int, column: int, text: str) -> None:
    index = screen.model.index(row, column)
    screen.table.setCurrentIndex(index)
    screen.table.edit(index)
    editor = screen.table.open_editor()
    assert isinstance(editor, QLineEdit)
    editor.setText(text)
    screen.table.commit_open_editor()
    _idle(qtbot, screen)


def test_number_and_date_are_saved_and_a_wrong_date_is_refused(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path, tmp_path: Path
) -> None:
    db = open_database(draft_db)
    try:
        evidence.add_evidence(db, _file(tmp_path, "kh.pdf"), title="Kế hoạch CCHC năm 2026")
    finally:
        db.close()
    screen = _screen(qtbot, open_window(draft_db))
    messages: list[str] = []
    screen.status_message.connect(messages.append)
    _edit(qtbot, screen, 0, COL_NUMBER, "12/KH-UBND")
    _edit(qtbot, screen, 0, COL_DATE, "5/1/2026")
    assert screen.model.index(0, COL_DATE).data() == "05/01/2026"
    _edit(qtbot, screen, 0, COL_DATE, "31/02/2026")
    assert screen.model.index(0, COL_DATE).data(ERROR_ROLE)
    assert "05/03/2024" in messages[-1]
    assert screen.model.index(0, COL_DATE).data() == "05/01/2026"
    screen.before_leave()
    db = open_database(draft_db)
    try:
        doc = evidence.list_evidence(db)[0]
    finally:
        db.close()
    assert (doc.doc_number, doc.doc_date) == ("12/KH-UBND", date(2026, 1, 5))
    assert doc.citation == "Kế hoạch CCHC năm 2026 số 12/KH-UBND ngày 05/01/2026"


def test_published_evidence_is_read_only_and_opens_a_named_copy(
    qtbot: object, open_window: Callable[[Path], MainWindow], published_db: Path, demo_db: Path
) -> None:
    shutil.copytree(demo_db.parent / "evidence", published_db.parent / "evidence")
    screen = _screen(qtbot, open_window(published_db))
    assert screen.model.total > 10
    assert not screen.banner.isHidden() and "công bố" in screen.banner.text()
    assert screen.add_button.isHidden()
    assert not (screen.model.flags(screen.model.index(0, COL_NUMBER)) & Qt.ItemFlag.ItemIsEditable)
    assert screen.detail.link_button.isHidden()
    opened: list[Path] = []
    screen.opener = lambda path: opened.append(path) or True
    doc = screen.model.document(screen.table.currentIndex().row())
    assert doc is not None
    qtbot.mouseClick(screen.detail.open_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(opened), timeout=15_000)  # type: ignore[attr-defined]
    assert opened[0].name == doc.filename
    assert opened[0].read_text(encoding="utf-8").startswith("UBND")


# -- bad input refused in Vietnamese, the database unchanged (issue 13, part 6) -----------
def _dump(path: Path) -> str:
    from tests.test_storage import dump

    return dump(path)


def _answer_box(seen: dict[str, str]) -> None:
    """Close the next message box (they block), keeping its text."""

    def inspect() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, inspect)
            return
        seen["text"] = box.text()
        seen["detail"] = box.informativeText()
        box.buttons()[0].click()

    QTimer.singleShot(50, inspect)


def test_an_empty_file_and_a_stored_one_are_said_and_change_nothing(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path, tmp_path: Path
) -> None:
    screen = _screen(qtbot, open_window(draft_db))
    messages: list[str] = []
    screen.status_message.connect(messages.append)
    empty = tmp_path / "Quyết định trống.pdf"
    empty.write_bytes(b"")
    before = _dump(draft_db)
    seen: dict[str, str] = {}
    _answer_box(seen)
    screen.choose_files = lambda parent: [empty]
    screen.add_with_dialog()
    qtbot.waitUntil(lambda: "detail" in seen, timeout=15_000)  # type: ignore[attr-defined]
    assert seen["text"] == "Không thêm được một số tệp:"
    assert seen["detail"] == (
        "• Quyết định trống.pdf: Tệp Quyết định trống.pdf không có nội dung (0 byte); "
        "hãy chọn đúng tệp văn bản."
    )
    _idle(qtbot, screen)
    assert _dump(draft_db) == before and screen.model.total == 0

    doc = _file(tmp_path, "Kế hoạch.pdf")
    screen.choose_files = lambda parent: [doc]
    screen.add_with_dialog()
    qtbot.waitUntil(lambda: screen.model.total == 1, timeout=15_000)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    before = _dump(draft_db)
    screen.add_with_dialog()  # the same file again, no new links
    qtbot.waitUntil(lambda: "đã có" in messages[-1], timeout=15_000)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    assert messages[-1] == "1 tệp đã có sẵn, với các liên kết này; không có gì thay đổi."
    assert _dump(draft_db) == before


def test_impossible_dates_are_refused_and_other_years_warned(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path, tmp_path: Path
) -> None:
    db = open_database(draft_db)
    try:
        evidence.add_evidence(db, _file(tmp_path, "kh.pdf"), title="Kế hoạch CCHC năm 2026")
    finally:
        db.close()
    screen = _screen(qtbot, open_window(draft_db))
    messages: list[str] = []
    screen.status_message.connect(messages.append)
    before = _dump(draft_db)
    _edit(qtbot, screen, 0, COL_DATE, "05/01/2099")
    assert screen.model.index(0, COL_DATE).data(ERROR_ROLE) == messages[-1]
    assert (
        messages[-1]
        == "Ngày văn bản 05/01/2099 muộn hơn hôm nay; hãy kiểm tra lại ngày, tháng, năm."
    )
    _edit(qtbot, screen, 0, COL_DATE, "05/01/1930")
    assert messages[-1] == "Ngày văn bản 05/01/1930 trước năm 1945; hãy kiểm tra lại năm."
    assert _dump(draft_db) == before

    _edit(qtbot, screen, 0, COL_DATE, "20/12/2025")
    qtbot.waitUntil(lambda: "2026" in messages[-1], timeout=15_000)  # type: ignore[attr-defined]
    assert messages[-1] == (
        "Ngày văn bản 20/12/2025 không thuộc năm 2026 (năm được đánh giá); ngày này vẫn được "
        "lưu, nhưng hãy kiểm tra nếu gõ nhầm năm."
    )
    assert screen.model.index(0, COL_DATE).data() == "20/12/2025"


def test_the_criteria_picker_offers_criteria_not_whole_areas(
    qtbot: object, open_window: Callable[[Path], MainWindow], draft_db: Path
) -> None:
    screen = _screen(qtbot, open_window(draft_db))
    view = screen.state.view
    assert view is not None
    picker = CriteriaPicker(view.cset, "Kế hoạch", parent=screen)
    picker.check(["1", "1.1.1"])
    assert picker.codes() == ["1.1.1"]
    area = next(
        picker.list.item(r)
        for r in range(picker.list.count())
        if picker.list.item(r).data(CODE_ROLE) == "1"
    )
    assert not area.flags() & Qt.ItemFlag.ItemIsUserCheckable
    picker._toggle(area)
    assert picker.codes() == ["1.1.1"]
    picker.deleteLater()
