"""Save a PNG of every screen on demo data, offscreen, at 1366×768 (for review and README).

    python -m ui.screenshots DIR [--db PATH]

Without ``--db`` a demo office is built in a temporary folder. Besides one picture per
screen (as the demo stands: the 2025 assessment, published), it shows a 2026
self-assessment in progress on a copy of the database: the table while typing, with a
refused value in red, and the overview it gives; and one of our message boxes. In
Vietnamese and English: the commune's published result (received, and typed), the
pre-submission check beside the table, and the appraiser's view of a unit's evidence.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QApplication, QWidget

from parapp import i18n
from parapp.domain.scoring import RatioRule, YesNoRule
from parapp.services import plan_items
from parapp.services.demo import build_demo, start_next_year
from parapp.services.office import open_office
from ui import crash, qt_compat, qt_strings, screens, style
from ui.main_window import MainWindow
from ui.models.columns import COL_DECLARED, COL_TITLE
from ui.screens.appraisal import AppraisalScreen
from ui.screens.plan import PlanScreen
from ui.screens.self_assessment import SelfAssessmentScreen
from ui.state import AppState

# Read when the QApplication is made, not when Qt is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WIDTH, HEIGHT = 1366, 768


def _wait(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        QThread.msleep(10)
    return condition()


def _settle(ms: int = 150) -> None:
    _wait(lambda: False, ms / 1000)


def _copy_db(source: Path, target: Path) -> Path:
    """A consistent copy of a WAL database (SQLite's online backup, not a file copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _draft_2026(db_path: Path) -> None:
    """A 2026 self-assessment half done: areas 1-3 copied from 2025, the rest empty."""
    db = open_office(db_path)
    try:
        start_next_year(db)
    finally:
        db.close()


class Shooter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.saved: list[Path] = []

    def grab(self, widget: object, name: str) -> None:
        assert isinstance(widget, QWidget)
        _settle()
        path = self.folder / f"{len(self.saved) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        self.saved.append(path)
        print(path)


def _open_window(db_path: Path) -> MainWindow:
    state = AppState(None, db_path)
    window = MainWindow(state)
    window.resize(WIDTH, HEIGHT)
    window.show()
    _settle(50)
    state.open()
    if not _wait(lambda: state.view is not None and state.plan is not None):
        raise SystemExit(f"the data did not load: {state.problem or 'timeout'}")
    _settle()
    return window


def _idle(window: MainWindow) -> None:
    """Wait for the screen's background work (loading, rendering), then for its painting."""
    state = window.state
    if state.has_tasks:
        _settle(100)  # a job is queued just after the screen is shown
        _wait(lambda: state.tasks.pending == 0, 60)
    _settle(400)


def _close(window: MainWindow) -> None:
    window.close()
    window.state.tasks.shutdown()
    shiboken6.delete(window)


def shoot(folder: Path, db_path: Path | None) -> list[Path]:
    qt_compat.apply()
    app = QApplication.instance() or QApplication(style.qt_arguments(sys.argv[0]))
    assert isinstance(app, QApplication)
    style.apply(app)
    qt_strings.install()
    folder.mkdir(parents=True, exist_ok=True)
    shooter = Shooter(folder)
    with tempfile.TemporaryDirectory(prefix="parapp-shots-") as tmp:
        if db_path is None:
            db_path = dict(build_demo(Path(tmp) / "demo"))["commune-db"]
        window = _open_window(db_path)
        for screen in screens.SCREENS:
            window.navigate(screen.key)
            _idle(window)  # e.g. the document's preview is rendered on the worker
            shooter.grab(window, screen.key)
        window.navigate(screens.SELF_ASSESSMENT, problem="lost")
        shooter.grab(window, "self_assessment-lost-points")
        _close(window)

        draft = _copy_db(db_path, Path(tmp) / "draft" / "parapp.sqlite3")
        _draft_2026(draft)
        window = _open_window(draft)
        shooter.grab(window, "overview-2026-in-progress")
        _shoot_typing(window, shooter)
        _shoot_dialog(window, shooter)
        _close(window)
        _shoot_result_and_check(Path(db_path), draft, shooter)

        long_plan = _copy_db(db_path, Path(tmp) / "long-plan" / "parapp.sqlite3")
        _lengthen_plan(long_plan)
        _shoot_plan(long_plan, shooter)

        appraiser = _appraiser_db(Path(db_path), Path(tmp))
        if appraiser is not None:
            _shoot_appraiser(appraiser, shooter)
    return shooter.saved


LONG_SHORTCOMING = (
    "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết qua dịch vụ công trực tuyến "
    "toàn trình còn thấp; nhiều hồ sơ chưa được số hóa kết quả giải quyết theo quy định tại "
    "Nghị định số 107/2021/NĐ-CP của Chính phủ"
)


def _lengthen_plan(db_path: Path) -> None:
    """The 2026 plan with fourteen more items of long texts (20 and more in all), one with
    progress."""
    db = open_office(db_path)
    try:
        for k in range(14):
            change = plan_items.add(
                db, 2026, shortcoming=f"{LONG_SHORTCOMING} (nhóm {k + 1}).",
                tasks="- Rà soát toàn bộ hồ sơ tồn đọng.\n- Tập huấn công chức Bộ phận một "
                "cửa.\n- Báo cáo kết quả về UBND xã hằng quý.",
                product="Báo cáo kết quả số hóa; danh sách hồ sơ đã xử lý",
                lead="Văn phòng HĐND và UBND, Trung tâm Phục vụ hành chính công",
                coordinating="Công an xã; Phòng Kinh tế", deadline="quý III/2026",
            )  # fmt: skip
        plan_items.progress(
            db, change.numbers[0] - 13, date(2026, 5, 10), 40,
            "Đã rà soát 120/300 hồ sơ; phần còn lại hoàn thành trong tháng 6.", 2026,
        )  # fmt: skip
    finally:
        db.close()


def _shoot_plan(db_path: Path, shooter: Shooter) -> None:
    """The plan screen with 20+ items in Vietnamese and English: an item with long texts
    and progress in the pane; then three items selected (their what-if under the table)
    and a deadline the program cannot read, refused beside its field."""
    before = i18n.get_language()
    for language in ("vi", "en"):
        i18n.set_language(language)
        window = _open_window(db_path)
        window.navigate("plan")
        _idle(window)
        screen = window.screen("plan")
        assert isinstance(screen, PlanScreen)
        model = screen.model
        row = next(
            r for r in range(model.rowCount())
            if (item := model.item(r)) is not None and item.progress == 40
        )
        screen.table.select_rows([row], row)  # the first long item, with progress
        screen.table.setFocus()
        _idle(window)
        shooter.grab(window, f"plan-long-{language}")
        screen.table.select_rows([4, 5, 6], 4)
        screen.detail.deadline.setText("khi nào có kinh phí")
        screen.detail.deadline.editingFinished.emit()
        _idle(window)
        shooter.grab(window, f"plan-selected-refused-{language}")
        _close(window)
    i18n.set_language(before)


def _shoot_typing(window: MainWindow, shooter: Shooter) -> None:
    """The table while the clerk types in area 5: two answers saved, one ratio refused."""
    window.navigate("self_assessment", area="5")
    screen = window.screen("self_assessment")
    assert isinstance(screen, SelfAssessmentScreen)
    model = screen.model
    assert model.cset is not None
    leaves = [n for n in model.cset.leaves() if model.cset.area_of(n.code).code == "5"]
    for node in [n for n in leaves if isinstance(n.rule, YesNoRule)][:2]:
        model.setData(model.index_of(node.code, COL_DECLARED), "yes")
    ratio = next((n.code for n in leaves if isinstance(n.rule, RatioRule)), None)
    if ratio is not None:
        model.setData(model.index_of(ratio, COL_DECLARED), "120/100")
        index = screen.proxy.mapFromSource(model.index_of(ratio, COL_TITLE))
        screen.table.setCurrentIndex(index)  # the detail pane shows it; the red cell stays red
        screen.table.scrollTo(index)
    _wait(lambda: screen.editor.pending == 0)
    shooter.grab(window, "self_assessment-2026-typing")


def _shoot_dialog(window: MainWindow, shooter: Shooter) -> None:
    # The crash message as a clerk would see it, naming where the report was written.
    log = window.state.log_dir / "crash-20261206-091502-123456.log"
    box = crash.message_box(window, log)
    box.show()
    shooter.grab(box, "dialog-message")
    box.close()


def _shoot_result_and_check(published: Path, draft: Path, shooter: Shooter) -> None:
    """In Vietnamese and English: the commune's "Kết quả công bố" for 2025 (received in the
    appraiser's package, read-only) and 2024 (typed from the decision), then the 2026
    pre-submission check beside the table, a line chosen and its criterion selected."""
    before = i18n.get_language()
    for language in ("vi", "en"):
        i18n.set_language(language)
        window = _open_window(published)
        window.navigate(screens.APPRAISAL)
        _idle(window)
        shooter.grab(window, f"published-result-{language}")
        window.periods.switch_to(2024)
        _idle(window)
        shooter.grab(window, f"published-result-typed-{language}")
        _close(window)
        window = _open_window(draft)
        window.navigate(screens.SELF_ASSESSMENT)
        screen = window.screen(screens.SELF_ASSESSMENT)
        assert isinstance(screen, SelfAssessmentScreen)
        screen.open_check()
        _wait(lambda: screen.check.gaps is not None)  # noqa: B023 - waited for in this loop
        screen.check.missing.setCurrentRow(max(screen.check.row_of("4.1"), 0))
        screen.go_to("4.1")
        _idle(window)
        shooter.grab(window, f"submit-check-{language}")
        _close(window)
    i18n.set_language(before)


def _appraiser_db(commune_db: Path, tmp: Path) -> Path | None:
    """A copy of the demo's appraiser office beside the commune's (``demo/appraiser``),
    with its evidence store (the documents the appraiser opens)."""
    source = commune_db.parent.parent / "appraiser" / "parapp.sqlite3"
    if not source.is_file():
        return None
    target = _copy_db(source, tmp / "appraiser" / "parapp.sqlite3")
    if (source.parent / "evidence").is_dir():
        shutil.copytree(source.parent / "evidence", target.parent / "evidence")
    return target


def _shoot_appraiser(db_path: Path, shooter: Shooter) -> None:
    """The appraiser's window (Sở Nội vụ) in Vietnamese and English: the commune's 2025
    assessment open in "Thẩm định" with criterion 1.1.2 selected (declared figures, whole
    explanation, the evidence filed, under 1.1.2 and above it), then 1.3.3 (an explanation,
    no document), then the ranking tab."""
    before = i18n.get_language()
    for language in ("vi", "en"):
        i18n.set_language(language)
        state = AppState(None, db_path)
        window = MainWindow(state)
        window.resize(WIDTH, HEIGHT)
        window.show()
        _settle(50)
        state.open()
        _wait(lambda: state.view is not None)  # noqa: B023 - waited for in this loop
        window.navigate(screens.APPRAISAL)
        screen = window.screen(screens.APPRAISAL)
        assert isinstance(screen, AppraisalScreen)
        _wait(lambda: screen.hub is not None)  # noqa: B023
        _idle(window)
        screen.open_unit("06172")
        panel = screen.unit_page
        _wait(lambda: panel.opened is not None)  # noqa: B023
        _idle(window)
        index = panel.model.index_of("1.1.2", 0)
        panel.table.setCurrentIndex(index)
        panel.table.scrollTo(index)
        _idle(window)
        shooter.grab(window, f"appraisal-unit-evidence-{language}")
        index = panel.model.index_of("1.3.3", 0)  # an explanation, no document filed
        panel.table.setCurrentIndex(index)
        _idle(window)
        shooter.grab(window, f"appraisal-unit-explanation-{language}")
        screen.show_units()
        shooter.grab(window, f"appraisal-units-{language}")
        screen.tabs.setCurrentWidget(screen.ranking)
        _idle(window)
        shooter.grab(window, f"appraisal-ranking-{language}")
        _close(window)
    i18n.set_language(before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    shoot(args.folder, args.db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
