"""Assessment states, ranking, published results and remediation items."""

from __future__ import annotations

import itertools
from dataclasses import FrozenInstanceError, replace
from datetime import date
from decimal import Decimal

import pytest

from parapp import i18n
from parapp.domain.assessment import (
    AssessmentStatus,
    FieldGroup,
    NodeScore,
    Side,
    can_edit,
    require_editable,
    require_transition,
)
from parapp.domain.criteria import CriteriaSet, CriterionNode, IndexKind, Part
from parapp.domain.deadlines import DeadlineKind, parse_deadline
from parapp.domain.errors import DomainError, StateError
from parapp.domain.remediation import (
    ItemStatus,
    ProgressUpdate,
    RemediationItem,
    carry_over,
    draft_items,
    shortcoming_text,
)
from parapp.domain.results import AreaResult, PublishedResult, rank
from parapp.domain.scoring import FreeRule, NaPolicy
from parapp.domain.totals import Basis, compute_totals

D = Decimal
S = AssessmentStatus
G = FieldGroup

# --------------------------------------------------------------------------- states

# The documented process: draft → submitted → (returned → submitted)* → appraised → published.
# An appraised assessment may still be returned for correction (a re-submission after
# appraisal marks changed criteria "to re-appraise", architecture.md). On a commune's own
# database the appraisal happens elsewhere: the clerk types in the published result of a
# submitted assessment, so submitted → published is allowed too (domain.md, "Results").
# A unit may withdraw its submission (back to draft) until the appraiser's word arrives.
ALLOWED: set[tuple[AssessmentStatus, AssessmentStatus]] = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.DRAFT),
    (S.SUBMITTED, S.RETURNED),
    (S.RETURNED, S.SUBMITTED),
    (S.SUBMITTED, S.APPRAISED),
    (S.APPRAISED, S.RETURNED),
    (S.APPRAISED, S.PUBLISHED),
    (S.SUBMITTED, S.PUBLISHED),
}
ALL_PAIRS = list(itertools.product(S, S))


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transitions(current: AssessmentStatus, target: AssessmentStatus) -> None:
    require_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_forbidden_transitions(current: AssessmentStatus, target: AssessmentStatus) -> None:
    with pytest.raises(StateError) as info:
        require_transition(current, target)
    assert f"'{current.value}'" in str(info.value)
    assert f"'{target.value}'" in str(info.value)


def test_transitions_cover_the_documented_path() -> None:
    path = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.SUBMITTED, S.APPRAISED, S.PUBLISHED]
    for current, target in itertools.pairwise(path):
        require_transition(current, target)


def test_nothing_leaves_published_and_only_a_withdrawal_goes_back_to_draft() -> None:
    for target in S:
        with pytest.raises(StateError):
            require_transition(S.PUBLISHED, target)
    for current in S:
        if current is not S.SUBMITTED:
            with pytest.raises(StateError):
                require_transition(current, S.DRAFT)


UNIT_MOVES = {(S.DRAFT, S.SUBMITTED), (S.RETURNED, S.SUBMITTED), (S.SUBMITTED, S.DRAFT)}


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_each_move_belongs_to_one_side(current: AssessmentStatus, target: AssessmentStatus) -> None:
    mine, theirs = (
        (Side.UNIT, Side.APPRAISER) if (current, target) in UNIT_MOVES
        else (Side.APPRAISER, Side.UNIT)
    )
    require_transition(current, target, mine)
    with pytest.raises(StateError) as info:
        require_transition(current, target, theirs)
    assert "Only the" in str(info.value)


@pytest.mark.parametrize("target", [S.RETURNED, S.APPRAISED, S.PUBLISHED])
@pytest.mark.parametrize("current", list(S))
def test_a_unit_never_moves_itself_into_the_appraisers_states(
    current: AssessmentStatus, target: AssessmentStatus
) -> None:
    with pytest.raises(StateError) as info:
        require_transition(current, target, Side.UNIT)
    assert str(info.value).startswith("Only the appraiser")


