"""Tooltips and editor values of the criteria table's cells (the model asks; no state)."""

from __future__ import annotations

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode, ScoreKind
from parapp.domain.scoring import FreeRule
from parapp.i18n import _, format_max
from ui.models import cells
from ui.models.columns import COL_DECLARED, COL_EXPLANATION, COL_SELF, COL_TITLE


def tooltip(cset: CriteriaSet, score: NodeScore | None, code: str, col: int) -> str | None:
    node = cset.node(code)
    if col == COL_TITLE:
        return node.title
    if col == COL_SELF and ScoreKind.SELF not in node.score_kinds:
        return _("Scored by the appraiser's sociological survey.")
    if col == COL_SELF and cset.is_leaf(code) and not isinstance(node.rule, FreeRule):
        return _("Computed from the declared data by the scoring rule.")
    if col == COL_DECLARED and node.scoring_text:
        return node.scoring_text
    if col == COL_EXPLANATION:
        return score.explanation if score and score.explanation else None
    return None


def edit_kind(node: CriterionNode, col: int) -> str | None:
    """Which editor the delegate makes for the cell."""
    if col == COL_DECLARED:
        return cells.declared_kind(node.rule)
    if col == COL_SELF:
        return cells.KIND_SCORE
    if col == COL_EXPLANATION:
        return cells.KIND_TEXT
    return None


def edit_value(node: CriterionNode, score: NodeScore, col: int) -> str | None:
    """The text an editor starts from (None: the cell's display text)."""
    if col == COL_DECLARED:
        return cells.declared_edit_text(node.rule, score.declared)
    if col == COL_SELF:
        return format_max(score.self_score) if score.self_score is not None else ""
    if col == COL_EXPLANATION:
        return score.explanation
    return None
