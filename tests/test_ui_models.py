"""The criteria table's model without widgets: rows, columns, roles, edits saved through the
service, local totals, filters and the parsing of what a clerk types."""

from __future__ import annotations

import statistics
import time
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QModelIndex, Qt

from db.engine import open_database
from parapp.domain.assessment import AssessmentInfo, AssessmentStatus, NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode, IndexKind
from parapp.domain.errors import ScoreError
from parapp.domain.scoring import Answer, Declared, RatioRule, YesNoRule
from parapp.services import assessments
from parapp.services.assessments import AssessmentView
from ui.models import cells
from ui.models.columns import (
    CODE_ROLE,
    COL_DECLARED,
    COL_EVIDENCE,
    COL_MAX,
    COL_SELF,
    COL_STT,
    COL_TITLE,
    COLUMN_COUNT,
    EDIT_KIND_ROLE,
    ERROR_ROLE,
)
from ui.models.criteria_filter import CriteriaFilter
from ui.models.criteria_tree import CriteriaTreeModel
from ui.models.problems import Problem
from ui.models.score_editing import ScoreEditor, Target
from ui.tasks import TaskManager

pytestmark = pytest.mark.usefixtures("vietnamese")


def _view(path: Path) -> AssessmentView:
    db = open_database(path)
    try:
        return assessments.view(db)
    finally:
        db.close()


def _model(view: AssessmentView, editable: bool = False) -> CriteriaTreeModel:
    model = CriteriaTreeModel()
    model.set_data(view.cset, view.scores, view.evidence_counts, editable)
    return model


def _first_leaf(view: AssessmentView, area: str, rule: type) -> CriterionNode:
    return next(
        n
        for n in view.cset.leaves()
        if view.cset.area_of(n.code).code == area and isinstance(n.rule, rule)
    )


# --- structure and display --------------------------------------------------------------


def test_rows_columns_and_parents(qapp: object, published_db: Path) -> None:
    view = _view(published_db)
    model = _model(view)
    assert model.rowCount() == len(view.cset.roots())
    assert model.columnCount() == COLUMN_COUNT == 7
    area = model.index(0, 0)
    assert area.data(CODE_ROLE) == "1"
    assert model.rowCount(area) == len(view.cset.children("1"))
    child = model.index(0, COL_TITLE, area)
    assert child.data() == view.cset.children("1")[0].title
    assert model.parent(child) == area
    assert not model.parent(area).isValid()
    assert model.index_of("1.1.1", COL_STT).data() == "1.1.1"
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(COLUMN_COUNT)]
    assert headers[0] == "STT" and headers[1] == "Tiêu chí"
    assert "Giải trình" in headers and any("tự chấm" in h for h in headers)


def test_numbers_are_vietnamese_and_areas_bold(qapp: object, published_db: Path) -> None:
    view = _view(published_db)
    model = _model(view)
    area = model.index_of("1", COL_SELF)
    assert area.data() == "13,63"  # 13.625 self points, two decimals half up
    assert model.index_of("1", COL_MAX).data() == "14"
    assert model.index_of("1.3.1", COL_MAX).data() == "0,5"
    assert model.index_of("1.3.1", COL_SELF).data() == "0,50"
    assert model.index_of("1", COL_TITLE).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index_of("1.1", COL_TITLE).data(Qt.ItemDataRole.FontRole) is None
    align = model.index_of("1", COL_SELF).data(Qt.ItemDataRole.TextAlignmentRole)
    assert align & int(Qt.AlignmentFlag.AlignRight)


def test_declared_data_is_shown_the_clerks_way(qapp: object, published_db: Path) -> None:
    model = _model(_view(published_db))
    assert model.index_of("1.1.1", COL_DECLARED).data() == "Có"
    assert model.index_of("1.4.2", COL_DECLARED).data() == "Hoàn thành tốt"
    assert model.index_of("3.4.1", COL_DECLARED).data() == "1.301/1.310"
    assert model.index_of("3.4.1", COL_DECLARED).data(Qt.ItemDataRole.EditRole) == "1301/1310"
    assert model.index_of("1.2", COL_DECLARED).data() == "0"


def test_evidence_column_counts_links_and_marks_missing(qapp: object, published_db: Path) -> None:
    view = _view(published_db)
    model = _model(view)
    missing = next(
        n.code
        for n in view.cset.leaves()
        if cells.needs_evidence(n) and not view.has_evidence(n.code)
    )
    assert model.index_of(missing, COL_EVIDENCE).data() == "Chưa có"
    assert model.index_of("1.1.2", COL_EVIDENCE).data() == "2"


def test_published_assessment_is_read_only(qapp: object, published_db: Path) -> None:
    model = _model(_view(published_db), editable=False)
    index = model.index_of("1.1.1", COL_DECLARED)
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(index, "no") is False


