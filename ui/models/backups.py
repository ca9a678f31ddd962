"""The backups of the database as a table: when, why, how big (newest first)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from parapp.i18n import N_, _, format_datetime, format_decimal
from parapp.services.backups import BackupInfo

COL_DATE, COL_REASON, COL_SIZE = range(3)
HEADERS = (N_("Made on"), N_("Why"), N_("Size"))
INFO_ROLE = Qt.ItemDataRole.UserRole + 1

REASONS = {
    "manual": N_("Made by hand"),
    "before-import": N_("Before importing data"),
    "before-restore": N_("Before restoring a backup"),
    "before-migration": N_("Before upgrading the program"),
    "demo": N_("Demo data"),
}

Index = QModelIndex | QPersistentModelIndex


def reason_text(reason: str) -> str:
    msgid = REASONS.get(reason)
    return _(msgid) if msgid else reason


def size_text(size: int) -> str:
    """ "220 KB", "1,5 MB" in the screen's number format."""
    if size < 1024 * 1024:
        return _("{n} KB").format(n=format_decimal(Decimal(max(1, round(size / 1024))), 0))
    return _("{n} MB").format(n=format_decimal(Decimal(size) / (1024 * 1024), 1))


class BackupsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.backups: list[BackupInfo] = []

    def set_backups(self, backups: list[BackupInfo]) -> None:
        self.beginResetModel()
        self.backups = list(backups)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info = self.backups[index.row()]
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
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def backup_at(self, row: int) -> BackupInfo | None:
        return self.backups[row] if 0 <= row < len(self.backups) else None
