"""Which year the appraiser's commands work on when none is given (issue 16).

The year is the one of the assessments waiting for the appraiser (submitted, or appraised
and not yet published); with none waiting, the latest year received. A unit named that
has sent nothing is said to be that unit's case, not "no unit submitted" (which read as
if the eight that had were lost). Waiting in several years, the year must be named: a
write to the wrong year is worse than one more question.
"""

from __future__ import annotations

from sqlalchemy import select

from db.engine import Database
from db.models import AssessmentRow, UnitRow
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.text import clean

from .appraisal import RECEIVED
from .common import Need, NotFound, ServiceError

# Waiting for the appraiser: to appraise, or to publish.
WAITING = frozenset({AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED})


def year_to_work_on(db: Database, unit_code: str | None = None) -> int:
    """The year a command without a year works on, for ``unit_code`` or for every unit."""
    with db.session() as s:
        query = select(AssessmentRow.year, AssessmentRow.status, AssessmentRow.unit_id).where(
            AssessmentRow.status.in_([st.value for st in RECEIVED])
        )
        received = list(s.execute(query))
        unit: UnitRow | None = None
        if unit_code:
            unit = s.scalars(select(UnitRow).where(UnitRow.code == clean(unit_code))).first()
            if unit is None:
                raise NotFound("There is no unit {code} in this database.", code=unit_code)
            others = {row.unit_id for row in received if row.unit_id != unit.id}
            received = [row for row in received if row.unit_id == unit.id]
            if not received and others:
                raise NotFound(
                    "{unit} has not submitted an assessment to this database (other units that "
                    "have: {n}).",
                    unit=unit.name,
                    n=len(others),
                )
            if not received:
                raise NotFound(
                    "{unit} has not submitted an assessment to this database, nor has any "
                    "other unit yet.",
                    unit=unit.name,
                )
    if not received:
        raise NotFound("No unit has submitted an assessment to this database yet.")
    waiting = sorted({row.year for row in received if row.status in WAITING}, reverse=True)
    if len(waiting) > 1:
        raise ServiceError(
            "Assessments of {years} are waiting for appraisal or publishing: say which year.",
            years=", ".join(str(y) for y in waiting),
            need=Need.YEAR,
        )
    return waiting[0] if waiting else max(row.year for row in received)
