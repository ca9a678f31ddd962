"""The files beside the database in a backup: evidence and issued documents.

Both stores are content-addressed and append-only (``evidence/ab/<sha256>``,
``documents/ab/<sha256>.pdf``): a file's name is its hash and it never changes. So a
backup folder keeps one mirror of them, ``<backup folder>/files/``, with the same layout,
shared by every backup in that folder: a backup copies only the files the mirror does not
have yet (the new ones since the last backup there) and lists in its manifest
(``<backup name>.json``) every file the database needed at that moment. Rotation never
deletes from the mirror; it is never larger than the stores themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .files import write_atomic

FILES_DIR = "files"
STORES = ("evidence", "documents")
MANIFEST_FORMAT = 1
CHUNK = 1 << 20
_NAME = {
    "evidence": re.compile(r"([0-9a-f]{64})"),
    "documents": re.compile(r"([0-9a-f]{64})\.pdf"),
}


@dataclass(frozen=True)
class StoreFile:
    rel: str  # "evidence/ab/abcdef…", always with "/"
    sha256: str
    size: int


class FileProblem(Exception):
    """A store file is missing or does not match its hash."""

    def __init__(self, rel: str, why: str) -> None:
        super().__init__(f"{rel}: {why}")
        self.rel = rel
        self.why = why


def store_files(root: Path) -> list[StoreFile]:
    """Every finished file in ``root``'s stores (temporary files of a write are skipped:
    they start with a dot), its hash taken from its name."""
    found: list[StoreFile] = []
    for store in STORES:
        folder = root / store
        if not folder.is_dir():
            continue
        for sub in sorted(folder.iterdir()):
            if not sub.is_dir() or len(sub.name) != 2:
                continue
            for path in sorted(sub.iterdir()):
                m = _NAME[store].fullmatch(path.name)
                if m and m.group(1).startswith(sub.name) and path.is_file():
                    rel = f"{store}/{sub.name}/{path.name}"
                    found.append(StoreFile(rel, m.group(1), path.stat().st_size))
    return found


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; NTFS journals the rename itself
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def copy_verified(source: Path, target: Path, sha256: str) -> None:
    """Copy through a temporary file, hashing on the way; only a copy whose hash is right
    gets the final name (so a pulled stick or a full disk leaves no wrong file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=target.parent)
    temp = Path(temp_name)
    try:
        with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        if digest.hexdigest() != sha256:
            raise FileProblem(target.name, "damaged (its content does not match its name)")
        os.replace(temp, target)
        _fsync_dir(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def mirror(
    files: Iterable[StoreFile], source_root: Path, target_root: Path
) -> tuple[int, list[str]]:
    """Copy the files ``target_root`` lacks; return (copied, damaged sources skipped).

    A file already there with the right size is trusted (its name is its hash and nothing
    rewrites it); :func:`verify` re-reads everything when a full backup asks for it.
    """
    copied = 0
    damaged: list[str] = []
    for f in files:
        target = target_root / f.rel
        if target.is_file() and target.stat().st_size == f.size:
            continue
        try:
            copy_verified(source_root / f.rel, target, f.sha256)
        except FileProblem:
            damaged.append(f.rel)  # never store a wrong file under a hash name
            continue
        copied += 1
    return copied, damaged


def verify(files: Iterable[StoreFile], root: Path, *, read_all: bool) -> list[str]:
    """The files under ``root`` that are missing or wrong (hashing each if ``read_all``)."""
    bad: list[str] = []
    for f in files:
        path = root / f.rel
        present = path.is_file() and path.stat().st_size == f.size
        if not present or (read_all and hash_file(path) != f.sha256):
            bad.append(f.rel)
    return bad


def write_manifest(path: Path, data: dict[str, object]) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def read_manifest(path: Path) -> dict[str, object] | None:
    """The manifest beside a backup, or None (a database-only backup, or a manifest that
    cannot be read: the database file is still a backup on its own)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    return data


def manifest_files(manifest: dict[str, object]) -> list[StoreFile]:
    out: list[StoreFile] = []
    raw = manifest.get("files")
    if not isinstance(raw, list):
        return out
    for item in raw:
        try:
            rel, sha, size = str(item["path"]), str(item["sha256"]), int(item["size"])
        except (KeyError, TypeError, ValueError):
            continue
        store, _sep, name = rel.partition("/")
        pattern = _NAME.get(store)
        base = name.rpartition("/")[2]
        # Only names our stores use: a doctored manifest must not write elsewhere.
        m = pattern.fullmatch(base) if pattern else None
        if m and m.group(1) == sha and rel == f"{store}/{sha[:2]}/{base}":
            out.append(StoreFile(rel, sha, size))
    return out
