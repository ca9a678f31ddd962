"""Criteria sets: a tree of scored nodes, loaded as data, immutable once published."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .errors import CriteriaError
from .numbers import ZERO, NumberError, to_decimal
from .scoring import DeductionRule, FreeRule, NaPolicy, RatioRule, Rule, TiersRule


class IndexKind(StrEnum):
    PAR = "PAR"
    SIPAS = "SIPAS"
    PAPI = "PAPI"
    DTI = "DTI"
    DAN_VAN = "DAN_VAN"
    OTHER = "OTHER"


class SetStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Part(StrEnum):
    """Main points, bonus points (điểm cộng), or penalties (điểm trừ, stored positive)."""

    MAIN = "main"
    BONUS = "bonus"
    PENALTY = "penalty"


class ScoreKind(StrEnum):
    SELF = "self"  # scored by the commune, then appraised
    SURVEY = "survey"  # sociological survey (điều tra XHH), entered by the appraiser


@dataclass(frozen=True)
class Band:
    """A classification band of the set: index >= ``min_index`` gives ``label``."""

    min_index: Decimal
    label: str
    group: str = ""


@dataclass(frozen=True)
class CriterionNode:
    code: str
    title: str
    max_points: Decimal
    parent_code: str | None = None
    part: Part = Part.MAIN
    rule: Rule | None = None  # leaves only
    scoring_text: str = ""  # cách tính điểm, as the set words it
    evidence_text: str = ""  # tài liệu kiểm chứng required
    guidance: str = ""
    score_kinds: frozenset[ScoreKind] = frozenset({ScoreKind.SELF})
    max_text: str = ""  # the maximum as the set writes it ("16,5"), for printing


@dataclass(frozen=True)
class CriteriaSet:
    code: str
    name: str
    index_kind: IndexKind
    period: str
    version: int
    nodes: tuple[CriterionNode, ...]  # document order: each parent before its children
    issuer: str = ""
    decision: str = ""
    status: SetStatus = SetStatus.DRAFT
    na_policy: NaPolicy = NaPolicy.FULL
    bonus_may_exceed_max: bool = False
    bands: tuple[Band, ...] = ()
    is_sample: bool = False
    description: str = ""
    _children: dict[str | None, tuple[CriterionNode, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _by_code: dict[str, CriterionNode] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_code: dict[str, CriterionNode] = {}
        children: dict[str | None, list[CriterionNode]] = {}
        for node in self.nodes:
            if node.code in by_code:
                raise CriteriaError("The criterion code '{code}' appears twice.", code=node.code)
            if node.parent_code is not None and node.parent_code not in by_code:
                raise CriteriaError(
                    "Criterion '{code}' comes before its parent '{parent}'.",
                    code=node.code,
                    parent=node.parent_code,
                )
            by_code[node.code] = node
            children.setdefault(node.parent_code, []).append(node)
        self._by_code.update(by_code)
        self._children.update({k: tuple(v) for k, v in children.items()})

    # -- tree access ---------------------------------------------------------------
    def node(self, code: str) -> CriterionNode:
        try:
            return self._by_code[code]
        except KeyError:
            raise CriteriaError("There is no criterion '{code}' in this set.", code=code) from None

    def has(self, code: str) -> bool:
        return code in self._by_code

    def children(self, code: str | None) -> tuple[CriterionNode, ...]:
        return self._children.get(code, ())

    def roots(self, part: Part | None = None) -> tuple[CriterionNode, ...]:
        return tuple(n for n in self.children(None) if part is None or n.part is part)

    def is_leaf(self, code: str) -> bool:
        return not self._children.get(code)

    def leaves(self) -> Iterator[CriterionNode]:
        return (n for n in self.nodes if self.is_leaf(n.code))

    def leaves_under(self, code: str) -> list[CriterionNode]:
        """The leaves of the subtree rooted at ``code`` (the node itself if it is a leaf)."""
        kids = self.children(code)
        if not kids:
            return [self.node(code)]
        return [leaf for kid in kids for leaf in self.leaves_under(kid.code)]

    def area_of(self, code: str) -> CriterionNode:
        node = self.node(code)
        while node.parent_code is not None:
            node = self.node(node.parent_code)
        return node

    def depth(self, code: str) -> int:
        depth, node = 0, self.node(code)
        while node.parent_code is not None:
            depth, node = depth + 1, self.node(node.parent_code)
        return depth

    def walk(self) -> Iterator[tuple[int, CriterionNode]]:
        """Depth-first, in document order, with each node's depth (areas are 0)."""

        def visit(parent: str | None, depth: int) -> Iterator[tuple[int, CriterionNode]]:
            for child in self.children(parent):
                yield depth, child
                yield from visit(child.code, depth + 1)

        return visit(None, 0)

    @property
    def max_total(self) -> Decimal:
        return sum((n.max_points for n in self.roots(Part.MAIN)), ZERO)

    def band_for(self, index: Decimal) -> Band | None:
        for band in sorted(self.bands, key=lambda b: b.min_index, reverse=True):
            if index >= band.min_index:
                return band
        return None

    # -- consistency ---------------------------------------------------------------
    def validate(self) -> None:
        """Raise CriteriaError on the first inconsistency a clerk or issuer must fix."""
        if not self.code.strip():
            raise CriteriaError("The criteria set has no code.")
        if self.version < 1:
            raise CriteriaError("The criteria set version must be 1 or more.")
        if not self.roots(Part.MAIN):
            raise CriteriaError("The criteria set has no scored areas.")
        for node in self.nodes:
            if node.max_points < ZERO:
                raise CriteriaError("Criterion '{code}' has a negative maximum.", code=node.code)
            if node.max_text and _parse_max(node.max_text) != node.max_points:
                raise CriteriaError(
                    "Criterion '{code}': the maximum as written ({text}) is not {max}.",
                    code=node.code,
                    text=node.max_text,
                    max=node.max_points,
                )
            if not node.title.strip():
                raise CriteriaError("Criterion '{code}' has no title.", code=node.code)
            if node.parent_code is not None:
                parent = self.node(node.parent_code)
                if parent.part is not node.part:
                    raise CriteriaError(
                        "Criterion '{code}' is not in the same part as its parent.",
                        code=node.code,
                    )
            if not node.score_kinds:
                raise CriteriaError("Criterion '{code}' has no kind of score.", code=node.code)
            kids = self.children(node.code)
            if kids:
                if node.rule is not None:
                    raise CriteriaError(
                        "Criterion '{code}' has sub-criteria, so it cannot have its own rule.",
                        code=node.code,
                    )
                total = sum((k.max_points for k in kids), ZERO)
                if total != node.max_points:
                    raise CriteriaError(
                        "The sub-criteria of '{code}' add up to {total}, not its maximum {max}.",
                        code=node.code,
                        total=total,
                        max=node.max_points,
                    )
            elif node.rule is None:
                raise CriteriaError("Criterion '{code}' has no scoring rule.", code=node.code)
            else:
                _check_rule(node)


