"""Filtering the criteria tree: one area, a problem filter, a diacritic-insensitive search.

A parent row stays visible when one of its descendants matches (recursive filtering), and a
search that matches a parent's title shows its whole subtree. Rows do not vanish while the
clerk types into them: the filter is applied when she changes it, not on every edit.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from parapp.domain.criteria import ScoreKind
from parapp.domain.text import fold
from ui.models import cells
from ui.models.columns import EVIDENCE_COUNT_ROLE, FOLD_ROLE
from ui.models.criteria_tree import CriteriaTreeModel
from ui.models.problems import Problem


class CriteriaFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)
        self.setDynamicSortFilter(False)
        self.area: str | None = None
        self.problem = Problem.ALL
        self.query = ""

    def tree(self) -> CriteriaTreeModel:
        source = self.sourceModel()
        assert isinstance(source, CriteriaTreeModel)
        return source

    def set_filter(
        self,
        *,
        area: str | bool | None = False,
        problem: Problem | None = None,
        query: str | None = None,
    ) -> None:
        """Change any of the three (``area=None`` means every area; omitted: unchanged)."""
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+; invalidateFilter before
        if begin is not None:
            begin()
        if area is not False:
            self.area = area if isinstance(area, str) else None
        if problem is not None:
            self.problem = problem
        if query is not None:
            self.query = fold(query)
        if begin is not None:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    @property
    def active(self) -> bool:
        return bool(self.area or self.query or self.problem is not Problem.ALL)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        tree = self.tree()
        index = tree.index(source_row, 0, source_parent)
        if not index.isValid() or tree.cset is None:
            return False
        code = tree.code_at(index)
        cset = tree.cset
        if self.area and cset.area_of(code).code != self.area:
            return False
        if self.problem is not Problem.ALL and not self._has_problem(code):
            return False
        if self.query:
            return self.query in tree.data(index, role=FOLD_ROLE)
        return True

    def _has_problem(self, code: str) -> bool:
        tree = self.tree()
        assert tree.cset is not None
        node = tree.cset.node(code)
        if not tree.cset.is_leaf(code) or ScoreKind.SELF not in node.score_kinds:
            return False
        score = tree.scores.get(code)
        if self.problem is Problem.NOT_SCORED:
            return score is None or (score.self_score is None and not score.not_applicable)
        if self.problem is Problem.NO_EVIDENCE:
            return (
                cells.needs_evidence(node)
                and tree.data(tree.index_of(code), role=EVIDENCE_COUNT_ROLE) == 0
            )
        total = tree.node_total(code)
        if total is not None and total.scored > 0 and total.lost > 0:
            return True
        # After appraisal, points the appraiser took away count as lost too.
        return bool(
            score and score.appraised_score is not None and score.appraised_score < node.max_points
        )
