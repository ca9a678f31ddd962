"""The appraiser's commands without --year (issue 16): they work on the year whose
assessments wait for the appraiser, say so when the unit named sent nothing (it said "no
unit has submitted" while three had), and ask for the year when work waits in two.
Through the command line, on an appraiser's database with three communes' 2025
submissions."""

from __future__ import annotations

from pathlib import Path

import pytest
from state_support import arrive_submitted
from sync_support import dump

from db.engine import open_database
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.units import UnitKind
from parapp.services import assessments
from parapp.services.appraisal import unit_statuses
from tests.test_appraisal import YEAR, cli, make_hub


@pytest.fixture
def hub(tmp_path: Path) -> tuple[Path, list[str], str]:
    """The hub's path, its three communes that submitted 2025 and one that did not."""
    db, submitted = make_hub(tmp_path)
    try:
        silent = next(
            u.unit_code
            for u in unit_statuses(db, YEAR)
            if u.kind is UnitKind.COMMUNE and u.unit_code not in submitted
        )
        return db.path, submitted, silent
    finally:
        db.close()


def status(path: Path, unit: str, year: int) -> AssessmentStatus | None:
    db = open_database(path)
    try:
        found = {u.unit_code: u.status for u in unit_statuses(db, year)}
        return found[unit]
    finally:
        db.close()


def test_accept_without_a_year_takes_the_year_submitted(
    hub: tuple[Path, list[str], str],
) -> None:
    path, (a, _b, _c), _silent = hub
    code, out, err = cli(path, "appraise", "accept", a)
    assert code == 0, err
    assert "status: appraised" in out
    assert status(path, a, YEAR) is AssessmentStatus.APPRAISED


def test_a_unit_that_sent_nothing_is_named_not_every_unit(
    hub: tuple[Path, list[str], str],
) -> None:
    path, _submitted, silent = hub
    before = dump(path)
    code, out, err = cli(path, "appraise", "accept", silent)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "has not submitted an assessment to this database (other units that have: 3)" in err
    assert "No unit" not in err
    assert dump(path) == before


def test_work_waiting_in_two_years_asks_which(hub: tuple[Path, list[str], str]) -> None:
    path, (a, b, _c), _silent = hub
    db = open_database(path)
    try:
        info = assessments.new_assessment(db, YEAR + 1, unit_code=b)
        arrive_submitted(db, info.id)
    finally:
        db.close()
    before = dump(path)
    for args in (
        ("appraise", "accept", b),
        ("appraise", "publish", "--decision-number", "9/QĐ-SNV", "--decision-date", "02/02/2027"),
    ):
        code, out, err = cli(path, *args)
        assert code == 1 and out == ""
        assert err.strip() == (
            "Assessments of 2026, 2025 are waiting for appraisal or publishing: say which "
            "year. Name it with --year."
        ), args
        assert dump(path) == before
    # A unit with work in one year only still needs no year.
    code, out, err = cli(path, "appraise", "accept", a)
    assert code == 0, err
    code, out, err = cli(path, "appraise", "accept", b, "--year", "2025")
    assert code == 0, err
