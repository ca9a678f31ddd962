"""What-if (parapp.domain.whatif): the points each plan item can win back and the figures
if items are done, against hand-computed cases on a small set unlike the demo's."""

from __future__ import annotations

from decimal import Decimal

from parapp.domain.criteria import Part
from parapp.domain.deadlines import parse_deadline
from parapp.domain.figures import compute_figures
from parapp.domain.remediation import RemediationItem
from parapp.domain.results import AreaResult, PublishedResult
from parapp.domain.totals import Basis, compute_totals
from parapp.domain.whatif import RankingEntry, project, projected_rank
from tests.test_totals import SURVEY, make_set, node, sc, scores

D = Decimal

# 1 (10): 1.1 (4), 1.2 (6): 1.2.1 (2), 1.2.2 (4)
# 2 (6, survey): 2.1 (3), 2.2 (3)          3 (4): an area without criteria
# B (2) bonus
NODES = [
    node("1", "10", leaf=False),
    node("1.1", "4", "1"),
    node("1.2", "6", "1", leaf=False),
    node("1.2.1", "2", "1.2"),
    node("1.2.2", "4", "1.2"),
    node("2", "6", leaf=False, kinds=SURVEY),
    node("2.1", "3", "2", kinds=SURVEY),
    node("2.2", "3", "2", kinds=SURVEY),
    node("3", "4"),
    node("B", "2", part=Part.BONUS, title="Điểm thưởng"),
]
SET = make_set(NODES)
# Lost: 1.1 1; 1.2.1 0,5; 1.2.2 0,75 (1.2: 1,25); area 1 2,25. 2.1 1 (survey known),
# 2.2 pending (out of the maximum). 3: 0,5. Max 10 + 3 + 4 = 17, points 13,25.
SCORES = scores(
    sc("1.1", "4", appraised="3"),
    sc("1.2.1", "2", appraised="1.5"),
    sc("1.2.2", "4", appraised="3.25"),
    sc("2.1", survey="2"),
    sc("3", "4", appraised="3.5"),
)
DEADLINE = parse_deadline("trong năm 2026", default_year=2026)


def item(iid: str, *codes: str, area: str | None = None, kind: str = "PAR") -> RemediationItem:
    return RemediationItem(
        id=iid,
        deadline=DEADLINE,
        area_code=area if area is not None else (codes[0].split(".")[0] if codes else None),
        node_codes=codes,
        index_kind=kind,
    )


def run(items, result=None, extra=None, selected=None, cset=SET):  # type: ignore[no-untyped-def]
    sc_ = SCORES | (extra or {})
    totals = compute_totals(cset, sc_, Basis.OFFICIAL)
    figures = compute_figures(cset, totals, result)
    return project(cset, totals, figures, items, selected)


def points(p) -> dict[str, Decimal]:  # type: ignore[no-untyped-def]
    return {k: v.points for k, v in p.items.items()}


def test_shared_criteria_go_to_the_first_item_and_count_once() -> None:
    items = [
        item("a", "1.1"),
        item("b", "1.2.2"),
        item("c", "1.2"),  # shares 1.2.2 with b: only 1.2.1's 0,5 is its own
        item("d", "2.1"),  # survey result known: lost 1
        item("e", "2.2"),  # survey result pending: nothing
        item("f"),  # a general task without a criterion
        item("g", "1.1"),  # the same criterion again
        item("h", "1.1", kind="PAPI"),  # another index
    ]
    p = run(items)
    assert (p.points, p.max_points, p.index) == (D("13.25"), D(17), D("77.94"))
    assert points(p) == {
        "a": D("1.00"), "b": D("0.75"), "c": D("0.50"), "d": D("1.00"),
        "e": D("0.00"), "f": D("0.00"), "g": D("0.00"), "h": D("0.00"),
    }  # fmt: skip
    assert p.items["c"].alone == D("1.25") and p.items["c"].shared == D("0.75")
    assert p.items["g"].alone == D("1.00")
    assert not p.items["f"].measurable and not p.items["h"].measurable
    assert p.items["e"].measurable  # it names a criterion; its survey is not known yet
    assert p.recoverable == D("3.25") == sum(points(p).values())
    # 13,25 + 3,25 = 16,5 of 17: 97,0588… → 97,06
    assert (p.projected_points, p.projected_index) == (D("16.50"), D("97.06"))
    assert p.pending_areas == ()


def test_a_selection_counts_each_criterion_once_whichever_item_names_it() -> None:
    items = [item("b", "1.2.2"), item("c", "1.2"), item("a", "1.1")]
    only_c = run(items, selected={"c"})
    assert only_c.recovered == D("1.25")  # c alone does all of 1.2, shared or not
    assert (only_c.projected_points, only_c.projected_index) == (D("14.50"), D("85.29"))
    both = run(items, selected=["b", "c"])
    assert both.recovered == D("1.25") and both.selected == ("b", "c")
    none = run(items, selected=[])
    assert (none.projected_points, none.projected_index) == (D("13.25"), D("77.94"))


def test_sub_criteria_named_one_by_one_make_their_criterion_whole() -> None:
    items = [item("x", "1.2.1"), item("y", "1.2.2"), item("z", "1.2"), item("w", "1")]
    assert points(run(items)) == {
        "x": D("0.50"), "y": D("0.75"), "z": D("0.00"),
        "w": D("1.00"),  # the whole area: only 1.1 is left
    }  # fmt: skip


