"""Opening the database: pragmas for power cuts, schema checks, migrations when due.

The database is a SQLite file or, for a province's council, a PostgreSQL server
(docs/hub.md); only this package knows which."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from parapp.domain.errors import DomainError

from .backup import make_backup
from .location import DataPaths, mask_url, server_path, server_url
from .migrate import upgrade
from .schema import HEAD, REVISIONS, is_empty, read_revision

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker


T = TypeVar("T")

# A server's SERIALIZABLE unit of work that lost to a concurrent one (40001), or a deadlock
# (40P01): nothing of it was written, so running it again from the start is safe.
RETRY_STATES = frozenset({"40001", "40P01"})
# Two saves of one assessment that overlap both change its row, so one loses; a member
# saving non-stop can make the other lose a few times in a row. 20 tries, at most 0,1 s
# apart, end within ~1,5 s even then; at a person's pace one or two suffice.
ATTEMPTS = 20


def lost_to_concurrent(exc: BaseException) -> bool:
    """Whether ``exc`` is a server's serialization failure or deadlock (never in a file:
    its units of work wait for the write lock instead)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in RETRY_STATES


class DatabaseError(DomainError):
    """The database cannot be opened or used; the message tells the user what to do."""


class NoDatabaseError(DatabaseError):
    pass


class NewerSchemaError(DatabaseError):
    pass


class NotAllowedError(DatabaseError):
    """The server refused a change to this login (a council member's, issue 18)."""


# SQLSTATE 42501, insufficient_privilege: grants and row-level security are the guarantee;
# the services check first where they can, and anything they do not check ends here.
NOT_ALLOWED = "42501"


def _not_allowed(exc: BaseException) -> NotAllowedError | None:
    if getattr(getattr(exc, "orig", None), "sqlstate", None) != NOT_ALLOWED:
        return None
    return NotAllowedError("Your server login may not make this change; only the appraisal "
                           "council's secretariat can.")


# How long a unit of work waits for another connection's write lock before it fails
# ("database is locked"); tests shorten it.
BUSY_TIMEOUT_MS = 10_000


def _on_connect(dbapi_con: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (pysqlite's own transaction handling is unreliable).
    dbapi_con.isolation_level = None
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")  # power cuts are common in rural offices
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_MS)}")
    cur.close()


SNAPSHOT = "parapp_snapshot"  # the execution option of Database.snapshot()'s sessions


def _on_begin(conn: Any) -> None:
    # A unit of work takes the write lock when it begins, except a snapshot (see there).
    snapshot = conn.get_execution_options().get(SNAPSHOT, False)
    conn.exec_driver_sql("BEGIN" if snapshot else "BEGIN IMMEDIATE")


# SQLAlchemy is imported inside the functions below, not here: the window opens the database
# and shows its first figures (parapp.services.quick_view) before the ORM has loaded.


def _server_engine(url: str) -> Engine:
    from sqlalchemy import create_engine  # deferred: see above

    try:
        import psycopg
    except ImportError:  # an optional extra: only a council's PCs need it
        raise DatabaseError(
            "A database on a server needs the psycopg driver: install parapp[hub]."
        ) from None

    # libpq reads the URL itself, so its own conventions hold: .pgpass, service files
    # (?service=), PG* variables, ?host=/socket/dir.
    conninfo = "postgresql:" + url.split(":", 1)[1]
    return create_engine(
        "postgresql+psycopg://",
        creator=lambda: psycopg.connect(conninfo),
        pool_pre_ping=True,  # a server restarted overnight: reconnect, not fail once
        # What a file's BEGIN IMMEDIATE gives: a unit of work sees one state, and of two
        # that change the same rows one fails, never overwrites the other unseen.
        isolation_level="SERIALIZABLE",
    )


