"""How an office names itself in its documents: the office profile.

A commune, a ward, a district, a province's People's Committee and a provincial department
(Sở, Văn phòng UBND tỉnh) issue the same kinds of plan and report but head, number, date and
sign them differently. :func:`default_profile` derives every field from the unit's kind and
name; the office may override any of them (``OfficeProfile.with_changes``), and an empty
field always means "the derived default".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import DomainError
from .remediation import Signer, SignMode
from .text import clean
from .units import Unit, UnitKind

COMMITTEE = "ỦY BAN NHÂN DÂN"

# Prefixes a unit's name may start with, longest first, and the kind word they give.
_PREFIXES = (
    "Thị trấn", "Đặc khu", "Phường", "Xã", "Thị xã", "Thành phố", "Huyện", "Quận", "Tỉnh",
)  # fmt: skip
_KIND_WORDS = {
    UnitKind.COMMUNE: "xã",
    UnitKind.WARD: "phường",
    UnitKind.SPECIAL_ZONE: "đặc khu",
    UnitKind.TOWNSHIP: "thị trấn",
    UnitKind.DISTRICT: "huyện",
    UnitKind.PROVINCE: "tỉnh",
}
_LEVELS = {
    UnitKind.COMMUNE: "cấp xã",
    UnitKind.WARD: "cấp xã",
    UnitKind.SPECIAL_ZONE: "cấp xã",
    UnitKind.TOWNSHIP: "cấp xã",
    UnitKind.DISTRICT: "cấp huyện",
    UnitKind.PROVINCE: "cấp tỉnh",
    UnitKind.DEPARTMENT: "cấp sở",
}
_SIGN_PREFIXES = {"TM.": SignMode.TM, "KT.": SignMode.KT, "Q.": SignMode.Q}
_SIGN_PREFIXES |= {"TL.": SignMode.TL, "TUQ.": SignMode.TUQ}
FIELDS = (
    "governing_body", "own_name", "symbol_suffix", "place", "signer_authority",
    "signer_title", "level", "self_name", "head",
)  # fmt: skip


@dataclass(frozen=True)
class OfficeProfile:
    """The words an office's documents use for itself.

    ``governing_body`` + ``own_name`` are the issuing body's header lines. A committee
    prints both in bold as its name ("ỦY BAN NHÂN DÂN" / "XÃ HOÀNG VĂN THỤ"); any other
    governing body is the parent body above the office, upright ("UBND TỈNH LẠNG SƠN" /
    "SỞ NỘI VỤ"), as Nghị định 30 lays out cells 2 and 3.
    """

    governing_body: str = COMMITTEE
    own_name: str = ""  # "XÃ HOÀNG VĂN THỤ", "SỞ NỘI VỤ", "VĂN PHÒNG"
    symbol_suffix: str = "UBND"  # "KH-UBND", "KH-SNV", "KH-VP"
    place: str = ""  # the date line's locality: "Hoàng Văn Thụ", "Lạng Sơn"
    signer_authority: str = "TM. ỦY BAN NHÂN DÂN"  # lines above the title, "/" between
    signer_title: str = "CHỦ TỊCH"  # "CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
    level: str = "cấp xã"  # ranking sentences: "xếp thứ 4/20 đơn vị cấp xã"
    self_name: str = "Ủy ban nhân dân xã"  # the office in prose: "Sở", "Văn phòng"
    head: str = "Chủ tịch Ủy ban nhân dân xã"  # its head in prose: "Giám đốc Sở"
    full_name: str = ""  # "Ủy ban nhân dân xã Hoàng Văn Thụ", "Sở Nội vụ tỉnh Lạng Sơn"

    @property
    def committee(self) -> bool:
        return clean(self.governing_body).upper() == COMMITTEE

    def parent_body(self) -> str:
        return "" if self.committee else clean(self.governing_body).upper()

    def issuing_body(self) -> tuple[str, ...]:
        lines = (COMMITTEE,) if self.committee else ()
        return (*lines, clean(self.own_name).upper())

    def symbol(self, kind: str) -> str:
        """ "KH" -> "KH-SNV"."""
        return f"{kind}-{clean(self.symbol_suffix).upper() or 'UBND'}"

    def signer(self, name: str = "") -> Signer:
        """The signer block this office signs with, for ``name``.

        "TM. ỦY BAN NHÂN DÂN" + "CHỦ TỊCH"; "KT. GIÁM ĐỐC" + "PHÓ GIÁM ĐỐC"; "" + "GIÁM
        ĐỐC" (the head in his own right); "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH" + "PHÓ CHỦ
        TỊCH"."""
        body, head, mode = "", "", SignMode.TM
        for line in clean(self.signer_authority).split("/"):
            line = line.strip().upper()
            for prefix, prefix_mode in _SIGN_PREFIXES.items():
                if line.startswith(prefix):
                    rest = line[len(prefix) :].strip()
                    if prefix_mode is SignMode.TM:
                        body = rest
                    else:
                        mode, head = prefix_mode, rest
        title = clean(self.signer_title).upper()
        return Signer(mode=mode, body=body, head_title=head or title, position=title, name=name)

    @property
    def rank_group(self) -> str:
        """What the office was ranked among: "đơn vị cấp xã", "tỉnh, thành phố"."""
        if self.level == "cấp tỉnh":
            return "tỉnh, thành phố trực thuộc Trung ương"
        return f"đơn vị {clean(self.level)}".strip()

    @property
    def deputies(self) -> str:
        """ "các Phó Chủ tịch Ủy ban nhân dân xã", "các Phó Giám đốc Sở"."""
        return f"các Phó {self.head}" if self.head else ""

    def with_changes(self, changes: dict[str, str], defaults: OfficeProfile) -> OfficeProfile:
        """This profile with ``changes``; a blank value goes back to the default's."""
        unknown = set(changes) - set(FIELDS)
        if unknown:
            raise DomainError(
                "Unknown office profile field: {field}.", field=", ".join(sorted(unknown))
            )
        values = {k: clean(v) or getattr(defaults, k) for k, v in changes.items()}
        return replace(self, **values)


