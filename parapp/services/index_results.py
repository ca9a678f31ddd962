"""Results of the other indices a plan covers (SIPAS, PAPI, DTI, Dân vận ...), by year.

The assessed index (PAR) has its own result with its assessment (``services.results``);
these are the others, typed from their decisions or imported from a file
(docs/result-format.md, "Other indices"), one per index and year. A plan for year Y
prints those of year Y - 1 in its parts, one part per index.
"""

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
from db.models import IndexResultRow, UnitRow
from parapp.domain.criteria import IndexKind
from parapp.domain.errors import DomainError
from parapp.domain.results import PublishedResult
from parapp.domain.text import clean

from .common import UNIT_UNKNOWN, Need, NotFound, ServiceError, now
from .results import to_points

FORMAT = "parapp-index-results"
FORMAT_VERSION = 1
KINDS = tuple(k.value for k in IndexKind if k is not IndexKind.PAR)
_FIELDS = (
    "index", "points", "max_points", "rank", "rank_of", "band", "decision_number",
    "decision_date", "issuer",
)  # fmt: skip


@dataclass(frozen=True)
class IndexResult:
    kind: str  # an IndexKind value other than PAR
    year: int  # the year the result is about (2023, published in 2024)
    result: PublishedResult  # ``index`` is the value: a satisfaction %, a PAPI score ...


def index_kind(text: str) -> str:
    """ "sipas", "Dân vận", "dan-van" -> an IndexKind value; PAR is the assessment's own."""
    value = clean(text).upper().replace("-", "_").replace(" ", "_")
    value = {"DÂN_VẬN": "DAN_VAN", "PCI": "OTHER"}.get(value, value)
    if value not in KINDS:
        raise ServiceError(
            "'{kind}' is not another index this program knows; use one of {kinds}.",
            kind=clean(text),
            kinds=", ".join(KINDS),
        )
    return value


def _own(s: Session) -> UnitRow:
    row = s.scalars(select(UnitRow).where(UnitRow.is_self.is_(True))).first()
    if row is None:
        raise NotFound(UNIT_UNKNOWN, need=Need.UNIT_IDENTITY)
    return row


def _find(s: Session, unit: UnitRow, kind: str, year: int) -> IndexResultRow | None:
    return s.scalars(
        select(IndexResultRow).where(
            IndexResultRow.unit_id == unit.id,
            IndexResultRow.year == year,
            IndexResultRow.index_kind == kind,
        )
    ).first()


def _result(row: IndexResultRow) -> PublishedResult:
    return PublishedResult(
        index=row.value,
        points=row.points,
        max_points=row.max_points,
        rank=row.rank,
        rank_of=row.rank_of,
        band=row.band,
        decision_number=row.decision_number,
        decision_date=row.decision_date,
        issuer=row.issuer,
    )


def _check(result: PublishedResult) -> None:
    try:
        result.validate()
    except DomainError as exc:
        raise ServiceError(exc.template, **exc.params) from None
    points, maximum = result.points, result.max_points
    if points is not None and maximum is not None and points > maximum:
        raise ServiceError("The points cannot be more than the maximum.")


def _store(s: Session, unit: UnitRow, kind: str, year: int, result: PublishedResult) -> None:
    _check(result)
    row = _find(s, unit, kind, year)
    if row is None:
        row = IndexResultRow(unit_id=unit.id, year=year, index_kind=kind)
        s.add(row)
    row.value = result.index
    row.points, row.max_points = result.points, result.max_points
    row.rank, row.rank_of = result.rank, result.rank_of
    row.band = clean(result.band)
    row.decision_number = clean(result.decision_number)
    row.decision_date = result.decision_date
    row.issuer = clean(result.issuer)
    row.recorded_at = now()


