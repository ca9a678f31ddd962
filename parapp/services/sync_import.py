"""Import packages: check everything, show the plan, then apply it, one package at a time.

The order is the promise made to the user: the file (ZIP safety, format version,
signature, recipient, hashes, the size limits of its data), then the records (schema and
values), then "already imported" and replay checks, all before the database is touched;
then a plan of what would change (new / updated / unchanged / conflict, each with its
reason); and only then, after one backup per batch, the changes with the sync log row,
committed as one transaction per file. A file that fails any check is refused with one
sentence and leaves the database exactly as it was (refusals go to
``logs/sync-import.log``, not to the database). The checks that read this office's data
are in ``sync_checks``; the evidence copy in ``sync_stage``.

Only applying holds the database's write lock. A package is checked and planned on a
snapshot (``Database.snapshot``: no lock taken, none waited for), its evidence is checked
and stored outside any lock, and its first write then takes the lock, which SQLite grants
at once only if nothing was committed since the snapshot. Otherwise the package is checked
and planned again holding the lock (another program wrote meanwhile), waiting for it like
any writer; a lock another program keeps for longer than that stops the import with one
sentence (``DatabaseBusy``).
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from db import evidence_store
from db.engine import Database
from db.evidence_store import store_path
from db.models import SyncLogRow
from parapp.domain.errors import DomainError
from parapp.domain.roles import PackageKind, PackageOutcome, Role
from parapp.i18n import N_
from parapp.sync import crypto
from parapp.sync.package import MAX_MANIFEST_SIZE, OpenedPackage, read_package
from parapp.sync.safety import PackageError

from . import council, sync_apply, sync_keys, sync_stage
from .backups import before_import
from .common import ServiceError, now
from .leftovers import Scratch, clear
from .sync_changes import CONFLICT, NEW, UNCHANGED, UPDATED, Change
from .sync_checks import (
    Batch,
    applied_before,
    assessment_uuid_of,
    check_kind,
    check_order,
    created_at,
    cset_for,
)
from .sync_refusals import disk_full, log_refusal, refusal

PACKAGE_SUFFIX = ".cchc"


@dataclass
class ImportPlan:
    package_id: str
    kind: str
    sender_code: str
    sender_name: str
    fingerprint: str
    created_at: datetime
    year: int | None
    assessment_uuid: str
    changes: list[Change] = field(default_factory=list)
    sequence: int | None = None  # the sender's number for it (None: format version 1)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.action == CONFLICT]


@dataclass
class Outcome:
    path: Path
    status: PackageOutcome
    plan: ImportPlan | None = None
    error: DomainError | None = None


class DatabaseBusy(ServiceError):
    """Another program kept the database's write lock for longer than an import waits."""


BUSY = N_("Another parapp is writing to this database (a window or a command, on this "
          "computer or another), so the import stopped: try again when it is done; the files "
          "imported before stay imported.")


@dataclass
class Opening:
    """A package file opened and verified (nothing in the database read yet), and what is
    worked out from it once: its records, checked; its evidence, staged."""

    path: Path
    inner: Path  # the decrypted file of an encrypted package, else ``path``
    opened: OpenedPackage
    records: Any = None
    staged: sync_stage.Staged | None = None  # its evidence checked, copied and synced

    def discard(self) -> None:
        if self.staged is not None:
            self.staged.discard()  # copies not moved into the store (a refusal)
        if self.inner != self.path:
            self.inner.unlink(missing_ok=True)  # the decrypted package: done with it


@dataclass
class Prepared:
    """A package that passed every check, with its plan."""

    opening: Opening
    plan: ImportPlan


_NUMBERS = itertools.count()


def open_package(db: Database, path: Path, batch: Batch, *, scratch: Path) -> Opening:
    """The file-level checks (ZIP safety, format, signature, recipient, the size limits of
    its data, manifest hashes but the evidence's); nothing in the database is read or
    written. ``scratch``: the import's own temporary folder (a decrypted package goes
    there, see ``leftovers``)."""
    path = Path(path)
    if not path.is_file():
        raise ServiceError("There is no file {path}.", path=path)
    if not crypto.is_encrypted(path):
        return Opening(path, path, _read(path, batch))
    inner = scratch / f"{next(_NUMBERS)}.decrypted"
    try:
        # Into the import's folder in the data folder, never beside the package (that may
        # be a shared stick).
        crypto.decrypt_file(path, inner, sync_keys.own_keys(db.path).encryption_key)
        opened = _read(inner, batch)
        outer, _info = crypto.read_envelope_header(path)
        if len(outer) > MAX_MANIFEST_SIZE or json.loads(outer.decode("utf-8")) != opened.manifest:
            raise PackageError("The encrypted package's outer label does not match what is "
                               "inside: it was tampered with.")
    except BaseException:
        inner.unlink(missing_ok=True)  # plaintext lives no longer than its file's turn
        raise
    return Opening(path, inner, opened)


