"""The appraiser's units × status table: one row per unit and where its assessment stands.

Rows are :class:`parapp.services.appraisal.UnitStatus` (computed on the worker); the proxy
filters by status and sorts on the real values (an index as a number, not as text).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from parapp.domain.assessment import AssessmentStatus
from parapp.domain.text import fold
from parapp.domain.units import UnitKind
from parapp.i18n import N_, _, format_datetime, label
from parapp.services.appraisal import UnitStatus
from ui import style
from ui.fmt import points
from ui.models.rows import Index, RowsModel

COL_UNIT, COL_KIND, COL_STATUS, COL_RECEIVED, COL_SELF, COL_APPRAISED, COL_REAPPRAISE, COL_RANK = (
    range(8)
)
UNIT_CODE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
# The units that need the appraiser come first when sorted by status.
_STATUS_ORDER: dict[AssessmentStatus | None, int] = {
    AssessmentStatus.SUBMITTED: 0,
    AssessmentStatus.APPRAISED: 1,
    AssessmentStatus.RETURNED: 2,
    AssessmentStatus.PUBLISHED: 3,
    AssessmentStatus.DRAFT: 4,
    None: 5,
}
_NUMERIC = (COL_RECEIVED, COL_SELF, COL_APPRAISED, COL_REAPPRAISE, COL_RANK)

KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.COMMUNE: N_("Commune"),
    UnitKind.WARD: N_("Ward"),
    UnitKind.SPECIAL_ZONE: N_("Special zone"),
    UnitKind.TOWNSHIP: N_("Township"),
    UnitKind.DISTRICT: N_("District"),
    UnitKind.PROVINCE: N_("Province"),
    UnitKind.DEPARTMENT: N_("Department"),
}


class StatusFilter(StrEnum):
    """The hub's "Hiện" choices: three of their own, then one per status (``matches``
    finds a status's filter by its value)."""

    ALL = "all"
    NOT_SUBMITTED = "not_submitted"
    TO_APPRAISE = "to_appraise"  # submitted, something left to (re-)appraise
    SUBMITTED = AssessmentStatus.SUBMITTED.value
    RETURNED = AssessmentStatus.RETURNED.value
    APPRAISED = AssessmentStatus.APPRAISED.value
    PUBLISHED = AssessmentStatus.PUBLISHED.value


def filter_choices() -> list[tuple[StatusFilter, str]]:
    return [
        (StatusFilter.ALL, _("All units")),
        (StatusFilter.TO_APPRAISE, _("Waiting for appraisal")),
        (StatusFilter.NOT_SUBMITTED, _("Not submitted")),
        (StatusFilter.SUBMITTED, _("Submitted")),
        (StatusFilter.RETURNED, _("Returned for correction")),
        (StatusFilter.APPRAISED, _("Appraised")),
        (StatusFilter.PUBLISHED, _("Published")),
    ]


def status_text(status: AssessmentStatus | None) -> str:
    """The status in words; "chưa nộp" when nothing was received for the year."""
    return _("not submitted") if status is None else label(status)


def kind_text(kind: UnitKind) -> str:
    text = KIND_LABELS.get(kind)
    return _(text) if text else str(kind.value)


def matches(unit: UnitStatus, wanted: StatusFilter) -> bool:
    if wanted is StatusFilter.ALL:
        return True
    if wanted is StatusFilter.NOT_SUBMITTED:
        return unit.status is None
    if wanted is StatusFilter.TO_APPRAISE:
        return unit.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED) and (
            unit.to_appraise > 0 or unit.to_reappraise > 0
        )
    return unit.status is not None and unit.status.value == wanted.value


def _index(unit: UnitStatus) -> Decimal | None:
    """The published index once published, else the index the appraisal gives now."""
    return unit.published_index if unit.published_index is not None else unit.appraised_index


def headers() -> list[str]:
    # TRANSLATORS: column headers of the appraiser's units table; "\n" breaks the line.
    return [
        _("Unit"),
        _("Kind"),
        _("Status"),
        _("Last package\nreceived"),
        _("Self-assessed\nindex (%)"),
        _("Appraised\nindex (%)"),
        _("To\nre-appraise"),
        _("Rank"),
    ]


