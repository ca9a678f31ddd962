"""Assessments: create, score (self and appraisal), move through states, and view totals."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, EvidenceLinkRow, NodeScoreRow, PublishedResultRow
from parapp.domain.assessment import (
    AssessmentInfo,
    AssessmentStatus,
    FieldGroup,
    NodeScore,
    require_editable,
)
from parapp.domain.criteria import CriteriaSet, ScoreKind
from parapp.domain.errors import DomainError
from parapp.domain.figures import printed_index
from parapp.domain.results import PublishedResult
from parapp.domain.scoring import Declared, check_score, resolve_self_score
from parapp.domain.text import clean
from parapp.domain.totals import Basis, compute_totals

from . import council
from .common import NotFound, ServiceError, now, unit_row
from .criteria import find_set_row
from .mapping import score_from_row, set_from_rows
from .views import OFFICIAL_STATES, AssessmentView, PreviousPeriod, basis_for, result_from_row


@dataclass(frozen=True)
class SelfEntry:
    """One node's self-assessment; a None field is left as it is."""

    code: str
    declared: Declared | None = None
    typed: Decimal | None = None
    explanation: str | None = None


@dataclass(frozen=True)
class AppraisalEntry:
    code: str
    appraised: Decimal | None = None
    comment: str | None = None
    survey: Decimal | None = None


def _info(row: AssessmentRow) -> AssessmentInfo:
    return AssessmentInfo(
        id=row.id,
        unit_code=row.unit.code,
        unit_name=row.unit.name,
        set_code=row.criteria_set.code,
        set_version=row.criteria_set.version,
        year=row.year,
        status=AssessmentStatus(row.status),
    )


def new_assessment(
    db: Database,
    year: int,
    set_code: str | None = None,
    set_version: int | None = None,
    unit_code: str | None = None,
) -> AssessmentInfo:
    if not 2000 <= year <= 2100:
        raise ServiceError("The year {year} is not valid.", year=year)
    with db.session() as s:
        unit = unit_row(s, unit_code)
        cset = find_set_row(s, set_code, set_version)
        exists = s.scalars(
            select(AssessmentRow).where(
                AssessmentRow.unit_id == unit.id,
                AssessmentRow.set_id == cset.id,
                AssessmentRow.year == year,
            )
        ).first()
        if exists is not None:
            raise ServiceError(
                "{unit} already has an assessment for {year} with this criteria set.",
                unit=unit.name,
                year=year,
            )
        stamp = now()
        row = AssessmentRow(
            uuid=str(uuid.uuid4()),
            unit=unit,
            criteria_set=cset,
            year=year,
            status=AssessmentStatus.DRAFT.value,
            created_at=stamp,
            updated_at=stamp,
        )
        s.add(row)
        s.flush()
        return _info(row)


def find_row(
    s: Session,
    year: int | None = None,
    unit_code: str | None = None,
    index_kind: str | None = None,
) -> AssessmentRow:
    """The unit's assessment for ``year``; the latest one when no year is given."""
    unit = unit_row(s, unit_code)
    query = select(AssessmentRow).where(AssessmentRow.unit_id == unit.id)
    if year is not None:
        query = query.where(AssessmentRow.year == year)
    rows = s.scalars(query.order_by(AssessmentRow.year.desc(), AssessmentRow.id.desc())).all()
    if index_kind:
        rows = [r for r in rows if r.criteria_set.index_kind == index_kind]
    if not rows:
        if year is not None:
            raise NotFound("There is no assessment for {year}.", year=year)
        raise NotFound("There is no assessment yet. Create one with 'parapp assessment new'.")
    return rows[0]


def get_info(db: Database, year: int | None = None, unit_code: str | None = None) -> AssessmentInfo:
    with db.session() as s:
        return _info(find_row(s, year, unit_code))


def _scores(s: Session, assessment_id: int) -> dict[str, NodeScore]:
    rows = s.scalars(select(NodeScoreRow).where(NodeScoreRow.assessment_id == assessment_id))
    return {r.node_code: score_from_row(r) for r in rows}


