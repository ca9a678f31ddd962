"""The figures every screen and document shows: one rule, written once.

1. **The published result is the law.** An area the decision published prints the published
   points; the others print the criterion sums, labelled by where they come from (appraised
   or self-assessed scores). The index, rank and band are the published ones when there is
   a result.
2. **Printed rows add up exactly.** Every point figure is rounded once, half up to two
   decimals; an area's lost points are its maximum minus its points *as printed*; the total
   is the sum of the printed rows (areas, bonus, minus penalty). Where the published total
   differs from that sum (the province rounded, or published areas are missing), or where the
   bonus is capped at the maximum, the difference is its own line (an ``Adjustment``), so the
   rows and the lines always add up to the total printed.
3. **Differences are shown, not hidden.** When an area's published loss is more than the
   losses its criteria name, the rest is a ``remainder`` ("Nội dung khác bị trừ điểm"); when
   the criteria name more than was published, ``excess`` says by how much. ``gaps()`` lists
   both, per area, for warnings.
4. **Survey points count only once known** (see ``totals``): an area whose survey results are
   not known yet is ``SURVEY_PENDING`` and left out of the total and its maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .assessment import NodeScore
from .criteria import CriteriaSet, CriterionNode, Part
from .errors import Phrase
from .numbers import HUNDRED, ZERO, Points, round_half_up
from .results import AreaResult, PublishedResult
from .totals import NodeTotal, Totals


class Source(StrEnum):
    """Where a printed figure comes from (its label: "điểm ... ")."""

    PUBLISHED = "published"  # the decision's own figure ("chỉ số công bố", area points)
    APPRAISED = "appraised"  # the sum of appraised (and survey) criterion scores
    SELF = "self"  # the sum of self-assessed criterion scores


class RowState(StrEnum):
    SCORED = "scored"
    EXCLUDED = "excluded"  # not applicable, removed from the maximum
    SURVEY_PENDING = "survey_pending"  # survey results not known yet


class AdjustmentKind(StrEnum):
    ROUNDING = "rounding"  # the decision's area points do not add up to its total
    PUBLISHED_TOTAL = "published_total"  # rows not all published: the published total differs
    CAP = "cap"  # bonus over the maximum does not count


@dataclass(frozen=True)
class Row:
    """One printed row: an area, a bonus or a penalty part."""

    code: str
    part: Part
    max_points: Decimal  # the effective maximum (N/A under "exclude" removes part of it)
    points: Decimal  # rounded to 2 places; ZERO where not SCORED
    source: Source
    state: RowState = RowState.SCORED
    named_lost: Decimal = ZERO  # what its criteria lost, each as printed (areas only)
    rank: int | None = None

    @property
    def counted(self) -> bool:
        return self.state is RowState.SCORED

    @property
    def lost(self) -> Decimal:
        """Maximum minus points as printed (areas; bonus and penalty rows lose nothing)."""
        if not self.counted or self.part is not Part.MAIN:
            return ZERO
        return max(ZERO, self.max_points - self.points)

    @property
    def remainder(self) -> Decimal:
        """Published loss its criteria do not name ("Nội dung khác bị trừ điểm"). A row
        summed from criterion scores has none: what its criteria do not name there is
        criteria nobody scored, which no appraiser deducted and no plan should claim."""
        if not self.counted or self.source is not Source.PUBLISHED:
            return ZERO
        return max(ZERO, self.lost - self.named_lost)

    @property
    def excess(self) -> Decimal:
        """Loss its criteria name beyond what was published."""
        if not self.counted or self.source is not Source.PUBLISHED:
            return ZERO
        return max(ZERO, self.named_lost - self.lost)


@dataclass(frozen=True)
class Adjustment:
    kind: AdjustmentKind
    points: Decimal  # added to the sum of the rows to give the total


@dataclass(frozen=True)
class Gap:
    """A difference the user must see: per area, or between the total and the rows."""

    code: str  # area code, or "" for the total
    remainder: Decimal = ZERO  # published loss not named by criteria
    excess: Decimal = ZERO  # criteria losses beyond the published loss


@dataclass(frozen=True)
class Figures:
    rows: tuple[Row, ...]  # main areas in set order, then bonus, then penalty parts
    adjustments: tuple[Adjustment, ...]
    max_points: Decimal  # the sum of the counted areas' maxima
    points: Decimal  # rows + adjustments
    index: Decimal  # 2 places: the published index, else points / maximum
    criteria_source: Source  # what the unpublished rows are (APPRAISED or SELF)
    result: PublishedResult | None = None

    @property
    def areas(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.part is Part.MAIN)

    @property
    def lost(self) -> Decimal:
        """The areas' printed losses added up (bonus does not make up for them)."""
        return sum((r.lost for r in self.areas), ZERO)

    @property
    def published(self) -> bool:
        return self.result is not None

    @property
    def points_published(self) -> bool:
        """Whether the total points are the decision's: given, or all its areas are."""
        if self.result is None:
            return False
        if self.result.points is not None:
            return True
        counted = [r for r in self.areas if r.counted]
        return bool(counted) and all(r.source is Source.PUBLISHED for r in counted)

    @property
    def unpublished_rows(self) -> tuple[Row, ...]:
        """Rows printed from criterion scores although there is a published result (a bonus
        or penalty of 0 the decision does not mention is no difference)."""
        if self.result is None:
            return ()
        return tuple(
            r
            for r in self.rows
            if r.counted and r.source is not Source.PUBLISHED and (r.part is Part.MAIN or r.points)
        )

    @property
    def unpublished_areas(self) -> tuple[Row, ...]:
        return tuple(r for r in self.unpublished_rows if r.part is Part.MAIN)

    @property
    def pending_areas(self) -> tuple[Row, ...]:
        return tuple(r for r in self.areas if r.state is RowState.SURVEY_PENDING)

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)

    def warnings(self) -> list[Phrase]:
        """Every difference between the published result and the criterion scores, in a
        sentence each (``assessment show``, the overview and ``plan draft`` show them)."""
        out: list[Phrase] = []
        for gap in self.gaps():
            row = self.row(gap.code)
            assert row is not None
            if gap.remainder:
                out.append(
                    Phrase(
                        "Area {code}: the decision took off {lost} points but its criteria "
                        "name only {named}; the other {rest} points are printed as a line of "
                        "their own.",
                        code=gap.code,
                        lost=Points(row.lost),
                        named=Points(row.named_lost),
                        rest=Points(gap.remainder),
                    )
                )
            if gap.excess:
                out.append(
                    Phrase(
                        "Area {code}: its criteria lost {named} points, {more} more than the "
                        "{lost} points the decision took off; the decision's figure is printed.",
                        code=gap.code,
                        named=Points(row.named_lost),
                        more=Points(gap.excess),
                        lost=Points(row.lost),
                    )
                )
        unpublished = self.unpublished_areas
        if unpublished:
            out.append(
                Phrase(
                    "The decision does not give the points of area(s) {codes}: they are "
                    "printed from {source} of each criterion and labelled so.",
                    codes=", ".join(r.code for r in unpublished),
                    source=Phrase("the appraised scores")
                    if self.criteria_source is Source.APPRAISED
                    else Phrase("the self-assessed scores"),
                )
            )
        for adjustment in self.adjustments:
            if adjustment.kind is not AdjustmentKind.CAP:
                out.append(
                    Phrase(
                        "The published total {total} differs from the sum of the rows by "
                        "{diff}; the difference is printed as a line of its own.",
                        total=Points(self.points),
                        diff=Points(adjustment.points),
                    )
                )
        pending = self.pending_areas
        if pending and self.result is not None:  # before a result, survey is always to come
            out.append(
                Phrase(
                    "Area(s) {codes}: the survey results are not known yet, so they are left "
                    "out of the total and no points are counted as lost there.",
                    codes=", ".join(r.code for r in pending),
                )
            )
        return out

    def gaps(self) -> list[Gap]:
        """Areas whose published loss and criterion losses differ (for warnings)."""
        out = []
        for r in self.areas:
            if r.source is Source.PUBLISHED and (r.remainder or r.excess):
                out.append(Gap(r.code, r.remainder, r.excess))
        return out


