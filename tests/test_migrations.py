"""Upgrades from every earlier schema keep every row: one committed fixture database per
schema version (made by that version's demo), migrated by simply opening it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db.engine import open_database
from db.location import DataPaths
from db.schema import HEAD, REVISIONS
from parapp.services import assessments, plans

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OLD = [r for r in REVISIONS if r != HEAD]


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                " AND name != 'alembic_version'"
            )
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def test_every_old_revision_has_a_fixture() -> None:
    missing = [r for r in OLD if not (FIXTURES / f"schema-{r}.sqlite3").is_file()]
    assert not missing, f"commit a fixture database for {missing}"


@pytest.mark.parametrize("revision", OLD)
def test_upgrade_keeps_every_row(tmp_path: Path, revision: str) -> None:
    db_path = tmp_path / "parapp.sqlite3"
    shutil.copyfile(FIXTURES / f"schema-{revision}.sqlite3", db_path)
    before = _counts(db_path)
    db = open_database(db_path)
    try:
        view = assessments.view(db)
        plan = plans.get_plan(db)
    finally:
        db.close()
    after = _counts(db_path)
    assert {t: n for t, n in after.items() if t in before} == before
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    backups = list(DataPaths(db_path).backups.glob("*-before-migration.sqlite3"))
    assert len(backups) == 1, "a migration must be preceded by a backup"
    assert _counts(backups[0]) == before
    # The data still means the same: the fixture is the demo office.
    assert view.info.unit_name == "Xã Hoàng Văn Thụ"
    assert view.result is not None and view.result.rank == 12
    assert plan.items and all(item.product == "" for item in plan.items)
