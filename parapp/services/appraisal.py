"""The appraiser's hub: appraisal of each criterion, return for correction, and the state of
every unit at a glance (its units from the official list: :mod:`.appraisal_units`).

One appraiser database holds many units (``UnitRow``, one per commune; ``is_self`` marks the
appraiser itself) and their assessments as they arrive in submission packages. Publishing the
index, rank and band lives in :mod:`parapp.services.appraisal_publish`.

Two choices worth knowing (docs/appraisal.md):

- An assessment becomes APPRAISED by itself once every self-scored criterion the unit scored
  has an appraised score and none waits for re-appraisal: there is no separate "done" step a
  clerk could forget before publishing.
- The reason for a return (trả lại để chỉnh sửa) has no column; it is kept as a ``Setting``
  keyed by the assessment's UUID (``return_reason:<uuid>``), so the result package can carry
  it and a later return replaces it. A root-node comment was rejected: comments belong to
  leaves, travel with the appraised scores and would be published with them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, NodeScoreRow, Setting, SyncLogRow, UnitRow
from parapp.domain.assessment import (
    AssessmentStatus,
    FieldGroup,
    NodeScore,
    Side,
    require_editable,
    require_transition,
)
from parapp.domain.completeness import unscored_leaves
from parapp.domain.criteria import CriteriaSet, ScoreKind
from parapp.domain.roles import PackageOutcome, Role
from parapp.domain.text import clean
from parapp.domain.totals import Basis, compute_totals
from parapp.domain.units import UnitKind

from . import appraisal_conflicts as conflicts
from . import council

# The units part moved to appraisal_units; its names stay importable from here.
from .appraisal_units import UnitsAdded as UnitsAdded
from .appraisal_units import add_unit as add_unit
from .appraisal_units import add_units_from_catalog as add_units_from_catalog
from .assessments import AppraisalEntry, _scores, apply_appraisals
from .common import Need, NotFound, ServiceError, now
from .mapping import set_from_rows
from .results import load_result
from .submission import Incomplete, note_of

RETURN_REASON_PREFIX = "return_reason:"
# Statuses in which the appraiser has something in hand (a draft was never sent).
RECEIVED = frozenset(
    {
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.RETURNED,
        AssessmentStatus.APPRAISED,
        AssessmentStatus.PUBLISHED,
    }
)


# -- finding an assessment ---------------------------------------------------------------
def assessment_row(
    s: Session, unit_code: str, year: int, set_code: str | None = None
) -> AssessmentRow:
    """The unit's assessment for ``year`` (with ``set_code`` when it has several)."""
    unit = s.scalars(select(UnitRow).where(UnitRow.code == clean(unit_code))).first()
    if unit is None:
        raise NotFound("There is no unit {code} in this database.", code=unit_code)
    rows = list(
        s.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.unit_id == unit.id, AssessmentRow.year == year)
            .order_by(AssessmentRow.id.desc())
        )
    )
    if set_code:
        rows = [r for r in rows if r.criteria_set.code == clean(set_code)]
    if not rows:
        raise NotFound(
            "{unit} has no assessment for {year} in this database.", unit=unit.name, year=year
        )
    if len({r.criteria_set.code for r in rows}) > 1:
        raise ServiceError(
            "{unit} has several assessments for {year}; say which criteria set.",
            unit=unit.name,
            year=year,
            need=Need.CRITERIA_SET,
        )
    return rows[0]


def require_hub(s: Session) -> None:
    """Appraising, returning and publishing happen only in an appraiser's database (the
    ``role`` set up by ``parapp init``): a commune's clerk never appraises itself."""
    role = s.get(Setting, "role")
    if Role.of(role.value if role else None) is not Role.APPRAISER:
        raise ServiceError(
            "This is a unit's database: appraising, returning and publishing are done in the "
            "appraiser's database, and their results come back as a package."
        )


def hub_row(s: Session, unit_code: str, year: int, set_code: str | None = None) -> AssessmentRow:
    """The assessment the appraiser acts on: never its own unit's."""
    require_hub(s)
    row = assessment_row(s, unit_code, year, set_code)
    if row.unit.is_self:
        raise ServiceError(
            "{unit} is this database's own unit: the appraiser appraises the units that "
            "submit to it.",
            unit=row.unit.name,
        )
    return row


def _self_leaves(cset: CriteriaSet) -> list[str]:
    return [n.code for n in cset.leaves() if ScoreKind.SELF in n.score_kinds]


