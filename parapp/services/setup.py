"""Creating the office's database and saying who the office is."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sqlalchemy import select

from db.engine import Database, open_database
from db.models import Setting, UnitRow
from parapp.domain.remediation import Signer, SignMode
from parapp.domain.roles import Role
from parapp.domain.text import clean
from parapp.domain.units import Unit

from .common import UNIT_UNKNOWN, Need, NotFound, ServiceError
from .mapping import unit_from_row


@dataclass(frozen=True)
class InitResult:
    path: Path
    created: bool
    unit: Unit | None


def init_database(
    path: Path, unit: Unit | None = None, role: Role | str = Role.COMMUNE, *,
    change_unit: bool = False,
) -> InitResult:
    """Create the database (or open an existing one) and record this office's unit.

    A database that already belongs to another unit is not re-pointed silently: its
    assessments would vanish from view. ``change_unit`` says the user means it.
    """
    if role not in tuple(Role):
        raise ServiceError("The role must be 'commune' or 'appraiser'.")
    existed = path.exists() and path.stat().st_size > 0
    db = open_database(path, create=True)
    try:
        current = own_unit_or_none(db)
        if (
            unit is not None
            and current is not None
            and current.code != clean(unit.code)
            and not change_unit
        ):
            raise ServiceError(
                "This database belongs to {current} ({code}); making it another unit's must "
                "be asked for.",
                need=Need.CHANGE_UNIT,
                current=current.name,
                code=current.code,
            )
        if unit is not None:
            save_unit(db, unit, is_self=True)
            set_setting(db, "role", Role(role).value)
        return InitResult(path, not existed, own_unit_or_none(db))
    finally:
        db.close()


def save_unit(db: Database, unit: Unit, *, is_self: bool = False) -> None:
    if not clean(unit.code) or not clean(unit.name):
        raise ServiceError("A unit needs an official code and a name.")
    with db.session() as s:
        if is_self:
            for other in s.scalars(select(UnitRow).where(UnitRow.is_self.is_(True))):
                other.is_self = False
        row = s.scalars(select(UnitRow).where(UnitRow.code == clean(unit.code))).first()
        if row is None:
            row = UnitRow(code=clean(unit.code))
            s.add(row)
        row.name = clean(unit.name)
        row.kind = unit.kind.value
        row.appraiser_code = clean(unit.appraiser_code)
        row.appraiser_name = clean(unit.appraiser_name)
        row.province_name = clean(unit.province_name)
        row.is_self = is_self or row.is_self


def own_unit_or_none(db: Database) -> Unit | None:
    with db.session() as s:
        row = s.scalars(select(UnitRow).where(UnitRow.is_self.is_(True))).first()
        return unit_from_row(row) if row else None


def own_unit(db: Database) -> Unit:
    unit = own_unit_or_none(db)
    if unit is None:
        raise NotFound(UNIT_UNKNOWN, need=Need.UNIT_IDENTITY)
    return unit


def get_setting(db: Database, key: str, default: str = "") -> str:
    with db.session() as s:
        row = s.get(Setting, key)
        return row.value if row else default


def role_of(db: Database) -> Role:
    """This office's side: the ``role`` setting (a commune's when none is set)."""
    return Role.of(get_setting(db, "role"))


def set_setting(db: Database, key: str, value: str) -> None:
    with db.session() as s:
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=clean(value)))
        else:
            row.value = clean(value)


DEFAULT_SIGNER_KEY = "default_signer"
PAD_RANKS_KEY = "pad_ranks"


def pad_ranks(db: Database) -> bool:
    """Whether documents write ranks with two digits ("04/20"), as some decisions do."""
    return get_setting(db, PAD_RANKS_KEY) == "1"


def set_pad_ranks(db: Database, padded: bool) -> None:
    set_setting(db, PAD_RANKS_KEY, "1" if padded else "")


def default_signer(db: Database) -> Signer | None:
    """The signer new documents start with (Cài đặt), or None when none is set."""
    text = get_setting(db, DEFAULT_SIGNER_KEY)
    if not text:
        return None
    try:
        data = json.loads(text)
        return Signer(**{**data, "mode": SignMode(data.get("mode", SignMode.TM.value))})
    except (ValueError, TypeError):
        return None  # a damaged setting falls back to the built-in default


def set_default_signer(db: Database, signer: Signer) -> Signer:
    cleaned = replace(
        signer,
        body=clean(signer.body),
        head_title=clean(signer.head_title),
        position=clean(signer.position),
        name=clean(signer.name),
    )
    data = asdict(cleaned)
    data["mode"] = cleaned.mode.value
    set_setting(db, DEFAULT_SIGNER_KEY, json.dumps(data, ensure_ascii=False))
    return cleaned
