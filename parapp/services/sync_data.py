"""The records inside a package's ``data.json`` (schema version 1): built from the database
on export, checked value by value on import before anything is written.

Every incoming value is checked here, so the import can plan and apply without meeting a
surprise half-way: text is NFC and bounded, points are exact decimals within the node's
rule, codes exist in the criteria set, dates parse.
"""

from __future__ import annotations

import json
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    AssessmentRow,
    EvidenceLinkRow,
    EvidenceRow,
    NodeScoreRow,
    PlanItemRow,
    PlanRow,
    PublishedResultRow,
    UnitRow,
)
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.completeness import GapKind
from parapp.domain.criteria import CriteriaSet, ScoreKind
from parapp.domain.errors import DomainError, Phrase
from parapp.domain.filenames import safe_name
from parapp.domain.numbers import to_decimal
from parapp.domain.remediation import ItemStatus
from parapp.domain.scoring import Declared, check_score, resolve_self_score
from parapp.domain.text import clean
from parapp.domain.units import UnitKind
from parapp.sync.safety import PackageError, short_names

from .history import check_rows
from .plan_rows import KIND_REMEDIATION
from .submission import MAX_REASON, SubmissionNote

MAX_TEXT = 20_000  # an explanation longer than ten pages is a broken file, not a clerk
MAX_SHORT = 500
# Each a file of its own in the package, created and synced on import (docs/sync-format.md,
# "Size limits").
MAX_DOCUMENTS = 2_000
DECLARED_KEYS = {"answer", "tier", "numerator", "denominator", "count"}


def _bad(where: str, what: str, **params: Any) -> PackageError:
    """A refusal naming the place in data.json; ``what`` is a translatable phrase (the
    extractor knows ``_bad`` takes its template second)."""
    return PackageError("The package's data is not valid at {where}: {what}.",
                        where=where[:80], what=Phrase(what, **params))


def _dec_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


