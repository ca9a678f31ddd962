"""Sync package format version 1: write and read signed `.cchc` ZIP files (no database here)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parapp import __version__
from parapp.domain.errors import Phrase
from parapp.sync import keys
from parapp.sync.safety import (
    DEFAULT_LIMITS,
    NotForThisOffice,
    PackageError,
    VerifyingReader,
    ZipLimits,
    check_infos,
    damaged,
    open_zip,
    short_names,
    verify_entry,
)

# Version 2 adds the sender's sequence number (docs/sync-format.md, "Order"); version 1
# packages, written by programs from before it, are still read.
FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)
MAX_SEQUENCE = 2**53 - 1  # exact in every JSON reader
SCHEMA_VERSION = 1  # written by default; 2: a result carries the published ranking
READABLE_SCHEMAS = (1, 2)
KINDS = ("criteria-set", "unit-card", "submission", "result", "progress")
MANIFEST, SIGNATURE, DATA = "manifest.json", "manifest.sig", "data.json"
EVIDENCE_DIR = "evidence/"
# Limits that bound the time and memory of reading a package (docs/sync-format.md, "Size
# limits"): the manifest (10 000 files listed take about 2 MiB), data.json, and every entry
# of every list in data.json at any depth (a score, a document and each criterion it is
# linked to, a plan item, each of its progress reports, a history entry...), which bounds
# the rows an import writes. Checked from the ZIP directory and while reading a bounded
# number of bytes, before anything is parsed; by the writer too.
MAX_MANIFEST_SIZE = 4 * 1024**2
MAX_DATA_SIZE = 8 * 1024**2
MAX_DATA_ENTRIES = 20_000
# Commas, brackets and braces in data.json, counted before it is parsed (one more than the
# values it can hold, text included): what parsing may allocate whatever the bytes are.
# A package at the limits above needs a third of it.
MAX_DATA_MARKS = 1_000_000
CHUNK = 1024**2
# Used with fullmatch: "$" would also accept a trailing newline.
_SHA = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"[0-9A-F]{4}( [0-9A-F]{4}){15}")


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    package_id: str
    sha256: str  # of the whole package file, for the transfer slip
    size: int
    manifest: dict[str, Any]


@dataclass
class OpenedPackage:
    path: Path
    manifest: dict[str, Any]
    data: Any
    evidence: list[str] = field(default_factory=list)
    # The ZIP directory's entries of the evidence, by name (their sizes, where to read them).
    infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @property
    def package_id(self) -> str:
        return str(self.manifest["package_id"])

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def sequence(self) -> int | None:
        """The sender's number for this package (None: format version 1 had none)."""
        value = self.manifest.get("sequence")
        return value if type(value) is int else None

    def open_evidence(self, sha: str) -> VerifyingReader:
        """Stream one evidence file; the hash is checked as it is read (PackageError at the end)."""
        if sha not in self.evidence:
            raise PackageError("The package has no evidence file {sha}.", sha=sha)
        archive = zipfile.ZipFile(self.path)
        try:
            handle = archive.open(EVIDENCE_DIR + sha)
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError,
                OverflowError) as exc:  # e.g. a compression method zipfile does not know
            archive.close()
            raise damaged(EVIDENCE_DIR + sha, exc) from exc
        except BaseException:
            archive.close()
            raise
        return VerifyingReader(archive, handle, EVIDENCE_DIR + sha, sha)


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).encode("utf-8")


def _copy_hashed(archive: zipfile.ZipFile, name: str, source: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as src, archive.open(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)),
                                                "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return size, digest.hexdigest()


