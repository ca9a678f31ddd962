"""The backups of the database as a table: when, why, how big (newest first)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Qt

from parapp.i18n import N_, _, format_datetime, format_decimal
from parapp.services.backups import BackupInfo
from ui.models.rows import Index, RowsModel

COL_DATE, COL_REASON, COL_SIZE = range(3)
HEADERS = (N_("Made on"), N_("Why"), N_("Size"))
INFO_ROLE = Qt.ItemDataRole.UserRole + 1

REASONS = {
    "manual": N_("Made by hand"),
    "before-import": N_("Before importing data"),
    "before-restore": N_("Before restoring a backup"),
    "before-migration": N_("Before upgrading the program"),
    "demo": N_("Demo data"),
    "exit": N_("On closing the program"),
    "auto": N_("Automatic"),
}


def reason_text(reason: str) -> str:
    msgid = REASONS.get(reason)
    return _(msgid) if msgid else reason


def size_text(size: int) -> str:
    """ "220 KB", "1,5 MB" in the screen's number format."""
    if size < 1024 * 1024:
        return _("{n} KB").format(n=format_decimal(Decimal(max(1, round(size / 1024))), 0))
    return _("{n} MB").format(n=format_decimal(Decimal(size) / (1024 * 1024), 1))


class BackupsModel(RowsModel):
    """The backups as the service lists them (newest first)."""

    NUMERIC = (COL_SIZE,)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([_(h) for h in HEADERS], parent)

    def set_backups(self, backups: list[BackupInfo]) -> None:
        self.set_rows(backups)

    def backup_at(self, row: int) -> BackupInfo | None:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info: BackupInfo = self.rows[index.row()]
        if role == INFO_ROLE:
            return info
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == COL_DATE:
                return format_datetime(info.created)
            if index.column() == COL_REASON:
                return reason_text(info.reason)
            return size_text(info.size)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(index.column())
        return None
