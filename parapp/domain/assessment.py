"""Assessments: one unit's scores against one criteria set for one period, and their states."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .errors import StateError
from .scoring import Declared


class AssessmentStatus(StrEnum):
    DRAFT = "draft"  # the commune is self-assessing
    SUBMITTED = "submitted"  # sent to the appraiser
    RETURNED = "returned"  # returned for correction (trả lại để chỉnh sửa)
    APPRAISED = "appraised"  # the appraiser has scored it
    PUBLISHED = "published"  # results published by decision: everything is locked


class FieldGroup(StrEnum):
    SELF = "self"  # declared data, self score, explanation, evidence links (commune)
    APPRAISAL = "appraisal"  # appraised score, comment, survey score (appraiser)
    RESULT = "result"  # the published result (index, rank, decision)


TRANSITIONS: dict[AssessmentStatus, frozenset[AssessmentStatus]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.SUBMITTED}),
    AssessmentStatus.SUBMITTED: frozenset(
        {AssessmentStatus.RETURNED, AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED}
    ),
    AssessmentStatus.RETURNED: frozenset({AssessmentStatus.SUBMITTED}),
    AssessmentStatus.APPRAISED: frozenset({AssessmentStatus.RETURNED, AssessmentStatus.PUBLISHED}),
    AssessmentStatus.PUBLISHED: frozenset(),
}

EDITABLE: dict[AssessmentStatus, frozenset[FieldGroup]] = {
    AssessmentStatus.DRAFT: frozenset({FieldGroup.SELF}),
    AssessmentStatus.SUBMITTED: frozenset({FieldGroup.APPRAISAL, FieldGroup.RESULT}),
    AssessmentStatus.RETURNED: frozenset({FieldGroup.SELF}),
    AssessmentStatus.APPRAISED: frozenset({FieldGroup.APPRAISAL, FieldGroup.RESULT}),
    # Only the published result itself may still be corrected (a typo in a decision number).
    AssessmentStatus.PUBLISHED: frozenset({FieldGroup.RESULT}),
}


def can_edit(status: AssessmentStatus, group: FieldGroup) -> bool:
    return group in EDITABLE[status]


def require_editable(status: AssessmentStatus, group: FieldGroup) -> None:
    if not can_edit(status, group):
        raise StateError(
            "This assessment is '{status}', so its {group} fields can no longer be changed.",
            status=status,
            group=group,
        )


def require_transition(current: AssessmentStatus, target: AssessmentStatus) -> None:
    if target not in TRANSITIONS[current]:
        raise StateError(
            "An assessment that is '{current}' cannot become '{target}'.",
            current=current,
            target=target,
        )


@dataclass
class NodeScore:
    """Everything recorded for one criterion node in one assessment."""

    code: str
    declared: Declared = field(default_factory=Declared)
    self_score: Decimal | None = None
    not_applicable: bool = False  # set from the rule when declared data says so
    explanation: str = ""  # giải trình
    appraised_score: Decimal | None = None
    appraisal_comment: str = ""
    survey_score: Decimal | None = None
    needs_reappraisal: bool = False


@dataclass(frozen=True)
class AssessmentInfo:
    """The header of an assessment, as services hand it around."""

    id: int
    unit_code: str
    unit_name: str
    set_code: str
    set_version: int
    year: int
    status: AssessmentStatus
