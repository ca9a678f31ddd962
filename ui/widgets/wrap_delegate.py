"""Rows as tall as their wrapped text: long Vietnamese titles are read whole, not cut.

QTreeView wraps text only inside the height a delegate asks for, and the default delegate
asks for one line; this one measures the text at the column's current width. The view
must lay its rows out again when a column is resized (see :func:`relayout_on_resize`).
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

Index = QModelIndex | QPersistentModelIndex
PADDING = 8  # the style's text margins, left and right together, plus a little air


class WrapDelegate(QStyledItemDelegate):
    def __init__(self, view: QAbstractItemView, columns: Collection[int]) -> None:
        super().__init__(view)
        self.view = view
        self.columns = frozenset(columns)
        self._heights: dict[tuple[str, int, str], int] = {}
        self._lines: dict[str, int] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        # A tree asks every column of a row for its height whenever the row changes, so
        # this is on the path of every edit: heights are cached by font, width and text.
        font = index.data(Qt.ItemDataRole.FontRole)
        if not isinstance(font, QFont):
            font = option.font
        line = self._line_height(font, option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if index.column() not in self.columns or not isinstance(self.view, QTreeView):
            # One line: its width matters to columns sized to their contents.
            return QSize(self._width(font, str(text or "")), line)
        if not text:
            return QSize(0, line)
        width = self.view.columnWidth(index.column()) - PADDING
        if index.column() == 0:
            width -= self.view.indentation() * (_depth(index) + 1)
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:
            width -= option.decorationSize.width() + 4
        if width <= 0:
            return QSize(0, line)
        key = (font.key(), width, str(text))
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > 20_000:
                self._heights.clear()
            flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
            box = QFontMetrics(font).boundingRect(QRect(0, 0, width, 100_000), flags, str(text))
            height = box.height() + 10  # margins, and room for "Ậ" and "ỷ"
            self._heights[key] = height
        return QSize(0, max(line, height))

    def _width(self, font: QFont, text: str) -> int:
        key = (font.key(), -1, text)
        width = self._heights.get(key)
        if width is None:
            width = QFontMetrics(font).horizontalAdvance(text) + 2 * PADDING
            self._heights[key] = width
        return width

    def _line_height(self, font: QFont, option: QStyleOptionViewItem, index: Index) -> int:
        key = font.key()
        line = self._lines.get(key)
        if line is None:
            # One line as the style lays it out, plus room for stacked marks ("Ậ", "ỷ").
            line = super().sizeHint(option, index).height() + 4
            self._lines[key] = line
        return line


def _depth(index: Index) -> int:
    depth, parent = 0, index.parent()
    while parent.isValid():
        depth, parent = depth + 1, parent.parent()
    return depth


def relayout_on_resize(view: QTreeView) -> None:
    """Recompute row heights (shortly) after any column is resized."""
    timer = QTimer(view)
    timer.setSingleShot(True)
    timer.setInterval(60)
    timer.timeout.connect(view.doItemsLayout)
    view.header().sectionResized.connect(lambda *_args: timer.start())