def p2(value: Decimal) -> Decimal:
    return round_half_up(value, 2)


def printed_lost(total: NodeTotal) -> Decimal:
    """A node's lost points as every table prints them: maximum minus points as printed."""
    if total.excluded:
        return ZERO
    return max(ZERO, total.max_points - p2(total.achieved))


def criteria_source(scores: Mapping[str, NodeScore], official: bool) -> Source:
    """Appraised once the appraiser scored anything; a result typed in by the commune
    leaves its criterion scores self-assessed."""
    if official and any(s.appraised_score is not None for s in scores.values()):
        return Source.APPRAISED
    return Source.SELF


def _named_lost(cset: CriteriaSet, totals: Totals, area: CriterionNode) -> Decimal:
    """The losses the plan names in this area: its scored criteria's, each as printed (a
    criterion nobody scored says nothing about where the points went)."""
    targets = cset.children(area.code) or (area,)
    return sum(
        (printed_lost(totals.nodes[n.code]) for n in targets if totals.nodes[n.code].scored),
        ZERO,
    )


def _area_row(
    cset: CriteriaSet,
    totals: Totals,
    area: CriterionNode,
    published: Mapping[str, AreaResult],
    source: Source,
) -> Row:
    t = totals.nodes[area.code]
    named = _named_lost(cset, totals, area)
    if area.code in published:
        a = published[area.code]
        return Row(
            area.code,
            area.part,
            a.max_points,
            p2(a.points),
            Source.PUBLISHED,
            named_lost=named,
            rank=a.rank,
        )
    if t.excluded:
        return Row(area.code, area.part, ZERO, ZERO, source, RowState.EXCLUDED)
    if t.max_points == ZERO and t.survey_pending:
        return Row(area.code, area.part, area.max_points, ZERO, source, RowState.SURVEY_PENDING)
    points = p2(t.achieved)
    if area.part is not Part.MAIN:
        points = p2(min(t.achieved, area.max_points))
    return Row(area.code, area.part, t.max_points, points, source, named_lost=named)


