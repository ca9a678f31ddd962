"""Deadlines ("thời hạn") of remediation items.

Clerks write deadlines as free Vietnamese text. We keep that wording for printing and parse it
into an inclusive date interval used for overdue status and period reports. Parsing is
deliberately conservative: anything ambiguous becomes UNPARSED (never overdue) instead of a
guessed interval that could wrongly flag work as late.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["MAX_YEAR", "MIN_YEAR", "Deadline", "DeadlineKind", "parse_deadline"]

MIN_YEAR = 2000
MAX_YEAR = 2100


class DeadlineKind(StrEnum):
    """Shape of a deadline. The values are stored in the database: never change them."""

    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    SPAN = "span"  # several periods joined, or part of a period ("đầu năm", "cuối quý III")
    HALF_YEAR = "half_year"
    YEAR = "year"
    ONGOING = "ongoing"
    UNPARSED = "unparsed"


_OPEN_KINDS = frozenset({DeadlineKind.ONGOING, DeadlineKind.UNPARSED})


@dataclass(frozen=True)
class Deadline:
    """A clerk's deadline wording plus the inclusive interval it denotes."""

    text: str
    kind: DeadlineKind
    start: date | None
    end: date | None

    def __post_init__(self) -> None:
        # Rows loaded from the database come through here too: accept the stored string value
        # and reject inconsistent data early rather than mis-reporting overdue items later.
        object.__setattr__(self, "kind", DeadlineKind(self.kind))
        if self.kind in _OPEN_KINDS:
            if self.start is not None or self.end is not None:
                raise ValueError(f"a {self.kind} deadline has no interval")
        elif self.start is None or self.end is None:
            raise ValueError(f"a {self.kind} deadline needs start and end")
        elif self.start > self.end:
            raise ValueError("deadline start is after its end")

    @property
    def is_ongoing(self) -> bool:
        return self.kind == DeadlineKind.ONGOING

    def is_overdue(self, as_of: date, done: bool) -> bool:
        """True iff the work is not done and `as_of` is after the last day of the interval."""
        return not done and self.end is not None and as_of > self.end

    def is_due_between(self, first: date, last: date) -> bool:
        """Whether the interval overlaps the inclusive window [first, last].

        Ongoing work is reported in every period; unparsed wording never matches a window.
        """
        if first > last:
            raise ValueError("window first day is after its last day")
        if self.is_ongoing:
            return True
        if self.start is None or self.end is None:
            return False
        return self.start <= last and self.end >= first


_Span = tuple[date, date]


@dataclass(frozen=True)
class _Item:
    """One element of a deadline phrase; its year may be borrowed from a neighbour."""

    kind: DeadlineKind
    year: int | None
    build: Callable[[int], _Span]  # raises ValueError for impossible dates


_TRANSLATE = str.maketrans(
    {"ð": "đ", "–": "-", "—": "-", "‒": "-", "−": "-", "ⅰ": "i", "ⅱ": "ii", "ⅲ": "iii", "ⅳ": "iv"}
)
# "quí", "qúy", "qúi" are common spellings of "quý"; bare "quy" ("quy định") is another word.
_QUARTER_WORD_RE = re.compile(r"\bq(?:uý|uí|úy|úi)\b")
_ONGOING_RE = re.compile(
    r"\b(?:thường xuyên|liên tục|thường niên|định kỳ|(?:hàng|hằng) (?:ngày|tuần|tháng|quý|năm))\b"
)
_LEAD_RE = re.compile(r"^[\s\"'“”‘’*•+-]+")
_PREFIX_RE = re.compile(
    r"(?:thời gian (?:khắc phục|thực hiện|hoàn thành)"
    r"|thời hạn(?: (?:khắc phục|thực hiện|hoàn thành))?"
    r"|hoàn thành|thực hiện|khắc phục|dự kiến|giai đoạn|khoảng"
    r"|chậm nhất(?: là)?|muộn nhất(?: là)?|(?P<before>trước)|trong|vào"
    r"|cho đến hết|cho đến|đến hết|đến|hết|(?P<since>từ)|là)\b[\s:,-]*"
)
_SUFFIX_RE = re.compile(r"(?:[\s\"'“”‘’.,;:!]|\b(?:là xong|xong|hoàn thành)\b)+$")
_DAY_MONTH_WORDS_RE = re.compile(r"\bngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\b")
_NUM_DATE_RE = re.compile(r"\b(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d+)\b")
# A period number followed by its year: "II năm 2024", "5, 2024", "II - 2024" -> "II/2024".
_ATTACH_YEAR_RE = re.compile(r"\b([ivx]+|\d{1,2})\s*(?:,\s*năm|năm|,|-)\s*(\d{4})\b")
_SPLIT_RE = re.compile(r"\s*(?:[,;+&-]|\b(?:và|cho đến hết|cho đến|đến hết|đến|tới|sang)\b)\s*")
_SEGMENT_PREFIX_RE = re.compile(r"^(?:từ|trong|hết)\s+")

