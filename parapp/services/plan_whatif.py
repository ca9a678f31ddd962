"""What-if for a remediation plan: the points each item can win back and the projected
points, index and rank if the selected items (or all of them) are done.

The rule is ``parapp.domain.whatif``'s, on the printed figures of the assessment the plan
answers (its own, else the unit's assessment of the year before the plan's). The rank is
projected against the last published ranking this office has (``rankings``); without one
no rank is projected and ``rank_reason`` says why.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, PlanRow
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.errors import Phrase
from parapp.domain.figures import compute_figures, criteria_source
from parapp.domain.remediation import ItemStatus
from parapp.domain.totals import Basis, compute_totals
from parapp.domain.whatif import Projection, project, projected_rank

from . import rankings
from .assessments import _scores
from .common import NotFound, ServiceError
from .mapping import set_from_rows
from .plan_numbers import NumberedItem, Order, item_at, plan_set, snapshot
from .plans import KIND_REMEDIATION, _plan_row
from .results import load_result
from .views import basis_for


@dataclass(frozen=True)
class ItemWhatIf:
    number: int  # as the plan prints it
    item_id: str
    points: Decimal  # what it can win back, each lost point counted once in plan order
    alone: Decimal  # what it answers, points an earlier item counts included
    measurable: bool  # it names a scored criterion or an area's remainder
    done: bool


@dataclass(frozen=True)
class WhatIf:
    plan_year: int
    assessment_year: int
    items: dict[str, ItemWhatIf]  # by item id, in plan order
    selected: tuple[str, ...]  # the ids assumed done, in plan order
    points: Decimal  # printed today
    index: Decimal
    max_points: Decimal
    recoverable: Decimal  # all items
    recovered: Decimal  # the selected items
    projected_points: Decimal
    projected_index: Decimal
    pending_areas: tuple[str, ...]  # survey results not known: nothing projected there
    done_recovered: Decimal  # finished items: expected ("dự kiến") until the next appraisal
    done_points: Decimal  # the total if what the finished items answer is published
    done_index: Decimal
    projected_rank: int | None = None
    rank_of: int | None = None
    current_rank: int | None = None  # the unit's rank in that ranking
    ranking_year: int | None = None
    rank_reason: Phrase | None = None  # why no rank is projected

    @property
    def gain(self) -> Decimal:
        return self.projected_points - self.points

    def by_number(self) -> list[ItemWhatIf]:
        return sorted(self.items.values(), key=lambda i: i.number)


def _assessment(s: Session, plan: PlanRow) -> AssessmentRow:
    arow = s.get(AssessmentRow, plan.assessment_id) if plan.assessment_id else None
    if arow is None:
        arow = s.scalars(
            select(AssessmentRow).where(
                AssessmentRow.unit_id == plan.unit_id, AssessmentRow.year == plan.year - 1
            )
        ).first()
    if arow is None:
        raise NotFound(
            "The {year} plan answers no assessment in this database, so there are no lost "
            "points to win back.",
            year=plan.year,
        )
    return arow


def whatif(
    db: Database,
    year: int | None = None,
    selected: Collection[str] | None = None,
    *,
    numbers: Collection[int] | None = None,
) -> WhatIf:
    """The what-if of the remediation plan of ``year`` (the latest without one):
    ``selected`` item ids, or item ``numbers`` as printed, are assumed done; all items
    when neither is given."""
    with db.session() as s:
        plan = _plan_row(s, year, KIND_REMEDIATION)
        arow = _assessment(s, plan)
        cset = set_from_rows(arow.criteria_set)
        scores = _scores(s, arow.id)
        basis = basis_for(AssessmentStatus(arow.status))
        totals = compute_totals(cset, scores, basis)
        result = load_result(s, arow.id)
        figures = compute_figures(
            cset, totals, result, criteria_source(scores, basis is Basis.OFFICIAL)
        )
        view = snapshot(plan, Order(plan_set(s, plan)))
        items = [n.item for n in view.items]
        if numbers is not None:
            selected = [item_at(items, n).id for n in numbers]
        elif selected is not None:
            known = {i.id for i in items}
            unknown = [i for i in selected if i not in known]
            if unknown:
                raise ServiceError("There is no item {item} in the plan.", item=unknown[0])
        p = project(cset, totals, figures, items, selected)
        done_ids = [i.id for i in items if i.status is ItemStatus.DONE]
        done = project(cset, totals, figures, items, done_ids)
        ranking = rankings.latest(s, arow.unit_id, arow.year)
        own = arow.unit.code
        return _result(plan.year, arow.year, view.items, p, done, ranking, own)


def _result(
    plan_year: int,
    assessment_year: int,
    numbered: tuple[NumberedItem, ...],
    p: Projection,
    done: Projection,
    ranking: rankings.StoredRanking | None,
    own: str,
) -> WhatIf:
    items = {
        n.item.id: ItemWhatIf(
            n.number,
            n.item.id,
            p.items[n.item.id].points,
            p.items[n.item.id].alone,
            p.items[n.item.id].measurable,
            n.item.status is ItemStatus.DONE,
        )
        for n in numbered
    }
    rank: dict[str, object] = {}
    if ranking is None or not ranking.entries:
        rank["rank_reason"] = Phrase(
            "No published ranking has reached this office yet, so no rank is projected."
        )
    else:
        rank["projected_rank"], rank["rank_of"] = projected_rank(
            ranking.entries, own, p.projected_index
        )
        rank["ranking_year"] = ranking.year
        rank["current_rank"] = next((e.rank for e in ranking.entries if e.unit_code == own), None)
    return WhatIf(
        plan_year=plan_year,
        assessment_year=assessment_year,
        items=items,
        selected=p.selected,
        points=p.points,
        index=p.index,
        max_points=p.max_points,
        recoverable=p.recoverable,
        recovered=p.recovered,
        projected_points=p.projected_points,
        projected_index=p.projected_index,
        pending_areas=p.pending_areas,
        done_recovered=done.recovered,
        done_points=done.projected_points,
        done_index=done.projected_index,
        **rank,  # type: ignore[arg-type]
    )
