"""Published results (typed in or imported) and ranking where the database holds many units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import DomainError
from .numbers import HUNDRED, ZERO


@dataclass(frozen=True)
class AreaResult:
    code: str
    points: Decimal
    max_points: Decimal
    rank: int | None = None


@dataclass(frozen=True)
class PublishedResult:
    """What the appraiser published for one unit and period (chỉ số, xếp hạng, quyết định)."""

    index: Decimal
    points: Decimal | None = None
    max_points: Decimal | None = None
    rank: int | None = None
    rank_of: int | None = None
    band: str = ""
    decision_number: str = ""  # "70/QĐ-UBND"
    decision_date: date | None = None
    issuer: str = ""  # "UBND huyện Văn Lãng"
    areas: tuple[AreaResult, ...] = ()

    def validate(self) -> None:
        if not ZERO <= self.index <= HUNDRED * 2:
            raise DomainError("The index {index} is not a plausible value.", index=self.index)
        if self.rank is not None and self.rank < 1:
            raise DomainError("The rank must be 1 or more.")
        if self.rank_of is not None and self.rank_of < 1:
            raise DomainError("The number of units ranked must be 1 or more.")
        if self.points is not None and self.points < ZERO:
            raise DomainError("The points cannot be negative.")
        if self.max_points is not None and self.max_points <= ZERO:
            raise DomainError("The maximum points must be more than 0.")
        if self.rank_of is not None and self.rank is not None and self.rank > self.rank_of:
            raise DomainError(
                "Rank {rank} cannot be out of only {of} units.", rank=self.rank, of=self.rank_of
            )
        for area in self.areas:
            if area.points < ZERO or area.points > area.max_points:
                raise DomainError(
                    "Area {code}: {points} points is outside 0 to {max}.",
                    code=area.code,
                    points=area.points,
                    max=area.max_points,
                )


def rank(values: Mapping[str, Decimal]) -> dict[str, int]:
    """Competition ranking, highest first: 90, 85, 85, 80 rank 1, 2, 2, 4.

    Equal exact values share a rank; the order among them is by key for stable output.
    """
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks: dict[str, int] = {}
    previous: Decimal | None = None
    current = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            current, previous = position, value
        ranks[key] = current
    return ranks