EDITABLE: set[tuple[AssessmentStatus, FieldGroup]] = {
    (S.DRAFT, G.SELF),
    (S.RETURNED, G.SELF),
    (S.SUBMITTED, G.APPRAISAL),
    (S.SUBMITTED, G.RESULT),
    (S.APPRAISED, G.APPRAISAL),
    (S.APPRAISED, G.RESULT),
    (S.PUBLISHED, G.RESULT),  # only a typo in the published result may still be fixed
}


@pytest.mark.parametrize(("status", "group"), list(itertools.product(S, G)))
def test_can_edit(status: AssessmentStatus, group: FieldGroup) -> None:
    expected = (status, group) in EDITABLE
    assert can_edit(status, group) is expected
    if expected:
        require_editable(status, group)
    else:
        with pytest.raises(StateError):
            require_editable(status, group)


# --------------------------------------------------------------------------- ranking

RANK_CASES: list[tuple[dict[str, str], dict[str, int]]] = [
    ({"a": "90", "b": "85", "c": "85", "d": "80"}, {"a": 1, "b": 2, "c": 2, "d": 4}),
    ({"d": "80", "c": "85", "b": "85", "a": "90"}, {"a": 1, "b": 2, "c": 2, "d": 4}),
    ({"x": "70", "y": "70.0", "z": "70.00"}, {"x": 1, "y": 1, "z": 1}),
    ({"x": "84.96", "y": "84.955"}, {"x": 1, "y": 2}),  # exact values, not display ones
    ({"only": "50"}, {"only": 1}),
    ({}, {}),
    ({"a": "1", "b": "2", "c": "2", "d": "2", "e": "3"}, {"e": 1, "b": 2, "c": 2, "d": 2, "a": 5}),
]


@pytest.mark.parametrize(("values", "expected"), RANK_CASES)
def test_rank(values: dict[str, str], expected: dict[str, int]) -> None:
    assert rank({k: D(v) for k, v in values.items()}) == expected


def test_rank_output_order_is_stable_by_value_then_key() -> None:
    values = {"zeta": D(85), "alpha": D(80), "beta": D(85), "gamma": D(90)}
    assert list(rank(values)) == ["gamma", "beta", "zeta", "alpha"]


# --------------------------------------------------------------------------- published result


def _result(**kw: object) -> PublishedResult:
    base = PublishedResult(
        index=D("84.96"),
        points=D("84.96"),
        max_points=D(100),
        rank=8,
        rank_of=17,
        decision_number="70/QĐ-UBND",
        decision_date=date(2023, 1, 27),
        areas=(AreaResult("1", D("15.5"), D("16.5"), 3),),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"index": D(0)},
        {"index": D(200)},
        {"index": D("105.5")},  # bonus above the maximum
        {"rank": 17},
        {"rank": 1, "rank_of": 1},
        {"rank": None, "rank_of": None},
        {"areas": (AreaResult("1", D(0), D("16.5")), AreaResult("2", D(7), D(7)))},
    ],
)
def test_published_result_accepted(kw: dict[str, object]) -> None:
    _result(**kw).validate()


@pytest.mark.parametrize(
    "kw",
    [
        {"index": D("-0.01")},
        {"index": D("200.01")},
        {"rank": 0},
        {"rank": -1},
        {"rank": 18},
        {"rank": None, "rank_of": 0},  # "xếp thứ .../0" is not a ranking
        {"rank": None, "rank_of": -3},
        {"points": D("-1")},  # published points below zero
        {"areas": (AreaResult("1", D("-0.25"), D("16.5")),)},
        {"areas": (AreaResult("1", D("16.75"), D("16.5")),)},
        {"areas": (AreaResult("1", D(1), D(2)), AreaResult("2", D(8), D(7)))},
    ],
)
def test_published_result_refused(kw: dict[str, object]) -> None:
    with pytest.raises(DomainError):
        _result(**kw).validate()


def test_published_result_area_message_names_the_area() -> None:
    with pytest.raises(DomainError) as info:
        _result(areas=(AreaResult("4", D(9), D(8)),)).validate()
    assert "4" in str(info.value)