def write_package(out_path: Path, kind: str, sender_key: keys.SigningKey, sender_unit: str,
                  recipient: Mapping[str, str], data: Any,
                  evidence: Mapping[str, Path] | None = None,
                  *, criteria_set: Mapping[str, Any] | None = None, period: int | None = None,
                  app_version: str = __version__, schema_version: int = SCHEMA_VERSION,
                  package_id: str | None = None, created_at: str | None = None,
                  sequence: int | None = None) -> PackageInfo:
    """Write a signed package atomically, read it back and verify it before returning.

    ``sequence`` is the sender's next number for this recipient (format version 2); without
    it a version 1 package is written, as older programs did (kept for the tests that
    check those are still read)."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp",
                                     dir=out_path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w") as archive:
                data_bytes = _dump(data)
                _check_size_to_write(data_bytes, data)
                archive.writestr(DATA, data_bytes, zipfile.ZIP_DEFLATED)
                files = [{"path": DATA, "size": len(data_bytes),
                          "sha256": hashlib.sha256(data_bytes).hexdigest()}]
                for sha, source in sorted((evidence or {}).items()):
                    size, actual = _copy_hashed(archive, EVIDENCE_DIR + sha, Path(source))
                    if actual != sha:
                        raise PackageError("Evidence file '{path}' does not have the SHA-256 "
                                           "{sha} it was listed under.", path=str(source), sha=sha)
                    files.append({"path": EVIDENCE_DIR + sha, "size": size, "sha256": sha})
                manifest: dict[str, Any] = {
                    "format_version": FORMAT_VERSION if sequence is not None else 1,
                    "package_id": package_id or str(uuid.uuid4()),
                    "kind": kind,
                    "sender": {"unit_code": sender_unit, "key_fingerprint": sender_key.fingerprint},
                    "recipient": dict(recipient),
                    "created_at": created_at or datetime.now(UTC).isoformat(timespec="seconds"),
                    "app_version": app_version,
                    "schema_version": schema_version,
                    "criteria_set": dict(criteria_set) if criteria_set is not None else None,
                    "period": period,
                    "files": files,
                    "history": [],
                }
                if sequence is not None:
                    manifest["sequence"] = sequence
                validate_manifest(manifest)
                manifest_bytes = _dump(manifest)
                archive.writestr(MANIFEST, manifest_bytes, zipfile.ZIP_DEFLATED)
                archive.writestr(SIGNATURE, sender_key.sign(manifest_bytes))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp, out_path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    trusted = {sender_key.fingerprint: sender_key.public_bytes}
    try:
        _read(out_path, trusted, None, DEFAULT_LIMITS)  # read back: everything must verify
    except PackageError:
        out_path.unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    with out_path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return PackageInfo(out_path, manifest["package_id"], digest.hexdigest(),
                       out_path.stat().st_size, manifest)


def _check_size_to_write(data_bytes: bytes, data: Any) -> None:
    """Refuse to write what every reader would refuse (see ``MAX_DATA_SIZE``)."""
    marks = data_bytes.count(b",") + data_bytes.count(b"[") + data_bytes.count(b"{")
    if (len(data_bytes) > MAX_DATA_SIZE or marks > MAX_DATA_MARKS
            or entries(data, MAX_DATA_ENTRIES) > MAX_DATA_ENTRIES):
        raise PackageError("The data to send is larger than one package may carry ({size} MB "
                           "and {entries} list entries at most), so no package was written.",
                           size=MAX_DATA_SIZE // 1024**2, entries=MAX_DATA_ENTRIES)


def entries(value: Any, limit: int) -> int:
    """The entries of every list in ``value``, at any depth, counted up to ``limit + 1``
    (a count past the limit stops there: the package is refused either way)."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            count += len(item)
            if count > limit:
                break
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return count


