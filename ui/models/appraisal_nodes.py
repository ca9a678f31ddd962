"""One unit's criteria tree as the appraiser sees it: the unit's self score, explanation and
evidence beside the appraised score, comment and survey score the appraiser types.

Values typed are checked here with the rule's own check (the check the service repeats
before writing), so a refused value is red at once with the sentence the service would
give; accepted edits go to ``committer`` which saves them on the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Qt

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, ScoreKind
from parapp.domain.errors import DomainError
from parapp.domain.totals import Basis, NodeTotal, Totals, compute_totals
from parapp.i18n import _, format_max
from ui import style
from ui.fmt import points
from ui.models import cells
from ui.models.appraisal_columns import (
    COL_APPRAISED,
    COL_COMMENT,
    COL_EVIDENCE,
    COL_EXPLANATION,
    COL_MAX,
    COL_REAPPRAISE,
    COL_SELF,
    COL_STT,
    COL_SURVEY,
    COL_TITLE,
    EDITABLE_BACKGROUND,
    REAPPRAISE_BACKGROUND,
    REAPPRAISE_TEXT,
    headers,
    tooltip,
    typed_value,
)
from ui.models.appraisal_columns import NUMERIC as _NUMERIC
from ui.models.columns import CODE_ROLE, ERROR_ROLE, IS_LEAF_ROLE
from ui.models.node_tree import Index, NodeTreeModel

# (code, column, old, new): an accepted edit to save
Committer = Callable[[str, int, NodeScore, NodeScore], None]


class AppraisalNodesModel(NodeTreeModel):
    NUMERIC = _NUMERIC

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(headers(), parent)
        self.committer: Committer | None = None
        self.self_totals: Totals | None = None
        self.official: Totals | None = None
        # What the appraiser typed in a refused cell (by the check here or by the service,
        # a colleague's change among them): shown there, red, until typed again or
        # corrected, never silently replaced by the stored value.
        self._refused: dict[tuple[str, int], str] = {}
        self.closed_areas: dict[str, str] = {}  # area code -> its member's name ("" none)

    # -- loading -------------------------------------------------------------------
    def set_data(
        self,
        cset: CriteriaSet,
        scores: dict[str, NodeScore],
        evidence_counts: dict[str, int],
        editable: bool,
        closed_areas: dict[str, str] | None = None,
    ) -> None:
        self.beginResetModel()
        self._build_tree(cset)
        # A council member's window: areas assigned to others (or to nobody) are read-only.
        self.closed_areas = dict(closed_areas or {})
        self.scores = dict(scores)
        self.evidence_counts = dict(evidence_counts)
        self.editable = editable
        self._errors.clear()
        self._refused.clear()
        self._compute()
        self.endResetModel()
        self.totals_changed.emit()

    def clear(self) -> None:
        self.beginResetModel()
        self._build_tree(None)
        self.scores, self._errors, self._refused = {}, {}, {}
        self.closed_areas = {}
        self.self_totals = self.official = None
        self.endResetModel()

    def _compute(self) -> None:
        assert self.cset is not None
        self.self_totals = compute_totals(self.cset, self.scores, Basis.SELF)
        self.official = compute_totals(self.cset, self.scores, Basis.OFFICIAL)

    def apply_local(self, code: str, score: NodeScore) -> None:
        """Show ``score`` for ``code`` now, with the totals above it."""
        if self.cset is None or code not in self._ids:
            return
        self.scores[code] = score
        # A refused cell keeps its typed value and reason (another cell's save of the same
        # criterion must not take them away); it is cleared when typed in again.
        self._errors = {k: v for k, v in self._errors.items()
                        if k[0] != code or k in self._refused}
        self._compute()
        self._rows_changed(self._with_ancestors([code]))
        self.totals_changed.emit()

    def keep_refused(self, code: str, col: int, text: str, reason: str) -> None:
        """Show ``text`` (what was typed) in the cell, red with ``reason``, while the
        scores hold what is stored."""
        self._refused[(code, col)] = text
        self.show_error(code, col, reason)

    def typed_text(self, score: NodeScore, col: int) -> str:
        """What a cell of ``col`` shows for ``score`` as the appraiser types it."""
        if col == COL_COMMENT:
            return score.appraisal_comment
        value = score.survey_score if col == COL_SURVEY else score.appraised_score
        return format_max(value) if value is not None else ""

    # -- what is editable ----------------------------------------------------------
    def is_editable(self, index: Index) -> bool:
        if not self.editable or not index.isValid() or self.cset is None:
            return False
        code = self._codes[index.internalId()]
        if not self.cset.is_leaf(code) or self.cset.area_of(code).code in self.closed_areas:
            return False
        kinds = self.cset.node(code).score_kinds
        col = index.column()
        if col == COL_APPRAISED:
            return ScoreKind.SELF in kinds
        if col == COL_SURVEY:
            # appraise_node takes the score of a survey-only criterion as its survey score
            return ScoreKind.SURVEY in kinds and ScoreKind.SELF not in kinds
        return col == COL_COMMENT and bool(kinds)

    # -- what a cell shows ---------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.cset is None:
            return None
        i = index.internalId()
        code = self._codes[i]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole) and (
            refused := self._refused.get((code, col))
        ) is not None:
            return refused
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(code, col)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(code, col)
        if role == CODE_ROLE:
            return code
        if role == IS_LEAF_ROLE:
            return self.cset.is_leaf(code)
        if role == ERROR_ROLE:
            return self._errors.get((code, col))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(col)
        if role == Qt.ItemDataRole.FontRole:
            return self.area_font(i)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(code, col, i)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(code, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._errors.get((code, col)) or self._tooltip(code, col)
        return None

    def _needs_reappraisal(self, code: str) -> bool:
        score = self.scores.get(code)
        return bool(score and score.needs_reappraisal)

    def reappraise_count(self, code: str) -> int:
        """Leaves under ``code`` (or itself) that wait for re-appraisal."""
        assert self.cset is not None
        if self.cset.is_leaf(code):
            return int(self._needs_reappraisal(code))
        return sum(self.reappraise_count(k.code) for k in self.cset.children(code))

    def _total(self, totals: Totals | None, code: str) -> NodeTotal | None:
        return totals.nodes.get(code) if totals is not None else None

    def _display(self, code: str, col: int) -> str:
        assert self.cset is not None
        node = self.cset.node(code)
        leaf = self.cset.is_leaf(code)
        score = self.scores.get(code)
        kinds = node.score_kinds
        if col == COL_STT:
            return code
        if col == COL_TITLE:
            if code in self.closed_areas:
                return f"{node.title} ({self._closed_note(code)})"
            return node.title
        if col == COL_MAX:
            return format_max(node.max_points)
        if col == COL_SELF:
            if not leaf:
                total = self._total(self.self_totals, code)
                return points(total.self_points) if total and total.scored else ""
            if ScoreKind.SELF not in kinds:
                return "—"
            return points(score.self_score) if score and score.self_score is not None else ""
        if col == COL_EXPLANATION:
            return " ".join((score.explanation if score else "").split())
        if col == COL_EVIDENCE:
            if not leaf or ScoreKind.SELF not in kinds:
                return ""
            count = self.evidence_count(code)
            return str(count) if count else _("None")
        if col == COL_APPRAISED:
            if not leaf:
                total = self._total(self.official, code)
                value = total.appraised_points if total else None
                return points(value) if value is not None and self._any_appraised(code) else ""
            if ScoreKind.SELF not in kinds:
                return "—"
            appraised = score.appraised_score if score else None
            return points(appraised) if appraised is not None else ""
        if col == COL_COMMENT:
            return score.appraisal_comment if score and leaf else ""
        if col == COL_SURVEY:
            if not leaf:
                total = self._total(self.official, code)
                value = total.survey_points if total else None
                return points(value) if value is not None else ""
            if ScoreKind.SURVEY not in kinds:
                return ""
            return points(score.survey_score) if score and score.survey_score is not None else ""
        if col == COL_REAPPRAISE:
            count = self.reappraise_count(code)
            if not count:
                return ""
            return _("Re-appraise") if leaf else str(count)
        return ""

    def _any_appraised(self, code: str) -> bool:
        assert self.cset is not None
        if self.cset.is_leaf(code):
            score = self.scores.get(code)
            return bool(score and score.appraised_score is not None)
        return any(self._any_appraised(k.code) for k in self.cset.children(code))

    def _background(self, code: str, col: int, i: int) -> Any:
        if (code, col) in self._errors:
            return style.ERROR_BACKGROUND
        if col in (COL_APPRAISED, COL_REAPPRAISE) and self._needs_reappraisal(code):
            return REAPPRAISE_BACKGROUND
        if self._parent[i] < 0:
            return style.AREA_BACKGROUND
        if self.is_editable(self.index_of(code, col)):
            return EDITABLE_BACKGROUND
        return None

    def _foreground(self, code: str, col: int) -> Any:
        assert self.cset is not None
        if (code, col) in self._errors:
            return style.ERROR_TEXT
        if col == COL_REAPPRAISE:
            return REAPPRAISE_TEXT
        score = self.scores.get(code)
        if (
            col == COL_APPRAISED
            and score
            and score.appraised_score is not None
            and score.self_score is not None
            and score.appraised_score < score.self_score
        ):
            return style.LOST_TEXT  # the appraiser took points off
        if col == COL_EVIDENCE and self._display(code, col) == _("None"):
            return style.ERROR_TEXT
        if col in (COL_SELF, COL_APPRAISED) and self._display(code, col) == "—":
            return style.MUTED_TEXT
        return None

    def _closed_note(self, area: str) -> str:
        holder = self.closed_areas[area]
        return _("assigned to {member}").format(member=holder) if holder else _(
            "not assigned to anyone")

    def _tooltip(self, code: str, col: int) -> str | None:
        assert self.cset is not None
        area = self.cset.area_of(code).code
        if area in self.closed_areas:
            return _("Read only: area {area} is {note}.").format(
                area=area, note=self._closed_note(area))
        return tooltip(self.cset, self.scores.get(code), code, col)

    def _edit_value(self, code: str, col: int) -> str:
        score = self.scores.get(code) or NodeScore(code=code)
        if col == COL_APPRAISED:
            value = score.appraised_score
            if value is None:
                value = score.self_score  # the usual answer: start from the unit's score
            return format_max(value) if value is not None else ""
        if col == COL_SURVEY:
            return format_max(score.survey_score) if score.survey_score is not None else ""
        if col == COL_COMMENT:
            return score.appraisal_comment
        return self._display(code, col)

    # -- editing -------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_editable(index):
            return False
        assert self.cset is not None
        code, col = self._codes[index.internalId()], index.column()
        old = self.scores.get(code) or NodeScore(code=code)
        text = "" if value is None else str(value)
        try:
            new = typed_value(self.cset.node(code), col, old, text)
        except DomainError as exc:
            reason = cells.refusal(code, exc)
            self.keep_refused(code, col, text, reason)
            self.edit_refused.emit(code, col, reason)
            return False
        refused = self._refused.pop((code, col), None) is not None
        if self._errors.pop((code, col), None) is not None or refused:
            self.dataChanged.emit(index, index)
        if new is None or new == old:
            return True
        if self.committer is not None:
            self.committer(code, col, old, new)
        else:
            self.apply_local(code, new)
        return True

    # -- figures -------------------------------------------------------------------
    @property
    def self_index(self) -> Decimal | None:
        return self.self_totals.index if self.self_totals else None

    @property
    def appraised_index(self) -> Decimal | None:
        return self.official.index if self.official else None

    def survey_missing(self) -> int:
        """Survey criteria without a score yet (they count 0 in the appraised index)."""
        if self.cset is None:
            return 0
        return sum(
            1
            for n in self.cset.leaves()
            if ScoreKind.SURVEY in n.score_kinds
            and (self.scores.get(n.code) is None or self.scores[n.code].survey_score is None)
        )
