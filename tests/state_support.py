"""Arranging assessment states the way the other side's package would leave them.

A unit's services only submit and withdraw; an appraiser's only return, appraise and
publish (parapp.services.submission, parapp.services.appraisal*). Tests that need, say, a
hub holding a unit's submission without building and importing a package set the state
here, on the real database. The package paths themselves are tested in test_sync_flow.py.
"""

from __future__ import annotations

from db.engine import Database
from db.models import AssessmentRow
from parapp.domain.assessment import AssessmentStatus


def arrange_status(db: Database, assessment_id: int, status: AssessmentStatus) -> None:
    with db.session() as s:
        row = s.get(AssessmentRow, assessment_id)
        assert row is not None
        row.status = status.value


def arrive_submitted(db: Database, assessment_id: int) -> None:
    """What importing the unit's submission package leaves in the appraiser's hub."""
    arrange_status(db, assessment_id, AssessmentStatus.SUBMITTED)