def _data_too_large() -> PackageError:
    return PackageError("The package's data.json is larger than {limit} MB, the most a package "
                        "may carry besides its documents, so it is refused without being read.",
                        limit=MAX_DATA_SIZE // 1024**2)


def _read_data(archive: zipfile.ZipFile, entry: Mapping[str, Any]) -> Any:
    """data.json, refused before it is parsed when it is larger than ``MAX_DATA_SIZE`` (by
    the ZIP directory and the manifest, and by reading at most one byte more) or has more
    than ``MAX_DATA_MARKS`` commas, brackets and braces, and once parsed when it holds more
    than ``MAX_DATA_ENTRIES`` list entries; its size and SHA-256 checked as listed."""
    info = archive.getinfo(DATA)
    if max(info.file_size, entry["size"]) > MAX_DATA_SIZE:
        raise _data_too_large()
    if info.file_size != entry["size"]:
        raise PackageError("File '{name}' in the package has the wrong size ({actual} bytes, the "
                           "manifest says {size}).", name=DATA, actual=info.file_size,
                           size=entry["size"])
    try:
        with archive.open(info) as handle:
            raw = handle.read(MAX_DATA_SIZE + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error) as exc:
        raise damaged(DATA, exc) from exc
    if len(raw) > MAX_DATA_SIZE:
        raise _data_too_large()
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise PackageError("File '{name}' in the package is damaged: its SHA-256 does not match "
                           "the manifest.", name=DATA)
    if raw.count(b",") + raw.count(b"[") + raw.count(b"{") > MAX_DATA_MARKS:
        raise PackageError("The package's data.json holds more than {limit} separate values, "
                           "far more than a package's records need, so it is refused without "
                           "being read.", limit=MAX_DATA_MARKS)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PackageError("The package's data.json is not valid JSON.") from exc
    except RecursionError:  # Python's own text names no file and no reason
        raise nested_too_deeply() from None
    if entries(data, MAX_DATA_ENTRIES) > MAX_DATA_ENTRIES:
        raise PackageError("The package's data has more than {limit} entries in its lists "
                           "(scores, documents and their criteria, plan items, progress "
                           "reports, history…), the most a package may carry, so it is "
                           "refused.", limit=MAX_DATA_ENTRIES)
    return data


def nested_too_deeply() -> PackageError:
    return PackageError("The package's data is nested too deeply to be read (lists or objects "
                        "inside one another hundreds of times), so it is refused.")


def _extra_bytes(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse bytes before or after the ZIP itself: zipfile reads past them, but they
    change the file's SHA-256 (printed on the transfer slip) and are covered by no
    signature. A package starts with its first entry's header and ends with the ZIP's
    end record, without a comment."""
    first = min((info.header_offset for info in archive.infolist()), default=0)
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(size - 22, 0))
        tail = handle.read(22)
    if first != 0 or head != b"PK\x03\x04" or archive.comment or not (
            tail[:4] == b"PK\x05\x06" and tail[20:22] == b"\x00\x00"):
        raise PackageError("The file holds bytes before or after the package itself (it was "
                           "altered, or joined with another file), so it is refused: its "
                           "SHA-256 would not match the transfer slip.")


def _invalid(reason: Phrase) -> PackageError:
    return PackageError("The package manifest is invalid: {reason}.", reason=reason)


def _is_code(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64


def created_at(m: Mapping[str, Any]) -> datetime:
    """The manifest's creation time, timezone-aware and within the calendar's middle years
    (a time near year 1 or 9999 overflows as soon as it is compared across time zones)."""
    try:
        when = datetime.fromisoformat(str(m["created_at"]))
        if when.tzinfo is None:
            raise ValueError("no time zone")
        if not 1980 <= when.year <= 2999:
            raise ValueError("year out of range")
        when.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise _invalid(Phrase("created_at '{value}' is not a time with its time zone in years "
                              "1980 to 2999", value=str(m["created_at"])[:40])) from exc
    return when


def validate_manifest(m: Any) -> None:
    """Check the manifest's structure (format version 1 or 2); raise PackageError."""
    if not isinstance(m, dict):
        raise _invalid(Phrase("it is not a JSON object"))
    expected = {"format_version", "package_id", "kind", "sender", "recipient", "created_at",
                "app_version", "schema_version", "criteria_set", "period", "files", "history"}
    if m.get("format_version") != 1:
        expected.add("sequence")
    if set(m) != expected:
        names = short_names({str(n) for n in set(m) ^ expected})
        raise _invalid(Phrase("fields missing or unknown: {names}", names=names))
    try:
        uuid.UUID(str(m["package_id"]))
    except ValueError as exc:
        raise _invalid(Phrase("bad package_id")) from exc
    created_at(m)
    if m["schema_version"] not in READABLE_SCHEMAS and type(m["schema_version"]) is int:
        if m["schema_version"] > READABLE_SCHEMAS[-1]:
            raise PackageError("The package's data was made by a newer version of the program "
                               "(data schema {version}): update it to open this package.",
                               version=m["schema_version"])
        raise _invalid(Phrase("schema_version {version} is not known",
                              version=m["schema_version"]))
    if m["kind"] not in KINDS:
        raise _invalid(Phrase("unknown kind '{kind}'", kind=str(m["kind"])[:80]))
    sender = m["sender"]
    if not (isinstance(sender, dict) and set(sender) == {"unit_code", "key_fingerprint"}
            and _is_code(sender["unit_code"])
            and _FINGERPRINT.fullmatch(str(sender["key_fingerprint"]))):
        raise _invalid(Phrase("bad sender"))
    to = m["recipient"]
    if not (isinstance(to, dict) and len(to) == 1 and set(to) <= {"unit_code", "appraiser_of"}
            and all(_is_code(v) for v in to.values())):
        raise _invalid(Phrase("bad recipient"))
    if (not isinstance(m["app_version"], str) or len(m["app_version"]) > 64
            or type(m["schema_version"]) is not int):
        raise _invalid(Phrase("bad app_version or schema_version"))
    cs = m["criteria_set"]
    if cs is not None and not (isinstance(cs, dict) and set(cs) == {"code", "version"}
                               and _is_code(cs["code"]) and type(cs["version"]) is int):
        raise _invalid(Phrase("bad criteria_set"))
    if m["period"] is not None and type(m["period"]) is not int:
        raise _invalid(Phrase("bad period"))
    if "sequence" in m and not (type(m["sequence"]) is int
                                and 1 <= m["sequence"] <= MAX_SEQUENCE):
        raise _invalid(Phrase("sequence is not a whole number from 1 to {limit}",
                              limit=MAX_SEQUENCE))
    if m["history"] != []:
        raise _invalid(Phrase("history must be an empty list in format version 1"))
    files = m["files"]
    if not isinstance(files, list):
        raise _invalid(Phrase("files is not a list"))
    paths = set()
    for entry in files:
        if not (isinstance(entry, dict) and set(entry) == {"path", "size", "sha256"}
                and type(entry["size"]) is int and entry["size"] >= 0
                and _SHA.fullmatch(str(entry["sha256"]))):
            # Named by its path (the entry itself may be anything, a megabyte long).
            name = entry.get("path") if isinstance(entry, dict) else None
            raise _invalid(Phrase("bad file entry {entry}",
                                  entry=repr(name if isinstance(name, str) else entry)[:80]))
        path = entry["path"]
        if path != DATA and path != EVIDENCE_DIR + entry["sha256"]:
            raise _invalid(Phrase("unexpected file path '{path}'", path=str(path)[:80]))
        if path in paths:
            raise _invalid(Phrase("file '{path}' listed twice", path=path))
        paths.add(path)
    if DATA not in paths:
        raise _invalid(Phrase("data.json is not listed"))


def read_package(path: Path, trusted: Mapping[str, bytes], my_unit_code: str | None,
                 my_appraiser_code: str | None = None,
                 limits: ZipLimits = DEFAULT_LIMITS, *,
                 verify_evidence: bool = True) -> OpenedPackage:
    """Open and verify a package without extracting anything; raise PackageError on any fault.

    ``my_unit_code=None`` skips the recipient check (a unit card is read before its sender
    is trusted, whoever it was addressed to). ``verify_evidence=False`` leaves the evidence
    hashes to the reader that copies the files (as ``open_evidence`` and the import's
    staging do while they stream): one pass over the bytes instead of two.
    """
    me = (my_unit_code, my_appraiser_code) if my_unit_code is not None else None
    return _read(Path(path), trusted, me, limits, verify_evidence)


def _check_recipient(to: Mapping[str, str], me: str, my_appraiser: str | None) -> None:
    if "unit_code" in to and to["unit_code"] != me:
        raise PackageError("This package is for unit '{to}', not for this unit ('{me}').",
                           to=to["unit_code"], me=me)
    if "appraiser_of" in to and to["appraiser_of"] != my_appraiser:
        raise PackageError("This package is for the units under appraiser '{to}'; this unit "
                           "('{me}') is not one of them.", to=to["appraiser_of"], me=me)


def _read_small(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise PackageError("File '{name}' in the package is too large.", name=name)
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise damaged(name, exc) from exc


def _read(path: Path, trusted: Mapping[str, bytes], me: tuple[str, str | None] | None,
          limits: ZipLimits, verify_evidence: bool = True) -> OpenedPackage:
    archive = open_zip(path)
    with archive:
        _extra_bytes(path, archive)
        check_infos(archive.infolist(), limits)
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise PackageError("The package has no manifest.json: it is not a sync package.")
        manifest_bytes = _read_small(archive, MANIFEST, MAX_MANIFEST_SIZE)
        try:
            manifest = json.loads(manifest_bytes.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise _invalid(Phrase("it is not valid JSON")) from exc
        except RecursionError:
            raise nested_too_deeply() from None
        version = manifest.get("format_version") if isinstance(manifest, dict) else None
        if type(version) is int and version > FORMAT_VERSION:
            raise PackageError("The package was made by a newer version of the program (format "
                               "{version}): update it to open this package.", version=version)
        if type(version) is not int or version not in READABLE_FORMATS:
            raise _invalid(Phrase("format_version is missing or not 1 or 2"))
        validate_manifest(manifest)
        fp, unit = manifest["sender"]["key_fingerprint"], manifest["sender"]["unit_code"]
        public = trusted.get(fp)
        if public is None and me is not None and unit == me[0]:
            # The office's own package or card, still on the stick: not "an untrusted sender".
            raise NotForThisOffice("This package was made by this office itself (unit "
                                   "'{unit}'): it is meant for the other side, so there is "
                                   "nothing to import here.", unit=unit)
        if public is None or keys.fingerprint(public) != fp:
            raise PackageError("The sender's key is not trusted: unit '{unit}', key fingerprint "
                               "{fingerprint}. Confirm this fingerprint with the sender (it is "
                               "printed on the transfer slip) before trusting it.",
                               unit=unit, fingerprint=fp)
        signature = _read_small(archive, SIGNATURE, 1024) if SIGNATURE in names else b""
        if not keys.verify(public, signature, manifest_bytes):
            raise PackageError("The package signature is not valid: it was changed after "
                               "signing, or it is not from who it claims ('{unit}').", unit=unit)
        if me is not None:
            _check_recipient(manifest["recipient"], *me)
        listed = {entry["path"]: entry for entry in manifest["files"]}
        for name in sorted(listed):
            if name not in names:
                raise PackageError("File '{name}' listed in the manifest is missing from the "
                                   "package.", name=name)
        for name in sorted(names - set(listed) - {MANIFEST, SIGNATURE}):
            raise PackageError("Entry '{name}' is in the package but not in its manifest.",
                               name=name)
        data = _read_data(archive, listed[DATA])
        for name, entry in sorted(listed.items()):
            if name == DATA:
                continue
            if verify_evidence:
                verify_entry(archive, name, entry["size"], entry["sha256"])
            elif archive.getinfo(name).file_size != entry["size"]:
                raise PackageError("File '{name}' in the package has the wrong size.", name=name)
        infos = {name: archive.getinfo(name) for name in listed if name != DATA}
    evidence = sorted(e["sha256"] for e in manifest["files"] if e["path"] != DATA)
    return OpenedPackage(path, manifest, data, evidence, infos)
