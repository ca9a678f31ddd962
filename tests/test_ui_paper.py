"""Kiểm tra bản giấy in the window: a 150 dpi scan of an issued plan's last page, and the
text a phone's QR reader gives, checked as 'parapp verify-paper' does (offscreen)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from db.engine import open_database
from parapp.printing import qrtext
from parapp.services import issuing, paper
from tests.conftest import copy_database
from ui.state import AppState
from ui.widgets.paper_check import BAD_COLOUR, OK_COLOUR, SUPERSEDED_COLOUR, PaperCheckDialog

pytestmark = pytest.mark.usefixtures("vietnamese")
WAIT_MS = 30_000


@pytest.fixture
def issued(demo_db: Path, tmp_path: Path) -> tuple[Path, str, Path]:
    """A copy of the demo with its 2026 plan issued: (database, QR text, scan of the last
    page at 150 dpi)."""
    path = copy_database(demo_db, tmp_path / "office" / "parapp.sqlite3")
    db = open_database(path)
    try:
        info = issuing.issue_plan(db, 2026, issued_on=date(2026, 3, 15))
        found = paper.issued_qr(db, info)
        assert found is not None
        pdf = tmp_path / "printed.pdf"
        pdf.write_bytes(issuing.reprint(db, 2026))
    finally:
        db.close()
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True)
    scan = max(tmp_path.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[-1]))
    return path, found[1], scan


@pytest.fixture
def dialog(qtbot: object, issued: tuple[Path, str, Path]) -> Iterator[PaperCheckDialog]:
    state = AppState(None, issued[0])
    state.open()
    qtbot.waitUntil(lambda: state.db is not None and state.tasks.pending == 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    widget = PaperCheckDialog(state)
    widget.show()
    yield widget
    widget.close()
    state.close()
    qtbot.waitUntil(lambda: state.tasks.pending == 0, timeout=WAIT_MS)  # type: ignore[attr-defined]
    state.tasks.shutdown()


def test_a_scan_is_recognised_as_the_current_revision(
    qtbot: object, dialog: PaperCheckDialog, issued: tuple[Path, str, Path]
) -> None:
    dialog.ask_scan = lambda _parent: str(issued[2])
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):  # type: ignore[attr-defined]
        dialog.open_button.click()
    text = dialog.answer.text()
    assert dialog.code == 0, text
    assert "số 01/KH-UBND ngày 15/03/2026" in text and "bản hiện hành" in text
    assert OK_COLOUR in dialog.answer.styleSheet()

    db = open_database(issued[0])  # a newer revision is issued meanwhile
    try:
        issuing.new_revision(db, 2026)
        issuing.issue_plan(db, 2026, issued_on=date(2026, 4, 2))
    finally:
        db.close()
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):  # type: ignore[attr-defined]
        dialog.open_button.click()
    assert dialog.code == paper.EXIT_SUPERSEDED
    assert "thay thế bởi văn bản số 02/KH-UBND ban hành ngày 02/04/2026" in dialog.answer.text()
    assert SUPERSEDED_COLOUR in dialog.answer.styleSheet()


def test_pasted_text_and_a_tampered_one(
    qtbot: object, dialog: PaperCheckDialog, issued: tuple[Path, str, Path]
) -> None:
    dialog.text.setPlainText(issued[1] + "\n")  # as a phone's reader may give it
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):  # type: ignore[attr-defined]
        dialog.check_button.click()
    assert dialog.code == 0 and "01/KH-UBND" in dialog.answer.text()

    tampered = replace(qrtext.parse(issued[1]), sha256="1" * 64).text()
    dialog.text.setPlainText(tampered)
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):  # type: ignore[attr-defined]
        dialog.check_button.click()
    assert dialog.code == 1
    assert "không khớp với văn bản đã ban hành" in dialog.answer.text()
    assert BAD_COLOUR in dialog.answer.styleSheet()

    dialog.text.setPlainText("")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):  # type: ignore[attr-defined]
        dialog.check_button.click()
    assert "dán nội dung mã QR" in dialog.answer.text()
