"""What each kind of package changes, by field ownership.

The commune owns the self side (declared data, self scores, explanations, evidence links,
its plan and progress); the appraiser owns the appraisal side (appraised and survey
scores, comments, the status after submission, published results) and criteria sets.
A package only ever writes the fields its sender owns. A re-submission that changes a
node the appraiser has already scored flags it for re-appraisal instead of overwriting
the appraisal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from db import audit
from db.models import (
    AssessmentRow,
    CriteriaSetRow,
    EvidenceLinkRow,
    EvidenceRow,
    NodeScoreRow,
    Setting,
    UnitRow,
)
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.criteria import CriteriaSet
from parapp.domain.errors import DomainError
from parapp.domain.results import AreaResult, PublishedResult
from parapp.domain.roles import PackageKind
from parapp.domain.text import fold
from parapp.formats import criteria_json
from parapp.i18n import N_
from parapp.sync.package import OpenedPackage
from parapp.sync.safety import PackageError

from . import history, sync_data, sync_owner, sync_ranking
from .common import now
from .mapping import set_from_rows
from .results import store_result
from .submission import INCOMPLETE, note_params, store_note
from .sync_changes import CONFLICT, NEW, UNCHANGED, UPDATED
from .sync_changes import change as _change
from .sync_plan import apply_plan as _apply_plan
from .sync_plan import plan_changes as _plan_plan
from .to_rows import set_to_rows

# + assessment uuid, in the settings table; the value is JSON {"reason", "at"} (the same
# key and value the appraiser's side writes in parapp.services.appraisal).
RETURNED_REASON = "return_reason:"


# -- parse -------------------------------------------------------------------------------
def parse(s: Session, opened: OpenedPackage, cset: CriteriaSet | None) -> Any:
    kind, data = opened.kind, opened.data
    if kind == PackageKind.SUBMISSION:
        assert cset is not None
        sizes = {e["sha256"]: e["size"] for e in opened.manifest["files"]
                 if e["path"] != "data.json"}
        sub = sync_data.parse_submission(data, cset, sizes)
        _check_period(opened, sub.assessment["year"])
        return sub
    if kind == PackageKind.PROGRESS:
        d = sync_data._obj(data, "data", {"unit", "assessment", "plan"})
        rec = {"unit": sync_data.parse_unit(d["unit"]),
               "assessment": sync_data.parse_assessment(d["assessment"]),
               "plan": sync_data.parse_plan(d["plan"])}
        _check_period(opened, rec["assessment"]["year"])
        return rec
    if kind == PackageKind.RESULT:
        assert cset is not None
        res = sync_ranking.parse_result(data, cset, opened.manifest)  # schema 2: ranking
        _check_period(opened, res.assessment["year"])
        return res
    if kind == PackageKind.CRITERIA_SET:
        try:
            return criteria_json.from_dict(data.get("criteria_set") if isinstance(data, dict)
                                           else None)
        except DomainError as exc:
            raise PackageError("The criteria set in the package is not valid: {reason}",
                               reason=exc) from exc
    raise PackageError("Packages of kind '{kind}' cannot be imported.", kind=kind)


def _check_period(opened: OpenedPackage, year: int) -> None:
    period = opened.manifest["period"]
    if period != year:
        raise PackageError("The package is labelled for the year {period} but its assessment "
                           "is for {year}: the file is inconsistent.", period=period, year=year)


def _sender_unit(s: Session, opened: OpenedPackage, code: str) -> UnitRow:
    sender = opened.manifest["sender"]["unit_code"]
    if code != sender:
        raise PackageError("The package is from '{sender}' but carries the data of '{unit}'.",
                           sender=sender, unit=code)
    # Asked by the plan and again by the apply, in the same session (units are not changed
    # by an import): the row is remembered for the session.
    cache = s.info.setdefault("sync_units", {})
    row = cache.get(code)
    if row is None:
        row = cache[code] = s.scalars(select(UnitRow).where(UnitRow.code == code)).first()
    if row is None:
        raise PackageError("Unit {code} is not in this database: trust its unit card first.",
                           code=code)
    return row


# What the plan read, kept for the apply of the same package (the same transaction: its
# first write takes the lock only if nothing was committed since it began, see
# ``Database.snapshot``). ``plan`` starts each package afresh.
_READS = "sync_reads"


def _reads(s: Session) -> dict[Any, Any]:
    return s.info.setdefault(_READS, {})


# Statements built once (their cache key is then computed once, not per package).
_ASSESSMENT = select(AssessmentRow).where(AssessmentRow.uuid == bindparam("uuid"))
# A unit's own document rows only: two units sending the same file share its content in
# the store, never its title, number or date (sync_owner, docs "Ownership").
_EVIDENCE = select(EvidenceRow).where(EvidenceRow.unit_id == bindparam("unit"),
                                      EvidenceRow.sha256.in_(bindparam("shas", expanding=True)))


def _assessment(s: Session, uuid: str) -> AssessmentRow | None:
    reads = _reads(s)
    key = ("assessment", uuid)
    if key not in reads:
        reads[key] = s.scalars(_ASSESSMENT, {"uuid": uuid}).first()
    return reads[key]


def _evidence_rows(s: Session, shas: list[str], unit_id: int) -> dict[str, EvidenceRow]:
    """The evidence rows already here among ``shas``, by SHA-256."""
    reads = _reads(s)
    key = ("evidence", unit_id, tuple(shas))
    if key not in reads:
        reads[key] = {r.sha256: r for r in s.scalars(_EVIDENCE, {"unit": unit_id,
                                                                "shas": shas})} if shas else {}
    return dict(reads[key])


def _set_id(s: Session, code: str, version: str) -> int:
    """A loaded criteria set's row id (a loaded code and version never changes)."""
    cache = s.info.setdefault("sync_set_ids", {})
    if (code, version) not in cache:
        cache[code, version] = s.scalars(select(CriteriaSetRow.id).where(
            CriteriaSetRow.code == code, CriteriaSetRow.version == version)).one()
    return int(cache[code, version])


