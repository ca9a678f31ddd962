"""Scoring rules (parapp.domain.scoring), exact numbers and text folding."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from parapp.domain.errors import ScoreError
from parapp.domain.numbers import (
    NumberError,
    format_max,
    format_vi,
    is_multiple,
    normalize,
    round_half_up,
    to_decimal,
)
from parapp.domain.scoring import (
    PENDING,
    Answer,
    Declared,
    DeductionRule,
    FreeRule,
    NaPolicy,
    Outcome,
    RatioRule,
    Rule,
    Threshold,
    Tier,
    TiersRule,
    YesNoRule,
    ZeroCases,
    computes,
    resolve_self_score,
)
from parapp.domain.text import clean, fold

D = Decimal
FULL = NaPolicy.FULL
EXCLUDE = NaPolicy.EXCLUDE


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def both(rule: Rule, declared: Declared, max_points: Decimal, na: NaPolicy) -> Outcome:
    """Run ``compute`` and ``resolve_self_score`` (no typed score); they must agree."""
    computed = rule.compute(declared, max_points, na)
    resolved = resolve_self_score(rule, declared, None, max_points, na)
    assert computed == resolved
    return computed


def refused(rule: Rule, declared: Declared, max_points: Decimal, na: NaPolicy = FULL) -> None:
    """Both entry points refuse the declared data with a ScoreError."""
    with pytest.raises(ScoreError):
        rule.compute(declared, max_points, na)
    with pytest.raises(ScoreError):
        resolve_self_score(rule, declared, None, max_points, na)


# --------------------------------------------------------------------------- yes / no


YES_NO_CASES: list[tuple[bool, Answer | None, NaPolicy, Decimal | None, bool]] = [
    # (allow_na, answer, policy, score, not_applicable)
    (False, Answer.YES, FULL, D("1.5"), False),
    (False, Answer.NO, FULL, D(0), False),
    (True, Answer.YES, EXCLUDE, D("1.5"), False),
    (True, Answer.NO, EXCLUDE, D(0), False),
    (True, Answer.NA, FULL, D("1.5"), True),
    (True, Answer.NA, EXCLUDE, None, True),
    (False, None, FULL, None, False),
    (True, None, EXCLUDE, None, False),
]


@pytest.mark.parametrize(("allow_na", "answer", "policy", "score", "na"), YES_NO_CASES)
def test_yes_no(
    allow_na: bool, answer: Answer | None, policy: NaPolicy, score: Decimal | None, na: bool
) -> None:
    out = both(YesNoRule(allow_na=allow_na), Declared(answer=answer), D("1.5"), policy)
    assert out.score == score
    assert out.not_applicable is na


@pytest.mark.parametrize("policy", list(NaPolicy))
def test_yes_no_na_not_allowed_is_refused(policy: NaPolicy) -> None:
    refused(YesNoRule(allow_na=False), Declared(answer=Answer.NA), D(1), policy)


def test_yes_no_pending_is_the_pending_outcome() -> None:
    assert both(YesNoRule(), Declared(), D(1), FULL) == PENDING


# --------------------------------------------------------------------------- tiers

TIERS = TiersRule(
    tiers=(
        Tier("xs", "Hoàn thành xuất sắc", percent=D(100)),
        Tier("tot", "Hoàn thành tốt", percent=D(75)),
        Tier("ht", "Hoàn thành", percent=D(50)),
        Tier("mot-phan", "Hoàn thành một phần", points=D("0.125")),
        Tier("kht", "Không hoàn thành", points=D(0)),
    ),
    allow_na=True,
)

TIER_CASES: list[tuple[str, Decimal, Decimal]] = [
    # (key or label as typed, max, score)
    ("xs", D("0.5"), D("0.5")),
    ("tot", D("0.5"), D("0.375")),
    ("ht", D("0.5"), D("0.25")),
    ("Hoàn thành tốt", D("0.5"), D("0.375")),
    ("hoan thanh tot", D("0.5"), D("0.375")),
    ("HOÀN THÀNH TỐT", D("0.5"), D("0.375")),
    ("  Hoàn   thành  tốt ", D("0.5"), D("0.375")),
    (nfd("Hoàn thành tốt"), D("0.5"), D("0.375")),
    ("TOT", D("0.5"), D("0.375")),
    ("hoan thanh xuat sac", D(2), D(2)),
    ("hoàn thành", D(2), D(1)),
    ("Hoàn thành tốt", D("16.5"), D("12.375")),
    # points tiers do not scale with the maximum
    ("mot-phan", D("0.5"), D("0.125")),
    ("hoan thanh mot phan", D(4), D("0.125")),
    ("Không hoàn thành", D(4), D(0)),
    ("khong hoan thanh", D(4), D(0)),
]


@pytest.mark.parametrize(("typed", "max_points", "score"), TIER_CASES)
def test_tiers_by_key_and_label(typed: str, max_points: Decimal, score: Decimal) -> None:
    out = both(TIERS, Declared(tier=typed), max_points, FULL)
    assert out.score == score
    assert out.not_applicable is False


def test_tier_75_percent_of_half_point_is_exact() -> None:
    out = both(TIERS, Declared(tier="tot"), D("0.5"), FULL)
    assert out.score == D("0.375")
    assert out.score != D("0.38")
    assert normalize(out.score) == D("0.375")
    assert str(normalize(out.score)) == "0.375"


@pytest.mark.parametrize("typed", ["gioi", "Hoàn thành khá", "", "x s"])
def test_unknown_tier_is_refused(typed: str) -> None:
    refused(TIERS, Declared(tier=typed), D(1))


def test_tier_lookup_returns_the_tier() -> None:
    assert TIERS.tier("hoan thanh tot").key == "tot"
    assert TIERS.tier("HT").label == "Hoàn thành"


@pytest.mark.parametrize(("policy", "score"), [(FULL, D("0.5")), (EXCLUDE, None)])
def test_tiers_na(policy: NaPolicy, score: Decimal | None) -> None:
    out = both(TIERS, Declared(answer=Answer.NA), D("0.5"), policy)
    assert out == Outcome(score, not_applicable=True)


def test_tiers_na_not_allowed_and_pending() -> None:
    rule = TiersRule(tiers=(Tier("a", "A", percent=D(100)),))
    refused(rule, Declared(answer=Answer.NA), D(1))
    assert both(rule, Declared(), D(1), FULL) == PENDING


# --------------------------------------------------------------------------- ratio

# "100% → max, 95% to under 100% → 1/2 max, under 95% → 0"
RATIO = RatioRule(thresholds=(Threshold(D(100), percent=D(100)), Threshold(D(95), percent=D(50))))
RATIO_MAX = D("2.5")

RATIO_CASES: list[tuple[str, str, Decimal]] = [
    ("100", "100", D("2.5")),
    ("1", "1", D("2.5")),
    ("99", "100", D("1.25")),
    ("999", "1000", D("1.25")),
    ("95", "100", D("1.25")),  # boundary: exactly 95% is "95% to under 100%"
    ("19", "20", D("1.25")),  # 95% exactly, another way
    ("57", "60", D("1.25")),  # 95% exactly
    ("949", "1000", D(0)),
    ("9499", "10000", D(0)),
    ("94", "100", D(0)),
    ("2", "3", D(0)),
    ("0", "5", D(0)),
    ("37.5", "37.5", D("2.5")),
]


@pytest.mark.parametrize(("num", "den", "score"), RATIO_CASES)
def test_ratio_thresholds(num: str, den: str, score: Decimal) -> None:
    out = both(RATIO, Declared(numerator=D(num), denominator=D(den)), RATIO_MAX, FULL)
    assert out.score == score
    assert out.not_applicable is False


def test_ratio_points_thresholds() -> None:
    rule = RatioRule(thresholds=(Threshold(D(90), points=D(1)), Threshold(D(70), points=D("0.5"))))
    cases = [("9", "10", D(1)), ("8", "10", D("0.5")), ("7", "10", D("0.5")), ("6", "10", D(0))]
    for num, den, score in cases:
        assert both(rule, Declared(numerator=D(num), denominator=D(den)), D(2), FULL).score == score


@pytest.mark.parametrize(
    ("num", "den"),
    [
        ("101", "100"),  # more achieved than the total
        ("1", "0"),
        ("-1", "10"),
        ("1", "-10"),
        ("-1", "-1"),
        ("5", None),  # only one of the two
        (None, "5"),
    ],
)
def test_ratio_refusals(num: str | None, den: str | None) -> None:
    declared = Declared(
        numerator=D(num) if num is not None else None,
        denominator=D(den) if den is not None else None,
    )
    refused(RATIO, declared, RATIO_MAX)


def test_ratio_pending_without_data() -> None:
    assert both(RATIO, Declared(), RATIO_MAX, FULL) == PENDING


ZERO_CASES: list[tuple[ZeroCases, NaPolicy, Decimal | None, bool]] = [
    (ZeroCases.FULL, FULL, RATIO_MAX, False),
    (ZeroCases.FULL, EXCLUDE, RATIO_MAX, False),
    (ZeroCases.NA, FULL, RATIO_MAX, True),
    (ZeroCases.NA, EXCLUDE, None, True),
    (ZeroCases.ZERO, FULL, D(0), False),
    (ZeroCases.ZERO, EXCLUDE, D(0), False),
]


@pytest.mark.parametrize(("zero_cases", "policy", "score", "na"), ZERO_CASES)
def test_ratio_with_no_cases(
    zero_cases: ZeroCases, policy: NaPolicy, score: Decimal | None, na: bool
) -> None:
    rule = RatioRule(thresholds=RATIO.thresholds, zero_cases=zero_cases)
    out = both(rule, Declared(numerator=D(0), denominator=D(0)), RATIO_MAX, policy)
    assert out == Outcome(score, not_applicable=na)


# --------------------------------------------------------------------------- deduction

DEDUCTION_CASES: list[tuple[str, int, int, Decimal]] = [
    # (per_item, free_items, count, score) with max 1
    ("0.25", 0, 0, D(1)),
    ("0.25", 0, 1, D("0.75")),
    ("0.25", 0, 3, D("0.25")),
    ("0.25", 0, 4, D(0)),
    ("0.25", 0, 5, D(0)),  # floored at 0
    ("0.25", 0, 100, D(0)),
    ("0.3", 0, 3, D("0.1")),
    ("0.3", 0, 4, D(0)),
    ("0.25", 2, 0, D(1)),
    ("0.25", 2, 2, D(1)),  # within the free items
    ("0.25", 2, 3, D("0.75")),
    ("0.25", 2, 7, D(0)),
]


@pytest.mark.parametrize(("per_item", "free", "count", "score"), DEDUCTION_CASES)
def test_deduction(per_item: str, free: int, count: int, score: Decimal) -> None:
    rule = DeductionRule(per_item=D(per_item), free_items=free)
    out = both(rule, Declared(count=count), D(1), FULL)
    assert out.score == score
    assert out.not_applicable is False


def test_deduction_negative_count_refused_and_pending() -> None:
    rule = DeductionRule(per_item=D("0.25"))
    refused(rule, Declared(count=-1), D(1))
    assert both(rule, Declared(), D(1), FULL) == PENDING


# --------------------------------------------------------------------------- free

FREE_ACCEPTED: list[tuple[Decimal | None, Decimal]] = [
    # (step, typed) with max 1
    (D("0.25"), D(0)),
    (D("0.25"), D("0.25")),
    (D("0.25"), D("0.75")),
    (D("0.25"), D(1)),
    (D("0.25"), D("0.750")),
    (D("0.5"), D("0.5")),
    (None, D("0.3")),
    (None, D("0.125")),
]


@pytest.mark.parametrize(("step", "typed"), FREE_ACCEPTED)
def test_free_typed_accepted(step: Decimal | None, typed: Decimal) -> None:
    rule = FreeRule(step=step)
    assert rule.compute(Declared(), D(1), FULL) == PENDING
    assert resolve_self_score(rule, Declared(), typed, D(1), FULL) == Outcome(typed)


FREE_REFUSED: list[tuple[Decimal | None, Decimal]] = [
    (D("0.25"), D("0.3")),  # off the step
    (D("0.25"), D("0.125")),
    (D("0.5"), D("0.25")),
    (D("0.25"), D("1.25")),  # above max
    (None, D("1.01")),
    (D("0.25"), D("-0.25")),  # negative
    (None, D("-0.01")),
]


@pytest.mark.parametrize(("step", "typed"), FREE_REFUSED)
def test_free_typed_refused(step: Decimal | None, typed: Decimal) -> None:
    with pytest.raises(ScoreError):
        resolve_self_score(FreeRule(step=step), Declared(), typed, D(1), FULL)


def test_free_nothing_typed_is_pending() -> None:
    assert resolve_self_score(FreeRule(step=D("0.25")), Declared(), None, D(1), FULL) == PENDING


@pytest.mark.parametrize(("policy", "score"), [(FULL, D(1)), (EXCLUDE, None)])
def test_free_na(policy: NaPolicy, score: Decimal | None) -> None:
    out = both(FreeRule(allow_na=True), Declared(answer=Answer.NA), D(1), policy)
    assert out == Outcome(score, not_applicable=True)


def test_free_na_not_allowed() -> None:
    refused(FreeRule(), Declared(answer=Answer.NA), D(1))


def test_computes() -> None:
    assert computes(YesNoRule())
    assert computes(TIERS)
    assert computes(RATIO)
    assert computes(DeductionRule(per_item=D(1)))
    assert not computes(FreeRule())


# --------------------------------------------------------------------------- typed vs rule

TYPED_AGREES: list[tuple[Rule, Declared, Decimal, Decimal]] = [
    (YesNoRule(), Declared(answer=Answer.YES), D("0.5"), D("0.50")),
    (YesNoRule(), Declared(answer=Answer.YES), D("0.5"), D("0.5")),
    (YesNoRule(), Declared(answer=Answer.NO), D("0.5"), D("0.00")),
    (TIERS, Declared(tier="tot"), D("0.5"), D("0.3750")),
    (RATIO, Declared(numerator=D(96), denominator=D(100)), RATIO_MAX, D("1.25")),
    (DeductionRule(per_item=D("0.25")), Declared(count=1), D(1), D("0.75")),
]


@pytest.mark.parametrize(("rule", "declared", "max_points", "typed"), TYPED_AGREES)
def test_typed_score_agreeing_with_rule_is_accepted(
    rule: Rule, declared: Declared, max_points: Decimal, typed: Decimal
) -> None:
    out = resolve_self_score(rule, declared, typed, max_points, FULL)
    assert out.score == typed
    assert out.not_applicable is False


TYPED_DISAGREES: list[tuple[Rule, Declared, Decimal, Decimal]] = [
    (YesNoRule(), Declared(answer=Answer.YES), D("0.5"), D("0.25")),
    (YesNoRule(), Declared(answer=Answer.NO), D("0.5"), D("0.5")),
    (TIERS, Declared(tier="tot"), D("0.5"), D("0.38")),
    (TIERS, Declared(tier="tot"), D("0.5"), D("0.5")),
    (RATIO, Declared(numerator=D(96), denominator=D(100)), RATIO_MAX, D("2.5")),
    (DeductionRule(per_item=D("0.25")), Declared(count=1), D(1), D(1)),
    (YesNoRule(allow_na=True), Declared(answer=Answer.NA), D("0.5"), D(0)),
]


@pytest.mark.parametrize(("rule", "declared", "max_points", "typed"), TYPED_DISAGREES)
def test_typed_score_disagreeing_with_rule_is_refused(
    rule: Rule, declared: Declared, max_points: Decimal, typed: Decimal
) -> None:
    with pytest.raises(ScoreError):
        resolve_self_score(rule, declared, typed, max_points, FULL)


def test_na_under_full_with_typed_max_is_accepted() -> None:
    out = resolve_self_score(
        YesNoRule(allow_na=True), Declared(answer=Answer.NA), D("0.50"), D("0.5"), FULL
    )
    assert out == Outcome(D("0.5"), not_applicable=True)


def test_na_under_exclude_refuses_a_typed_score() -> None:
    # The docstring of resolve_self_score: a typed score that disagrees with the rule is
    # refused "rather than silently replaced". Under EXCLUDE the rule says "no score at all",
    # so a typed 0,5 disagrees with it and must not be silently dropped.
    with pytest.raises(ScoreError):
        resolve_self_score(
            YesNoRule(allow_na=True), Declared(answer=Answer.NA), D("0.5"), D("0.5"), EXCLUDE
        )


def test_typed_score_while_rule_pending_is_range_checked() -> None:
    rule = YesNoRule()
    assert resolve_self_score(rule, Declared(), D("0.5"), D("0.5"), FULL) == Outcome(D("0.5"))
    with pytest.raises(ScoreError):
        resolve_self_score(rule, Declared(), D("0.75"), D("0.5"), FULL)
    with pytest.raises(ScoreError):
        resolve_self_score(rule, Declared(), D("-0.5"), D("0.5"), FULL)


# --------------------------------------------------------------------------- numbers

TO_DECIMAL_OK: list[tuple[object, Decimal]] = [
    ("0,5", D("0.5")),
    ("16.5", D("16.5")),
    ("16,5", D("16.5")),
    (" 1 ", D(1)),
    ("1", D(1)),
    ("0,375", D("0.375")),
    ("-0,25", D("-0.25")),
    ("1 234,5", D("1234.5")),
    ("1\u00a0234", D(1234)),
    (7, D(7)),
    (D("0.125"), D("0.125")),
]


@pytest.mark.parametrize(("value", "expected"), TO_DECIMAL_OK)
def test_to_decimal(value: object, expected: Decimal) -> None:
    result = to_decimal(value)
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize(
    "value",
    [
        0.5,
        1.0,
        "abc",
        "",
        " ",
        "1,2,3",
        "1.234,5",
        "NaN",
        "nan",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        D("NaN"),
        D("Infinity"),
        None,
        True,
        False,
        [1],
    ],
)
def test_to_decimal_refuses(value: object) -> None:
    with pytest.raises(NumberError):
        to_decimal(value)


def test_number_error_is_a_value_error() -> None:
    assert issubclass(NumberError, ValueError)


ROUND_CASES: list[tuple[str, int, str]] = [
    ("0.125", 2, "0.13"),
    ("84.955", 2, "84.96"),
    ("2.675", 2, "2.68"),
    ("0.375", 2, "0.38"),
    ("0.374", 2, "0.37"),
    ("-0.125", 2, "-0.13"),
    ("2.5", 0, "3"),
    ("72.05882352941176470588235294", 2, "72.06"),
    ("1", 2, "1.00"),
]


@pytest.mark.parametrize(("value", "places", "expected"), ROUND_CASES)
def test_round_half_up(value: str, places: int, expected: str) -> None:
    result = round_half_up(D(value), places)
    assert result == D(expected)
    assert str(result) == expected


FORMAT_VI_CASES: list[tuple[str, int, str]] = [
    ("1234.5", 2, "1.234,50"),
    ("-1234.5", 2, "-1.234,50"),
    ("-0.3", 2, "-0,30"),
    ("0.3", 2, "0,30"),
    ("84.955", 2, "84,96"),
    ("0", 2, "0,00"),
    ("100", 2, "100,00"),
    ("999.995", 2, "1.000,00"),
    ("1234567.891", 2, "1.234.567,89"),
    ("1234.5", 0, "1.235"),
    ("0.375", 3, "0,375"),
    ("-0.001", 2, "0,00"),  # never "-0,00"
]


@pytest.mark.parametrize(("value", "places", "expected"), FORMAT_VI_CASES)
def test_format_vi(value: str, places: int, expected: str) -> None:
    assert format_vi(D(value), places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("16.5", "16,5"),
        ("7", "7"),
        ("0.375", "0,375"),
        ("7.00", "7"),
        ("0.50", "0,5"),
        ("100", "100"),
        ("1E+1", "10"),
        ("29", "29"),
    ],
)
def test_format_max(value: str, expected: str) -> None:
    assert format_max(D(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.3750", "0.375"), ("1E+1", "10"), ("100", "100"), ("2.50", "2.5"), ("7.000", "7")],
)
def test_normalize(value: str, expected: str) -> None:
    result = normalize(D(value))
    assert str(result) == expected
    assert result == D(value)


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        ("0.75", "0.25", True),
        ("0.3", "0.25", False),
        ("0", "0.5", True),
        ("1.5", "0.5", True),
        ("0.125", "0.25", False),
    ],
)
def test_is_multiple(value: str, step: str, expected: bool) -> None:
    assert is_multiple(D(value), D(step)) is expected


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Khắc phục", "khac phuc"),
        ("Đảng", "dang"),
        ("đảng", "dang"),
        ("ĐẢNG ỦY", "dang uy"),
        ("  Cải   cách\tthể chế ", "cai cach the che"),
        ("Hoàn thành tốt", "hoan thanh tot"),
        ("", ""),
    ],
)
def test_fold(value: str, expected: str) -> None:
    assert fold(value) == expected
    assert fold(nfd(value)) == expected  # decomposed input folds the same


def test_fold_nfd_same_as_nfc() -> None:
    text = "Xây dựng và phát triển chính quyền điện tử, chính quyền số"
    assert nfd(text) != text
    assert (
        fold(nfd(text))
        == fold(text)
        == "xay dung va phat trien chinh quyen dien tu, chinh quyen so"
    )


def test_clean() -> None:
    assert clean(None) == ""
    assert clean("") == ""
    assert clean("  Khắc phục \n") == "Khắc phục"
    composed = clean(nfd(" Ủy ban nhân dân "))
    assert composed == "Ủy ban nhân dân"
    assert unicodedata.is_normalized("NFC", composed)
    assert len(composed) == len("Ủy ban nhân dân")


def test_clean_makes_line_ends_unix() -> None:
    # Windows files bring "\r\n"; stored text must not depend on where it was typed.
    assert clean("  a\r\nb\rc\n ") == "a\nb\nc"
