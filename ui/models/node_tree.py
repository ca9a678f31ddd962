"""A tree model over the nodes of a criteria set: one row per criterion under its parent.

The self-assessment and the appraisal show the same tree with different columns; the
indexing (a node's id is its position in the set), the header, the "rows changed"
signalling and what the two share about cells (which are editable, refused cells, the
bold area rows, the alignment of numbers, the evidence count) are here once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QFont, QGuiApplication

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode
from ui.models.rows import column_header

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class NodeTreeModel(QAbstractItemModel):
    """A subclass answers ``is_editable`` and ``data`` for its columns and names its
    right-aligned (number) columns in ``NUMERIC``."""

    edit_refused = QtSignal(str, int, str)  # code, column, reason (translated)
    totals_changed = QtSignal()
    NUMERIC: tuple[int, ...] = ()

    def __init__(self, headers: list[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cset: CriteriaSet | None = None
        self.scores: dict[str, NodeScore] = {}
        self.evidence_counts: dict[str, int] = {}
        self.editable = False
        self._errors: dict[tuple[str, int], str] = {}  # (code, column): why it was refused
        self._bold: QFont | None = None
        self._headers = headers
        self._columns = len(headers)
        self._codes: list[str] = []
        self._ids: dict[str, int] = {}
        self._parent: list[int] = []
        self._row: list[int] = []
        self._kids: dict[int, list[int]] = {-1: []}

    def _build_tree(self, cset: CriteriaSet | None) -> None:
        """Index the nodes of ``cset`` (None: no tree); call between begin/endResetModel."""
        self.cset = cset
        nodes = cset.nodes if cset is not None else ()
        self._codes = [n.code for n in nodes]
        self._ids = {code: i for i, code in enumerate(self._codes)}
        self._parent = [self._ids[n.parent_code] if n.parent_code is not None else -1
                        for n in nodes]
        self._kids = {-1: []}
        self._row = [0] * len(self._codes)
        for i, p in enumerate(self._parent):
            siblings = self._kids.setdefault(p, [])
            self._row[i] = len(siblings)
            siblings.append(i)

    def _with_ancestors(self, codes: Iterable[str]) -> set[int]:
        """The rows of ``codes`` and of every node above them (their totals change too)."""
        assert self.cset is not None
        rows = set()
        for code in codes:
            node: CriterionNode | None = self.cset.node(code)
            while node is not None:
                rows.add(self._ids[node.code])
                node = self.cset.node(node.parent_code) if node.parent_code else None
        return rows

    def _rows_changed(self, rows: Iterable[int]) -> None:
        for i in sorted(rows):
            left = self.createIndex(self._row[i], 0, i)
            right = self.createIndex(self._row[i], self._columns - 1, i)
            self.dataChanged.emit(left, right)

    # -- tree structure ------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        pid = parent.internalId() if parent.isValid() else -1
        kids = self._kids.get(pid, [])
        if not 0 <= row < len(kids) or not 0 <= column < self._columns:
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, index: Index | None = None) -> QModelIndex:  # type: ignore[override]
        if index is None:
            return QObject.parent(self)  # type: ignore[return-value]
        if not index.isValid():
            return QModelIndex()
        p = self._parent[index.internalId()]
        return QModelIndex() if p < 0 else self.createIndex(self._row[p], 0, p)

    def rowCount(self, parent: Index = ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        pid = parent.internalId() if parent.isValid() else -1
        return len(self._kids.get(pid, []))

    def columnCount(self, parent: Index = ROOT) -> int:
        return self._columns

    def index_of(self, code: str, column: int = 0) -> QModelIndex:
        i = self._ids.get(code)
        return QModelIndex() if i is None else self.createIndex(self._row[i], column, i)

    def code_at(self, index: Index) -> str:
        return self._codes[index.internalId()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_header(self._headers, section, orientation, role)

    # -- cells ---------------------------------------------------------------------
    def is_editable(self, index: Index) -> bool:
        return False

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.is_editable(index) else base

    def show_error(self, code: str, col: int, reason: str) -> None:
        """Mark a cell refused (by the local check or by the service)."""
        self._errors[(code, col)] = reason
        index = self.index_of(code, col)
        self.dataChanged.emit(index, index)

    def alignment(self, col: int) -> int:
        """Numbers to the right, text to the left, both centred vertically."""
        right = col in self.NUMERIC
        horizontal = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        return int(horizontal | Qt.AlignmentFlag.AlignVCenter)

    def area_font(self, node_id: int) -> QFont | None:
        """Areas (the top rows) in bold."""
        if self._parent[node_id] >= 0:
            return None
        if self._bold is None:
            self._bold = QFont(QGuiApplication.font())
            self._bold.setBold(True)
        return self._bold

    def evidence_count(self, code: str) -> int:
        """Documents linked to the node or to a node above it."""
        assert self.cset is not None
        count, node = 0, self.cset.node(code)
        while True:
            count += self.evidence_counts.get(node.code, 0)
            if node.parent_code is None:
                return count
            node = self.cset.node(node.parent_code)