# -- plan ----------------------------------------------------------------------------------
def plan(s: Session, opened: OpenedPackage, records: Any, *, me_code: str) -> list[Any]:
    s.info[_READS] = {}  # a new package: nothing read for an earlier one is reused
    kind = opened.kind
    if kind == PackageKind.SUBMISSION:
        return _plan_submission(s, opened, records)
    if kind == PackageKind.PROGRESS:
        unit = _sender_unit(s, opened, records["unit"]["code"])
        arow = _assessment(s, records["assessment"]["uuid"])
        sync_owner.own_assessment(arow, unit)  # never another unit's assessment
        if arow is not None:
            sync_owner.same_assessment(s, arow, records["assessment"], opened.manifest)
        return _plan_plan(s, records["plan"], unit)
    if kind == PackageKind.RESULT:
        return _plan_result(s, opened, records, me_code)
    return _plan_set(s, records)


def _self_tuple(row: NodeScoreRow | None) -> tuple[Any, ...]:
    if row is None:
        return ({}, None, False, "")
    return (json.loads(row.declared_json or "{}"), row.self_score, row.not_applicable,
            row.explanation)


def _plan_submission(s: Session, opened: OpenedPackage, sub: sync_data.Submission) -> list[Any]:
    unit = _sender_unit(s, opened, sub.unit["code"])
    changes: list[Any] = []
    arow = _assessment(s, sub.assessment["uuid"])
    year = sub.assessment["year"]
    if arow is None:
        ref = opened.manifest["criteria_set"]
        twin = s.scalars(select(AssessmentRow).join(CriteriaSetRow).where(
            AssessmentRow.unit_id == unit.id, AssessmentRow.year == year,
            CriteriaSetRow.code == ref["code"], CriteriaSetRow.version == ref["version"])).first()
        if twin is not None:
            return [_change(CONFLICT, N_("the {year} self-assessment of {unit}"),
                            N_("this office already holds another {year} self-assessment of "
                               "{unit} on the same criteria set (made on another computer or "
                               "after a reinstall): the commune must send from the data it sent "
                               "before, or the appraiser must remove the old one first"),
                            year=year, unit=unit.name)]
        changes.append(_change(NEW, N_("the {year} self-assessment of {unit}"),
                               INCOMPLETE if sub.incomplete else None, year=year,
                               unit=unit.name, **note_params(sub.incomplete)))
        current: dict[str, NodeScoreRow] = {}
    else:
        if arow.unit_id != unit.id:
            return [_change(CONFLICT, N_("assessment {uuid}"),
                            N_("it belongs to another unit here"), uuid=arow.uuid)]
        sync_owner.same_assessment(s, arow, sub.assessment, opened.manifest)
        if arow.status == AssessmentStatus.PUBLISHED.value:
            return [_change(CONFLICT, N_("the {year} self-assessment of {unit}"),
                            N_("its results are already published: nothing can change now"),
                            year=year, unit=unit.name)]
        if sub.incomplete is not None:
            changes.append(_change(UPDATED, N_("the {year} self-assessment of {unit}"),
                                   INCOMPLETE, year=year, unit=unit.name,
                                   **note_params(sub.incomplete)))
        current = {r.node_code: r for r in s.scalars(
            select(NodeScoreRow).where(NodeScoreRow.assessment_id == arow.id))}
    for rec in sub.scores:
        row = current.get(rec.code)
        incoming = (rec.declared.to_dict(), rec.self_score, rec.not_applicable, rec.explanation)
        if row is None:
            changes.append(_change(NEW, N_("criterion {code}"), None, code=rec.code))
        elif _self_tuple(row) == incoming:
            changes.append(_change(UNCHANGED, N_("criterion {code}"), None, code=rec.code))
        elif row.appraised_score is not None:
            changes.append(_change(UPDATED, N_("criterion {code}"),
                                   N_("changed after it was appraised: flagged for "
                                      "re-appraisal"),
                                   code=rec.code))
        else:
            changes.append(_change(UPDATED, N_("criterion {code}"), None, code=rec.code))
    known = _evidence_rows(s, [e.sha256 for e in sub.evidence], unit.id)
    for ev in sub.evidence:
        action = UNCHANGED if ev.sha256 in known else NEW
        changes.append(_change(action, N_("evidence '{title}'"), None, title=ev.title[:80]))
    if sub.plan is not None:
        changes.extend(_plan_plan(s, sub.plan, unit))
    # Only the sender's own history is kept for the apply (refused here, in a dry run too).
    sub.history = sync_owner.own_history(sub.history, sub.assessment["uuid"],
                                         {e.sha256 for e in sub.evidence},
                                         sync_owner.names_here(s))
    return changes


