"""Scoring rules as data, and the score each rule gives to declared data.

A rule never decides the node's maximum: the node does. Percentages are of that maximum,
computed exactly (a 75% tier of 0,5 is 0,375).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .errors import ScoreError
from .numbers import HUNDRED, ZERO, is_multiple, to_decimal
from .text import fold

MAX_COUNT = 1_000_000  # items counted for a deduction; more is a typing mistake


class RuleKind(StrEnum):
    YES_NO = "yes_no"
    TIERS = "tiers"
    RATIO = "ratio"
    DEDUCTION = "deduction"
    FREE = "free"


class NaPolicy(StrEnum):
    """What "Không áp dụng" does to a node; the criteria set decides."""

    FULL = "full"  # counts as the node's maximum
    EXCLUDE = "exclude"  # the node leaves both the score and the maximum


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NA = "na"


@dataclass(frozen=True)
class Declared:
    """Declared data (số liệu kê khai) for one node; which fields matter depends on the rule."""

    answer: Answer | None = None
    tier: str | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    count: int | None = None

    def is_empty(self) -> bool:
        return all(
            v is None
            for v in (self.answer, self.tier, self.numerator, self.denominator, self.count)
        )

    def to_dict(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {}
        if self.answer is not None:
            out["answer"] = self.answer.value
        if self.tier is not None:
            out["tier"] = self.tier
        if self.numerator is not None:
            out["numerator"] = str(self.numerator)
        if self.denominator is not None:
            out["denominator"] = str(self.denominator)
        if self.count is not None:
            out["count"] = self.count
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> Declared:
        if not data:
            return cls()
        answer = data.get("answer")
        num, den, count = data.get("numerator"), data.get("denominator"), data.get("count")
        return cls(
            answer=Answer(str(answer)) if answer is not None else None,
            tier=str(data["tier"]) if data.get("tier") is not None else None,
            numerator=to_decimal(num) if num is not None else None,
            denominator=to_decimal(den) if den is not None else None,
            count=int(str(count)) if count is not None else None,
        )


@dataclass(frozen=True)
class Outcome:
    """What a rule makes of declared data: a score, "not applicable", or nothing yet."""

    score: Decimal | None
    not_applicable: bool = False


PENDING = Outcome(None)


def _points_or_percent(points: Decimal | None, percent: Decimal | None, of: Decimal) -> Decimal:
    """Fixed points, or a percentage of the node's maximum computed exactly."""
    if points is not None:
        return points
    assert percent is not None
    return of * percent / HUNDRED


@dataclass(frozen=True)
class Tier:
    key: str
    label: str
    points: Decimal | None = None
    percent: Decimal | None = None

    def value(self, max_points: Decimal) -> Decimal:
        return _points_or_percent(self.points, self.percent, max_points)


@dataclass(frozen=True)
class Threshold:
    """Ratio at or above ``min_percent`` earns ``points`` or ``percent`` of the maximum."""

    min_percent: Decimal
    points: Decimal | None = None
    percent: Decimal | None = None

    def value(self, max_points: Decimal) -> Decimal:
        return _points_or_percent(self.points, self.percent, max_points)


def _na(policy: NaPolicy, max_points: Decimal) -> Outcome:
    if policy is NaPolicy.FULL:
        return Outcome(max_points, not_applicable=True)
    return Outcome(None, not_applicable=True)


@dataclass(frozen=True)
class YesNoRule:
    allow_na: bool = False
    kind: RuleKind = field(default=RuleKind.YES_NO, init=False)

    def compute(self, declared: Declared, max_points: Decimal, na: NaPolicy) -> Outcome:
        if declared.answer is None:
            return PENDING
        if declared.answer is Answer.NA:
            if not self.allow_na:
                raise ScoreError("This criterion does not allow 'not applicable'.")
            return _na(na, max_points)
        return Outcome(max_points if declared.answer is Answer.YES else ZERO)


@dataclass(frozen=True)
class TiersRule:
    tiers: tuple[Tier, ...]
    allow_na: bool = False
    kind: RuleKind = field(default=RuleKind.TIERS, init=False)

    def tier(self, key_or_label: str) -> Tier:
        wanted = fold(key_or_label)
        for tier in self.tiers:
            if fold(tier.key) == wanted or fold(tier.label) == wanted:
                return tier
        raise ScoreError("Unknown level '{value}'.", value=key_or_label)

    def compute(self, declared: Declared, max_points: Decimal, na: NaPolicy) -> Outcome:
        if declared.answer is Answer.NA:
            if not self.allow_na:
                raise ScoreError("This criterion does not allow 'not applicable'.")
            return _na(na, max_points)
        if declared.tier is None:
            return PENDING
        return Outcome(self.tier(declared.tier).value(max_points))


class ZeroCases(StrEnum):
    """What a ratio with no cases at all (denominator 0) earns."""

    FULL = "full"
    NA = "na"
    ZERO = "zero"


