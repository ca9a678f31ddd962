"""What the appraiser reads beside each score in "Thẩm định", offscreen, on a copy of the
demo's appraiser (Sở Nội vụ tỉnh Lạng Sơn): the unit's declared figures and whole
explanation, the evidence it filed opened from a checked copy in the program's own folder,
one rank on both tabs, indices as labelled percentages, and the director as signer.

The demo's commune (06172) sent its 2025 self-assessment with its evidence and has a
published result typed from the province's decision (12th of 65); a second commune's 2025
self-assessment is added with a long explanation.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_support import Ready, figures_shown, idle
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from db.engine import open_database
from parapp.domain.remediation import Signer, SignMode
from parapp.domain.scoring import Answer, Declared
from parapp.domain.units import UnitKind
from parapp.i18n import _
from parapp.services import assessments
from parapp.services.appraisal import add_units_from_catalog, unit_statuses
from parapp.services.appraisal_evidence import criterion_evidence
from parapp.services.appraisal_publish import ranking_inputs
from parapp.services.appraiser_signer import appraiser_signer, set_appraiser_signer, signer_lines
from parapp.services.assessments import SelfEntry
from parapp.services.common import ServiceError
from parapp.services.evidence import store_path
from parapp.services.evidence_open import copies_folder, open_copy
from parapp.services.setup import set_default_signer
from tests.state_support import arrive_submitted
from tests.sync_support import copy_demo
from ui import screens
from ui.main_window import MainWindow
from ui.models.ranking import COL_INDEX, COL_RANK
from ui.models.ranking import COL_UNIT as RANKING_UNIT
from ui.models.unit_statuses import COL_APPRAISED, COL_SELF
from ui.models.unit_statuses import COL_RANK as UNITS_RANK
from ui.screens.appraisal import AppraisalScreen
from ui.widgets.appraisal_detail import SHA_ROLE

YEAR = 2025
DEMO_UNIT = "06172"
LONG = (
    "Trong năm, Ủy ban nhân dân xã đã ban hành Kế hoạch cải cách hành chính đúng thời hạn; "
    "tuy nhiên 05 nhiệm vụ của kế hoạch chưa hoàn thành do thiếu kinh phí và nhân lực, "
    "trong đó 03 nhiệm vụ số hóa hồ sơ phải chuyển sang năm sau theo chỉ đạo của Ủy ban "
    "nhân dân tỉnh; xã đã báo cáo và được chấp thuận điều chỉnh tại Văn bản số "
    "123/UBND-VP ngày 15/11/2025. Phần còn lại hoàn thành trong quý I năm 2026."
)
pytestmark = pytest.mark.usefixtures("vietnamese")


# -- data ------------------------------------------------------------------------------
@pytest.fixture
def appraiser(demo_db: Path, tmp_path: Path) -> tuple[Path, str]:
    """The demo's appraiser with a second commune's 2025 self-assessment submitted:
    45 of 50 tasks done (1.1.2), a plan issued (1.1.1), a long explanation."""
    path = copy_demo(demo_db, tmp_path / "demo") / "appraiser" / "parapp.sqlite3"
    db = open_database(path)
    try:
        add_units_from_catalog(db, "20")
        other = next(
            u.unit_code
            for u in unit_statuses(db, YEAR)
            if u.kind is UnitKind.COMMUNE and u.unit_code != DEMO_UNIT
        )
        info = assessments.new_assessment(db, YEAR, unit_code=other)
        assessments.set_self_scores(db, info.id, [
            SelfEntry("1.1.1", declared=Declared(answer=Answer.YES)),
            SelfEntry("1.1.2", declared=Declared(numerator=Decimal(45), denominator=Decimal(50)),
                      explanation=LONG),
        ])  # fmt: skip
        arrive_submitted(db, info.id)
    finally:
        db.close()
    return path, other


@pytest.fixture
def window_ready() -> Ready:
    return lambda window: figures_shown(window) and _hub(window).hub is not None and idle(window)


def _hub(window: MainWindow) -> AppraisalScreen:
    screen = window.screen(screens.APPRAISAL)
    assert isinstance(screen, AppraisalScreen)
    return screen


def open_criterion(qtbot: object, window: MainWindow, unit: str, code: str) -> AppraisalScreen:
    screen = _hub(window)
    screen.open_unit(unit)
    page = screen.unit_page
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: page.opened is not None and page.opened.view.info.unit_code == unit
        and idle(window),
        timeout=15_000,
    )  # fmt: skip
    page.table.setCurrentIndex(page.model.index_of(code, 0))
    qtbot.waitUntil(lambda: page.detail.code == code and idle(window), timeout=10_000)  # type: ignore[attr-defined]
    return screen


class Viewer(QObject):
    """Stands for the system's viewer: the URLs the window asked the system to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def viewer() -> object:
    handler = Viewer()
    QDesktopServices.setUrlHandler("file", handler, "show")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


