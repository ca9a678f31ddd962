"""The published ranking in the result package (data schema 2, docs/sync-format.md): sent by
the appraiser with a published result, signed with its real key, kept at the commune for the
what-if's projected rank; schema 1 result packages (older programs) are still read; a
ranking that contradicts the published result, or comes without one, is refused whole."""

from __future__ import annotations

import copy
import uuid
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sync_support import copy_demo, dump

from db.engine import Database, open_database
from db.models import AssessmentRow, PublishedRankingRow, PublishedResultRow, UnitRow
from parapp import i18n
from parapp.services import assessments, plan_whatif, results, sync_export, sync_import, sync_keys
from parapp.services.sync_sequence import next_sequence
from parapp.sync.package import read_package, write_package

D = Decimal
OTHERS = [("06100", "Phường Chi Lăng", "91.20", 1), ("06130", "Xã Hoàng Đồng", "85.10", 2),
          ("06190", "Xã Mai Pha", "60.00", 4)]


def _publish_others(adb: Database) -> D:
    """Three more units published by the appraiser for 2025, 06172 third of four."""
    with adb.session() as s:
        own = s.query(AssessmentRow).join(UnitRow).filter(
            UnitRow.code == "06172", AssessmentRow.year == 2025).one()
        stamp = datetime(2026, 2, 10)
        for code, name, index, rank in OTHERS:
            unit = UnitRow(code=code, name=name, kind="commune", appraiser_code="20")
            s.add(unit)
            s.flush()
            arow = AssessmentRow(uuid=str(uuid.uuid4()), unit_id=unit.id, set_id=own.set_id,
                                 year=2025, status="published", created_at=stamp,
                                 updated_at=stamp)
            s.add(arow)
            s.flush()
            s.add(PublishedResultRow(assessment_id=arow.id, index_value=D(index), rank=rank,
                                     rank_of=4, decision_number="215/QĐ-SNV",
                                     source="typed", recorded_at=stamp))
    view = assessments.view(adb, 2025, unit_code="06172")
    assert view.result is not None
    results.record_result(adb, replace(view.result, rank=3, rank_of=4), year=2025,
                          unit_code="06172")
    return view.result.index


@pytest.fixture
def offices(demo_db: Path, tmp_path: Path) -> Any:
    root = copy_demo(demo_db, tmp_path / "demo")
    commune = open_database(root / "commune" / "parapp.sqlite3")
    appraiser = open_database(root / "appraiser" / "parapp.sqlite3")
    (root / "stick").mkdir()
    try:
        yield commune, appraiser, root
    finally:
        commune.close()
        appraiser.close()


def _import(db: Database, path: Path) -> sync_import.Outcome:
    [(_d, _t, outcome)] = list(sync_import.import_packages(db, [path]))
    return outcome


def _stored(db: Database) -> list[tuple[Any, ...]]:
    with db.session() as s:
        return [(r.year, r.source, r.entries_json) for r in s.query(PublishedRankingRow)]


def test_the_ranking_travels_with_the_result_and_projects_a_rank(offices: Any) -> None:
    commune, appraiser, root = offices
    # The demo's appraiser holds only 06172 of the 65 units ranked: no ranking is sent.
    partial = sync_export.export(appraiser, "result", root / "stick", to="06172", year=2025)
    opened = read_package(partial.info.path, sync_keys.trusted_map(commune), None)
    assert opened.manifest["schema_version"] == 2 and opened.data["ranking"] is None
    assert _import(commune, partial.info.path).status == "applied"
    assert plan_whatif.whatif(commune).rank_reason is not None
    index = _publish_others(appraiser)
    sent = sync_export.export(appraiser, "result", root / "stick", to="06172", year=2025)
    opened = read_package(sent.info.path, sync_keys.trusted_map(commune), None)
    units = opened.data["ranking"]["units"]
    assert [(u["unit_code"], u["rank"]) for u in units] == [
        ("06100", 1), ("06130", 2), ("06172", 3), ("06190", 4)]
    assert D(units[2]["index"]) == index
    outcome = _import(commune, sent.info.path)
    assert outcome.status == "applied", outcome.error
    [(year, source, _entries)] = _stored(commune)
    assert (year, source) == (2025, "package")
    w = plan_whatif.whatif(commune)
    assert w.ranking_year == 2025 and w.rank_reason is None and w.current_rank == 3
    expected = 1 + sum(1 for _c, _n, i, _r in OTHERS if D(i) > w.projected_index)
    assert (w.projected_rank, w.rank_of) == (expected, 4)


def _forge(appraiser: Database, root: Path, data: Any, schema: int) -> Path:
    """A result package signed with the appraiser's real key, of data ``schema``."""
    key = sync_keys.own_keys(appraiser.path).signing
    return write_package(root / "forged" / f"{uuid.uuid4().hex[:8]}.cchc", "result", key, "20",
                         {"unit_code": "06172"}, data, {},
                         criteria_set=_set_ref(root), period=2025, schema_version=schema,
                         sequence=next_sequence(appraiser, {"unit_code": "06172"})).path


def _set_ref(root: Path) -> dict[str, Any]:
    opened = read_package(root / "usb" / "ket-qua-06172-2025.cchc",
                          _trusted(root), None)
    return opened.manifest["criteria_set"]


def _trusted(root: Path) -> dict[str, bytes]:
    db = open_database(root / "commune" / "parapp.sqlite3")
    try:
        return sync_keys.trusted_map(db)
    finally:
        db.close()


def _demo_result(root: Path) -> dict[str, Any]:
    return copy.deepcopy(read_package(root / "usb" / "ket-qua-06172-2025.cchc",
                                      _trusted(root), None).data)


def test_an_old_schema_1_result_is_still_read(offices: Any) -> None:
    commune, appraiser, root = offices
    data = _demo_result(root)
    data.pop("ranking", None)
    data["published"]["decision_number"] = "216/QĐ-SNV"
    outcome = _import(commune, _forge(appraiser, root, data, 1))
    assert outcome.status == "applied", outcome.error
    assert plan_whatif.whatif(commune).rank_reason is not None  # no ranking: why, not a rank


@pytest.mark.parametrize(
    ("schema", "change", "refused"),
    [
        (1, {"ranking": None}, "ranking"),  # schema 1 has no such field
        (2, {}, "ranking"),  # schema 2 must say it, null or not
        (2, {"ranking": {"units": [{"unit_code": "06172", "unit_name": "Xã Hoàng Văn Thụ",
                                    "index": "99.99", "rank": 1}]}}, "not the published"),
        (2, {"ranking": {"units": [{"unit_code": "06172", "unit_name": "X", "index": "1",
                                    "rank": 2}]}}, "not from 1 to 1"),
        (2, {"ranking": {"units": []}}, "not a list of units"),
        (2, {"ranking": [1]}, "object"),
    ],
)
def test_a_bad_ranking_is_refused_whole(offices: Any, schema: int, change: dict[str, Any],
                                        refused: str) -> None:
    commune, appraiser, root = offices
    data = _demo_result(root)
    data.pop("ranking", None)
    data.update(change)
    before = dump(commune.path)
    outcome = _import(commune, _forge(appraiser, root, data, schema))
    assert outcome.status == "refused" and outcome.error is not None
    language = i18n.get_language()
    i18n.set_language("en")
    try:
        assert refused in i18n.message(outcome.error), i18n.message(outcome.error)
    finally:
        i18n.set_language(language)
    assert dump(commune.path) == before
