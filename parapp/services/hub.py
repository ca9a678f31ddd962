"""Moving an office between a database file and a server (``parapp hub move``,
docs/hub.md): the copy and its checks are the database layer's (``db.transfer``)."""

from __future__ import annotations

from pathlib import Path

from db.transfer import TableCheck, TransferReport, copy_database

from .common import ServiceError

__all__ = ["TableCheck", "TransferReport", "move"]


def move(source: Path, target: Path) -> TransferReport:
    """Copy the office at ``source`` (database, evidence, documents, keys) into the empty
    database ``target``; row counts and checksums are equal on both sides when it returns.
    The source is left as it was."""
    if source == target:
        raise ServiceError("The office cannot be moved onto itself.")
    return copy_database(source, target)  # a refusal: one DatabaseError sentence
