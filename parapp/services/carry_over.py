"""Copy last year's self-assessment into the new year's: declared data, explanations and the
evidence links, where the criterion is still there and scored the same way. The new year's
rules compute its scores again; nothing the clerk already typed in the new year is replaced."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from db.engine import Database
from db.models import EvidenceLinkRow
from parapp.domain.assessment import FieldGroup, NodeScore, require_editable
from parapp.domain.criteria import CriterionNode, ScoreKind
from parapp.domain.errors import DomainError
from parapp.domain.scoring import FreeRule, NaPolicy, resolve_self_score
from parapp.i18n import N_

from . import assessments
from .common import ServiceError

NOT_IN_SET = N_("not in the new year's criteria set")
OTHER_RULE = N_("scored by another kind of rule in the new year's set")
NOT_SELF = N_("not scored by the unit in the new year's set")
TYPED = N_("already filled in for the new year")
DOES_NOT_FIT = N_("last year's data does not fit the new year's rule")


@dataclass(frozen=True)
class Skipped:
    code: str
    reason: str  # an English msgid above; the front end translates it


@dataclass(frozen=True)
class CarryOverResult:
    from_year: int
    to_year: int
    copied: list[str] = field(default_factory=list)  # criterion codes
    skipped: list[Skipped] = field(default_factory=list)
    links: int = 0  # evidence links added


def _filled(score: NodeScore | None) -> bool:
    return score is not None and (
        not score.declared.is_empty() or score.self_score is not None or bool(score.explanation)
    )


def _entry(
    old: CriterionNode, new: CriterionNode, score: NodeScore, na_policy: NaPolicy
) -> assessments.SelfEntry | str:
    """What to write for one criterion, or why not."""
    if ScoreKind.SELF not in new.score_kinds:
        return NOT_SELF
    if old.rule is None or new.rule is None or old.rule.kind != new.rule.kind:
        return OTHER_RULE
    # A judged score is the clerk's own figure and carries over when the maximum is the
    # same; every other score is computed again by the new rule from the declared data.
    typed = None
    if isinstance(new.rule, FreeRule) and new.max_points == old.max_points:
        typed = score.self_score
    declared = None if score.declared.is_empty() else score.declared
    if declared is not None or typed is not None:
        try:
            resolve_self_score(new.rule, score.declared, typed, new.max_points, na_policy)
        except DomainError:
            return DOES_NOT_FIT
    return assessments.SelfEntry(
        new.code, declared=declared, typed=typed, explanation=score.explanation or None
    )


def copy_last_year(
    db: Database,
    to_year: int | None = None,
    from_year: int | None = None,
    *,
    only: Callable[[str], bool] | None = None,
    links: bool = True,
) -> CarryOverResult:
    """Copy the assessment of ``from_year`` (default: the year before) into ``to_year``'s
    (default: the latest), all together or not at all; ``only`` limits the criteria."""
    new = assessments.view(db, to_year)
    source_year = from_year if from_year is not None else new.info.year - 1
    if source_year == new.info.year:
        raise ServiceError("Choose two different years to copy from and to.")
    old = assessments.view(db, source_year)
    require_editable(new.info.status, FieldGroup.SELF)
    result = CarryOverResult(from_year=old.info.year, to_year=new.info.year)
    entries: list[assessments.SelfEntry] = []
    for code, score in sorted(old.scores.items()):
        if (only is not None and not only(code)) or not _filled(score):
            continue
        if not old.cset.is_leaf(code) or ScoreKind.SELF not in old.cset.node(code).score_kinds:
            continue
        if not new.cset.has(code) or not new.cset.is_leaf(code):
            result.skipped.append(Skipped(code, NOT_IN_SET))
            continue
        if _filled(new.scores.get(code)):
            result.skipped.append(Skipped(code, TYPED))
            continue
        entry = _entry(old.cset.node(code), new.cset.node(code), score, new.cset.na_policy)
        if isinstance(entry, str):
            result.skipped.append(Skipped(code, entry))
            continue
        entries.append(entry)
        result.copied.append(code)
    if entries:
        assessments.set_self_scores(db, new.info.id, entries)
    if not links:
        return result
    return CarryOverResult(
        result.from_year, result.to_year, result.copied, result.skipped,
        _copy_links(db, old.info.id, new.info.id, new.cset.has, only),
    )


def _copy_links(
    db: Database,
    old_id: int,
    new_id: int,
    exists: Callable[[str], bool],
    only: Callable[[str], bool] | None,
) -> int:
    """The same documents linked to the same criteria of the new year (each document's file
    is kept once in the store, so a link is all there is to copy)."""
    with db.session() as s:
        rows = s.scalars(select(EvidenceLinkRow).where(EvidenceLinkRow.assessment_id == old_id))
        wanted = {
            (r.evidence_id, r.node_code)
            for r in rows
            if exists(r.node_code) and (only is None or only(r.node_code))
        }
        present = {
            (r.evidence_id, r.node_code)
            for r in s.scalars(
                select(EvidenceLinkRow).where(EvidenceLinkRow.assessment_id == new_id)
            )
        }
        added = sorted(wanted - present)
        for evidence_id, code in added:
            s.add(EvidenceLinkRow(evidence_id=evidence_id, assessment_id=new_id, node_code=code))
        return len(added)
