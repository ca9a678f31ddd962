"""The wording rules of Nghị định 30/2020/NĐ-CP that are text, not layout.

Numbers, dates and the signer's lines, exactly as the law writes them: "Số: 05/KH-UBND",
"Hoàng Việt, ngày 05 tháng 3 năm 2024" (day < 10 and months 1-2 padded), "TM. ỦY BAN NHÂN
DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from parapp.domain.numbers import format_max, format_vi
from parapp.domain.remediation import Signer, SignMode
from parapp.domain.text import clean

DRAFT_GAP = "\u00a0" * 6  # the blank a draft leaves for the number and the day


def padded(number: str) -> str:
    """A register number as documents print it: under 10 padded ("5" -> "05")."""
    number = clean(number)
    if number.isdigit() and int(number) < 10:
        return f"{int(number):02d}"
    return number


def number_line(number: str, symbol: str) -> str:
    """ "Số: 15/KH-UBND"; numbers under 10 padded ("Số: 05/KH-UBND"); blank in a draft."""
    number = padded(number)
    if not number:
        return f"Số:{DRAFT_GAP}/{symbol}"
    return f"Số: {number}/{symbol}"


def day_text(day: int) -> str:
    return f"{day:02d}"


def month_text(month: int) -> str:
    """Months 1 and 2 are padded ("tháng 01"), the others not ("tháng 3")."""
    return f"{month:02d}" if month <= 2 else str(month)


def date_phrase(d: date) -> str:
    """ "ngày 05 tháng 3 năm 2024"."""
    return f"ngày {day_text(d.day)} tháng {month_text(d.month)} năm {d.year}"


def date_line(
    place: str, d: date | None, draft_year: int | None = None, draft_month: int | None = None
) -> str:
    """The italic place-and-date line; a draft leaves the day (and maybe month) blank."""
    if d is not None:
        return f"{clean(place)}, {date_phrase(d)}"
    month = month_text(draft_month) if draft_month else DRAFT_GAP
    year = str(draft_year) if draft_year else DRAFT_GAP
    return f"{clean(place)}, ngày{DRAFT_GAP}tháng {month} năm {year}".replace("  ", " ")


def short_date(d: date) -> str:
    """Dates quoted inside text: "27/01/2023"."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def points(value: Decimal) -> str:
    """Computed points and indices: two decimals, decimal comma ("86,50", "1,00")."""
    return format_vi(value, 2)


def rank(value: int, padded: bool = False) -> str:
    """A rank as typed ("8/17"), or zero-padded as some decisions write it ("04/20")."""
    return f"{value:02d}" if padded else str(value)


def maximum(value: Decimal, as_written: str = "") -> str:
    """Maxima as the criteria set writes them ("16,5")."""
    return as_written or format_max(value)


def signer_lines(signer: Signer) -> tuple[str, ...]:
    """Authority and position lines above the signature, upper case, for every form."""
    body = clean(signer.body).upper()
    head = clean(signer.head_title).upper()
    position = clean(signer.position).upper()
    lines: list[str] = []
    if signer.mode in (SignMode.TM, SignMode.KT, SignMode.Q) and body:
        lines.append(f"TM. {body}")
    if signer.mode is SignMode.KT:
        lines += [f"KT. {head}", position]
    elif signer.mode is SignMode.Q:
        lines.append(f"Q. {head}")
    elif signer.mode in (SignMode.TL, SignMode.TUQ):
        lines += [f"{signer.mode.value} {head}", position]
    else:  # TM. or signing in one's own right
        lines.append(position)
    return tuple(line for line in lines if line.strip())


def recipients_lines(recipients: tuple[str, ...]) -> tuple[str, ...]:
    """ "- Như trên;" ... with the last line "- Lưu: VT, ...." ending in a full stop."""
    items = [clean(r).lstrip("-").strip().rstrip(";.") for r in recipients if clean(r)]
    if not items or not items[-1].startswith("Lưu"):
        items.append("Lưu: VT")
    return (*(f"- {item};" for item in items[:-1]), f"- {items[-1]}.")