def compute_figures(
    cset: CriteriaSet,
    totals: Totals,
    result: PublishedResult | None = None,
    source: Source = Source.SELF,
) -> Figures:
    """The printed figures of one assessment (see the module's rule)."""
    published = {a.code: a for a in (result.areas if result else ())}
    rows = tuple(
        _area_row(cset, totals, node, published, source)
        for part in (Part.MAIN, Part.BONUS, Part.PENALTY)
        for node in cset.roots(part)
    )
    main = [r for r in rows if r.part is Part.MAIN and r.counted]
    max_points = sum((r.max_points for r in main), ZERO)
    row_sum = sum((r.points for r in main), ZERO)
    row_sum += sum((r.points for r in rows if r.part is Part.BONUS and r.counted), ZERO)
    row_sum -= sum((r.points for r in rows if r.part is Part.PENALTY and r.counted), ZERO)
    adjustments: list[Adjustment] = []
    total = max(ZERO, row_sum)
    if not cset.bonus_may_exceed_max and total > max_points:
        total = max_points
    if total != row_sum:
        adjustments.append(Adjustment(AdjustmentKind.CAP, total - row_sum))
    if result is not None and result.points is not None and p2(result.points) != total:
        # A bonus or penalty row of 0 that the decision does not give changes no sum.
        counted = [r for r in rows if r.counted and (r.part is Part.MAIN or r.points)]
        all_published = bool(main) and all(r.source is Source.PUBLISHED for r in counted)
        kind = AdjustmentKind.ROUNDING if all_published else AdjustmentKind.PUBLISHED_TOTAL
        adjustments.append(Adjustment(kind, p2(result.points) - total))
        total = p2(result.points)
    if result is not None:
        index = p2(result.index)
    else:
        index = p2(total * HUNDRED / max_points) if max_points > ZERO else ZERO
    return Figures(rows, tuple(adjustments), max_points, total, index, source, result)


def printed_index(cset: CriteriaSet, totals: Totals) -> Decimal:
    """The index the criterion scores give as printed, before any published result (what a
    ranking compares and what the appraiser publishes)."""
    return compute_figures(cset, totals).index