def make_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine, event  # deferred: the ORM loads after the first figures
    from sqlalchemy.pool import QueuePool  # as above

    url = server_url(path)
    if url is not None:
        return _server_engine(url)

    # The path goes to sqlite3 directly: in a URL, "?" or "%" in a folder name would change
    # which file is opened.
    target = str(path)
    # "sqlite://" alone would make SQLAlchemy think of an in-memory database and share one
    # connection per thread; a file database wants a pool of its own connections.
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(target), poolclass=QueuePool
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """An open database and the folder beside it (evidence, backups, keys, logs).

    SQLAlchemy is imported, and the engine made, on the first use of ``engine`` or
    ``session()``, not when the database is opened: the window opens the database and
    shows its first figures (``parapp.services.quick_view``) before the ORM has loaded.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.paths = DataPaths(path)
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._lock = threading.Lock()

    def _ready(self) -> sessionmaker[Session]:
        with self._lock:
            if self._sessions is None:
                from sqlalchemy.orm import sessionmaker  # the ORM loads here, on first use

                # Every change to scores, links, plans and documents is recorded as it is
                # flushed (db.audit imports the ORM: deferred with it).
                from .audit import install as install_audit

                engine = make_engine(self.path)
                sessions = sessionmaker(engine, expire_on_commit=False)
                install_audit(sessions)
                self._engine, self._sessions = engine, sessions
            return self._sessions

    @property
    def engine(self) -> Engine:
        self._ready()
        assert self._engine is not None
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        try:
            with self._ready()() as session, session.begin():
                yield session
        except Exception as exc:
            if refused := _not_allowed(exc):
                raise refused from exc
            raise

    def retrying(self, work: Callable[[Session], T], attempts: int = ATTEMPTS) -> T:
        """``work`` in one unit of work, run again (after a short random wait) when the
        server refuses it for a concurrent change (see ``lost_to_concurrent``). ``work``
        must read what it checks inside the unit of work, so a new run checks again."""
        from sqlalchemy.exc import DBAPIError  # deferred with SQLAlchemy

        for attempt in range(attempts):
            try:
                with self.session() as s:
                    return work(s)
            except DBAPIError as exc:
                if attempt + 1 >= attempts or not lost_to_concurrent(exc):
                    raise
            time.sleep(random.uniform(0.002, min(0.1, 0.005 * 2**attempt)))
        raise AssertionError("unreachable")  # the loop returns or raises

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A unit of work that reads before it writes, if it writes at all: it begins on a
        snapshot of what is committed, without the write lock, so it neither waits for
        another writer nor keeps one waiting while it reads. Its first write takes the
        lock, or fails at once (``OperationalError``, SQLITE_BUSY) when another connection
        is writing or has written since the snapshot: the caller then starts over in
        ``session()``, which waits for the lock. Committed when the block ends, rolled back
        on any error."""
        sessions = self._ready()
        bind = self.engine.execution_options(**{SNAPSHOT: True})
        try:
            with sessions(bind=bind) as session, session.begin():
                yield session
        except Exception as exc:
            if refused := _not_allowed(exc):
                raise refused from exc
            raise

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()


def _create(path: Path) -> None:
    from .models import Base  # the ORM's tables: deferred with SQLAlchemy

    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            Base.metadata.create_all(conn)
            conn.exec_driver_sql(
                "CREATE TABLE IF NOT EXISTS alembic_version "
                "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
            )
            conn.exec_driver_sql("INSERT INTO alembic_version VALUES (?)", (HEAD,))
    finally:
        engine.dispose()


def _open_server(path: Path, url: str, *, create: bool) -> Database:
    """The server's database, its schema made by the same migrations as a file's (no file
    backup before migrating: a server's backups are its own, docs/hub.md)."""
    from sqlalchemy import inspect  # deferred with SQLAlchemy (see _server_engine)
    from sqlalchemy.exc import SQLAlchemyError  # as above

    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            revision = (
                conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if "alembic_version" in names
                else None
            )
    except SQLAlchemyError as exc:
        # libpq's reason (no such database, password refused, server down) never holds
        # the password; the URL is shown masked.
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise DatabaseError(
            "The database server {url} cannot be used: {reason}",
            url=mask_url(url),
            reason=reason,
        ) from None
    finally:
        engine.dispose()
    if revision is None:
        if names:
            raise DatabaseError("{url} is not a parapp database.", url=mask_url(url))
        if not create:
            raise NoDatabaseError(
                "There is no parapp database at {url}. Run 'parapp init' first.",
                url=mask_url(url),
            )
        upgrade(path)
    elif revision not in REVISIONS:
        raise NewerSchemaError(
            "The database {path} was written by a newer version of parapp; "
            "please install the newer version. The database has not been changed.",
            path=mask_url(url),
        )
    elif revision != HEAD:
        upgrade(path)
    path.parent.mkdir(parents=True, exist_ok=True)  # its evidence, keys and logs
    return Database(path)


def open_database(path: Path | str, *, create: bool = False) -> Database:
    """Open (or with ``create`` make) the database at ``path``, migrating if it is older;
    ``path`` may be a server's URL (``postgresql://host/dbname``) or its stand-in path.

    A newer schema than this program knows is refused and left untouched.
    """
    if isinstance(path, str):
        path = server_path(path)
    url = server_url(path)
    if url is not None:
        return _open_server(path, url, create=create)
    if path.is_dir():
        # Not a disk fault: the clerk named the data folder instead of the file in it.
        raise DatabaseError(
            "{path} is a folder, not a parapp database: choose the database file in it "
            "(parapp.sqlite3).",
            path=path,
        )
    if not path.exists() or (create and path.stat().st_size == 0):
        if not create:
            raise NoDatabaseError(
                "There is no database at {path}. Run 'parapp init' first.", path=path
            )
        _create(path)
        return Database(path)
    try:
        revision = read_revision(path)
        empty = is_empty(path) if revision is None else False
    except sqlite3.DatabaseError as exc:
        # The cause is kept: a read-only folder or a full disk also ends up here, and the
        # caller may say that instead (parapp.services.storage.explain).
        raise DatabaseError(
            "{path} is not a parapp database (or it is damaged).", path=path
        ) from exc
    if revision is None:
        if empty and create:
            _create(path)
            return Database(path)
        raise DatabaseError("{path} is not a parapp database.", path=path)
    if revision not in REVISIONS:
        raise NewerSchemaError(
            "The database {path} was written by a newer version of parapp; "
            "please install the newer version. The database has not been changed.",
            path=path,
        )
    if revision != HEAD:
        make_backup(path, DataPaths(path).backups, reason="before-migration")
        upgrade(path)
    return Database(path)