def _score_row(s: Session, assessment_id: int, code: str) -> NodeScoreRow:
    row = s.scalars(
        select(NodeScoreRow).where(
            NodeScoreRow.assessment_id == assessment_id, NodeScoreRow.node_code == code
        )
    ).first()
    if row is None:
        row = NodeScoreRow(
            assessment_id=assessment_id,
            node_code=code,
            declared_json="{}",
            explanation="",
            appraisal_comment="",
            updated_at=now(),
        )
        s.add(row)
    return row


def _leaf(cset: CriteriaSet, code: str) -> None:
    if not cset.has(code):
        raise ServiceError("There is no criterion '{code}' in this criteria set.", code=code)
    if not cset.is_leaf(code):
        raise ServiceError(
            "Criterion '{code}' is scored through its sub-criteria; score those instead.",
            code=code,
        )


def set_self_scores(db: Database, assessment_id: int, entries: list[SelfEntry]) -> int:
    """Apply self-assessment entries all together or not at all; return how many changed.

    Every entry is checked against its rule before anything is written, so a bad row
    leaves the database exactly as it was.
    """
    with db.session() as s:
        row = s.get(AssessmentRow, assessment_id)
        if row is None:
            raise NotFound("There is no such assessment.")
        require_editable(AssessmentStatus(row.status), FieldGroup.SELF)
        cset = set_from_rows(row.criteria_set)
        current = _scores(s, assessment_id)
        planned: list[tuple[SelfEntry, NodeScore]] = []
        for entry in entries:
            _leaf(cset, entry.code)
            node = cset.node(entry.code)
            if ScoreKind.SELF not in node.score_kinds:
                raise ServiceError(
                    "Criterion '{code}' is scored by the appraiser's survey, not by the unit.",
                    code=entry.code,
                )
            old = current.get(entry.code, NodeScore(code=entry.code))
            declared = entry.declared if entry.declared is not None else old.declared
            typed = entry.typed
            if typed is None and entry.declared is None:
                typed = old.self_score
            assert node.rule is not None
            try:
                outcome = resolve_self_score(
                    node.rule, declared, typed, node.max_points, cset.na_policy
                )
            except DomainError as exc:
                raise ServiceError(
                    "Criterion {code}: {reason}", code=entry.code, reason=exc
                ) from None
            explanation = (
                clean(entry.explanation) if entry.explanation is not None else (old.explanation)
            )
            new = NodeScore(
                code=entry.code,
                declared=declared,
                self_score=outcome.score,
                not_applicable=outcome.not_applicable,
                explanation=explanation,
            )
            planned.append((entry, new))
        changed = 0
        for _entry, new in planned:
            score_row = _score_row(s, assessment_id, new.code)
            before = (
                score_row.declared_json,
                score_row.self_score,
                score_row.explanation,
                score_row.not_applicable,
            )
            score_row.declared_json = json.dumps(new.declared.to_dict(), ensure_ascii=False)
            score_row.self_score = new.self_score
            score_row.not_applicable = new.not_applicable
            score_row.explanation = new.explanation
            after = (
                score_row.declared_json,
                score_row.self_score,
                score_row.explanation,
                score_row.not_applicable,
            )
            if before != after:
                score_row.updated_at = now()
                changed += 1
                if score_row.appraised_score is not None:
                    # Returned for correction and changed: the appraiser must look again;
                    # the old appraised score stays official until then.
                    score_row.needs_reappraisal = True
        if changed:
            row.updated_at = now()
        return changed


def set_appraisals(db: Database, assessment_id: int, entries: list[AppraisalEntry]) -> int:
    """Record appraised and survey scores with comments (the appraiser's side)."""
    with db.session() as s:
        row = s.get(AssessmentRow, assessment_id)
        if row is None:
            raise NotFound("There is no such assessment.")
        return apply_appraisals(s, row, entries)


