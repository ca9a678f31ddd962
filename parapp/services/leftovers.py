"""Nothing left behind: one folder for an import's temporary files, emptied even after a kill.

An import's staged evidence, decrypted packages and partial files live in ``tmp/`` beside
the database, each run in a folder of its own (``tmp/run-<pid>-<random>/``) that it holds
a lock on (``tmp/run-….lock``: the system's file lock, which the system drops when the
process ends, even by kill -9 or a power cut). The run removes its folder when it ends;
``clear`` (called when an import starts, from the command line or the window, and when the
window starts) removes every run folder whose lock nobody holds, and files left loose in
``tmp/`` by older versions. So decrypted plaintext never outlives its import by more than
the time until parapp is started again.

Temporary files of other writers, which may belong to a program running beside this one
and carry no lock, are removed once they are ``STALE_AFTER`` old: the evidence store's
``.incoming-*``, a backup's ``.partial`` database and its ``-journal``, the backup
mirror's ``.incoming-*``, a restore's ``.restore-tmp`` and the ``.*.tmp`` files of
``files.write_atomic`` beside the database, in ``keys/`` and in ``backups/``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import time
from pathlib import Path
from types import TracebackType

TMP_DIR = "tmp"
RUN_PREFIX, LOCK_SUFFIX = "run-", ".lock"
INCOMING = ".incoming-"
STALE_AFTER = 600  # seconds: a temporary file this old belongs to a writer that died


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - the Windows build
        import msvcrt  # Windows only

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl  # everywhere but Windows

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":  # pragma: no cover
            import msvcrt  # Windows only

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl  # everywhere but Windows

            fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


class Scratch:
    """This run's own folder under ``tmp/``, locked while it is in use (a context manager:
    the folder and everything in it are removed on exit)."""

    def __init__(self, data_folder: Path) -> None:
        root = data_folder / TMP_DIR
        root.mkdir(parents=True, exist_ok=True)
        while True:
            name = f"{RUN_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
            lock = root / (name + LOCK_SUFFIX)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            # A clearing process may take the free lock in the instant before ours and
            # remove the file: the lock only counts if the file is still the one locked.
            if _try_lock(fd) and _same_file(fd, lock):
                break
            _unlock(fd)
        self._fd: int | None = fd
        self.lock = lock
        self.folder = root / name
        self.folder.mkdir()

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Remove the folder, then the lock (in this order: a folder is never unlocked).
        The lock file is removed once closed (Windows cannot remove an open file)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        shutil.rmtree(self.folder, ignore_errors=True)
        _unlock(fd)
        with contextlib.suppress(OSError):
            self.lock.unlink()


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), path.stat())
    except OSError:
        return False


def clear(data_folder: Path, now: float | None = None) -> None:
    """Remove what dead runs and killed writers left in ``data_folder`` (never raises)."""
    with contextlib.suppress(OSError):
        _clear_runs(data_folder / TMP_DIR)
    cutoff = (now if now is not None else time.time()) - STALE_AFTER
    evidence, backups = data_folder / "evidence", data_folder / "backups"
    for folder, pattern in ((evidence, INCOMING + "*"), (evidence, "*/" + INCOMING + "*"),
                            (backups, "parapp-*.partial"), (backups, "parapp-*.partial-journal"),
                            (backups / "files", "*/*/" + INCOMING + "*"),
                            # A restore's copy (and its journal), and files.write_atomic's
                            # temporary files: a key file's may hold a private key.
                            (data_folder, "*.restore-tmp"), (data_folder, "*.restore-tmp-journal"),
                            (data_folder, ".*.tmp"), (data_folder / "keys", ".*.tmp"),
                            (backups, ".*.tmp")):
        clear_stale(folder, pattern, cutoff)


def clear_stale(folder: Path, pattern: str, cutoff: float) -> None:
    """Remove the files matching ``pattern`` in ``folder`` last written before ``cutoff``."""
    if not folder.is_dir():
        return
    for stale in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if stale.is_file() and stale.stat().st_mtime < cutoff:
                stale.unlink()


def _clear_runs(root: Path) -> None:
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if entry.name.startswith(RUN_PREFIX) and entry.name.endswith(LOCK_SUFFIX):
            _remove_if_free(entry, root / entry.name[:-len(LOCK_SUFFIX)])
    for entry in root.iterdir():
        # A run makes its lock before its folder and removes it after: a folder whose
        # lock is there is in use (or was checked above).
        if entry.name.endswith(LOCK_SUFFIX) or (root / (entry.name + LOCK_SUFFIX)).exists():
            continue
        # A run folder without its lock (its run died between the two removals of
        # ``close``), or a file an older version left loose here.
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()


def _remove_if_free(lock: Path, folder: Path) -> None:
    """Remove a run's folder and lock if no living process holds the lock."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return  # gone already, or open by its (Windows) owner
    if not _try_lock(fd):
        os.close(fd)
        return
    try:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            lock.unlink()
    finally:
        _unlock(fd)
