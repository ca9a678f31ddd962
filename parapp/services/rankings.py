"""The province's published ranking, kept at the commune for the what-if's projected rank.

The ranking is public (each unit's code, name, index and rank) and the appraiser's: it
reaches the commune with the result (the result package of data schema 2, see
``sync_ranking``, or the result file's ``ranking``) and is never typed or edited here; a
newer result replaces it. One ranking per assessment of this office (its year and set).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AssessmentRow, PublishedRankingRow
from parapp.domain.errors import Phrase
from parapp.domain.numbers import HUNDRED, ZERO, NumberError, normalize, to_decimal
from parapp.domain.text import clean
from parapp.domain.whatif import RankingEntry

from .common import ServiceError, now

PACKAGE, FILE = "package", "file"
MAX_UNITS = 5_000  # a province has a few hundred communes and wards


@dataclass(frozen=True)
class StoredRanking:
    year: int
    entries: tuple[RankingEntry, ...]  # in rank order
    decision_number: str = ""
    source: str = PACKAGE

    @property
    def size(self) -> int:
        return len(self.entries)


def entries_json(entries: Sequence[RankingEntry]) -> str:
    return json.dumps(
        [
            {
                "unit_code": e.unit_code,
                "unit_name": e.unit_name,
                "index": f"{normalize(e.index):f}",
                "rank": e.rank,
            }
            for e in entries
        ],
        ensure_ascii=False,
    )


def _entries(text: str) -> tuple[RankingEntry, ...]:
    return tuple(
        RankingEntry(e["unit_code"], e["unit_name"], Decimal(e["index"]), int(e["rank"]))
        for e in json.loads(text or "[]")
    )


def store(
    s: Session,
    arow: AssessmentRow,
    entries: Sequence[RankingEntry],
    decision_number: str = "",
    source: str = PACKAGE,
) -> None:
    """Keep (or replace) the ranking published with ``arow``'s result, in the caller's
    transaction; the entries were checked where they came in."""
    row = s.scalars(
        select(PublishedRankingRow).where(PublishedRankingRow.assessment_id == arow.id)
    ).first()
    if row is None:
        row = PublishedRankingRow(assessment_id=arow.id)
        s.add(row)
    ordered = sorted(entries, key=lambda e: (e.rank, e.unit_code))
    row.year = arow.year
    row.entries_json = entries_json(ordered)
    row.decision_number = clean(decision_number)
    row.source = source
    row.recorded_at = now()


def latest(s: Session, unit_id: int, year: int | None = None) -> StoredRanking | None:
    """The last ranking this office has: of ``year`` when given and held, else the latest
    one up to that year."""
    query = (
        select(PublishedRankingRow)
        .join(AssessmentRow, AssessmentRow.id == PublishedRankingRow.assessment_id)
        .where(AssessmentRow.unit_id == unit_id)
    )
    if year is not None:
        query = query.where(PublishedRankingRow.year <= year)
    row = s.scalars(
        query.order_by(PublishedRankingRow.year.desc(), PublishedRankingRow.id.desc())
    ).first()
    if row is None:
        return None
    return StoredRanking(row.year, _entries(row.entries_json), row.decision_number, row.source)


def _refuse(what: Phrase) -> ServiceError:
    return ServiceError("The published ranking is not valid: {what}.", what=what)


def parse_entries(raw: Any, own_code: str, own_index: Decimal | None) -> list[RankingEntry]:
    """The ranking's units as a package or a result file writes them (``unit_code``,
    ``unit_name``, ``index`` as decimal text, ``rank``), checked whole: one sentence for
    the first fault. The office's own unit, when listed, must have the result's index."""
    if not isinstance(raw, list) or not raw:
        raise _refuse(Phrase("it is not a list of units"))
    if len(raw) > MAX_UNITS:
        raise _refuse(Phrase("it lists {count} units", count=len(raw)))
    out: list[RankingEntry] = []
    seen: set[str] = set()
    for i, value in enumerate(raw, start=1):
        if not isinstance(value, dict) or set(value) != {"unit_code", "unit_name", "index", "rank"}:
            raise _refuse(Phrase("unit {i} needs unit_code, unit_name, index and rank", i=i))
        code, name = value["unit_code"], value["unit_name"]
        if not isinstance(code, str) or not 0 < len(clean(code)) <= 32 or "\x00" in code:
            raise _refuse(Phrase("unit {i} has no valid code", i=i))
        if not isinstance(name, str) or len(name) > 200 or "\x00" in name:
            raise _refuse(Phrase("unit {i} has no valid name", i=i))
        code = clean(code)
        if code in seen:
            raise _refuse(Phrase("unit {code} is listed twice", code=code))
        seen.add(code)
        try:
            if not isinstance(value["index"], str):
                raise NumberError("not text")
            index = to_decimal(value["index"])
        except NumberError:
            raise _refuse(Phrase("the index of unit {code} is not a number", code=code)) from None
        if not ZERO <= index <= 2 * HUNDRED:
            raise _refuse(Phrase("the index of unit {code} is not from 0 to 200", code=code))
        rank = value["rank"]
        if type(rank) is not int or not 1 <= rank <= len(raw):
            raise _refuse(
                Phrase(
                    "the rank of unit {code} is not from 1 to {count}", code=code, count=len(raw)
                )
            )
        if code == own_code and own_index is not None and index != own_index:
            raise _refuse(
                Phrase(
                    "it gives this unit the index {index}, not the published {published}",
                    index=index,
                    published=own_index,
                )
            )
        out.append(RankingEntry(code, clean(name), index, rank))
    return out


def from_result_file(s: Session, arow: AssessmentRow, doc: dict[str, Any], index: Decimal) -> int:
    """The result file's optional ``ranking`` (docs/result-format.md), kept with the
    result; how many units it lists (0: none given)."""
    raw = doc.get("ranking")
    if raw is None:
        return 0
    entries = parse_entries(raw, arow.unit.code, index)
    store(s, arow, entries, clean(str(doc.get("decision_number") or "")), FILE)
    return len(entries)
