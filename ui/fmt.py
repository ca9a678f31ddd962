"""Numbers on screen: ``parapp.i18n`` formatting, safe for exact quotients.

An index is an exact quotient (8162/88 has no end); ``i18n.format_points`` refuses values
with more than 10 decimals, so they are first rounded half up to 10 places (which cannot
change the 2-place result except in a tie at the 11th place).
"""

from __future__ import annotations

from decimal import Decimal

from parapp.domain.numbers import MAX_PLACES, round_half_up
from parapp.i18n import format_max, format_points


def _safe(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        return round_half_up(value, MAX_PLACES)
    return value


def points(value: Decimal) -> str:
    """Two decimals, half up, decimal comma in Vietnamese: "13,63"."""
    return format_points(_safe(value))


def exact(value: Decimal) -> str:
    """As exact as needed, no trailing zeros: "16,5", "0,375"."""
    return format_max(_safe(value))