def _pending(cset: CriteriaSet, scores: dict[str, NodeScore]) -> tuple[int, int]:
    """(self-scored leaves the appraiser has not scored yet, leaves to re-appraise)."""
    pending = reappraise = 0
    for code in _self_leaves(cset):
        sc = scores.get(code)
        if sc is None:
            continue
        if sc.needs_reappraisal:
            reappraise += 1
        elif sc.appraised_score is None and sc.self_score is not None:
            pending += 1
    return pending, reappraise


def _settle(s: Session, row: AssessmentRow) -> None:
    """SUBMITTED becomes APPRAISED once nothing is left to appraise (see the module note)."""
    if AssessmentStatus(row.status) is not AssessmentStatus.SUBMITTED:
        return
    s.flush()
    pending, reappraise = _pending(set_from_rows(row.criteria_set), _scores(s, row.id))
    if pending == 0 and reappraise == 0:
        row.status = AssessmentStatus.APPRAISED.value
        row.updated_at = now()


# -- appraising --------------------------------------------------------------------------
@dataclass(frozen=True)
class NodeAppraisal:
    unit_code: str
    code: str
    max_points: Decimal
    self_score: Decimal | None
    appraised: Decimal | None
    survey: Decimal | None
    comment: str
    status: AssessmentStatus


def appraise_node(
    db: Database,
    unit_code: str,
    year: int,
    code: str,
    score: Decimal | None,
    comment: str | None = "",
    *,
    set_code: str | None = None,
    seen: conflicts.Seen | None = None,
) -> NodeAppraisal:
    """Score one criterion (điểm thẩm định) with a comment; a survey-only criterion takes
    ``score`` as its survey score. ``score`` None changes the comment only; ``comment``
    None keeps it.

    The range [0, max] and the rule's step are checked before anything is written (the
    checks of :func:`apply_appraisals`); re-scoring clears "to re-appraise". ``seen``:
    what the appraiser saw of the criterion; someone else's change since is refused
    (:mod:`.appraisal_conflicts`). On a server a save that loses to a concurrent one is
    run again, checks included.
    """
    if score is not None and not isinstance(score, Decimal):
        raise TypeError("score must be a Decimal")  # a float here would be a programming error
    return db.retrying(
        lambda s: _appraise(s, unit_code, year, clean(code), score, comment, set_code, seen)
    )


def _appraise(
    s: Session,
    unit_code: str,
    year: int,
    code: str,
    score: Decimal | None,
    comment: str | None,
    set_code: str | None,
    seen: conflicts.Seen | None,
) -> NodeAppraisal:
    row = hub_row(s, unit_code, year, set_code)
    cset = set_from_rows(row.criteria_set)
    survey_only = cset.has(code) and ScoreKind.SELF not in cset.node(code).score_kinds
    entry = AppraisalEntry(
        code=code,
        appraised=None if survey_only else score,
        survey=score if survey_only else None,
        comment=None if comment is None else clean(comment),
    )
    if seen is not None and cset.has(code):
        conflicts.check(s, row, code, seen, score, entry.comment, survey=survey_only)
    apply_appraisals(s, row, [entry])
    _settle(s, row)
    s.flush()
    sc = _scores(s, row.id)[code]
    return NodeAppraisal(
        unit_code=row.unit.code,
        code=code,
        max_points=cset.node(code).max_points,
        self_score=sc.self_score,
        appraised=sc.appraised_score,
        survey=sc.survey_score,
        comment=sc.appraisal_comment,
        status=AssessmentStatus(row.status),
    )


@dataclass(frozen=True)
class Accepted:
    accepted: int  # criteria whose self score became the appraised score
    to_reappraise: int  # criteria still waiting for the appraiser (changed on re-submission)
    status: AssessmentStatus