# --------------------------------------------------------------------------- remediation

FREE = FreeRule(step=D("0.05"))


def _n(
    code: str, title: str, mx: str, parent: str | None = None, leaf: bool = True, **kw: object
) -> CriterionNode:
    return CriterionNode(
        code,
        title,
        D(mx),
        parent,
        rule=FREE if leaf else None,
        **kw,  # type: ignore[arg-type]
    )


# Areas are coded 1, 2, 3, 10 so that set order (1, 2, 3, 10) differs from text order.
PLAN_NODES = [
    _n("1", "Công tác chỉ đạo, điều hành CCHC", "3", leaf=False),
    _n("1.1", "Kế hoạch CCHC", "1", "1"),
    _n("1.2", "Công tác kiểm tra CCHC", "2", "1", leaf=False),
    _n("1.2.1", "Kiểm tra tại các bộ phận", "1", "1.2"),
    _n("1.2.2", "Khắc phục sau kiểm tra", "1", "1.2"),
    _n("2", "Cải cách thể chế", "2", leaf=False),
    _n("2.1", "Rà soát văn bản", "2", "2"),
    _n("3", "Cải cách thủ tục hành chính", "1"),  # an area without criteria
    _n("10", "Tác động của CCHC", "2", leaf=False),
    _n("10.1", "Không áp dụng ở xã", "1", "10"),
    _n("10.2", "Sự hài lòng", "1", "10"),
    _n("C", "Điểm cộng", "1", part=Part.BONUS),
]
PLAN_SCORES = {
    s.code: s
    for s in [
        NodeScore("1.1", self_score=D(1)),
        NodeScore("1.2.1", self_score=D("0.7")),
        NodeScore("1.2.2", self_score=D(1)),
        NodeScore("2.1", self_score=D(2)),
        NodeScore("3", self_score=D("0.5")),
        NodeScore("10.1", not_applicable=True),
        NodeScore("10.2", self_score=D("0.75")),
        NodeScore("C", self_score=D(0)),  # the bonus part never yields items
    ]
}


@pytest.fixture(scope="module")
def plan_set() -> CriteriaSet:
    cset = CriteriaSet(
        code="KH",
        name="Bộ tiêu chí",
        index_kind=IndexKind.PAR,
        period="2024",
        version=1,
        nodes=tuple(PLAN_NODES),
        na_policy=NaPolicy.EXCLUDE,
    )
    cset.validate()
    return cset


def test_shortcoming_text() -> None:
    assert shortcoming_text("Công tác kiểm tra CCHC", D("0.3")) == (
        "Công tác kiểm tra CCHC (Trừ 0,30 điểm)"
    )
    assert shortcoming_text("X", D("0.375")) == "X (Trừ 0,38 điểm)"
    assert shortcoming_text("X", D("12.5")) == "X (Trừ 12,50 điểm)"


def test_draft_items_lost_points(plan_set: CriteriaSet) -> None:
    totals = compute_totals(plan_set, PLAN_SCORES, Basis.SELF)
    items = draft_items(plan_set, totals, year=2024)
    assert [(i.area_code, i.node_codes) for i in items] == [
        ("1", ("1.2",)),
        ("3", ("3",)),
        ("10", ("10.2",)),
    ]
    assert [i.points_lost for i in items] == [D("0.3"), D("0.5"), D("0.25")]
    assert [i.shortcoming for i in items] == [
        "Công tác kiểm tra CCHC (Trừ 0,30 điểm)",
        "Cải cách thủ tục hành chính (Trừ 0,50 điểm)",
        "Sự hài lòng (Trừ 0,25 điểm)",
    ]
    assert [i.position for i in items] == [0, 1, 2]
    assert all(i.keep_up is False for i in items)
    assert all(i.status is ItemStatus.NOT_STARTED and i.progress == 0 for i in items)
    assert all(i.index_kind == "PAR" for i in items)
    assert len({i.id for i in items}) == 3
    # the sub-criterion that lost points is named, the one at full marks is not
    assert "Kiểm tra tại các bộ phận" in items[0].tasks
    assert "Khắc phục sau kiểm tra" not in items[0].tasks
    # each task is written for its criterion: no sentence serves every item (issue 14)
    assert len({i.tasks for i in items}) == 3
    assert not any("Rà soát, khắc phục các nội dung bị trừ điểm" in i.tasks for i in items)
    for item in items:
        assert item.deadline.text == "trong năm 2024"
        assert item.deadline.kind is DeadlineKind.YEAR
        assert (item.deadline.start, item.deadline.end) == (date(2024, 1, 1), date(2024, 12, 31))