class UnitStatusModel(RowsModel):
    NUMERIC = _NUMERIC

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(headers(), parent)

    @property
    def units(self) -> list[UnitStatus]:
        return self.rows

    def set_units(self, units: list[UnitStatus]) -> None:
        self.set_rows(units)

    def unit_at(self, row: int) -> UnitStatus | None:
        unit: UnitStatus | None = self.row_at(row)
        return unit

    def row_of(self, unit_code: str) -> int:
        for row, unit in enumerate(self.rows):
            if unit.unit_code == unit_code:
                return row
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        unit = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(unit, col)
        if role == UNIT_CODE_ROLE:
            return unit.unit_code
        if role == SORT_ROLE:
            return self._sort_key(unit, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(col)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(unit, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(unit, col)
        return None

    def _display(self, unit: UnitStatus, col: int) -> str:
        if col == COL_UNIT:
            return unit.unit_name
        if col == COL_KIND:
            return kind_text(unit.kind)
        if col == COL_STATUS:
            return status_text(unit.status)
        if col == COL_RECEIVED:
            return format_datetime(unit.last_package_at) if unit.last_package_at else ""
        if col == COL_SELF:
            return points(unit.self_index) if unit.self_index is not None else ""
        if col == COL_APPRAISED:
            index = _index(unit)
            return points(index) if index is not None else ""
        if col == COL_REAPPRAISE:
            return str(unit.to_reappraise) if unit.to_reappraise else ""
        if col == COL_RANK:
            if unit.rank is None:
                return ""
            return _("{rank} of {of}").format(rank=unit.rank, of=unit.rank_of or "?")
        return ""

    def _sort_key(self, unit: UnitStatus, col: int) -> Any:
        big = Decimal(10**6)
        if col == COL_STATUS:
            return f"{_STATUS_ORDER.get(unit.status, 9)} {fold(unit.unit_name)}"
        if col == COL_RECEIVED:
            return unit.last_package_at.isoformat() if unit.last_package_at else ""
        if col == COL_SELF:
            return float(unit.self_index if unit.self_index is not None else -1)
        if col == COL_APPRAISED:
            index = _index(unit)
            return float(index if index is not None else -1)
        if col == COL_REAPPRAISE:
            return unit.to_reappraise
        if col == COL_RANK:
            return float(unit.rank if unit.rank is not None else big)
        return fold(self._display(unit, col))  # "Bắc Sơn" beside "Ba Sơn", not after "Bình"

    def _foreground(self, unit: UnitStatus, col: int) -> Any:
        if col == COL_STATUS and unit.status is None:
            return style.MUTED_TEXT
        if col == COL_STATUS and unit.status is AssessmentStatus.RETURNED:
            return style.ERROR_TEXT
        if col == COL_REAPPRAISE and unit.to_reappraise:
            return style.LOST_TEXT
        return None

    def _tooltip(self, unit: UnitStatus, col: int) -> str | None:
        if col == COL_STATUS and unit.return_reason:
            return _("Returned because: {reason}").format(reason=unit.return_reason)
        if col == COL_STATUS and unit.to_appraise and unit.status is AssessmentStatus.SUBMITTED:
            return _("{n} criteria not appraised yet.").format(n=unit.to_appraise)
        if col == COL_REAPPRAISE and unit.to_reappraise:
            return _(
                "The unit changed these self-scores after they were appraised: appraise them "
                "again."
            )
        if col == COL_UNIT:
            return f"{unit.unit_code} — {unit.unit_name}"
        return None


class UnitStatusFilter(QSortFilterProxyModel):
    """Shows the units of one status, sorted on real values."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wanted = StatusFilter.ALL
        self.setSortRole(SORT_ROLE)

    def set_status(self, wanted: StatusFilter) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+; invalidateFilter before
        if begin is not None:
            begin()
        self.wanted = wanted
        if begin is not None:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, UnitStatusModel):
            return True
        unit = model.unit_at(source_row)
        return unit is not None and matches(unit, self.wanted)
