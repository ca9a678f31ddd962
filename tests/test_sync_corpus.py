"""A corpus of hostile and broken packages, each imported into the demo appraiser.

Every package is built here from a valid 2026 submission of the demo commune (or from the
demo's own files). Each must be refused, for real and in a dry run, with one sentence of
its own (checked in English and in Vietnamese), and leave the appraiser's database row for
row, its evidence store and its backups exactly as they were.

Each case is imported once, into a fresh copy of the appraiser, by the module fixture
``outcomes``; the tests then look at what came out. ``test_corpus_messages_are_distinct``
prints the list of case -> message (``pytest -s``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import shutil
import sqlite3
import stat
import struct
import unicodedata
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sync_support import copy_demo, draft_2026_submission, dump, store_listing

from db.engine import open_database
from parapp import i18n
from parapp.domain.errors import DomainError, Phrase
from parapp.services import sync_import, sync_keys
from parapp.services.sync_data import MAX_DOCUMENTS
from parapp.sync import keys as sync_key
from parapp.sync.package import (
    MAX_DATA_ENTRIES,
    MAX_DATA_MARKS,
    MAX_DATA_SIZE,
    MAX_MANIFEST_SIZE,
    read_package,
    write_package,
)

STAMP = (1980, 1, 1, 0, 0, 0)
DEFLATED, STORED = zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED
DROP = object()  # a manifest override that removes the field


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).encode("utf-8")


# -- building packages ---------------------------------------------------------------------
@dataclass
class Base:
    """The valid 2026 submission, taken apart, and what is needed to forge variants."""

    folder: Path  # where the corpus is written
    valid: Path
    raw: bytes
    entries: list[tuple[str, bytes, int]]
    manifest: dict[str, Any]
    data: dict[str, Any]
    evidence: dict[str, bytes]
    key: sync_key.SigningKey  # the commune's real (trusted) signing key
    usb: Path
    count: int = 0

    def path(self, name: str) -> Path:
        self.count += 1
        return self.folder / f"{self.count:02d}-{name}.cchc"

    def data_copy(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)


def write_zip(out: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes, int]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": wanted in one case
        with zipfile.ZipFile(out, "w") as archive:
            for name, content, method in entries:
                info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, STAMP)
                archive.writestr(info, content, method)
    return out


def raw_zip(out: Path, entries: list[tuple[str, bytes]], *, flags: dict[str, int] | None = None,
            extra_empty: int = 0) -> Path:
    """A stored-only ZIP written byte by byte (Zip64 end record), fast enough for 100 000
    entries; ``flags`` sets an entry's general-purpose bit flags (e.g. 1: encrypted)."""
    flags = flags or {}
    body, central = bytearray(), bytearray()
    names = [(n, c) for n, c in entries]
    names += [(f"evidence/{i:064x}", b"") for i in range(extra_empty)]
    for name, content in names:
        encoded, crc, offset = name.encode("utf-8"), zlib.crc32(content), len(body)
        flag = flags.get(name, 0) | 0x800
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flag, 0, 0, 0x21, crc,
                            len(content), len(content), len(encoded), 0) + encoded + content
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flag, 0, 0, 0x21,
                               crc, len(content), len(content), len(encoded), 0, 0, 0, 0, 0,
                               offset) + encoded
    start, count = len(body), len(names)
    zip64_at = start + len(central)
    tail = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central),
                       start)
    tail += struct.pack("<IIQI", 0x07064B50, 0, zip64_at, 1)
    tail += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    out.write_bytes(bytes(body) + bytes(central) + tail)
    return out


