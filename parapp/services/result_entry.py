"""The published result typed from the paper decision in the window (most communes get their
result this way: few provinces run the appraiser's side). The command line's ``result set``
changes field by field; the window's form is the whole decision at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from db.engine import Database
from db.models import PublishedResultRow
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.errors import Phrase
from parapp.domain.results import PublishedResult
from parapp.domain.text import clean, parse_date

from .assessments import find_row
from .common import ServiceError
from .mapping import set_from_rows
from .results import PACKAGE, amend_result, load_result, to_points

# The form's fields, in the order the decision gives them.
FIELDS = (
    "decision_number",
    "decision_date",
    "issuer",
    "index",
    "points",
    "max_points",
    "rank",
    "rank_of",
    "band",
)


@dataclass(frozen=True)
class FormArea:
    code: str
    title: str
    max_points: Decimal


@dataclass(frozen=True)
class ResultForm:
    """What the form needs: the stored result, whether the clerk may type it, the set's
    rows (areas, bonus and penalty parts) and bands."""

    year: int
    result: PublishedResult | None
    can_type: bool
    reason: Phrase | None  # why it cannot be typed, when it cannot
    areas: tuple[FormArea, ...]
    bands: tuple[str, ...]


def result_form(db: Database, year: int | None = None) -> ResultForm:
    with db.session() as s:
        row = find_row(s, year)
        cset = set_from_rows(row.criteria_set)
        status = AssessmentStatus(row.status)
        result = load_result(s, row.id)
        source = s.scalars(
            select(PublishedResultRow.source).where(PublishedResultRow.assessment_id == row.id)
        ).first()
        reason: Phrase | None = None
        if status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
            reason = Phrase(
                "The {year} self-assessment has not been submitted yet: the result can be "
                "entered once it is submitted.",
                year=row.year,
            )
        elif source == PACKAGE:
            reason = Phrase(
                "This result came in the appraiser's signed package; only a newer package "
                "from the appraiser changes it.",
            )
        return ResultForm(
            year=row.year,
            result=result,
            can_type=reason is None,
            reason=reason,
            areas=tuple(FormArea(n.code, n.title, n.max_points) for n in cset.roots()),
            bands=tuple(b.label for b in cset.bands),
        )


def _number(text: str, label: Phrase) -> Decimal | None:
    text = clean(text)
    return to_points(text, label) if text else None


def _whole(text: str, label: Phrase) -> int | None:
    text = clean(text)
    if not text:
        return None
    if not text.isdigit():
        raise ServiceError("{field}: '{value}' is not a whole number.", field=label, value=text)
    return int(text)


def _date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        raise ServiceError(
            "The decision date '{value}' is not a date (dd/mm/yyyy).", value=clean(text)
        ) from None


def save_typed_result(
    db: Database,
    year: int,
    fields: Mapping[str, str],
    areas: Mapping[str, tuple[str, str]],
) -> PublishedResult:
    """Record the decision as typed in the form: every field (an empty one is not in the
    decision), and the points and rank of each area the decision gives (an area left empty
    is not published). Checked as ``result set`` is; nothing is written on a refusal."""
    index = _number(fields.get("index", ""), Phrase("Index"))
    if index is None:
        raise ServiceError("Type the published index (Chỉ số) first: it is in every decision.")
    typed: list[tuple[str, Decimal, int | None]] = []
    for code, (points_text, rank_text) in areas.items():
        area = Phrase("Area {code}", code=code)
        points = _number(points_text, area)
        rank = _whole(rank_text, area)
        if points is None:
            if rank is not None:
                raise ServiceError("Area {code}: a rank without points.", code=code)
            continue
        typed.append((code, points, rank))
    changes: dict[str, Any] = {
        "index": index,
        "points": _number(fields.get("points", ""), Phrase("Points")),
        "max_points": _number(fields.get("max_points", ""), Phrase("Maximum")),
        "rank": _whole(fields.get("rank", ""), Phrase("Rank")),
        "rank_of": _whole(fields.get("rank_of", ""), Phrase("Units ranked")),
        "band": clean(fields.get("band", "")),
        "decision_number": clean(fields.get("decision_number", "")),
        "decision_date": _date(fields.get("decision_date", "")),
        "issuer": clean(fields.get("issuer", "")),
        "areas": typed,
    }
    return amend_result(db, changes, year=year)
