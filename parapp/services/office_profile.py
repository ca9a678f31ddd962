"""The office's profile: how its documents name, number, date and sign for it.

Every field the office has not set follows its unit's kind and name
(``parapp.domain.office.default_profile``), so renaming the unit renames the documents.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import OfficeProfileRow, UnitRow
from parapp.domain.office import FIELDS, OfficeProfile, default_profile, profile_with
from parapp.domain.text import clean
from parapp.i18n import _

from .common import UNIT_UNKNOWN, Need, NotFound, ServiceError
from .mapping import unit_from_row
from .setup import own_unit

# Longest accepted value of each field: header lines and phrases, never paragraphs.
_MAX_LENGTH = 200


def labels() -> dict[str, str]:
    """The profile's fields as the command line and the settings name them."""
    return {
        "governing_body": _("Governing body (header, first line)"),
        "own_name": _("Office name (header)"),
        "symbol_suffix": _("Symbol suffix"),
        "place": _("Place (date line)"),
        "signer_authority": _("Signer's authority"),
        "signer_title": _("Signer's title"),
        "level": _("Level (ranking sentences)"),
        "self_name": _("The office in prose"),
        "head": _("Its head in prose"),
    }


def _own_row(s: Session) -> UnitRow:
    row = s.scalars(select(UnitRow).where(UnitRow.is_self.is_(True))).first()
    if row is None:
        raise NotFound(UNIT_UNKNOWN, need=Need.UNIT_IDENTITY)
    return row


def stored_choices(db: Database) -> dict[str, str]:
    """The fields the office set itself (blank ones left out)."""
    with db.session() as s:
        unit = _own_row(s)
        row = s.scalars(select(OfficeProfileRow).where(OfficeProfileRow.unit_id == unit.id)).first()
        if row is None:
            return {}
        return {k: getattr(row, k) for k in FIELDS if clean(getattr(row, k))}


def get_profile(db: Database) -> OfficeProfile:
    """The office's profile: its own choices over the defaults of its kind and name."""
    return profile_with(own_unit(db), stored_choices(db))


def defaults(db: Database) -> OfficeProfile:
    return default_profile(own_unit(db))


def set_profile(db: Database, changes: dict[str, str]) -> OfficeProfile:
    """Set some fields; a blank value puts a field back to its default. All or nothing."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ServiceError("Unknown office profile field: {field}.", field=", ".join(unknown))
    cleaned = {k: clean(v) for k, v in changes.items()}
    for key, value in cleaned.items():
        if len(value) > _MAX_LENGTH or "\n" in value:
            raise ServiceError(
                "The office's {field} must be one line of at most {n} characters.",
                field=key,
                n=_MAX_LENGTH,
            )
    if cleaned.get("symbol_suffix"):
        suffix = cleaned["symbol_suffix"].upper()
        if not all(ch.isalnum() or ch in "-Đ" for ch in suffix):
            raise ServiceError(
                "A symbol suffix holds letters, digits and '-' only, e.g. SNV or VP."
            )
        cleaned["symbol_suffix"] = suffix
    with db.session() as s:
        unit = _own_row(s)
        row = s.scalars(select(OfficeProfileRow).where(OfficeProfileRow.unit_id == unit.id)).first()
        if row is None:
            row = OfficeProfileRow(unit_id=unit.id, **{k: "" for k in FIELDS})
            s.add(row)
        for key, value in cleaned.items():
            setattr(row, key, value)
        s.flush()
        choices = {k: getattr(row, k) for k in FIELDS if clean(getattr(row, k))}
        unit_value = unit_from_row(unit)
    return profile_with(unit_value, choices)


def merged(defaults: OfficeProfile, choices: dict[str, str]) -> OfficeProfile:
    """``defaults`` with the office's ``choices`` (as :func:`stored_choices` gives them)."""
    return defaults.with_changes({k: v for k, v in choices.items() if clean(v)}, defaults)


def as_dict(profile: OfficeProfile) -> dict[str, str]:
    return {k: v for k, v in asdict(profile).items() if k in FIELDS}


__all__ = ["as_dict", "defaults", "get_profile", "merged", "set_profile", "stored_choices"]
