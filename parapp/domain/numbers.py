"""Exact points: Decimal parsing and half-up rounding (never float)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
LIMIT = Decimal(10) ** 9  # no point, count or index comes near a billion
MAX_PLACES = 10


class Points(Decimal):
    """A figure a message shows as points, two decimals ("0,50"); a plain Decimal is shown
    exactly as given ("0,5")."""

    __slots__ = ()


class NumberError(ValueError):
    """A text that should be a number is not one."""


def to_decimal(value: object) -> Decimal:
    """Parse a point value exactly.

    Accepts Decimal, int and text with a decimal comma or point ("0,5", "16.5").
    Floats are refused: they are how 0,1 + 0,2 stops being 0,3.
    """
    if isinstance(value, bool):
        raise NumberError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise NumberError(f"not a number: {value!r}") from exc
    else:
        raise NumberError(f"not a number: {value!r}")
    if not result.is_finite():
        raise NumberError(f"not a finite number: {value!r}")
    # Typed points, counts and indices are small; a text like "1e30" is a typing mistake,
    # and letting it in would break exact arithmetic further on. (Computed values, passed in
    # as Decimal, may carry many places: 62/70 is 88,571428…)
    exponent = result.as_tuple().exponent  # an int: the value is finite
    if isinstance(value, str) and (
        abs(result) >= LIMIT
        or (result != 0 and isinstance(exponent, int) and exponent < -MAX_PLACES)
    ):
        raise NumberError(f"out of range: {value!r}")
    return result


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round for display only; stored values stay exact."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def normalize(value: Decimal) -> Decimal:
    """Canonical exact form for storage: 0.3750 -> 0.375, 1E+1 -> 10."""
    result = value.normalize()
    if result.adjusted() >= 27:  # quantize cannot hold it; leave it in exponent form
        return result
    if result == result.to_integral_value():
        return result.quantize(Decimal(1))
    return result


def is_multiple(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is a whole number of ``step`` (e.g. 0,75 in steps of 0,25)."""
    if step <= ZERO:
        return True
    return (value / step) == (value / step).to_integral_value()


def format_vi(value: Decimal, places: int = 2) -> str:
    """Vietnamese number for documents: 1234.5 -> "1.234,50" (half up; documents are always vi).

    Screens format through Babel in the user's locale; this is for document text built in
    the domain, which must stay free of third-party imports.
    """
    rounded = round_half_up(value, places)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if frac else f"{sign}{text}"


def format_max(value: Decimal) -> str:
    """A maximum as criteria sets write it: 16.5 -> "16,5", 7 -> "7"."""
    text = f"{normalize(value):f}"
    return text.replace(".", ",")
