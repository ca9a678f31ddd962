"""Text rules at the boundary: NFC everywhere, a folded form for search."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

# As clerks write dates (also 5/3/2024), and ISO as files write them.
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def nfc(value: str) -> str:
    """Return the NFC form of ``value`` (decomposed input prints badly in PDFs)."""
    return unicodedata.normalize("NFC", value)


def clean(value: str | None) -> str:
    """NFC-normalise, make line ends "\n" (Windows files bring "\r\n"), and strip;
    ``None`` becomes the empty string."""
    if value is None:
        return ""
    return nfc(str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()


def fold(value: str) -> str:
    """Fold for diacritic- and case-insensitive search: "Khắc phục" -> "khac phuc"."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def parse_date(text: str | None) -> date | None:
    """A typed date: dd/mm/yyyy (or with - or .), or yyyy-mm-dd; None for empty text;
    ValueError when it is not a date (31/02/2026 included)."""
    text = clean(text)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