def set_result(db: Database, kind: str, year: int, changes: dict[str, Any]) -> IndexResult:
    """Type in (or correct) the result of ``kind`` for ``year``: only the given fields
    change; the first time the value (``index``) is needed."""
    kind = index_kind(kind)
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise ServiceError("Unknown result field: {field}.", field=", ".join(sorted(unknown)))
    with db.session() as s:
        unit = _own(s)
        row = _find(s, unit, kind, year)
        if row is None:
            if changes.get("index") is None:
                raise ServiceError(
                    "The first time, give the index's value.", need=Need.INDEX_VALUE
                )
            result = PublishedResult(**changes)
        else:
            result = replace(_result(row), **changes)
        _store(s, unit, kind, year, result)
    return IndexResult(kind, year, result)


def list_results(db: Database, year: int | None = None) -> list[IndexResult]:
    """The office's results of other indices, by year then in the indices' order."""
    with db.session() as s:
        unit = _own(s)
        query = select(IndexResultRow).where(IndexResultRow.unit_id == unit.id)
        if year is not None:
            query = query.where(IndexResultRow.year == year)
        rows = s.scalars(query).all()
        found = [IndexResult(r.index_kind, r.year, _result(r)) for r in rows]
    return sorted(found, key=lambda r: (r.year, KINDS.index(r.kind)))


def remove_result(db: Database, kind: str, year: int) -> IndexResult:
    kind = index_kind(kind)
    with db.session() as s:
        row = _find(s, _own(s), kind, year)
        if row is None:
            raise NotFound("There is no {kind} result for {year}.", kind=kind, year=year)
        gone = IndexResult(kind, year, _result(row))
        s.delete(row)
    return gone


def _opt_int(value: Any, where: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("{where} must be a whole number.", where=where)
    return value


def _entry(raw: Any, number: int) -> tuple[str, int, PublishedResult]:
    where = f"results[{number}]"
    if not isinstance(raw, dict):
        raise ServiceError("{where} must be an object.", where=where)
    year = _opt_int(raw.get("year"), f"{where}.year")
    if year is None or raw.get("value") in (None, ""):
        raise ServiceError("{where} needs a kind, a year and a value.", where=where)
    when = raw.get("decision_date")
    try:
        decided = date.fromisoformat(when) if when else None
    except (TypeError, ValueError):
        raise ServiceError("{where}.decision_date must be YYYY-MM-DD.", where=where) from None

    def number_or_none(key: str) -> Decimal | None:
        value = raw.get(key)
        return None if value in (None, "") else to_points(value, f"{where}.{key}")

    result = PublishedResult(
        index=to_points(raw.get("value"), f"{where}.value"),
        points=number_or_none("points"),
        max_points=number_or_none("max_points"),
        rank=_opt_int(raw.get("rank"), f"{where}.rank"),
        rank_of=_opt_int(raw.get("rank_of"), f"{where}.rank_of"),
        band=clean(str(raw.get("band") or "")),
        decision_number=clean(str(raw.get("decision_number") or "")),
        decision_date=decided,
        issuer=clean(str(raw.get("issuer") or "")),
    )
    return index_kind(str(raw.get("kind") or "")), year, result


def import_file(db: Database, path: Path) -> list[IndexResult]:
    """Read a ``parapp-index-results`` file; every entry is checked before any is stored."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ServiceError("'{file}' is not a JSON file.", file=path.name) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ServiceError("'{file}' is not an index results file.", file=path.name)
    if data.get("format_version") != FORMAT_VERSION:
        raise ServiceError(
            "'{file}' is of a newer format; update the program to read it.", file=path.name
        )
    raw = data.get("results")
    if not isinstance(raw, list) or not raw:
        raise ServiceError("'{file}' lists no results.", file=path.name)
    entries = [_entry(item, n) for n, item in enumerate(raw)]
    for _kind, _year, result in entries:
        _check(result)
    with db.session() as s:
        unit = _own(s)
        for kind, year, result in entries:
            _store(s, unit, kind, year, result)
    return [IndexResult(k, y, r) for k, y, r in entries]


__all__ = [
    "FORMAT", "KINDS", "IndexResult", "import_file", "index_kind", "list_results",
    "remove_result", "set_result",
]  # fmt: skip
