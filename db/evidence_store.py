"""Where evidence files live: a database file's store folder, and on a server its database.

Every evidence file sits in the store folder beside the database, named by its SHA-256
(``evidence/ab/abcd…``). A server database has that folder on each PC (its local folder,
db/location.py), which other council PCs cannot read; so on a server each file's content is
also kept in ``evidence_contents`` (migration 0011), written in the transaction of the rows
that name it, and a PC that lacks a file writes it into its own store from there, checked by
its SHA-256, before it is used (docs/hub.md). In a file the table stays empty and nothing
here costs a query.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlalchemy import Connection, Table, select

from .engine import Database, DatabaseError
from .location import server_url
from .models import EvidenceContentRow, EvidenceRow

TABLE: Table = EvidenceContentRow.__table__  # type: ignore[assignment]  # a Table
# A file the program itself stores is at most this (parapp.services.evidence.MAX_FILE_BYTES);
# a package may list larger ones (docs/sync-format.md), which a server refuses.
MAX_BYTES = 200 * 1024 * 1024


def store_path(folder: Path, sha256: str) -> Path:
    """A file's place in the store ``folder``: by the first two characters of its hash."""
    return folder / sha256[:2] / sha256


def on_server(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _damaged(sha256: str) -> DatabaseError:
    return DatabaseError(
        "The server's copy of evidence file {sha} is damaged (its content is not the "
        "document that was received), so it is not used: import the package again or "
        "restore the server's backup.", sha=sha256[:12])


def put(conn: Connection, sha256: str, path: Path) -> bool:
    """On a server, the store's file ``path`` into the database unless it is there already,
    after checking its SHA-256 (a damaged file refuses the transaction); whether it was
    written. Nothing in a database file."""
    if not on_server(conn):
        return False
    if conn.execute(select(TABLE.c.sha256).where(TABLE.c.sha256 == sha256)).first():
        return False
    size = path.stat().st_size
    if size > MAX_BYTES:  # read whole into memory, and one bytea value is at most 1 GB
        raise DatabaseError(
            "Evidence file {sha} is larger than 200 MB: the server does not keep it; ask the "
            "sender to scan it at a lower resolution.", sha=sha256[:12])
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise DatabaseError(
            "The stored copy of evidence file {sha} is damaged (its content is not the "
            "document that was received): restore a backup or ask for the document again.",
            sha=sha256[:12])
    from sqlalchemy.dialects.postgresql import insert  # the server's own dialect only

    # Another import storing the same document at once: either row is the document.
    conn.execute(insert(TABLE).values(sha256=sha256, size=len(content), content=content)
                 .on_conflict_do_nothing(index_elements=["sha256"]))
    return True


def _write(folder: Path, sha256: str, content: bytes) -> Path:
    """``content``, checked against ``sha256``, into the store ``folder`` (a temporary name
    first: a file under its hash's name is always whole)."""
    if hashlib.sha256(content).hexdigest() != sha256:
        raise _damaged(sha256)
    target = store_path(folder, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".incoming-{sha256[:16]}-{os.getpid()}")
    try:
        with temp.open("wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def fetch(db: Database, sha256: str) -> Path | None:
    """On a server, the file ``sha256`` written into this PC's store from the database,
    checked by its SHA-256 (DatabaseError, nothing written, if it differs); None in a
    database file or when the server has no such file."""
    if server_url(db.path) is None:  # a file: nothing to ask
        return None
    with db.engine.connect() as conn:
        content = conn.execute(
            select(TABLE.c.content).where(TABLE.c.sha256 == sha256)).scalar()
    if content is None:
        return None
    return _write(db.paths.evidence, sha256, bytes(content))


def copy_to_server(reader: Connection, writer: Connection, folder: Path) -> int:
    """Moving a file's office to a server: every evidence file its rows name, from its store
    ``folder`` into the server's database, each checked by its SHA-256; how many. A file
    the store lacks is not invented (the server lacks it as the file did)."""
    count = 0
    for sha in reader.execute(select(EvidenceRow.sha256).distinct()).scalars():
        path = store_path(folder, sha)
        if path.is_file():
            put(writer, sha, path)
            count += 1
    return count


def copy_to_files(reader: Connection, folder: Path) -> int:
    """Moving a server's office to a file: every evidence file of the server's database
    written into the file's store ``folder``, each checked by its SHA-256; how many."""
    count = 0
    for sha in reader.execute(select(TABLE.c.sha256).order_by(TABLE.c.sha256)).scalars():
        content = reader.execute(
            select(TABLE.c.content).where(TABLE.c.sha256 == sha)).scalar_one()
        _write(folder, sha, bytes(content))
        count += 1
    return count
