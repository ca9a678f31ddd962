"""Copying an office's database to another engine (``parapp hub move``, docs/hub.md).

Every table is copied row by row through the models' own column types, parents before
children, into an empty database with the same schema (made by the migrations); then each
table's row count and a checksum of its content are compared on both sides. The folders
beside the database (evidence, issued documents, keys) are copied to the target's local
folder: the private keys stay on this PC, never in a server's database. Evidence files also
go into a server's database, or come out of it into the new file's store, each checked by
its SHA-256 (db/evidence_store.py).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, select

from . import evidence_store
from .engine import Database, DatabaseError, open_database
from .location import DataPaths, mask_url, server_url
from .models import Base

# The folders beside a database that belong to the office (backups and logs stay behind:
# they describe the old database).
FOLDERS = ("evidence", "documents", "keys")
_BATCH = 1000


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    checksum: str  # the same on both sides, or the copy is refused


@dataclass(frozen=True)
class TransferReport:
    target: str  # as it may be shown: a file's path, or a server's URL without password
    tables: list[TableCheck]


def _name(path: Path) -> str:
    url = server_url(path)
    return mask_url(url) if url is not None else str(path)


def _tables() -> list[Table]:
    # parents before children; evidence contents are copied from or to the store folder
    # (db.evidence_store), since a file keeps them there
    return [t for t in Base.metadata.sorted_tables if t is not evidence_store.TABLE]


def _canonical(value: Any) -> str:
    """One spelling per value whatever the engine returned (Decimal 0.50 and 0.5 alike)."""
    if isinstance(value, Decimal):
        return f"D{value.normalize():f}"
    if isinstance(value, datetime | date):
        return f"T{value.isoformat()}"
    if isinstance(value, bytes | memoryview):
        return f"B{bytes(value).hex()}"
    return f"{type(value).__name__}:{value!r}"


def table_check(conn: Connection, table: Table) -> TableCheck:
    """The table's row count and a SHA-256 of its rows (in primary-key order)."""
    digest = hashlib.sha256()
    rows = 0
    order = list(table.primary_key.columns) or list(table.columns)
    for row in conn.execute(table.select().order_by(*order)):
        digest.update("\x1f".join(_canonical(v) for v in row).encode() + b"\x1e")
        rows += 1
    return TableCheck(table.name, rows, digest.hexdigest())


def checks(db: Database) -> list[TableCheck]:
    with db.engine.connect() as conn:
        return [table_check(conn, t) for t in _tables()]


def _require_empty(conn: Connection, target: Path) -> None:
    for table in _tables():
        if conn.execute(select(func.count()).select_from(table)).scalar():
            raise DatabaseError(
                "{target} already holds data (table {table}): the copy goes only into an "
                "empty database.",
                target=_name(target),
                table=table.name,
            )


def _copy_rows(source: Connection, target: Connection, table: Table) -> None:
    order = list(table.primary_key.columns) or list(table.columns)
    result = source.execute(table.select().order_by(*order))
    while batch := result.fetchmany(_BATCH):
        target.execute(table.insert(), [row._asdict() for row in batch])


def _reset_sequences(conn: Connection) -> None:
    """A server's id sequences continue after the copied ids (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in _tables():
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and column.type.python_type is int
                and len(table.primary_key.columns) == 1
            ):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false) "
                    f"WHERE pg_get_serial_sequence('{table.name}', '{column.name}') IS NOT NULL"
                )


def _copy_folders(source: Path, target: Path) -> None:
    src, dst = DataPaths(source).folder, DataPaths(target).folder
    for name in FOLDERS:
        if (src / name).is_dir():
            # Stores are append-only, named by hash: files already there are the same.
            shutil.copytree(src / name, dst / name, dirs_exist_ok=True)


def copy_database(source: Path, target: Path) -> TransferReport:
    """Copy the office at ``source`` into the empty database ``target`` (a server's
    stand-in path or a new file), with its folders; the per-table checks, equal on both
    sides. The source is never written to; on any failure the target keeps no rows."""
    src = open_database(source)
    try:
        if target.exists() and target.stat().st_size > 0 and server_url(target) is None:
            raise DatabaseError(
                "{target} already exists: name a new file.", target=_name(target)
            )
        dst = open_database(target, create=True)
        try:
            with src.engine.connect() as reader, dst.engine.begin() as writer:
                _require_empty(writer, target)
                for table in _tables():
                    _copy_rows(reader, writer, table)
                _reset_sequences(writer)
                if evidence_store.on_server(writer) and evidence_store.on_server(reader):
                    _copy_rows(reader, writer, evidence_store.TABLE)
                elif evidence_store.on_server(writer):  # each file checked by its SHA-256
                    evidence_store.copy_to_server(reader, writer, DataPaths(source).evidence)
                elif evidence_store.on_server(reader):
                    evidence_store.copy_to_files(reader, DataPaths(target).evidence)
            before, after = checks(src), checks(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if before != after:
        differ = ", ".join(b.table for b, a in zip(before, after, strict=True) if b != a)
        raise DatabaseError(
            "The copy in {target} does not match the original (tables: {tables}); do not "
            "use it.",
            target=_name(target),
            tables=differ,
        )
    _copy_folders(source, target)
    return TransferReport(_name(target), after)