def split_name(unit: Unit) -> tuple[str, str]:
    """(kind word, place) of a local unit: "Xã Hoàng Văn Thụ" -> ("xã", "Hoàng Văn Thụ")."""
    name = clean(unit.name)
    for prefix in _PREFIXES:
        if name.lower().startswith(prefix.lower() + " "):
            return prefix.lower(), name[len(prefix) :].strip()
    return _KIND_WORDS.get(unit.kind, ""), name


def _province(unit: Unit, name: str) -> str:
    """ "Lạng Sơn" from "Sở Nội vụ tỉnh Lạng Sơn" or the unit's province "Tỉnh Lạng Sơn"."""
    lowered = name.lower()
    for word in (" tỉnh ", " thành phố "):
        at = lowered.rfind(word)
        if at > 0:
            return name[at + len(word) :].strip()
    province = clean(unit.province_name)
    for word in ("Tỉnh ", "Thành phố "):
        if province.lower().startswith(word.lower()):
            return province[len(word) :].strip()
    return province


def _agency_name(name: str) -> str:
    """The agency without its province: "Sở Nội vụ tỉnh Lạng Sơn" -> "Sở Nội vụ"."""
    lowered = name.lower()
    for word in (" tỉnh ", " thành phố "):
        at = lowered.rfind(word)
        if at > 0:
            return name[:at].strip()
    return name


def _initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0] for w in words).upper()


def _department(unit: Unit) -> OfficeProfile:
    name = clean(unit.name)
    province = _province(unit, name)
    agency = _agency_name(name)
    lowered = agency.lower()
    governing = f"UBND TỈNH {province.upper()}" if province else "ỦY BAN NHÂN DÂN TỈNH"
    if lowered.startswith("văn phòng"):
        # "Văn phòng UBND tỉnh": the province is in the governing line, not repeated.
        own, suffix, self_name, title = "VĂN PHÒNG", "VP", "Văn phòng", "CHÁNH VĂN PHÒNG"
        head = "Chánh Văn phòng"
    elif lowered.startswith("sở"):
        own, suffix, self_name, title = agency.upper(), _initials(agency), "Sở", "GIÁM ĐỐC"
        head = "Giám đốc Sở"
    else:
        own, suffix, self_name, title = agency.upper(), _initials(agency), agency, "GIÁM ĐỐC"
        head = f"Người đứng đầu {agency}"
    full = name
    if province and province.lower() not in name.lower():
        full = f"{agency} {province}" if lowered.endswith(" tỉnh") else f"{agency} tỉnh {province}"
    return OfficeProfile(
        governing_body=governing,
        own_name=own,
        symbol_suffix=suffix or "UBND",
        place=province,
        signer_authority="",
        signer_title=title,
        level=_LEVELS[UnitKind.DEPARTMENT],
        self_name=self_name,
        head=head,
        full_name=full,
    )


def default_profile(unit: Unit) -> OfficeProfile:
    """The profile an office of ``unit``'s kind and name starts with."""
    if unit.kind is UnitKind.DEPARTMENT:
        return _department(unit)
    word, place = split_name(unit)
    running = f"{word} {place}".strip()
    self_name = f"Ủy ban nhân dân {word}".strip()
    return OfficeProfile(
        governing_body=COMMITTEE,
        own_name=running.upper(),
        symbol_suffix="UBND",
        place=place,
        signer_authority=f"TM. {COMMITTEE}",
        signer_title="CHỦ TỊCH",
        level=_LEVELS.get(unit.kind, "cấp xã"),
        self_name=self_name,
        head=f"Chủ tịch {self_name}",
        full_name=f"Ủy ban nhân dân {running}",
    )


def profile_with(unit: Unit, stored: dict[str, str]) -> OfficeProfile:
    """The defaults of ``unit`` with the office's stored choices (blank: default)."""
    defaults = default_profile(unit)
    chosen = {k: v for k, v in stored.items() if k in FIELDS and clean(v)}
    return defaults.with_changes(chosen, defaults)


__all__ = ["FIELDS", "OfficeProfile", "default_profile", "profile_with", "split_name"]
