"""The one rule for printed figures (parapp.domain.figures), on data unlike the demo's:
published area points that differ from the criterion sums, index-only results, survey
results not known yet, and rounding that would not add up."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from parapp.domain.criteria import CriterionNode, Part
from parapp.domain.figures import (
    AdjustmentKind,
    Figures,
    RowState,
    Source,
    compute_figures,
    criteria_source,
)
from parapp.domain.results import AreaResult, PublishedResult
from parapp.domain.totals import Basis, compute_totals
from tests.test_totals import SURVEY, make_set, node, sc, scores

D = Decimal

# 1 (14): 1.1 (3), 1.2 (2), 1.3 (9)   2 (7): 2.1 (7)   3 (12, survey): 3.1 (4), 3.2 (8)
# B (2) bonus: B.1 (2)
NODES = [
    node("1", "14", leaf=False),
    node("1.1", "3", "1"),
    node("1.2", "2", "1"),
    node("1.3", "9", "1"),
    node("2", "7", leaf=False),
    node("2.1", "7", "2"),
    node("3", "12", leaf=False, kinds=SURVEY),
    node("3.1", "4", "3", kinds=SURVEY),
    node("3.2", "8", "3", kinds=SURVEY),
    CriterionNode("B", "Điểm thưởng", D(2), part=Part.BONUS),
]
SET = make_set(NODES)
SELF_SCORES = scores(sc("1.1", "3"), sc("1.2", "1.625"), sc("1.3", "9"), sc("2.1", "6.5"))


def check_adds_up(f: Figures) -> None:
    """Every printed row and line adds up to the printed total, as a reader would add them."""
    sign = {Part.MAIN: 1, Part.BONUS: 1, Part.PENALTY: -1}
    rows = sum((sign[r.part] * r.points for r in f.rows if r.counted), D(0))
    assert rows + sum((a.points for a in f.adjustments), D(0)) == f.points
    main = [r for r in f.areas if r.counted]
    assert sum((r.max_points for r in main), D(0)) == f.max_points
    assert sum((r.lost for r in main), D(0)) == f.lost
    for r in main:
        assert r.points + r.lost == r.max_points or r.points > r.max_points
        assert r.points == r.points.quantize(D("0.01"))
    for a in f.adjustments:
        assert a.points != 0


def test_before_any_result_rows_are_self_sums_rounded_once() -> None:
    totals = compute_totals(SET, SELF_SCORES, Basis.SELF)
    f = compute_figures(SET, totals, None, criteria_source(SELF_SCORES, False))
    one = f.row("1")
    assert one is not None
    # 3 + 1,625 + 9 = 13,625: printed 13,63 and lost 14 − 13,63 = 0,37 (never 0,38).
    assert (one.points, one.lost) == (D("13.63"), D("0.37"))
    assert f.row("3").state is RowState.SURVEY_PENDING  # type: ignore[union-attr]
    assert f.max_points == D(21)  # the survey area is not known yet
    assert f.points == D("20.13")
    assert f.index == D("95.86")  # 20,13 / 21
    assert f.criteria_source is Source.SELF
    check_adds_up(f)


def test_survey_lost_only_once_survey_points_are_known() -> None:
    totals = compute_totals(SET, SELF_SCORES, Basis.OFFICIAL)
    f = compute_figures(SET, totals)
    assert f.row("3").state is RowState.SURVEY_PENDING  # type: ignore[union-attr]
    assert f.lost == D("0.87")  # 0,37 + 0,5: nothing from the survey area
    known = SELF_SCORES | scores(sc("3.1", survey="3"), sc("3.2", survey="8"))
    f = compute_figures(SET, compute_totals(SET, known, Basis.OFFICIAL))
    three = f.row("3")
    assert three is not None and three.counted and three.lost == D(1)
    assert f.max_points == D(33)
    check_adds_up(f)


def test_published_areas_win_and_the_unnamed_loss_is_a_remainder() -> None:
    # The decision: area 1 lost 0,75 (its criteria name only 0,37), area 2 as its criteria,
    # area 3 (survey) 10; total 30,75 (the province rounded: the areas add up to 30,75 + 0,01).
    result = PublishedResult(
        index=D("93.21"),
        points=D("30.76"),
        areas=(
            AreaResult("1", D("13.25"), D(14)),
            AreaResult("2", D("6.5"), D(7)),
            AreaResult("3", D(11), D(12)),
        ),
    )
    totals = compute_totals(SET, SELF_SCORES, Basis.OFFICIAL)
    f = compute_figures(SET, totals, result, criteria_source(SELF_SCORES, True))
    one, two, three = f.row("1"), f.row("2"), f.row("3")
    assert one is not None and two is not None and three is not None
    assert (one.points, one.lost, one.source) == (D("13.25"), D("0.75"), Source.PUBLISHED)
    assert one.named_lost == D("0.37") and one.remainder == D("0.38")
    assert two.remainder == 0 and two.excess == 0
    assert three.counted and three.remainder == D(1)  # survey results known only in total
    assert f.points == D("30.76") and f.index == D("93.21")
    assert [(a.kind, a.points) for a in f.adjustments] == [(AdjustmentKind.ROUNDING, D("0.01"))]
    assert f.points_published
    assert [g.code for g in f.gaps()] == ["1", "3"]
    check_adds_up(f)


def test_criteria_naming_more_than_was_published_is_an_excess() -> None:
    result = PublishedResult(index=D(95), areas=(AreaResult("2", D(7), D(7)),))
    f = compute_figures(SET, compute_totals(SET, SELF_SCORES, Basis.OFFICIAL), result)
    two = f.row("2")
    assert two is not None and two.lost == 0 and two.excess == D("0.5")
    assert f.gaps()[0].excess == D("0.5")


def test_index_only_result_labels_the_criterion_rows() -> None:
    result = PublishedResult(index=D("86.5"), rank=8, rank_of=17)
    totals = compute_totals(SET, SELF_SCORES, Basis.OFFICIAL)
    f = compute_figures(SET, totals, result, criteria_source(SELF_SCORES, True))
    assert f.index == D("86.50")
    assert not f.points_published  # the points printed are not the decision's
    assert [r.code for r in f.unpublished_areas] == ["1", "2"]
    assert f.criteria_source is Source.SELF  # a typed result: nothing was appraised here
    check_adds_up(f)


def test_published_total_differing_from_unpublished_rows_is_its_own_line() -> None:
    result = PublishedResult(index=D("86.5"), points=D("28.55"))
    f = compute_figures(SET, compute_totals(SET, SELF_SCORES, Basis.OFFICIAL), result)
    assert f.points == D("28.55")
    assert f.adjustments[-1].kind is AdjustmentKind.PUBLISHED_TOTAL
    check_adds_up(f)


def test_bonus_over_the_maximum_is_capped_on_its_own_line() -> None:
    full = scores(sc("1.1", "3"), sc("1.2", "2"), sc("1.3", "9"), sc("2.1", "7"), sc("B", "2"))
    f = compute_figures(SET, compute_totals(SET, full, Basis.SELF))
    assert f.points == D(21)
    assert [(a.kind, a.points) for a in f.adjustments] == [(AdjustmentKind.CAP, D(-2))]
    check_adds_up(f)


def test_appraised_scores_make_the_rows_appraised() -> None:
    appraised = SELF_SCORES | scores(sc("2.1", "6.5", appraised="5"))
    assert criteria_source(appraised, True) is Source.APPRAISED
    assert criteria_source(appraised, False) is Source.SELF


steps = st.integers(min_value=0, max_value=8).map(lambda n: D(n) / 8)


@settings(max_examples=300, deadline=None)
@given(
    self_scores=st.lists(steps, min_size=4, max_size=4),
    survey=st.one_of(st.none(), st.tuples(steps, steps)),
    published=st.lists(
        st.one_of(st.none(), st.integers(min_value=0, max_value=700).map(lambda n: D(n) / 100)),
        min_size=3,
        max_size=3,
    ),
    total=st.one_of(st.none(), st.integers(min_value=0, max_value=3300).map(lambda n: D(n) / 100)),
    bonus=steps,
)
def test_printed_figures_always_add_up(
    self_scores: list[Decimal],
    survey: tuple[Decimal, Decimal] | None,
    published: list[Decimal | None],
    total: Decimal | None,
    bonus: Decimal,
) -> None:
    maxima = {"1.1": D(3), "1.2": D(2), "1.3": D(9), "2.1": D(7)}
    given_scores = {
        code: sc(code, str(min(m, m * share)))
        for (code, m), share in zip(maxima.items(), self_scores, strict=True)
    }
    given_scores["B"] = sc("B", str(bonus * 2))
    if survey is not None:
        given_scores["3.1"] = sc("3.1", survey=str(survey[0] * 4))
        given_scores["3.2"] = sc("3.2", survey=str(survey[1] * 8))
    areas = tuple(
        AreaResult(code, min(points, m), m)
        for code, m, points in zip(("1", "2", "3"), (D(14), D(7), D(12)), published, strict=True)
        if points is not None
    )
    results = [None, PublishedResult(index=D("80.5"), points=total, areas=areas)]
    for basis in Basis:
        totals = compute_totals(SET, given_scores, basis)
        for result in results:
            check_adds_up(compute_figures(SET, totals, result))