def accept_self_scores(
    db: Database,
    unit_code: str,
    year: int,
    *,
    set_code: str | None = None,
    confirm_incomplete: bool = False,
) -> Accepted:
    """Appraised = self for every criterion not appraised yet (its comment kept).

    Criteria flagged for re-appraisal are not touched: the unit changed them after the
    appraiser had scored them, and accepting in bulk must not wave that through. Criteria
    nobody scored would count 0 once accepted: refused with their list (nothing changed)
    unless ``confirm_incomplete``.
    """
    def accept(s: Session) -> Accepted:
        row = hub_row(s, unit_code, year, set_code)
        council.require_secretariat(s)
        cset = set_from_rows(row.criteria_set)
        scores = _scores(s, row.id)
        require_editable(AssessmentStatus(row.status), FieldGroup.APPRAISAL)
        gaps = unscored_leaves(cset, scores)
        if gaps and not confirm_incomplete:
            raise Incomplete(
                "{unit} left {n} criteria unscored (listed below): accepting its self-scores "
                "would count them as 0. Nothing was accepted; to accept anyway, confirm it.",
                gaps,
                unit=row.unit.name,
                n=len(gaps),
                need=Need.CONFIRM_INCOMPLETE,
            )
        entries = [
            # The comment stays as it is: a member may have written one meanwhile.
            AppraisalEntry(code=code, appraised=sc.self_score, comment=None)
            for code in _self_leaves(cset)
            if (sc := scores.get(code)) is not None
            and sc.self_score is not None
            and sc.appraised_score is None
            and not sc.needs_reappraisal
        ]
        if entries:
            apply_appraisals(s, row, entries)
        else:
            # Nothing to write, but the state must still allow appraisal (a returned or
            # published assessment cannot be "accepted").
            apply_appraisals(s, row, [])
        _settle(s, row)
        s.flush()
        _pending_count, reappraise = _pending(cset, _scores(s, row.id))
        return Accepted(len(entries), reappraise, AssessmentStatus(row.status))

    # Run again when it loses to a member's save on the same unit: it reads again and
    # leaves what the member scored meanwhile (only criteria not appraised are accepted).
    return db.retrying(accept)


def _reason_key(assessment_uuid: str) -> str:
    return RETURN_REASON_PREFIX + assessment_uuid


def return_for_correction(
    db: Database, unit_code: str, year: int, reason: str, *, set_code: str | None = None
) -> AssessmentStatus:
    """Send the assessment back to the unit (RETURNED) with the reason it must fix."""
    reason = clean(reason)
    if not reason:
        raise ServiceError("Say why the assessment is returned.", need=Need.REASON)
    with db.session() as s:
        row = hub_row(s, unit_code, year, set_code)
        council.require_secretariat(s)
        require_transition(AssessmentStatus(row.status), AssessmentStatus.RETURNED, Side.APPRAISER)
        row.status = AssessmentStatus.RETURNED.value
        row.updated_at = now()
        value = json.dumps({"reason": reason, "at": now().isoformat()}, ensure_ascii=False)
        setting = s.get(Setting, _reason_key(row.uuid))
        if setting is None:
            s.add(Setting(key=_reason_key(row.uuid), value=value))
        else:
            setting.value = value
        return AssessmentStatus.RETURNED


def return_reason(db: Database, assessment_uuid: str) -> str | None:
    """The reason of the latest return of this assessment, if it was ever returned."""
    with db.session() as s:
        return _reason(s, assessment_uuid)


def _reason(s: Session, assessment_uuid: str) -> str | None:
    setting = s.get(Setting, _reason_key(assessment_uuid))
    if setting is None:
        return None
    try:
        return str(json.loads(setting.value)["reason"])
    except (ValueError, KeyError, TypeError):
        return setting.value or None


# -- the hub's table ---------------------------------------------------------------------
@dataclass(frozen=True)
class UnitStatus:
    unit_code: str
    unit_name: str
    kind: UnitKind
    status: AssessmentStatus | None  # None: nothing submitted for this year
    set_code: str = ""
    set_version: int | None = None
    self_index: Decimal | None = None
    appraised_index: Decimal | None = None  # once the appraiser has scored anything
    to_appraise: int = 0  # self-scored criteria not appraised yet
    to_reappraise: int = 0  # changed by the unit after appraisal
    return_reason: str = ""  # while RETURNED
    published_index: Decimal | None = None
    rank: int | None = None
    rank_of: int | None = None
    last_package_at: datetime | None = None  # when its latest package was imported
    incomplete_reason: str = ""  # submitted incomplete: the unit's reason (its package)

    @property
    def submitted(self) -> bool:
        return self.status in RECEIVED