def _read(path: Path, batch: Batch) -> OpenedPackage:
    # The evidence's hashes are checked while it is copied (or, in a dry run, read).
    return read_package(path, batch.trusted_map(), batch.my_code, batch.my_appraiser,
                        verify_evidence=False)


def check(s: Session, opening: Opening, batch: Batch) -> Prepared | Outcome:
    """The checks that read the database, then the plan; nothing is written (an Outcome
    'already' when imported)."""
    opened = opening.opened
    sender = check_kind(batch, opened)
    if batch.role is Role.COMMUNE and sender.unit_code != batch.my_appraiser:
        raise PackageError(
            "The package is from '{sender}', which is not this unit's appraiser.",
            sender=sender.unit_code,
        )
    assessment_uuid = assessment_uuid_of(opened)
    created = created_at(opened)
    plan = ImportPlan(
        package_id=opened.package_id,
        kind=opened.kind,
        sender_code=sender.unit_code,
        sender_name=sender.unit_name,
        fingerprint=sender.fingerprint,
        created_at=created,
        year=opened.manifest["period"],
        assessment_uuid=assessment_uuid,
        sequence=opened.sequence,
    )
    already, earlier = applied_before(s, opened, assessment_uuid)
    if already:
        return Outcome(opening.path, PackageOutcome.ALREADY, plan)
    check_order(opened, sender.unit_code, created, earlier)
    if opening.records is None:  # the same whatever the database holds: read once
        cset = cset_for(s, opened, batch) if opened.kind != PackageKind.CRITERIA_SET else None
        opening.records = sync_apply.parse(s, opened, cset)
    plan.changes = sync_apply.plan(s, opened, opening.records, me_code=batch.my_code)
    return Prepared(opening, plan)


def apply(s: Session, db: Database, prepared: Prepared, sha256: str) -> Outcome:
    """Write one prepared package (its evidence already in the store) into the session's
    transaction; ``sha256``: the whole file's, for the sync log."""
    opening, plan = prepared.opening, prepared.plan
    opened = opening.opened
    # The changes are the sender's, not this office's clerk's. They are recorded as the
    # import makes them even when the package brings the sender's own history: that
    # history says who typed what there, this says what the import really changed here
    # (a package cannot switch the recording off).
    s.info["audit_source"] = f"package:{opened.package_id}"
    s.info["actor"] = plan.sender_name or plan.sender_code
    try:
        sync_apply.apply(s, opened, opening.records, db.paths.evidence)
        for sha in opened.evidence:  # on a server: where every council PC reads them
            evidence_store.put(s.connection(), sha, store_path(db.paths.evidence, sha))
        s.add(
            SyncLogRow(
                package_id=opened.package_id,
                direction="in",
                kind=opened.kind,
                sender_code=plan.sender_code,
                recipient=str(opened.manifest["recipient"]),
                assessment_uuid=plan.assessment_uuid,
                created_at=plan.created_at,
                logged_at=now(),
                outcome=PackageOutcome.APPLIED.value,
                sha256=sha256,
                file_name=opening.path.name,
                summary_json=json.dumps({a: plan.count(a)
                                         for a in (NEW, UPDATED, UNCHANGED, CONFLICT)}),
                message="",
                sequence=opened.sequence,
            )
        )
        s.flush()
    finally:
        for key in ("audit_source", "actor", "audit"):
            s.info.pop(key, None)
    return Outcome(opening.path, PackageOutcome.APPLIED, plan)


def package_files(source: Path) -> list[Path]:
    """A file, or every ``.cchc`` file in a folder (not its sub-folders), sorted by name."""
    source = Path(source)
    if source.is_dir():
        return sorted(p for p in source.iterdir() if p.suffix.lower() == PACKAGE_SUFFIX
                      and p.is_file())
    return [source]


@dataclass
class _Run:
    db: Database
    batch: Batch
    dry_run: bool
    scratch: Path  # the import's own temporary folder (leftovers.Scratch)
    backed_up: bool = False


