"""What-if: the points each plan item can win back, and the figures if items are done.

The rule, built on the printed figures (``parapp.domain.figures``):

1. **What an item answers.** Its criterion codes in the plan's own index (an item of
   another index, or without a scored criterion, recovers nothing measurable). A code that
   is an area answers the whole area; a criterion or sub-criterion answers its own printed
   loss. An item with an area but no criterion codes answers that area's remainder ("Nội
   dung khác bị trừ điểm": what ``plan draft`` makes of a published loss its criteria do not
   name). Bonus and penalty parts lose nothing (``Row.lost``), so items about them recover
   nothing.
2. **Done means all of it.** A finished item wins back every lost point it answers: the
   criterion's printed loss (maximum minus points as printed), the remainder, or the area's
   whole loss. The recovered points of an area never exceed its printed loss, so a decision
   that took off less than the criteria name caps what its criteria can win back, and a
   published full mark leaves nothing to recover.
3. **Each lost point once.** Items are taken in plan order; each gets what it answers that
   the items before it did not (shared criteria go to the first item that names them, a
   sub-criterion named after its criterion adds nothing). The per-item points therefore add
   up to the plan's total. The projection of a selection counts each criterion once among
   the selected items, whichever of them names it.
4. **Survey points count only once known.** A survey criterion whose result is pending has
   no maximum yet (``totals``): it projects nothing, and an area still waiting for its
   survey stays out of the total and the maximum.
5. **The projected total** is the printed rows plus what is recovered, capped as the
   printed total is (not below 0; not above the maximum unless the set lets the bonus pass
   it), plus the decision's own difference (a published total that differs from its rows
   keeps that difference), capped again. So a bonus that already fills the maximum leaves
   nothing to win, and with no item done the projection is the figures printed today.
6. **The projected index** is the projected total over the printed maximum, rounded once
   half up to 2 places, as ``figures`` computes an index. A published index (index-only
   results included) is the starting point instead: the recovered points' share of the
   maximum is added to it (up to 100 where the bonus cannot pass the maximum), so no
   projection moves the published index by itself.
7. **The projected rank** (``projected_rank``) is the place the projected index would take
   in a published ranking, every other unit keeping its published index (competition
   ranking, as ``results.rank``: equal indices share a rank).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .criteria import CriteriaSet, Part
from .figures import Figures, Row, p2, printed_lost
from .numbers import HUNDRED, ZERO
from .remediation import RemediationItem
from .totals import Totals


@dataclass(frozen=True)
class ItemPoints:
    """What one item can win back."""

    item_id: str
    points: Decimal  # attributed in plan order: each lost point to the first item naming it
    alone: Decimal  # what it would win back if no other item counted (shared points too)
    measurable: bool  # it names a scored criterion, an area or an area's remainder

    @property
    def shared(self) -> Decimal:
        """Points it answers that an earlier item already counts."""
        return self.alone - self.points


@dataclass(frozen=True)
class Projection:
    items: dict[str, ItemPoints]  # by item id, in plan order
    points: Decimal  # the printed total today
    index: Decimal  # the printed index today
    max_points: Decimal  # the printed maximum (the projection keeps it)
    recoverable: Decimal  # all items together, each lost point once
    selected: tuple[str, ...]  # the items the projection assumes done, in plan order
    recovered: Decimal  # the selected items together, each lost point once
    projected_points: Decimal
    projected_index: Decimal
    pending_areas: tuple[str, ...]  # survey results not known: nothing projected there

    @property
    def gain(self) -> Decimal:
        """How much the printed total rises (less than ``recovered`` under the cap)."""
        return self.projected_points - self.points


@dataclass(frozen=True)
class RankingEntry:
    """One unit of a published ranking (public: code, name, index, rank)."""

    unit_code: str
    unit_name: str
    index: Decimal
    rank: int


# -- what an item answers --------------------------------------------------------------------
@dataclass(frozen=True)
class _Claim:
    nodes: frozenset[str] = frozenset()  # criteria and sub-criteria (not areas)
    areas: frozenset[str] = frozenset()  # whole areas
    remainders: frozenset[str] = frozenset()  # areas whose remainder it answers

    def __or__(self, other: _Claim) -> _Claim:
        return _Claim(
            self.nodes | other.nodes,
            self.areas | other.areas,
            self.remainders | other.remainders,
        )

    @property
    def empty(self) -> bool:
        return not (self.nodes or self.areas or self.remainders)


def _claim(cset: CriteriaSet, item: RemediationItem) -> _Claim:
    if (item.index_kind or "PAR") != cset.index_kind.value:
        return _Claim()
    codes = [c for c in item.node_codes if c and cset.has(c)]
    nodes: set[str] = set()
    areas: set[str] = set()
    for code in codes:
        if cset.area_of(code).part is not Part.MAIN:
            continue
        (areas if cset.node(code).parent_code is None else nodes).add(code)
    remainders: set[str] = set()
    area = item.area_code
    if not item.node_codes and area and cset.has(area) and cset.node(area).parent_code is None:
        remainders.add(area)
    return _Claim(frozenset(nodes), frozenset(areas), frozenset(remainders))


# -- the value of what is claimed ------------------------------------------------------------
class _Values:
    def __init__(self, cset: CriteriaSet, totals: Totals, figures: Figures) -> None:
        self.cset, self.totals = cset, totals
        # Areas that count and lost something: the only places points can come back.
        self.rows: dict[str, Row] = {
            r.code: r for r in figures.areas if r.counted and r.lost > ZERO
        }

    def _lost(self, code: str) -> Decimal:
        total = self.totals.nodes[code]
        return printed_lost(total) if total.scored else ZERO

    def _collapse(self, code: str, claimed: set[str]) -> bool:
        """Whether ``code`` is claimed whole: itself, or every one of its children is."""
        if code in claimed:
            return True
        kids = self.cset.children(code)
        return bool(kids) and all(self._collapse(k.code, claimed) for k in kids)

    def _subtree(self, code: str, claimed: set[str]) -> Decimal:
        """The printed losses of the topmost claimed nodes under ``code``."""
        if self._collapse(code, claimed):
            return self._lost(code)
        return sum((self._subtree(k.code, claimed) for k in self.cset.children(code)), ZERO)

    def area(self, row: Row, claim: _Claim) -> Decimal:
        if row.code in claim.areas:
            return row.lost
        units = self.cset.children(row.code) or (self.cset.node(row.code),)
        named = ZERO
        for unit in units:
            inside = {c for c in claim.nodes if c == unit.code or self._under(c, unit.code)}
            if inside:
                # Sub-criteria rounded one by one may name a cent more than their criterion.
                named += min(self._lost(unit.code), self._subtree(unit.code, inside))
        if row.code in claim.remainders:
            named += row.remainder
        return min(row.lost, named)

    def _under(self, code: str, ancestor: str) -> bool:
        node = self.cset.node(code)
        while node.parent_code is not None:
            if node.parent_code == ancestor:
                return True
            node = self.cset.node(node.parent_code)
        return False

    def total(self, claim: _Claim) -> Decimal:
        if claim.empty:
            return ZERO
        return sum((self.area(row, claim) for row in self.rows.values()), ZERO)


# -- the projection --------------------------------------------------------------------------
def _cap(cset: CriteriaSet, value: Decimal, maximum: Decimal) -> Decimal:
    value = max(ZERO, value)
    return value if cset.bonus_may_exceed_max else min(value, maximum)


def _row_sum(figures: Figures) -> Decimal:
    sign = {Part.MAIN: 1, Part.BONUS: 1, Part.PENALTY: -1}
    return sum((sign[r.part] * r.points for r in figures.rows if r.counted), ZERO)


def project(
    cset: CriteriaSet,
    totals: Totals,
    figures: Figures,
    items: Sequence[RemediationItem],
    selected: Collection[str] | None = None,
) -> Projection:
    """The points each item can win back and the figures if ``selected`` items (ids; all
    items when None) are done. ``items`` in plan order (see the module's rule)."""
    values = _Values(cset, totals, figures)
    claims = [(item.id, _claim(cset, item)) for item in items]
    out: dict[str, ItemPoints] = {}
    so_far = _Claim()
    before = ZERO
    for item_id, claim in claims:
        so_far = so_far | claim
        after = values.total(so_far)
        out[item_id] = ItemPoints(
            item_id, p2(after - before), p2(values.total(claim)), not claim.empty
        )
        before = after
    chosen = [i for i, _ in claims if selected is None or i in selected]
    union = _Claim()
    for item_id, claim in claims:
        if item_id in chosen:
            union = union | claim
    recovered = p2(values.total(union))
    row_sum = _row_sum(figures)
    decision = figures.points - _cap(cset, row_sum, figures.max_points)
    projected = _cap(cset, row_sum + recovered, figures.max_points) + decision
    # The decision's difference is kept, but never past the cap (nor below today's total).
    projected = p2(max(figures.points, _cap(cset, projected, figures.max_points)))
    if figures.max_points <= ZERO:
        index = figures.index
    elif figures.result is None:
        index = p2(projected * HUNDRED / figures.max_points)
    else:
        index = p2(figures.index + (projected - figures.points) * HUNDRED / figures.max_points)
        if not cset.bonus_may_exceed_max:
            index = max(figures.index, min(index, HUNDRED))
    return Projection(
        items=out,
        points=figures.points,
        index=figures.index,
        max_points=figures.max_points,
        recoverable=p2(before),
        selected=tuple(chosen),
        recovered=recovered,
        projected_points=projected,
        projected_index=index,
        pending_areas=tuple(r.code for r in figures.pending_areas),
    )


def projected_rank(
    ranking: Iterable[RankingEntry], own_code: str, index: Decimal
) -> tuple[int, int]:
    """(rank, of how many) the unit would have with ``index`` while every other unit of the
    ranking keeps its published index; the unit counts once whether listed or not."""
    others = [e for e in ranking if e.unit_code != own_code]
    ahead = sum(1 for e in others if e.index > index)
    return ahead + 1, len(others) + 1