def test_survey_area_still_pending_projects_nothing() -> None:
    pending = {"2.1": sc("2.1")}  # no survey result at all: area 2 is out of the maximum
    p = run([item("d", "2.1"), item("a", "1.1")], extra=pending)
    assert p.pending_areas == ("2",)
    assert (p.max_points, p.points) == (D(14), D("11.25"))
    assert points(p) == {"d": D("0.00"), "a": D("1.00")}
    assert (p.projected_points, p.projected_index) == (D("12.25"), D("87.50"))


def test_bonus_capped_at_the_maximum_as_the_printed_total_is() -> None:
    extra = scores(sc("B", "2", appraised="2"))
    items = [item("a", "1.1"), item("c", "1.2"), item("d", "2.1"), item("t", "3")]
    p = run(items, extra=extra)
    assert p.points == D("15.25")  # 13,25 + bonus 2
    assert p.recoverable == D("3.75")  # every lost point of the main areas
    # 17 + 2 = 19 is capped at the maximum 17: the bonus leaves only 1,75 to win.
    assert (p.projected_points, p.projected_index, p.gain) == (D("17.00"), D("100.00"), D("1.75"))
    uncapped = make_set(NODES, bonus_may_exceed_max=True)
    q = run(items, extra=extra, cset=uncapped)
    assert (q.projected_points, q.projected_index) == (D("19.00"), D("111.76"))
    bonus_item = run([item("b", "B", area="B")], extra=extra)
    assert points(bonus_item) == {"b": D("0.00")}  # bonus rows lose nothing


def test_published_remainder_is_won_back_by_the_area_item_without_criteria() -> None:
    # The decision took 3 off area 1 (criteria name 2,25: 0,75 "Nội dung khác"), gave area 3
    # full marks, and published 13 points (area 2 printed from its appraised survey: 2).
    result = PublishedResult(
        index=D("76.47"),
        points=D(13),
        areas=(AreaResult("1", D(7), D(10)), AreaResult("3", D(4), D(4))),
    )
    items = [
        item("a", "1.1"),
        item("r", area="1"),  # the drafted "Nội dung khác bị trừ điểm" item
        item("c", "1.2"),
        item("t", "3"),  # full marks published: nothing to win back
        item("d", "2.1"),
    ]
    p = run(items, result)
    assert points(p) == {
        "a": D("1.00"), "r": D("0.75"), "c": D("1.25"), "t": D("0.00"), "d": D("1.00"),
    }  # fmt: skip
    assert (p.points, p.index) == (D(13), D("76.47"))
    # 13 + 4 = 17; 76,47 + 4 × 100 / 17 = 99,999… → 100,00
    assert (p.projected_points, p.projected_index) == (D("17.00"), D("100.00"))
    whole = run([item("w", "1")], result)
    assert points(whole) == {"w": D("3.00")}  # the area's every lost point, remainder too


def test_decision_that_took_off_less_than_its_criteria_name_caps_them() -> None:
    result = PublishedResult(index=D("81.00"), areas=(AreaResult("1", D("8.5"), D(10)),))
    p = run([item("a", "1.1"), item("c", "1.2")], result)
    assert points(p) == {"a": D("1.00"), "c": D("0.50")}  # 1,5 published loss in all


def test_index_only_result_moves_the_published_index_by_the_points_share() -> None:
    result = PublishedResult(index=D("80.00"), rank=3, rank_of=5)
    items = [item("a", "1.1"), item("c", "1.2"), item("d", "2.1")]
    p = run(items, result)
    assert (p.points, p.index) == (D("13.25"), D("80.00"))  # rows from the appraised scores
    # 13,25 + 3,25 = 16,5; 80 + 3,25 × 100 / 17 = 99,1176… → 99,12
    assert (p.projected_points, p.projected_index) == (D("16.50"), D("99.12"))
    assert run(items, result, selected=()).projected_index == D("80.00")


def test_published_total_above_the_rows_keeps_its_difference_up_to_the_maximum() -> None:
    # The decision published 14 points where the rows add up to 13,25 (+0,75 of its own).
    result = PublishedResult(index=D("82.35"), points=D(14))
    items = [item("a", "1.1"), item("c", "1.2"), item("d", "2.1"), item("t", "3")]
    p = run(items, result)
    assert p.points == D("14.00") and p.recoverable == D("3.75")
    # 13,25 + 3,75 = 17 (+0,75 would pass the maximum): 17; 82,35 + 3 × 100 / 17 → 100,00
    assert (p.projected_points, p.projected_index) == (D("17.00"), D("100.00"))
    one = run(items, result, selected=["a"])
    # 13,25 + 1 + 0,75 = 15; 82,35 + 1 × 100 / 17 = 88,2323… → 88,23
    assert (one.projected_points, one.projected_index) == (D("15.00"), D("88.23"))


def test_projected_rank_against_the_published_ranking() -> None:
    ranking = [
        RankingEntry("X", "Xã X", D("90.00"), 1),
        RankingEntry("Y", "Xã Y", D("85.00"), 2),
        RankingEntry("Z", "Xã Z", D("80.00"), 3),
        RankingEntry("ME", "Xã Mình", D("77.94"), 4),
    ]
    assert projected_rank(ranking, "ME", D("77.94")) == (4, 4)
    assert projected_rank(ranking, "ME", D("85.29")) == (2, 4)
    assert projected_rank(ranking, "ME", D("85.00")) == (2, 4)  # equal indices share a rank
    assert projected_rank(ranking, "ME", D("99.12")) == (1, 4)
    assert projected_rank(ranking[:3], "ME", D("81.00")) == (3, 4)  # not listed: counted once
