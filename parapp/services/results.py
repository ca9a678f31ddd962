"""Published results: typed in or imported on a commune's database; ranked on the
appraiser's, where the database holds many units."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, PublishedResultRow
from parapp.domain.assessment import AssessmentStatus, FieldGroup, require_editable
from parapp.domain.criteria import CriteriaSet, Part
from parapp.domain.errors import Phrase
from parapp.domain.figures import printed_index
from parapp.domain.numbers import HUNDRED, ZERO, NumberError, normalize, to_decimal
from parapp.domain.results import AreaResult, PublishedResult, rank
from parapp.domain.text import clean
from parapp.domain.totals import Basis, compute_totals
from parapp.domain.units import LOCAL_KINDS, UnitKind

from .assessments import AppraisalEntry, _scores, apply_appraisals, find_row, load_result
from .backups import before_import
from .common import Need, ServiceError, file_error, now
from .criteria import find_set_row
from .mapping import set_from_rows
from .rankings import from_result_file

RESULT_FORMAT = "parapp-published-result"
RESULT_FORMAT_VERSION = 1


def record_result(
    db: Database,
    result: PublishedResult,
    year: int | None = None,
    source: str = "typed",
    unit_code: str | None = None,
) -> PublishedResult:
    """Store the published result and mark the assessment published."""
    with db.session() as s:
        return store_result(s, find_row(s, year, unit_code), result, source)


def amend_result(db: Database, changes: dict[str, Any], year: int | None = None) -> PublishedResult:
    """Change only the given fields of the stored result (typing a corrected rank must not
    wipe the decision typed last week); the first time, an index is needed.

    ``areas`` may hold ``(code, points, rank)`` triples; the maximum comes from the set.
    """
    with db.session() as s:
        row = find_row(s, year)
        current = load_result(s, row.id)
        areas = changes.pop("areas", None)
        if areas is not None:
            cset = set_from_rows(row.criteria_set)
            built = []
            for code, points, area_rank in areas:
                if not cset.has(code) or cset.node(code).parent_code is not None:
                    raise ServiceError("'{code}' is not an area of this criteria set.", code=code)
                built.append(AreaResult(code, points, cset.node(code).max_points, area_rank))
            changes["areas"] = tuple(built)
        if current is None:
            if changes.get("index") is None:
                raise ServiceError(
                    "The first time, give the published index.", need=Need.PUBLISHED_INDEX
                )
            result = PublishedResult(**changes)
        else:
            if "index" in changes and "band" not in changes:
                # A band that followed the set's bands follows the new index too; one the
                # decision stated otherwise stays.
                cset = set_from_rows(row.criteria_set)
                derived = cset.band_for(current.index)
                if not current.band or (derived is not None and current.band == derived.label):
                    changes["band"] = ""
            result = replace(current, **changes)
        return store_result(s, row, result, "typed")


PACKAGE = "package"  # the source of a result applied from the appraiser's result package


def store_result(
    s: Session, row: AssessmentRow, result: PublishedResult, source: str
) -> PublishedResult:
    """Inside the caller's transaction; the band comes from the set's bands when not given."""
    result.validate()  # its DomainError is already a sentence for the user
    status = AssessmentStatus(row.status)
    if status in {AssessmentStatus.DRAFT, AssessmentStatus.RETURNED}:
        raise ServiceError(
            "The {year} assessment has not been submitted yet, so it has no published "
            "result. Submit it first.",
            year=row.year,
        )
    require_editable(status, FieldGroup.RESULT)
    cset = set_from_rows(row.criteria_set)
    check_against_set(cset, result)
    if not result.band:
        band = cset.band_for(result.index)
        result = replace(result, band=band.label if band else "")
    stored = s.scalars(
        select(PublishedResultRow).where(PublishedResultRow.assessment_id == row.id)
    ).first()
    if stored is not None and stored.source == PACKAGE and source != PACKAGE:
        # The appraiser's published result and ranking, received in its signed package:
        # only a newer package from the appraiser corrects it (docs/sync-format.md).
        raise ServiceError(
            "The {year} result came from the appraiser's package, so its index, rank and "
            "decision can be corrected only by a new result package from the appraiser.",
            year=row.year,
        )
    if stored is None:
        stored = PublishedResultRow(assessment_id=row.id)
        s.add(stored)
    stored.index_value = result.index
    stored.points = result.points
    stored.max_points = result.max_points
    stored.rank = result.rank
    stored.rank_of = result.rank_of
    stored.band = clean(result.band)
    stored.decision_number = clean(result.decision_number)
    stored.decision_date = result.decision_date
    stored.issuer = clean(result.issuer)
    stored.areas_json = json.dumps(
        [
            {
                "code": a.code,
                "points": f"{normalize(a.points):f}",
                "max": f"{normalize(a.max_points):f}",
                "rank": a.rank,
            }
            for a in result.areas
        ]
    )
    stored.source = source
    stored.recorded_at = now()
    row.status = AssessmentStatus.PUBLISHED.value
    row.updated_at = now()
    return result


def check_against_set(cset: CriteriaSet, result: PublishedResult) -> None:
    """Refuse figures the set cannot produce: an index above 100 (plus the bonus, where the
    set lets the bonus exceed the maximum), points above the maximum, an area's points above
    its maximum."""
    main_max = sum((n.max_points for n in cset.roots(Part.MAIN)), ZERO)
    bonus = sum((n.max_points for n in cset.roots(Part.BONUS)), ZERO)
    top_points = main_max + (bonus if cset.bonus_may_exceed_max else ZERO)
    top_index = top_points * HUNDRED / main_max if main_max > ZERO else HUNDRED
    if result.index > top_index:
        raise ServiceError(
            "The index {index} is above {top}, the most this criteria set allows.",
            index=result.index,
            top=top_index,
        )
    maximum = result.max_points if result.max_points is not None else top_points
    if result.points is not None and result.points > maximum:
        raise ServiceError(
            "The points {points} are above the maximum {max}.", points=result.points, max=maximum
        )
    for area in result.areas:
        if not cset.has(area.code) or cset.node(area.code).parent_code is not None:
            raise ServiceError("'{code}' is not an area of this criteria set.", code=area.code)
        set_max = cset.node(area.code).max_points
        if area.max_points > set_max:  # points above area.max_points: validate() said so
            raise ServiceError(
                "Area {code}: {points} points is above its maximum {max}.",
                code=area.code,
                points=area.points,
                max=set_max,
            )


def to_points(value: Any, where: str | Phrase) -> Decimal:
    try:
        return to_decimal(value)
    except NumberError:
        raise ServiceError(
            "{where}: '{value}' is not a number.", where=where, value=value
        ) from None


def _opt_int(value: Any, where: str | Phrase) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("{where} must be a whole number.", where=where)
    return value


def parse_result_file(data: bytes) -> tuple[dict[str, Any], PublishedResult, list[AppraisalEntry]]:
    """Read a published-result file (docs/result-format.md), refusing anything invalid."""
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ServiceError("The result file is not valid JSON.") from None
    if not isinstance(doc, dict) or doc.get("format") != RESULT_FORMAT:
        raise ServiceError("This file is not a parapp published-result file.")
    version = doc.get("format_version")
    if not isinstance(version, int) or version > RESULT_FORMAT_VERSION:
        raise ServiceError("This result file uses a newer format; please update the program.")
    if doc.get("index") is None:
        raise ServiceError("The result file has no index.")
    decision_date = None
    if doc.get("decision_date"):
        try:
            decision_date = date.fromisoformat(str(doc["decision_date"]))
        except ValueError:
            raise ServiceError(
                "The decision date '{value}' is not a date (YYYY-MM-DD).",
                value=doc["decision_date"],
            ) from None
    areas = []
    for i, a in enumerate(doc.get("areas") or [], start=1):
        where = Phrase("area {i}", i=i)
        if not isinstance(a, dict) or not a.get("code"):
            raise ServiceError("{where} has no code.", where=where)
        areas.append(
            AreaResult(
                clean(str(a["code"])),
                to_points(a.get("points"), where),
                to_points(a.get("max"), where),
                _opt_int(a.get("rank"), where),
            )
        )
    result = PublishedResult(
        index=to_points(doc["index"], "index"),
        points=to_points(doc["points"], "points") if doc.get("points") is not None else None,
        max_points=to_points(doc["max_points"], "max_points")
        if doc.get("max_points") is not None
        else None,
        rank=_opt_int(doc.get("rank"), "rank"),
        rank_of=_opt_int(doc.get("rank_of"), "rank_of"),
        band=clean(doc.get("band")),
        decision_number=clean(doc.get("decision_number")),
        decision_date=decision_date,
        issuer=clean(doc.get("issuer")),
        areas=tuple(areas),
    )
    entries = []
    for i, sc in enumerate(doc.get("scores") or [], start=1):
        where = Phrase("score {i}", i=i)
        if not isinstance(sc, dict) or not sc.get("code"):
            raise ServiceError("{where} has no code.", where=where)
        entries.append(
            AppraisalEntry(
                code=clean(str(sc["code"])),
                appraised=(
                    to_points(sc["appraised"], where) if sc.get("appraised") is not None else None
                ),
                survey=to_points(sc["survey"], where) if sc.get("survey") is not None else None,
                comment=clean(sc.get("comment")) if sc.get("comment") is not None else None,
            )
        )
    return doc, result, entries


def import_result_file(db: Database, path: Path) -> PublishedResult:
    """Record appraised scores (if the file has them) and the published result, together in
    one transaction: a problem anywhere leaves the database as it was."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise file_error(path, exc) from None
    doc, result, entries = parse_result_file(data)

    before_import(db.path)
    year = doc.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise ServiceError("The result file does not say which year it is for.")
    with db.session() as s:
        row = find_row(s, year)
        if doc.get("unit_code") and clean(str(doc["unit_code"])) != row.unit.code:
            raise ServiceError(
                "This result is for unit {other}, not for {unit}.",
                other=doc["unit_code"],
                unit=row.unit.name,
            )
        if entries:
            apply_appraisals(s, row, entries, correction=True)
        stored = store_result(s, row, result, "imported")

        from_result_file(s, row, doc, stored.index)  # refused: nothing above is kept either
        return stored