def import_packages(
    db: Database, sources: list[Path], *, dry_run: bool = False
) -> Generator[tuple[int, int, Outcome], None, None]:
    """Import files one by one, yielding ``(done, total, outcome)``; one bad file never
    stops the rest, and each file is committed before its outcome is yielded (closing the
    generator stops after it). One backup is made before the first file that will change
    data. A folder without any package is reported as a refusal of its own. Raises
    DatabaseBusy when another program keeps the database locked."""
    empty = [Path(s) for s in sources if Path(s).is_dir() and not package_files(s)]
    files = [f for source in sources for f in package_files(source)]
    for index, folder in enumerate(empty, start=1):
        error = ServiceError("There is no package (.cchc file) in the folder {path}.",
                             path=folder)
        log_refusal(db, folder, error)
        yield index, len(empty) + len(files), Outcome(folder, PackageOutcome.REFUSED, error=error)
    # What killed imports left behind goes first; this import's own temporary files are
    # in a folder of its own, removed when it ends (see ``leftovers``).
    clear(db.paths.folder)
    try:
        scratch = Scratch(db.paths.folder)
    except OSError as exc:  # a full or read-only data folder: said as such
        raise (disk_full(db, exc) or exc) from exc
    try:
        with _waiting(), db.snapshot() as s:
            council.require_secretariat(s)  # on a server, a member's login only appraises
            batch = Batch.read(s)
        run = _Run(db, batch, dry_run, scratch.folder)
        for index, path in enumerate(files, start=len(empty) + 1):
            yield index, len(empty) + len(files), _one(run, path)
    finally:
        scratch.close()


def _one(run: _Run, path: Path) -> Outcome:
    """Check, plan and (unless a dry run) apply one package file. A refusal is an outcome,
    never an exception (but DatabaseBusy, which is not the file's fault)."""
    opening = None
    try:
        opening = open_package(run.db, path, run.batch, scratch=run.scratch)
        try:  # on a snapshot: the write lock is taken by the first write, if nothing changed
            with run.db.snapshot() as s:
                return _check_and_apply(s, run, opening)
        except OperationalError as exc:
            if not _busy(exc):
                raise
        with _waiting(), run.db.session() as s:  # something changed: again, holding the lock
            return _check_and_apply(s, run, opening)
    except DatabaseBusy:
        raise
    except Exception as exc:  # a refusal is an outcome: one file never stops the rest
        error, detail = refusal(run.db, path, exc)
        log_refusal(run.db, path, error, detail=detail)
        return Outcome(path, PackageOutcome.REFUSED, error=error)
    finally:
        if opening is not None:
            opening.discard()


def _check_and_apply(s: Session, run: _Run, opening: Opening) -> Outcome:
    prepared = check(s, opening, run.batch)
    if isinstance(prepared, Outcome):
        return prepared
    if run.dry_run:
        sync_stage.verify_evidence(opening.opened)
        return Outcome(opening.path, PackageOutcome.PLANNED, prepared.plan)
    if prepared.plan.conflicts:
        first = prepared.plan.conflicts[0]
        raise PackageError("The package conflicts with data here: {reason}",
                           reason=first.reason or first.what)
    if opening.staged is None:  # a damaged file refuses the package before any backup
        opening.staged = sync_stage.stage(run.db, opening.opened, run.scratch, opening.path)
    opening.staged.store()  # before the rows that name the files
    if not run.backed_up:
        # Read from another connection: what is committed, before this import (its
        # partial file in the import's folder: removed even if the import is killed).
        before_import(run.db.path, partial_dir=run.scratch)
        run.backed_up = True
    return apply(s, run.db, prepared, opening.staged.sha256)


def _busy(exc: BaseException) -> bool:
    """SQLITE_BUSY (and its extended codes): the write lock is another connection's."""
    code = getattr(getattr(exc, "orig", exc), "sqlite_errorcode", 0) or 0
    return code & 0xFF == sqlite3.SQLITE_BUSY


@contextmanager
def _waiting() -> Iterator[None]:
    """Waiting for the write lock that ended without it: one sentence (DatabaseBusy)."""
    try:
        yield
    except OperationalError as exc:
        if not _busy(exc):
            raise
        raise DatabaseBusy(BUSY) from exc


def history(db: Database, limit: int = 200) -> list[SyncLogRow]:
    """The sync log, newest first (rows detached: read-only use)."""
    with db.session() as s:
        rows = s.scalars(select(SyncLogRow).order_by(SyncLogRow.logged_at.desc(),
                                                     SyncLogRow.id.desc()).limit(limit)).all()
        s.expunge_all()
        return list(rows)