def _parse_max(text: str) -> Decimal | None:
    try:
        return to_decimal(text)
    except NumberError:
        return None


def _check_rule(node: CriterionNode) -> None:
    rule = node.rule
    if isinstance(rule, TiersRule):
        if not rule.tiers:
            raise CriteriaError("Criterion '{code}' has no levels.", code=node.code)
        for tier in rule.tiers:
            if (tier.points is None) == (tier.percent is None):
                raise CriteriaError(
                    "Each level of '{code}' needs either points or a percentage.", code=node.code
                )
            if not ZERO <= tier.value(node.max_points) <= node.max_points:
                raise CriteriaError(
                    "A level of '{code}' gives more than its maximum.", code=node.code
                )
    elif isinstance(rule, RatioRule):
        mins = [t.min_percent for t in rule.thresholds]
        if not mins or mins != sorted(mins, reverse=True):
            raise CriteriaError(
                "The ratio thresholds of '{code}' must go from highest to lowest.", code=node.code
            )
        for threshold in rule.thresholds:
            if (threshold.points is None) == (threshold.percent is None):
                raise CriteriaError(
                    "Each threshold of '{code}' needs either points or a percentage.",
                    code=node.code,
                )
            if not ZERO <= threshold.value(node.max_points) <= node.max_points:
                raise CriteriaError(
                    "A threshold of '{code}' gives more than its maximum.", code=node.code
                )
    elif isinstance(rule, DeductionRule):
        if rule.per_item <= ZERO:
            raise CriteriaError(
                "The deduction per item of '{code}' must be positive.", code=node.code
            )
        if rule.free_items < 0:
            raise CriteriaError(
                "The number of items without deduction of '{code}' cannot be negative.",
                code=node.code,
            )
    elif isinstance(rule, FreeRule) and rule.step is not None and rule.step <= ZERO:
        raise CriteriaError("The score step of '{code}' must be positive.", code=node.code)
