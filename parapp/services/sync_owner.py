"""Who owns what a package may write: the checks that keep a trusted sender to its own rows.

A trusted signature proves who sent a package, not that its records are the sender's to
write. Every row an import touches is reached through the unit the package concerns (its
assessment, its plan, its evidence rows, its history) and only on the side that owns it;
the table in docs/sync-format.md ("Ownership") lists kind × field × owner, and
tests/test_sync_ownership.py walks it with forged packages. Each check here refuses the
whole package with one sentence: nothing is half-applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit
from db.models import AssessmentRow, CriteriaSetRow, PlanItemRow, PlanRow, UnitRow
from parapp.domain.assessment import AssessmentStatus
from parapp.sync.safety import PackageError

_S = AssessmentStatus
# What a result package may make of an assessment at the commune, by its current status.
# Forward moves only, and the one backward move: returning a submitted (or appraised),
# unpublished assessment for correction. A published assessment can only have its
# result corrected; draft and submitted are the commune's to set, never a result's.
RESULT_MOVES: dict[str, frozenset[str]] = {
    _S.DRAFT: frozenset({_S.PUBLISHED}),
    _S.SUBMITTED: frozenset({_S.RETURNED, _S.APPRAISED, _S.PUBLISHED}),
    _S.RETURNED: frozenset({_S.RETURNED, _S.APPRAISED, _S.PUBLISHED}),
    _S.APPRAISED: frozenset({_S.RETURNED, _S.APPRAISED, _S.PUBLISHED}),
    _S.PUBLISHED: frozenset({_S.PUBLISHED}),
}

# Node fields the appraiser owns: a commune's history may not claim changes to them.
APPRAISER_FIELDS = frozenset({"appraised_score", "appraisal_comment", "survey_score"})


def same_assessment(s: Session, arow: AssessmentRow, named: Mapping[str, Any],
                    manifest: Mapping[str, Any]) -> None:
    """The assessment found by the package's uuid is the one its label names: same year,
    same criteria set (a 2024 package cannot carry the 2025 assessment's id)."""
    if arow.year != named["year"]:
        raise PackageError(
            "The package names a {year} assessment, but the assessment with its id here is "
            "for {actual}: it is refused.", year=named["year"], actual=arow.year)
    ref = manifest.get("criteria_set")
    if ref is not None:
        cset = s.get(CriteriaSetRow, arow.set_id)
        if cset is None or (cset.code, cset.version) != (ref["code"], ref["version"]):
            raise PackageError(
                "The package is for criteria set {code} version {version}, but the assessment "
                "it names uses another set: it is refused.",
                code=ref["code"], version=ref["version"])


def own_assessment(arow: AssessmentRow | None, unit: UnitRow) -> None:
    """A commune's package may reach only its own assessments."""
    if arow is not None and arow.unit_id != unit.id:
        raise PackageError(
            "The package from {unit} names an assessment of another unit here: a unit can "
            "send only its own data, so it is refused.", unit=unit.name)


def own_plan_items(s: Session, plan: PlanRow | None, items: Iterable[Mapping[str, Any]],
                   unit: UnitRow) -> None:
    """Plan items are found by uuid: an item id already used by another plan here (another
    unit's, or another year's) cannot be taken over by this plan."""
    wanted = [str(it["uuid"]) for it in items if it["uuid"]]
    if not wanted:
        return
    query = select(PlanItemRow.uuid).where(PlanItemRow.uuid.in_(wanted))
    if plan is not None:  # its own items, in it or set aside, are its own
        query = query.where(PlanItemRow.plan_id != plan.id)
    taken = s.scalars(query).first()
    if taken is not None:
        raise PackageError(
            "The plan from {unit} reuses the id of a plan item that belongs to another plan "
            "here ({uuid}): it is refused.", unit=unit.name, uuid=taken)


def result_move(arow: AssessmentRow, status: str, published: object) -> None:
    """The status a result package sets, from the one here (see RESULT_MOVES)."""
    if status == _S.PUBLISHED and published is None:
        raise PackageError("The result says the assessment is published but carries no "
                           "published result: the file is inconsistent.")
    if status != _S.PUBLISHED and published is not None:
        raise PackageError("The result carries a published result but says the assessment "
                           "is '{status}': the file is inconsistent.",
                           status=_S(status))
    if status not in RESULT_MOVES.get(arow.status, frozenset()):
        raise PackageError(
            "A result cannot move the {year} assessment from '{current}' to '{target}': the "
            "appraiser can publish or correct a result, and return a submitted assessment "
            "that is not published yet.", year=arow.year, current=_S(arow.status),
            target=_S(status))


def own_history(rows: list[dict[str, Any]], assessment_uuid: str, shas: set[str],
                names_here: set[str]) -> list[dict[str, Any]]:
    """The history rows a submission may add: the sender's own changes to this assessment.

    Rows the sender itself received (source other than "local": the appraiser's earlier
    result coming back) are not the sender's and are left out; a row for another
    assessment, for a document not in this package, for a field the appraiser owns, or in
    the name of this office refuses the package. Document rows, which the sender keeps
    outside any assessment, are tied here to the assessment they came with (documents are
    the unit's own: another commune's copy of the same file has its own history)."""
    kept = []
    for n, row in enumerate(rows, start=1):
        if row.get("source", audit.LOCAL) != audit.LOCAL:
            continue
        entity, uuid = row.get("entity"), row.get("assessment_uuid", "")
        if entity == audit.EVIDENCE:
            if uuid not in ("", assessment_uuid) or row.get("entity_key") not in shas:
                raise _foreign(n)
            row = {**row, "assessment_uuid": assessment_uuid}
        elif uuid != assessment_uuid:
            raise _foreign(n)
        if entity == audit.NODE and row.get("field") in APPRAISER_FIELDS:
            raise PackageError(
                "Entry {n} of the change history in the package records a change to an "
                "appraisal field ({field}), which only the appraiser makes: it is refused.",
                n=n, field=row.get("field"))
        if str(row.get("actor", "")).strip() in names_here:
            raise PackageError(
                "Entry {n} of the change history in the package is in the name of this "
                "office ({actor}): a unit can send only its own changes, so it is refused.",
                n=n, actor=row.get("actor"))
        kept.append(row)
    return kept


def _foreign(n: int) -> PackageError:
    return PackageError(
        "Entry {n} of the change history in the package is about another assessment or "
        "document than the one it carries: a unit can send only its own history, so it is "
        "refused.", n=n)


def names_here(s: Session) -> set[str]:
    """This office's own unit name: no received history row may claim it."""
    rows = s.scalars(select(UnitRow.name).where(UnitRow.is_self.is_(True)))
    return {name.strip() for name in rows if name and name.strip()}
