"""The official list of communes and wards, searched as the clerk types (first-run page).

The catalog (about 3,300 units after the 2025 rearrangement) is read once on the database
thread (``load_catalog``); filtering it by province and by typed words, ignoring marks and
case ("phuong ba dinh" finds "Phường Ba Đình"), takes a millisecond or two on the GUI thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex

from parapp.domain.text import fold
from parapp.i18n import _
from parapp.services.units_catalog import Catalog, CatalogEntry

MAX_SHOWN = 300  # more is no help: she types another word
CODE_ROLE = 257  # Qt.ItemDataRole.UserRole + 1
DISPLAY_ROLE = 0
TOOLTIP_ROLE = 3

Index = QModelIndex | QPersistentModelIndex


def matches(entry: CatalogEntry, words: list[str], province_code: str) -> bool:
    if province_code and entry.province.code != province_code:
        return False
    return all(word in entry.folded for word in words)


class UnitSearchModel(QAbstractListModel):
    """The units matching the typed words (and the province chosen), at most MAX_SHOWN."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog: Catalog | None = None
        self._rows: list[CatalogEntry] = []
        self._total = 0
        self._text = ""
        self._province = ""

    @property
    def loaded(self) -> bool:
        return self._catalog is not None

    @property
    def total(self) -> int:
        """How many units match, including those beyond MAX_SHOWN."""
        return self._total

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._refilter()

    def set_filter(self, text: str, province_code: str = "") -> None:
        self._text = text
        self._province = province_code
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        words = fold(self._text).split()
        rows: list[CatalogEntry] = []
        total = 0
        if self._catalog is not None and (words or self._province):
            for entry in self._catalog.units:
                if matches(entry, words, self._province):
                    total += 1
                    if len(rows) < MAX_SHOWN:
                        rows.append(entry)
        self._rows = rows
        self._total = total
        self.endResetModel()

    def entry(self, row: int) -> CatalogEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, code: str) -> int:
        for row, entry in enumerate(self._rows):
            if entry.code == code:
                return row
        return -1

    # -- Qt ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == DISPLAY_ROLE:
            return _("{name} — {province} (code {code})").format(
                name=entry.name, province=entry.province.name, code=entry.code
            )
        if role == TOOLTIP_ROLE:
            return entry.province.name
        if role == CODE_ROLE:
            return entry.code
        return None