def test_draft_items_include_full_marks(plan_set: CriteriaSet) -> None:
    totals = compute_totals(plan_set, PLAN_SCORES, Basis.SELF)
    items = draft_items(
        plan_set, totals, year=2025, include_full_marks=True, default_lead="VP",
        render=i18n.in_vietnamese,
    )  # fmt: skip
    # 10.1 is not applicable and excluded: it is never drafted, not even as "keep up"; the
    # criteria at full marks of an area share one "keep up" item, after its losses
    assert [i.node_codes for i in items] == [("1.2",), ("1.1",), ("2.1",), ("3",), ("10.2",)]
    assert [i.keep_up for i in items] == [False, True, True, False, False]
    keep = items[1]
    assert keep.shortcoming == "Kế hoạch CCHC"
    assert keep.points_lost == D(0)
    assert "duy trì" in keep.tasks
    assert [i.position for i in items] == list(range(5))
    assert all(i.lead == "VP" for i in items)
    assert all(i.deadline.text == "trong năm 2025" for i in items)


def test_draft_items_custom_deadline(plan_set: CriteriaSet) -> None:
    totals = compute_totals(plan_set, PLAN_SCORES, Basis.SELF)
    items = draft_items(plan_set, totals, year=2024, deadline_text="Thường xuyên")
    assert items
    assert all(i.deadline.is_ongoing for i in items)


def test_draft_items_nothing_lost(plan_set: CriteriaSet) -> None:
    full = {
        leaf.code: NodeScore(leaf.code, self_score=leaf.max_points) for leaf in plan_set.leaves()
    }
    totals = compute_totals(plan_set, full, Basis.SELF)
    assert draft_items(plan_set, totals, year=2024) == []


def _item(code: str | None, deadline: str, **kw: object) -> RemediationItem:
    return RemediationItem(
        id=f"old-{code}",
        deadline=parse_deadline(deadline, default_year=2024),
        area_code=code.split(".")[0] if code else None,
        node_codes=(code,) if code else (),
        shortcoming=f"Tồn tại {code}",
        tasks="Nhiệm vụ",
        lead="Văn phòng",
        **kw,  # type: ignore[arg-type]
    )


