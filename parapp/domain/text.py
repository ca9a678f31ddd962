"""Text rules at the boundary: NFC everywhere, a folded form for search."""

from __future__ import annotations

import unicodedata


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
