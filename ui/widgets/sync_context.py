"""What the Đồng bộ screen needs to know, loaded at once on the worker thread: who this
office is and its role, its key fingerprint, the keys it trusts and the sync log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from parapp.domain.roles import Role
from parapp.services import council, setup, sync_keys, sync_log
from parapp.services.appraisal import latest_year
from parapp.services.common import NotFound
from ui import style
from ui.models.sync_log import KeyEntry, LogEntry, key_entries, log_entries

if TYPE_CHECKING:
    from parapp.services.office import Office

@dataclass(frozen=True)
class SyncContext:
    role: Role
    unit_code: str
    unit_name: str
    appraiser_code: str
    appraiser_name: str
    fingerprint: str
    keys: list[KeyEntry] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    latest_year: int | None = None  # appraiser: the latest year any unit submitted
    # A council member on the hub (docs/hub.md): packages are the secretariat's.
    council_member: bool = False

    @property
    def appraiser(self) -> bool:
        return self.role is Role.APPRAISER

    def name_of(self, code: str) -> str:
        if code == self.unit_code:
            return self.unit_name
        if code == self.appraiser_code and self.appraiser_name:
            return self.appraiser_name
        for key in self.keys:
            if key.unit_code == code:
                return key.unit_name
        return ""


def load_context(db: Office) -> SyncContext:
    """Runs on the worker thread (makes this office's keys on first use)."""
    role = setup.role_of(db)
    unit = setup.own_unit_or_none(db)
    fingerprint = sync_keys.own_keys(db.path).fingerprint
    trusted = sync_keys.trusted(db, include_replaced=True)
    names = {k.unit_code: k.unit_name for k in trusted if k.unit_name}
    if unit is not None:
        names[unit.code] = unit.name
        if unit.appraiser_code and unit.appraiser_name:
            names.setdefault(unit.appraiser_code, unit.appraiser_name)
    latest = None
    if role is Role.APPRAISER:
        try:
            latest = latest_year(db)
        except NotFound:
            latest = None
    member = role is Role.APPRAISER and not council.role(db).secretariat
    return SyncContext(
        council_member=member,
        role=role,
        unit_code=unit.code if unit else "",
        unit_name=unit.name if unit else "",
        appraiser_code=unit.appraiser_code if unit else "",
        appraiser_name=unit.appraiser_name if unit else "",
        fingerprint=fingerprint,
        keys=key_entries(sync_keys.trusted(db)),
        log=log_entries(sync_log.log_lines(db), names),
        latest_year=latest,
    )


def grouped(hex_digest: str, per_line: int = 0) -> str:
    """A SHA-256 in groups of four upper-case digits, as on the transfer slip;
    ``per_line`` groups per line when given."""
    digits = "".join(hex_digest.split()).upper()
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    if per_line <= 0:
        return " ".join(groups)
    return "\n".join(" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line))


def note(text: str = "") -> QLabel:
    """A muted explanation under a control."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
    return label