# -- declared figures, explanation, evidence -------------------------------------------
def test_declared_figures_and_the_whole_explanation_beside_the_score(
    qtbot: object, open_window: object, appraiser: tuple[Path, str]
) -> None:
    path, unit = appraiser
    window = open_window(path)  # type: ignore[operator]
    detail = open_criterion(qtbot, window, unit, "1.1.2").unit_page.detail
    assert detail.value_text("declared") == "45/50"
    # the unit's score as its rule gives it from 45/50, beside the criterion's maximum
    assert detail.value_text("self") == _("{points} of {max}").format(points="1,00", max="2")
    assert detail.value_text("explanation") == LONG  # whole, not cut
    assert detail.rows["explanation"][1].wordWrap()
    assert detail.rows["explanation"][1].isVisible()
    page = _hub(window).unit_page
    page.table.setCurrentIndex(page.model.index_of("1.1.1", 0))
    assert detail.value_text("declared") == "Có"


def test_evidence_opens_from_a_checked_copy_in_the_programs_folder(
    qtbot: object, open_window: object, appraiser: tuple[Path, str], viewer: Viewer
) -> None:
    path, _unit = appraiser
    window = open_window(path)  # type: ignore[operator]
    detail = open_criterion(qtbot, window, DEMO_UNIT, "1.1.2").unit_page.detail
    # One document filed under 1.1.2 and 1.2... and one under 1.1.1 and 1.1.2.
    qtbot.waitUntil(lambda: detail.document_count() == 2, timeout=10_000)  # type: ignore[attr-defined]
    sha = str(detail.evidence.currentItem().data(SHA_ROLE))
    detail.open_button.click()
    qtbot.waitUntil(lambda: bool(viewer.urls), timeout=10_000)  # type: ignore[attr-defined]
    opened = Path(viewer.urls[0].toLocalFile())
    folder = copies_folder(window.state.db)
    assert opened.is_relative_to(folder)
    assert hashlib.sha256(opened.read_bytes()).hexdigest() == sha
    assert opened != store_path(path.parent / "evidence", sha)
    assert opened.suffix == ".txt"  # named as the unit named it, for the viewer


def test_a_damaged_stored_document_is_not_opened(appraiser: tuple[Path, str]) -> None:
    path, _unit = appraiser
    db = open_database(path)
    try:
        doc = criterion_evidence(db, 1, "1.1.2")[0]  # the demo commune's 2025 assessment
        stored = store_path(db.paths.evidence, doc.sha256)
        stored.chmod(0o644)
        stored.write_bytes(stored.read_bytes() + b" changed")
        sha = doc.sha256
        with pytest.raises(ServiceError, match="damaged"):
            open_copy(db, sha, "bao-cao.txt")
        assert not list(copies_folder(db).rglob("*.txt"))
    finally:
        db.close()


