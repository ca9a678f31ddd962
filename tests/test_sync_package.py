"""Sync package format version 1: round trip, keys, and every refusal a reader makes."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from parapp.sync import keys
from parapp.sync.package import (
    FORMAT_VERSION,
    MANIFEST,
    SIGNATURE,
    PackageInfo,
    read_package,
    write_package,
)
from parapp.sync.safety import PackageError, ZipLimits, check_zip

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "resources" / "schemas" / "sync-manifest-2.schema.json"
SCHEMA_1 = ROOT / "resources" / "schemas" / "sync-manifest-1.schema.json"
COMMUNE, APPRAISER = "26734", "TD-01"
DATA = {"records": [{"id": "6f1c7a52-1f4e-4a4e-9b55-6f1d3c2a0b11", "score": "7.5"}]}
EVIDENCE = b"scanned minutes of the meeting\n" * 500


@pytest.fixture(scope="module")
def key() -> keys.SigningKey:
    return keys.generate()


@pytest.fixture
def evidence_file(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(EVIDENCE)
    return hashlib.sha256(EVIDENCE).hexdigest(), path


@pytest.fixture
def package(tmp_path: Path, key: keys.SigningKey, evidence_file: tuple[str, Path]) -> PackageInfo:
    sha, path = evidence_file
    return write_package(
        tmp_path / "out" / "submission.cchc", "submission", key, COMMUNE,
        {"unit_code": APPRAISER}, DATA, {sha: path},
        criteria_set={"code": "CCHC-XA", "version": 2}, period=2026, sequence=7,
    )


def trust(key: keys.SigningKey) -> dict[str, bytes]:
    return {key.fingerprint: key.public_bytes}


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rebuild(src: Path, dst: Path, changes: Mapping[str, bytes | None]) -> Path:
    """Copy a package, replacing (bytes), removing (None) or adding entries; CRCs stay right."""
    content = entries(src)
    for name, value in changes.items():
        if value is None:
            del content[name]
        else:
            content[name] = value
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in content.items():
            archive.writestr(name, value)
    return dst


def refused(path: Path, key: keys.SigningKey, match: str, **kwargs: object) -> PackageError:
    args: dict[str, object] = {"trusted": trust(key), "my_unit_code": APPRAISER}
    args.update(kwargs)
    with pytest.raises(PackageError, match=match) as caught:
        read_package(path, **args)  # type: ignore[arg-type]
    return caught.value


def test_round_trip(package: PackageInfo, key: keys.SigningKey) -> None:
    opened = read_package(package.path, trust(key), APPRAISER)
    sha = hashlib.sha256(EVIDENCE).hexdigest()
    assert opened.data == DATA
    assert opened.kind == "submission"
    assert opened.package_id == package.package_id
    assert opened.evidence == [sha]
    manifest = opened.manifest
    assert manifest["format_version"] == FORMAT_VERSION == 2
    assert manifest["sequence"] == opened.sequence == 7
    assert manifest["sender"] == {"unit_code": COMMUNE, "key_fingerprint": key.fingerprint}
    assert manifest["recipient"] == {"unit_code": APPRAISER}
    assert manifest["criteria_set"] == {"code": "CCHC-XA", "version": 2}
    assert manifest["period"] == 2026
    assert manifest["history"] == []
    assert {f["path"]: f["size"] for f in manifest["files"]} == {
        "data.json": len(entries(package.path)["data.json"]),
        f"evidence/{sha}": len(EVIDENCE),
    }
    assert package.sha256 == hashlib.sha256(package.path.read_bytes()).hexdigest()
    assert sorted(p.name for p in package.path.parent.iterdir()) == ["submission.cchc"]


def test_evidence_is_streamed_and_verified(package: PackageInfo, key: keys.SigningKey,
                                           tmp_path: Path) -> None:
    opened = read_package(package.path, trust(key), APPRAISER)
    sha = opened.evidence[0]
    with opened.open_evidence(sha) as reader:
        chunks = iter(lambda: reader.read(1000), b"")
        assert b"".join(chunks) == EVIDENCE
    # The file is swapped after it was opened: reading to the end reveals it.
    opened.path = rebuild(package.path, tmp_path / "swapped.cchc",
                          {f"evidence/{sha}": EVIDENCE.replace(b"minutes", b"MINUTES")})
    with opened.open_evidence(sha) as reader, pytest.raises(PackageError, match="SHA-256"):
        reader.read()
    with pytest.raises(PackageError, match="no evidence file"):
        opened.open_evidence("0" * 64)


def test_write_refuses_evidence_under_the_wrong_hash(tmp_path: Path, key: keys.SigningKey,
                                                     evidence_file: tuple[str, Path]) -> None:
    _, path = evidence_file
    out = tmp_path / "bad.cchc"
    with pytest.raises(PackageError, match="does not have the SHA-256"):
        write_package(out, "submission", key, COMMUNE, {"unit_code": APPRAISER}, DATA,
                      {"1" * 64: path})
    assert list(tmp_path.glob("*.cchc")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_tampered_data_is_a_hash_mismatch(package: PackageInfo, key: keys.SigningKey,
                                          tmp_path: Path) -> None:
    data = entries(package.path)["data.json"].replace(b"7.5", b"9.5")
    bad = rebuild(package.path, tmp_path / "bad.cchc", {"data.json": data})
    refused(bad, key, r"'data\.json'.*(SHA-256|wrong size)")
    same_size = entries(package.path)["data.json"].replace(b"7.5", b"9.9")
    bad = rebuild(package.path, tmp_path / "bad2.cchc", {"data.json": same_size})
    refused(bad, key, r"'data\.json' in the package is damaged: its SHA-256 does not match")


def test_tampered_manifest_fails_the_signature(package: PackageInfo, key: keys.SigningKey,
                                               tmp_path: Path) -> None:
    manifest = json.loads(entries(package.path)[MANIFEST])
    manifest["period"] = 2025
    bad = rebuild(package.path, tmp_path / "bad.cchc",
                  {MANIFEST: json.dumps(manifest).encode()})
    refused(bad, key, "changed after signing, or it is not from who it claims")
    unsigned = rebuild(package.path, tmp_path / "unsigned.cchc", {SIGNATURE: None})
    refused(unsigned, key, "changed after signing")


def test_other_key_with_same_claim_fails_the_signature(package: PackageInfo,
                                                       key: keys.SigningKey,
                                                       tmp_path: Path) -> None:
    forger = keys.generate()
    manifest = entries(package.path)[MANIFEST]
    bad = rebuild(package.path, tmp_path / "forged.cchc", {SIGNATURE: forger.sign(manifest)})
    refused(bad, key, "changed after signing")


def test_unknown_sender_shows_the_fingerprint(package: PackageInfo, key: keys.SigningKey) -> None:
    error = refused(package.path, key, "not trusted", trusted={})
    assert key.fingerprint in str(error)
    assert error.params["fingerprint"] == key.fingerprint
    other = keys.generate()
    refused(package.path, key, "not trusted", trusted=trust(other))
    # A pinned fingerprint mapped to the wrong public key is not trusted either.
    refused(package.path, key, "not trusted", trusted={key.fingerprint: other.public_bytes})


def test_wrong_recipient(package: PackageInfo, key: keys.SigningKey) -> None:
    error = refused(package.path, key, "is for unit 'TD-01', not for this unit", my_unit_code="X")
    assert error.params == {"to": APPRAISER, "me": "X"}


def test_appraiser_of_recipient(tmp_path: Path, key: keys.SigningKey) -> None:
    info = write_package(tmp_path / "set.cchc", "criteria-set", key, APPRAISER,
                         {"appraiser_of": APPRAISER}, {"criteria": []})
    opened = read_package(info.path, trust(key), COMMUNE, my_appraiser_code=APPRAISER)
    assert opened.manifest["recipient"] == {"appraiser_of": APPRAISER}
    refused(info.path, key, "units under appraiser", my_unit_code=COMMUNE,
            my_appraiser_code="TD-02")
    refused(info.path, key, "units under appraiser", my_unit_code=COMMUNE)


def test_newer_format_version(package: PackageInfo, key: keys.SigningKey, tmp_path: Path) -> None:
    manifest = json.loads(entries(package.path)[MANIFEST])
    manifest["format_version"] = 3
    manifest["new_field"] = True
    raw = json.dumps(manifest).encode()
    bad = rebuild(package.path, tmp_path / "new.cchc", {MANIFEST: raw, SIGNATURE: key.sign(raw)})
    refused(bad, key, "newer version of the program.*update it")


def test_missing_or_invalid_manifest(package: PackageInfo, key: keys.SigningKey,
                                     tmp_path: Path) -> None:
    refused(rebuild(package.path, tmp_path / "a.cchc", {MANIFEST: None}), key, "no manifest")
    refused(rebuild(package.path, tmp_path / "b.cchc", {MANIFEST: b"{not json"}), key,
            "not valid JSON")
    (tmp_path / "c.cchc").write_bytes(b"PK\x03\x04 truncated")
    refused(tmp_path / "c.cchc", key, "is incomplete")


def test_zip_slip_and_absolute_paths(package: PackageInfo, key: keys.SigningKey,
                                     tmp_path: Path) -> None:
    for name, why in [("../evil.txt", r"outside the package \('\.\.'\)"),
                      ("evidence/../../evil", "outside the package"),
                      ("/etc/passwd", "absolute path"), ("C:/evil", "absolute path"),
                      ("evidence\\x", "backslash")]:
        bad = rebuild(package.path, tmp_path / "slip.cchc", {name: b"x"})
        error = refused(bad, key, why)
        assert error.params["name"] == name
        with pytest.raises(PackageError, match=why):
            check_zip(bad.read_bytes())


def test_symlink_entry(package: PackageInfo, key: keys.SigningKey, tmp_path: Path) -> None:
    bad = rebuild(package.path, tmp_path / "link.cchc", {})
    with zipfile.ZipFile(bad, "a") as archive:
        info = zipfile.ZipInfo("evidence/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    refused(bad, key, "'evidence/link' is refused: it is a symbolic link")


def test_duplicate_names(package: PackageInfo, key: keys.SigningKey, tmp_path: Path) -> None:
    bad = rebuild(package.path, tmp_path / "dup.cchc", {})
    with pytest.warns(UserWarning), zipfile.ZipFile(bad, "a") as archive:
        archive.writestr("data.json", b"{}")
    refused(bad, key, "two entries with this name")


def test_too_many_entries(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"evidence/{number}", b"")
    with pytest.raises(PackageError, match=r"too many entries \(10001, at most 10000\)"):
        check_zip(path)
    check_zip(path, ZipLimits(max_entries=10_001))  # the same file passes a looser limit


def test_zip_bomb_ratio_and_sizes(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("evidence/bomb", b"\0" * (2 * 1024**2))
    bomb = buffer.getvalue()
    with pytest.raises(PackageError, match=r"'evidence/bomb'.*compressed too much"):
        check_zip(bomb)
    with pytest.raises(PackageError, match="too large"):
        check_zip(bomb, ZipLimits(max_ratio=10**6, max_entry_size=1024**2))
    with pytest.raises(PackageError, match="too large once unpacked"):
        check_zip(bomb, ZipLimits(max_ratio=10**6, max_total_size=1024**2))
    check_zip(bomb, ZipLimits(max_ratio=10**6))


def test_encrypted_entry_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.json", b"{}")
    raw = bytearray(buffer.getvalue())
    # Set the "encrypted" flag bit in the local and central headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.index(signature) + offset
        raw[at] |= 0x01
    with pytest.raises(PackageError, match=r"'data\.json' is refused: it is encrypted"):
        check_zip(bytes(raw))


def test_unlisted_extra_file(package: PackageInfo, key: keys.SigningKey, tmp_path: Path) -> None:
    bad = rebuild(package.path, tmp_path / "extra.cchc", {"notes.txt": b"hi"})
    refused(bad, key, "'notes.txt' is in the package but not in its manifest")


def test_missing_listed_file(package: PackageInfo, key: keys.SigningKey, tmp_path: Path) -> None:
    sha = hashlib.sha256(EVIDENCE).hexdigest()
    bad = rebuild(package.path, tmp_path / "missing.cchc", {f"evidence/{sha}": None})
    refused(bad, key, f"'evidence/{sha}' listed in the manifest is missing")


def test_data_json_must_parse(tmp_path: Path, key: keys.SigningKey) -> None:
    info = write_package(tmp_path / "p.cchc", "progress", key, COMMUNE,
                         {"unit_code": APPRAISER}, {"ok": 1})
    raw = json.loads(entries(info.path)[MANIFEST])
    broken = b"{broken"
    raw["files"] = [{"path": "data.json", "size": len(broken),
                     "sha256": hashlib.sha256(broken).hexdigest()}]
    manifest = json.dumps(raw).encode()
    bad = rebuild(info.path, tmp_path / "bad.cchc",
                  {"data.json": broken, MANIFEST: manifest, SIGNATURE: key.sign(manifest)})
    refused(bad, key, "data.json is not valid JSON")


def test_key_export_import_and_wrong_passphrase(key: keys.SigningKey) -> None:
    exported = keys.export_key(key, "đúng mật khẩu")
    assert b"ENCRYPTED" in exported
    assert keys.import_key(exported, "đúng mật khẩu").public_bytes == key.public_bytes
    with pytest.raises(PackageError, match="passphrase is wrong"):
        keys.import_key(exported, "sai")
    with pytest.raises(PackageError, match="passphrase is wrong"):
        keys.import_key(b"garbage", "x")


def test_fingerprint_format() -> None:
    fingerprint = keys.fingerprint(bytes(32))
    groups = fingerprint.split(" ")
    assert len(groups) == 16 and all(len(g) == 4 for g in groups)
    assert fingerprint.replace(" ", "") == hashlib.sha256(bytes(32)).hexdigest().upper()
    assert keys.normalize_fingerprint(fingerprint.replace(" ", "").lower()) == fingerprint
    with pytest.raises(PackageError, match="not a key fingerprint"):
        keys.normalize_fingerprint("ABCD")


def test_manifest_matches_the_json_schema(package: PackageInfo) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    manifest = json.loads(entries(package.path)[MANIFEST])
    assert list(validator.iter_errors(manifest)) == []
    for field, value in [("kind", "bogus"), ("history", [{}]), ("format_version", 1),
                         ("sequence", 0), ("sequence", "1")]:
        assert list(validator.iter_errors({**manifest, field: value})) != []
    assert list(validator.iter_errors({**manifest, "recipient": {"appraiser_of": "T"}})) == []
    # A trailing newline is not a hash or a fingerprint (JSON Schema's "$" may allow one).
    files = [{**manifest["files"][0], "sha256": manifest["files"][0]["sha256"] + "\n"}]
    assert list(validator.iter_errors({**manifest, "files": files})) != []
    sender = {**manifest["sender"], "key_fingerprint": manifest["sender"]["key_fingerprint"] + "\n"}
    assert list(validator.iter_errors({**manifest, "sender": sender})) != []
    # Version 1 (no sequence) has its own schema, still documented.
    old = {k: v for k, v in manifest.items() if k != "sequence"} | {"format_version": 1}
    schema_1 = json.loads(SCHEMA_1.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema_1).iter_errors(old)) == []
