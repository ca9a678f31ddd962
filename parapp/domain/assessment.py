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


class Side(StrEnum):
    """Who moves an assessment: the unit in its own database, or the appraiser (in its hub,
    by a result package, or by the published decision the unit's clerk types in)."""

    UNIT = "unit"
    APPRAISER = "appraiser"


# Every allowed move and whose it is: a unit only submits and withdraws its submission;
# returning, appraising and publishing are the appraiser's word (issue 13, "states follow
# roles"). Withdrawing is possible only while the status is still "submitted", i.e. until a
# result or a return from the appraiser has arrived.
MOVES: dict[tuple[AssessmentStatus, AssessmentStatus], Side] = {
    (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED): Side.UNIT,
    (AssessmentStatus.RETURNED, AssessmentStatus.SUBMITTED): Side.UNIT,
    (AssessmentStatus.SUBMITTED, AssessmentStatus.DRAFT): Side.UNIT,
    (AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED): Side.APPRAISER,
    (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED): Side.APPRAISER,
    (AssessmentStatus.SUBMITTED, AssessmentStatus.PUBLISHED): Side.APPRAISER,
    (AssessmentStatus.APPRAISED, AssessmentStatus.RETURNED): Side.APPRAISER,
    (AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED): Side.APPRAISER,
}

TRANSITIONS: dict[AssessmentStatus, frozenset[AssessmentStatus]] = {
    status: frozenset(target for (current, target) in MOVES if current is status)
    for status in AssessmentStatus
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


def require_transition(
    current: AssessmentStatus, target: AssessmentStatus, side: Side | None = None
) -> None:
    """Refuse a move the state machine does not have, or (``side`` given) a move to a state
    only the other side may set (a commune never makes itself "appraised")."""
    owners = {who for (_from, to), who in MOVES.items() if to is target}
    if side is not None and owners and side not in owners:
        if Side.APPRAISER in owners:
            raise StateError(
                "Only the appraiser can make an assessment '{target}': it comes with the "
                "appraiser's result package, or, for the published result, when you type in "
                "the published decision ('parapp result set').",
                target=target,
            )
        raise StateError(
            "Only the unit itself can make its assessment '{target}', in its own database.",
            target=target,
        )
    if (current, target) not in MOVES:
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
