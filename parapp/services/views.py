"""What a screen or report is given about one assessment, and the row-to-result mapping
that both the ORM and the start-up reader use (no SQLAlchemy here: see ``quick_view``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from parapp.domain.assessment import AssessmentInfo, AssessmentStatus, NodeScore
from parapp.domain.criteria import CriteriaSet
from parapp.domain.figures import Figures, compute_figures, criteria_source
from parapp.domain.results import AreaResult, PublishedResult
from parapp.domain.totals import Basis, Change, Totals

OFFICIAL_STATES = frozenset({AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED})


def basis_for(status: AssessmentStatus) -> Basis:
    """Totals count the appraiser's scores once the assessment is appraised."""
    return Basis.OFFICIAL if status in OFFICIAL_STATES else Basis.SELF


@dataclass(frozen=True)
class PreviousPeriod:
    year: int
    index: Decimal
    official: bool


@dataclass(frozen=True)
class AssessmentView:
    info: AssessmentInfo
    cset: CriteriaSet
    scores: dict[str, NodeScore]
    basis: Basis
    totals: Totals
    evidence_counts: dict[str, int]
    result: PublishedResult | None
    previous: PreviousPeriod | None

    def has_evidence(self, code: str) -> bool:
        """Evidence linked to the criterion or to one above it (a document filed under
        criterion 1.2 serves its sub-criteria too)."""
        node: str | None = code
        while node is not None:
            if self.evidence_counts.get(node):
                return True
            node = self.cset.node(node).parent_code
        return False

    @cached_property
    def figures(self) -> Figures:
        """What every screen and document shows (published figures first; see
        ``parapp.domain.figures``)."""
        source = criteria_source(self.scores, self.basis is Basis.OFFICIAL)
        return compute_figures(self.cset, self.totals, self.result, source)

    @property
    def index(self) -> Decimal:
        """The published index when there is one, else the index of the printed figures."""
        return self.figures.index

    @property
    def change(self) -> Change | None:
        if self.previous is None:
            return None
        return Change(self.previous.index, self.index)


def result_from_row(row: Any) -> PublishedResult:
    """A ``published_results`` row (ORM object, or the start-up reader's record)."""
    decision_date = row.decision_date
    if isinstance(decision_date, str):  # read without the ORM: SQLite keeps ISO text
        decision_date = date.fromisoformat(decision_date)
    return PublishedResult(
        index=row.index_value,
        points=row.points,
        max_points=row.max_points,
        rank=row.rank,
        rank_of=row.rank_of,
        band=row.band,
        decision_number=row.decision_number,
        decision_date=decision_date,
        issuer=row.issuer,
        areas=tuple(
            AreaResult(a["code"], Decimal(a["points"]), Decimal(a["max"]), a.get("rank"))
            for a in json.loads(row.areas_json)
        ),
    )