def apply_appraisals(
    s: Session, row: AssessmentRow, entries: list[AppraisalEntry], *, correction: bool = False
) -> int:
    """Check every entry, then write them all, inside the caller's transaction.

    ``correction``: the appraiser's own corrected result for a published assessment (a
    result file imported again), which may change what was published.
    """
    status = AssessmentStatus(row.status)
    if not (correction and status is AssessmentStatus.PUBLISHED):
        require_editable(status, FieldGroup.APPRAISAL)
    cset = set_from_rows(row.criteria_set)
    for entry in entries:
        _leaf(cset, entry.code)
        node = cset.node(entry.code)
        assert node.rule is not None
        for value, kind in ((entry.appraised, ScoreKind.SELF), (entry.survey, ScoreKind.SURVEY)):
            if value is None:
                continue
            if kind not in node.score_kinds:
                raise ServiceError(
                    "Criterion '{code}' has no {kind} score.", code=entry.code, kind=kind
                )
            try:
                check_score(node.rule, value, node.max_points)
            except DomainError as exc:
                raise ServiceError(
                    "Criterion {code}: {reason}", code=entry.code, reason=exc
                ) from None
    # On a server, a council member scores only its areas (nothing to ask in a file).
    council.require_areas(s, row, cset, [entry.code for entry in entries])
    for entry in entries:
        score_row = _score_row(s, row.id, entry.code)
        if entry.appraised is not None:
            score_row.appraised_score = entry.appraised
            score_row.needs_reappraisal = False
        if entry.survey is not None:
            score_row.survey_score = entry.survey
        if entry.comment is not None:
            score_row.appraisal_comment = clean(entry.comment)
        score_row.updated_at = now()
    row.updated_at = now()
    return len(entries)


def load_result(s: Session, assessment_id: int) -> PublishedResult | None:
    """The published result of an assessment, if one is stored."""
    row = s.scalars(
        select(PublishedResultRow).where(PublishedResultRow.assessment_id == assessment_id)
    ).first()
    if row is None:
        return None
    return result_from_row(row)


def _evidence_counts(s: Session, assessment_id: int) -> dict[str, int]:
    rows = s.execute(
        select(EvidenceLinkRow.node_code, func.count())
        .where(EvidenceLinkRow.assessment_id == assessment_id)
        .group_by(EvidenceLinkRow.node_code)
    ).all()
    return {code: int(count) for code, count in rows}


def _basis(status: AssessmentStatus) -> Basis:
    return basis_for(status)


def _index_of(s: Session, row: AssessmentRow) -> tuple[Decimal, bool]:
    result = load_result(s, row.id)
    if result is not None:
        return result.index, True
    status = AssessmentStatus(row.status)
    cset = set_from_rows(row.criteria_set)
    totals = compute_totals(cset, _scores(s, row.id), _basis(status))
    return printed_index(cset, totals), status in OFFICIAL_STATES


def view(db: Database, year: int | None = None, unit_code: str | None = None) -> AssessmentView:
    """Everything a screen or report needs about one assessment, computed once."""
    with db.session() as s:
        row = find_row(s, year, unit_code)
        cset = set_from_rows(row.criteria_set)
        status = AssessmentStatus(row.status)
        scores = _scores(s, row.id)
        basis = _basis(status)
        previous_row = s.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.unit_id == row.unit_id, AssessmentRow.year < row.year)
            .order_by(AssessmentRow.year.desc())
        ).all()
        previous_row = [r for r in previous_row if r.criteria_set.index_kind == cset.index_kind]
        previous = None
        if previous_row:
            index, official = _index_of(s, previous_row[0])
            previous = PreviousPeriod(previous_row[0].year, index, official)
        return AssessmentView(
            info=_info(row),
            cset=cset,
            scores=scores,
            basis=basis,
            totals=compute_totals(cset, scores, basis),
            evidence_counts=_evidence_counts(s, row.id),
            result=load_result(s, row.id),
            previous=previous,
        )