def _plan_result(s: Session, opened: OpenedPackage, res: sync_data.Result,
                 me_code: str) -> list[Any]:
    if res.unit_code != me_code:
        raise PackageError("The result is for unit '{unit}', not for this unit.",
                           unit=res.unit_code)
    arow = _assessment(s, res.assessment["uuid"])
    if arow is None or arow.unit.code != me_code:
        raise PackageError("The result is for a {year} assessment this database does not have "
                           "(it may belong to another computer's data).",
                           year=res.assessment["year"])
    sync_owner.same_assessment(s, arow, res.assessment, opened.manifest)
    sync_owner.result_move(arow, res.assessment["status"], res.published)
    current = {r.node_code: r for r in s.scalars(
        select(NodeScoreRow).where(NodeScoreRow.assessment_id == arow.id))}
    changes = []
    for rec in res.scores:
        row = current.get(rec.code)
        old = (row.appraised_score, row.appraisal_comment, row.survey_score) if row else None
        if old == (rec.appraised, rec.comment, rec.survey):
            changes.append(_change(UNCHANGED, N_("appraisal of {code}"), None, code=rec.code))
        else:
            changes.append(_change(UPDATED if row else NEW, N_("appraisal of {code}"), None,
                                   code=rec.code))
    if res.assessment["status"] != arow.status:
        changes.append(_change(UPDATED, N_("status: {status}"), None,
                               status=_status(res.assessment["status"])))
    if res.published is not None:
        changes.append(_change(NEW, N_("published result: index {index}"), None,
                               index=res.published["index_value"]))
    return changes + sync_ranking.plan(res)


