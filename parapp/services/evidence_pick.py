"""Naming one evidence document on the command line: by the start of its SHA-256 (as
``evidence list`` prints it) or by its document number; and taking it off an assessment."""

from __future__ import annotations

from collections.abc import Iterable

from db.engine import Database

from .common import ServiceError
from .evidence import EvidenceInfo, list_evidence, unlink_evidence


def find(db: Database, key: str, year: int | None = None) -> EvidenceInfo:
    """The assessment's document whose SHA-256 starts with ``key`` (at least 6 characters)
    or whose number is ``key``."""
    wanted = key.strip().casefold()
    items = list_evidence(db, year)
    found = [e for e in items if e.doc_number.casefold() == wanted]
    if not found and len(wanted) >= 6:
        found = [e for e in items if e.sha256.startswith(wanted)]
    if not found:
        raise ServiceError("No document of this assessment is '{key}': give the start of its "
                           "code as the document list shows it, or its number.", key=key)
    if len(found) > 1:
        raise ServiceError("'{key}' names {n} documents: give more of the code the document "
                           "list shows.", key=key, n=len(found))
    return found[0]


def unlink(db: Database, key: str, codes: Iterable[str],
           year: int | None = None) -> EvidenceInfo:
    """Take the document off these criteria; it stays in the list, to be linked again."""
    return unlink_evidence(db, find(db, key, year).sha256, codes, year)


def remove(db: Database, key: str, year: int | None = None) -> EvidenceInfo:
    """Take the document off every criterion of the assessment. The file itself is kept:
    earlier years, sent packages and issued documents may cite it."""
    info = find(db, key, year)
    if not info.node_codes:
        return info
    return unlink_evidence(db, info.sha256, info.node_codes, year)
