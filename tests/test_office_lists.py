"""Issue 14, part 2: the office's own list of departments and officers, kept once, offered
as lead and coordinating units, and printed the same way in every document of the year."""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from db.engine import Database, open_database
from parapp.domain.units import Unit, UnitKind
from parapp.services import assessments, criteria, office_lists, plan_items, plans, setup
from parapp.services.common import ServiceError
from tests.test_cli import Cli, new_cli

UNIT = Unit("06172", "Xã Hoàng Văn Thụ", UnitKind.COMMUNE)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    path = tmp_path / "office" / "parapp.sqlite3"
    setup.init_database(path, UNIT)
    database = open_database(path)
    yield database
    database.close()


def _dump(db: Database) -> list[str]:
    con = sqlite3.connect(db.path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_a_new_commune_starts_with_the_usual_departments_once(db: Database) -> None:
    names = office_lists.names(db)
    assert names[0] == "Văn phòng HĐND và UBND"
    assert "Công an xã" in names and "Phòng Văn hóa - Xã hội" in names
    for name in names:
        office_lists.remove(db, name)
    assert office_lists.names(db) == []  # an emptied list is not filled again


def test_an_older_database_also_offers_the_units_its_plans_name(tmp_path: Path) -> None:
    # the demo's database as schema 0006 left it, before the list existed
    path = tmp_path / "parapp.sqlite3"
    shutil.copyfile(
        Path(__file__).parent / "fixtures" / "schema-0006_plan_item_shaping.sqlite3", path
    )
    demo = open_database(path)
    try:
        names = office_lists.names(demo)
        assert names[0] == "Văn phòng HĐND và UBND"  # the defaults first
        assert "Văn phòng - Thống kê" in names  # the demo's plans name it as their lead
    finally:
        demo.close()


def test_a_ward_gets_the_wards_departments(tmp_path: Path) -> None:
    path = tmp_path / "parapp.sqlite3"
    setup.init_database(path, Unit("00001", "Phường Đông Kinh", UnitKind.WARD))
    ward = open_database(path)
    try:
        names = office_lists.names(ward)
        assert "Công an phường" in names and "Công an xã" not in names
        # a name of the list may hold a comma: it is one unit
        assert "Phòng Kinh tế, Hạ tầng và Đô thị" in names
        assert office_lists.split_names(
            ward, "Phòng Kinh tế, Hạ tầng và Đô thị, Công an phường"
        ) == ["Phòng Kinh tế, Hạ tầng và Đô thị", "Công an phường"]
    finally:
        ward.close()


def test_names_are_nfc_single_spaced_and_unique_ignoring_case_and_spacing(db: Database) -> None:
    decomposed = unicodedata.normalize("NFD", "  Công chức   Tư pháp - Hộ tịch ")
    assert office_lists.add(db, decomposed) == "Công chức Tư pháp - Hộ tịch"
    assert "Công chức Tư pháp - Hộ tịch" in office_lists.names(db)
    before = _dump(db)
    for same in ("công chức tư pháp - hộ tịch", "CÔNG AN XÃ", "Công  an xã"):
        with pytest.raises(ServiceError, match="already in the office's list"):
            office_lists.add(db, same)
    for bad in ("", "   ", "Công an xã; Văn phòng", "x" * 201):
        with pytest.raises(ServiceError):
            office_lists.add(db, bad)
    with pytest.raises(ServiceError, match="There is no department"):
        office_lists.remove(db, "Phòng không có")
    with pytest.raises(ServiceError, match="already in the office's list"):
        office_lists.rename(db, "Công an xã", "công chức tư pháp - hộ tịch")
    assert _dump(db) == before  # every refusal left the database as it was


def _plan(db: Database) -> None:
    criteria.import_set(db, criteria.sample_set())
    assessments.new_assessment(db, 2025)
    plans.draft_plan(db, 2025)


def test_typing_a_unit_in_an_item_adds_it_and_spells_known_ones_as_listed(db: Database) -> None:
    _plan(db)
    plan_items.add(
        db, shortcoming="Tuyên truyền", lead="công an  xã", coordinating="Đoàn Thanh niên, "
        "phòng văn hóa - xã hội"
    )  # fmt: skip
    item = plan_items.list_items(db).items[-1].item
    assert item.lead == "Công an xã"
    assert item.coordinating == "Đoàn Thanh niên, Phòng Văn hóa - Xã hội"
    assert "Đoàn Thanh niên" in office_lists.names(db)
    number = len(plan_items.list_items(db).items)
    plan_items.edit(db, number, lead="Hội Nông dân xã")
    assert "Hội Nông dân xã" in office_lists.names(db)
    # a refused change adds nothing to the list either
    with pytest.raises(ServiceError):
        plan_items.add(db, lead="Hội Phụ nữ xã", to=999, shortcoming="X")
    assert "Hội Phụ nữ xã" not in office_lists.names(db)


def test_renaming_follows_into_unissued_plans_only(db: Database) -> None:
    _plan(db)
    plan_items.add(db, shortcoming="A", lead="Công an xã", coordinating="Công an xã; Đoàn xã")
    plan_items.add(db, shortcoming="B", lead="Văn phòng HĐND và UBND")
    changed = office_lists.rename(db, "công an xã", "Công an xã Hoàng Văn Thụ")
    assert changed == 1
    leads = {i.item.shortcoming: i.item for i in plan_items.list_items(db).items}
    assert leads["A"].lead == "Công an xã Hoàng Văn Thụ"
    assert leads["A"].coordinating == "Công an xã Hoàng Văn Thụ; Đoàn xã"
    assert leads["B"].lead == "Văn phòng HĐND và UBND"
    # an issued plan is final: a later rename does not touch it
    con = sqlite3.connect(db.path)
    con.execute("UPDATE plans SET status = 'issued'")
    con.commit()
    con.close()
    office_lists.rename(db, "Công an xã Hoàng Văn Thụ", "Công an xã")
    leads = {i.item.shortcoming: i.item for i in plan_items.list_items(db).items}
    assert leads["A"].lead == "Công an xã Hoàng Văn Thụ"
    assert office_lists.names(db).count("Công an xã") == 1


def test_the_command_line_lists_adds_renames_and_removes(tmp_path: Path) -> None:
    cli: Cli = new_cli(tmp_path)
    cli.ok("init", "--unit-code", "06172")
    listed = cli.ok("office", "departments", "list").splitlines()
    assert listed[0] == "Văn phòng HĐND và UBND"
    out = cli.ok("office", "departments", "add", "Công chức Tư pháp - Hộ tịch")
    assert "Công chức Tư pháp - Hộ tịch" in out
    err = cli.fails("office", "departments", "add", "công chức tư pháp -  hộ tịch")
    assert "đã có trong danh sách" in err
    cli.ok("office", "departments", "rename", "Công an xã", "Công an xã Hoàng Văn Thụ")
    cli.ok("office", "departments", "remove", "Phòng Kinh tế")
    listed = cli.ok("office", "departments", "list").splitlines()
    assert "Công an xã Hoàng Văn Thụ" in listed and "Phòng Kinh tế" not in listed
    assert "Không có" in cli.fails("office", "departments", "remove", "Phòng Kinh tế")
