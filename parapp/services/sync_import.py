"""Import packages: check everything, show the plan, then apply it in one transaction.

The order is the promise made to the user: the file (ZIP safety, format version,
signature, recipient, hashes), then the records (schema and values), then "already
imported" and replay checks, all before the database is touched; then a plan of what
would change (new / updated / unchanged / conflict, each with its reason); and only
then, after one backup per batch, the changes with the sync log row, all or nothing per
file (a savepoint each, in a transaction a few files share: see ``import_packages``). A
file that fails any check is refused with one sentence and leaves the database exactly as
it was (refusals go to ``logs/sync-import.log``, not to the database). The checks that
read this office's data are in ``sync_checks``; the evidence copy in ``sync_stage``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections import deque
from collections.abc import Iterator
from concurrent import futures
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import AssessmentRow, SyncLogRow
from parapp.domain.errors import DomainError
from parapp.sync import crypto
from parapp.sync.package import CHUNK, OpenedPackage, read_package
from parapp.sync.safety import PackageError

from . import sync_apply, sync_keys
from .backups import before_import
from .common import ServiceError, now
from .leftovers import Scratch, clear
from .sync_changes import Change
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
from .sync_stage import StagedEvidence, pool

NEW, UPDATED, UNCHANGED, CONFLICT = "new", "updated", "unchanged", "conflict"
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
    status: str  # applied / already / refused / planned
    plan: ImportPlan | None = None
    error: DomainError | None = None


@dataclass
class Prepared:
    """A package that passed every check, with its records parsed."""

    path: Path
    opened: OpenedPackage
    plan: ImportPlan
    records: Any
    file_hash: Future[str]
    staged: StagedEvidence | None = None  # evidence being copied (None: copy in apply)

    @property
    def sha256(self) -> str:
        return self.file_hash.result()


def _file_sha(path: Path) -> str:
    """The whole file's SHA-256 for the sync log (computed on a worker thread)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Opening:
    """A package file opened and verified, its evidence being checked (and, for a real
    import, copied to staging) and its whole-file hash computed on worker threads."""

    path: Path
    inner: Path  # the decrypted file of an encrypted package, else ``path``
    opened: OpenedPackage
    file_hash: Future[str]
    staged: StagedEvidence | None

    def discard(self) -> None:
        if self.staged is not None:
            self.staged.discard()
        if self.inner != self.path:
            self.inner.unlink(missing_ok=True)  # the decrypted package: done with it


def open_package(db: Database, path: Path, batch: Batch, *, stage: bool,
                 scratch: Path) -> Opening:
    """The file-level checks (ZIP safety, format, signature, recipient, manifest hashes);
    nothing in the database is read or written. ``scratch``: the import's own temporary
    folder (a decrypted package and staged evidence go there, see ``leftovers``)."""
    path = Path(path)
    if not path.is_file():
        raise ServiceError("There is no file {path}.", path=path)
    inner = path
    if crypto.is_encrypted(path):
        inner = scratch / f"{next(_NUMBERS)}.decrypted"
        try:
            _decrypt(db, path, inner)
            opened = read_package(inner, batch.trusted_map(), batch.my_code,
                                  batch.my_appraiser, verify_evidence=False)
        except BaseException:
            inner.unlink(missing_ok=True)  # plaintext lives no longer than its file's turn
            raise
    else:
        opened = read_package(inner, batch.trusted_map(), batch.my_code, batch.my_appraiser,
                              verify_evidence=False)
    staged = StagedEvidence(db, opened, scratch) if stage else None
    # The staging pass reads the whole file and hashes it on the way; otherwise (a dry
    # run, or an encrypted package whose outer file is what the sender's slip names) the
    # file is hashed apart.
    if staged is not None and inner == path:
        file_hash = staged.file_hash
    else:
        file_hash = pool().submit(_file_sha, path)
    return Opening(path, inner, opened, file_hash, staged)


def check(s: Session, opening: Opening, batch: Batch) -> Prepared | Outcome:
    """The checks that read the database, then the plan; nothing is written (an Outcome
    'already' when imported). Without staging (a dry run) the evidence hashes are checked
    here; a real import checks them while copying (one pass over the bytes)."""
    try:
        result = _checked(s, opening.path, opening.inner, opening.opened, batch,
                          opening.file_hash)
    except BaseException:
        opening.discard()
        raise
    if isinstance(result, Outcome):
        opening.discard()
        return result
    if opening.staged is None:
        _verify_evidence(opening.opened)
    result.staged = opening.staged
    return result


def _checked(s: Session, path: Path, inner: Path, opened: OpenedPackage, batch: Batch,
             file_hash: Future[str]) -> Prepared | Outcome:
    """The checks after the file itself: who sent it, replay, records, the plan."""
    my_code, my_appraiser, role = batch.my_code, batch.my_appraiser, batch.role
    if inner != path:
        outer_manifest, _info = crypto.read_envelope_header(path)
        if json.loads(outer_manifest.decode("utf-8")) != opened.manifest:
            raise PackageError("The encrypted package's outer label does not match what is "
                               "inside: it was tampered with.")
    sender = check_kind(batch, opened)
    if role == "commune" and sender.unit_code != my_appraiser:
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
        return Outcome(path, "already", plan)
    check_order(opened, sender.unit_code, created, earlier)
    cset = cset_for(s, opened, batch) if opened.kind != "criteria-set" else None
    records = sync_apply.parse(s, opened, cset)
    plan.changes = sync_apply.plan(s, opened, records, me_code=my_code)
    return Prepared(path, opened, plan, records, file_hash)