_YEAR_RE = re.compile(
    r"(?:(?:(?P<half>6|sáu)\s*tháng|(?P<nua>nửa))\s*)?(?:(?P<mod>đầu|giữa|cuối)\s*)?"
    r"năm(?:\s*(?P<year>\d+))?"
)
_BARE_YEAR_RE = re.compile(r"\d{3,}")
_DATE_RE = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d+))?")
_PERIOD_RE = re.compile(
    r"(?:(?P<mod>đầu|giữa|cuối)\s*)?(?:(?P<unit>quý|tháng)\s*)?(?P<num>[ivx]+|\d{1,2})"
    r"(?:/(?P<year>\d+))?"
)

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER_MONTH = {"đầu": 0, "giữa": 1, "cuối": 2}  # offset of the month inside the quarter
_YEAR_PART = {"đầu": (1, 3), "giữa": (4, 9), "cuối": (10, 12)}
# "đầu/giữa/cuối tháng" follow the usual thượng/trung/hạ tuần split of a month.
_MONTH_PART = {"đầu": (1, 10), "giữa": (11, 20), "cuối": (21, 31)}


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _months(year: int, first: int, last: int) -> _Span:
    return date(year, first, 1), date(year, last, _last_day(year, last))


def _year(raw: str | None) -> int | None:
    """Explicit year or None; two-digit or out-of-range years make the phrase unparsable."""
    if raw is None:
        return None
    if len(raw) != 4 or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise ValueError(f"unsupported year {raw!r}")
    return int(raw)


def _normalise(text: str) -> tuple[str, bool, bool]:
    """Lower-case, strip filler words and unify notation.

    Also reports whether the phrase began with "trước" (before) or "từ" (from).
    """
    s = " ".join(text.lower().translate(_TRANSLATE).split())
    s = _QUARTER_WORD_RE.sub("quý", s)
    before = since = False
    s = _LEAD_RE.sub("", s)
    while m := _PREFIX_RE.match(s):
        before = before or m["before"] is not None
        since = since or m["since"] is not None
        s = s[m.end() :]
    s = _SUFFIX_RE.sub("", s)
    s = re.sub(r"\s*/\s*", "/", s)
    s = _DAY_MONTH_WORDS_RE.sub(r"\1/\2", s)  # "ngày 15 tháng 4" -> "15/4"
    s = re.sub(r"\bngày\s*(?=\d{1,2}/)", "", s)
    s = _NUM_DATE_RE.sub(_slash_date, s)
    s = _ATTACH_YEAR_RE.sub(r"\1/\2", s)
    return s, before, since


def _slash_date(m: re.Match[str]) -> str:
    # "tháng 3-4/2024" and "quý 1-2/2024" are ranges of periods, not day-month-year dates.
    if m.string[: m.start()].rstrip().endswith(("tháng", "quý")):
        return m[0]
    return f"{m[1]}/{m[2]}/{m[3]}"


def _parse_segment(seg: str, unit: str | None) -> tuple[_Item, str | None]:
    """Parse one element of a list; `unit` is carried over from the previous element
    so that "quý I, II/2024" reads the second element as a quarter."""
    if m := _YEAR_RE.fullmatch(seg):
        return _year_item(m), None
    if _BARE_YEAR_RE.fullmatch(seg):
        return _Item(DeadlineKind.YEAR, _year(seg), lambda y: _months(y, 1, 12)), None
    if m := _DATE_RE.fullmatch(seg):
        day, month = int(m["d"]), int(m["m"])
        return _Item(DeadlineKind.DATE, _year(m["y"]), lambda y: (date(y, month, day),) * 2), None
    m = _PERIOD_RE.fullmatch(seg)
    if m is None:
        raise ValueError(f"unknown deadline element {seg!r}")
    unit = m["unit"] or unit
    num, mod, year = m["num"], m["mod"], _year(m["year"])
    if unit is None and num.isdigit() and year is not None and mod is None:
        unit = "tháng"  # bare "5/2024" can only be a month
    if unit == "quý":
        quarter = _ROMAN.get(num) or (int(num) if num.isdigit() else 0)
        if not 1 <= quarter <= 4:
            raise ValueError(f"no quarter {num!r}")
        first = 3 * quarter - 2
        if mod is None:
            return _Item(DeadlineKind.QUARTER, year, lambda y: _months(y, first, first + 2)), unit
        month = first + _QUARTER_MONTH[mod]
        return _Item(DeadlineKind.SPAN, year, lambda y: _months(y, month, month)), unit
    if unit == "tháng" and num.isdigit() and 1 <= int(num) <= 12:
        month = int(num)
        if mod is None:
            return _Item(DeadlineKind.MONTH, year, lambda y: _months(y, month, month)), unit
        lo, hi = _MONTH_PART[mod]

        def part(y: int) -> _Span:
            return date(y, month, lo), date(y, month, min(hi, _last_day(y, month)))

        return _Item(DeadlineKind.SPAN, year, part), unit
    raise ValueError(f"unknown period {seg!r}")