def _status(value: str) -> AssessmentStatus | str:
    """The status as the enum, so the change reads in the user's language ("đã công bố")."""
    try:
        return AssessmentStatus(value)
    except ValueError:
        return value


def _plan_set(s: Session, cset: CriteriaSet) -> list[Any]:
    row = s.scalars(select(CriteriaSetRow).where(CriteriaSetRow.code == cset.code,
                                                 CriteriaSetRow.version == cset.version)).first()
    what = N_("criteria set {code} version {version}")
    if row is None:
        return [_change(NEW, what, None, code=cset.code, version=cset.version)]
    if criteria_json.to_dict(set_from_rows(row)) == criteria_json.to_dict(cset):
        return [_change(UNCHANGED, what, None, code=cset.code, version=cset.version)]
    return [_change(CONFLICT, what, N_("a different set with the same code and version is "
                                       "already loaded: the issuer must give a corrected set "
                                       "a new version number"),
                    code=cset.code, version=cset.version)]


# -- apply ---------------------------------------------------------------------------------
def apply(s: Session, opened: OpenedPackage, records: Any, evidence_folder: Path) -> None:
    kind = opened.kind
    if kind == PackageKind.SUBMISSION:
        _apply_submission(s, opened, records)
    elif kind == PackageKind.PROGRESS:
        unit = _sender_unit(s, opened, records["unit"]["code"])
        arow = _assessment(s, records["assessment"]["uuid"])
        _apply_plan(s, records["plan"], unit, arow)
    elif kind == PackageKind.RESULT:
        _apply_result(s, records)
    else:
        s.add(set_to_rows(records, now()))
        s.flush()


def _apply_submission(s: Session, opened: OpenedPackage, sub: sync_data.Submission) -> None:
    unit = _sender_unit(s, opened, sub.unit["code"])
    stamp = now()
    arow = _assessment(s, sub.assessment["uuid"])
    current: dict[str, NodeScoreRow] = {}
    if arow is None:
        ref = opened.manifest["criteria_set"]
        arow = AssessmentRow(uuid=sub.assessment["uuid"], unit_id=unit.id,
                             set_id=_set_id(s, ref["code"], ref["version"]),
                             year=sub.assessment["year"], created_at=stamp, updated_at=stamp,
                             status=AssessmentStatus.SUBMITTED.value)
        s.add(arow)
        s.flush()
        _reads(s)[("assessment", arow.uuid)] = arow
        fresh = True  # nothing can point at it yet: no scores or links to read
    else:
        fresh = False
        if arow.status in (AssessmentStatus.DRAFT.value, AssessmentStatus.RETURNED.value):
            arow.status = AssessmentStatus.SUBMITTED.value
        current = {r.node_code: r for r in s.scalars(
            select(NodeScoreRow).where(NodeScoreRow.assessment_id == arow.id))}
    store_note(s, arow.uuid, sub.incomplete)  # a complete re-submission clears the old note
    for rec in sub.scores:
        row = current.get(rec.code)
        incoming = (rec.declared.to_dict(), rec.self_score, rec.not_applicable, rec.explanation)
        if row is None:
            row = NodeScoreRow(assessment_id=arow.id, node_code=rec.code, updated_at=stamp)
            s.add(row)
        elif _self_tuple(row) == incoming:
            continue
        elif row.appraised_score is not None:
            row.needs_reappraisal = True
        row.declared_json = json.dumps(rec.declared.to_dict(), ensure_ascii=False)
        row.self_score, row.not_applicable = rec.self_score, rec.not_applicable
        row.explanation, row.updated_at = rec.explanation, stamp
    _apply_evidence(s, arow, sub.evidence, fresh=fresh)
    if sub.plan is not None:
        _apply_plan(s, sub.plan, unit, arow)
    if sub.history:
        history.import_history(s, sub.history, f"package:{opened.package_id}")
    arow.updated_at = stamp