def unit_statuses(db: Database, year: int, set_code: str | None = None) -> list[UnitStatus]:
    """Every unit this appraiser follows, with where its ``year`` assessment stands.

    A unit with no assessment (or only a draft) for the year is listed as not submitted.
    """
    out: list[UnitStatus] = []
    with db.session() as s:
        units = s.scalars(select(UnitRow).where(UnitRow.is_self.is_(False)).order_by(UnitRow.code))
        for unit in units:
            rows = s.scalars(
                select(AssessmentRow)
                .where(AssessmentRow.unit_id == unit.id, AssessmentRow.year == year)
                .order_by(AssessmentRow.id)
            ).all()
            if set_code:
                rows = [r for r in rows if r.criteria_set.code == clean(set_code)]
            rows = [r for r in rows if AssessmentStatus(r.status) in RECEIVED]
            if not rows:
                out.append(UnitStatus(unit.code, unit.name, UnitKind(unit.kind), None))
                continue
            for row in rows:
                status = AssessmentStatus(row.status)
                cset = set_from_rows(row.criteria_set)
                scores = _scores(s, row.id)
                pending, reappraise = _pending(cset, scores)
                appraised_any = any(
                    sc.appraised_score is not None or sc.survey_score is not None
                    for sc in scores.values()
                )
                result = load_result(s, row.id)
                out.append(
                    UnitStatus(
                        unit_code=unit.code,
                        unit_name=unit.name,
                        kind=UnitKind(unit.kind),
                        status=status,
                        set_code=cset.code,
                        set_version=cset.version,
                        self_index=compute_totals(cset, scores, Basis.SELF).index,
                        appraised_index=compute_totals(cset, scores, Basis.OFFICIAL).index
                        if appraised_any
                        else None,
                        to_appraise=pending,
                        to_reappraise=reappraise,
                        return_reason=(_reason(s, row.uuid) or "")
                        if status is AssessmentStatus.RETURNED
                        else "",
                        published_index=result.index if result else None,
                        rank=result.rank if result else None,
                        rank_of=result.rank_of if result else None,
                        last_package_at=_last_received(s, unit.code),
                        incomplete_reason=note.reason
                        if (note := note_of(s, row.uuid)) is not None
                        else "",
                    )
                )
    return out


def _last_received(s: Session, unit_code: str) -> datetime | None:
    """When the unit's latest package was imported here (the sync log)."""
    return s.scalar(
        select(func.max(SyncLogRow.logged_at)).where(
            SyncLogRow.sender_code == unit_code,
            SyncLogRow.direction == "in",
            SyncLogRow.outcome == PackageOutcome.APPLIED.value,
        )
    )


def reappraisal_counts(s: Session, assessment_ids: list[int]) -> dict[int, int]:
    """Criteria waiting for re-appraisal, per assessment (for publishing's refusal)."""
    if not assessment_ids:
        return {}
    rows = s.scalars(
        select(NodeScoreRow).where(
            NodeScoreRow.assessment_id.in_(assessment_ids),
            NodeScoreRow.needs_reappraisal.is_(True),
        )
    )
    counts: dict[int, int] = {}
    for r in rows:
        counts[r.assessment_id] = counts.get(r.assessment_id, 0) + 1
    return counts


def latest_year(db: Database, unit_code: str | None = None) -> int:
    """The latest year with a received assessment (of ``unit_code``, or of any unit): what
    the commands work on when no --year is given."""
    with db.session() as s:
        query = select(AssessmentRow.year).where(
            AssessmentRow.status.in_([st.value for st in RECEIVED])
        )
        if unit_code:
            unit = s.scalars(select(UnitRow).where(UnitRow.code == clean(unit_code))).first()
            if unit is None:
                raise NotFound("There is no unit {code} in this database.", code=unit_code)
            query = query.where(AssessmentRow.unit_id == unit.id)
        year = s.scalars(query.order_by(AssessmentRow.year.desc())).first()
    if year is None:
        raise NotFound("No unit has submitted an assessment to this database yet.")
    return year


def received_years(db: Database) -> list[int]:
    """Every year some unit submitted an assessment for, newest first (the hub's year list)."""
    with db.session() as s:
        years = s.scalars(
            select(AssessmentRow.year)
            .where(AssessmentRow.status.in_([st.value for st in RECEIVED]))
            .distinct()
            .order_by(AssessmentRow.year.desc())
        )
        return list(years)


def unit_return_reason(
    db: Database, unit_code: str, year: int, set_code: str | None = None
) -> str | None:
    """Why the unit's ``year`` assessment was last returned, if it ever was."""
    with db.session() as s:
        return _reason(s, assessment_row(s, unit_code, year, set_code).uuid)
