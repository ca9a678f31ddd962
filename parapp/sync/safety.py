"""ZIP safety checks made before anything is read or extracted from a package."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parapp.domain.errors import DomainError, Phrase


class PackageError(DomainError):
    """A sync package is unsafe, damaged, untrusted or not meant for this unit."""


class NotForThisOffice(PackageError):
    """A genuine file with nothing to import here (the office's own package, a card whose key
    is already trusted): skipped when a whole stick is imported, not a refusal."""


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 10_000
    max_total_size: int = 2 * 1024**3
    max_entry_size: int = 2 * 1024**3
    max_ratio: int = 100
    ratio_min_size: int = 1024**2


DEFAULT_LIMITS = ZipLimits()


def short_names(names: set[str]) -> str:
    """A few field names for a message: a hostile file may carry a million of them, or one
    name a megabyte long."""
    shown = [n if len(n) <= 40 else n[:40] + "…" for n in sorted(names)[:5]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" (+{more})" if more > 0 else "")


def unreadable(head: bytes, size: int) -> PackageError:
    """Why a file that ZIP cannot open is not a package, from its first bytes and size.

    A clerk needs to know whether to copy the file again (empty or cut off on the way) or
    whether it was never a package; Python's own wording says neither.
    """
    if size == 0:
        return PackageError("The file is empty (0 bytes): it is not a package. Copy it again "
                            "from the sender's stick or ask for it again.")
    if head.startswith(b"PK\x03\x04"):
        return PackageError("The file is incomplete: it was cut off before its end, probably "
                            "while it was being copied. Copy it again from the sender's stick.")
    return PackageError("The file is not a sync package (.cchc): its contents are not those "
                        "of a package at all.")


def open_zip(source: Path | str | bytes) -> zipfile.ZipFile:
    """Open a package's ZIP, or raise the PackageError that says why it cannot be."""
    try:
        if isinstance(source, bytes | bytearray):
            return zipfile.ZipFile(io.BytesIO(source))
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        if isinstance(source, bytes | bytearray):
            raise unreadable(bytes(source[:4]), len(source)) from exc
        path = Path(source)
        with path.open("rb") as handle:
            head = handle.read(4)
        raise unreadable(head, path.stat().st_size) from exc
    except OSError as exc:
        raise PackageError("The file '{name}' cannot be read: {reason}",
                           name=Path(str(source)).name[:80], reason=exc.strerror or "") from exc


_open = open_zip


def _check_name(name: str) -> None:
    if "\\" in name:
        raise PackageError(
            "Entry '{name}' is refused: its name contains a backslash.", name=name
        )
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise PackageError(
            "Entry '{name}' is refused: it has an absolute path.", name=name
        )
    if any(part == ".." for part in name.split("/")):
        raise PackageError(
            "Entry '{name}' is refused: its path leads outside the package ('..').", name=name
        )
    if "\x00" in name or not name.strip("/"):
        raise PackageError("Entry '{name}' is refused: its name is empty or invalid.", name=name)


def _check_info(info: zipfile.ZipInfo, limits: ZipLimits) -> None:
    name = info.filename
    _check_name(name)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise PackageError("Entry '{name}' is refused: it is a symbolic link.", name=name)
    if info.flag_bits & 0x1:
        raise PackageError("Entry '{name}' is refused: it is encrypted.", name=name)
    if info.file_size > limits.max_entry_size:
        raise PackageError(
            "Entry '{name}' is refused: it is too large ({size} bytes, at most {limit}).",
            name=name,
            size=info.file_size,
            limit=limits.max_entry_size,
        )
    if info.file_size > limits.ratio_min_size:
        compressed = max(info.compress_size, 1)
        if info.file_size / compressed > limits.max_ratio:
            raise PackageError(
                "Entry '{name}' is refused: it is compressed too much ({ratio}:1, at most "
                "{limit}:1), as in a ZIP bomb.",
                name=name,
                ratio=info.file_size // compressed,
                limit=limits.max_ratio,
            )


def check_infos(infos: list[zipfile.ZipInfo], limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Refuse an unsafe archive from its central directory alone (nothing is extracted)."""
    if len(infos) > limits.max_entries:
        raise PackageError(
            "The package is refused: it has too many entries ({count}, at most {limit}).",
            count=len(infos),
            limit=limits.max_entries,
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_info(info, limits)
        if info.filename in seen:
            raise PackageError(
                "Entry '{name}' is refused: the package holds two entries with this name.",
                name=info.filename,
            )
        seen.add(info.filename)
        total += info.file_size
        if total > limits.max_total_size:
            raise PackageError(
                "The package is refused: its contents are too large once unpacked "
                "(more than {limit} bytes).",
                limit=limits.max_total_size,
            )


def check_zip(source: Path | str | bytes, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Check a ZIP file (path or bytes) before anything is extracted; raise PackageError."""
    with _open(source) as archive:
        check_infos(archive.infolist(), limits)


class VerifyingReader(io.RawIOBase):
    """Streams one ZIP entry and checks its SHA-256 when the end is reached."""

    def __init__(self, archive: zipfile.ZipFile, handle: Any, name: str, sha: str) -> None:
        self._archive, self._handle, self._name, self._sha = archive, handle, name, sha
        self._hash = hashlib.sha256()
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            chunk = self._handle.read(len(buffer))
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
            raise damaged(self._name, exc) from exc
        if not chunk:
            if not self._done and self._hash.hexdigest() != self._sha:
                raise PackageError(
                    "File '{name}' in the package is damaged: its SHA-256 does not match.",
                    name=self._name,
                )
            self._done = True
            return 0
        self._hash.update(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        if not self.closed:
            self._handle.close()
            self._archive.close()
        super().close()


def damaged(name: str, exc: BaseException) -> PackageError:
    return PackageError(
        "File '{name}' in the package is damaged: {reason}", name=name, reason=zip_reason(exc)
    )


def zip_reason(exc: BaseException) -> Phrase:
    """What went wrong reading a ZIP entry, by the error's type, in our words: zipfile's own
    text ("Bad CRC-32 for file …") is English whatever the user's language."""
    if isinstance(exc, zipfile.BadZipFile):
        if "CRC" in str(exc):
            return Phrase("its contents do not match their checksum (CRC-32)")
        return Phrase("its ZIP structure is broken")
    if isinstance(exc, zlib.error | EOFError):
        return Phrase("its compressed data is corrupt or cut short")
    if isinstance(exc, NotImplementedError):
        return Phrase("it is compressed in a way this program cannot read")
    if isinstance(exc, OSError):
        return Phrase("it could not be read from the disk or USB stick")
    return Phrase("its data cannot be read")


def verify_entry(archive: zipfile.ZipFile, name: str, size: int, sha: str) -> None:
    """Check one entry's size and stream its SHA-256 against the manifest's."""
    info = archive.getinfo(name)
    if info.file_size != size:
        raise PackageError("File '{name}' in the package has the wrong size ({actual} bytes, the "
                           "manifest says {size}).", name=name, actual=info.file_size, size=size)
    digest = hashlib.sha256()
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(1024**2):
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise damaged(name, exc) from exc
    if digest.hexdigest() != sha:
        raise PackageError("File '{name}' in the package is damaged: its SHA-256 does not match "
                           "the manifest.", name=name)
