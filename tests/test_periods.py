"""Assessment periods: listing a unit's assessments, a new period, the first run."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.roles import Role
from parapp.services import assessments, periods, setup
from parapp.services.common import NotFound, ServiceError
from parapp.services.units_catalog import search_units


def test_demo_lists_its_assessments_newest_first(published_db: Path) -> None:
    db = open_database(published_db)
    try:
        found = periods.list_assessments(db)
    finally:
        db.close()
    assert [s.year for s in found] == [2025, 2024]
    latest = found[0]
    assert latest.unit_code == "06172"
    assert latest.unit_name == "Xã Hoàng Văn Thụ"
    assert latest.status is AssessmentStatus.PUBLISHED
    assert latest.set_name and latest.set_version >= 1 and len(latest.uuid) == 36
    assert latest.updated_at.year >= 2024
    assert found[0].uuid != found[1].uuid


def test_listing_another_units_assessments_by_code(published_db: Path) -> None:
    db = open_database(published_db)
    try:
        own = setup.own_unit(db)
        assert [s.year for s in periods.list_assessments(db, own.code)] == [2025, 2024]
        with pytest.raises(NotFound):
            periods.list_assessments(db, "99999")
    finally:
        db.close()


def test_new_period_is_listed_first_and_empty(published_db: Path) -> None:
    db = open_database(published_db)
    try:
        before = periods.list_assessments(db)
        year = periods.next_year(before, 2025)
        assert year == 2026
        info = periods.new_period(db, year)
        after = periods.list_assessments(db)
        assert [s.year for s in after] == [2026, 2025, 2024]
        assert after[0].status is AssessmentStatus.DRAFT
        assert assessments.view(db, 2026).scores == {}
        assert info.year == 2026
        with pytest.raises(ServiceError):
            periods.new_period(db, year)  # the same year and set twice
    finally:
        db.close()


def test_next_year_without_any_assessment_is_this_year() -> None:
    assert periods.next_year([], 2026) == 2026


def test_setup_status_of_a_missing_and_of_a_ready_database(published_db: Path) -> None:
    missing = periods.setup_status(None)
    assert missing.needed and missing.unit is None
    db = open_database(published_db)
    try:
        ready = periods.setup_status(db)
    finally:
        db.close()
    assert not ready.needed
    assert ready.unit is not None and ready.assessments == 2 and ready.sets >= 1


def test_first_run_creates_the_database_the_unit_the_set_and_the_assessment(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new" / "parapp.sqlite3"
    unit = search_units("phuong ba dinh")[0]
    db = periods.first_run(path, None, unit, Role.COMMUNE, None, 2026)
    try:
        status = periods.setup_status(db)
        assert not status.needed
        assert status.unit is not None and status.unit.name == "Phường Ba Đình"
        assert status.unit.appraiser_name == "Sở Nội vụ thành phố Hà Nội"
        assert [s.year for s in periods.list_assessments(db)] == [2026]
    finally:
        db.close()


def test_first_run_as_appraiser_starts_no_assessment(tmp_path: Path) -> None:
    path = tmp_path / "so" / "parapp.sqlite3"
    commune = search_units("phuong ba dinh")[0]
    office = periods.appraiser_unit(commune)
    db = periods.first_run(path, None, office, Role.APPRAISER, None, 2026)
    try:
        status = periods.setup_status(db)
        assert status.role is Role.APPRAISER and not status.needed
        assert status.unit is not None and status.unit.code == "01"
        assert status.assessments == 0 and status.sets == 1
    finally:
        db.close()


def test_first_run_on_an_existing_database_keeps_its_unit(tmp_path: Path) -> None:
    path = tmp_path / "half" / "parapp.sqlite3"
    first = search_units("phuong ba dinh")[0]
    setup.init_database(path, first)
    db = open_database(path)
    try:
        assert periods.setup_status(db).needed  # a unit but no assessment yet
        other = search_units("hoan kiem")[0]
        periods.first_run(path, db, other, Role.COMMUNE, None, 2025)
        status = periods.setup_status(db)
        assert status.unit is not None and status.unit.code == first.code
        assert status.assessments == 1
    finally:
        db.close()
