"""First run: the setup page on an empty data folder, through its widgets, offscreen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import OpenWindow
from PySide6.QtCore import Qt

from db.engine import open_database
from parapp.domain.units import UnitKind
from parapp.services import periods, setup
from parapp.services.units_catalog import load_catalog, search_units
from ui.main_window import MainWindow
from ui.models.unit_search import UnitSearchModel
from ui.screens.overview import OverviewScreen
from ui.screens.setup import SetupScreen

pytestmark = pytest.mark.usefixtures("vietnamese")


@pytest.fixture
def open_setup(open_window: OpenWindow) -> Callable[[Path], MainWindow]:
    """Open the window on ``path`` and wait for the setup page with its list of units."""
    return lambda path: open_window(path, _setup_shown)


def _setup_shown(window: MainWindow) -> bool:
    page = window.setup_page
    return isinstance(page, SetupScreen) and page.catalog is not None


def _page(window: MainWindow) -> SetupScreen:
    page = window.setup_page
    assert isinstance(page, SetupScreen)
    return page


def _click_row(qtbot: object, page: SetupScreen, row: int) -> None:
    rect = page.results.visualRect(page.model.index(row))
    qtbot.mouseClick(  # type: ignore[attr-defined]
        page.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )


def _wait_overview(qtbot: object, window: MainWindow) -> OverviewScreen:
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: isinstance(window.stack.currentWidget(), OverviewScreen), timeout=30_000
    )
    overview = window.stack.currentWidget()
    assert isinstance(overview, OverviewScreen)
    return overview


def test_first_run_on_an_empty_folder_sets_up_the_office(
    qtbot: object, open_setup: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "empty" / "parapp.sqlite3"
    window = open_setup(path)
    page = _page(window)
    assert window.stack.currentWidget() is page
    assert not window.nav.isEnabled()
    assert not path.exists()  # nothing is created before she says who she is
    qtbot.keyClicks(page.search_edit, "phuong ba dinh")  # type: ignore[attr-defined]
    assert page.model.rowCount() == 1
    _click_row(qtbot, page, 0)
    assert page.office_name.text() == "Sở Nội vụ thành phố Hà Nội"
    page.role_commune.click()
    assert page.use_sample.isChecked()
    year = window.state.today.year
    assert page.year.value() == year
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

    overview = _wait_overview(qtbot, window)
    assert window.setup_page is None and window.nav.isEnabled()
    assert overview.title.text() == f"Tổng quan năm {year}: Phường Ba Đình"
    assert window.unit_label.text() == "Phường Ba Đình"
    assert str(year) in window.period_combo.text()
    qtbot.waitUntil(lambda: window.period_combo.years() == [year], timeout=10_000)  # type: ignore[attr-defined]

    db = open_database(path)  # a fresh connection sees what was written
    try:
        unit = setup.own_unit(db)
        assert (unit.code, unit.kind) == ("00004", UnitKind.WARD)
        assert unit.appraiser_name == "Sở Nội vụ thành phố Hà Nội"
        assert [s.year for s in periods.list_assessments(db)] == [year]
    finally:
        db.close()


def test_setup_says_what_is_missing_and_creates_nothing(
    qtbot: object, open_setup: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "missing" / "parapp.sqlite3"
    window = open_setup(path)
    page = _page(window)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert "2" in page.error.text()  # "… (bước 2)": the step to go back to
    qtbot.keyClicks(page.search_edit, "phuong ba dinh")  # type: ignore[attr-defined]
    _click_row(qtbot, page, 0)
    page.use_file.click()  # a file, but none chosen
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert "3" in page.error.text()
    assert window.stack.currentWidget() is page
    assert not path.exists()


def test_a_bad_criteria_file_is_refused_with_the_reason(
    qtbot: object, open_setup: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    bad = tmp_path / "bo-tieu-chi.json"
    bad.write_text("{ not json", encoding="utf-8")
    window = open_setup(tmp_path / "bad" / "parapp.sqlite3")
    page = _page(window)
    qtbot.keyClicks(page.search_edit, "phuong ba dinh")  # type: ignore[attr-defined]
    _click_row(qtbot, page, 0)
    page.file_edit.setText(str(bad))
    assert page.use_file.isChecked()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: page.start_button.isEnabled() and bool(page.error.text()), timeout=20_000
    )
    assert window.stack.currentWidget() is page
    assert "JSON" in page.error.text() and "Traceback" not in page.error.text()
    assert not (tmp_path / "bad" / "parapp.sqlite3").exists()  # nothing half made


def test_appraiser_sets_up_its_province_office(
    qtbot: object, open_setup: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "so" / "parapp.sqlite3"
    window = open_setup(path)
    page = _page(window)
    page.role_appraiser.click()
    assert not page.results.isVisible() and not page.year_box.isVisible()
    page.province.setCurrentIndex(page.province.findText("Tỉnh Lạng Sơn"))
    assert page.office_name.text() == "Sở Nội vụ tỉnh Lạng Sơn"
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    state = window.state
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: state.db is not None and state.snapshot is not None and not state.snapshot.setup,
        timeout=30_000,
    )
    db = open_database(path)
    try:
        unit = setup.own_unit(db)
        assert (unit.code, unit.name, unit.kind) == (
            "20",
            "Sở Nội vụ tỉnh Lạng Sơn",
            UnitKind.DEPARTMENT,
        )
        assert setup.get_setting(db, "role") == "appraiser"
    finally:
        db.close()


def test_a_database_with_a_unit_but_no_assessment_only_asks_for_the_rest(
    qtbot: object, open_setup: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "half" / "parapp.sqlite3"
    setup.init_database(path, search_units("hoang van thu")[0])
    window = open_setup(path)
    page = _page(window)
    assert page.existing_label.isVisible() and "Hoàng Văn Thụ" in page.existing_label.text()
    assert not page.search_edit.isEnabled()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    overview = _wait_overview(qtbot, window)
    assert "Hoàng Văn Thụ" in overview.title.text()


# --- the search model, without widgets ---------------------------------------------


@pytest.fixture(scope="module")
def catalog() -> object:
    return load_catalog()


def test_search_ignores_marks_and_case(qapp: object, catalog: object) -> None:
    model = UnitSearchModel()
    model.set_catalog(catalog)  # type: ignore[arg-type]
    assert model.rowCount() == 0  # nothing typed: no list of 3,000 units
    model.set_filter("PHUONG ba dinh")
    names = [model.entry(r).name for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert names == ["Phường Ba Đình"]
    model.set_filter("ba dinh ha noi")  # words in any order, the province's too
    assert model.rowCount() == 1
    shown = model.index(0).data()
    assert shown.startswith("Phường Ba Đình — Thành phố Hà Nội") and shown.endswith("00004)")


def test_search_within_a_province(qapp: object, catalog: object) -> None:
    model = UnitSearchModel()
    model.set_catalog(catalog)  # type: ignore[arg-type]
    model.set_filter("", "20")  # Lạng Sơn: all its communes and wards
    assert model.total > 30
    assert all(model.entry(r).province.name == "Tỉnh Lạng Sơn" for r in range(model.rowCount()))  # type: ignore[union-attr]
    model.set_filter("hoang van thu", "20")
    assert [model.entry(r).code for r in range(model.rowCount())] == ["06172"]  # type: ignore[union-attr]
    model.set_filter("hoang van thu", "01")
    assert model.rowCount() == 0
