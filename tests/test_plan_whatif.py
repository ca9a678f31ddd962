"""The what-if service (parapp.services.plan_whatif) on a real SQLite file built from the
hand-made set (not the demo): a published result whose area 1 loses more than its criteria
name, two areas printed from the self scores, items added by hand that share a criterion or
name none, finished items, and the ranking read from the result file."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from db.engine import Database, open_database
from parapp.domain.units import Unit, UnitKind
from parapp.services import (
    assessments,
    criteria,
    plan_items,
    plan_whatif,
    plans,
    results,
    scores_import,
    setup,
    submission,
)
from parapp.services.common import ServiceError

D = Decimal
DATA = Path(__file__).resolve().parent / "data"
RANKING = [
    {"unit_code": "06100", "unit_name": "Phường Chi Lăng", "index": "91.20", "rank": 1},
    {"unit_code": "06130", "unit_name": "Xã Hoàng Đồng", "index": "85.10", "rank": 2},
    {"unit_code": "06172", "unit_name": "Xã Tân Lập", "index": "80.00", "rank": 3},
    {"unit_code": "06190", "unit_name": "Xã Mai Pha", "index": "80.00", "rank": 3},
]


def result_file(tmp: Path, **extra: Any) -> Path:
    # Area 1 published at 5,5 of 6,5: lost 1, its criteria name 0,87 (0,13 "Nội dung khác");
    # areas 2 and 3 print their self sums (5,75 and 3,75): rows 15, the decision says 16.
    doc = {
        "format": "parapp-published-result",
        "format_version": 1,
        "year": 2025,
        "index": "80.00",
        "points": "16",
        "decision_number": "70/QĐ-UBND",
        "areas": [{"code": "1", "points": "5.5", "max": "6.5"}],
        **extra,
    }
    path = tmp / "ket-qua.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def build(tmp: Path, **extra: Any) -> Database:
    path = tmp / "parapp.sqlite3"
    setup.init_database(path, Unit("06172", "Xã Tân Lập", UnitKind.COMMUNE))
    db = open_database(path)
    criteria.import_file(db, DATA / "handmade-set.json")
    info = assessments.new_assessment(db, 2025)
    scores_import.import_scores(db, DATA / "handmade-scores.csv")
    submission.submit(db, info.id, allow_incomplete=True, reason="Chưa đủ tài liệu")
    results.import_result_file(db, result_file(tmp, **extra))
    plans.draft_plan(db)
    return db


@pytest.fixture
def db(tmp_path: Path) -> Any:
    database = build(tmp_path, ranking=RANKING)
    yield database
    database.close()


def test_points_per_item_each_lost_point_once(db: Database) -> None:
    plan_items.add(db, criterion="1.2.2", tasks="Kiểm tra đủ 04 bộ phận")  # inside item 1's 1.2
    plan_items.add(db, shortcoming="Tập huấn nghiệp vụ cho công chức")  # no criterion
    w = plan_whatif.whatif(db)
    got = [(i.number, i.points, i.alone, i.measurable) for i in w.by_number()]
    assert got == [
        (1, D("0.37"), D("0.37"), True),  # 1.2
        (2, D("0.50"), D("0.50"), True),  # 1.3
        (3, D("0.13"), D("0.13"), True),  # "Nội dung khác" of area 1
        (4, D("0.00"), D("0.25"), True),  # 1.2.2: already counted by item 1
        (5, D("1.50"), D("1.50"), True),  # 2.1
        (6, D("0.75"), D("0.75"), True),  # 2.2
        (7, D("1.25"), D("1.25"), True),  # 3.1
        (8, D("0.50"), D("0.50"), True),  # 3.2
        (9, D("0.00"), D("0.00"), False),  # a general task
    ]
    assert (w.points, w.max_points, w.index) == (D(16), D(20), D("80.00"))
    assert w.recoverable == D("5.00")
    # 15 + 5 = 20 (the decision's +1 would pass the maximum): 20 and 100,00.
    assert (w.projected_points, w.projected_index) == (D("20.00"), D("100.00"))
    # Items 4 and 5: 0,25 + 1,5 = 1,75 → 15 + 1,75 + 1 = 17,75; 80 + 1,75 × 5 = 88,75
    some = plan_whatif.whatif(db, numbers=[4, 5])
    assert (some.recovered, some.projected_points, some.projected_index) == (
        D("1.75"), D("17.75"), D("88.75"),
    )  # fmt: skip
    # 88,75 passes Xã Hoàng Đồng's 85,10: second of four (its own row counted once).
    assert (some.projected_rank, some.rank_of, some.current_rank) == (2, 4, 3)
    assert some.ranking_year == 2025 and some.rank_reason is None
    ids = [i.item_id for i in w.by_number()]
    assert plan_whatif.whatif(db, selected=[ids[0], ids[3]]).recovered == D("0.37")


def test_finished_items_are_what_the_progress_report_expects(db: Database) -> None:
    first = plan_items.list_items(db).items[0].item
    plans.record_progress(db, first.id, date(2026, 5, 4), 100, "Đã hoàn thành")
    w = plan_whatif.whatif(db)
    assert w.items[first.id].done
    # 0,37 → 15,37 + 1 = 16,37; 80 + 0,37 × 5 = 81,85
    assert (w.done_recovered, w.done_points, w.done_index) == (D("0.37"), D("16.37"), D("81.85"))


def test_without_a_ranking_no_rank_and_why(tmp_path: Path) -> None:
    database = build(tmp_path)
    try:
        w = plan_whatif.whatif(database)
        assert w.projected_rank is None and w.rank_of is None
        assert w.rank_reason is not None and "ranking" in str(w.rank_reason)
    finally:
        database.close()


def test_bad_selection_and_bad_ranking_are_one_sentence_and_change_nothing(
    db: Database, tmp_path: Path
) -> None:
    with pytest.raises(ServiceError, match="numbered 1 to 7"):
        plan_whatif.whatif(db, numbers=[8])
    with pytest.raises(ServiceError, match="no item"):
        plan_whatif.whatif(db, selected=["nope"])
    before = _rows(db.path)
    wrong = [*RANKING[:2], dict(RANKING[2], index="81.00"), RANKING[3]]  # not the result's
    with pytest.raises(ServiceError, match=r"index 81\.00, not the published 80\.00"):
        results.import_result_file(db, result_file(tmp_path, ranking=wrong))
    twice = [RANKING[0], RANKING[0]]
    with pytest.raises(ServiceError, match="listed twice"):
        results.import_result_file(db, result_file(tmp_path, ranking=twice))
    assert _rows(db.path) == before


def _rows(path: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return [
            r
            for t in ("published_results", "published_rankings", "node_scores")
            for r in con.execute(f"SELECT * FROM {t} ORDER BY id")
        ]
    finally:
        con.close()
