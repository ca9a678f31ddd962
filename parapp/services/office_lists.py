"""The office's own list of departments and officers (Văn phòng HĐND và UBND, Công an xã,
công chức Tư pháp - Hộ tịch …), kept once and offered as the lead and coordinating units of
plan items, so a name prints the same way in every document of the year.

Names are NFC, single-spaced, and unique ignoring case and spacing ("công an  xã" is
"Công an xã"). A new database starts with the usual departments of its kind of office; the
defaults (and the units its plans already name) are written once, so a list the clerk
emptied stays empty. Typing a new name in a plan item adds it (``remember``), and a name
typed in another case or spacing is written as the list spells it. Renaming a name also
renames it in the plans not issued yet; issued plans are final and keep the old name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import DepartmentRow, PlanItemRow, PlanRow, Setting, UnitRow
from parapp.domain.remediation import PlanStatus
from parapp.domain.text import clean
from parapp.domain.units import UnitKind

from . import council
from .common import ServiceError

if TYPE_CHECKING:
    from db.engine import Database

SEEDED_KEY = "office_departments_seeded"
MAX_LENGTH = 200
# Lead and coordinating cells name several units: "Công an xã, Văn phòng HĐND và UBND".
SEPARATORS = re.compile(r"(\s*[,;\n]\s*)")

_COMMON_LOCAL = (
    "Văn phòng HĐND và UBND",
    "Phòng Văn hóa - Xã hội",
    "Trung tâm Phục vụ hành chính công",
)
# The usual departments of each kind of office (two-tier local government, from July 2025;
# townships and districts keep the names of their time).
DEFAULTS: dict[UnitKind, tuple[str, ...]] = {
    UnitKind.COMMUNE: (
        _COMMON_LOCAL[0], "Phòng Kinh tế", *_COMMON_LOCAL[1:],
        "Công an xã", "Ban Chỉ huy quân sự xã",
    ),
    UnitKind.WARD: (
        _COMMON_LOCAL[0], "Phòng Kinh tế, Hạ tầng và Đô thị", *_COMMON_LOCAL[1:],
        "Công an phường", "Ban Chỉ huy quân sự phường",
    ),
    UnitKind.SPECIAL_ZONE: (
        _COMMON_LOCAL[0], "Phòng Kinh tế", *_COMMON_LOCAL[1:],
        "Công an đặc khu", "Ban Chỉ huy quân sự đặc khu",
    ),
    UnitKind.TOWNSHIP: (
        "Công chức Văn phòng - Thống kê", "Công chức Tư pháp - Hộ tịch",
        "Công chức Văn hóa - Xã hội", "Công chức Địa chính - Xây dựng",
        "Công chức Tài chính - Kế toán", "Công an thị trấn", "Ban Chỉ huy quân sự thị trấn",
    ),
    UnitKind.DISTRICT: (
        "Văn phòng HĐND và UBND", "Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch",
        "Phòng Văn hóa và Thông tin", "UBND các xã, thị trấn",
    ),
    UnitKind.PROVINCE: (
        "Văn phòng UBND tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính",
        "Sở Khoa học và Công nghệ",
    ),
    UnitKind.DEPARTMENT: ("Văn phòng", "Thanh tra", "Phòng Kế hoạch - Tài chính"),
}  # fmt: skip


def normal(name: str | None) -> str:
    """The name as stored: NFC, trimmed, inner spacing single."""
    return " ".join(clean(name).split())


def key(name: str | None) -> str:
    """What makes two names the same: case and spacing ignored, diacritics kept."""
    return normal(name).casefold()


def _check(name: str | None) -> str:
    text = normal(name)
    if not text:
        raise ServiceError("The department's name cannot be empty.")
    if len(text) > MAX_LENGTH:
        raise ServiceError("The department's name is longer than {n} characters.", n=MAX_LENGTH)
    if re.search(r"[;\n]", text):
        # It would read as two units in a plan item's cell.
        raise ServiceError(
            "A department's name cannot contain a semicolon or a line break: '{name}'.",
            name=text,
        )
    return text


def _seed(s: Session) -> None:
    """Write the defaults of the office's kind once (an emptied list stays empty)."""
    if s.get(Setting, SEEDED_KEY) is not None:
        return
    if not council.is_secretariat(s):
        return  # a council member may not write the office's lists: the secretariat seeds
    unit = s.scalars(select(UnitRow).where(UnitRow.is_self.is_(True))).first()
    if unit is None:
        return  # nobody yet: seeded when the office is known
    try:
        kind = UnitKind(unit.kind)
    except ValueError:
        kind = UnitKind.COMMUNE
    present = set(s.scalars(select(DepartmentRow.name_key)))
    names = list(DEFAULTS.get(kind, ()))
    # The units its plans already name (a database from before the list) come after.
    for lead, coordinating in s.execute(select(PlanItemRow.lead, PlanItemRow.coordinating)):
        for cell in (lead, coordinating):
            names += [normal(n) for n, _sep in _cell(clean(cell), map(key, names))]
    position = len(present)
    for name in names:
        if name and key(name) not in present and len(name) <= MAX_LENGTH:
            s.add(DepartmentRow(name=name, name_key=key(name), position=position))
            present.add(key(name))
            position += 1
    s.add(Setting(key=SEEDED_KEY, value="1"))
    s.flush()


