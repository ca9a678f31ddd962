"""The sync log and the trusted keys as tables (Đồng bộ › Lịch sử, › Khóa và dấu vân tay).

The rows are plain values made on the worker thread from the service's results, so the
models never touch the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from parapp.domain.roles import PackageOutcome, Role
from parapp.i18n import N_, _, format_datetime
from parapp.services.sync_log import EVERY_UNIT, LogLine
from parapp.services.sync_words import word
from ui import style
from ui.models.rows import Index, RowsModel

COL_WHEN, COL_DIRECTION, COL_KIND, COL_OTHER, COL_OUTCOME, COL_PACKAGE = range(6)
LOG_HEADERS = (
    N_("Date"),
    N_("Sent / received"),
    N_("Package"),
    N_("Other unit"),
    N_("Outcome"),
    N_("Package id"),
)

KEY_UNIT, KEY_ROLE, KEY_FINGERPRINT, KEY_TRUSTED_AT = range(4)
KEY_HEADERS = (N_("Unit"), N_("Role"), N_("Key fingerprint"), N_("Trusted on"))
# A card's role is the other office's word: shown as it came when it names neither.
ROLES: dict[str, str] = {Role.COMMUNE: N_("commune / ward"), Role.APPRAISER: N_("appraiser")}


@dataclass(frozen=True)
class LogEntry:
    """One line of the sync log, ready to show."""

    when: datetime
    sent: bool
    kind: str
    other_code: str
    other_name: str
    outcome: str
    package_id: str
    file_name: str = ""
    sha256: str = ""
    message: str = ""


def log_entries(lines: Iterable[LogLine], names: Mapping[str, str]) -> list[LogEntry]:
    """The service's log lines as entries; ``names`` maps unit codes to names."""
    return [
        LogEntry(
            when=line.logged_at,
            sent=line.sent,
            kind=line.kind,
            other_code=line.other_code,
            other_name=names.get(line.other_code, ""),
            outcome=line.outcome,
            package_id=line.package_id,
            file_name=line.file_name,
            sha256=line.sha256,
            message=line.message,
        )
        for line in lines
    ]


def other_text(entry: LogEntry) -> str:
    if entry.other_code == EVERY_UNIT:
        return _("every unit")
    if entry.other_name:
        return f"{entry.other_name} ({entry.other_code})"
    return entry.other_code


class SyncLogModel(RowsModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([_(h) for h in LOG_HEADERS], parent)

    def set_entries(self, entries: list[LogEntry]) -> None:
        self.set_rows(entries)

    def entry_at(self, row: int) -> LogEntry | None:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry: LogEntry = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = [entry.file_name, entry.message]
            if entry.sha256:
                tips.append(_("SHA-256: {sha}").format(sha=entry.sha256))
            return "\n".join(t for t in tips if t) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_OUTCOME:
            if entry.outcome == PackageOutcome.REFUSED:
                return style.ERROR_TEXT
            if entry.outcome == PackageOutcome.ALREADY:
                return style.MUTED_TEXT
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_PACKAGE:
            return style.MUTED_TEXT
        return None

    @staticmethod
    def _text(entry: LogEntry, column: int) -> str:
        if column == COL_WHEN:
            return format_datetime(entry.when)
        if column == COL_DIRECTION:
            return _("Sent") if entry.sent else _("Received")
        if column == COL_KIND:
            return word(entry.kind)
        if column == COL_OTHER:
            return other_text(entry)
        if column == COL_OUTCOME:
            return word(entry.outcome)
        return entry.package_id


@dataclass(frozen=True)
class KeyEntry:
    """A trusted key; ``trusted_at`` when the service tells it."""

    unit_code: str
    unit_name: str
    role: str
    fingerprint: str
    trusted_at: datetime | None = None


def key_entries(keys: Iterable[Any]) -> list[KeyEntry]:
    """``sync_keys.TrustedKey``-like values as entries."""
    return [
        KeyEntry(
            k.unit_code,
            k.unit_name,
            k.role,
            k.fingerprint,
            getattr(k, "trusted_at", None),  # not every version of the service says when
        )
        for k in keys
    ]


def monospace() -> QFont:
    font = QFont("Consolas")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFamilies(["Consolas", "DejaVu Sans Mono", "Liberation Mono", "Courier New"])
    return font


class TrustedKeysModel(RowsModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([_(h) for h in KEY_HEADERS], parent)

    def set_keys(self, keys: list[KeyEntry]) -> None:
        self.set_rows(keys)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key: KeyEntry = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == KEY_UNIT:
                return f"{key.unit_name} ({key.unit_code})" if key.unit_name else key.unit_code
            if column == KEY_ROLE:
                msgid = ROLES.get(key.role)
                return _(msgid) if msgid else key.role
            if column == KEY_FINGERPRINT:
                return key.fingerprint
            return format_datetime(key.trusted_at) if key.trusted_at else "—"
        if role == Qt.ItemDataRole.FontRole and column == KEY_FINGERPRINT:
            return monospace()
        if role == Qt.ItemDataRole.ForegroundRole and column == KEY_TRUSTED_AT:
            return None if key.trusted_at else QColor(style.MUTED_TEXT)
        return None