def signed(base: Base, name: str, data: Any = None, *, data_bytes: bytes | None = None,
           key: sync_key.SigningKey | None = None, manifest: dict[str, Any] | None = None,
           manifest_bytes: bytes | None = None) -> Path:
    """A package signed with ``key`` (the commune's own by default) whose manifest lists
    exactly the bytes it carries: everything verifies except what the case changes."""
    key = key or base.key
    if data_bytes is None:
        data_bytes = _json(base.data if data is None else data)
    files = [{"path": "data.json", "size": len(data_bytes),
              "sha256": hashlib.sha256(data_bytes).hexdigest()}]
    files += [{"path": "evidence/" + sha, "size": len(content), "sha256": sha}
              for sha, content in sorted(base.evidence.items())]
    m = {**copy.deepcopy(base.manifest), "files": files, "package_id": str(uuid.uuid4())}
    for k, v in (manifest or {}).items():
        if v is DROP:
            m.pop(k)
        else:
            m[k] = v
    mb = manifest_bytes if manifest_bytes is not None else _json(m)
    entries = [("data.json", data_bytes, DEFLATED)]
    entries += [("evidence/" + sha, content, STORED) for sha, content in
                sorted(base.evidence.items())]
    entries += [("manifest.json", mb, DEFLATED), ("manifest.sig", key.sign(mb), STORED)]
    return write_zip(base.path(name), entries)  # type: ignore[arg-type]


def rebuilt(base: Base, name: str,
            change: Callable[[list[list[Any]]], list[list[Any]]]) -> Path:
    """The valid package's entries, changed, in a new ZIP (the original signature kept)."""
    entries = change([list(e) for e in base.entries])
    return write_zip(base.path(name), [tuple(e) for e in entries])  # type: ignore[misc]


def flipped(entries: list[list[Any]], prefix: str, at: int) -> list[list[Any]]:
    for entry in entries:
        if entry[0].startswith(prefix):
            content = bytearray(entry[1])
            content[at] ^= 0x01
            entry[1] = bytes(content)
            return entries
    raise AssertionError(f"no entry {prefix}")


def plus(*extra: tuple[Any, bytes, int]) -> Callable[[list[list[Any]]], list[list[Any]]]:
    return lambda entries: entries + [list(e) for e in extra]


def with_score(base: Base, name: str, index: int, **fields: Any) -> Path:
    data = base.data_copy()
    data["scores"][index].update(fields)
    return signed(base, name, data)


def _manifest_flip(base: Base) -> Path:
    """One byte of manifest.json flipped (a digit of the package id: the manifest stays valid
    JSON with a valid UUID), the original signature kept."""
    manifest = dict((e[0], e[1]) for e in base.entries)["manifest.json"]
    at = manifest.index(b'"package_id": "') + len(b'"package_id": "')
    while not manifest[at : at + 1].isdigit():
        at += 1
    return rebuilt(base, "flip-manifest", lambda es: flipped(es, "manifest.json", at))


def _raw_flip(base: Base) -> Path:
    """One byte flipped in the file itself, inside a stored evidence entry (CRC fails)."""
    raw = bytearray(base.raw)
    first = base.evidence[sorted(base.evidence)[0]]
    raw[base.raw.index(first) + 3] ^= 0x01
    out = base.path("flip-raw-evidence")
    out.write_bytes(bytes(raw))
    return out


def _truncated(base: Base, keep: float) -> Path:
    """The first ``keep`` of the file (a copy to the stick cut short); a negative whole
    number drops that many bytes from the end."""
    size = int(len(base.raw) * keep) if keep > 0 else len(base.raw) + int(keep)
    return _write(base, f"truncated-{size}", base.raw[:size])


def _other_key_signature(base: Base) -> Path:
    """The untouched manifest (claiming the commune's fingerprint) signed by another key."""
    other = sync_key.generate()
    manifest = dict((e[0], e[1]) for e in base.entries)["manifest.json"]

    def change(entries: list[list[Any]]) -> list[list[Any]]:
        for entry in entries:
            if entry[0] == "manifest.sig":
                entry[1] = other.sign(manifest)
        return entries

    return rebuilt(base, "wrong-signature", change)


def _unknown_sender(base: Base) -> Path:
    other = sync_key.generate()
    return signed(base, "unknown-sender", key=other, manifest={
        "sender": {"unit_code": "06172", "key_fingerprint": other.fingerprint}})


def _wrong_recipient(base: Base) -> Path:
    evidence = {}
    for sha, content in base.evidence.items():
        source = base.folder / "sources" / sha
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(content)
        evidence[sha] = source
    return write_package(base.path("wrong-recipient"), "submission", base.key, "06172",
                         {"unit_code": "99"}, base.data, evidence,
                         criteria_set=base.manifest["criteria_set"], period=2026).path