_NUMBERS = itertools.count()


def _decrypt(db: Database, path: Path, target: Path) -> None:
    """Decrypt into the import's folder in the data folder (never beside the package: that
    may be a shared stick); removed when the import of this package ends."""
    own = sync_keys.own_keys(db.path)
    crypto.decrypt_file(path, target, own.encryption_key)


def _verify_evidence(opened: OpenedPackage) -> None:
    """Stream every evidence file once and check its hash (PackageError if one differs)."""
    for sha in opened.evidence:
        with opened.open_evidence(sha) as reader:
            while reader.read(CHUNK):
                pass


def apply(s: Session, db: Database, prepared: Prepared,
          durable: list[Future[None]]) -> Outcome:
    """Write one prepared package into the session's transaction (the caller made the
    batch's backup, and commits once every future in ``durable`` is done)."""
    opened, plan = prepared.opened, prepared.plan
    assert prepared.staged is not None  # a real import stages the evidence (open_package)
    durable.append(prepared.staged.commit())  # into the store before the rows naming them
    # The changes are the sender's, not this office's clerk's. They are recorded as the
    # import makes them even when the package brings the sender's own history: that
    # history says who typed what there, this says what the import really changed here
    # (a package cannot switch the recording off).
    s.info["audit_source"] = f"package:{opened.package_id}"
    s.info["actor"] = plan.sender_name or plan.sender_code
    try:
        sync_apply.apply(s, opened, prepared.records, db.paths.evidence)
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
                outcome="applied",
                sha256=prepared.sha256,
                file_name=prepared.path.name,
                summary_json=_summary(plan),
                message="",
                sequence=opened.sequence,
            )
        )
        s.flush()  # under this package's audit words, before the next package sets its own
    finally:
        for key in ("audit_source", "actor", "audit"):
            s.info.pop(key, None)
    return Outcome(prepared.path, "applied", plan)


def _summary(plan: ImportPlan) -> str:
    return json.dumps({a: plan.count(a) for a in (NEW, UPDATED, UNCHANGED, CONFLICT)})


def package_files(source: Path) -> list[Path]:
    """A file, or every ``.cchc`` file in a folder (not its sub-folders), sorted by name."""
    source = Path(source)
    if source.is_dir():
        return sorted(p for p in source.iterdir() if p.suffix.lower() == PACKAGE_SUFFIX
                      and p.is_file())
    return [source]


# Packages share one transaction, each in its own savepoint: a refused package rolls back
# to its savepoint, and a commit (a disk sync) is paid per group, not per file. Outcomes are
# reported when their group is committed, so a group is kept short for the progress shown.
GROUP_FILES, GROUP_SECONDS = 16, 0.5
AHEAD = 2  # packages opened ahead: one per worker thread


@dataclass
class _Run:
    db: Database
    batch: Batch
    dry_run: bool
    scratch: Path  # the import's own temporary folder (leftovers.Scratch)
    backed_up: bool = False
    durable: list[Future[None]] = field(default_factory=list)  # this group's files on disk


def import_packages(
    db: Database, sources: list[Path], *, dry_run: bool = False
) -> Iterator[tuple[int, int, Outcome]]:
    """Import files one by one, yielding ``(done, total, outcome)``; one bad file never
    stops the rest. One backup is made before the first file that will change data.
    A folder without any package is reported as a refusal of its own."""
    empty = [Path(s) for s in sources if Path(s).is_dir() and not package_files(s)]
    files = [f for source in sources for f in package_files(source)]
    for index, folder in enumerate(empty, start=1):
        error = ServiceError("There is no package (.cchc file) in the folder {path}.",
                             path=folder)
        log_refusal(db, folder, error)
        yield index, len(empty) + len(files), Outcome(folder, "refused", error=error)
    # What killed imports left behind goes first; this import's own temporary files are
    # in a folder of its own, removed when it ends (see ``leftovers``).
    clear(db.paths.folder)
    try:
        scratch = Scratch(db.paths.folder)
    except OSError as exc:  # a full or read-only data folder: said as such
        raise (disk_full(db, exc) or exc) from exc
    try:
        yield from _import_files(db, files, dry_run, scratch.folder, len(empty))
    finally:
        scratch.close()