def test_only_free_rules_take_a_typed_score(qapp: object, draft_db: Path) -> None:
    model = _model(_view(draft_db), editable=True)
    editable = Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index_of("4.4", COL_SELF)) & editable  # FreeRule
    assert not model.flags(model.index_of("4.3", COL_SELF)) & editable  # yes/no: computed
    assert model.flags(model.index_of("4.3", COL_DECLARED)) & editable
    assert not model.flags(model.index_of("4.4", COL_DECLARED)) & editable  # nothing to declare
    assert not model.flags(model.index_of("4", COL_DECLARED)) & editable  # an area
    assert model.index_of("4.3", COL_DECLARED).data(EDIT_KIND_ROLE) == cells.KIND_CHOICE


# --- edits ------------------------------------------------------------------------------


def _wait_saved(qtbot: object, editor: ScoreEditor) -> None:
    qtbot.waitUntil(lambda: editor.pending == 0, timeout=15_000)  # type: ignore[attr-defined]


def test_set_data_saves_through_the_service_and_updates_the_area(
    qtbot: object, draft_db: Path
) -> None:
    view = _view(draft_db)
    model = _model(view, editable=True)
    tasks = TaskManager()
    db = open_database(draft_db)
    try:
        editor = ScoreEditor(model, tasks)
        editor.set_target(Target(db, view.info.id, view.info.year))
        leaf = _first_leaf(view, "4", YesNoRule)
        assert model.index_of("4", COL_SELF).data() == ""  # nothing scored in area 4
        assert model.setData(model.index_of(leaf.code, COL_DECLARED), "Có")
        # The area total changes at once, before the save has finished.
        assert model.node_total("4").self_points == leaf.max_points
        assert model.index_of(leaf.code, COL_SELF).data() == f"{leaf.max_points:.2f}".replace(
            ".", ","
        )
        _wait_saved(qtbot, editor)
        saved = _view(draft_db).scores[leaf.code]
        assert saved.declared.answer is Answer.YES
        assert saved.self_score == leaf.max_points
    finally:
        tasks.shutdown()
        db.close()


def test_an_invalid_value_is_refused_with_the_reason(qtbot: object, draft_db: Path) -> None:
    view = _view(draft_db)
    model = _model(view, editable=True)
    tasks = TaskManager()
    db = open_database(draft_db)
    try:
        editor = ScoreEditor(model, tasks)
        editor.set_target(Target(db, view.info.id, view.info.year))
        leaf = _first_leaf(view, "5", RatioRule)
        refused: list[str] = []
        model.edit_refused.connect(lambda _code, _col, reason: refused.append(reason))
        index = model.index_of(leaf.code, COL_DECLARED)
        assert model.setData(index, "120/100") is False
        assert refused and "lớn hơn tổng số" in refused[0]
        assert refused[0].startswith(f"Tiêu chí {leaf.code}:")
        assert index.data(ERROR_ROLE) == refused[0]
        assert index.data(Qt.ItemDataRole.ToolTipRole) == refused[0]
        assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
        assert editor.pending == 0  # nothing was sent to the database
        assert leaf.code not in _view(draft_db).scores
        # A good value clears the mark.
        assert model.setData(index, "98/100")
        assert index.data(ERROR_ROLE) is None
        _wait_saved(qtbot, editor)
        assert _view(draft_db).scores[leaf.code].declared.numerator == Decimal(98)
    finally:
        tasks.shutdown()
        db.close()


def test_undo_puts_the_previous_value_back_in_the_database(qtbot: object, draft_db: Path) -> None:
    view = _view(draft_db)
    model = _model(view, editable=True)
    tasks = TaskManager()
    db = open_database(draft_db)
    try:
        editor = ScoreEditor(model, tasks)
        editor.set_target(Target(db, view.info.id, view.info.year))
        before = view.scores["1.1.1"]
        assert before.declared.answer is Answer.YES
        model.setData(model.index_of("1.1.1", COL_DECLARED), "no")
        _wait_saved(qtbot, editor)
        assert _view(draft_db).scores["1.1.1"].self_score == Decimal(0)
        editor.undo_stack.undo()
        assert model.index_of("1.1.1", COL_DECLARED).data() == "Có"
        _wait_saved(qtbot, editor)
        assert _view(draft_db).scores["1.1.1"] == before
        editor.undo_stack.redo()
        _wait_saved(qtbot, editor)
        assert _view(draft_db).scores["1.1.1"].declared.answer is Answer.NO
    finally:
        tasks.shutdown()
        db.close()


def test_explanation_is_saved_as_typed(qtbot: object, draft_db: Path) -> None:
    view = _view(draft_db)
    model = _model(view, editable=True)
    tasks = TaskManager()
    db = open_database(draft_db)
    try:
        editor = ScoreEditor(model, tasks)
        editor.set_target(Target(db, view.info.id, view.info.year))
        text = "Đã ban hành đúng hạn; xem Kế hoạch số 05/KH-UBND."
        assert model.setData(model.index_of("1.1.1", 6), text)
        _wait_saved(qtbot, editor)
        saved = _view(draft_db).scores["1.1.1"]
        assert saved.explanation == text
        assert saved.declared.answer is Answer.YES  # untouched
    finally:
        tasks.shutdown()
        db.close()