def _symlink(base: Base) -> Path:
    info = zipfile.ZipInfo("evidence/link", STAMP)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return rebuilt(base, "symlink", plus((info, b"/etc/passwd", STORED)))


def _encrypted(base: Base) -> Path:
    entries = [(n, c) for n, c, _m in base.entries] + [("evidence/secret", b"x" * 24)]
    return raw_zip(base.path("encrypted-entry"), entries, flags={"evidence/secret": 1})


def _bomb(base: Base) -> Path:
    zeros = bytes(20 * 1024**2)  # 20 MiB of zeros deflate to ~20 KiB: about 1000:1
    return rebuilt(base, "zip-bomb", lambda es: [e for e in es if e[0] != "data.json"]
                   + [["data.json", zeros, DEFLATED]])


def _many(base: Base) -> Path:
    entries = [(n, c) for n, c, _m in base.entries]
    return raw_zip(base.path("100k-entries"), entries, extra_empty=100_000)


def _result_kind(base: Base) -> Path:
    data = {"unit_code": "20", "assessment": base.data["assessment"], "scores": [],
            "published": None, "returned_reason": ""}
    return write_package(base.path("result-to-appraiser"), "result", base.key, "06172",
                         {"unit_code": "20"}, data, criteria_set=base.manifest["criteria_set"],
                         period=2026).path


def _card(base: Base) -> Path:
    out = base.path("unit-card")
    shutil.copyfile(base.usb / "the-dinh-danh-06172.cchc", out)
    return out


def _data(change: Callable[[dict[str, Any]], None]) -> Callable[[Base], dict[str, Any]]:
    def build(base: Base) -> dict[str, Any]:
        data = base.data_copy()
        change(data)
        return data

    return build


