"""Văn bản end to end: the form, the preview, print, save, issue and sign, offscreen, on
copies of the demo (its 2026 remediation plan is a draft; the 2025 one was issued)."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import pdfplumber
from gui_support import OpenWindow
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from db.engine import open_database
from parapp.i18n import format_date
from parapp.printing import signing
from parapp.services import documents, issuing, plans
from ui import screens
from ui.main_window import MainWindow
from ui.screens.documents import DocumentsScreen
from ui.widgets.document_output import SignRequest

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000


@pytest.fixture
def documents_screen(open_window: OpenWindow, qtbot: object) -> Callable[[Path], DocumentsScreen]:
    """The main window on a database, showing Văn bản with its first preview."""

    def opener(path: Path) -> DocumentsScreen:
        window = open_window(path)
        window.navigate(screens.DOCUMENTS)
        screen = window.screen(screens.DOCUMENTS)
        assert isinstance(screen, DocumentsScreen)
        qtbot.waitUntil(lambda: screen.preview.page_count > 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
        return screen

    return opener


def _type(widget: QWidget, text: str) -> None:
    """Type any text, one key event per character (keyClicks aborts on non-ASCII)."""
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def _pdf_text(data: bytes | Path) -> tuple[int, str]:
    source = data if isinstance(data, Path) else __import__("io").BytesIO(data)
    with pdfplumber.open(source) as pdf:
        return len(pdf.pages), "\n".join(page.extract_text() or "" for page in pdf.pages)


def _idle(qtbot: object, screen: DocumentsScreen) -> None:
    """Saved, rendered and nothing left on the worker."""
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: not screen.save_timer.isActive()
        and screen.state.tasks.pending == 0
        and not screen._rendering,
        timeout=WAIT_MS,
    )


def _answer_next_box(accept: bool, seen: dict[str, str]) -> None:
    """Answer the next message box: its accepting button (or the other one)."""

    def inspect() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, inspect)
            return
        seen["text"] = box.text()
        seen["buttons"] = " | ".join(b.text() for b in box.buttons())
        role = QMessageBox.ButtonRole.AcceptRole if accept else QMessageBox.ButtonRole.RejectRole
        next(b for b in box.buttons() if box.buttonRole(b) == role).click()

    QTimer.singleShot(50, inspect)


def test_typed_number_and_recipients_show_in_the_preview_and_are_kept(
    qtbot: object, documents_screen: Callable[[Path], DocumentsScreen], published_db: Path
) -> None:
    screen = documents_screen(published_db)
    assert screen.editing is not None
    assert screen.editing.choice == documents.Choice(documents.REMEDIATION_PLAN, 2026, "draft")
    pages, text = _pdf_text(screen.preview.data)
    assert screen.preview.page_count == pages > 1
    assert "37/KH-UBND" not in text
    assert "KẾ HOẠCH" in text

    _type(screen.form.number, "37")
    screen.form.recipients.setPlainText("Sở Nội vụ tỉnh Lạng Sơn;\nLưu: VT.")
    qtbot.waitUntil(lambda: screen.save_timer.isActive(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    pages, text = _pdf_text(screen.preview.data)
    assert "Số: 37/KH-UBND" in text
    assert "Sở Nội vụ tỉnh Lạng Sơn" in text
    assert screen.preview.page_count == pages

    db = open_database(published_db)
    try:
        kept = documents.pending_numbering(db, screen.editing.choice)
        plan = plans.get_plan(db, 2026)
    finally:
        db.close()
    assert kept == ("37", None)
    assert plan.document.recipients == ("Sở Nội vụ tỉnh Lạng Sơn;", "Lưu: VT.")
    assert plan.document.number == ""  # a draft gets its number only when issued


def test_typing_then_leaving_at_once_loses_nothing(
    qtbot: object, documents_screen: Callable[[Path], DocumentsScreen], published_db: Path
) -> None:
    screen = documents_screen(published_db)
    _type(screen.form.signer.name, " Văn")
    window = screen.window()
    assert isinstance(window, MainWindow)
    window.navigate(screens.OVERVIEW)  # before the save delay has passed
    _idle(qtbot, screen)
    db = open_database(published_db)
    try:
        assert plans.get_plan(db, 2026).document.signer.name == "Nông Thị Hạnh Văn"
    finally:
        db.close()


def test_save_as_pdf_and_word_through_the_dialog(
    qtbot: object,
    documents_screen: Callable[[Path], DocumentsScreen],
    published_db: Path,
    tmp_path: Path,
) -> None:
    screen = documents_screen(published_db)
    asked: list[str] = []

    def answer(_parent: QWidget, _caption: str, suggested: str, _filters: str) -> str:
        asked.append(suggested)
        return str(tmp_path / Path(suggested).name)

    screen.ask_save_path = answer
    screen.pdf_button.click()
    pdf = tmp_path / "ke-hoach-khac-phuc-2026.pdf"
    qtbot.waitUntil(pdf.exists, timeout=WAIT_MS)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    pages, text = _pdf_text(pdf)
    assert pages == screen.preview.page_count
    assert "Xã Hoàng Văn Thụ" in text or "XÃ HOÀNG VĂN THỤ" in text

    screen.word_button.click()
    docx = tmp_path / "ke-hoach-khac-phuc-2026.docx"
    qtbot.waitUntil(docx.exists, timeout=WAIT_MS)  # type: ignore[attr-defined]
    _idle(qtbot, screen)
    with zipfile.ZipFile(docx) as archive:
        assert archive.testzip() is None
        body = archive.read("word/document.xml").decode("utf-8")
    assert "KẾ HOẠCH" in body
    assert [Path(p).suffix for p in asked] == [".pdf", ".docx"]


def test_print_sends_every_page_to_the_printer(
    qtbot: object,
    documents_screen: Callable[[Path], DocumentsScreen],
    published_db: Path,
    tmp_path: Path,
) -> None:
    screen = documents_screen(published_db)
    out = tmp_path / "printed.pdf"

    def to_file(_parent: QWidget, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(100)  # a quick test; the pages count, not their sharpness
        return True

    screen.ask_print = to_file
    screen.print_button.click()
    assert out.exists()
    pages, _text = _pdf_text(out)
    assert pages == screen.preview.page_count > 1


def test_issued_number_reads_as_printed(
    qtbot: object, documents_screen: Callable[[Path], DocumentsScreen], published_db: Path
) -> None:
    """Issued with the field left empty (the register's next, 1): the field reads "01" as the
    banner and the document do, not "1"."""
    screen = documents_screen(published_db)
    assert screen.form.number.text() == ""
    _answer_next_box(True, {})
    screen.issue_actions.issue_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.editing is not None and screen.editing.frozen, timeout=WAIT_MS
    )
    assert "01/KH-UBND" in screen.issue_actions.banner_label.text()
    assert screen.form.number.text() == "01"


def test_issue_freezes_the_plan_and_it_can_be_signed_and_amended(
    qtbot: object,
    documents_screen: Callable[[Path], DocumentsScreen],
    published_db: Path,
    tmp_path: Path,
) -> None:
    screen = documents_screen(published_db)
    assert not screen.issue_actions.sign_button.isEnabled()
    assert "ban hành" in screen.issue_actions.sign_button.toolTip().lower() or (
        "issue" in screen.issue_actions.sign_button.toolTip().lower()
    )
    _type(screen.form.number, "42")
    _idle(qtbot, screen)
    seen: dict[str, str] = {}
    _answer_next_box(True, seen)
    screen.issue_actions.issue_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.editing is not None and screen.editing.frozen, timeout=WAIT_MS
    )
    today = format_date(screen.state.today)
    assert "42/KH-UBND" in seen["text"] and today in seen["text"]
    assert "OK" not in seen["buttons"].split(" | ")
    assert screen.form.read_only
    assert screen.form.number.text() == "42"
    assert not screen.issue_actions.banner.isHidden()
    assert "42/KH-UBND" in screen.issue_actions.banner_label.text()
    assert not screen.issue_actions.revise_button.isHidden()
    _idle(qtbot, screen)
    _pages, text = _pdf_text(screen.preview.data)
    assert "Số: 42/KH-UBND" in text

    db = open_database(published_db)
    try:
        issued = issuing.list_issued(db, 2026)
        assert [(i.number, i.issued_on) for i in issued] == [("42", screen.state.today)]
        assert plans.get_plan(db, 2026).status == "issued"
        assert issued[0].path.read_bytes() == screen.preview.data
    finally:
        db.close()

    # Sign the issued PDF with a test certificate given through the dialog.
    assert screen.issue_actions.sign_button.isEnabled()
    p12, passphrase = signing.make_test_identity("Nông Thị Hạnh")
    (tmp_path / "chu-ky.p12").write_bytes(p12)
    signed = tmp_path / "da-ky.pdf"
    screen.ask_signing = lambda _parent, _suggested: SignRequest(
        tmp_path / "chu-ky.p12", passphrase, signed
    )
    shown: dict[str, str] = {}
    _answer_next_box(True, shown)
    screen.issue_actions.sign_button.click()
    qtbot.waitUntil(signed.exists, timeout=WAIT_MS)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "text" in shown, timeout=WAIT_MS)  # type: ignore[attr-defined]
    db = open_database(published_db)
    try:
        assert issuing.verify_pdf(db, signed).status == "signed-copy-of-issued"
    finally:
        db.close()

    # Amend: editable again as revision 2, the issued record stays.
    _answer_next_box(True, {})
    screen.issue_actions.revise_button.click()
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.editing is not None and not screen.editing.frozen, timeout=WAIT_MS
    )
    assert not screen.form.read_only
    assert screen.issue_actions.banner.isHidden()
    db = open_database(published_db)
    try:
        assert plans.get_plan(db, 2026).revision == 2
        assert len(issuing.list_issued(db, 2026)) == 1
    finally:
        db.close()


def test_cancelling_the_confirmation_issues_nothing(
    qtbot: object, documents_screen: Callable[[Path], DocumentsScreen], published_db: Path
) -> None:
    screen = documents_screen(published_db)
    seen: dict[str, str] = {}
    _answer_next_box(False, seen)
    screen.issue_actions.issue_button.click()
    _idle(qtbot, screen)
    assert "01/KH-UBND" in seen["text"]  # the next number of the 2026 register
    assert not screen.form.read_only
    db = open_database(published_db)
    try:
        assert issuing.list_issued(db, 2026) == []
    finally:
        db.close()


def test_other_documents_and_the_issued_list(
    qtbot: object,
    documents_screen: Callable[[Path], DocumentsScreen],
    published_db: Path,
    demo_db: Path,
) -> None:
    # The copy of the database needs the issued PDFs stored beside it.
    shutil.copytree(demo_db.parent / "documents", published_db.parent / "documents")
    screen = documents_screen(published_db)
    kinds = [
        screen.chooser.itemData(i).kind if screen.chooser.itemData(i) else None
        for i in range(screen.chooser.count())
    ]
    assert kinds[:4] == [
        documents.REMEDIATION_PLAN,
        documents.ANNUAL_PLAN,
        documents.SELF_REPORT,
        documents.PROGRESS_REPORT,
    ]
    issued_row = len(kinds) - 1
    assert screen.chooser.itemData(issued_row).revision == 1
    screen.chooser.setCurrentIndex(issued_row)
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.editing is not None and screen.editing.choice.year == 2025,
        timeout=WAIT_MS,
    )
    _idle(qtbot, screen)
    db = open_database(published_db)
    try:
        exact = issuing.reprint(db, 2025)
    finally:
        db.close()
    assert screen.preview.data == exact
    assert screen.form.read_only and not screen.word_button.isEnabled()

    screen.chooser.setCurrentIndex(2)  # the self-assessment report
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.editing is not None and screen.editing.choice.kind == documents.SELF_REPORT,
        timeout=WAIT_MS,
    )
    _idle(qtbot, screen)
    _pages, text = _pdf_text(screen.preview.data)
    assert "BÁO CÁO" in text
    assert screen.form.signer_box.isHidden() and not screen.issue_actions.issue_button.isVisible()
