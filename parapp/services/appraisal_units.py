"""The appraiser's units: the communes, wards and special zones of its province from the
official list (package ``vietnam-provinces``), and units typed by hand (a district or
township of a historical year). Split from :mod:`parapp.services.appraisal`, which
re-exports these names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.engine import Database
from db.models import UnitRow
from parapp.domain.text import clean
from parapp.domain.units import Unit, UnitKind

from .common import NotFound, ServiceError
from .units_catalog import official_unit

_CATALOG_KINDS = {"xã": UnitKind.COMMUNE, "phường": UnitKind.WARD, "đặc khu": UnitKind.SPECIAL_ZONE}


@dataclass(frozen=True)
class UnitsAdded:
    province_name: str
    added: int
    updated: int
    unchanged: int


def _province(code: str) -> Any:
    from vietnam_provinces import Province  # 0.1 s to import: only when used

    text = clean(code)
    try:
        number = int(text)
    except ValueError:
        number = -1
    for province in Province.iter_all():
        if int(province.code) == number or province.codename == text:
            return province
    raise NotFound(
        "There is no province with code {code} in the official list (post-2025 codes, "
        "e.g. 20 for Lạng Sơn).",
        code=code,
    )


def add_units_from_catalog(db: Database, province_code: str) -> UnitsAdded:
    """Every commune, ward and special zone of the province (official list after 1 July
    2025, package ``vietnam-provinces``) as a unit of this database.

    Existing units keep their row (and their assessments); a changed name or kind is
    updated. The catalogue has no units from before July 2025: districts and townships of
    historical years are added one by one with :func:`add_unit`.
    """
    from vietnam_provinces import Ward  # 0.1 s to import: only when used


    province = _province(province_code)
    wards = list(Ward.iter_by_province(province.code))
    if not wards:
        raise NotFound("The official list has no communes for province {code}.", code=province_code)
    # One official_unit() call gives the province's names as the rest of the program writes
    # them; the other wards share them (calling it per ward would scan the list each time).
    first = official_unit(str(int(wards[0].code)))
    assert first is not None
    added = updated = unchanged = 0
    with db.session() as s:
        existing = {r.code: r for r in s.scalars(select(UnitRow))}
        for ward in wards:
            unit = Unit(
                code=f"{int(ward.code):05d}",
                name=clean(ward.name),
                kind=_CATALOG_KINDS.get(ward.division_type.value, UnitKind.COMMUNE),
                appraiser_code=first.appraiser_code,
                appraiser_name=first.appraiser_name,
                province_name=first.province_name,
            )
            row = existing.get(unit.code)
            if row is None:
                s.add(_new_unit_row(unit))
                added += 1
            elif row.is_self:
                unchanged += 1  # the appraiser's own row is never rewritten from the list
            elif _update_unit_row(row, unit):
                updated += 1
            else:
                unchanged += 1
    return UnitsAdded(first.province_name, added, updated, unchanged)


def _new_unit_row(unit: Unit) -> UnitRow:
    row = UnitRow(code=clean(unit.code), is_self=False)
    _update_unit_row(row, unit)
    return row


def _update_unit_row(row: UnitRow, unit: Unit) -> bool:
    before = (row.name, row.kind, row.appraiser_code, row.appraiser_name, row.province_name)
    row.name = clean(unit.name)
    row.kind = unit.kind.value
    row.appraiser_code = clean(unit.appraiser_code)
    row.appraiser_name = clean(unit.appraiser_name)
    row.province_name = clean(unit.province_name)
    return before != (row.name, row.kind, row.appraiser_code, row.appraiser_name, row.province_name)


def add_unit(db: Database, unit: Unit) -> bool:
    """One unit typed by hand (a district or township of a historical year, or a unit the
    official list does not have yet); True when it was new."""
    if not clean(unit.code) or not clean(unit.name):
        raise ServiceError("A unit needs an official code and a name.")
    with db.session() as s:
        row = s.scalars(select(UnitRow).where(UnitRow.code == clean(unit.code))).first()
        if row is not None and row.is_self:
            raise ServiceError(
                "{code} is this database's own unit (the appraiser), not a unit it appraises.",
                code=unit.code,
            )
        if row is None:
            s.add(_new_unit_row(unit))
            return True
        _update_unit_row(row, unit)
        return False
