"""Submitting a self-assessment, the unit's side: the pre-submission check, submit and
withdraw, and the note an incomplete submission carries to the appraiser.

Which side a database is on comes from setup: the ``role`` setting ("commune" or
"appraiser", set by ``parapp init``) and the office's own unit (``UnitRow.is_self``). A unit
moves only its own assessment, and only in a commune's database; everything after
"submitted" is the appraiser's (parapp.services.appraisal*, result packages, or the typed
published decision in parapp.services.results).

The note of an incomplete submission has no column: like the reason of a return it is a
``Setting`` keyed by the assessment's UUID (``submission_note:<uuid>``), written on submit
on the unit's side and on import on the appraiser's, so no schema change was needed and a
later complete submission simply removes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, Setting
from parapp.domain.assessment import AssessmentInfo, AssessmentStatus, Side, require_transition
from parapp.domain.completeness import Gap, GapKind, submission_gaps
from parapp.domain.errors import Phrase
from parapp.domain.roles import Role
from parapp.domain.text import clean
from parapp.i18n import N_

from .assessments import _evidence_counts, _info, _scores
from .common import Need, NotFound, ServiceError, now
from .mapping import set_from_rows

NOTE_PREFIX = "submission_note:"
MAX_REASON = 2_000


class Incomplete(ServiceError):
    """Refused because something is missing (a submission), or nobody scored some criteria
    (the appraiser accepting or publishing): ``details`` is the list to show below the
    sentence, one line each in the CLI, a list in the window. Nothing was changed."""

    def __init__(
        self, message: str, gaps: list[Gap], *, lines: list[Phrase] | None = None,
        need: Need | None = None, **params: object,
    ) -> None:
        super().__init__(message, need=need, **params)
        self.gaps = gaps
        self.details = lines if lines is not None else [gap_phrase(g) for g in gaps]


def gap_phrase(gap: Gap) -> Phrase:
    if gap.kind is GapKind.NOT_SCORED:
        return Phrase("{code}. {title}: not scored", code=gap.code, title=gap.title)
    if gap.kind is GapKind.NO_SURVEY:
        return Phrase("{code}. {title}: no survey result", code=gap.code, title=gap.title)
    return Phrase(
        "{code}. {title}: no evidence linked and no explanation", code=gap.code, title=gap.title
    )


@dataclass(frozen=True)
class Submitted:
    info: AssessmentInfo
    gaps: list[Gap]  # what was missing when it was submitted anyway (empty: complete)
    reason: str  # the clerk's reason for submitting it incomplete


@dataclass(frozen=True)
class SubmissionNote:
    """What an incomplete submission says to the appraiser."""

    reason: str
    missing: list[tuple[str, GapKind]]  # (criterion code, what is missing)


def _gaps(s: Session, row: AssessmentRow) -> list[Gap]:
    cset = set_from_rows(row.criteria_set)
    counts = _evidence_counts(s, row.id)

    def has_evidence(code: str) -> bool:
        node: str | None = code  # a document filed under 1.2 serves 1.2.1 too
        while node is not None:
            if counts.get(node):
                return True
            node = cset.node(node).parent_code
        return False

    return submission_gaps(cset, _scores(s, row.id), has_evidence)


def _row(s: Session, assessment_id: int) -> AssessmentRow:
    row = s.get(AssessmentRow, assessment_id)
    if row is None:
        raise NotFound("There is no such assessment.")
    return row


def _own_row(s: Session, assessment_id: int) -> AssessmentRow:
    """The assessment, if it is this office's own in a unit's (commune's) database."""
    row = _row(s, assessment_id)
    role = s.get(Setting, "role")
    if Role.of(role.value if role else None) is Role.APPRAISER:
        raise ServiceError(
            "This is the appraiser's database: units submit from their own database, and "
            "their submissions arrive here as packages."
        )
    if not row.unit.is_self:
        raise ServiceError(
            "The assessment of {unit} is not this office's own, so it cannot be submitted "
            "or withdrawn here.",
            unit=row.unit.name,
        )
    return row


def check(db: Database, assessment_id: int) -> list[Gap]:
    """The pre-submission check: what is missing (empty when the assessment is complete)."""
    with db.session() as s:
        return _gaps(s, _row(s, assessment_id))


def submit(
    db: Database, assessment_id: int, *, allow_incomplete: bool = False, reason: str = ""
) -> Submitted:
    """Mark the unit's own assessment submitted after the pre-submission check.

    Incomplete, it is refused with the list of what is missing, unless the clerk submits it
    anyway with a reason, which the submission package carries to the appraiser. Submitting
    writes no package: 'sync export --kind submission' does, afterwards.
    """
    reason = clean(reason)
    with db.session() as s:
        row = _own_row(s, assessment_id)
        status = AssessmentStatus(row.status)
        if status is AssessmentStatus.SUBMITTED:
            raise ServiceError(
                "The {year} self-assessment is already submitted. To change it, withdraw "
                "the submission first.",
                year=row.year,
            )
        require_transition(status, AssessmentStatus.SUBMITTED, Side.UNIT)
        gaps = _gaps(s, row)
        if gaps and not allow_incomplete:
            raise Incomplete(
                "The {year} self-assessment was not submitted: {n} criteria are incomplete "
                "(listed below). Complete them, or submit it as it is and say why.",
                gaps,
                need=Need.SUBMIT_INCOMPLETE,
                year=row.year,
                n=len(gaps),
            )
        if gaps and not reason:
            raise Incomplete(
                "Say why the {year} self-assessment is submitted incomplete: the appraiser "
                "reads it with the package.",
                gaps,
                need=Need.REASON,
                year=row.year,
            )
        if len(reason) > MAX_REASON:
            raise ServiceError(
                "The reason is too long ({size} characters; at most {limit}).",
                size=len(reason),
                limit=MAX_REASON,
            )
        row.status = AssessmentStatus.SUBMITTED.value
        row.updated_at = now()
        note = SubmissionNote(reason, [(g.code, g.kind) for g in gaps]) if gaps else None
        _write_note(s, row.uuid, note)
        return Submitted(_info(row), gaps, reason if gaps else "")


def withdraw(db: Database, assessment_id: int) -> AssessmentInfo:
    """Back to draft, while no result or return from the appraiser has been imported."""
    with db.session() as s:
        row = _own_row(s, assessment_id)
        status = AssessmentStatus(row.status)
        if status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
            raise ServiceError(
                "The {year} self-assessment has not been submitted, so there is nothing to "
                "withdraw.",
                year=row.year,
            )
        if status is not AssessmentStatus.SUBMITTED:
            raise ServiceError(
                "The {year} self-assessment can no longer be withdrawn: the appraiser's "
                "result has already come in (it is '{status}').",
                year=row.year,
                status=status,
            )
        require_transition(status, AssessmentStatus.DRAFT, Side.UNIT)
        row.status = AssessmentStatus.DRAFT.value
        row.updated_at = now()
        _write_note(s, row.uuid, None)
        return _info(row)


# -- the note ------------------------------------------------------------------------------
def _write_note(s: Session, assessment_uuid: str, note: SubmissionNote | None) -> None:
    key = NOTE_PREFIX + assessment_uuid
    setting = s.get(Setting, key)
    if note is None:
        if setting is not None:
            s.delete(setting)
        return
    # No time in it: the same package must leave the same row (an import is compared
    # before/after, and the sync log already says when the package came).
    value = json.dumps(
        {"reason": note.reason, "missing": [{"code": c, "gap": k.value} for c, k in note.missing]},
        ensure_ascii=False,
    )
    if setting is None:
        s.add(Setting(key=key, value=value))
    else:
        setting.value = value


def note_of(s: Session, assessment_uuid: str) -> SubmissionNote | None:
    """The note of the latest submission, if it was submitted incomplete."""
    setting = s.get(Setting, NOTE_PREFIX + assessment_uuid)
    if setting is None:
        return None
    try:
        data = json.loads(setting.value)
        return SubmissionNote(
            str(data["reason"]),
            [(str(m["code"]), GapKind(m["gap"])) for m in data.get("missing", [])],
        )
    except (ValueError, KeyError, TypeError):
        return None  # a damaged note must not stop the export or the hub's table


def read_note(db: Database, assessment_id: int) -> SubmissionNote | None:
    with db.session() as s:
        return note_of(s, _row(s, assessment_id).uuid)


def note_record(s: Session, assessment_uuid: str) -> dict[str, Any] | None:
    """The submission package's ``incomplete`` record (docs/sync-format.md), or None."""
    note = note_of(s, assessment_uuid)
    if note is None:
        return None
    return {
        "reason": note.reason,
        "missing": [{"code": c, "gap": k.value} for c, k in note.missing],
    }


# In the appraiser's import plan: the unit submitted it knowing it was incomplete.
INCOMPLETE = N_("submitted incomplete ({n} criteria missing); the unit's reason: {why}")


def note_params(note: SubmissionNote | None) -> dict[str, Any]:
    # "why", not "reason": the plan's _change() takes the reason template by that name
    return {"n": len(note.missing), "why": note.reason} if note is not None else {}


def store_note(s: Session, assessment_uuid: str, note: SubmissionNote | None) -> None:
    """The appraiser's side, on import: the package's note replaces the last one."""
    _write_note(s, assessment_uuid, note)


def change_status(db: Database, assessment_id: int, target: AssessmentStatus) -> AssessmentInfo:
    """The unit's own moves only (``assessment status``): "submitted" is a submit with the
    pre-submission check, "draft" a withdrawal; every other state is the appraiser's word
    and is refused here with one sentence."""
    if target is AssessmentStatus.SUBMITTED:
        return submit(db, assessment_id).info
    if target is AssessmentStatus.DRAFT:
        return withdraw(db, assessment_id)
    with db.session() as s:
        row = s.get(AssessmentRow, assessment_id)
        if row is None:
            raise NotFound("There is no such assessment.")
        require_transition(AssessmentStatus(row.status), target, Side.UNIT)
    raise AssertionError("every move to another state is the appraiser's")  # pragma: no cover
