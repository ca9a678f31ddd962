"""The built-in sample criteria set (resources/criteria/sample-commune-par.json)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from parapp.domain.criteria import CriteriaSet, Part, ScoreKind
from parapp.domain.scoring import Declared, NaPolicy, RuleKind, TiersRule, YesNoRule
from parapp.formats.criteria_json import dumps, loads, to_dict

SAMPLE = Path(__file__).parents[1] / "resources" / "criteria" / "sample-commune-par.json"


def _read() -> str:
    with open(SAMPLE, encoding="utf-8") as fh:
        return fh.read()


@pytest.fixture(scope="module")
def sample() -> CriteriaSet:
    return loads(_read())


def test_loads_and_validates(sample: CriteriaSet) -> None:
    sample.validate()
    assert sample.code == "MAU-CCHC-XA"
    assert sample.is_sample is True
    assert sample.status.value == "published"
    assert sample.na_policy is NaPolicy.FULL
    assert "không phải văn bản chính thức" in sample.name


def test_eight_main_areas_total_100(sample: CriteriaSet) -> None:
    areas = sample.roots(Part.MAIN)
    assert [a.code for a in areas] == [str(i) for i in range(1, 9)]
    assert sample.max_total == Decimal("100")
    for area in areas:
        assert 3 <= len(sample.children(area.code)) <= 7


def test_bonus_and_penalty_roots(sample: CriteriaSet) -> None:
    bonus = sample.roots(Part.BONUS)
    penalty = sample.roots(Part.PENALTY)
    assert [(n.code, n.max_points) for n in bonus] == [("C", Decimal("2"))]
    assert [(n.code, n.max_points) for n in penalty] == [("T", Decimal("3"))]


def test_every_rule_kind_used_at_least_twice(sample: CriteriaSet) -> None:
    leaves = list(sample.leaves())
    assert all(leaf.rule is not None for leaf in leaves)
    counts = Counter(leaf.rule.kind for leaf in leaves if leaf.rule is not None)
    for kind in RuleKind:
        assert counts[kind] >= 2, kind


def test_yes_no_with_not_applicable(sample: CriteriaSet) -> None:
    assert any(isinstance(leaf.rule, YesNoRule) and leaf.rule.allow_na for leaf in sample.leaves())


def test_tier_of_half_point_is_exact(sample: CriteriaSet) -> None:
    found = False
    for leaf in sample.leaves():
        if isinstance(leaf.rule, TiersRule) and leaf.max_points == Decimal("0.5"):
            values = {t.value(leaf.max_points) for t in leaf.rule.tiers}
            if Decimal("0.375") in values:
                found = True
                tier = next(t for t in leaf.rule.tiers if t.percent == Decimal("75"))
                outcome = leaf.rule.compute(
                    Declared(tier=tier.key), leaf.max_points, sample.na_policy
                )
                assert outcome.score == Decimal("0.375")
    assert found


def test_survey_area_is_survey_only(sample: CriteriaSet) -> None:
    leaves = [leaf for leaf in sample.leaves() if sample.area_of(leaf.code).code == "8"]
    assert leaves
    for leaf in leaves:
        assert leaf.score_kinds == frozenset({ScoreKind.SURVEY})
        assert leaf.rule is not None and leaf.rule.kind is RuleKind.FREE
    others = [leaf for leaf in sample.leaves() if sample.area_of(leaf.code).code != "8"]
    assert all(ScoreKind.SURVEY not in leaf.score_kinds for leaf in others)


def test_text_is_nfc() -> None:
    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for k, v in value.items() for s in strings(k) + strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    raw = _read()
    assert unicodedata.is_normalized("NFC", raw)
    assert "\\u" not in raw  # real diacritics, not escapes
    texts = strings(json.loads(raw))
    assert texts
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_has_sub_criteria_at_depth_two(sample: CriteriaSet) -> None:
    deep = [node for depth, node in sample.walk() if depth == 2]
    assert deep
    assert all(sample.depth(node.code) == 2 for node in deep)


def test_leaves_have_scoring_text(sample: CriteriaSet) -> None:
    for leaf in sample.leaves():
        assert leaf.scoring_text, leaf.code


def test_round_trip(sample: CriteriaSet) -> None:
    again = loads(dumps(sample))
    assert to_dict(again) == to_dict(sample)
    assert again.max_total == sample.max_total
