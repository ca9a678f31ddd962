"""Columns and colours of the appraisal table (shared by its model, view and delegate),
and what its cells say and accept (no Qt state)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QColor

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode, ScoreKind
from parapp.domain.errors import ScoreError
from parapp.domain.scoring import check_score
from parapp.domain.text import clean
from parapp.i18n import _
from ui.models import cells

(
    COL_STT,
    COL_TITLE,
    COL_MAX,
    COL_SELF,
    COL_EXPLANATION,
    COL_EVIDENCE,
    COL_APPRAISED,
    COL_COMMENT,
    COL_SURVEY,
    COL_REAPPRAISE,
) = range(10)
COLUMN_COUNT = 10
SCORE_COLUMNS = (COL_APPRAISED, COL_SURVEY)
REAPPRAISE_BACKGROUND = QColor("#fff1c2")  # amber: the unit changed it after appraisal
REAPPRAISE_TEXT = QColor("#9a5b00")
EDITABLE_BACKGROUND = QColor("#e9f1fc")  # where the appraiser types


def headers() -> list[str]:
    # TRANSLATORS: column headers of the appraisal table; "\n" breaks the line.
    return [
        _("No."),
        _("Criterion"),
        _("Max\npoints"),
        _("Self\nscore"),
        _("Explanation"),
        _("Evidence\nfiles"),
        _("Appraised\nscore"),
        _("Appraisal comment"),
        _("Survey\nscore"),
        _("To\nre-appraise"),
    ]
NUMERIC = (COL_MAX, COL_SELF, COL_EVIDENCE, COL_APPRAISED, COL_SURVEY)


def tooltip(cset: CriteriaSet, score: NodeScore | None, code: str, col: int) -> str | None:
    """What hovering a cell says: the whole text of long cells, and why a cell is marked."""
    node = cset.node(code)
    if col == COL_TITLE:
        return node.title
    if col == COL_EXPLANATION:
        return score.explanation if score and score.explanation else None
    if col == COL_COMMENT:
        return score.appraisal_comment if score and score.appraisal_comment else None
    if col == COL_REAPPRAISE and score is not None and score.needs_reappraisal:
        return _(
            "The unit changed its self-score after you appraised it: type the appraised "
            "score again."
        )
    if (
        col == COL_APPRAISED
        and cset.is_leaf(code)
        and ScoreKind.SELF in node.score_kinds
        and (score is None or score.appraised_score is None)
    ):
        return _("Not appraised yet: the self score counts until you type a score.")
    if col == COL_SURVEY and ScoreKind.SURVEY in node.score_kinds:
        return _("Scored by the appraiser's sociological survey.")
    return None


def typed_value(node: CriterionNode, col: int, old: NodeScore, text: str) -> NodeScore | None:
    """``old`` with what the appraiser typed in column ``col``; None: nothing to change.

    Raises ScoreError (the sentence shown in red) for text that is not a number, or a
    score outside the node's rule: the check the service repeats before writing.
    """
    if col == COL_COMMENT:
        return replace(old, appraisal_comment=clean(text))
    current = old.appraised_score if col == COL_APPRAISED else old.survey_score
    if not text.strip():
        if current is None:
            return None
        raise ScoreError("A score once given cannot be removed; type the score you give.")
    score = cells.parse_number(text)
    assert node.rule is not None
    check_score(node.rule, score, node.max_points)
    if col == COL_APPRAISED:
        return replace(old, appraised_score=score, needs_reappraisal=False)
    return replace(old, survey_score=score)
