"""Two saves of the same score never overwrite each other silently (issue 18, point 4).

A save may carry what the appraiser saw of the criterion when the screen read it
(:class:`Seen`). Inside the save's unit of work the stored value is read again: if someone
else changed it since, to something other than what this appraiser typed, the save is
refused with who changed it and when (the audit trail's latest row for it), and nothing is
written; the screen keeps the typed value for the appraiser to look and type it again.

On a server the save runs SERIALIZABLE and is retried when it loses to a concurrent one
(``Database.retrying``): a retry reads and checks again, so two members saving different
areas of one unit both succeed, and of two saving the same score the later is refused here.
In a file (one user) the check passes unless the same criterion was saved from elsewhere
in between (another window, the command line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AssessmentRow, AuditRow, NodeScoreRow
from parapp.domain.errors import Phrase
from parapp.domain.numbers import Points
from parapp.domain.text import clean

from .common import ServiceError, now


@dataclass(frozen=True)
class Seen:
    """What the appraiser saw of a criterion: its score (the appraised score, or the survey
    score of a survey-only criterion; None: not scored yet) and its comment (None: not
    checked, as when the command line's ``--was`` gives only the score)."""

    score: Decimal | None
    comment: str | None = None


class Conflict(ServiceError):
    """Someone else changed the criterion since the appraiser saw it; ``score`` and
    ``comment`` are what is stored now (the screen shows them beside the refused value)."""

    score: Decimal | None = None
    comment: str = ""


def check(
    s: Session,
    row: AssessmentRow,
    code: str,
    seen: Seen,
    score: Decimal | None,
    comment: str | None,
    *,
    survey: bool,
) -> None:
    """Refuse the save of ``score`` / ``comment`` (None: not written) when what is stored
    differs both from what was seen and from what is being saved (the same value set
    twice loses nothing)."""
    stored = s.scalars(
        select(NodeScoreRow).where(
            NodeScoreRow.assessment_id == row.id, NodeScoreRow.node_code == code
        )
    ).first()
    field = "survey_score" if survey else "appraised_score"
    now_score = getattr(stored, field) if stored is not None else None
    now_comment = stored.appraisal_comment if stored is not None else ""
    if score is not None and now_score != seen.score and now_score != score:
        who, when = _last_change(s, row, code, field, stored)
        error = Conflict(
            "The score of criterion {code} of {unit} was just changed by {who} at {when}; "
            "the score you typed ({value}) was not saved: look at it, then type it again.",
            code=code, unit=row.unit.name, who=who, when=when, value=Points(score),
        )
    elif (
        comment is not None
        and seen.comment is not None
        and now_comment != clean(seen.comment)
        and now_comment != clean(comment)
    ):
        who, when = _last_change(s, row, code, "appraisal_comment", stored)
        error = Conflict(
            "The comment on criterion {code} of {unit} was just changed by {who} at {when}; "
            "the comment you typed was not saved: look at it, then type it again.",
            code=code, unit=row.unit.name, who=who, when=when,
        )
    else:
        return
    error.score, error.comment = now_score, now_comment
    raise error


def _last_change(
    s: Session, row: AssessmentRow, code: str, field: str, stored: NodeScoreRow | None
) -> tuple[str | Phrase, datetime]:
    """Who made the stored value, and when: the member's name (or the name the office set
    for its clerk), else the server login, else the secretariat."""
    audit = s.scalars(
        select(AuditRow)
        .where(
            AuditRow.entity == "node",
            AuditRow.entity_key == code,
            AuditRow.assessment_uuid == row.uuid,
            AuditRow.field == field,
        )
        .order_by(AuditRow.id.desc())
    ).first()
    if audit is None:  # a change not recorded (an import that brought its own history)
        return Phrase("another user"), stored.updated_at if stored is not None else now()
    who: str | Phrase = audit.actor or audit.login or Phrase("the secretariat")
    return who, audit.at
