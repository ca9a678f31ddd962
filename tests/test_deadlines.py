"""Tests for parsing clerks' deadline wording ("thời hạn") into intervals."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parapp.domain.deadlines import Deadline, DeadlineKind, parse_deadline

K = DeadlineKind
D = date
Q2_2024 = (D(2024, 4, 1), D(2024, 6, 30))


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (text, default_year, kind, start, end)
PHRASES: list[tuple[str, int | None, DeadlineKind, date | None, date | None]] = [
    # Recurring work.
    ("Thường xuyên", None, K.ONGOING, None, None),
    ("thường xuyên, liên tục", None, K.ONGOING, None, None),
    ("Hàng năm", None, K.ONGOING, None, None),
    ("Hằng năm", None, K.ONGOING, None, None),
    ("hàng quý", None, K.ONGOING, None, None),
    ("hằng quý", None, K.ONGOING, None, None),
    ("hàng quí", None, K.ONGOING, None, None),
    ("Hàng tháng", None, K.ONGOING, None, None),
    ("định kỳ", None, K.ONGOING, None, None),
    ("Thường xuyên", 2024, K.ONGOING, None, None),
    # Single dates.
    ("chậm nhất ngày 15/4/2024", None, K.DATE, D(2024, 4, 15), D(2024, 4, 15)),
    ("trước ngày 15/04/2024", None, K.DATE, D(2024, 4, 15), D(2024, 4, 15)),
    ("ngày 15/4/2024", None, K.DATE, D(2024, 4, 15), D(2024, 4, 15)),
    ("15/4/2024", None, K.DATE, D(2024, 4, 15), D(2024, 4, 15)),
    ("15-4-2024", None, K.DATE, D(2024, 4, 15), D(2024, 4, 15)),
    ("15.4.2024", None, K.DATE, D(2024, 4, 15), D(2024, 4, 15)),
    ("ngày 15 tháng 4 năm 2024", None, K.DATE, D(2024, 4, 15), D(2024, 4, 15)),
    ("Trước 30/6/2024", None, K.DATE, D(2024, 6, 30), D(2024, 6, 30)),
    ("Hoàn thành trước ngày 30/6/2024.", None, K.DATE, D(2024, 6, 30), D(2024, 6, 30)),
    ("ngày 15/4", 2024, K.DATE, D(2024, 4, 15), D(2024, 4, 15)),
    ("29/2/2024", None, K.DATE, D(2024, 2, 29), D(2024, 2, 29)),
    # Months.
    ("tháng 5/2024", None, K.MONTH, D(2024, 5, 1), D(2024, 5, 31)),
    ("tháng 5 năm 2024", None, K.MONTH, D(2024, 5, 1), D(2024, 5, 31)),
    ("Trong tháng 05/2024", None, K.MONTH, D(2024, 5, 1), D(2024, 5, 31)),
    ("tháng 2/2023", None, K.MONTH, D(2023, 2, 1), D(2023, 2, 28)),
    ("tháng 5", 2025, K.MONTH, D(2025, 5, 1), D(2025, 5, 31)),
    # Quarters.
    ("quý II/2024", None, K.QUARTER, *Q2_2024),
    ("quí II/2024", None, K.QUARTER, *Q2_2024),
    ("Quý II năm 2024", None, K.QUARTER, *Q2_2024),
    ("QUÝ II/2024", None, K.QUARTER, *Q2_2024),
    ("QUÍ II/2024", None, K.QUARTER, *Q2_2024),
    ("trong quí II năm 2024", None, K.QUARTER, *Q2_2024),
    ("Thời gian khắc phục trong quí II năm 2024", None, K.QUARTER, *Q2_2024),
    ("Thời gian khắc phục:  trong   Quý II / 2024 ;", None, K.QUARTER, *Q2_2024),
    ("hoàn thành trong quý II/2024.", None, K.QUARTER, *Q2_2024),
    ("chậm nhất quý II/2024", None, K.QUARTER, *Q2_2024),
    ("quý 2/2024", None, K.QUARTER, *Q2_2024),
    ("quý II", 2024, K.QUARTER, *Q2_2024),
    ("quý II/2024", 2030, K.QUARTER, *Q2_2024),  # an explicit year wins over the default
    ("quý I/2024", None, K.QUARTER, D(2024, 1, 1), D(2024, 3, 31)),
    ("quý III/2024", None, K.QUARTER, D(2024, 7, 1), D(2024, 9, 30)),
    ("quý IV/2024", None, K.QUARTER, D(2024, 10, 1), D(2024, 12, 31)),
    (nfd("quý II/2024"), None, K.QUARTER, *Q2_2024),
    (nfd("Thời gian khắc phục trong quí II năm 2024"), None, K.QUARTER, *Q2_2024),
    (nfd("QUÝ II năm 2024"), None, K.QUARTER, *Q2_2024),
    # Several periods joined.
    ("quý II và đầu quý III năm 2024", None, K.SPAN, D(2024, 4, 1), D(2024, 7, 31)),
    ("quý II và đầu quí III năm 2024", None, K.SPAN, D(2024, 4, 1), D(2024, 7, 31)),
    (nfd("quý II và đầu quí III năm 2024"), None, K.SPAN, D(2024, 4, 1), D(2024, 7, 31)),
    ("quý II và giữa quý III năm 2024", None, K.SPAN, D(2024, 4, 1), D(2024, 8, 31)),
    ("quý II và cuối quý III năm 2024", None, K.SPAN, D(2024, 4, 1), D(2024, 9, 30)),
    ("cuối quý III và quý IV/2024", None, K.SPAN, D(2024, 9, 1), D(2024, 12, 31)),
    ("đầu quý III/2024", None, K.SPAN, D(2024, 7, 1), D(2024, 7, 31)),
    ("quý I, II/2024", None, K.SPAN, D(2024, 1, 1), D(2024, 6, 30)),
    ("quý I và quý II năm 2024", None, K.SPAN, D(2024, 1, 1), D(2024, 6, 30)),
    ("quý III - IV/2024", None, K.SPAN, D(2024, 7, 1), D(2024, 12, 31)),
    ("quý III-IV/2024", None, K.SPAN, D(2024, 7, 1), D(2024, 12, 31)),
    ("quý IV và quý I/2025", None, K.SPAN, D(2024, 10, 1), D(2025, 3, 31)),
    ("từ tháng 3 đến tháng 6/2024", None, K.SPAN, D(2024, 3, 1), D(2024, 6, 30)),
    ("từ tháng 3/2024 đến tháng 6/2024", None, K.SPAN, D(2024, 3, 1), D(2024, 6, 30)),
    ("tháng 3-4/2024", None, K.SPAN, D(2024, 3, 1), D(2024, 4, 30)),
    ("tháng 11 đến tháng 2/2025", None, K.SPAN, D(2024, 11, 1), D(2025, 2, 28)),
    ("từ ngày 1/3/2024 đến ngày 30/6/2024", None, K.SPAN, D(2024, 3, 1), D(2024, 6, 30)),
    ("giai đoạn 2024-2025", None, K.SPAN, D(2024, 1, 1), D(2025, 12, 31)),
    ("cuối tháng 2/2024", None, K.SPAN, D(2024, 2, 21), D(2024, 2, 29)),
    # Parts of a year.
    ("6 tháng đầu năm 2024", None, K.HALF_YEAR, D(2024, 1, 1), D(2024, 6, 30)),
    ("6 tháng cuối năm 2024", None, K.HALF_YEAR, D(2024, 7, 1), D(2024, 12, 31)),
    ("đầu năm 2024", None, K.SPAN, D(2024, 1, 1), D(2024, 3, 31)),
    ("cuối năm 2024", None, K.SPAN, D(2024, 10, 1), D(2024, 12, 31)),
    ("giữa năm 2024", None, K.SPAN, D(2024, 4, 1), D(2024, 9, 30)),
    # Whole years.
    ("trong năm 2024", None, K.YEAR, D(2024, 1, 1), D(2024, 12, 31)),
    ("năm 2024", None, K.YEAR, D(2024, 1, 1), D(2024, 12, 31)),
    ("Năm 2024", None, K.YEAR, D(2024, 1, 1), D(2024, 12, 31)),
    ("Thời gian khắc phục trong năm 2024", None, K.YEAR, D(2024, 1, 1), D(2024, 12, 31)),
    (nfd("Thời gian khắc phục trong năm 2024"), None, K.YEAR, D(2024, 1, 1), D(2024, 12, 31)),
    ("trong năm", 2026, K.YEAR, D(2026, 1, 1), D(2026, 12, 31)),
    # Not understood: kept as text, no interval.
    ("khi có chỉ đạo", None, K.UNPARSED, None, None),
    ("khi có chỉ đạo", 2024, K.UNPARSED, None, None),
    ("31/2/2024", None, K.UNPARSED, None, None),
    ("29/2/2023", None, K.UNPARSED, None, None),
    ("quý II", None, K.UNPARSED, None, None),
    ("tháng 3 đến tháng 6", None, K.UNPARSED, None, None),
    ("15/4/24", None, K.UNPARSED, None, None),
    ("quý II/24", None, K.UNPARSED, None, None),
    ("tháng 5/24", None, K.UNPARSED, None, None),
    ("năm 24", None, K.UNPARSED, None, None),
    ("năm 1999", None, K.UNPARSED, None, None),
    ("năm 2101", None, K.UNPARSED, None, None),
    ("quý II", 1999, K.UNPARSED, None, None),
    ("quý V/2024", None, K.UNPARSED, None, None),
    ("quý 5/2024", None, K.UNPARSED, None, None),
    ("tháng 13/2024", None, K.UNPARSED, None, None),
    ("tháng 0/2024", None, K.UNPARSED, None, None),
    ("quy định năm 2024", None, K.UNPARSED, None, None),
    ("trong vòng 30 ngày", 2024, K.UNPARSED, None, None),
    ("trước quý III/2024", None, K.UNPARSED, None, None),
    ("hoàn thành", 2024, K.UNPARSED, None, None),
    ("II/2024", None, K.UNPARSED, None, None),
    ("từ tháng 3/2024", None, K.UNPARSED, None, None),  # open-ended: no end to be late for
    ("từ năm 2024", None, K.UNPARSED, None, None),
    ("ngày 2024", None, K.UNPARSED, None, None),
    ("Thường xuyên; chậm nhất 30/6/2024", None, K.ONGOING, None, None),
]


@pytest.mark.parametrize(("text", "default_year", "kind", "start", "end"), PHRASES)
def test_phrases(
    text: str,
    default_year: int | None,
    kind: DeadlineKind,
    start: date | None,
    end: date | None,
) -> None:
    deadline = parse_deadline(text, default_year=default_year)
    assert (deadline.kind, deadline.start, deadline.end) == (kind, start, end)
    assert deadline.text == unicodedata.normalize("NFC", text).strip()
    assert deadline.is_ongoing is (kind is K.ONGOING)


def test_text_is_kept_nfc_and_stripped_but_otherwise_as_written() -> None:
    deadline = parse_deadline(nfd("  Thời gian khắc phục trong QUÍ II năm 2024;  \n"))
    assert deadline.text == "Thời gian khắc phục trong QUÍ II năm 2024;"
    assert unicodedata.is_normalized("NFC", deadline.text)
    assert parse_deadline("khi có chỉ đạo").text == "khi có chỉ đạo"


@pytest.mark.parametrize("text", ["", " ", "\n\t  ", "\u00a0"])
def test_empty_text_raises(text: str) -> None:
    with pytest.raises(ValueError, match="empty deadline"):
        parse_deadline(text, default_year=2024)


def test_kind_values_are_stable() -> None:
    assert {k.name: k.value for k in DeadlineKind} == {
        "DATE": "date",
        "MONTH": "month",
        "QUARTER": "quarter",
        "SPAN": "span",
        "HALF_YEAR": "half_year",
        "YEAR": "year",
        "ONGOING": "ongoing",
        "UNPARSED": "unparsed",
    }


# --- Overdue and reporting windows ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("15/4/2024", D(2024, 4, 15)),
        ("tháng 5/2024", D(2024, 5, 31)),
        ("quý II/2024", D(2024, 6, 30)),
        ("quý II và đầu quý III năm 2024", D(2024, 7, 31)),
        ("6 tháng đầu năm 2024", D(2024, 6, 30)),
        ("năm 2024", D(2024, 12, 31)),
    ],
)
def test_overdue_only_after_the_last_day_when_not_done(text: str, end: date) -> None:
    deadline = parse_deadline(text)
    day_after = end + timedelta(days=1)
    assert deadline.is_overdue(day_after, done=False)
    assert deadline.is_overdue(end + timedelta(days=400), done=False)
    assert not deadline.is_overdue(day_after, done=True)
    assert not deadline.is_overdue(end, done=False)
    assert not deadline.is_overdue(end - timedelta(days=1), done=False)
    assert not deadline.is_overdue(D(2000, 1, 1), done=False)


@pytest.mark.parametrize("text", ["Thường xuyên", "hằng quý", "khi có chỉ đạo", "quý II"])
@pytest.mark.parametrize("as_of", [D(2000, 1, 1), D(2024, 7, 1), D(2100, 12, 31)])
def test_ongoing_and_unparsed_are_never_overdue(text: str, as_of: date) -> None:
    deadline = parse_deadline(text)
    assert not deadline.is_overdue(as_of, done=False)
    assert not deadline.is_overdue(as_of, done=True)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (D(2024, 1, 1), D(2024, 3, 31), False),  # Q1
        (D(2024, 4, 1), D(2024, 6, 30), True),  # Q2 itself
        (D(2024, 7, 1), D(2024, 9, 30), False),  # Q3
        (D(2024, 1, 1), D(2024, 12, 31), True),  # the whole year
        (D(2024, 3, 1), D(2024, 3, 31), False),  # the month before
        (D(2024, 3, 31), D(2024, 4, 1), True),  # touches the first day
        (D(2024, 6, 30), D(2024, 7, 5), True),  # touches the last day
        (D(2024, 5, 10), D(2024, 5, 10), True),  # a single day inside
        (D(2024, 7, 1), D(2024, 7, 1), False),  # the day after
        (D(2023, 4, 1), D(2023, 6, 30), False),  # same quarter, other year
    ],
)
def test_due_between_for_a_quarter(first: date, last: date, expected: bool) -> None:
    assert parse_deadline("quý II/2024").is_due_between(first, last) is expected


def test_due_between_ongoing_and_unparsed() -> None:
    window = (D(2024, 4, 1), D(2024, 6, 30))
    assert parse_deadline("Thường xuyên").is_due_between(*window)
    assert parse_deadline("hàng năm").is_due_between(D(2099, 1, 1), D(2099, 1, 1))
    assert not parse_deadline("khi có chỉ đạo").is_due_between(*window)


def test_due_between_rejects_an_inverted_window() -> None:
    with pytest.raises(ValueError):
        parse_deadline("quý II/2024").is_due_between(D(2024, 6, 30), D(2024, 4, 1))


# --- Direct construction (e.g. rows read back from the database) --------------------------


def test_deadline_accepts_stored_kind_strings() -> None:
    deadline = Deadline("quý II/2024", "quarter", *Q2_2024)  # type: ignore[arg-type]
    assert deadline.kind is K.QUARTER
    assert deadline == parse_deadline("quý II/2024")


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        (K.QUARTER, None, None),
        (K.QUARTER, D(2024, 4, 1), None),
        (K.DATE, D(2024, 4, 2), D(2024, 4, 1)),
        (K.ONGOING, D(2024, 4, 1), D(2024, 4, 1)),
        (K.UNPARSED, None, D(2024, 4, 1)),
        ("bogus", None, None),
    ],
)
def test_deadline_rejects_inconsistent_data(
    kind: DeadlineKind, start: date | None, end: date | None
) -> None:
    with pytest.raises(ValueError):
        Deadline("x", kind, start, end)


# --- Properties ---------------------------------------------------------------------------

valid_dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))
ROMAN = ["I", "II", "III", "IV"]
SEPS = [" và quý ", ", ", " - ", "-", " đến hết quý ", " và "]


@given(valid_dates)
def test_any_valid_date_parses_to_itself(d: date) -> None:
    for text in (
        f"{d.day}/{d.month}/{d.year}",
        f"ngày {d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day}-{d.month}-{d.year}",
        f"chậm nhất ngày {d.day} tháng {d.month} năm {d.year}",
    ):
        deadline = parse_deadline(text)
        assert deadline.kind is K.DATE, text
        assert deadline.start == deadline.end == d, text


@given(st.integers(2000, 2100), st.integers(1, 4), st.booleans(), st.booleans())
def test_any_quarter_lies_inside_its_year(year: int, q: int, roman: bool, words: bool) -> None:
    number = ROMAN[q - 1] if roman else str(q)
    text = f"Quý {number} năm {year}" if words else f"quí {number}/{year}"
    deadline = parse_deadline(text)
    assert deadline.kind is K.QUARTER
    assert deadline.start is not None and deadline.end is not None
    assert deadline.start <= deadline.end
    assert deadline.start.year == deadline.end.year == year
    assert deadline.start == D(year, 3 * q - 2, 1)
    assert deadline.end + timedelta(days=1) == (
        D(year + 1, 1, 1) if q == 4 else D(year, 3 * q + 1, 1)
    )
    assert parse_deadline(f"quý {number}", default_year=year) == Deadline(
        f"quý {number}", K.QUARTER, deadline.start, deadline.end
    )


@given(st.integers(2000, 2100), st.integers(1, 12))
def test_any_month_covers_exactly_that_month(year: int, month: int) -> None:
    deadline = parse_deadline(f"tháng {month}/{year}")
    assert deadline.kind is K.MONTH
    assert deadline.start == D(year, month, 1)
    assert deadline.end is not None
    assert (deadline.end + timedelta(days=1)).day == 1
    assert (deadline.end.year, deadline.end.month) == (year, month)


@given(st.integers(2000, 2100), st.integers(1, 4), st.integers(1, 4), st.sampled_from(SEPS))
def test_quarter_lists_cover_the_hull(year: int, a: int, b: int, sep: str) -> None:
    lo, hi = sorted((a, b))
    deadline = parse_deadline(f"quý {ROMAN[lo - 1]}{sep}{ROMAN[hi - 1]}/{year}")
    assert deadline.kind is K.SPAN
    assert deadline.start == parse_deadline(f"quý {ROMAN[lo - 1]}/{year}").start
    assert deadline.end == parse_deadline(f"quý {ROMAN[hi - 1]}/{year}").end


@given(st.integers(2001, 2100), st.integers(1, 4), st.integers(1, 4))
def test_quarters_out_of_order_cross_into_the_previous_year(year: int, a: int, b: int) -> None:
    # "quý IV và quý I/2025": the earlier-named quarter belongs to the year before.
    hi, lo = max(a, b), min(a, b)
    deadline = parse_deadline(f"quý {ROMAN[hi - 1]} và quý {ROMAN[lo - 1]} năm {year}")
    expected_year = year - 1 if hi > lo else year
    assert deadline.start == parse_deadline(f"quý {ROMAN[hi - 1]}/{expected_year}").start
    assert deadline.end == parse_deadline(f"quý {ROMAN[lo - 1]}/{year}").end


@given(st.text(min_size=1, max_size=60), st.none() | st.integers(1900, 2200))
def test_never_raises_on_odd_text(text: str, default_year: int | None) -> None:
    if not unicodedata.normalize("NFC", text).strip():
        with pytest.raises(ValueError):
            parse_deadline(text, default_year=default_year)
        return
    deadline = parse_deadline(text, default_year=default_year)
    assert (deadline.start is None) == (deadline.kind in (K.ONGOING, K.UNPARSED))
    if deadline.start is not None and deadline.end is not None:
        assert deadline.start <= deadline.end
    assert parse_deadline(nfd(text), default_year=default_year) == deadline
