"""The official list of units after the 2025 rearrangement (package ``vietnam-provinces``).

Historical district-level units are not in it; they are typed in by hand where needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parapp.domain.text import fold
from parapp.domain.units import Unit, UnitKind

_KINDS = {"xã": UnitKind.COMMUNE, "phường": UnitKind.WARD, "đặc khu": UnitKind.SPECIAL_ZONE}


def _province_appraiser(province_name: str) -> str:
    # Since 1 July 2025 communes are appraised by the province's Department of Home Affairs.
    return f"Sở Nội vụ {province_name[0].lower()}{province_name[1:]}"


def _province_name(province: Any) -> str:
    """"Tỉnh Lạng Sơn", "Thành phố Hà Nội" (the package already names the centrally-run
    cities so)."""
    prefix = "Thành phố" if province.division_type.value != "tỉnh" else "Tỉnh"
    return province.name if province.name.startswith(prefix) else f"{prefix} {province.name}"


def official_unit(code: str) -> Unit | None:
    """The commune, ward or special zone with this official code ("06172" or "6172")."""
    from vietnam_provinces import Province, Ward  # 0.1 s to import: only when used

    try:
        number = int(code)
    except ValueError:
        return None
    for ward in Ward.iter_all():
        if int(ward.code) == number:
            province = Province.from_code(ward.province_code)
            province_name = _province_name(province)
            return Unit(
                code=f"{number:05d}",
                name=ward.name,
                kind=_KINDS.get(ward.division_type.value, UnitKind.COMMUNE),
                appraiser_code=f"{int(province.code):02d}",
                appraiser_name=_province_appraiser(province_name),
                province_name=province_name,
            )
    return None


def appraiser_office(code: str) -> Unit | None:
    """The province's Sở Nội vụ as an appraising office, by the province's code ("20"),
    or None when no province has that code."""
    from vietnam_provinces import Province  # 0.1 s to import: only when used

    try:
        number = int(code)
    except ValueError:
        return None
    for province in Province.iter_all():
        if int(province.code) == number:
            name = _province_name(province)
            return Unit(code=f"{number:02d}", name=_province_appraiser(name),
                        kind=UnitKind.DEPARTMENT, province_name=name)
    return None


def search_units(text: str, limit: int = 20) -> list[Unit]:
    """Communes and wards whose name contains ``text``, ignoring diacritics and case."""
    from vietnam_provinces import Ward  # 0.1 s to import: only when used

    wanted = fold(text)
    found = []
    for ward in Ward.iter_all():
        if wanted in fold(ward.name):
            unit = official_unit(str(int(ward.code)))
            if unit is not None:
                found.append(unit)
            if len(found) >= limit:
                break
    return found


@dataclass(frozen=True)
class Province:
    code: str  # "01"
    name: str  # "Thành phố Hà Nội", "Tỉnh Lạng Sơn"


@dataclass(frozen=True)
class CatalogEntry:
    code: str  # "00004"
    name: str  # "Phường Ba Đình"
    province: Province
    folded: str  # name and province folded, for the search


@dataclass(frozen=True)
class Catalog:
    provinces: list[Province]
    units: list[CatalogEntry]


def province_name(name: str, city: bool) -> str:
    """The package names cities "Thành phố Hà Nội" but provinces plainly "Lạng Sơn"."""
    prefix = "Thành phố" if city else "Tỉnh"
    return name if name.startswith(prefix) else f"{prefix} {name}"


def load_catalog() -> Catalog:
    """Read the official list (slow to import: run it on the worker thread)."""
    # A tenth of a second to import: only when the list is used.
    from vietnam_provinces import Province as PackageProvince
    from vietnam_provinces import Ward  # as above

    provinces: dict[int, Province] = {}
    for item in PackageProvince.iter_all():
        city = item.division_type.value != "tỉnh"
        code = f"{int(item.code):02d}"
        provinces[int(item.code)] = Province(code, province_name(item.name, city))
    units = []
    for ward in Ward.iter_all():
        province = provinces[int(ward.province_code)]
        folded = f"{fold(ward.name)} {fold(province.name)}"
        units.append(CatalogEntry(f"{int(ward.code):05d}", ward.name, province, folded))
    ordered = sorted(provinces.values(), key=lambda p: fold(p.name.removeprefix("Thành phố ")))
    return Catalog(ordered, units)
