"""What an assessment still lacks: before the unit submits it (the pre-submission check) and
before the appraiser accepts or publishes it (criteria nobody scored).

The rule, from the criteria set's own data: every leaf the unit scores itself must be scored
or marked not applicable; a main criterion whose set names the evidence required (tài liệu
kiểm chứng) must have a document linked (to it or to a criterion above it) or, when there is
none, an explanation (giải trình). The set has no "explanation required" field, so an
explanation is asked for only in place of missing evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .assessment import NodeScore
from .criteria import CriteriaSet, CriterionNode, Part, ScoreKind


class GapKind(StrEnum):
    NOT_SCORED = "not_scored"  # no self score and not marked not applicable
    NO_EVIDENCE = "no_evidence"  # the set asks for evidence: none linked, no explanation
    NO_SURVEY = "no_survey"  # a survey criterion without its survey result


@dataclass(frozen=True)
class Gap:
    code: str
    title: str
    kind: GapKind


def needs_evidence(node: CriterionNode) -> bool:
    """Whether the unit must back this leaf with evidence: a main criterion it scores
    itself, for which the set names the evidence required."""
    return (
        node.part is Part.MAIN and bool(node.evidence_text) and ScoreKind.SELF in node.score_kinds
    )


def _self_leaves(cset: CriteriaSet) -> list[CriterionNode]:
    return [n for n in cset.leaves() if ScoreKind.SELF in n.score_kinds]


def submission_gaps(
    cset: CriteriaSet, scores: Mapping[str, NodeScore], has_evidence: Callable[[str], bool]
) -> list[Gap]:
    """Everything the pre-submission check finds missing, in the set's order."""
    gaps: list[Gap] = []
    for node in _self_leaves(cset):
        score = scores.get(node.code)
        if score is None or (score.self_score is None and not score.not_applicable):
            gaps.append(Gap(node.code, node.title, GapKind.NOT_SCORED))
        elif (
            not score.not_applicable
            and needs_evidence(node)
            and not has_evidence(node.code)
            and not score.explanation.strip()
        ):
            gaps.append(Gap(node.code, node.title, GapKind.NO_EVIDENCE))
    return gaps


def unscored_leaves(cset: CriteriaSet, scores: Mapping[str, NodeScore]) -> list[Gap]:
    """Leaves the unit scores that have no score on either side (neither self nor
    appraised) and are not marked not applicable: accepting or publishing counts them 0."""
    gaps: list[Gap] = []
    for node in _self_leaves(cset):
        score = scores.get(node.code)
        if score is not None and (
            score.not_applicable
            or score.self_score is not None
            or score.appraised_score is not None
        ):
            continue
        gaps.append(Gap(node.code, node.title, GapKind.NOT_SCORED))
    return gaps


def missing_survey(cset: CriteriaSet, scores: Mapping[str, NodeScore]) -> list[Gap]:
    """Main criteria scored by the survey alone that have no survey result: publishing then
    leaves them out of the maximum (parapp.domain.figures), which the appraiser must mean."""
    gaps: list[Gap] = []
    for node in cset.leaves():
        if node.part is not Part.MAIN or ScoreKind.SELF in node.score_kinds:
            continue
        score = scores.get(node.code)
        if score is None or (score.survey_score is None and not score.not_applicable):
            gaps.append(Gap(node.code, node.title, GapKind.NO_SURVEY))
    return gaps