# -- one rank, one scale ---------------------------------------------------------------
def test_rank_is_the_same_on_both_tabs_and_indices_are_labelled_percentages(
    qtbot: object, open_window: object, appraiser: tuple[Path, str]
) -> None:
    path, _unit = appraiser
    window = open_window(path)  # type: ignore[operator]
    screen = _hub(window)
    units = screen.units.model
    row = units.row_of(DEMO_UNIT)
    units_rank = units.index(row, UNITS_RANK).data()
    qtbot.waitUntil(lambda: screen.ranking.model.rowCount() > 0 and idle(window), timeout=10_000)  # type: ignore[attr-defined]
    ranking = screen.ranking.model
    rows = {ranking.index(r, RANKING_UNIT).data(): r for r in range(ranking.rowCount())}
    name = units.index(row, 0).data()
    assert units_rank == ranking.index(rows[name], COL_RANK).data() == "12/65"
    assert units.index(row, COL_APPRAISED).data() == ranking.index(rows[name], COL_INDEX).data()
    across = Qt.Orientation.Horizontal
    for header in (
        units.headerData(COL_SELF, across), units.headerData(COL_APPRAISED, across),
        ranking.headerData(COL_INDEX, across),
    ):  # fmt: skip
        assert "(%)" in header
    page = open_criterion(qtbot, window, DEMO_UNIT, "1.1.2").unit_page
    text = page.totals.text()
    own, official = page.model.self_totals, page.model.official
    assert own is not None and official is not None
    assert text.count("%") == 2
    assert f"/{int(own.main_max)} điểm" in text and f"/{int(official.main_max)} điểm" in text


def test_the_ranking_is_signed_by_the_departments_director(
    appraiser: tuple[Path, str],
) -> None:
    path, _unit = appraiser
    db = open_database(path)
    try:
        assert signer_lines(appraiser_signer(db)) == ("GIÁM ĐỐC",)
        # The window's built-in default signer is a commune committee's: never for a Sở.
        set_default_signer(db, Signer(name="Hoàng Văn Nam"))
        signer = appraiser_signer(db)
        assert signer_lines(signer) == ("GIÁM ĐỐC",) and signer.name == "Hoàng Văn Nam"
        set_appraiser_signer(db, mode="KT", position="PHÓ GIÁM ĐỐC", name="Lê Thị Hoa")
        inputs = ranking_inputs(db, YEAR)
        assert inputs.signer_authority == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
        assert inputs.signer_name == "Lê Thị Hoa"
        published = next(r for r in inputs.rows if r.unit_code == DEMO_UNIT)
        assert (published.rank, published.rank_of) == (12, 65)
    finally:
        db.close()


def test_the_appraiser_sets_a_deputy_as_signer_in_the_window(
    qtbot: object, open_window: object, appraiser: tuple[Path, str]
) -> None:
    path, _unit = appraiser
    window = open_window(path)  # type: ignore[operator]
    ranking = _hub(window).ranking
    ranking.signer_button.click()
    qtbot.waitUntil(lambda: ranking.signer_dialog is not None, timeout=10_000)  # type: ignore[attr-defined]
    dialog = ranking.signer_dialog
    assert dialog is not None
    assert dialog.fields.position.text() == "GIÁM ĐỐC"  # the Sở's head, not CHỦ TỊCH
    dialog.fields.mode.setCurrentIndex(dialog.fields.mode.findData(SignMode.KT.value))
    dialog.fields.head_title.setText("GIÁM ĐỐC")
    dialog.fields.position.setText("PHÓ GIÁM ĐỐC")
    dialog.fields.name.setText("Lê Thị Hoa")
    dialog.accept()
    qtbot.waitUntil(lambda: idle(window), timeout=10_000)  # type: ignore[attr-defined]
    db = open_database(path)
    try:
        signer = appraiser_signer(db)
        assert signer_lines(signer) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
        assert signer.name == "Lê Thị Hoa"
    finally:
        db.close()
