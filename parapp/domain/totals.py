"""Aggregation: totals per node, the index, lost points and change from last period.

Which score counts:
- SELF basis (before appraisal): leaves scored by the commune count their self score;
  survey-only leaves are not yet known and are left out of both score and maximum, so the
  provisional index is over what the commune can score itself.
- OFFICIAL basis (after appraisal): appraised score (or the self score the appraiser left
  unchanged) for self-scored leaves, plus the survey score for survey leaves. A survey-only
  leaf whose survey score is not known yet counts on neither side ("chưa có kết quả điều
  tra"): survey points are lost only once they are known.
A leaf marked not applicable under the "exclude" policy leaves score and maximum alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .assessment import NodeScore
from .criteria import CriteriaSet, CriterionNode, Part, ScoreKind
from .numbers import HUNDRED, ZERO
from .scoring import NaPolicy


class Basis(StrEnum):
    SELF = "self"
    OFFICIAL = "official"


@dataclass(frozen=True)
class NodeTotal:
    code: str
    max_points: Decimal  # effective maximum on this basis
    achieved: Decimal  # points counted on this basis
    self_points: Decimal
    # The self-scored part as appraised: the appraised score, or the self score the
    # appraiser left unchanged; None where no self-scored leaf has any score.
    appraised_points: Decimal | None
    survey_points: Decimal | None  # None where no survey leaf has a score
    scored: int  # leaves with a score on this basis
    leaves: int  # leaves that count on this basis
    excluded: bool = False  # not applicable and removed from the maximum
    survey_pending: int = 0  # survey-only leaves whose survey score is not known yet

    @property
    def lost(self) -> Decimal:
        return max(ZERO, self.max_points - self.achieved)

    @property
    def complete(self) -> bool:
        return self.scored == self.leaves


@dataclass(frozen=True)
class Totals:
    basis: Basis
    nodes: dict[str, NodeTotal]
    main_max: Decimal
    main_points: Decimal
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    index: Decimal  # exact (to Decimal's precision); round only to display

    @property
    def lost(self) -> Decimal:
        """Points lost in the scored criteria (bonus does not make up for them)."""
        return max(ZERO, self.main_max - self.main_points)


def _leaf_total(
    node: CriterionNode, score: NodeScore | None, basis: Basis, excluded_na: bool
) -> NodeTotal:
    self_applies = ScoreKind.SELF in node.score_kinds
    survey_applies = ScoreKind.SURVEY in node.score_kinds
    s = score or NodeScore(code=node.code)
    self_points = s.self_score if self_applies and s.self_score is not None else ZERO
    appraised = (
        (s.appraised_score if s.appraised_score is not None else s.self_score)
        if self_applies
        else None
    )
    survey = s.survey_score if survey_applies else None
    if excluded_na and s.not_applicable:
        return NodeTotal(node.code, ZERO, ZERO, ZERO, None, None, 0, 0, excluded=True)
    if not self_applies and s.survey_score is None:
        # Not known yet: left out of the maximum, and on the official basis still to come.
        leaves = 0 if basis is Basis.SELF else 1
        return NodeTotal(node.code, ZERO, ZERO, ZERO, None, None, 0, leaves, survey_pending=1)
    if basis is Basis.SELF:
        if not self_applies:
            return NodeTotal(node.code, ZERO, ZERO, ZERO, appraised, survey, 0, 0)
        scored = 1 if s.self_score is not None else 0
        return NodeTotal(
            node.code, node.max_points, self_points, self_points, appraised, survey, scored, 1
        )
    parts: list[Decimal] = []
    known = True
    if self_applies:
        known = known and appraised is not None
        parts.append(appraised if appraised is not None else ZERO)
    if survey_applies:
        known = known and s.survey_score is not None
        parts.append(s.survey_score if s.survey_score is not None else ZERO)
    achieved = min(node.max_points, sum(parts, ZERO))
    return NodeTotal(
        node.code,
        node.max_points,
        achieved,
        self_points,
        appraised,
        survey,
        1 if known else 0,
        1,
    )


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def compute_totals(cset: CriteriaSet, scores: Mapping[str, NodeScore], basis: Basis) -> Totals:
    """Sum leaves up the tree; every figure stays an exact Decimal."""
    excluded_na = cset.na_policy is NaPolicy.EXCLUDE
    out: dict[str, NodeTotal] = {}
    for node in reversed(cset.nodes):  # children come after parents, so go backwards
        kids = cset.children(node.code)
        if not kids:
            out[node.code] = _leaf_total(node, scores.get(node.code), basis, excluded_na)
            continue
        totals = [out[k.code] for k in kids]
        appraised: Decimal | None = None
        survey: Decimal | None = None
        for t in totals:
            appraised = _add(appraised, t.appraised_points)
            survey = _add(survey, t.survey_points)
        counted = [t for t in totals if not t.excluded]
        out[node.code] = NodeTotal(
            node.code,
            sum((t.max_points for t in counted), ZERO),
            sum((t.achieved for t in counted), ZERO),
            sum((t.self_points for t in counted), ZERO),
            appraised,
            survey,
            sum(t.scored for t in counted),
            sum(t.leaves for t in counted),
            excluded=not counted,
            survey_pending=sum(t.survey_pending for t in counted),
        )
    main = [out[n.code] for n in cset.roots(Part.MAIN)]
    main_max = sum((t.max_points for t in main), ZERO)
    main_points = sum((t.achieved for t in main), ZERO)
    bonus = sum((min(out[n.code].achieved, n.max_points) for n in cset.roots(Part.BONUS)), ZERO)
    penalty = sum((min(out[n.code].achieved, n.max_points) for n in cset.roots(Part.PENALTY)), ZERO)
    total = max(ZERO, main_points + bonus - penalty)
    if not cset.bonus_may_exceed_max:
        total = min(total, main_max)
    index = total * HUNDRED / main_max if main_max > ZERO else ZERO
    return Totals(basis, out, main_max, main_points, bonus, penalty, total, index)


@dataclass(frozen=True)
class Change:
    """Change of the index from the previous period, in both readings.

    Plans print "tăng 17,29%" without saying which: we keep both and let the caller say which.
    """

    previous: Decimal
    current: Decimal

    @property
    def points(self) -> Decimal:
        """Difference in percentage points (current − previous)."""
        return self.current - self.previous

    @property
    def relative_percent(self) -> Decimal | None:
        """Relative change in % of the previous value; None when the previous was 0."""
        if self.previous == ZERO:
            return None
        return (self.current - self.previous) * HUNDRED / self.previous