def _year_item(m: re.Match[str]) -> _Item:
    year, mod = _year(m["year"]), m["mod"]
    if m["half"] or m["nua"]:
        if mod not in ("đầu", "cuối"):
            raise ValueError("a half year is either the first or the last")
        first = 1 if mod == "đầu" else 7
        return _Item(DeadlineKind.HALF_YEAR, year, lambda y: _months(y, first, first + 5))
    if mod is None:
        return _Item(DeadlineKind.YEAR, year, lambda y: _months(y, 1, 12))
    first, last = _YEAR_PART[mod]
    return _Item(DeadlineKind.SPAN, year, lambda y: _months(y, first, last))


def _build(item: _Item, year: int) -> _Span:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"unsupported year {year}")
    return item.build(year)


def _resolve(items: list[_Item], default_year: int | None) -> list[_Span]:
    """Give every element a year and return its interval.

    Elements without a year take it from the element after them ("quý I, II/2024"), or from
    the one before when they come last; with no year at all the first one gets default_year.
    A borrowed year that would put an element out of order is shifted by one, so
    "quý IV và quý I/2025" means Q4 2024 .. Q1 2025.
    """
    years = [item.year for item in items]
    if all(y is None for y in years):
        if default_year is None:
            raise ValueError("no year in the phrase and no default year")
        years[0] = default_year  # the rest follow in order: "tháng 11 đến tháng 2" crosses
    spans: dict[int, _Span] = {
        i: _build(item, y)
        for i, (item, y) in enumerate(zip(items, years, strict=True))
        if y is not None
    }
    for i in reversed(range(len(items) - 1)):
        if i not in spans and i + 1 in spans:
            year, nxt = years[i + 1], spans[i + 1]
            assert year is not None
            span = _build(items[i], year)
            if span[0] > nxt[0]:
                year -= 1
                span = _build(items[i], year)
            years[i], spans[i] = year, span
    for i in range(1, len(items)):
        if i not in spans:
            year, prev = years[i - 1], spans[i - 1]
            assert year is not None
            span = _build(items[i], year)
            if span[0] < prev[0]:
                year += 1
                span = _build(items[i], year)
            years[i], spans[i] = year, span
    return [spans[i] for i in range(len(items))]


def _parse_interval(
    body: str, default_year: int | None, since: bool
) -> tuple[DeadlineKind, date, date]:
    if not body:
        raise ValueError("nothing left to parse")
    items: list[_Item] = []
    unit: str | None = None
    for raw in _SPLIT_RE.split(body):
        seg = raw.strip()
        while m := _SEGMENT_PREFIX_RE.match(seg):
            seg = seg[m.end() :]
        item, unit = _parse_segment(seg, unit)
        items.append(item)
    if since and len(items) == 1:
        raise ValueError("'từ' (from) without an end is open-ended")
    spans = _resolve(items, default_year)
    kind = items[0].kind if len(items) == 1 else DeadlineKind.SPAN
    return kind, min(s for s, _ in spans), max(e for _, e in spans)


def parse_deadline(text: str, default_year: int | None = None) -> Deadline:
    """Parse a clerk's deadline wording; never raises for odd text (it becomes UNPARSED).

    `default_year` is used when the phrase names no year ("quý II"). Raises ValueError only
    for empty or blank text.
    """
    clean = unicodedata.normalize("NFC", text).strip()
    if not clean:
        raise ValueError("empty deadline")
    body, before, since = _normalise(clean)
    if _ONGOING_RE.search(body):
        return Deadline(clean, DeadlineKind.ONGOING, None, None)
    try:
        kind, start, end = _parse_interval(body, default_year, since)
    except ValueError:
        return Deadline(clean, DeadlineKind.UNPARSED, None, None)
    if before and kind != DeadlineKind.DATE:
        # "trước quý III" means "before Q3 starts": too easy to misread, so leave it unparsed.
        return Deadline(clean, DeadlineKind.UNPARSED, None, None)
    return Deadline(clean, kind, start, end)