@dataclass(frozen=True)
class RankRow:
    unit_code: str
    unit_name: str
    index: Decimal
    rank: int


def compute_ranking(
    db: Database, set_code: str, year: int, set_version: int | None = None
) -> list[RankRow]:
    """Rank the units in this database (the appraiser's hub) that were appraised with one
    criteria set version for ``year``, on the official basis; equal indices share a rank.

    Communes, wards, townships and special zones are ranked together, as provinces publish
    them, by the index as printed (``parapp.domain.figures``); other kinds of unit are ranked
    among their own kind. Drafts and submissions not yet appraised are left out: their
    scores are not official.
    """
    with db.session() as s:
        set_row = find_set_row(s, set_code, set_version)
        rows = s.scalars(
            select(AssessmentRow).where(
                AssessmentRow.set_id == set_row.id,
                AssessmentRow.year == year,
                AssessmentRow.status.in_(
                    [AssessmentStatus.APPRAISED.value, AssessmentStatus.PUBLISHED.value]
                ),
            )
        ).all()
        cset = set_from_rows(set_row)
        groups: dict[str, dict[str, Decimal]] = {}
        names: dict[str, str] = {}
        for row in rows:
            kind = UnitKind(row.unit.kind)
            group = "local" if kind in LOCAL_KINDS else kind.value
            totals = compute_totals(cset, _scores(s, row.id), Basis.OFFICIAL)
            # Ranked by the index as published (two decimals): equal printed indices share
            # a rank, so no reader sees 75,63 ranked above 75,63.
            groups.setdefault(group, {})[row.unit.code] = printed_index(cset, totals)
            names[row.unit.code] = row.unit.name
        out = []
        for indices in groups.values():
            ranks = rank(indices)
            out += [RankRow(code, names[code], indices[code], ranks[code]) for code in indices]
        return sorted(out, key=lambda r: (r.rank, r.unit_code))
