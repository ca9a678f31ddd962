"""The plan screen's bars: filters (status, lead, area), the item actions, the line under
the table about the selected items, and the page that holds them with the table and the
detail pane."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.remediation import RemediationItem
from parapp.domain.text import clean
from parapp.i18n import _, message, ngettext
from ui import style
from ui.fmt import points
from ui.models.plan_items import (
    COL_DEADLINE,
    COL_LEAD,
    COL_LOST,
    COL_PROGRESS,
    COL_RECOVERABLE,
    COL_SHORTCOMING,
    COL_STATUS,
    COL_STT,
    Filter,
    PlanItemsModel,
    Show,
)
from ui.widgets.plan_detail import PlanDetail
from ui.widgets.plan_table import PlanTable

if TYPE_CHECKING:
    from parapp.services.plan_whatif import WhatIf

MUTED = f"color: {style.MUTED_TEXT.name()};"


def _shows() -> list[tuple[Show, str]]:
    return [
        (Show.ALL, _("All items")),
        (Show.OVERDUE, _("Overdue")),
        (Show.UNFINISHED, _("Not finished")),
        (Show.NOT_STARTED, _("Not started")),
        (Show.IN_PROGRESS, _("In progress")),
        (Show.DONE, _("Done")),
    ]


class FilterBar(QHBoxLayout):
    def __init__(self) -> None:
        super().__init__()
        self.setSpacing(style.SPACING)
        self.show_box = QComboBox()
        for show, text in _shows():
            self.show_box.addItem(text, show)
        self.lead_box = QComboBox()
        self.lead_box.setMinimumContentsLength(14)
        self.lead_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.area_box = QComboBox()
        self.area_box.setMinimumContentsLength(18)
        self.area_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for text, box in (
            (_("Show:"), self.show_box),
            (_("Lead:"), self.lead_box),
            (_("Area:"), self.area_box),
        ):
            self.addWidget(QLabel(text))
            self.addWidget(box)
        self.addStretch(1)
        self.copy_button = QPushButton(_("Copy last year's unfinished items"))
        self.addWidget(self.copy_button)
        self.set_choices([], [])

    def set_choices(self, leads: list[str], areas: list[tuple[str, str]]) -> None:
        """The leads and areas of the plan's items; the chosen ones stay chosen."""
        for box, choices, everything in (
            (self.lead_box, [(n, n) for n in leads], _("Every lead")),
            (self.area_box, areas, _("Every area")),
        ):
            kept = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for value, text in choices:
                box.addItem(text, value)
                box.setItemData(box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
            box.setCurrentIndex(max(0, box.findData(kept)) if kept is not None else 0)
            box.blockSignals(False)

    def value(self) -> Filter:
        return Filter(
            Show(self.show_box.currentData()),
            self.lead_box.currentData(),
            self.area_box.currentData(),
        )


class ActionBar(QVBoxLayout):
    def __init__(self) -> None:
        super().__init__()
        self.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(style.SPACING)
        self.add_button = QPushButton(_("Add…"))
        self.duplicate_button = QPushButton(_("Duplicate"))
        self.split_button = QPushButton(_("Split…"))
        self.merge_button = QPushButton(_("Merge"))
        self.remove_button = QPushButton(_("Remove"))
        self.restore_button = QPushButton(_("Restore removed"))
        self.up_button = QPushButton("↑ " + _("Up"))
        self.down_button = QPushButton("↓ " + _("Down"))
        self.add_button.setToolTip(_("Add an item about a criterion, or a general task."))
        self.duplicate_button.setToolTip(_("A copy of the selected item right after it."))
        self.split_button.setToolTip(_("One shortcoming, several tasks: one item per task."))
        self.merge_button.setToolTip(
            _("The selected items (Ctrl+click to select several) become one.")
        )
        self.remove_button.setToolTip(_("Take the selected items out of the plan (Delete)."))
        self.restore_button.setToolTip(_("Put the last removed item back where it was."))
        self.up_button.setToolTip(_("Move the item up (Ctrl+Up, or drag it in the table)."))
        self.down_button.setToolTip(_("Move the item down (Ctrl+Down, or drag it)."))
        self.buttons = [
            self.add_button, self.duplicate_button, self.split_button, self.merge_button,
            self.remove_button, self.restore_button, self.up_button, self.down_button,
        ]  # fmt: skip
        for button in self.buttons[:6]:
            row.addWidget(button)
        row.addStretch(1)
        for button in self.buttons[6:]:
            row.addWidget(button)
        self.addLayout(row)
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(f"color: {style.ERROR_TEXT.name()};")
        self.refusal.hide()
        self.addWidget(self.refusal)

    def show_state(self, draft: bool, current: bool, selected: int, removed: int) -> None:
        for button in self.buttons:
            button.setVisible(draft)
        self.add_button.setEnabled(draft)
        for button in (self.duplicate_button, self.split_button, self.up_button,
                       self.down_button):
            button.setEnabled(draft and current)
        self.merge_button.setEnabled(draft and selected >= 2)
        self.remove_button.setEnabled(draft and selected >= 1)
        self.restore_button.setEnabled(draft and removed > 0)
        self.restore_button.setText(
            _("Restore removed ({n})").format(n=removed) if removed else _("Restore removed")
        )
        if not draft:
            self.notice("")

    def notice(self, text: str) -> None:
        """Why the last action was refused (one sentence), or nothing."""
        self.refusal.setText(text)
        self.refusal.setVisible(bool(text))


class WhatIfLine(QLabel):
    """Under the table: what the selected items (two or more), or all of them, win back if
    done, and the points, index and rank that would give (``plan_whatif``). Without the
    what-if figures (no assessment to project from): the points the items answer for."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(MUTED)
        style.room_for_marks(self)

    def show_figures(self, model: PlanItemsModel, ids: list[str], whatif: WhatIf | None) -> None:
        chosen = [i for i in model.items if i.id in set(ids)] if len(ids) > 1 else model.items
        if len(ids) > 1:
            head = ngettext(
                "If the {n} selected item is done", "If the {n} selected items are done",
                len(chosen),
            ).format(n=len(chosen))  # fmt: skip
        else:
            head = _("If every item is done")
        if whatif is None:
            self.setText(self._lost(chosen, len(ids) > 1))
            return
        gain = whatif.projected_points - whatif.points
        parts = [
            _("{head}: +{gain} points, {points} points in all, index {index}").format(
                head=head,
                gain=points(gain),
                points=points(whatif.projected_points),
                index=points(whatif.projected_index),
            )
        ]
        if whatif.projected_rank is not None and whatif.rank_of is not None:
            parts.append(
                _("rank {rank} of {of} in the {year} ranking").format(
                    rank=whatif.projected_rank, of=whatif.rank_of, year=whatif.ranking_year
                )
            )
        elif whatif.rank_reason is not None:
            parts.append(message(whatif.rank_reason))
        if whatif.pending_areas:
            parts.append(
                _("nothing projected for areas {codes} (survey results not known)").format(
                    codes=", ".join(whatif.pending_areas)
                )
            )
        if whatif.done_recovered:
            parts.append(
                _("finished items: {gain} points expected").format(
                    gain=points(whatif.done_recovered)
                )
            )
        self.setText(" · ".join(parts))

    @staticmethod
    def _lost(chosen: list[RemediationItem], selected: bool) -> str:
        # Items split from one shortcoming share its lost points: counted once.
        seen: dict[tuple[tuple[str, ...], str], Decimal] = {}
        for item in chosen:
            if item.points_lost:
                seen.setdefault((item.node_codes, clean(item.shortcoming)), item.points_lost)
        lost = sum(seen.values(), Decimal(0))
        if not lost:
            return ""
        if selected:
            return ngettext(
                "The {n} selected item answers for {points} lost points.",
                "The {n} selected items answer for {points} lost points.",
                len(chosen),
            ).format(n=len(chosen), points=points(lost))
        return _("The items answer for {points} lost points.").format(points=points(lost))


class TablePage(QWidget):
    def __init__(
        self, table: PlanTable, detail: PlanDetail, whatif: WhatIfLine, no_rows: QLabel
    ) -> None:
        super().__init__()
        self.table, self.detail, self.whatif, self.no_rows = table, detail, whatif, no_rows


def table_page(filters: FilterBar, actions: ActionBar, model: PlanItemsModel) -> TablePage:
    table = PlanTable()
    table.setModel(model)
    table.set_widths(
        {
            COL_STT: 34,
            COL_LEAD: 100,
            COL_DEADLINE: 116,
            COL_STATUS: 108,
            COL_PROGRESS: 64,
            COL_LOST: 50,
            COL_RECOVERABLE: 62,
        },
        COL_SHORTCOMING,
    )
    page = TablePage(table, PlanDetail(), WhatIfLine(), QLabel())
    box = QVBoxLayout(page)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(style.SPACING)
    box.addLayout(filters)
    box.addLayout(actions)
    page.no_rows.setStyleSheet(MUTED + " padding: 8px;")
    page.no_rows.hide()
    left = QWidget()
    column = QVBoxLayout(left)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    column.addWidget(page.no_rows)
    column.addWidget(table, 1)
    column.addWidget(page.whatif)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(page.detail)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    splitter.setSizes([710, 400])  # at 1366 pixels: the table's columns whole, the pane wide
    splitter.setChildrenCollapsible(False)
    box.addWidget(splitter, 1)
    return page