def _rows(s: Session) -> list[DepartmentRow]:
    _seed(s)
    return list(s.scalars(select(DepartmentRow).order_by(DepartmentRow.position, DepartmentRow.id)))


def _find(s: Session, name: str) -> DepartmentRow:
    wanted = key(name)
    row = next((r for r in _rows(s) if r.name_key == wanted), None)
    if row is None:
        raise ServiceError(
            "There is no department '{name}' in the office's list.", name=normal(name)
        )
    return row


def names(db: Database) -> list[str]:
    """The office's departments and officers, in the list's order."""
    with db.session() as s:
        return [r.name for r in _rows(s)]


def add(db: Database, name: str) -> str:
    """Add a name at the end of the list; returns it as stored."""
    text = _check(name)
    with db.session() as s:
        existing = next((r for r in _rows(s) if r.name_key == key(text)), None)
        if existing is not None:
            raise ServiceError("'{name}' is already in the office's list.", name=existing.name)
        _append(s, text)
        return text


def _append(s: Session, text: str) -> DepartmentRow:
    last = s.scalar(select(func.max(DepartmentRow.position)))
    row = DepartmentRow(name=text, name_key=key(text), position=(last or 0) + 1)
    s.add(row)
    s.flush()
    return row


def remove(db: Database, name: str) -> str:
    """Take a name off the list (plans that name it keep their text)."""
    with db.session() as s:
        row = _find(s, name)
        s.delete(row)
        return row.name


def rename(db: Database, old: str, new: str) -> int:
    """Rename ``old`` to ``new`` in the list and in the lead and coordinating units of the
    plans not issued yet; returns how many plan items changed. Issued plans keep the name
    they were issued with."""
    text = _check(new)
    with db.session() as s:
        row = _find(s, old)
        clash = next((r for r in _rows(s) if r.name_key == key(text) and r.id != row.id), None)
        if clash is not None:
            raise ServiceError("'{name}' is already in the office's list.", name=clash.name)
        before = row.name
        row.name, row.name_key = text, key(text)
        changed = 0
        items = s.scalars(select(PlanItemRow).join(PlanRow)
                          .where(PlanRow.status == PlanStatus.DRAFT.value)).all()
        for item in items:
            lead = replace_name(item.lead, before, text)
            coordinating = replace_name(item.coordinating, before, text)
            if (lead, coordinating) != (item.lead, item.coordinating):
                item.lead, item.coordinating = lead, coordinating
                changed += 1
        return changed


def _cell(text: str, known: Iterable[str]) -> list[tuple[str, str]]:
    """A lead or coordinating cell as (name, separator after it) pairs. Commas separate
    names, except inside a name of the list ("Phòng Kinh tế, Hạ tầng và Đô thị"): the
    longest run of parts that is a known name is one name."""
    keys = set(known)
    parts = SEPARATORS.split(text or "")
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(parts):
        end = next(
            (j for j in range(len(parts) - 1, k, -2) if key("".join(parts[k : j + 1])) in keys),
            k,
        )
        out.append(("".join(parts[k : end + 1]), parts[end + 1] if end + 1 < len(parts) else ""))
        k = end + 2
    return out


def split_names(db: Database, text: str | None) -> list[str]:
    """The names in a lead or coordinating cell."""
    with db.session() as s:
        known = [r.name_key for r in _rows(s)]
    return [normal(name) for name, _sep in _cell(clean(text), known) if normal(name)]


def replace_name(text: str, old: str, new: str) -> str:
    """``text`` with every whole name equal to ``old`` (case and spacing ignored) as ``new``;
    the separators the clerk typed are kept."""
    wanted = key(old)
    return "".join(
        (new if key(name) == wanted else name) + sep for name, sep in _cell(text, [wanted])
    )


def remember(s: Session, text: str) -> str:
    """Inside a plan item's transaction: add the names of a lead or coordinating cell that
    the list does not have, and return the cell with the names it has spelled as the list
    spells them."""
    text = clean(text)
    if not text:
        return text
    known = {r.name_key: r.name for r in _rows(s)}
    out = []
    for name, sep in _cell(text, known):
        name = normal(name)
        if name and key(name) not in known and len(name) <= MAX_LENGTH:
            known[key(name)] = _append(s, name).name
        out.append(known.get(key(name), name) + sep)
    return "".join(out)
