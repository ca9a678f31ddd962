"""The ranking of the units an appraiser follows, as plain data.

The service gathers it (``parapp.services.appraisal_publish``); the PDF/DOCX builder
(``parapp.printing.builders.ranking``) and the XLSX writer (``parapp.formats.ranking_xlsx``)
print the same figures from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parapp.domain.numbers import format_max
from parapp.domain.office import OfficeProfile
from parapp.domain.units import UnitKind

KIND_LABELS = {
    UnitKind.COMMUNE: "Xã",
    UnitKind.WARD: "Phường",
    UnitKind.SPECIAL_ZONE: "Đặc khu",
    UnitKind.TOWNSHIP: "Thị trấn",
    UnitKind.DISTRICT: "Huyện",
    UnitKind.PROVINCE: "Tỉnh",
    UnitKind.DEPARTMENT: "Sở, ngành",
}
_GROUP_WORDS = {
    UnitKind.COMMUNE: "xã",
    UnitKind.WARD: "phường",
    UnitKind.SPECIAL_ZONE: "đặc khu",
    UnitKind.TOWNSHIP: "thị trấn",
    UnitKind.DISTRICT: "huyện, thị xã, thành phố",
    UnitKind.PROVINCE: "tỉnh, thành phố",
    UnitKind.DEPARTMENT: "sở, ban, ngành",
}


@dataclass(frozen=True)
class RankingArea:
    code: str
    title: str
    max_points: Decimal
    max_text: str = ""  # as the set writes it ("16,5")

    @property
    def max_shown(self) -> str:
        return self.max_text or format_max(self.max_points)


@dataclass(frozen=True)
class RankingRow:
    rank: int
    rank_of: int
    unit_code: str
    unit_name: str
    kind: UnitKind
    index: Decimal  # exact; printed with two decimals
    points: Decimal
    max_points: Decimal
    area_points: tuple[Decimal, ...]  # in the order of RankingInputs.areas
    band: str = ""
    group: str = "local"  # units ranked together share a group
    published: bool = False


@dataclass(frozen=True)
class RankingInputs:
    year: int
    set_code: str
    set_name: str
    issuer_name: str  # the appraiser: "Sở Nội vụ tỉnh Lạng Sơn"
    areas: tuple[RankingArea, ...]
    rows: tuple[RankingRow, ...]  # by group, then rank
    decision_number: str = ""  # "70/QĐ-UBND" once published
    decision_date: date | None = None
    decision_issuer: str = ""  # who signed the decision, when not the appraiser
    place: str = ""  # "Lạng Sơn"
    issued_on: date | None = None  # None: a draft date line
    signer_authority: tuple[str, ...] = ("GIÁM ĐỐC",)
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    office: OfficeProfile | None = None  # the appraiser's own profile: header, symbol, place

    def groups(self) -> list[tuple[str, list[RankingRow]]]:
        out: dict[str, list[RankingRow]] = {}
        for row in self.rows:
            out.setdefault(row.group, []).append(row)
        return list(out.items())


def kind_label(kind: UnitKind) -> str:
    return KIND_LABELS.get(kind, str(kind))


def group_words(rows: list[RankingRow]) -> str:
    """ "xã, phường, đặc khu": the kinds present, in the catalogue's order."""
    kinds = {r.kind for r in rows}
    words = [w for k, w in _GROUP_WORDS.items() if k in kinds]
    return ", ".join(words) or "đơn vị"
