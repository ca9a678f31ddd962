"""Totals over criteria trees (parapp.domain.totals) and criteria-set validation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import (
    CriteriaSet,
    CriterionNode,
    IndexKind,
    Part,
    ScoreKind,
)
from parapp.domain.errors import CriteriaError
from parapp.domain.numbers import round_half_up
from parapp.domain.scoring import (
    FreeRule,
    NaPolicy,
    RatioRule,
    Threshold,
    Tier,
    TiersRule,
    YesNoRule,
)
from parapp.domain.totals import Basis, Change, Totals, compute_totals

D = Decimal
SELF = frozenset({ScoreKind.SELF})
SURVEY = frozenset({ScoreKind.SURVEY})
BOTH = frozenset({ScoreKind.SELF, ScoreKind.SURVEY})
FREE = FreeRule(step=D("0.125"))


def node(
    code: str,
    max_points: str,
    parent: str | None = None,
    *,
    part: Part = Part.MAIN,
    leaf: bool = True,
    kinds: frozenset[ScoreKind] = SELF,
    title: str | None = None,
    **extra: object,
) -> CriterionNode:
    return CriterionNode(
        code=code,
        title=title or f"Tiêu chí {code}",
        max_points=D(max_points),
        parent_code=parent,
        part=part,
        rule=FREE if leaf else None,
        score_kinds=kinds,
        **extra,  # type: ignore[arg-type]
    )


def make_set(nodes: Sequence[CriterionNode], **kw: object) -> CriteriaSet:
    return CriteriaSet(
        code="TEST",
        name="Bộ tiêu chí thử",
        index_kind=IndexKind.PAR,
        period="2024",
        version=1,
        nodes=tuple(nodes),
        **kw,  # type: ignore[arg-type]
    )


def sc(
    code: str,
    self_score: str | None = None,
    appraised: str | None = None,
    survey: str | None = None,
    *,
    na: bool = False,
) -> NodeScore:
    return NodeScore(
        code=code,
        self_score=D(self_score) if self_score is not None else None,
        appraised_score=D(appraised) if appraised is not None else None,
        survey_score=D(survey) if survey is not None else None,
        not_applicable=na,
    )


def scores(*items: NodeScore) -> dict[str, NodeScore]:
    return {s.code: s for s in items}


# --------------------------------------------------------------------------- hand-built set
#
# 1 (3)            area
#   1.1 (1)        yes/no leaf
#   1.2 (2)        criterion
#     1.2.1 (0,5)  tiers leaf
#     1.2.2 (1,5)  free leaf
# 2 (4)
#   2.1 (2,5)      ratio leaf
#   2.2 (1,5)      survey-only leaf
# 3 (3)            area that is a leaf, self + survey
# B (1)  bonus:    B.1 (1)
# P (2)  penalty leaf

HAND_NODES = [
    node("1", "3", leaf=False),
    CriterionNode("1.1", "Kế hoạch CCHC", D(1), "1", rule=YesNoRule(allow_na=True)),
    node("1.2", "2", "1", leaf=False),
    CriterionNode(
        "1.2.1",
        "Báo cáo CCHC",
        D("0.5"),
        "1.2",
        rule=TiersRule((Tier("tot", "Hoàn thành tốt", percent=D(75)),)),
    ),
    node("1.2.2", "1.5", "1.2"),
    node("2", "4", leaf=False),
    CriterionNode(
        "2.1",
        "Tỷ lệ hồ sơ đúng hạn",
        D("2.5"),
        "2",
        rule=RatioRule((Threshold(D(100), percent=D(100)), Threshold(D(95), percent=D(50)))),
    ),
    node("2.2", "1.5", "2", kinds=SURVEY),
    node("3", "3", kinds=BOTH),
    node("B", "1", part=Part.BONUS, leaf=False),
    node("B.1", "1", "B", part=Part.BONUS),
    node("P", "2", part=Part.PENALTY),
]

HAND_SCORES = scores(
    sc("1.1", "1", "0"),
    sc("1.2.1", "0.375"),  # not appraised: the self score stands
    sc("1.2.2", "1.25", "1"),
    sc("2.1", "1.25", "2.5"),
    sc("2.2", survey="1"),
    sc("3", "2", "1.5", "0.5"),
    sc("B.1", "0.75"),
    sc("P", "0.5"),
)

# code -> (max, achieved, lost)
HAND_SELF: dict[str, tuple[str, str, str]] = {
    "1.1": ("1", "1", "0"),
    "1.2.1": ("0.5", "0.375", "0.125"),
    "1.2.2": ("1.5", "1.25", "0.25"),
    "1.2": ("2", "1.625", "0.375"),
    "1": ("3", "2.625", "0.375"),
    "2.1": ("2.5", "1.25", "1.25"),
    "2.2": ("0", "0", "0"),  # survey-only: not known before appraisal
    "2": ("2.5", "1.25", "1.25"),
    "3": ("3", "2", "1"),
    "B.1": ("1", "0.75", "0.25"),
    "B": ("1", "0.75", "0.25"),
    "P": ("2", "0.5", "1.5"),
}

HAND_OFFICIAL: dict[str, tuple[str, str, str]] = {
    "1.1": ("1", "0", "1"),
    "1.2.1": ("0.5", "0.375", "0.125"),
    "1.2.2": ("1.5", "1", "0.5"),
    "1.2": ("2", "1.375", "0.625"),
    "1": ("3", "1.375", "1.625"),
    "2.1": ("2.5", "2.5", "0"),
    "2.2": ("1.5", "1", "0.5"),
    "2": ("4", "3.5", "0.5"),
    "3": ("3", "2", "1"),  # appraised 1,5 + survey 0,5
    "B.1": ("1", "0.75", "0.25"),
    "B": ("1", "0.75", "0.25"),
    "P": ("2", "0.5", "1.5"),
}


@pytest.fixture(scope="module")
def hand_set() -> CriteriaSet:
    cset = make_set(HAND_NODES)
    cset.validate()
    return cset


@pytest.mark.parametrize(
    ("basis", "expected"), [(Basis.SELF, HAND_SELF), (Basis.OFFICIAL, HAND_OFFICIAL)]
)
def test_hand_built_per_node(
    hand_set: CriteriaSet, basis: Basis, expected: dict[str, tuple[str, str, str]]
) -> None:
    totals = compute_totals(hand_set, HAND_SCORES, basis)
    assert set(totals.nodes) == {n.code for n in HAND_NODES}
    for code, (mx, achieved, lost) in expected.items():
        t = totals.nodes[code]
        assert (t.max_points, t.achieved, t.lost) == (D(mx), D(achieved), D(lost)), code
        assert t.excluded is False


def test_hand_built_self_totals(hand_set: CriteriaSet) -> None:
    t = compute_totals(hand_set, HAND_SCORES, Basis.SELF)
    assert t.basis is Basis.SELF
    assert t.main_max == D("8.5")  # 2.2 (survey only, 1,5) is left out
    assert t.main_points == D("5.875")
    assert t.bonus == D("0.75")
    assert t.penalty == D("0.5")
    assert t.total == D("6.125")
    assert t.index == D("6.125") * 100 / D("8.5")
    assert round_half_up(t.index) == D("72.06")
    # Lost points are those of the scored criteria: bonus does not make up for them.
    assert t.lost == D("2.625")


def test_hand_built_official_totals(hand_set: CriteriaSet) -> None:
    t = compute_totals(hand_set, HAND_SCORES, Basis.OFFICIAL)
    assert t.main_max == D(10)
    assert t.main_points == D("6.875")
    assert t.bonus == D("0.75")
    assert t.penalty == D("0.5")
    assert t.total == D("7.125")
    assert t.index == D("71.25")
    assert t.lost == D("3.125")


def test_hand_built_side_figures(hand_set: CriteriaSet) -> None:
    t = compute_totals(hand_set, HAND_SCORES, Basis.OFFICIAL)
    n = t.nodes
    assert n["1.2.1"].appraised_points == D("0.375")  # falls back to the self score
    assert n["1.2"].appraised_points == D("1.375")
    assert n["2"].appraised_points == D("2.5")  # 2.2 has no self-scored part
    assert n["2"].survey_points == D(1)
    assert n["2.1"].survey_points is None
    assert n["3"].self_points == D(2)
    assert n["3"].survey_points == D("0.5")
    assert n["1"].self_points == D("2.625")
    assert n["1"].scored == n["1"].leaves == 3
    s = compute_totals(hand_set, HAND_SCORES, Basis.SELF).nodes
    assert s["2"].leaves == 1  # the survey leaf does not count on the self basis


def test_official_leaf_score_capped_at_its_maximum() -> None:
    cset = make_set([node("1", "1", kinds=BOTH)])
    t = compute_totals(cset, scores(sc("1", "1", "1", "0.5")), Basis.OFFICIAL)
    assert t.nodes["1"].achieved == D(1)
    assert t.total == D(1)


def test_missing_scores_count_zero_and_are_incomplete(hand_set: CriteriaSet) -> None:
    for basis in Basis:
        t = compute_totals(hand_set, {}, basis)
        assert t.main_points == D(0)
        assert t.total == D(0)
        assert t.index == D(0)
        assert not t.nodes["1"].complete
        assert t.nodes["1"].scored == 0


def test_index_is_the_exact_formula() -> None:
    cset = make_set([node("1", "70", leaf=False), node("1.1", "70", "1")])
    t = compute_totals(cset, scores(sc("1.1", "62")), Basis.SELF)
    assert t.total == D(62)
    assert t.index == D(62) * 100 / D(70)
    assert round_half_up(t.index) == D("88.57")


def test_empty_main_part_gives_index_zero() -> None:
    cset = make_set([node("1", "0")])
    t = compute_totals(cset, scores(sc("1", "0")), Basis.SELF)
    assert t.main_max == D(0)
    assert t.index == D(0)


# --------------------------------------------------------------------------- not applicable

NA_NODES = [
    node("1", "3", leaf=False),
    node("1.1", "1", "1"),
    node("1.2", "2", "1"),
    node("2", "2", leaf=False),
    node("2.1", "1", "2"),
    node("2.2", "1", "2"),
]
NA_SCORES = scores(
    sc("1.1", "1", na=True),  # "Không áp dụng": full points under FULL
    sc("1.2", "1.5"),
    sc("2.1", "1", na=True),
    sc("2.2", "1", na=True),
)


@pytest.mark.parametrize("basis", list(Basis))
def test_na_under_exclude_leaves_the_maximum(basis: Basis) -> None:
    cset = make_set(NA_NODES, na_policy=NaPolicy.EXCLUDE)
    t = compute_totals(cset, NA_SCORES, basis)
    n = t.nodes
    assert n["1.1"].excluded and n["1.1"].max_points == 0 and n["1.1"].achieved == 0
    assert (n["1"].max_points, n["1"].achieved, n["1"].lost) == (D(2), D("1.5"), D("0.5"))
    assert n["1"].excluded is False
    assert n["1"].leaves == 1
    # every leaf of area 2 is excluded, so the area is excluded too
    assert n["2"].excluded is True
    assert (n["2"].max_points, n["2"].achieved) == (D(0), D(0))
    assert t.main_max == D(2)
    assert t.total == D("1.5")
    assert t.index == D(75)


@pytest.mark.parametrize("basis", list(Basis))
def test_na_under_full_counts_normally(basis: Basis) -> None:
    cset = make_set(NA_NODES, na_policy=NaPolicy.FULL)
    t = compute_totals(cset, NA_SCORES, basis)
    assert not any(x.excluded for x in t.nodes.values())
    assert t.nodes["1"].max_points == D(3)
    assert t.nodes["1"].achieved == D("2.5")
    assert t.main_max == D(5)
    assert t.total == D("4.5")
    assert t.index == D(90)


# --------------------------------------------------------------------------- bonus / penalty


def _bp_set(**kw: object) -> CriteriaSet:
    # The bonus root allows at most 1 point although its items add up to 2 (real sets say
    # "điểm cộng tối đa 1 điểm"); compute_totals must cap it at the root's maximum.
    return make_set(
        [
            node("1", "10"),
            node("C", "1", part=Part.BONUS, leaf=False),
            node("C.1", "1", "C", part=Part.BONUS),
            node("C.2", "1", "C", part=Part.BONUS),
            node("T", "3", part=Part.PENALTY, leaf=False),
            node("T.1", "3", "T", part=Part.PENALTY),
        ],
        **kw,
    )


BP_CASES: list[tuple[bool, str, str, str, str, str, str]] = [
    # (bonus may exceed, main, C.1, C.2, T.1, expected bonus, expected total)
    (False, "8", "0.75", "0.75", "0", "1", "9"),  # bonus capped at the bonus root max
    (False, "8", "0.5", "0", "0", "0.5", "8.5"),
    (False, "8", "0.5", "0", "1.5", "0.5", "7"),  # penalty subtracted
    (False, "1", "0", "0", "3", "0", "0"),  # floored at 0
    (False, "9.5", "1", "1", "0", "1", "10"),  # capped at the main maximum
    (True, "9.5", "1", "1", "0", "1", "10.5"),  # unless the set allows going over
    (True, "10", "1", "0", "0.5", "1", "10.5"),
]


@pytest.mark.parametrize(("exceed", "main", "c1", "c2", "t1", "bonus", "total"), BP_CASES)
def test_bonus_and_penalty(
    exceed: bool, main: str, c1: str, c2: str, t1: str, bonus: str, total: str
) -> None:
    cset = _bp_set(bonus_may_exceed_max=exceed)
    given_scores = scores(sc("1", main), sc("C.1", c1), sc("C.2", c2), sc("T.1", t1))
    for basis in Basis:
        t = compute_totals(cset, given_scores, basis)
        assert t.main_max == D(10)
        assert t.main_points == D(main)
        assert t.bonus == D(bonus)
        assert t.penalty == D(t1)  # stored positive
        assert t.total == D(total)
        assert t.index == D(total) * 100 / D(10)


def test_penalty_capped_at_its_root_maximum() -> None:
    cset = make_set(
        [
            node("1", "10"),
            node("T", "1", part=Part.PENALTY, leaf=False),
            node("T.1", "1", "T", part=Part.PENALTY),
            node("T.2", "1", "T", part=Part.PENALTY),
        ]
    )
    t = compute_totals(cset, scores(sc("1", "10"), sc("T.1", "1"), sc("T.2", "1")), Basis.SELF)
    assert t.penalty == D(1)
    assert t.total == D(9)


# --------------------------------------------------------------------------- change

CHANGE_CASES: list[tuple[str, str, str, Decimal | None]] = [
    ("80", "90", "10", D("12.5")),
    ("90", "80", "-10", D("-100") / D(9)),
    ("72.5", "72.5", "0", D(0)),
    ("0", "50", "50", None),
    ("50", "0", "-50", D(-100)),
]


@pytest.mark.parametrize(("previous", "current", "points", "relative"), CHANGE_CASES)
def test_change(previous: str, current: str, points: str, relative: Decimal | None) -> None:
    c = Change(previous=D(previous), current=D(current))
    assert c.points == D(points)
    assert c.relative_percent == relative


# --------------------------------------------------------------------------- properties

QUARTER = D("0.25")
EIGHTH = D("0.125")


@st.composite
def scored_sets(draw: st.DrawFn) -> tuple[CriteriaSet, dict[str, NodeScore]]:
    policy = draw(st.sampled_from(list(NaPolicy)))
    nodes: list[CriterionNode] = []
    given: dict[str, NodeScore] = {}

    def maybe_score(max_points: Decimal) -> Decimal | None:
        if draw(st.booleans()):
            return None
        return draw(st.integers(0, int(max_points / EIGHTH))) * EIGHTH

    def build(code: str, parent: str | None, depth: int, part: Part) -> Decimal:
        index = len(nodes)
        nodes.append(node(code, "0", parent, part=part))  # placeholder, parent before children
        n_kids = 0 if depth == 3 else draw(st.integers(0, 3))
        if n_kids == 0:
            max_points = draw(st.integers(0, 16)) * QUARTER
            kinds = draw(st.sampled_from([SELF, SURVEY, BOTH])) if part is Part.MAIN else SELF
            na = draw(st.integers(0, 5)) == 0
            self_score = maybe_score(max_points)
            if na and policy is NaPolicy.FULL:
                self_score = max_points
            given[code] = NodeScore(
                code=code,
                self_score=self_score,
                appraised_score=maybe_score(max_points),
                survey_score=maybe_score(max_points),
                not_applicable=na,
            )
            nodes[index] = node(code, str(max_points), parent, part=part, kinds=kinds)
            return max_points
        max_points = sum(
            (build(f"{code}.{i}", code, depth + 1, part) for i in range(1, n_kids + 1)), D(0)
        )
        nodes[index] = node(code, str(max_points), parent, part=part, leaf=False)
        return max_points

    for i in range(1, draw(st.integers(1, 4)) + 1):
        build(str(i), None, 0, Part.MAIN)
    if draw(st.booleans()):
        build("C", None, 1, Part.BONUS)
    if draw(st.booleans()):
        build("T", None, 1, Part.PENALTY)
    cset = make_set(nodes, na_policy=policy, bonus_may_exceed_max=draw(st.booleans()))
    return cset, given


def _counts(cset: CriteriaSet, leaf: CriterionNode, s: NodeScore | None, basis: Basis) -> bool:
    if cset.na_policy is NaPolicy.EXCLUDE and s is not None and s.not_applicable:
        return False
    if ScoreKind.SELF in leaf.score_kinds:
        return True
    # Survey-only: on the official basis once its survey score is known.
    return basis is Basis.OFFICIAL and s is not None and s.survey_score is not None


def _check(cset: CriteriaSet, given: dict[str, NodeScore], basis: Basis, t: Totals) -> None:
    zero = D(0)
    for n in cset.nodes:
        nt = t.nodes[n.code]
        assert zero <= nt.achieved <= nt.max_points, n.code
        assert nt.lost == nt.max_points - nt.achieved, n.code
        counted_leaves = [
            leaf
            for leaf in cset.leaves_under(n.code)
            if _counts(cset, leaf, given.get(leaf.code), basis)
        ]
        assert nt.max_points == sum((leaf.max_points for leaf in counted_leaves), zero), n.code
        kids = cset.children(n.code)
        if kids:
            counted = [t.nodes[k.code] for k in kids if not t.nodes[k.code].excluded]
            assert nt.achieved == sum((k.achieved for k in counted), zero), n.code
            assert nt.max_points == sum((k.max_points for k in counted), zero), n.code
            assert nt.excluded == (not counted), n.code
        elif basis is Basis.SELF and ScoreKind.SELF in n.score_kinds and not nt.excluded:
            assert nt.achieved == (given[n.code].self_score or zero), n.code
    main = cset.roots(Part.MAIN)
    assert t.main_max == sum((t.nodes[a.code].max_points for a in main), zero)
    assert t.main_points == sum((t.nodes[a.code].achieved for a in main), zero)
    assert zero <= t.bonus
    assert zero <= t.penalty
    for root in cset.roots(Part.BONUS):
        assert t.bonus <= root.max_points
    expected = max(zero, t.main_points + t.bonus - t.penalty)
    if not cset.bonus_may_exceed_max:
        expected = min(expected, t.main_max)
        assert t.total <= t.main_max
    assert t.total == expected
    assert t.total >= zero
    if t.main_max > zero:
        assert t.index == t.total * 100 / t.main_max
    else:
        assert t.index == zero


@settings(max_examples=300, deadline=None)
@given(scored_sets(), st.sampled_from(list(Basis)))
def test_totals_properties(drawn: tuple[CriteriaSet, dict[str, NodeScore]], basis: Basis) -> None:
    cset, given_scores = drawn
    cset.validate()
    assert max(cset.depth(n.code) for n in cset.nodes) <= 3
    t = compute_totals(cset, given_scores, basis)
    _check(cset, given_scores, basis, t)


# --------------------------------------------------------------------------- validate


def _valid_nodes() -> list[CriterionNode]:
    return [
        node("1", "3", leaf=False, max_text="3"),
        node("1.1", "1", "1"),
        node("1.2", "2", "1", leaf=False),
        node("1.2.1", "0.5", "1.2", max_text="0,5"),
        node("1.2.2", "1.5", "1.2"),
        node("2", "2", leaf=False),
        CriterionNode(
            "2.1",
            "Tỷ lệ",
            D(1),
            "2",
            rule=RatioRule((Threshold(D(100), percent=D(100)), Threshold(D(95), points=D(1)))),
        ),
        CriterionNode(
            "2.2",
            "Mức độ",
            D(1),
            "2",
            rule=TiersRule((Tier("a", "A", points=D(1)), Tier("b", "B", percent=D(50)))),
        ),
        node("C", "1", part=Part.BONUS),
    ]


def _replace(code: str, new: CriterionNode) -> list[CriterionNode]:
    return [new if n.code == code else n for n in _valid_nodes()]


def test_valid_base_set_validates() -> None:
    make_set(_valid_nodes()).validate()


def _swap_parent_after_child() -> list[CriterionNode]:
    nodes = _valid_nodes()
    i = next(k for k, n in enumerate(nodes) if n.code == "1.2")
    nodes[i], nodes[i + 1] = nodes[i + 1], nodes[i]
    return nodes


INVALID: list[tuple[str, Callable[[], list[CriterionNode]], str]] = [
    (
        "children do not sum",
        lambda: _replace("1.2.2", node("1.2.2", "1.25", "1.2")),
        "1.2",
    ),
    (
        "leaf without rule",
        lambda: _replace("1.1", node("1.1", "1", "1", leaf=False)),
        "1.1",
    ),
    (
        "parent with rule",
        lambda: _replace("1.2", node("1.2", "2", "1", leaf=True)),
        "1.2",
    ),
    (
        "duplicate code",
        lambda: [*_valid_nodes(), node("2.2", "0", "2")],
        "2.2",
    ),
    ("parent after child", _swap_parent_after_child, "1.2.1"),
    (
        "negative max",
        lambda: [node("0", "-1"), *_valid_nodes()],
        "0",
    ),
    (
        "tier gives more than max",
        lambda: _replace(
            "2.2",
            CriterionNode(
                "2.2",
                "Mức độ",
                D(1),
                "2",
                rule=TiersRule((Tier("a", "A", points=D("1.5")),)),
            ),
        ),
        "2.2",
    ),
    (
        "tier percent above 100",
        lambda: _replace(
            "2.2",
            CriterionNode(
                "2.2", "Mức độ", D(1), "2", rule=TiersRule((Tier("a", "A", percent=D(120)),))
            ),
        ),
        "2.2",
    ),
    (
        "thresholds not descending",
        lambda: _replace(
            "2.1",
            CriterionNode(
                "2.1",
                "Tỷ lệ",
                D(1),
                "2",
                rule=RatioRule(
                    (Threshold(D(95), percent=D(50)), Threshold(D(100), percent=D(100)))
                ),
            ),
        ),
        "2.1",
    ),
    (
        "mixed part under a parent",
        lambda: _replace("1.1", node("1.1", "1", "1", part=Part.BONUS)),
        "1.1",
    ),
    (
        "max_text disagrees with max_points",
        lambda: _replace("1.2.1", node("1.2.1", "0.5", "1.2", max_text="0,25")),
        "1.2.1",
    ),
    (
        "max_text not a number",
        lambda: _replace("1.2.1", node("1.2.1", "0.5", "1.2", max_text="nửa điểm")),
        "1.2.1",
    ),
    (
        "empty title",
        lambda: _replace("1.1", node("1.1", "1", "1", title=" ")),
        "1.1",
    ),
]


@pytest.mark.parametrize(
    ("build", "code"), [(b, c) for _, b, c in INVALID], ids=[name for name, _, _ in INVALID]
)
def test_validate_refuses(build: Callable[[], list[CriterionNode]], code: str) -> None:
    with pytest.raises(CriteriaError) as info:
        make_set(build()).validate()
    assert f"'{code}'" in str(info.value)


def test_validate_refuses_set_without_main_area() -> None:
    with pytest.raises(CriteriaError):
        make_set([node("C", "1", part=Part.BONUS)]).validate()
