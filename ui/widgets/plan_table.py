"""The plan's compact table: one line per item, rows selected whole (several for a merge),
dragged to another place, and moved with Ctrl+Up / Ctrl+Down."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui import style


class PlanTable(QTableView):
    move_keyed = Signal(int)  # -1 up, +1 down (Ctrl+Up / Ctrl+Down)
    remove_keyed = Signal()  # Delete

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.verticalHeader().hide()
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # One line with room for stacked Vietnamese marks ("Ậ", "ỹ").
        rows.setDefaultSectionSize(self.fontMetrics().boundingRect(style.TALL_GLYPHS).height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumHeight(header.fontMetrics().boundingRect(style.TALL_GLYPHS).height() + 12)

    def set_widths(self, widths: dict[int, int], stretch: int) -> None:
        header = self.horizontalHeader()
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_keyed.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        if event.key() == Qt.Key.Key_Delete and not event.modifiers():
            self.remove_keyed.emit()
            return
        super().keyPressEvent(event)

    def selected_rows(self) -> list[int]:
        model = self.selectionModel()
        return sorted({i.row() for i in model.selectedRows()}) if model else []

    def select_rows(self, rows: list[int], current: int) -> None:
        """Select ``rows`` with ``current`` the current row, without scrolling."""
        model = self.model()
        selection = self.selectionModel()
        if model is None or selection is None:
            return
        flags = QItemSelectionModel.SelectionFlag
        selection.clearSelection()
        if current >= 0:
            selection.setCurrentIndex(
                model.index(current, 0), flags.NoUpdate
            )
        for row in rows:
            selection.select(model.index(row, 0), flags.Select | flags.Rows)
