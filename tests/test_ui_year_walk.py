"""Each role's whole year through the real window (issue 16): the walk-throughs of docs/cli.md
done with the window's own widgets, offscreen, on offices made fresh in tmp_path.

The commune is a ward (Phường Ba Đình, Hà Nội) set up on the first-run page with the
built-in criteria set; its self-assessment is typed with the keyboard only.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import OpenWindow, idle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget
from year_walk_support import (
    appraise_cell,
    appraiser_office,
    choose_document,
    choose_folder,
    click_nav,
    current_code,
    documents_idle,
    export_card_in_window,
    focused,
    key,
    pdf_text,
    press_accept,
    print_to,
    receive_in_window,
    save_pdf,
    set_up_on_first_run,
    settled,
    setup_shown,
    stored_scores,
    submitted_ward,
    trust_in_window,
    trust_with_services,
    type_text,
    wait,
    when_modal,
)

from db.engine import open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.i18n import _, format_date
from parapp.services import (
    assessments,
    documents,
    evidence,
    issuing,
    sync_export,
)
from ui import screens
from ui.models.appraisal_columns import COL_APPRAISED, COL_COMMENT, COL_SURVEY
from ui.models.columns import COL_DECLARED, COL_EXPLANATION
from ui.models.evidence import COL_DATE, COL_NUMBER
from ui.models.plan_items import COL_DEADLINE, COL_PROGRESS, COL_SHORTCOMING
from ui.screens.appraisal import AppraisalScreen
from ui.screens.documents import DocumentsScreen
from ui.screens.evidence import EvidenceScreen
from ui.screens.overview import OverviewScreen
from ui.screens.plan import PlanScreen
from ui.screens.self_assessment import SelfAssessmentScreen
from ui.screens.settings import SettingsScreen
from ui.screens.setup import SetupScreen
from ui.screens.sync import SyncScreen
from ui.widgets.appraisal_dialogs import PublishDialog
from ui.widgets.evidence_criteria import CriteriaPicker
from ui.widgets.plan_progress import ProgressDialog
from ui.widgets.result_entry import COL_POINTS
from ui.widgets.submit_flow import IncompleteDialog

pytestmark = pytest.mark.usefixtures("vietnamese")


# What the clerk types, criterion by criterion: a letter picks from a list, text is typed.
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



# -- the commune's year --------------------------------------------------------------------
def test_a_wards_whole_year_in_the_window(
    qtbot: object, open_window: OpenWindow, tmp_path: Path
) -> None:
    path = tmp_path / "phuong" / "parapp.sqlite3"
    window = open_window(path, setup_shown)
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
    # Its number and date, typed in the list (as `evidence add --number … --date …`).
    for column, text in ((COL_NUMBER, "05/KH-UBND"), (COL_DATE, f"8/1/{year}")):
        index = ev.model.index(0, column)
        ev.table.setCurrentIndex(index)
        ev.table.edit(index)
        editor = ev.table.open_editor()
        assert isinstance(editor, QLineEdit)
        editor.setText(text)
        ev.table.commit_open_editor()
        wait(qtbot, lambda: idle(window) and not ev.loading)
    assert ev.model.index(0, COL_DATE).data() == f"08/01/{year}"

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

    # Kiểm tra trước khi nộp: what is missing, one line per criterion.
    window.navigate(screens.SELF_ASSESSMENT)
    window.activateWindow()  # the keyboard is back in the window once the dialogs closed
    wait(qtbot, window.isActiveWindow, 5_000)
    check = screen.check
    QTest.mouseClick(screen.check_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: check.isVisibleTo(screen) and check.gaps is not None
         and not check.running and idle(window))
    lines = check.texts()
    assert "1.3.1. Ban hành Kế hoạch kiểm tra CCHC đối với các bộ phận chuyên môn: chưa gắn " \
        "tài liệu kiểm chứng và chưa có giải trình" in lines
    assert not any(line.startswith(("1.1.1.", "1.1.2.", "3.1.1.")) for line in lines)
    assert lines[check.row_of("3.1.2")].endswith("chưa chấm điểm")
    # Enter on a line goes to the criterion: its value and explanation typed, it leaves the list.
    check.missing.setFocus()
    check.missing.setCurrentRow(check.row_of("3.1.2"))
    key(check.missing, Qt.Key.Key_Return)
    assert current_code(screen) == "3.1.2" and focused() is table
    key(table, Qt.Key.Key_Return)
    type_text(focused(), "5/5")
    key(focused(), Qt.Key.Key_Tab)
    wait(qtbot, lambda: table.currentIndex().column() == COL_EXPLANATION, 5_000)
    type_text(focused(), "Đã thực hiện đủ 5/5 nội dung; biên bản kèm theo.")
    key(focused(), Qt.Key.Key_Return)
    wait(qtbot, lambda: check.row_of("3.1.2") == -1 and not check.running and idle(window))
    remaining = check.texts()
    assert len(remaining) == len(lines) - 1

    # "Nộp" from the check: still incomplete, so with a reason.
    seen: dict[str, object] = {}
    reason = "Lĩnh vực 3 đến 7 chờ số liệu của các bộ phận."

    def submit(dialog: QWidget) -> None:
        assert isinstance(dialog, IncompleteDialog)
        seen["lines"] = dialog.texts()
        dialog.reason.setPlainText(reason)
        dialog.submit_button.click()

    when_modal(IncompleteDialog, submit)
    QTest.mouseClick(check.submit_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: screen.withdraw_button.isVisibleTo(screen) and idle(window))
    assert seen["lines"] == remaining  # the dialog lists what the check listed
    assert window.status_label.text() == "Trạng thái: đã nộp"
    assert stored_scores(path, year)["3.1.2"].self_score == Decimal("1.5")  # type: ignore[attr-defined]

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
    card = sync.send.card
    assert card.isVisible()  # "… you can remove the USB stick", with its SHA-256
    # The transfer slip (`sync slip`), saved and printed (to a PDF file here).
    slip = tmp_path / "phieu-giao-nhan.pdf"
    printed = tmp_path / "phieu-in.pdf"
    card.ask_save_path = lambda _p, _c, _suggested, _f: str(slip)
    card.ask_print = lambda _parent, printer: print_to(printer, printed)
    slips: list[object] = []
    card.slip_written.connect(slips.append)
    QTest.mouseClick(card.slip_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: bool(slips) and idle(window))
    assert "PHIẾU GIAO NHẬN" in pdf_text(slip).upper()
    assert printed.read_bytes().startswith(b"%PDF")

    # Kết quả công bố: the decision, typed from the paper (most communes' way).
    click_nav(window, "Kết quả công bố")
    assert window.current_key == screens.APPRAISAL
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
    intro = plan.empty_text  # what the plan will hold: every line of it shown, none cut off
    assert intro.height() >= intro.heightForWidth(intro.width()) > 2 * intro.fontMetrics().height()
    # One lead unit for every item, from the office's list (`plan draft --lead …`).
    leads = plan.draft_page.lead
    lead = "Văn phòng HĐND và UBND"
    assert leads.findText(lead) >= 0
    leads.setCurrentIndex(leads.findText(lead))
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
    # … and its coordinating unit typed (`plan item edit 1 --coordinating …`).
    line = plan.detail.coordinating.lineEdit()
    line.setFocus()
    line.selectAll()
    type_text(line, "Công an phường")
    key(line, Qt.Key.Key_Return)
    wait(qtbot, lambda: idle(window) and not plan.loading)
    first = plan.model.item(0)
    assert first is not None and first.coordinating == "Công an phường"
    assert {i.lead for i in plan.model.items} == {lead}
    assert f"30/06/{year + 1}" in plan.detail.meaning.text()

    # Văn bản: the plan issued with its number.
    window.navigate(screens.DOCUMENTS)
    docs = window.screen(screens.DOCUMENTS)
    assert isinstance(docs, DocumentsScreen)
    wait(qtbot, lambda: docs.preview.page_count > 0 and documents_idle(docs))
    assert docs.chooser.currentText() == f"Kế hoạch khắc phục năm {year + 1} (đang soạn)"
    docs.form.number.setFocus()
    type_text(docs.form.number, "15")
    wait(qtbot, lambda: documents_idle(docs))
    # No signer's name yet: said at once, not after "Issue …?" was answered.
    refused: list[str] = []
    when_modal(QMessageBox, lambda box: refused.append(box.text()) or press_accept(box))
    QTest.mouseClick(docs.issue_actions.issue_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: bool(refused) and idle(window))
    assert refused == [f"Chưa thể ban hành Kế hoạch năm {year + 1} khi chưa có họ tên người ký; "
                       "hãy nhập họ tên người ký trước."]
    docs.form.signer.name.setFocus()
    type_text(docs.form.signer.name, "Nguyễn Văn An")
    wait(qtbot, lambda: documents_idle(docs))
    confirm: list[str] = []
    when_modal(QMessageBox, lambda box: confirm.append(box.text()) or press_accept(box))
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
    choose_document(qtbot, docs, documents.PROGRESS_REPORT)
    docs.form.number.setFocus()
    type_text(docs.form.number, "20")
    wait(qtbot, lambda: documents_idle(docs))
    text = pdf_text(save_pdf(qtbot, docs, tmp_path / "bao-cao-tien-do.pdf"))
    assert "Số: 20/BC-UBND" in text
    assert f"Thực hiện Kế hoạch số 15/KH-UBND ngày {today}" in text
    assert "đang thực hiện, đạt 50%" in text and "Đã rà soát một nửa hồ sơ" in text

    # The self-assessment report, then a backup (Cài đặt › "Sao lưu ngay").
    choose_document(qtbot, docs, documents.SELF_REPORT)
    assert "BÁO CÁO" in pdf_text(save_pdf(qtbot, docs, tmp_path / "bao-cao-tu-danh-gia.pdf"))
    window.navigate(screens.SETTINGS)
    settings = window.screen(screens.SETTINGS)
    assert isinstance(settings, SettingsScreen)
    wait(qtbot, lambda: idle(window))
    before = settings.backups.model.rowCount()
    QTest.mouseClick(settings.backups.make_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: settings.backups.model.rowCount() == before + 1 and idle(window))


# -- the appraiser's round -----------------------------------------------------------------
def test_the_appraisers_round_and_the_result_back_at_the_ward(
    qtbot: object, open_window: OpenWindow, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    hub_path = tmp_path / "so" / "parapp.sqlite3"
    window = open_window(
        hub_path, setup_shown)
    year = window.state.today.year
    ward = submitted_ward(tmp_path / "phuong", stick, year)

    # Set up: the Sở Nội vụ of Hà Nội, with the built-in criteria set.
    page = window.setup_page
    assert isinstance(page, SetupScreen)
    page.role_appraiser.click()
    page.province.setCurrentIndex(page.province.findText("Thành phố Hà Nội"))
    assert page.office_name.text() == "Sở Nội vụ thành phố Hà Nội"
    QTest.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: window.setup_page is None and idle(window))
    assert window.unit_label.text() == "Sở Nội vụ thành phố Hà Nội"
    # The hub lists every commune and ward of the city, "chưa nộp" until its package comes
    # (what `appraise add-units --province 01` does on the command line).
    hub = window.screen(screens.APPRAISAL)
    assert isinstance(hub, AppraisalScreen)
    wait(qtbot, lambda: hub.hub is not None and idle(window))
    assert hub.units.model.rowCount() > 100 and hub.units.unit("00004") is not None

    # Once: the cards swapped (the ward's side with the services).
    window.navigate(screens.SYNC)
    sync = window.screen(screens.SYNC)
    assert isinstance(sync, SyncScreen)
    sync.list_volumes = lambda: []
    wait(qtbot, lambda: sync.context is not None and idle(window))
    trust_in_window(qtbot, window, sync, stick / ward.card)
    hub_card = export_card_in_window(qtbot, window, sync, stick)
    trust_with_services(ward.path, hub_card)
    db = open_database(ward.path)
    try:
        package = sync_export.export(db, "submission", stick, year=year).info.path
    finally:
        db.close()
    assert package.name == f"nop-00004-{year}.cchc"

    # The whole stick imported: the submission; the two cards are skipped with the reason.
    lines = receive_in_window(qtbot, window, stick)
    assert lines[0] == ("1 tệp sẽ được nhập. 2 tệp được bỏ qua: không có nội dung nào dành "
                        "cho cơ quan này.")
    assert lines[1].startswith(f"nop-00004-{year}.cchc: hồ sơ tự đánh giá của Phường Ba Đình")
    assert "lý do của đơn vị: Chưa đủ tài liệu kiểm chứng." in lines[2]
    assert lines[-4:-2] == ["the-dinh-danh-00004.cchc: bỏ qua", "Đây là thẻ định danh của đơn vị "
                            "'00004', khóa của đơn vị này đã được tin cậy: không có gì để nhập."]
    assert lines[-2] == "the-dinh-danh-01.cchc: bỏ qua"

    # Thẩm định: the ward opened, two criteria appraised with a comment, the rest accepted.
    click_nav(window, "Thẩm định / Tổng hợp")
    assert window.current_key == screens.APPRAISAL
    wait(qtbot, lambda: hub.hub is not None and idle(window))
    unit_row = hub.units.unit("00004")
    assert unit_row is not None and unit_row.status is AssessmentStatus.SUBMITTED
    hub.units.select("00004")
    QTest.keyClick(hub.units.table, Qt.Key.Key_Return)
    wait(qtbot, lambda: hub.unit_page.opened is not None and idle(window))
    unit = hub.unit_page
    assert "chỉ số thẩm định 100,00% (88,00/88 điểm)" in unit.totals.text()
    for code, score, comment in (("1.1.2", "1,5", "Mới hoàn thành 9/10 nhiệm vụ."),
                                 ("3.4.1", "6", "Còn 12 hồ sơ trễ hạn.")):
        appraise_cell(qtbot, window, hub, code, COL_APPRAISED, score)
        appraise_cell(qtbot, window, hub, code, COL_COMMENT, comment)
    # The survey's points, and none for the bonus and penalty criteria.
    for code, score in (("8.1", "3,5"), ("8.2", "2,5"), ("8.3", "1,75"), ("8.4", "2,5")):
        appraise_cell(qtbot, window, hub, code, COL_SURVEY, score)
    for code in ("C.1", "C.2", "T.1", "T.2"):
        appraise_cell(qtbot, window, hub, code, COL_APPRAISED, "0")
    assert "chỉ số thẩm định 96,75% (96,75/100 điểm)" in unit.totals.text()
    asked: list[str] = []

    def accept(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        press_accept(box)

    when_modal(QMessageBox, accept)
    QTest.mouseClick(unit.accept_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: unit.opened is not None
         and unit.opened.view.info.status is AssessmentStatus.APPRAISED and idle(window))
    # Every criterion is scored by now (C.1 … T.2 by the appraiser): the plain question.
    assert asked == [_(
        "The self score of every criterion of {unit} not appraised yet becomes its "
        "appraised score. Criteria changed by the unit after appraisal are left for you. "
        "Accept the self-scores?"
    ).format(unit="Phường Ba Đình")]
    db = open_database(hub_path)
    try:
        score = assessments.view(db, year, "00004").scores["1.1.2"]
        assert (score.appraised_score, score.appraisal_comment) == (
            Decimal("1.5"), "Mới hoàn thành 9/10 nhiệm vụ.")
    finally:
        db.close()

    # Tổng hợp: published with the decision, ranked, the results written for every unit.
    ranking = hub.ranking
    hub.tabs.setCurrentWidget(ranking)
    wait(qtbot, lambda: ranking.inputs is not None and idle(window))
    done: list[str] = []

    def publish(dialog: QWidget) -> None:
        assert isinstance(dialog, PublishDialog)
        dialog.number.setText("70/QĐ-SNV")
        dialog.decided_on.setText(format_date(window.state.today))
        when_modal(QMessageBox, lambda box: done.append(box.text()) or box.close())
        dialog.accept_button.click()

    when_modal(PublishDialog, publish)
    QTest.mouseClick(ranking.publish_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: bool(done) and idle(window))
    assert done == ["Đã công bố kết quả của 1 đơn vị."]
    wait(qtbot, lambda: ranking.inputs is not None and ranking.inputs.decision_number == "70/QĐ-SNV"
         and idle(window))
    rows = [[ranking.model.index(r, c).data() for c in range(ranking.model.columnCount())]
            for r in range(ranking.model.rowCount())]
    assert rows == [["1/1", "Phường Ba Đình", "96,75", "Tốt", "đã công bố"]]
    results = tmp_path / "ket-qua"
    results.mkdir()
    ranking.ask_folder = lambda _parent, _caption: str(results)
    written: list[str] = []
    when_modal(QMessageBox, lambda box: written.append(box.text()) or box.close())
    QTest.mouseClick(ranking.send_button, Qt.MouseButton.LeftButton)
    wait(qtbot, lambda: bool(written) and idle(window))
    assert written == [f"Đã ghi 1 gói kết quả vào {results}."]

    # Back at the ward: the result package imported in its own window.
    ward_window = open_window(ward.path)
    lines = receive_in_window(qtbot, ward_window, results / f"ket-qua-00004-{year}.cchc")
    assert "mới: kết quả công bố: chỉ số 96,75" in lines
    overview = ward_window.screen(screens.OVERVIEW)
    assert isinstance(overview, OverviewScreen)
    wait(qtbot, lambda: idle(ward_window))
    assert ward_window.status_label.text() == "Trạng thái: đã công bố"
    assert (overview.index_card.value.text(), overview.rank_card.value.text()) == ("96,75", "1/1")
    db = open_database(ward.path)
    try:
        published = assessments.view(db, year).result
        assert published is not None and published.decision_number == "70/QĐ-SNV"
        assert published.index == Decimal("96.75")
    finally:
        db.close()
