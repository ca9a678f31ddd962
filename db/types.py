"""Column types that keep points exact in SQLite."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from parapp.domain.numbers import normalize


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as its canonical text ("0.375"): SQLite has no exact numeric type,
    and integer hundredths would turn a 75% tier of 0,5 (0,375) into a rounded value."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"points must be Decimal, got {type(value).__name__}")
        return f"{normalize(value):f}"

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
