"""The published ranking in a result package (data schema 2; docs/sync-format.md).

A result package of data schema 2 carries ``ranking``: the province's published ranking of
the units ranked together with the recipient (public: code, name, index, rank), or null
while the recipient's result is not published. Schema 1 packages (older programs) have no
such field and are still read. The ranking is the appraiser's: only a result package
brings it (a commune's package with one is refused as an unknown field), it must give the
recipient the index its published result gives, and it comes only with that result.

Kept apart from ``sync_data``/``sync_apply``: they call :func:`parse_result`,
:func:`plan` and :func:`apply` once each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AssessmentRow, PublishedResultRow
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.criteria import CriteriaSet
from parapp.domain.numbers import normalize
from parapp.domain.units import LOCAL_KINDS, UnitKind
from parapp.domain.whatif import RankingEntry
from parapp.i18n import N_
from parapp.sync.safety import PackageError

from . import rankings, sync_data
from .common import ServiceError
from .sync_changes import NEW
from .sync_changes import change as _change

SCHEMA = 2  # the data schema of result packages that carry the ranking


@dataclass
class RankedResult(sync_data.Result):
    ranking: list[RankingEntry] | None = None


def _group(kind: str) -> str:
    unit_kind = UnitKind(kind)
    return "local" if unit_kind in LOCAL_KINDS else unit_kind.value


# -- the appraiser's side ----------------------------------------------------------------------
def build(s: Session, arow: AssessmentRow) -> dict[str, Any] | None:
    """The published ranking the recipient's unit is in: every unit of the same year, set
    version and rank group with a published result; None until the recipient's is, or when
    this database does not hold every unit its rank is out of."""
    if arow.status != AssessmentStatus.PUBLISHED.value:
        return None
    group = _group(arow.unit.kind)
    rows = s.execute(
        select(AssessmentRow, PublishedResultRow)
        .join(PublishedResultRow, PublishedResultRow.assessment_id == AssessmentRow.id)
        .where(
            AssessmentRow.year == arow.year,
            AssessmentRow.set_id == arow.set_id,
            AssessmentRow.status == AssessmentStatus.PUBLISHED.value,
        )
    ).all()
    units = [
        {
            "unit_code": a.unit.code,
            "unit_name": a.unit.name,
            "index": f"{normalize(p.index_value):f}",
            "rank": p.rank,
        }
        for a, p in rows
        if _group(a.unit.kind) == group and p.rank is not None
    ]
    own = next((p for a, p in rows if a.id == arow.id), None)
    if not units or own is None or (own.rank_of is not None and len(units) != own.rank_of):
        # A ranking this database holds only in part (results typed from other decisions)
        # would project a rank among the wrong units: none is sent.
        return None
    units.sort(key=lambda u: (u["rank"], u["unit_code"]))
    return {"units": units}


# -- the commune's side ----------------------------------------------------------------------
def parse_result(data: Any, cset: CriteriaSet, manifest: dict[str, Any]) -> RankedResult:
    """``sync_data.parse_result`` plus the ranking of a schema 2 package, checked whole."""
    raw = None
    if manifest.get("schema_version", 1) >= SCHEMA and isinstance(data, dict):
        if "ranking" not in data:
            raise sync_data._bad("data", "fields missing or unknown: {names}", names="ranking")
        data = dict(data)
        raw = data.pop("ranking")
    res = sync_data.parse_result(data, cset)
    out = RankedResult(**vars(res))
    if raw is not None:
        if not isinstance(raw, dict) or set(raw) != {"units"}:
            raise sync_data._bad("ranking", "an object with its units was expected")
        published = res.published["index_value"] if res.published else None
        try:
            out.ranking = rankings.parse_entries(raw["units"], res.unit_code, published)
        except ServiceError as exc:
            raise PackageError(
                "The published ranking in the package is not valid: {what}.",
                what=exc.params["what"],
            ) from exc
    return out


def plan(res: sync_data.Result) -> list[Any]:
    ranking = getattr(res, "ranking", None)
    if ranking is None:
        return []
    if res.published is None:
        raise PackageError(
            "The package carries a published ranking without the unit's published result: "
            "the file is inconsistent."
        )
    return [_change(NEW, N_("published ranking of {count} units"), None, count=len(ranking))]


def apply(s: Session, arow: AssessmentRow, res: sync_data.Result) -> None:
    ranking = getattr(res, "ranking", None)
    if ranking is not None and res.published is not None:
        rankings.store(s, arow, ranking, res.published["decision_number"], rankings.PACKAGE)
