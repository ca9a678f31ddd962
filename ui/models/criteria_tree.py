"""The criteria tree of one assessment as an editable Qt item model.

Rows are criteria nodes (areas at the top); columns are the ``COL_*`` constants. Totals are
self-assessment totals (the "Điểm tự chấm" column is the unit's own score, whatever the
assessment's state), recomputed locally after each edit so the area rows change at once;
the save itself goes through the service on the worker (see ``score_editing``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode, ScoreKind
from parapp.domain.errors import DomainError
from parapp.domain.scoring import FreeRule
from parapp.domain.text import fold
from parapp.domain.totals import Basis, NodeTotal, Totals, compute_totals
from parapp.i18n import _, format_max
from ui import style
from ui.fmt import points
from ui.models import cell_text, cells
from ui.models.columns import (
    CHOICES_ROLE,
    CODE_ROLE,
    COL_DECLARED,
    COL_EVIDENCE,
    COL_EXPLANATION,
    COL_MAX,
    COL_SELF,
    COL_STT,
    COL_TITLE,
    EDIT_KIND_ROLE,
    ERROR_ROLE,
    EVIDENCE_COUNT_ROLE,
    FOLD_ROLE,
    IS_LEAF_ROLE,
    headers,
)
from ui.models.node_tree import Index, NodeTreeModel

Committer = Callable[[str, NodeScore, NodeScore], None]


class CriteriaTreeModel(NodeTreeModel):
    """The criteria tree with one assessment's self-assessment."""

    NUMERIC = (COL_MAX, COL_SELF, COL_EVIDENCE)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(headers(), parent)
        self.totals: Totals | None = None
        self.committer: Committer | None = None
        self._folded: list[str] = []
        # What the clerk typed in a refused cell: shown there (red) until corrected, never
        # silently replaced by the old value.
        self._refused: dict[tuple[str, int], str] = {}

    # -- loading -------------------------------------------------------------------
    def set_data(
        self,
        cset: CriteriaSet,
        scores: dict[str, NodeScore],
        evidence_counts: dict[str, int],
        editable: bool,
    ) -> None:
        """Show another assessment; when only scores changed, update rows in place."""
        same = (
            self.cset is not None
            and (cset.code, cset.version)
            == (
                self.cset.code,
                self.cset.version,
            )
            and len(cset.nodes) == len(self._codes)
        )
        if not same:
            self.beginResetModel()
            self._build(cset)
            self.scores = dict(scores)
            self.evidence_counts = dict(evidence_counts)
            self.editable = editable
            self._errors.clear()
            self._refused.clear()
            self.totals = compute_totals(cset, self.scores, Basis.SELF)
            self.endResetModel()
            self.totals_changed.emit()
            return
        changed = {c for c in set(scores) | set(self.scores) if scores.get(c) != self.scores.get(c)}
        changed |= {
            c
            for c in set(evidence_counts) | set(self.evidence_counts)
            if evidence_counts.get(c) != self.evidence_counts.get(c)
        }
        flags_changed = editable != self.editable
        self.cset = cset
        self.scores = dict(scores)
        self.evidence_counts = dict(evidence_counts)
        self.editable = editable
        self._refresh(changed, all_rows=flags_changed)

    def _build(self, cset: CriteriaSet) -> None:
        self._build_tree(cset)
        self._folded = [fold(f"{n.code} {n.title}") for n in cset.nodes]

    # -- local edits ---------------------------------------------------------------
    def apply_local(self, code: str, score: NodeScore) -> None:
        """Show ``score`` for ``code`` at once and update the totals above it."""
        self.scores[code] = score
        self._errors = {k: v for k, v in self._errors.items() if k[0] != code}
        self._refused = {k: v for k, v in self._refused.items() if k[0] != code}
        self._refresh({code})

    def _refresh(self, codes: set[str], *, all_rows: bool = False) -> None:
        assert self.cset is not None
        old = self.totals
        self.totals = compute_totals(self.cset, self.scores, Basis.SELF)
        rows = set(range(len(self._codes))) if all_rows else self._with_ancestors(codes)
        if old is not None and not all_rows:
            rows |= {
                self._ids[c]
                for c, t in self.totals.nodes.items()
                if old.nodes.get(c) != t and c in self._ids
            }
        self._rows_changed(rows)
        self.totals_changed.emit()

    def node_total(self, code: str) -> NodeTotal | None:
        return self.totals.nodes.get(code) if self.totals else None

    # -- what a cell shows ---------------------------------------------------------
    def _is_self_leaf(self, node: CriterionNode) -> bool:
        assert self.cset is not None
        return self.cset.is_leaf(node.code) and ScoreKind.SELF in node.score_kinds

    def is_editable(self, index: Index) -> bool:
        if not self.editable or not index.isValid() or self.cset is None:
            return False
        node = self.cset.node(self._codes[index.internalId()])
        if not self._is_self_leaf(node):
            return False
        col = index.column()
        if col == COL_DECLARED:
            return cells.declared_kind(node.rule) is not None
        if col == COL_SELF:
            score = self.scores.get(node.code)
            return isinstance(node.rule, FreeRule) and not (score and score.not_applicable)
        return col == COL_EXPLANATION

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.cset is None:
            return None
        i = index.internalId()
        code = self._codes[i]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(code, col)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(code, col)
        if role == CODE_ROLE:
            return code
        if role == FOLD_ROLE:
            return self._folded[i]
        if role == IS_LEAF_ROLE:
            return self.cset.is_leaf(code)
        if role == EVIDENCE_COUNT_ROLE:
            return self.evidence_count(code)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(col)
        if role == Qt.ItemDataRole.FontRole:
            return self.area_font(i)
        if role == Qt.ItemDataRole.BackgroundRole:
            if (code, col) in self._errors:
                return style.ERROR_BACKGROUND
            return style.AREA_BACKGROUND if self._parent[i] < 0 else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(code, col)
        if role in (Qt.ItemDataRole.ToolTipRole, ERROR_ROLE):
            error = self._errors.get((code, col))
            if error or role == ERROR_ROLE:
                return error
            return self._tooltip(code, col)
        if role == EDIT_KIND_ROLE:
            return self._edit_kind(code, col)
        if role == CHOICES_ROLE:
            rule = self.cset.node(code).rule
            return cells.choices(rule) if rule is not None else []
        return None

    def refusal(self) -> str:
        """The sentence of the latest refused cell still not corrected ("" if none)."""
        return next(reversed(self._errors.values()), "")

    def _display(self, code: str, col: int) -> str:
        assert self.cset is not None
        if (code, col) in self._refused:
            return self._refused[(code, col)]
        node = self.cset.node(code)
        if col == COL_STT:
            return code
        if col == COL_TITLE:
            return node.title
        if col == COL_MAX:
            return format_max(node.max_points)
        leaf = self.cset.is_leaf(code)
        score = self.scores.get(code)
        if col == COL_DECLARED:
            return cells.declared_text(node.rule, score.declared) if leaf and score else ""
        if col == COL_SELF:
            return self._self_text(node, score, leaf)
        if col == COL_EVIDENCE:
            count = self.evidence_count(code)
            if count:
                return str(count)
            return _("None") if leaf and ScoreKind.SELF in node.score_kinds else ""
        if col == COL_EXPLANATION:
            text = score.explanation if score else ""
            return " ".join(text.split())
        return ""

    def _self_text(self, node: CriterionNode, score: NodeScore | None, leaf: bool) -> str:
        if not leaf:
            total = self.node_total(node.code)
            if total is None or total.leaves == 0:
                return "—"
            return points(total.self_points) if total.scored else ""
        if ScoreKind.SELF not in node.score_kinds:
            return "—"
        if score is None or score.self_score is None:
            return "—" if score is not None and score.not_applicable else ""
        return points(score.self_score)

    def _foreground(self, code: str, col: int) -> Any:
        assert self.cset is not None
        if (code, col) in self._errors:
            return style.ERROR_TEXT
        node = self.cset.node(code)
        if col == COL_SELF:
            if ScoreKind.SELF not in node.score_kinds:
                return style.MUTED_TEXT
            total = self.node_total(code)
            if total is not None and total.scored and total.lost > 0:
                return style.LOST_TEXT
        if col == COL_EVIDENCE and self._display(code, col) == _("None"):
            return style.ERROR_TEXT
        return None

    def _tooltip(self, code: str, col: int) -> str | None:
        assert self.cset is not None
        return cell_text.tooltip(self.cset, self.scores.get(code), code, col)

    def _edit_kind(self, code: str, col: int) -> str | None:
        assert self.cset is not None
        return cell_text.edit_kind(self.cset.node(code), col)

    def _edit_value(self, code: str, col: int) -> str:
        assert self.cset is not None
        if (code, col) in self._refused:
            return self._refused[(code, col)]
        score = self.scores.get(code) or NodeScore(code=code)
        value = cell_text.edit_value(self.cset.node(code), score, col)
        return self._display(code, col) if value is None else value

    # -- editing -------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_editable(index):
            return False
        assert self.cset is not None
        code, col = self._codes[index.internalId()], index.column()
        node = self.cset.node(code)
        old = self.scores.get(code) or NodeScore(code=code)
        text = "" if value is None else str(value)
        na = self.cset.na_policy
        try:
            if col == COL_DECLARED:
                new = cells.with_declared(node, old, cells.parse_declared(node.rule, text), na)
            elif col == COL_SELF:
                new = cells.with_typed(node, old, text, na)
            else:
                new = cells.with_explanation(old, text)
        except DomainError as exc:
            reason = cells.refusal(code, exc)
            self._errors.pop((code, col), None)  # last in the order: refusal() says it
            self._errors[(code, col)] = reason
            self._refused[(code, col)] = text
            self.dataChanged.emit(index, index)
            self.edit_refused.emit(code, col, reason)
            return False
        refused = self._refused.pop((code, col), None) is not None
        if self._errors.pop((code, col), None) is not None or refused:
            self.dataChanged.emit(index, index)
        if new == old:
            return True
        if self.committer is not None:
            self.committer(code, old, new)
        else:
            self.apply_local(code, new)
        return True
