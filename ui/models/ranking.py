"""The ranking of a year as a table: rank, unit, index, band (and whether it is published).

Rows come from :func:`parapp.services.appraisal_publish.ranking_inputs`: published figures
where published, else what the appraisal gives now (shown as provisional).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from parapp.domain.ranking import RankingInputs, RankingRow
from parapp.i18n import _
from ui import style
from ui.fmt import points
from ui.models.rows import Index, RowsModel

COL_RANK, COL_UNIT, COL_INDEX, COL_BAND, COL_STATE = range(5)
UNIT_CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def headers() -> list[str]:
    # TRANSLATORS: column headers of the ranking table
    return [_("Rank"), _("Unit"), _("PAR index (%)"), _("Band"), _("Result")]


def rank_text(row: RankingRow) -> str:
    return _("{rank} of {of}").format(rank=row.rank, of=row.rank_of)


class RankingModel(RowsModel):
    NUMERIC = (COL_RANK, COL_INDEX)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(headers(), parent)
        self.inputs: RankingInputs | None = None

    def set_inputs(self, inputs: RankingInputs | None) -> None:
        self.inputs = inputs
        self.set_rows(inputs.rows if inputs is not None else [])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == UNIT_CODE_ROLE:
            return row.unit_code
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(col)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATE and not row.published:
            return style.LOST_TEXT
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_STATE and not row.published:
            return _("Not published yet: the figures of the appraisal as it stands.")
        return None

    def _display(self, row: RankingRow, col: int) -> str:
        if col == COL_RANK:
            return rank_text(row)
        if col == COL_UNIT:
            return row.unit_name
        if col == COL_INDEX:
            return points(row.index)
        if col == COL_BAND:
            return row.band
        if col == COL_STATE:
            return _("published") if row.published else _("provisional")
        return ""