# -- reading helpers ---------------------------------------------------------------------
def _obj(value: Any, where: str, keys: set[str],
         optional: frozenset[str] | set[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise _bad(where, "an object was expected")
    missing = keys - set(value)
    unknown = set(value) - keys - optional
    if missing or unknown:
        raise _bad(where, "fields missing or unknown: {names}",
                   names=short_names({str(n) for n in missing | unknown}))
    return value


def _list(value: Any, where: str, limit: int = 100_000) -> list:
    if not isinstance(value, list):
        raise _bad(where, "a list was expected")
    if len(value) > limit:
        raise _bad(where, "too many entries ({count})", count=len(value))
    return value


def _text(value: Any, where: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise _bad(where, "text was expected")
    if len(value) > limit:
        raise _bad(where, "the text is too long ({size} characters)", size=len(value))
    if "\x00" in value:
        raise _bad(where, "the text contains a null character")
    return clean(value)


def _points(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str):  # numbers travel as text: JSON numbers are floats
        raise _bad(where, "points must be written as text, e.g. \"1.5\"")
    try:
        return to_decimal(value)
    except (DomainError, ValueError) as exc:
        raise _bad(where, "'{value}' is not a number of points", value=value[:40]) from exc


def _day(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise _bad(where, "'{value}' is not a date (YYYY-MM-DD)", value=str(value)[:40]) from exc


def _int(value: Any, where: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _bad(where, "a whole number from {low} to {high} was expected", low=low, high=high)
    return value


def _rank(value: Any, where: str) -> int | None:
    return None if value is None else _int(value, where, 1, 100_000)


def _scored(value: Any, where: str, cset: CriteriaSet, seen: set[str]) -> str:
    """A criterion code that takes a score in ``cset``, not in ``seen`` yet (added)."""
    code = _text(value, f"{where}.code", 32)
    if not cset.has(code) or cset.node(code).rule is None:
        raise _bad(where, "there is no criterion '{code}' to score in set {set}",
                   code=code, set=cset.code)
    if code in seen:
        raise _bad(where, "criterion '{code}' is listed twice", code=code)
    seen.add(code)
    return code


# -- the unit and the assessment ---------------------------------------------------------
UNIT_FIELDS = ("code", "name", "kind", "appraiser_code", "appraiser_name", "province_name")


def unit_record(row: UnitRow) -> dict[str, str]:
    return {k: getattr(row, k) for k in UNIT_FIELDS}


def parse_unit(value: Any) -> dict[str, str]:
    u = _obj(value, "unit", set(UNIT_FIELDS))
    out = {k: _text(u[k], f"unit.{k}", MAX_SHORT) for k in u}
    try:
        UnitKind(out["kind"])
    except ValueError as exc:
        raise _bad("unit.kind", "unknown kind of unit '{kind}'", kind=out["kind"][:40]) from exc
    if not out["code"] or not out["name"]:
        raise _bad("unit", "a unit needs a code and a name")
    return out


def assessment_record(row: AssessmentRow) -> dict[str, Any]:
    return {"uuid": row.uuid, "year": row.year, "status": row.status}


def parse_assessment(value: Any) -> dict[str, Any]:
    a = _obj(value, "assessment", {"uuid", "year", "status"})
    try:
        uuid_module.UUID(str(a["uuid"]))
        AssessmentStatus(a["status"])
    except ValueError as exc:
        raise _bad("assessment", "bad uuid or status") from exc
    return {"uuid": str(a["uuid"]), "year": _int(a["year"], "assessment.year", 2000, 2100),
            "status": a["status"]}


# -- submission: the commune's side ------------------------------------------------------
@dataclass
class SelfRecord:
    code: str
    declared: Declared
    self_score: Decimal | None
    not_applicable: bool
    explanation: str


@dataclass
class EvidenceRecord:
    sha256: str
    filename: str
    title: str
    doc_number: str
    doc_date: date | None
    size: int
    nodes: list[str]


@dataclass
class Submission:
    unit: dict[str, str]
    assessment: dict[str, Any]
    scores: list[SelfRecord]
    evidence: list[EvidenceRecord]
    plan: dict[str, Any] | None
    history: list[dict[str, Any]] = field(default_factory=list)
    incomplete: Any = None  # a submission.SubmissionNote: submitted incomplete, and why


def _scores(s: Session, arow: AssessmentRow) -> list[NodeScoreRow]:
    return list(s.scalars(select(NodeScoreRow).where(NodeScoreRow.assessment_id == arow.id)
                          .order_by(NodeScoreRow.node_code)))


def build_submission(s: Session, arow: AssessmentRow, history: list[dict[str, Any]]) -> dict:
    scores = _scores(s, arow)
    links: dict[int, list[str]] = {}
    for link in s.scalars(select(EvidenceLinkRow).where(EvidenceLinkRow.assessment_id == arow.id)):
        links.setdefault(link.evidence_id, []).append(link.node_code)
    evidence = s.scalars(select(EvidenceRow).where(EvidenceRow.id.in_(links))).all()
    plan = s.scalars(select(PlanRow).where(PlanRow.assessment_id == arow.id,
                                           PlanRow.kind == KIND_REMEDIATION)).first()
    return {
        "unit": unit_record(arow.unit),
        "assessment": assessment_record(arow),
        "scores": [
            {"code": r.node_code, "declared": json.loads(r.declared_json or "{}"),
             "self_score": _dec_text(r.self_score), "not_applicable": r.not_applicable,
             "explanation": r.explanation}
            for r in scores
        ],
        "evidence": [
            {"sha256": e.sha256, "filename": e.filename, "title": e.title, "size": e.size,
             "doc_number": e.doc_number, "nodes": sorted(links[e.id]),
             "doc_date": e.doc_date.isoformat() if e.doc_date else None}
            for e in sorted(evidence, key=lambda e: e.sha256)
        ],
        "plan": plan_record(plan) if plan is not None else None,
        "history": history,
    }


def parse_submission(data: Any, cset: CriteriaSet,
                     evidence_in_package: dict[str, int]) -> Submission:
    """``evidence_in_package``: the SHA-256 and size of each evidence file the manifest lists."""
    d = _obj(data, "data", {"unit", "assessment", "scores", "evidence", "plan", "history"},
             {"incomplete"})  # optional: older packages do not have it
    unit = parse_unit(d["unit"])
    assessment = parse_assessment(d["assessment"])
    scores: list[SelfRecord] = []
    seen: set[str] = set()
    for i, raw in enumerate(_list(d["scores"], "scores", 5_000)):
        where = f"scores[{i}]"
        r = _obj(raw, where, {"code", "declared", "self_score", "not_applicable", "explanation"})
        code = _scored(r["code"], where, cset, seen)
        node = cset.node(code)
        if not isinstance(r["declared"], dict) or len(json.dumps(r["declared"])) > MAX_SHORT:
            raise _bad(f"{where}.declared", "an object was expected")
        odd = set(r["declared"]) - DECLARED_KEYS
        if odd:
            raise _bad(f"{where}.declared", "unknown declared data: {names}",
                       names=short_names({str(k) for k in odd}))
        try:
            declared = Declared.from_dict(r["declared"])
        except (DomainError, ValueError, TypeError) as exc:
            raise _bad(f"{where}.declared", "the declared data cannot be read") from exc
        score = _points(r["self_score"], f"{where}.self_score")
        if type(r["not_applicable"]) is not bool:
            raise _bad(f"{where}.not_applicable", "true or false was expected")
        if ScoreKind.SELF in node.score_kinds and (score is not None or declared.to_dict()):
            assert node.rule is not None
            try:
                outcome = resolve_self_score(node.rule, declared, score, node.max_points,
                                             cset.na_policy)
            except DomainError as exc:
                raise _bad(where, "criterion {code}: {reason}", code=code, reason=exc) from exc
            score = outcome.score
        elif score is not None:
            raise _bad(where, "criterion {code} takes no self score", code=code)
        scores.append(SelfRecord(code, declared, score, r["not_applicable"],
                                 _text(r["explanation"], f"{where}.explanation")))
    evidence: list[EvidenceRecord] = []
    for i, raw in enumerate(_list(d["evidence"], "evidence", MAX_DOCUMENTS)):
        where = f"evidence[{i}]"
        e = _obj(raw, where, {"sha256", "filename", "title", "doc_number", "doc_date", "size",
                              "nodes"})
        sha = str(e["sha256"])
        if sha not in evidence_in_package:
            raise _bad(where, "its file {sha} is not in the package", sha=sha[:64])
        size = _int(e["size"], f"{where}.size", 0, 2**40)
        if size != evidence_in_package[sha]:
            raise _bad(f"{where}.size", "the size {size} differs from its file's {actual} "
                       "bytes", size=size, actual=evidence_in_package[sha])
        nodes = [_text(c, f"{where}.nodes", 32) for c in _list(e["nodes"], f"{where}.nodes")]
        for code in nodes:
            if not cset.has(code):
                raise _bad(where, "there is no criterion '{code}' in set {set}",
                           code=code, set=cset.code)
        evidence.append(EvidenceRecord(
            # The sender's text, not a path: a safe base name (no "../", drive, control
            # characters; bounded), which is all that is ever stored or written.
            sha, safe_name(_text(e["filename"], f"{where}.filename", MAX_SHORT), sha[:12]),
            _text(e["title"], f"{where}.title", 2_000),
            _text(e["doc_number"], f"{where}.doc_number", 100),
            _day(e["doc_date"], f"{where}.doc_date"), size, nodes))
    plan = parse_plan(d["plan"]) if d["plan"] is not None else None
    history = parse_history(d["history"])
    note = (parse_note(d["incomplete"], {n.code for n in cset.nodes})
            if d.get("incomplete") is not None else None)
    return Submission(unit, assessment, scores, evidence, plan, history, note)


def parse_note(value: Any, known: set[str]) -> SubmissionNote:
    """Check a package's ``incomplete`` record; ``known``: the set's criterion codes."""
    d = _obj(value, "incomplete", {"reason", "missing"})
    reason = _text(d["reason"], "incomplete.reason", MAX_REASON)
    if not reason:
        raise _bad("incomplete.reason", "the reason is empty")
    missing: list[tuple[str, GapKind]] = []
    for i, raw in enumerate(_list(d["missing"], "incomplete.missing", 5_000)):
        where = f"incomplete.missing[{i}]"
        m = _obj(raw, where, {"code", "gap"})
        code = _text(m["code"], f"{where}.code", 32)
        if code not in known:
            raise _bad(where, "there is no criterion '{code}' in this set", code=code)
        try:
            gap = GapKind(m["gap"])
        except ValueError as exc:
            raise _bad(f"{where}.gap", "unknown kind of gap") from exc
        missing.append((code, gap))
    return SubmissionNote(reason, missing)


# -- the plan (submission and progress) --------------------------------------------------
ITEM_FIELDS = ("uuid", "position", "node_codes", "shortcoming", "points_lost", "tasks", "lead",
               "coordinating", "product", "deadline_text", "status", "progress", "updates")
# An item's texts and their limits, in characters.
ITEM_TEXTS = {"uuid": 36, "shortcoming": MAX_TEXT, "tasks": MAX_TEXT, "lead": 2_000,
              "coordinating": 2_000, "product": 2_000, "deadline_text": MAX_SHORT}


def plan_record(plan: PlanRow) -> dict[str, Any]:
    return {
        "uuid": plan.uuid,
        "year": plan.year,
        "revision": plan.revision,
        "items": [_item_record(it) for it in plan.items],
    }


def _item_record(it: PlanItemRow) -> dict[str, Any]:
    record = {k: getattr(it, k) for k in ITEM_FIELDS if k not in ("node_codes", "points_lost",
                                                                  "updates")}
    record["node_codes"] = [c for c in it.node_codes.split(",") if c]
    record["points_lost"] = _dec_text(it.points_lost)
    record["updates"] = [{"on_date": u.on_date.isoformat(), "percent": u.percent,
                          "note": u.note} for u in it.updates]
    return record


def parse_plan(value: Any) -> dict[str, Any]:
    p = _obj(value, "plan", {"uuid", "year", "revision", "items"})
    items = []
    for i, raw in enumerate(_list(p["items"], "plan.items", 2_000)):
        where = f"plan.items[{i}]"
        it = _obj(raw, where, set(ITEM_FIELDS))
        try:
            ItemStatus(it["status"])
        except ValueError as exc:
            raise _bad(f"{where}.status", "unknown status") from exc
        updates = []
        for j, u in enumerate(_list(it["updates"], f"{where}.updates", 1_000)):
            u = _obj(u, f"{where}.updates[{j}]", {"on_date", "percent", "note"})
            updates.append({"on_date": _day(u["on_date"], f"{where}.updates[{j}]"),
                            "percent": _int(u["percent"], f"{where}.updates[{j}]", 0, 100),
                            "note": _text(u["note"], f"{where}.updates[{j}].note")})
        item: dict[str, Any] = {k: _text(it[k], f"{where}.{k}", limit)
                                for k, limit in ITEM_TEXTS.items()}
        item.update(position=_int(it["position"], f"{where}.position", 0, 100_000),
                    node_codes=[_text(c, where, 32) for c in _list(it["node_codes"], where, 500)],
                    points_lost=_points(it["points_lost"], f"{where}.points_lost"),
                    status=it["status"], progress=_int(it["progress"], f"{where}.progress", 0, 100),
                    updates=updates)
        items.append(item)
    return {"uuid": _text(p["uuid"], "plan.uuid", 36), "year": _int(p["year"], "plan.year",
            2000, 2100), "revision": _int(p["revision"], "plan.revision", 1, 1000),
            "items": items}


def parse_history(value: Any) -> list[dict[str, Any]]:
    rows = []
    check_rows(_list(value, "history", 200_000))
    for i, raw in enumerate(value):
        where = f"history[{i}]"
        if not isinstance(raw, dict) or len(raw) > 12:
            raise _bad(where, "an object was expected")
        rows.append({str(k)[:64]: _text(v, where) if isinstance(v, str) else v
                     for k, v in raw.items() if isinstance(v, (str, int, type(None)))})
    return rows


# -- result: the appraiser's side --------------------------------------------------------
@dataclass
class AppraisalRecord:
    code: str
    appraised: Decimal | None
    comment: str
    survey: Decimal | None


@dataclass
class Result:
    unit_code: str
    assessment: dict[str, Any]
    scores: list[AppraisalRecord]
    published: dict[str, Any] | None
    returned_reason: str


def build_result(s: Session, arow: AssessmentRow, returned_reason: str) -> dict[str, Any]:
    scores = _scores(s, arow)
    pub = s.scalars(select(PublishedResultRow).where(
        PublishedResultRow.assessment_id == arow.id)).first()
    published = None
    if pub is not None:
        published = {k: _dec_text(getattr(pub, k)) for k in ("index_value", "points",
                                                               "max_points")}
        published.update({k: getattr(pub, k) for k in ("rank", "rank_of", "band",
                                                       "decision_number", "issuer")})
        published["decision_date"] = pub.decision_date.isoformat() if pub.decision_date else None
        published["areas"] = json.loads(pub.areas_json or "[]")
    return {
        "unit_code": arow.unit.code,
        "assessment": assessment_record(arow),
        "scores": [
            {"code": r.node_code, "appraised_score": _dec_text(r.appraised_score),
             "appraisal_comment": r.appraisal_comment,
             "survey_score": _dec_text(r.survey_score)}
            for r in scores
            if r.appraised_score is not None or r.survey_score is not None
            or r.appraisal_comment
        ],
        "published": published,
        "returned_reason": returned_reason,
    }


def parse_result(data: Any, cset: CriteriaSet) -> Result:
    d = _obj(data, "data", {"unit_code", "assessment", "scores", "published",
                            "returned_reason"})
    assessment = parse_assessment(d["assessment"])
    records = []
    seen: set[str] = set()
    for i, raw in enumerate(_list(d["scores"], "scores", 5_000)):
        where = f"scores[{i}]"
        r = _obj(raw, where, {"code", "appraised_score", "appraisal_comment", "survey_score"})
        code = _scored(r["code"], where, cset, seen)
        node = cset.node(code)
        appraised = _points(r["appraised_score"], f"{where}.appraised_score")
        survey = _points(r["survey_score"], f"{where}.survey_score")
        for value, kind in ((appraised, ScoreKind.SELF), (survey, ScoreKind.SURVEY)):
            if value is None:
                continue
            if kind not in node.score_kinds:
                raise _bad(where, "criterion {code} has no {kind} score", code=code, kind=kind)
            assert node.rule is not None
            try:
                check_score(node.rule, value, node.max_points)
            except DomainError as exc:
                raise _bad(where, "criterion {code}: {reason}", code=code, reason=exc) from exc
        records.append(AppraisalRecord(code, appraised,
                                       _text(r["appraisal_comment"], f"{where}.comment"), survey))
    published: dict[str, Any] | None = None
    if d["published"] is not None:
        p = _obj(d["published"], "published", {"index_value", "points", "max_points", "rank",
                                               "rank_of", "band", "decision_number",
                                               "decision_date", "issuer", "areas"})
        index = _points(p["index_value"], "published.index_value")
        if index is None or not Decimal(0) <= index <= Decimal(200):  # bonus may pass 100
            raise _bad("published.index_value", "the index must be from 0 to 200")
        texts = (("band", 64), ("decision_number", 100), ("issuer", MAX_SHORT))
        published = {k: _text(p[k], f"published.{k}", limit) for k, limit in texts}
        published.update(
            index_value=index, points=_points(p["points"], "published.points"),
            max_points=_points(p["max_points"], "published.max_points"),
            rank=_rank(p["rank"], "published.rank"),
            rank_of=_rank(p["rank_of"], "published.rank_of"),
            decision_date=_day(p["decision_date"], "published.decision_date"),
            areas=[_area(a, cset, i) for i, a in enumerate(_list(p["areas"], "areas", 100))])
    return Result(_text(d["unit_code"], "unit_code", 32), assessment, records, published,
                  _text(d["returned_reason"], "returned_reason"))


def _area(value: Any, cset: CriteriaSet, i: int) -> dict[str, Any]:
    where = f"published.areas[{i}]"
    a = _obj(value, where, {"code", "points", "max"}, {"rank"})
    code = _text(a["code"], where, 32)
    if not cset.has(code) or cset.node(code).parent_code is not None:
        raise _bad(where, "'{code}' is not an area of set {set}", code=code, set=cset.code)
    points, maximum = _points(a["points"], where), _points(a["max"], where)
    if points is None or maximum is None or not Decimal(0) <= points <= maximum:
        raise _bad(where, "the area's points must be from 0 to its maximum")
    return {"code": code, "points": points, "max": maximum, "rank": _rank(a.get("rank"), where)}
