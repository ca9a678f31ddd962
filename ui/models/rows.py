"""A flat table model: one object per row under fixed, translated column headers.

The appraiser's tables (units and their status, the ranking) differ only in what a cell
shows; the counting, the headers and the replacing of all rows are here once (the column
headers of the criteria trees too: ``column_header``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


def column_header(headers: list[str], section: int, orientation: Qt.Orientation,
                  role: int) -> Any:
    """What every table and tree of ours shows above its columns: the translated header,
    centred (rows have no header)."""
    if orientation != Qt.Orientation.Horizontal:
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return headers[section]
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignCenter)
    return None


class RowsModel(QAbstractTableModel):
    """Rows replaced whole with ``set_rows``; a subclass answers ``data`` for its cells and
    names its right-aligned (number) columns in ``NUMERIC``."""

    NUMERIC: tuple[int, ...] = ()

    def __init__(self, headers: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self._headers = headers

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_header(self._headers, section, orientation, role)

    def alignment(self, col: int) -> int:
        """Numbers to the right, text to the left, both centred vertically."""
        right = col in self.NUMERIC
        horizontal = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
