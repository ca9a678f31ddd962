"""The text of the QR code printed on an issued document or a transfer slip (docs/documents.md).

    PARAPP/1 VB DV:06172 SO:01/KH-UBND NGAY:06/02/2024 ID:<UUID> SHA256:<64 HEX>

Upper-case letters, digits and ``$%*+-./:`` only, so the code is in the QR's alphanumeric mode
(version 7 at level M, small enough to read at 150 dpi in 18 mm); any other character of a
value (a space, "Đ" in a symbol) is written as %XX of its UTF-8 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import unquote

PREFIX = "PARAPP"
VERSION = 1
DOCUMENT = "VB"  # văn bản: a document of the office's register
SLIP = "PGN"  # phiếu giao nhận: the transfer slip of a sync package
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$*+-./:")
_TEXT = re.compile(
    r"^PARAPP/(?P<version>\d+) (?P<kind>[A-Z]+) DV:(?P<office>\S+) SO:(?P<number>\S+) "
    r"NGAY:(?P<date>\d{2}/\d{2}/\d{4}) ID:(?P<id>[0-9A-F-]{36}) SHA256:(?P<sha>[0-9A-F]{64})$"
)


class QrTextError(ValueError):
    """Not a QR text of this program (or of a newer format)."""


@dataclass(frozen=True)
class QrText:
    kind: str  # DOCUMENT | SLIP
    office: str  # the issuing office's unit code
    number: str  # "01/KH-UBND"; "-" on a slip
    issued_on: date
    id: str  # the document's (or package's) UUID, lower case
    sha256: str  # of the frozen content, lower case hex

    def text(self) -> str:
        return (
            f"{PREFIX}/{VERSION} {self.kind} DV:{_escape(self.office)} SO:{_escape(self.number)} "
            f"NGAY:{self.issued_on:%d/%m/%Y} ID:{self.id.upper()} SHA256:{self.sha256.upper()}"
        )


def _escape(value: str) -> str:
    out = []
    for ch in value or "-":
        if ch in _SAFE:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def parse(text: str) -> QrText:
    """The fields of a QR text; :class:`QrTextError` if it is not one (spaces around it and
    the line break a phone's reader adds are ignored)."""
    found = _TEXT.match(" ".join(text.split()))
    if found is None:
        if text.strip().startswith(f"{PREFIX}/") and not text.strip().startswith(
            f"{PREFIX}/{VERSION} "
        ):
            raise QrTextError("newer format")
        raise QrTextError("not a parapp QR text")
    if int(found["version"]) != VERSION:
        raise QrTextError("newer format")
    try:
        when = datetime.strptime(found["date"], "%d/%m/%Y").date()
    except ValueError:
        raise QrTextError("bad date") from None
    return QrText(
        kind=found["kind"],
        office=unquote(found["office"]),
        number=unquote(found["number"]),
        issued_on=when,
        id=found["id"].lower(),
        sha256=found["sha"].lower(),
    )