def test_carry_over() -> None:
    update = ProgressUpdate(date(2024, 6, 30), 40, "đang làm")
    old = [
        _item("1.1", "quý II/2024", status=ItemStatus.DONE, progress=100, position=0),
        _item("1.2", "quý II/2024", status=ItemStatus.IN_PROGRESS, progress=50, position=1),
        _item("3", "Thường xuyên", position=2),
        _item("10.2", "chậm nhất ngày 15/4/2024", updates=(update,), position=3),
        _item(None, "6 tháng đầu năm 2024", position=4),  # a PAPI item, no scored node
    ]
    out = carry_over(old, 2025, covered=["1.2"])
    assert [i.node_codes for i in out] == [("3",), ("10.2",), ()]
    assert [i.carried_from for i in out] == ["old-3", "old-10.2", "old-None"]
    assert [i.position for i in out] == [0, 1, 2]
    assert not {i.id for i in out} & {i.id for i in old}
    assert len({i.id for i in out}) == 3
    ongoing, dated, papi = out
    assert ongoing.deadline == old[2].deadline
    assert ongoing.deadline.text == "Thường xuyên"
    for moved in (dated, papi):
        assert moved.deadline.text == "trong năm 2025"
        assert moved.deadline.kind is DeadlineKind.YEAR
        assert (moved.deadline.start, moved.deadline.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert dated.updates == ()
    assert dated.shortcoming == "Tồn tại 10.2"
    assert dated.lead == "Văn phòng"
    # the old items are untouched
    assert old[3].updates == (update,)
    assert old[3].deadline.text == "chậm nhất ngày 15/4/2024"


def test_carry_over_without_covered_keeps_unfinished() -> None:
    old = [
        _item("1.2", "quý II/2024", status=ItemStatus.IN_PROGRESS),
        _item("2.1", "quý II/2024", status=ItemStatus.DONE),
    ]
    out = carry_over(old, 2025)
    assert [i.carried_from for i in out] == ["old-1.2"]
    assert carry_over([], 2025) == []


OVERDUE_CASES: list[tuple[str, ItemStatus, date, bool]] = [
    ("chậm nhất ngày 15/4/2024", ItemStatus.NOT_STARTED, date(2024, 4, 15), False),
    ("chậm nhất ngày 15/4/2024", ItemStatus.NOT_STARTED, date(2024, 4, 16), True),
    ("chậm nhất ngày 15/4/2024", ItemStatus.IN_PROGRESS, date(2024, 4, 16), True),
    ("chậm nhất ngày 15/4/2024", ItemStatus.DONE, date(2024, 4, 16), False),
    ("quý II/2024", ItemStatus.NOT_STARTED, date(2024, 6, 30), False),
    ("quý II/2024", ItemStatus.NOT_STARTED, date(2024, 7, 1), True),
    ("Thường xuyên", ItemStatus.NOT_STARTED, date(2099, 1, 1), False),
    ("trong năm 2024", ItemStatus.IN_PROGRESS, date(2025, 1, 1), True),
]


@pytest.mark.parametrize(("deadline", "status", "as_of", "expected"), OVERDUE_CASES)
def test_is_overdue(deadline: str, status: ItemStatus, as_of: date, expected: bool) -> None:
    assert _item("1.1", deadline, status=status).is_overdue(as_of) is expected


PROGRESS_CASES: list[tuple[ItemStatus, int, ItemStatus]] = [
    (ItemStatus.NOT_STARTED, 100, ItemStatus.DONE),
    (ItemStatus.IN_PROGRESS, 100, ItemStatus.DONE),
    (ItemStatus.NOT_STARTED, 1, ItemStatus.IN_PROGRESS),
    (ItemStatus.NOT_STARTED, 99, ItemStatus.IN_PROGRESS),
    (ItemStatus.DONE, 60, ItemStatus.IN_PROGRESS),  # reopened
    (ItemStatus.NOT_STARTED, 0, ItemStatus.NOT_STARTED),
]


@pytest.mark.parametrize(("before", "percent", "after"), PROGRESS_CASES)
def test_with_progress(before: ItemStatus, percent: int, after: ItemStatus) -> None:
    first = ProgressUpdate(date(2024, 3, 31), 0, "chưa")
    item = _item("1.1", "quý II/2024", status=before, updates=(first,))
    update = ProgressUpdate(date(2024, 6, 30), percent, "báo cáo 6 tháng")
    new = item.with_progress(update)
    assert new.status is after
    assert new.progress == percent
    assert new.updates == (first, update)
    assert new.id == item.id
    assert item.updates == (first,)  # the original is unchanged
    assert item.status is before


@pytest.mark.parametrize("percent", [-1, 101, 1000])
def test_with_progress_refuses_bad_percent(percent: int) -> None:
    item = _item("1.1", "quý II/2024")
    with pytest.raises(ValueError):
        item.with_progress(ProgressUpdate(date(2024, 6, 30), percent))


def test_items_are_immutable() -> None:
    item = _item("1.1", "quý II/2024")
    with pytest.raises(FrozenInstanceError):
        item.progress = 50  # type: ignore[misc]
