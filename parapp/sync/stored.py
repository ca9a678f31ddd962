"""One sequential pass over a package file: its whole-file SHA-256 and its stored evidence.

Evidence is written into packages uncompressed (ZIP "stored"), so its bytes sit in the
file as they are. Reading the file once from start to end and handing each slice to the
whole-file hash, to its entry's hash and to its copy reads every byte once, in large
blocks, with few switches between Python and C: the import's worker thread then barely
competes with the database work for the interpreter. What the pass cannot take (a
compressed entry, or entries whose data overlap) is left to the ordinary ZIP reader.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .safety import PackageError, damaged

CHUNK = 4 * 1024**2  # large blocks: fewer hand-overs of the interpreter lock
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # the local file header, as zipfile reads it
_LOCAL_MAGIC = b"PK\x03\x04"


@dataclass
class Entry:
    """One stored entry's data range, its hash so far and where its bytes go."""

    name: str
    sha: str
    start: int
    end: int
    out: IO[bytes] | None  # None: checked only (the store already holds the file)
    crc: int  # the ZIP's own checksum (see ``_why``)
    digest: Any = field(default_factory=hashlib.sha256)


def _read_at(handle: IO[bytes], size: int, offset: int) -> bytes:
    """``size`` bytes at ``offset``: one call where the system has pread (not Windows)."""
    pread = getattr(os, "pread", None)
    if pread is not None:
        return bytes(pread(handle.fileno(), size, offset))
    handle.seek(offset)
    return handle.read(size)


def data_range(handle: IO[bytes], info: zipfile.ZipInfo, file_size: int) -> tuple[int, int]:
    """Where a stored entry's bytes are: after its local header, checked like zipfile does
    (signature and name), and inside the file. One read of the header and name."""
    expected = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437",
                                         "replace")
    head = _read_at(handle, _LOCAL.size + len(expected), info.header_offset)
    if len(head) < _LOCAL.size:
        raise damaged(info.filename, EOFError("truncated local header"))
    fields = _LOCAL.unpack_from(head)
    if fields[0] != _LOCAL_MAGIC:
        raise damaged(info.filename, zipfile.BadZipFile("bad local header"))
    name_len, extra_len = fields[10], fields[11]
    if head[_LOCAL.size:] != expected or name_len != len(expected):
        raise damaged(info.filename, zipfile.BadZipFile("names in directory and header differ"))
    start = info.header_offset + _LOCAL.size + name_len + extra_len
    end = start + info.compress_size
    if end > file_size:
        raise damaged(info.filename, EOFError("data beyond the end of the file"))
    return start, end


def plan_entries(handle: IO[bytes], infos: list[zipfile.ZipInfo], file_size: int
                 ) -> tuple[list[tuple[zipfile.ZipInfo, int, int]], list[zipfile.ZipInfo]]:
    """Stored, non-overlapping entries with their ranges (in file order), and the rest."""
    ranges, rest = [], []
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
            rest.append(info)
            continue
        start, end = data_range(handle, info, file_size)
        ranges.append((info, start, end))
    ranges.sort(key=lambda r: r[1])
    kept: list[tuple[zipfile.ZipInfo, int, int]] = []
    for item in ranges:
        if kept and item[1] < kept[-1][2]:
            rest.append(item[0])  # shares bytes with another entry: let zipfile judge it
        else:
            kept.append(item)
    return kept, rest


class _CopyFailed(Exception):
    """Writing a copy failed: told apart from a read of the package that failed."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def one_pass(path: Path, infos: list[zipfile.ZipInfo], sink: Callable[[zipfile.ZipInfo],
             IO[bytes] | None], expected: dict[str, str]) -> tuple[str, list[zipfile.ZipInfo]]:
    """Read ``path`` once: return its SHA-256 and the entries left for the ZIP reader.

    ``sink(info)`` gives the open file an entry's bytes are copied to (or None to check
    only); ``expected`` maps entry names to their SHA-256. A mismatch raises PackageError
    once the file is read (the caller removes what it had opened)."""
    whole = hashlib.sha256()
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            planned, rest = plan_entries(handle, infos, size)
        except (OSError, ValueError, OverflowError) as exc:  # offsets no file can have
            raise damaged(path.name, exc) from exc
        handle.seek(0)
        entries = [Entry(info.filename, expected[info.filename], start, end, sink(info),
                         info.CRC) for info, start, end in planned]
        position, index = 0, 0
        try:
            while chunk := handle.read(CHUNK):
                whole.update(chunk)
                view, top = memoryview(chunk), position + len(chunk)
                while index < len(entries) and entries[index].start < top:
                    entry = entries[index]
                    a, b = max(entry.start, position), min(entry.end, top)
                    if b > a:
                        piece = view[a - position:b - position]
                        entry.digest.update(piece)
                        if entry.out is not None:
                            try:
                                entry.out.write(piece)
                            except OSError as exc:
                                raise _CopyFailed(exc) from exc
                    if entry.end > top:
                        break  # continues in the next block
                    index += 1
                position = top
        except _CopyFailed as failed:
            # The disk copied to (full, read-only), not the package: its own error.
            raise failed.error from None
        except OSError as exc:
            raise damaged(path.name, exc) from exc
    short = next((e for e in entries[index:] if e.end > position), None)
    if short is not None:
        raise damaged(short.name, EOFError("the file ended early"))
    for entry in entries:
        if entry.digest.hexdigest() != entry.sha:
            raise _why(path, entry)
    return whole.hexdigest(), rest


def _why(path: Path, entry: Entry) -> PackageError:
    """Why an entry's hash differs: the ZIP's own checksum fails too when bytes changed on
    the way (a bad stick, a cut copy); when it holds, the entry was changed and re-packed.
    Computed only then: the SHA-256 alone decides whether a file is intact."""
    crc = 0
    with path.open("rb") as handle:
        handle.seek(entry.start)
        left = entry.end - entry.start
        while left > 0 and (block := handle.read(min(CHUNK, left))):
            crc = zlib.crc32(block, crc)
            left -= len(block)
    if crc != entry.crc:
        return damaged(entry.name, zipfile.BadZipFile(f"Bad CRC-32 for file {entry.name!r}"))
    return PackageError("File '{name}' in the package is damaged: its SHA-256 does not match.",
                        name=entry.name)