# --- what the clerk types -----------------------------------------------------------


def test_parsing_declared_values() -> None:
    yes_no = YesNoRule(allow_na=True)
    assert cells.parse_declared(yes_no, "Có") == Declared(answer=Answer.YES)
    assert cells.parse_declared(yes_no, "co") == Declared(answer=Answer.YES)
    assert cells.parse_declared(yes_no, "KHÔNG") == Declared(answer=Answer.NO)
    assert cells.parse_declared(yes_no, "khong ap dung") == Declared(answer=Answer.NA)
    assert cells.parse_declared(yes_no, "") == Declared()
    ratio = RatioRule(thresholds=())
    assert cells.parse_declared(ratio, "98/100") == Declared(
        numerator=Decimal(98), denominator=Decimal(100)
    )
    assert cells.parse_declared(ratio, "1.183 / 1.204") == Declared(
        numerator=Decimal(1183), denominator=Decimal(1204)
    )
    assert cells.parse_declared(ratio, "0,5/1") == Declared(
        numerator=Decimal("0.5"), denominator=Decimal(1)
    )
    for bad in ("98", "abc/100", "98/"):
        with pytest.raises(ScoreError):
            cells.parse_declared(ratio, bad)
    with pytest.raises(ScoreError):
        cells.parse_declared(yes_no, "có lẽ")


# --- filters ----------------------------------------------------------------------------


def _visible(proxy: CriteriaFilter, parent: QModelIndex | None = None) -> list[str]:
    out: list[str] = []
    parent = parent or QModelIndex()
    for row in range(proxy.rowCount(parent)):
        index = proxy.index(row, 0, parent)
        out.append(index.data(CODE_ROLE))
        out.extend(_visible(proxy, index))
    return out


def test_search_ignores_diacritics_and_case(qapp: object, published_db: Path) -> None:
    model = _model(_view(published_db))
    proxy = CriteriaFilter()
    proxy.setSourceModel(model)
    proxy.set_filter(query="CAI CACH THU TUC hanh chinh")
    shown = _visible(proxy)
    assert shown[0] == "3" and "3.1" in shown  # the area matched: its subtree is shown
    proxy.set_filter(query="dien tu")  # "điện tử": đ folds to d
    assert "7.1.1" in _visible(proxy)
    proxy.set_filter(query="")
    assert len(_visible(proxy)) == len(model.cset.nodes)  # type: ignore[union-attr]


def test_problem_and_area_filters(qapp: object, draft_db: Path) -> None:
    view = _view(draft_db)
    model = _model(view, editable=True)
    proxy = CriteriaFilter()
    proxy.setSourceModel(model)
    proxy.set_filter(problem=Problem.NOT_SCORED)
    shown = _visible(proxy)
    assert "4.3" in shown and "1.1.1" not in shown
    proxy.set_filter(problem=Problem.LOST, area="1")
    lost = _visible(proxy)
    assert "1.4.2" in lost and all(c.startswith("1") for c in lost)
    proxy.set_filter(problem=Problem.ALL, area=None)
    assert len(_visible(proxy)) == len(view.cset.nodes)


# --- speed --------------------------------------------------------------------------


def _set_of(nodes: int = 150) -> CriteriaSet:
    items = []
    for a in range(1, 11):
        items.append(CriterionNode(f"{a}", f"Lĩnh vực {a}", Decimal(6)))
        for c in range(1, 3):
            items.append(CriterionNode(f"{a}.{c}", f"Tiêu chí {a}.{c}", Decimal(3), f"{a}"))
            for leaf in range(1, 7):
                items.append(
                    CriterionNode(
                        f"{a}.{c}.{leaf}", "Nội dung", Decimal("0.5"), f"{a}.{c}", rule=YesNoRule()
                    )
                )
    assert len(items) == nodes
    return CriteriaSet("T", "Thử", IndexKind.PAR, "2026", 1, tuple(items))


def test_one_edit_updates_totals_quickly_on_150_nodes(qapp: object) -> None:
    cset = _set_of()
    scores = {
        n.code: NodeScore(n.code, Declared(answer=Answer.YES), Decimal("0.5"))
        for n in cset.leaves()
    }
    model = CriteriaTreeModel()
    model.set_data(cset, scores, {}, editable=True)
    assert AssessmentInfo and AssessmentStatus  # the same types the screens use
    times = []
    for i in range(15):
        index = model.index_of(f"{1 + i % 10}.1.1", COL_DECLARED)
        value = "no" if i % 2 == 0 else "yes"
        start = time.perf_counter()
        assert model.setData(index, value)
        times.append(time.perf_counter() - start)
    assert model.node_total("1").self_points in (Decimal(6), Decimal("5.5"))
    assert statistics.median(times) < 0.05