@dataclass(frozen=True)
class RatioRule:
    thresholds: tuple[Threshold, ...]  # highest min_percent first
    zero_cases: ZeroCases = ZeroCases.FULL
    kind: RuleKind = field(default=RuleKind.RATIO, init=False)

    def compute(self, declared: Declared, max_points: Decimal, na: NaPolicy) -> Outcome:
        num, den = declared.numerator, declared.denominator
        if num is None and den is None:
            return PENDING
        if num is None or den is None:
            raise ScoreError("Both the number achieved and the total are needed.")
        if num < ZERO or den < ZERO:
            raise ScoreError("Declared numbers cannot be negative.")
        if num > den:
            raise ScoreError(
                "The number achieved ({num}) is larger than the total ({den}).", num=num, den=den
            )
        if den == ZERO:
            if self.zero_cases is ZeroCases.FULL:
                return Outcome(max_points)
            if self.zero_cases is ZeroCases.NA:
                return _na(na, max_points)
            return Outcome(ZERO)
        ratio = num * HUNDRED / den
        for threshold in self.thresholds:
            if ratio >= threshold.min_percent:
                return Outcome(threshold.value(max_points))
        return Outcome(ZERO)


@dataclass(frozen=True)
class DeductionRule:
    """Each counted item (a late report, a breach) deducts ``per_item``; floored at 0."""

    per_item: Decimal
    free_items: int = 0
    kind: RuleKind = field(default=RuleKind.DEDUCTION, init=False)

    def compute(self, declared: Declared, max_points: Decimal, na: NaPolicy) -> Outcome:
        if declared.count is None:
            return PENDING
        if declared.count < 0:
            raise ScoreError("The number of items cannot be negative.")
        if declared.count > MAX_COUNT:
            raise ScoreError("The number of items {count} is not plausible.", count=declared.count)
        counted = max(0, declared.count - self.free_items)
        return Outcome(max(ZERO, max_points - self.per_item * counted))


@dataclass(frozen=True)
class FreeRule:
    """Judgement: any score in [0, max] in steps of ``step`` (no step: any exact value)."""

    step: Decimal | None = None
    allow_na: bool = False
    kind: RuleKind = field(default=RuleKind.FREE, init=False)

    def compute(self, declared: Declared, max_points: Decimal, na: NaPolicy) -> Outcome:
        if declared.answer is Answer.NA:
            if not self.allow_na:
                raise ScoreError("This criterion does not allow 'not applicable'.")
            return _na(na, max_points)
        return PENDING


Rule = YesNoRule | TiersRule | RatioRule | DeductionRule | FreeRule


def computes(rule: Rule) -> bool:
    """Whether the rule derives the score from declared data (otherwise it is typed)."""
    return not isinstance(rule, FreeRule)


def check_score(rule: Rule, score: Decimal, max_points: Decimal) -> None:
    """Refuse a typed score outside [0, max] or off the rule's step."""
    if score < ZERO or score > max_points:
        raise ScoreError("The score {score} is outside 0 to {max}.", score=score, max=max_points)
    if isinstance(rule, FreeRule) and rule.step is not None and not is_multiple(score, rule.step):
        raise ScoreError("The score {score} is not a step of {step}.", score=score, step=rule.step)


def resolve_self_score(
    rule: Rule,
    declared: Declared,
    typed: Decimal | None,
    max_points: Decimal,
    na: NaPolicy,
) -> Outcome:
    """Combine declared data and a typed score into the self score.

    A rule that computes wins; a typed score that disagrees with it is refused rather than
    silently replaced, because one of the two is a mistake the clerk must see.
    """
    outcome = rule.compute(declared, max_points, na)
    if outcome.not_applicable:
        if typed is not None and outcome.score is None:
            raise ScoreError(
                "The criterion is marked not applicable and leaves the total, so it takes no "
                "score (typed: {typed}).",
                typed=typed,
            )
        if typed is not None and outcome.score is not None and typed != outcome.score:
            raise ScoreError(
                "The typed score {typed} disagrees with the rule, which gives {computed}.",
                typed=typed,
                computed=outcome.score,
            )
        return outcome
    if outcome.score is not None:
        if typed is not None and typed != outcome.score:
            raise ScoreError(
                "The typed score {typed} disagrees with the rule, which gives {computed}.",
                typed=typed,
                computed=outcome.score,
            )
        return outcome
    if typed is None:
        return PENDING
    check_score(rule, typed, max_points)
    if not rule_can_give(rule, max_points, typed):
        raise ScoreError(
            "The score {score} is not one this rule can give; enter the declared data instead.",
            score=typed,
        )
    return Outcome(typed)


def rule_can_give(rule: Rule, max_points: Decimal, score: Decimal) -> bool:
    """Whether a computing rule can give ``score`` at all (free rules: anything in range).

    Lets a score typed without its declared data be checked: a yes/no criterion of 0,5 can
    score 0 or 0,5, never 0,3.
    """
    if isinstance(rule, YesNoRule):
        return score in (ZERO, max_points)
    if isinstance(rule, TiersRule):
        return score == max_points or any(t.value(max_points) == score for t in rule.tiers)
    if isinstance(rule, RatioRule):
        return score in (ZERO, max_points) or any(
            t.value(max_points) == score for t in rule.thresholds
        )
    if isinstance(rule, DeductionRule):
        return score == ZERO or (
            ZERO <= score <= max_points and is_multiple(max_points - score, rule.per_item)
        )
    return True