def _import_files(db: Database, files: list[Path], dry_run: bool, scratch: Path,
                  skipped: int) -> Iterator[tuple[int, int, Outcome]]:
    run = _Run(db, Batch.read(db), dry_run, scratch)
    total = skipped + len(files)

    def start(index: int) -> Opening | Exception | None:
        if index >= len(files):
            return None
        try:
            return open_package(db, files[index], run.batch, stage=not dry_run,
                                scratch=scratch)
        except Exception as exc:  # raised in its turn, in the order of the files
            return exc

    # Files ahead: the next packages' evidence is checked and copied on the worker threads
    # while this one's records go into the database.
    ahead = deque(start(i) for i in range(AHEAD))
    done = 0
    try:
        while done < len(files):
            group: list[Outcome] = []
            applied: set[str] = set()
            began = time.monotonic()
            waiting = False
            try:
                with db.session() as s:
                    while done < len(files) and len(group) < GROUP_FILES and (
                            time.monotonic() - began < GROUP_SECONDS):
                        outcome = _one(s, files[done], ahead[0], run, began + GROUP_SECONDS)
                        if outcome is None:
                            waiting = True  # its copy is still running: see below
                            break
                        ahead.popleft()
                        ahead.append(start(done + AHEAD))
                        group.append(outcome)
                        if outcome.status == "applied" and outcome.plan is not None:
                            applied.add(outcome.plan.package_id)
                        done += 1
                    # The evidence the group's rows name is on disk before they commit.
                    pending, run.durable = run.durable, []
                    for future in pending:
                        future.result()
            except (SQLAlchemyError, OSError) as exc:  # the group's commit failed
                futures.wait(run.durable)  # no move into the store runs on after this
                run.durable = []
                group = [_uncommitted(db, o, exc, applied) for o in group]
            if waiting:
                # The transaction holds the database's write lock: a copy still running
                # (a big file, a slow stick) is waited for outside it, then tried again.
                _settle(ahead[0])
            # Reported once committed; a cancel (the caller closing this generator) takes
            # effect here, after a whole group: its files are in the sync log either way.
            for index, outcome in enumerate(group, start=skipped + done - len(group) + 1):
                yield index, total, outcome
    finally:
        for left in ahead:  # the caller stopped early (cancel)
            if isinstance(left, Opening):
                left.discard()


def _settle(opening: Opening | Exception | None) -> None:
    """Wait for a package's copy and hash to end (their errors are raised later, in turn)."""
    if isinstance(opening, Opening):
        waits = [opening.file_hash] + ([opening.staged.file_hash] if opening.staged else [])
        futures.wait(waits)


def _uncommitted(db: Database, outcome: Outcome, exc: BaseException,
                 applied: set[str]) -> Outcome:
    """A package applied in a group whose commit failed is refused after all, and so is a
    second copy of it in the same group (reported "already" on the strength of the first)."""
    twin = (outcome.status == "already" and outcome.plan is not None
            and outcome.plan.package_id in applied)
    if outcome.status != "applied" and not twin:
        return outcome
    error = disk_full(db, exc) or ServiceError("The package could not be saved: {reason}",
                                                reason=str(getattr(exc, "orig", exc)))
    log_refusal(db, outcome.path, error)
    return Outcome(outcome.path, "refused", outcome.plan, error)


def _one(s: Session, path: Path, current: Opening | Exception | None, run: _Run,
         wait_until: float) -> Outcome | None:
    """Check, plan and (unless a dry run) apply one opened package in a savepoint of the
    group's transaction. A refusal is an outcome, never an exception. None: the package's
    copy was still running at ``wait_until`` (nothing was written; try it again)."""
    db = run.db
    again = False
    try:
        with s.begin_nested():
            if isinstance(current, Exception):
                raise current
            assert current is not None
            prepared = check(s, current, run.batch)
            if isinstance(prepared, Outcome):
                return prepared
            if run.dry_run:
                return Outcome(path, "planned", prepared.plan)
            if prepared.plan.conflicts:
                raise PackageError(
                    "The package conflicts with data here: {reason}",
                    reason=prepared.plan.conflicts[0].reason or prepared.plan.conflicts[0].what,
                )
            if prepared.staged is not None:
                if not prepared.staged.ready(wait_until - time.monotonic()):
                    again = True
                    return None
                prepared.staged.wait()  # a damaged file refuses before any backup
            if not run.backed_up:
                # Read from another connection: what is committed, before this import (its
                # partial file in the import's folder: removed even if the import is killed).
                before_import(db.path, partial_dir=run.scratch)
                run.backed_up = True
            return apply(s, db, prepared, run.durable)
    except Exception as exc:  # a refusal is an outcome: one file never stops the rest
        error, detail = refusal(db, path, exc)
        log_refusal(db, path, error, detail=detail)
        return Outcome(path, "refused", error=error)
    finally:
        if not again and isinstance(current, Opening):
            # A refusal's staged copies (none left after a commit), the decrypted package.
            current.discard()


def history(db: Database, limit: int = 200) -> list[SyncLogRow]:
    """The sync log, newest first (rows detached: read-only use)."""
    with db.session() as s:
        rows = s.scalars(select(SyncLogRow).order_by(SyncLogRow.logged_at.desc(),
                                                     SyncLogRow.id.desc()).limit(limit)).all()
        s.expunge_all()
        return list(rows)


def assessment_of(s: Session, uuid: str) -> AssessmentRow | None:
    return s.scalars(select(AssessmentRow).where(AssessmentRow.uuid == uuid)).first()
