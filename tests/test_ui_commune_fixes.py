"""Commune window defects of issue 16: the link dialog's box, the language chosen in
Settings, the issue dialog's number. On copies of the demo, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import WAIT_MS, OpenWindow, idle
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle, QStyleOptionViewItem

from db.engine import open_database
from parapp.domain.scoring import Answer, Declared
from parapp.services import assessments
from parapp.services.demo import start_next_year
from tests.conftest import copy_database
from ui import preferences, screens
from ui.screens.documents import DocumentsScreen
from ui.screens.overview import OverviewScreen
from ui.screens.settings import SettingsScreen
from ui.widgets.evidence_criteria import CODE_ROLE, CriteriaPicker

pytestmark = pytest.mark.usefixtures("vietnamese")


def test_clicking_the_box_itself_ticks_the_criterion(qtbot: object, published_db: Path) -> None:
    db = open_database(published_db)
    try:
        cset = assessments.view(db).cset
    finally:
        db.close()
    picker = CriteriaPicker(cset, "Kế hoạch")
    qtbot.addWidget(picker)  # type: ignore[attr-defined]
    picker.show()
    qtbot.waitExposed(picker)  # type: ignore[attr-defined]
    apart = QApplication.doubleClickInterval() + 50  # two clicks, not a double click
    item = next(
        picker.list.item(r) for r in range(picker.list.count())
        if picker.list.item(r).data(CODE_ROLE) == "1.1.1"
    )
    option = QStyleOptionViewItem()
    option.initFrom(picker.list)
    option.rect = picker.list.visualItemRect(item)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = picker.list.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, picker.list
    )
    viewport = picker.list.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=box.center())  # type: ignore[attr-defined]
    assert item.checkState() == Qt.CheckState.Checked
    assert picker.codes() == ["1.1.1"]
    qtbot.wait(apart)  # type: ignore[attr-defined]
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=box.center())  # type: ignore[attr-defined]
    assert item.checkState() == Qt.CheckState.Unchecked
    # A click on the text still ticks the line.
    qtbot.wait(apart)  # type: ignore[attr-defined]
    text = picker.list.visualItemRect(item).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=text)  # type: ignore[attr-defined]
    assert picker.codes() == ["1.1.1"]
    # Space ticks the line the keyboard is on.
    picker.list.setFocus()
    picker.list.setCurrentItem(item)
    qtbot.keyClick(picker.list, Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert picker.codes() == []


def test_the_language_chosen_applies_at_the_next_start(
    qtbot: object, open_window: OpenWindow, published_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PARAPP_LANG", raising=False)
    window = open_window(published_db)
    window.navigate(screens.SETTINGS)
    screen = window.screen(screens.SETTINGS)
    assert isinstance(screen, SettingsScreen)
    qtbot.waitUntil(lambda: screen.stored is not None and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    screen.language.setCurrentIndex(screen.language.findData("en"))
    qtbot.waitUntil(lambda: idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    # What the next start reads (ui.app, before the database is opened).
    assert preferences.start_language(published_db, None) == "en"


def test_issuing_with_no_number_offers_the_next_of_the_register_for_the_date(
    qtbot: object, open_window: OpenWindow, published_db: Path
) -> None:
    # The demo's register for 2025 holds No. 15/KH-UBND (6 February 2025).
    window = open_window(published_db)
    window.navigate(screens.DOCUMENTS)
    screen = window.screen(screens.DOCUMENTS)
    assert isinstance(screen, DocumentsScreen)
    qtbot.waitUntil(lambda: screen.preview.page_count > 0 and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert screen.form.number.placeholderText() == "Để trống: số 1 khi ban hành"
    screen.form.issued_on.clear()
    qtbot.keyClicks(screen.form.issued_on, "10/03/2025")  # type: ignore[attr-defined]
    # Once saved, the field's hint follows the date typed.
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: screen.form.number.placeholderText() == "Để trống: số 16 khi ban hành",
        timeout=WAIT_MS,
    )
    seen: dict[str, str] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        seen["text"] = box.text()
        reject = QMessageBox.ButtonRole.RejectRole
        next(b for b in box.buttons() if box.buttonRole(b) == reject).click()

    QTimer.singleShot(50, answer)
    screen.issue_actions.issue_button.click()
    qtbot.waitUntil(lambda: "text" in seen, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "16/KH-UBND" in seen["text"], seen["text"]


def test_a_partly_scored_year_shows_no_loss_figure_and_last_years_index_as_such(
    qtbot: object, open_window: OpenWindow, draft_db: Path
) -> None:
    # Area 4 gets one score (4.3: Có, full points); its other criteria are not scored.
    db = open_database(draft_db)
    try:
        info = assessments.get_info(db)
        assessments.set_self_scores(
            db, info.id, [assessments.SelfEntry("4.3", declared=Declared(answer=Answer.YES))]
        )
    finally:
        db.close()
    window = open_window(draft_db)
    overview = window.screen(screens.OVERVIEW)
    assert isinstance(overview, OverviewScreen)
    area = next(a for a in overview.chart.areas if a.code == "4")
    assert overview.chart.value_text(area) == "chưa chấm xong"
    assert overview.change_card.title.text() == "Chỉ số năm trước (2025)"
    assert overview.change_card.value.text() == "91,88"


def test_save_dialogs_open_in_the_last_folder_used(
    qtbot: object, open_window: OpenWindow, published_db: Path, tmp_path: Path
) -> None:
    window = open_window(published_db)
    window.navigate(screens.DOCUMENTS)
    screen = window.screen(screens.DOCUMENTS)
    assert isinstance(screen, DocumentsScreen)
    qtbot.waitUntil(lambda: screen.preview.page_count > 0 and idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    folder = tmp_path / "van-ban"
    folder.mkdir()
    asked: list[str] = []

    def answer(_parent: object, _caption: str, suggested: str, _filters: str) -> str:
        asked.append(suggested)
        return str(folder / Path(suggested).name)

    screen.ask_save_path = answer
    screen.save_as(".pdf")
    qtbot.waitUntil(lambda: idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert Path(asked[0]).parent == Path.home()  # the first time: the home folder
    screen.save_as(".docx")
    qtbot.waitUntil(lambda: idle(window), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert Path(asked[1]).parent == folder  # then where the last one went
    # Packages: a folder chosen to write to is offered again, after the USB sticks.
    assert preferences.last_folder(published_db, preferences.PACKAGES) is None
    preferences.remember_folder(published_db, preferences.PACKAGES, folder)
    assert preferences.last_folder(published_db, preferences.PACKAGES) == folder
    assert preferences.last_folder(published_db, preferences.DOCUMENTS) == folder
    again = open_window(published_db)
    sync = again.screen(screens.SYNC)
    assert folder in sync.send.destinations.folders  # type: ignore[attr-defined]


def test_a_year_with_nothing_scored_shows_no_index_figure(
    open_window: OpenWindow, demo_db: Path, tmp_path: Path
) -> None:
    path = copy_database(demo_db, tmp_path / "empty" / "parapp.sqlite3")
    db = open_database(path)
    try:
        start_next_year(db, frozenset())  # no area carried over from 2025
    finally:
        db.close()
    window = open_window(path)
    overview = window.screen(screens.OVERVIEW)
    assert isinstance(overview, OverviewScreen)
    assert overview.index_card.value.text() == "—"  # not a big orange 0,00
    assert overview.index_card.note.text() == "chưa chấm tiêu chí nào"