def _apply_evidence(s: Session, arow: AssessmentRow,
                    evidence: list[sync_data.EvidenceRecord], *, fresh: bool = False) -> None:
    """The package's documents and links: documents already here get its titles, new ones
    and every link are inserted in one statement each (``audit.insert_evidence``)."""
    stamp = now()
    old_links = [] if fresh else s.scalars(select(EvidenceLinkRow).where(
        EvidenceLinkRow.assessment_id == arow.id)).all()
    for link in old_links:
        s.delete(link)  # the commune owns its links: the package's set replaces them
    rows = _evidence_rows(s, [ev.sha256 for ev in evidence], arow.unit_id)
    new: dict[str, dict[str, Any]] = {}
    links: dict[tuple[str, int, str], None] = {}  # in order, once each
    for ev in evidence:
        values = {"title": ev.title, "title_folded": fold(ev.title),
                  "doc_number": ev.doc_number, "doc_date": ev.doc_date}
        row = rows.get(ev.sha256)
        if row is None:
            # A document listed twice keeps its first file name and its last title, as
            # one row created and then updated would.
            first = new.setdefault(ev.sha256, {"sha256": ev.sha256, "filename": ev.filename,
                                               "size": ev.size, "added_at": stamp,
                                               "unit_id": arow.unit_id})
            first.update(values)
        else:
            for key, value in values.items():
                setattr(row, key, value)
        for code in sorted(set(ev.nodes)):
            links[(ev.sha256, arow.id, code)] = None
    s.flush()  # the deletes and updates first (a link may come back identical: unique key)
    audit.insert_evidence(s, list(new.values()), list(links),
                          {sha: row.id for sha, row in rows.items()})


def _apply_result(s: Session, res: sync_data.Result) -> None:
    arow = _assessment(s, res.assessment["uuid"])
    assert arow is not None  # planned
    stamp = now()
    current = {r.node_code: r for r in s.scalars(
        select(NodeScoreRow).where(NodeScoreRow.assessment_id == arow.id))}
    for rec in res.scores:
        row = current.get(rec.code)
        if row is None:
            row = NodeScoreRow(assessment_id=arow.id, node_code=rec.code, updated_at=stamp)
            s.add(row)
        if (row.appraised_score, row.appraisal_comment, row.survey_score) == (
                rec.appraised, rec.comment, rec.survey):
            continue
        row.appraised_score, row.appraisal_comment = rec.appraised, rec.comment
        row.survey_score, row.updated_at = rec.survey, stamp
        row.needs_reappraisal = False
    status = res.assessment["status"]
    key = RETURNED_REASON + arow.uuid
    setting = s.get(Setting, key)
    if status == AssessmentStatus.RETURNED.value:
        if setting is None:
            setting = Setting(key=key)
            s.add(setting)
        setting.value = json.dumps({"reason": res.returned_reason, "at": stamp.isoformat()},
                                   ensure_ascii=False)
    if res.published is not None:
        p = res.published
        if arow.status in (AssessmentStatus.DRAFT.value, AssessmentStatus.RETURNED.value):
            arow.status = AssessmentStatus.SUBMITTED.value  # the appraiser's word is final
        s.flush()
        store_result(s, arow, PublishedResult(
            index=p["index_value"], points=p["points"], max_points=p["max_points"],
            rank=p["rank"], rank_of=p["rank_of"], band=p["band"],
            decision_number=p["decision_number"], decision_date=p["decision_date"],
            issuer=p["issuer"],
            areas=tuple(AreaResult(a["code"], a["points"], a["max"], a["rank"])
                        for a in p["areas"])), source="package")
        sync_ranking.apply(s, arow, res)
    else:
        arow.status = status
    arow.updated_at = stamp


def returned_reason_of(s: Session, assessment_uuid: str) -> str:
    """The reason stored with the latest return for correction ("" if none)."""
    setting = s.get(Setting, RETURNED_REASON + assessment_uuid)
    if setting is None or not setting.value:
        return ""
    try:
        return str(json.loads(setting.value)["reason"])
    except (ValueError, KeyError, TypeError):
        return setting.value