def _signed_data(name: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Base], Path]:
    return lambda b: signed(b, name, _data(change)(b))


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set a value deep in the data: "scores.0.self_score"."""
    *parents, last = path.split(".")

    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is DROP:
            del node[last]
        else:
            node[int(last) if isinstance(node, list) else last] = value

    return change


def _both(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for c in changes:
            c(data)

    return change


def _existing_year_new_uuid(data: dict[str, Any]) -> None:
    """A second 2025 assessment of the commune (a new uuid): the appraiser already has its
    published 2025 assessment."""
    data["assessment"].update(uuid=str(uuid.uuid4()), year=2025)


def _free_score(value: Any) -> Callable[[dict[str, Any]], None]:
    """Criterion 1.1.1 scored by hand (no declared data): only range checks apply."""
    return _both(_set("scores.0.declared", {}), _set("scores.0.self_score", value))


# -- the cases -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Base], Path]
    phrase: str  # a distinctive part of the English sentence
    group: str = ""  # cases of one group may share a message (the reader cannot tell them apart)
    conflict_ok: bool = False  # a dry run may show it as a conflict instead of refusing
    extra: tuple[str, ...] = field(default_factory=tuple)  # more words the message must hold


def _cases() -> list[Case]:
    huge = "x" * 1_000_000
    return [
        # The file itself.
        Case("truncated at 90%", lambda b: _truncated(b, 0.9), "incomplete", "truncated"),
        Case("truncated at 50%", lambda b: _truncated(b, 0.5), "incomplete", "truncated"),
        Case("truncated at 10%", lambda b: _truncated(b, 0.1), "incomplete", "truncated"),
        Case("truncated by its last byte", lambda b: _truncated(b, -1), "incomplete",
             "truncated"),
        Case("empty file", lambda b: _write(b, "empty", b""), "empty"),
        Case("not a ZIP at all", lambda b: _write(b, "not-zip", b"Bien ban giao nhan\n" * 50),
             "not a"),
        # One byte changed.
        Case("one byte flipped in data.json",
             lambda b: rebuilt(b, "flip-data", lambda es: flipped(es, "data.json", 100)),
             "damaged", extra=("data.json",)),
        Case("one byte flipped in an evidence file",
             lambda b: rebuilt(b, "flip-evidence", lambda es: flipped(es, "evidence/", 3)),
             "damaged", extra=("evidence/",)),
        Case("one byte flipped in manifest.json", _manifest_flip, "signature is not valid",
             "signature"),
        Case("one byte flipped in the stored file (CRC)", _raw_flip, "damaged",
             extra=("CRC",)),
        Case("data.json one byte longer than listed",
             lambda b: rebuilt(b, "longer-data", lambda es: [
                 [n, c + b" " if n == "data.json" else c, m] for n, c, m in es]),
             "wrong size"),
        # Who sent it, to whom.
        Case("signed by another key claiming the commune's fingerprint", _other_key_signature,
             "signature is not valid", "signature"),
        Case("signature missing",
             lambda b: rebuilt(b, "no-signature",
                               lambda es: [e for e in es if e[0] != "manifest.sig"]),
             "signature is not valid", "signature"),
        Case("unknown sender", _unknown_sender, "key is not trusted"),
        Case("claims another commune's unit code",
             lambda b: signed(b, "other-sender-unit", manifest={"sender": {
                 "unit_code": "06173", "key_fingerprint": b.key.fingerprint}}),
             "signed with the key of"),
        Case("carries another unit's data", _signed_data("other-unit-data",
                                                        _set("unit.code", "99999")),
             "carries the data of"),
        Case("wrong recipient", _wrong_recipient, "not for this unit", extra=("99",)),
        Case("result package sent to the appraiser", _result_kind, "wrong office"),
        Case("unit card given to sync import", _card, "unit card"),
        # Versions.
        Case("newer format version", lambda b: signed(b, "format-3",
                                                      manifest={"format_version": 3}),
             "newer version", "newer"),
        Case("newer schema version of data.json",
             lambda b: signed(b, "schema-3", manifest={"schema_version": 3}), "newer version",
             "newer"),
        Case("unknown criteria set version",
             lambda b: signed(b, "set-v99", manifest={"criteria_set": {
                 "code": b.manifest["criteria_set"]["code"], "version": 99}}),
             "not loaded here"),
        Case("created_at out of the calendar",
             lambda b: signed(b, "created-9999",
                              manifest={"created_at": "9999-12-31T23:59:59-12:00"}),
             "created_at"),
        # The ZIP directory.
        Case("zip-slip ../", lambda b: rebuilt(b, "slip", plus(("../evil.txt", b"x", STORED))),
             "leads outside the package"),
        Case("zip-slip inside evidence/",
             lambda b: rebuilt(b, "slip-deep", plus(("evidence/../../evil", b"x", STORED))),
             "leads outside the package"),
        Case("absolute path", lambda b: rebuilt(b, "absolute",
                                                plus(("/etc/cron.d/evil", b"x", STORED))),
             "absolute path"),
        Case("absolute Windows path",
             lambda b: rebuilt(b, "drive", plus(("C:/Windows/evil.dll", b"x", STORED))),
             "absolute path"),
        Case("backslash path",
             lambda b: rebuilt(b, "backslash", plus(("evidence\\..\\evil", b"x", STORED))),
             "backslash"),
        Case("symlink entry", _symlink, "symbolic link"),
        Case("encrypted entry", _encrypted, "encrypted"),
        Case("zip bomb", _bomb, "ZIP bomb"),
        Case("100 000 entries", _many, "too many entries"),
        Case("duplicate names",
             lambda b: rebuilt(b, "duplicate", plus(("data.json", b"{}", DEFLATED))),
             "two entries with this name"),
        Case("entry not listed in the manifest",
             lambda b: rebuilt(b, "unlisted", plus(("notes.txt", b"hello", DEFLATED))),
             "not in its manifest"),
        Case("listed evidence missing",
             lambda b: rebuilt(b, "evidence-missing",
                               lambda es: [e for e in es if not e[0].startswith("evidence/")]),
             "missing from the package"),
        # The manifest (signed).
        Case("manifest is not JSON",
             lambda b: signed(b, "manifest-not-json", manifest_bytes=b'{"format_version": 1,'),
             "manifest is invalid", extra=("JSON",)),
        Case("manifest field missing",
             lambda b: signed(b, "manifest-missing", manifest={"history": DROP}),
             "fields missing or unknown", extra=("history",)),
        Case("manifest field name of 1 MB",
             lambda b: signed(b, "manifest-huge-field", manifest={huge: 1}),
             "fields missing or unknown"),
        # data.json (signed, hashes right).
        Case("invalid JSON in data.json",
             lambda b: signed(b, "bad-json", data_bytes=b'{"unit": {"code": '),
             "data.json is not valid JSON"),
        Case("data field missing", _signed_data("data-missing", _set("plan", DROP)),
             "fields missing or unknown", extra=("plan",)),
        Case("data field unknown", _signed_data("data-unknown", _set("extra", 1)),
             "fields missing or unknown", extra=("extra",)),
        Case("data field name of 1 MB", _signed_data("data-huge-field", _set(huge, 1)),
             "fields missing or unknown"),
        Case("score above max", _signed_data("above-max", _free_score("999")),
             "outside 0 to", extra=("999",)),
        Case("negative score", _signed_data("negative", _free_score("-1")), "outside 0 to",
             extra=("-1",)),
        Case('score "NaN"', _signed_data("nan", _free_score("NaN")),
             "is not a number of points", extra=("NaN",)),
        Case('score "Infinity"', _signed_data("infinity", _free_score("Infinity")),
             "is not a number of points", extra=("Infinity",)),
        Case("score as a JSON float", _signed_data("float", _free_score(1.0)),
             "written as text"),
        Case("NaN literal in declared data",
             _signed_data("declared-nan", _set("scores.1.declared",
                                               {"numerator": float("nan"),
                                                "denominator": "100"})),
             "declared data cannot be read"),
        Case("declared ratio above 100%",
             _signed_data("declared-over", _set("scores.1.declared",
                                                {"numerator": "150", "denominator": "100"})),
             "1.1.2"),
        Case("unknown criterion code", _signed_data("unknown-code",
                                                    _set("scores.0.code", "9.9.9")),
             "no criterion '9.9.9' to score"),
        Case("unknown criterion code on evidence",
             _signed_data("unknown-evidence-node", _set("evidence.0.nodes", ["9.9"])),
             "no criterion '9.9' in set"),
        Case("explanation of 1 MB",
             _signed_data("huge-explanation", _set("scores.0.explanation", _noise(1_000_000))),
             "too long"),
        Case("evidence size differs from its file",
             _signed_data("evidence-size", _set("evidence.0.size", 999_999)), "size"),
        Case("assessment year differs from the package period",
             _signed_data("year-vs-period", _set("assessment.year", 2030)), "2030"),
        Case("second assessment for a year the appraiser has",
             _signed_data("second-2025", _existing_year_new_uuid), "2025", conflict_ok=True),
        Case("malformed change-history row",
             _signed_data("bad-history", _set("history", [{"at": "not a time"}])),
             "change history"),
        # The file around the package (issue 19, part 6).
        Case("bytes before the package", lambda b: _write(b, "garbage-before", GARBAGE + b.raw),
             "bytes before or after the package", "around"),
        Case("bytes after the package", lambda b: _write(b, "garbage-after", b.raw + GARBAGE),
             "bytes before or after the package", "around"),
        Case("a comment appended to the ZIP", _commented, "bytes before or after the package",
             "around"),
        Case("a folder with no package", _empty_folder, "There is no package (.cchc file)"),
        # Patterns matched whole (part 6).
        Case("file hash with a trailing newline", _hash_newline, "bad file entry"),
        Case("fingerprint with a trailing newline",
             lambda b: signed(b, "fingerprint-newline", manifest={"sender": {
                 "unit_code": "06172", "key_fingerprint": b.key.fingerprint + "\n"}}),
             "bad sender"),
        # Nesting and size (part 1): refused before anything is parsed whole.
        Case("data.json nested 100 000 deep",
             lambda b: signed(b, "deep-data", data_bytes=b"[" * 100_000 + b"]" * 100_000),
             "nested too deeply", "nested"),
        Case("manifest nested 100 000 deep",
             lambda b: signed(b, "deep-manifest", manifest_bytes=b"[" * 100_000 + b"]" * 100_000),
             "nested too deeply", "nested"),
        Case("data.json over its size limit",
             lambda b: signed(b, "data-too-large", _data(_set(
                 "scores.0.explanation", _noise(MAX_DATA_SIZE * 2 // 3)))(b)),
             "data.json is larger than"),
        Case("data.json of a million values",
             lambda b: signed(b, "million-values", data_bytes=_digits(MAX_DATA_MARKS + 1)),
             "more than 1000000 separate values"),
        Case("more list entries than a package may carry",
             _signed_data("too-many-entries", _set("history", [{}] * (MAX_DATA_ENTRIES + 1))),
             f"more than {MAX_DATA_ENTRIES} entries"),
        Case("more documents than a package may carry",
             _signed_data("too-many-documents",
                          lambda d: d["evidence"].extend(d["evidence"][:1] * MAX_DOCUMENTS)),
             f"too many entries ({MAX_DOCUMENTS + 2})"),
        Case("manifest over its size limit",
             lambda b: signed(b, "manifest-too-large",
                              manifest={"app_version": _noise(MAX_MANIFEST_SIZE * 2 // 3)}),
             "'manifest.json' in the package is too large"),
    ]


def _digits(count: int) -> bytes:
    """A JSON list of ``count`` random digits (it does not compress: no ZIP bomb)."""
    rng = random.Random(count)
    return b"[" + b",".join(str(rng.randrange(10)).encode() for _ in range(count)) + b"]"


GARBAGE = b"MZ\x90\x00 not part of the package " * 40


def _commented(base: Base) -> Path:
    out = _write(base, "commented", base.raw)
    with zipfile.ZipFile(out, "a") as archive:
        archive.comment = b"appended after signing"
    return out


def _empty_folder(base: Base) -> Path:
    folder = base.path("no-package").with_suffix("")
    folder.mkdir()
    (folder / "ghi-chu.txt").write_text("not a package", encoding="utf-8")
    return folder


def _hash_newline(base: Base) -> Path:
    """The manifest lists data.json with its real SHA-256 and a newline after it."""
    data_bytes = _json(base.data)
    files = [{"path": "data.json", "size": len(data_bytes),
              "sha256": hashlib.sha256(data_bytes).hexdigest() + "\n"}]
    files += [{"path": "evidence/" + sha, "size": len(content), "sha256": sha}
              for sha, content in sorted(base.evidence.items())]
    return signed(base, "hash-newline", data_bytes=data_bytes, manifest={"files": files})


def _noise(size: int) -> str:
    """Vietnamese-looking text that does not compress (so the ZIP ratio check passes)."""
    rng = random.Random(size)
    return "".join(rng.choices("aăâbcdđeêghiklmnoôơpqrstuưvxyạảấầẩẫậắằẳẵặẹẻẽềểễệ ", k=size))


def _write(base: Base, name: str, content: bytes) -> Path:
    out = base.path(name)
    out.write_bytes(content)
    return out


CASES = _cases()


# -- running them --------------------------------------------------------------------------
@dataclass
class Result:
    case: Case
    path: Path
    real: sync_import.Outcome | str  # a string: the exception that escaped the import
    dry: sync_import.Outcome | str
    unchanged: dict[str, bool]  # what stayed the same, per run
    en: str = ""
    vi: str = ""


def _import(db_path: Path, package: Path, dry_run: bool) -> tuple[Any, dict[str, bool]]:
    folder = db_path.parent
    before = dump(db_path), store_listing(folder / "evidence"), store_listing(folder / "backups")
    db = open_database(db_path)
    try:
        [(_done, _total, outcome)] = list(
            sync_import.import_packages(db, [package], dry_run=dry_run))
    except Exception as exc:  # a traceback instead of a refusal: recorded, shown by the test
        outcome = f"{type(exc).__name__}: {str(exc)[:300]}"
    finally:
        db.close()
    return outcome, {
        "database": dump(db_path) == before[0],
        "evidence store": store_listing(folder / "evidence") == before[1],
        "backups": store_listing(folder / "backups") == before[2],
    }


def _render(error: DomainError | None, language: str) -> str:
    before = i18n.get_language()
    i18n.set_language(language)
    try:
        return i18n.message(error) if error is not None else ""
    finally:
        i18n.set_language(before)


@pytest.fixture(scope="module")
def corpus(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Base:
    root = copy_demo(demo_db, tmp_path_factory.mktemp("corpus") / "demo")
    valid = draft_2026_submission(root)
    own = sync_keys.own_keys(root / "commune" / "parapp.sqlite3")
    opened = read_package(valid, {own.fingerprint: own.signing.public_bytes}, None)
    with zipfile.ZipFile(valid) as archive:
        entries = [(i.filename, archive.read(i), i.compress_type) for i in archive.infolist()]
    evidence = {sha: dict((e[0], e[1]) for e in entries)["evidence/" + sha]
                for sha in opened.evidence}
    folder = root / "corpus"
    folder.mkdir()
    base = Base(folder, valid, valid.read_bytes(), entries, opened.manifest, opened.data,
                evidence, own.signing, root / "usb")
    assert base.data["plan"] is None and len(evidence) == 2  # what the cases assume
    return base


def _appraiser(base: Base, name: str) -> Path:
    """A fresh copy of the demo appraiser (database, evidence store, keys)."""
    target = base.folder.parent / "appraisers" / name
    shutil.copytree(base.folder.parent / "appraiser", target,
                    ignore=shutil.ignore_patterns("backups", "logs"))
    return target / "parapp.sqlite3"


@pytest.fixture(scope="module")
def outcomes(corpus: Base) -> dict[str, Result]:
    results = {}
    for n, case in enumerate(CASES):
        path = case.build(corpus)
        db_path = _appraiser(corpus, f"case-{n:02d}")
        dry, dry_same = _import(db_path, path, dry_run=True)
        real, real_same = _import(db_path, path, dry_run=False)
        unchanged = {f"{k} (dry run)": v for k, v in dry_same.items()} | real_same
        result = Result(case, path, real, dry, unchanged)
        if isinstance(real, sync_import.Outcome):
            result.en, result.vi = _render(real.error, "en"), _render(real.error, "vi")
        results[case.name] = result
    return results


@pytest.fixture
def vietnamese_then_back() -> Iterator[None]:
    before = i18n.get_language()
    i18n.set_language("vi")
    yield
    i18n.set_language(before)


def _untranslated(error: DomainError | Phrase) -> list[str]:
    """Templates of the sentence and of the phrases inside it that Vietnamese lacks."""
    missing = [error.template] if i18n._(error.template) == error.template else []
    for value in error.params.values():
        if isinstance(value, DomainError | Phrase):
            missing += _untranslated(value)
    return missing


def _describe(outcome: sync_import.Outcome | str) -> str:
    if isinstance(outcome, str):
        return f"exception escaped the import: {outcome}"
    detail = _render(outcome.error, "en")[:300] if outcome.error else ""
    return f"{outcome.status} {detail}".strip()


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_hostile_package_is_refused_and_changes_nothing(
    name: str, outcomes: dict[str, Result], vietnamese_then_back: None
) -> None:
    result = outcomes[name]
    case, real, dry = result.case, result.real, result.dry
    assert isinstance(real, sync_import.Outcome), _describe(real)
    assert real.status == "refused", _describe(real)
    assert isinstance(real.error, DomainError)
    assert isinstance(dry, sync_import.Outcome), "dry run: " + _describe(dry)
    dry_conflict = dry.status == "planned" and dry.plan is not None and dry.plan.conflicts
    assert dry.status == "refused" or (case.conflict_ok and dry_conflict), (
        "dry run: " + _describe(dry))
    assert all(result.unchanged.values()), {k: v for k, v in result.unchanged.items() if not v}
    en = result.en
    assert case.phrase in en, en[:300]
    for word in case.extra:
        assert word in en, en[:300]
    assert len(en) < 600, f"the sentence is {len(en)} characters long: {en[:200]}…"
    assert i18n.message(real.error) == result.vi  # the fixture's language is Vietnamese
    assert result.vi and "{" not in result.vi
    missing = _untranslated(real.error)
    assert not missing, f"not in the Vietnamese catalog: {missing} (shown as: {result.vi[:200]})"
    if case.name == "unknown sender":  # the fingerprint, to compare with the slip
        fingerprint = json.loads(zipfile.ZipFile(result.path).read("manifest.json"))[
            "sender"]["key_fingerprint"]
        assert fingerprint in en and fingerprint in result.vi


def test_corpus_messages_are_distinct(outcomes: dict[str, Result]) -> None:
    """Each case has a sentence of its own, unless the reader cannot tell them apart (the
    same group: a forged signature and a changed manifest look the same)."""
    lines, by_message = [], {}
    for name, result in outcomes.items():
        lines.append(f"{name:58} -> {result.en[:160] or _describe(result.real)}")
        if result.en:
            by_message.setdefault(result.en, set()).add(result.case.group or name)
    print("\n" + "\n".join(lines))
    shared = {m[:120]: sorted(groups) for m, groups in by_message.items() if len(groups) > 1}
    assert not shared, shared
    assert len(CASES) >= 30


# -- state-dependent cases and positive controls -------------------------------------------
def test_replay_of_an_older_package_is_refused(corpus: Base) -> None:
    """Older by the sender's number, whatever the dates say (the older one here claims a
    later date): see tests/test_sync_sequence.py for the clock cases."""
    older = signed(corpus, "replay-older", manifest={"sequence": 5,
                                                     "created_at": "2999-03-01T08:00:00+00:00"})
    newer = signed(corpus, "replay-newer", manifest={"sequence": 6,
                                                     "created_at": "2026-03-02T08:00:00+00:00"})
    db_path = _appraiser(corpus, "replay")
    applied, _same = _import(db_path, newer, dry_run=False)
    assert isinstance(applied, sync_import.Outcome) and applied.status == "applied"
    for dry_run in (True, False):
        outcome, unchanged = _import(db_path, older, dry_run=dry_run)
        assert isinstance(outcome, sync_import.Outcome) and outcome.status == "refused"
        assert all(unchanged.values()), unchanged
        assert "older than one already imported" in _render(outcome.error, "en")
        assert outcome.error is not None
        with_vi = i18n.get_language()
        i18n.set_language("vi")
        try:
            assert not _untranslated(outcome.error), _render(outcome.error, "vi")
        finally:
            i18n.set_language(with_vi)


def test_untouched_package_is_applied(corpus: Base) -> None:
    """The harness refuses for a reason: the valid package, and the same data re-signed
    through the corpus builder, are planned and applied."""
    for name, path in (("valid", corpus.valid), ("re-signed", signed(corpus, "control"))):
        db_path = _appraiser(corpus, f"control-{name}")
        planned, unchanged = _import(db_path, path, dry_run=True)
        assert isinstance(planned, sync_import.Outcome) and planned.status == "planned", (
            _describe(planned))
        assert all(unchanged.values())
        applied, unchanged = _import(db_path, path, dry_run=False)
        assert isinstance(applied, sync_import.Outcome) and applied.status == "applied", (
            _describe(applied))
        assert not unchanged["database"] and not unchanged["evidence store"]
        again, unchanged = _import(db_path, path, dry_run=False)
        assert isinstance(again, sync_import.Outcome) and again.status == "already"
        assert unchanged["database"]


def test_decomposed_text_is_accepted_and_stored_as_nfc(corpus: Base) -> None:
    text = "Đã khắc phục theo Biên bản số 1/2026"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    data = corpus.data_copy()
    data["scores"][0]["explanation"] = nfd
    data["evidence"][0]["title"] = nfd
    db_path = _appraiser(corpus, "nfd")
    outcome, _unchanged = _import(db_path, signed(corpus, "nfd", data), dry_run=False)
    assert isinstance(outcome, sync_import.Outcome) and outcome.status == "applied", (
        _describe(outcome))
    con = sqlite3.connect(db_path)
    try:
        [(explanation,)] = con.execute(
            "SELECT s.explanation FROM node_scores s JOIN assessments a ON a.id = "
            "s.assessment_id WHERE a.year = 2026 AND s.node_code = ?",
            (data["scores"][0]["code"],)).fetchall()
        [(title,)] = con.execute("SELECT title FROM evidence WHERE sha256 = ?",
                                 (data["evidence"][0]["sha256"],)).fetchall()
    finally:
        con.close()
    assert explanation == text and title == text
