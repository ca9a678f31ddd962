"""Evidence of a package being imported: checked and copied on a worker thread.

The copy runs beside the checks and the database work of the import (hashlib and file
writes release the GIL), into the import's own temporary folder outside the evidence store
(``leftovers.Scratch``: removed when the import ends, or at the next start after a kill). A package
refused by its checks leaves the store as it was. When a package is applied, its staged
files are synced to disk and only then moved into the store (a file under its SHA-256
name is always whole), on a disk thread; the transaction naming them commits after that.
A package whose rows are then rolled back (a refusal while applying, a failed commit)
leaves its files in the store: checked, whole, and named by nothing until a later import
or upload of the same document.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import zipfile
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

from db.engine import Database
from parapp.sync.package import CHUNK, EVIDENCE_DIR, OpenedPackage
from parapp.sync.stored import one_pass

from .evidence import holds, store_path

_POOL: ThreadPoolExecutor | None = None


def pool() -> ThreadPoolExecutor:
    """Two workers: a package's evidence is copied (and the whole file hashed) on one while
    the next package is opened; an encrypted package's outer file is hashed apart."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sync-import")
    return _POOL


_DISK: ThreadPoolExecutor | None = None


def disk() -> ThreadPoolExecutor:
    """One worker that makes stored files durable (fsync) while the import goes on: the
    wait for the disk is paid once per transaction, not once per file in the copy."""
    global _DISK
    if _DISK is None:
        _DISK = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-import-disk")
    return _DISK


def make_durable(paths: list[Path]) -> None:
    """fsync each file (opened for writing: Windows flushes only such handles)."""
    for path in paths:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def store_durably(moves: list[tuple[Path, Path]]) -> None:
    """Each staged file synced, then renamed to its place in the store (a whole copy
    already there has the same bytes: the staged one is dropped; a damaged one is
    replaced)."""
    make_durable([staged for staged, _target in moves])
    # The renames are not synced one by one: the database commit that follows is a disk
    # sync on the same volume, and journaling file systems (NTFS, ext4) write the renames
    # made before it with it.
    for staged, target in moves:
        if holds(target, staged.stat().st_size):
            staged.unlink(missing_ok=True)
        else:
            os.replace(staged, target)


PREFIX = ".incoming-"
_NUMBERS = itertools.count()


class StagedEvidence:
    """Start checking and copying a package's evidence now; ``commit`` or ``discard`` later.

    The copy is one sequential read of the package (``parapp.sync.stored``), which also
    gives the whole file's SHA-256 for the sync log: ``file_hash``."""

    def __init__(self, db: Database, opened: OpenedPackage, folder: Path) -> None:
        self._store = db.paths.evidence
        self._folder = folder  # the import's own temporary folder (made by its Scratch)
        self._files: dict[str, Path] = {}
        self._future: Future[str] = pool().submit(self._copy_all, opened)

    @property
    def file_hash(self) -> Future[str]:
        return self._future

    def _target(self, sha: str, size: int) -> IO[bytes] | None:
        """A new staging file for one evidence file (None: the store already holds it
        whole; the package's copy is still checked, so a damaged package is refused
        whatever this computer happens to hold)."""
        target = store_path(self._store, sha)
        if holds(target, size):
            return None
        # The store's folder is made here, on the copying thread (a mkdir is slow for the
        # importing thread), and a folder that cannot be made refuses this package alone.
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
        # A name no other import can hold (process id, a counter), made in one call.
        staged = self._folder / f"{PREFIX}{sha[:16]}-{os.getpid()}-{next(_NUMBERS)}"
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
        self._files[sha] = staged
        return os.fdopen(fd, "wb")

    def _copy_all(self, opened: OpenedPackage) -> str:
        outs: dict[str, IO[bytes] | None] = {}

        def sink(info: zipfile.ZipInfo) -> IO[bytes] | None:
            outs[info.filename] = out = self._target(info.filename[len(EVIDENCE_DIR):],
                                                     info.file_size)
            return out

        try:
            expected = {EVIDENCE_DIR + sha: sha for sha in opened.evidence}
            infos = [opened.infos[name] for name in expected]
            whole, rest = one_pass(opened.path, infos, sink, expected)
        finally:  # made durable once moved into the store (``commit``)
            for out in outs.values():
                if out is not None:
                    out.close()
        for info in rest:  # compressed or overlapping: through the ZIP reader
            self._copy_one(opened, expected[info.filename])
        return whole

    def _copy_one(self, opened: OpenedPackage, sha: str) -> None:
        out = self._target(sha, opened.infos[EVIDENCE_DIR + sha].file_size)
        with opened.open_evidence(sha) as reader:
            if out is None:
                while reader.read(CHUNK):
                    pass
                return
            with out:
                while chunk := reader.read(CHUNK):
                    out.write(chunk)

    def ready(self, timeout: float) -> bool:
        """Whether the copy ends within ``timeout`` seconds (its outcome is not raised)."""
        done, _pending = futures.wait([self._future], timeout=max(timeout, 0.0))
        return bool(done)

    def wait(self) -> None:
        """Block until every file is checked; raise the PackageError of a damaged one."""
        self._future.result()

    def commit(self) -> Future[None]:
        """Have the checked files synced and moved into the store on the disk thread; the
        future is done when they are there: wait for it before the database commit (the
        rows that name them must not be durable before the files are)."""
        self.wait()
        moves = [(staged, store_path(self._store, sha))
                 for sha, staged in sorted(self._files.items())]
        self._files.clear()
        return disk().submit(store_durably, moves)

    def discard(self) -> None:
        """Remove whatever was staged (the package was refused or only planned)."""
        with contextlib.suppress(Exception):  # a refusal is reported by whoever waited
            self._future.result()
        for staged in self._files.values():
            staged.unlink(missing_ok=True)
        self._files.clear()
