"""Units: the commune or ward that self-assesses, and the unit that appraises it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UnitKind(StrEnum):
    COMMUNE = "commune"  # xã
    WARD = "ward"  # phường
    SPECIAL_ZONE = "special_zone"  # đặc khu
    TOWNSHIP = "township"  # thị trấn (before July 2025)
    DISTRICT = "district"  # huyện, quận, thị xã, thành phố thuộc tỉnh (before July 2025)
    PROVINCE = "province"  # tỉnh, thành phố trực thuộc trung ương
    DEPARTMENT = "department"  # a provincial department such as Sở Nội vụ


# Units ranked against each other: communes, wards, townships and special zones share a table.
LOCAL_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE, UnitKind.TOWNSHIP})


@dataclass(frozen=True)
class Unit:
    code: str  # official code (mã đơn vị hành chính), e.g. "00004"
    name: str  # "Xã Hoàng Việt"
    kind: UnitKind
    appraiser_code: str = ""  # who appraises this unit: a province's Sở Nội vụ, or a district
    appraiser_name: str = ""  # "Sở Nội vụ tỉnh Lạng Sơn" / "UBND huyện Văn Lãng"
    province_name: str = ""
