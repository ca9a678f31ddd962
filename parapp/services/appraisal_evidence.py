"""The evidence a unit filed for one criterion, as the appraiser reads it beside the score.

A document linked to a criterion serves the criteria under it too (a decision filed under
1.2 proves 1.2.1 and 1.2.2), so a criterion's evidence is what is linked to it or to any
criterion above it in the unit's assessment. Opening one goes through
:func:`parapp.services.evidence_open.open_copy` (a checked copy, never the store's file).
"""

from __future__ import annotations

from sqlalchemy import select

from db.engine import Database
from db.models import AssessmentRow, EvidenceLinkRow, EvidenceRow
from parapp.domain.text import fold

from .common import NotFound
from .evidence import EvidenceInfo, _info
from .mapping import set_from_rows


def criterion_evidence(db: Database, assessment_id: int, code: str) -> list[EvidenceInfo]:
    """Documents of assessment ``assessment_id`` linked to ``code`` or a criterion above
    it, the ones linked to ``code`` itself first, then by title."""
    with db.session() as s:
        arow = s.get(AssessmentRow, assessment_id)
        if arow is None:
            raise NotFound("The assessment {id} does not exist.", id=assessment_id)
        cset = set_from_rows(arow.criteria_set)
        codes: list[str] = []
        node: str | None = code if cset.has(code) else None
        while node is not None:
            codes.append(node)
            node = cset.node(node).parent_code
        if not codes:
            return []
        ids = set(
            s.scalars(
                select(EvidenceLinkRow.evidence_id).where(
                    EvidenceLinkRow.assessment_id == assessment_id,
                    EvidenceLinkRow.node_code.in_(codes),
                )
            )
        )
        rows = s.scalars(select(EvidenceRow).where(EvidenceRow.id.in_(ids))).all()
        infos = [_info(s, r, assessment_id) for r in rows]
    return sorted(infos, key=lambda e: (code not in e.node_codes, fold(e.title or e.filename)))
