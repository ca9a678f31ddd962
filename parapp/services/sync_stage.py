"""Evidence of a package being imported: checked, copied and synced, then stored before any
row names it.

Each evidence file is read once through the ZIP reader (``zipfile``, which also checks the
ZIP's own CRC), its SHA-256 checked as it streams, into the import's own temporary folder
(``leftovers.Scratch``: removed when the import ends, or at the next start after a kill).
A file the store already holds whole is read and checked but not copied: a damaged package
is refused whatever this computer happens to hold. ``stage`` does this and syncs the copies
to disk, writing nothing into the store; ``Staged.store`` then renames them into it (a file
under its SHA-256 name is always whole) before the transaction that names them. A package
whose rows are then refused leaves its files in the store: checked, whole, and named by
nothing until a later import or upload of the same document.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from db.engine import Database
from parapp.sync.package import EVIDENCE_DIR, OpenedPackage
from parapp.sync.safety import PackageError, damaged

from .evidence import holds, store_path

PREFIX = ".incoming-"
CHUNK = 4 * 1024**2  # large reads: fewer trips between Python and C per file
_NUMBERS = itertools.count()
SYNCING = 8  # files synced at once


def file_sha(path: Path) -> str:
    """The whole file's SHA-256, for the sync log (the transfer slip names it)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_evidence(opened: OpenedPackage) -> None:
    """Read every evidence file once and check its hash (PackageError if one differs)."""
    with _archive(opened) as archive:
        for sha in opened.evidence:
            _copy(archive, opened, sha, None)


def _archive(opened: OpenedPackage) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(opened.path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged(opened.path.name, exc) from exc


def _copy(archive: zipfile.ZipFile, opened: OpenedPackage, sha: str,
          target: Path | None) -> None:
    """Read one evidence file to its end, checking its SHA-256 (and the ZIP's own CRC,
    which tells a copy damaged on the way from a file changed and re-packed), writing it
    to ``target`` unless None: a new file, a name no other import can hold."""
    name = EVIDENCE_DIR + sha
    digest = hashlib.sha256()
    out = None
    try:
        with archive.open(opened.infos[name]) as reader:
            if target is not None:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_BINARY", 0), 0o600)
                out = os.fdopen(fd, "wb")
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                if out is not None:
                    out.write(chunk)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, ValueError, OverflowError,
            zlib.error) as exc:  # e.g. a compression method zipfile does not know
        raise damaged(name, exc) from exc
    finally:
        if out is not None:
            out.close()
    if digest.hexdigest() != sha:
        raise PackageError("File '{name}' in the package is damaged: its SHA-256 does not "
                           "match.", name=name)


def _sync(path: Path) -> None:
    """fsync a file (opened for writing: Windows flushes only such handles)."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_durable(paths: list[Path]) -> None:
    """fsync each file, a few at a time: the disk writes them together, where one by one
    each would wait for its own turn."""
    if len(paths) <= 1:
        for path in paths:
            _sync(path)
        return
    with ThreadPoolExecutor(max_workers=min(SYNCING, len(paths))) as workers:
        list(workers.map(_sync, paths))


@dataclass
class Staged:
    """A package's evidence checked, and the files the store lacks copied and synced in the
    import's own folder; ``sha256``: the package file's own (the sender's slip names it)."""

    sha256: str
    moves: list[tuple[Path, Path]] = field(default_factory=list)  # (copy, place in store)

    def store(self) -> None:
        """Move the copies into the store. The renames are not synced one by one: the
        database commit that follows is a disk sync on the same volume, and journaling
        file systems (NTFS, ext4) write the renames made before it with it."""
        for staged, target in self.moves:
            if holds(target, staged.stat().st_size):
                staged.unlink()  # another package stored the same file meanwhile
            else:
                os.replace(staged, target)  # a damaged copy in the store is replaced
        self.moves = []

    def discard(self) -> None:
        for staged, _target in self.moves:
            staged.unlink(missing_ok=True)
        self.moves = []


def stage(db: Database, opened: OpenedPackage, folder: Path, whole: Path) -> Staged:
    """Check every evidence file of the package and copy the ones the store lacks into
    ``folder`` (the import's own), synced to disk; hash the package file ``whole``. Nothing
    is written to the store. PackageError for a damaged file, OSError for a disk that
    refused (the copies made are removed)."""
    staged = Staged("")
    try:
        with _archive(opened) as archive:
            for sha in opened.evidence:
                target = store_path(db.paths.evidence, sha)
                if holds(target, opened.infos[EVIDENCE_DIR + sha].file_size):
                    _copy(archive, opened, sha, None)  # checked, whatever the store holds
                    continue
                # The store's folder is made now (an empty folder names nothing): one that
                # cannot be made (a file in its place, no permission) refuses the package.
                if not target.parent.is_dir():
                    target.parent.mkdir(parents=True, exist_ok=True)
                copy = folder / f"{PREFIX}{sha[:16]}-{os.getpid()}-{next(_NUMBERS)}"
                staged.moves.append((copy, target))
                _copy(archive, opened, sha, copy)
        make_durable([copy for copy, _target in staged.moves])
        staged.sha256 = file_sha(whole)
    except BaseException:
        staged.discard()
        raise
    return staged
