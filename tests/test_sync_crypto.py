"""Encryption of a sync package to its recipient: round trip, layout, and every refusal."""

from __future__ import annotations

import hashlib
import json
import os
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parapp.sync import crypto, keys
from parapp.sync.crypto import (
    CHUNK_SIZE,
    MAGIC,
    EncryptionKey,
    decrypt_file,
    encrypt_file,
    export_encryption_key,
    generate_encryption_key,
    import_encryption_key,
    is_encrypted,
    read_envelope_header,
    sign_encryption_public,
    verify_encryption_public,
)
from parapp.sync.package import read_package, write_package
from parapp.sync.safety import PackageError

MANIFEST = b'{\n  "kind": "submission",\n  "recipient": {\n    "unit_code": "TD-01"\n  }\n}'
MiB = 1024**2
ENDS_EARLY = "ends early"
ANOTHER_UNIT = "encrypted for another unit"


def damaged(part: int) -> str:
    return rf"damaged or incomplete \(part {part} failed its check\)"


@pytest.fixture(scope="module")
def key() -> EncryptionKey:
    return generate_encryption_key()


@pytest.fixture(scope="module")
def other_key() -> EncryptionKey:
    return generate_encryption_key()


def payload(size: int, seed: int = 0) -> bytes:
    block = hashlib.sha256(b"%d" % seed).digest() * (MiB // 32)
    return (block * (size // len(block) + 1))[:size] if size else b""


def encrypt(folder: Path, plain: bytes, key: EncryptionKey, *, name: str = "p",
            manifest: bytes = MANIFEST, chunk_size: int = CHUNK_SIZE) -> Path:
    src, dst = folder / f"{name}.cchc", folder / f"{name}.cchc.enc"
    src.write_bytes(plain)
    encrypt_file(src, dst, key.public_bytes, manifest, chunk_size=chunk_size)
    return dst


def header_size(manifest: bytes = MANIFEST) -> int:
    return len(MAGIC) + 1 + 4 + len(manifest) + 32 + 32 + 16 + 4


def records(envelope: bytes, chunk_size: int, manifest: bytes = MANIFEST) -> list[bytes]:
    body, size = envelope[header_size(manifest):], chunk_size + 16
    return [body[i : i + size] for i in range(0, len(body), size)]


def refused(src: Path, key: EncryptionKey, match: str | None = None, **kwargs: bytes) -> str:
    """Decrypting must fail with a PackageError and leave nothing in the output folder."""
    out = src.parent / "out"
    out.mkdir(exist_ok=True)
    with pytest.raises(PackageError, match=match) as info:
        decrypt_file(src, out / "plain.cchc", key, **kwargs)
    assert list(out.iterdir()) == []  # neither dst nor a temp file
    return str(info.value)


def rewrite(path: Path, change: Callable[[bytearray], bytes | bytearray]) -> Path:
    data = bytearray(path.read_bytes())
    path.write_bytes(bytes(change(data)))
    return path


# --- round trip and layout -----------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1,
                                  2 * CHUNK_SIZE, 3 * CHUNK_SIZE + CHUNK_SIZE // 2])
def test_round_trip(tmp_path: Path, key: EncryptionKey, size: int) -> None:
    plain = payload(size)
    envelope = encrypt(tmp_path, plain, key)
    count = max(1, -(-size // CHUNK_SIZE))  # one final chunk, possibly empty or full
    assert envelope.stat().st_size == header_size() + size + 16 * count
    if size >= 64:
        assert plain[:64] not in envelope.read_bytes()
    manifest = decrypt_file(envelope, tmp_path / "out" / "plain.cchc", key, MANIFEST)
    assert manifest == MANIFEST
    assert (tmp_path / "out" / "plain.cchc").read_bytes() == plain
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["plain.cchc"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plain=st.binary(max_size=300), chunk_size=st.integers(1, 64),
       manifest=st.binary(max_size=80))
def test_round_trip_any_size(tmp_path: Path, key: EncryptionKey, plain: bytes, chunk_size: int,
                             manifest: bytes) -> None:
    envelope = encrypt(tmp_path, plain, key, manifest=manifest, chunk_size=chunk_size)
    assert read_envelope_header(envelope)[0] == manifest
    assert decrypt_file(envelope, tmp_path / "plain", key) == manifest
    assert (tmp_path / "plain").read_bytes() == plain


def test_each_encryption_is_fresh(tmp_path: Path, key: EncryptionKey) -> None:
    one = encrypt(tmp_path, b"same", key, name="a").read_bytes()
    two = encrypt(tmp_path, b"same", key, name="b").read_bytes()
    assert one[header_size() :] != two[header_size() :]


def test_manifest_readable_without_key(tmp_path: Path, key: EncryptionKey) -> None:
    envelope = encrypt(tmp_path, payload(5000), key)
    manifest, info = read_envelope_header(envelope)
    data = envelope.read_bytes()
    assert manifest == MANIFEST
    assert (info.version, info.chunk_size, info.header_size) == (1, CHUNK_SIZE, header_size())
    assert info.recipient_public == key.public_bytes
    assert info.recipient_fingerprint == key.fingerprint == keys.fingerprint(key.public_bytes)
    assert info.header_sha256 == hashlib.sha256(data[: header_size()]).digest()
    assert is_encrypted(envelope)
    assert not is_encrypted(tmp_path / "p.cchc")  # the plaintext
    assert not is_encrypted(tmp_path / "missing.cchc")


def test_layout_is_as_documented(tmp_path: Path, key: EncryptionKey) -> None:
    """Decrypt by hand from the byte layout in docs/sync-format.md."""
    plain = payload(70, seed=3)
    data = encrypt(tmp_path, plain, key, chunk_size=32).read_bytes()
    assert data[:11] == b"PARAPP-ENC\x00" and data[11] == 1
    m = int.from_bytes(data[12:16], "big")
    assert data[16 : 16 + m] == MANIFEST
    eph, rcpt = data[16 + m : 48 + m], data[48 + m : 80 + m]
    salt, chunk = data[80 + m : 96 + m], int.from_bytes(data[96 + m : 100 + m], "big")
    assert rcpt == key.public_bytes and chunk == 32
    shared = key.private.exchange(X25519PublicKey.from_public_bytes(eph))
    okm = HKDF(hashes.SHA256(), 36, salt, b"parapp sync v1" + eph + rcpt).derive(shared)
    assert okm[:32] == HKDF(hashes.SHA256(), 32, salt,
                            b"parapp sync v1" + eph + rcpt).derive(shared)
    aead, header_hash = AESGCM(okm[:32]), hashlib.sha256(data[: 100 + m]).digest()
    out, recs = b"", records(data, 32)
    for index, record in enumerate(recs):
        final = b"\x01" if index == len(recs) - 1 else b"\x00"
        nonce = okm[32:36] + index.to_bytes(8, "big")
        out += aead.decrypt(nonce, record, header_hash + index.to_bytes(8, "big") + final)
    assert [len(r) for r in recs] == [48, 48, 22] and out == plain


def test_real_package_round_trip(tmp_path: Path, key: EncryptionKey) -> None:
    signer = keys.generate()
    info = write_package(tmp_path / "s.cchc", "submission", signer, "26734",
                         {"unit_code": "TD-01"}, {"records": []})
    with zipfile.ZipFile(info.path) as archive:
        manifest = archive.read("manifest.json")
    encrypt_file(info.path, tmp_path / "s.enc", key.public_bytes, manifest)
    assert json.loads(read_envelope_header(tmp_path / "s.enc")[0])["recipient"] == {
        "unit_code": "TD-01"}
    assert decrypt_file(tmp_path / "s.enc", tmp_path / "in" / "s.cchc", key) == manifest
    opened = read_package(tmp_path / "in" / "s.cchc", {signer.fingerprint: signer.public_bytes},
                          "TD-01")
    assert opened.package_id == info.package_id


# --- refusals ------------------------------------------------------------------------------


@pytest.fixture
def multi(tmp_path: Path, key: EncryptionKey) -> Path:
    """Four chunks of 1 KiB, the last one half full."""
    return encrypt(tmp_path, payload(3584, seed=1), key, chunk_size=1024)


def test_wrong_recipient_key(tmp_path: Path, key: EncryptionKey, other_key: EncryptionKey) -> None:
    envelope = encrypt(tmp_path, payload(3000), key)
    assert refused(envelope, other_key, ANOTHER_UNIT).startswith("The package is encrypted")


def test_retargeted_header_is_refused(multi: Path, key: EncryptionKey,
                                      other_key: EncryptionKey) -> None:
    start = header_size() - 4 - 16 - 32

    def retarget(data: bytearray) -> bytearray:
        data[start : start + 32] = other_key.public_bytes
        return data

    refused(rewrite(multi, retarget), other_key, damaged(1))


@pytest.mark.parametrize(("cut", "match"), [
    (0, "not an encrypted"), (5, "not an encrypted"), (11, ENDS_EARLY), (40, ENDS_EARLY),
    (header_size(), ENDS_EARLY), (header_size() + 15, ENDS_EARLY),
    (header_size() + 500, damaged(1)), (header_size() + 1040, ENDS_EARLY),
    (header_size() + 2 * 1040, ENDS_EARLY), (header_size() + 3 * 1040, ENDS_EARLY),
    (header_size() + 3 * 1040 + 100, damaged(4)), (-1, damaged(4)),
])
def test_truncated(multi: Path, key: EncryptionKey, cut: int, match: str) -> None:
    refused(rewrite(multi, lambda data: data[:cut]), key, match)


def test_missing_final_chunk_even_when_every_chunk_is_intact(multi: Path,
                                                              key: EncryptionKey) -> None:
    message = refused(rewrite(multi, lambda data: data[: header_size() + 2 * 1040]), key)
    assert message == "The encrypted package ends early: it was not copied completely."


@pytest.mark.parametrize(("where", "match"), [
    (lambda m: 0, "not an encrypted"),
    (lambda m: 16 + 3, damaged(1)),  # manifest
    (lambda m: 100 + m + 5, damaged(1)),  # first chunk
    (lambda m: 100 + m + 1040 + 1030, damaged(2)),  # tag of the second chunk
    (lambda m: 100 + m + 3 * 1040 + 520, damaged(4)),  # tag of the final chunk
    (lambda m: 96 + m, "header is not valid"),  # chunk size beyond the limit
    (lambda m: 96 + m + 2, damaged(1)),  # another chunk size
    (lambda m: 80 + m, damaged(1)),  # salt
    (lambda m: 48 + m, ANOTHER_UNIT),  # recipient key
    (lambda m: 16 + m + 7, "damaged"),  # ephemeral key
])
def test_one_byte_flipped(multi: Path, key: EncryptionKey, where: Callable[[int], int],
                          match: str) -> None:
    offset = where(len(MANIFEST))

    def flip(data: bytearray) -> bytearray:
        data[offset] ^= 0x40
        return data

    refused(rewrite(multi, flip), key, match)


def test_every_flip_and_every_cut_is_refused(tmp_path: Path, key: EncryptionKey) -> None:
    original = encrypt(tmp_path, payload(50, seed=2), key, chunk_size=16).read_bytes()
    src = tmp_path / "tampered"
    for offset in range(len(original)):
        for bit in (0x01, 0x80):
            data = bytearray(original)
            data[offset] ^= bit
            src.write_bytes(bytes(data))
            refused(src, key)
    for cut in range(len(original)):
        src.write_bytes(original[:cut])
        refused(src, key)
    src.write_bytes(original)
    assert decrypt_file(src, tmp_path / "ok", key) == MANIFEST


@pytest.mark.parametrize("version", [2, 255])
def test_newer_version(multi: Path, key: EncryptionKey, version: int) -> None:
    def bump(data: bytearray) -> bytearray:
        data[11] = version
        return data

    rewrite(multi, bump)
    newer = "made by a newer version of the program; update parapp"
    with pytest.raises(PackageError, match=newer):
        read_envelope_header(multi)
    refused(multi, key, newer)


def test_version_zero_is_damaged(multi: Path, key: EncryptionKey) -> None:
    rewrite(multi, lambda data: data[:11] + b"\x00" + data[12:])
    refused(multi, key, "header is not valid")


def test_huge_manifest_length_is_refused(multi: Path, key: EncryptionKey) -> None:
    rewrite(multi, lambda data: data[:12] + b"\xff\xff\xff\xff" + data[16:])
    refused(multi, key, "header is not valid")


def test_chunks_reordered(multi: Path, key: EncryptionKey) -> None:
    def swap(data: bytearray) -> bytes:
        recs = records(bytes(data), 1024)
        return bytes(data[: header_size()]) + b"".join([recs[1], recs[0], *recs[2:]])

    refused(rewrite(multi, swap), key, damaged(1))


def test_chunk_dropped_or_repeated(multi: Path, key: EncryptionKey) -> None:
    head, recs = multi.read_bytes()[: header_size()], records(multi.read_bytes(), 1024)
    multi.write_bytes(head + b"".join([recs[0], *recs[2:]]))
    refused(multi, key, damaged(2))
    multi.write_bytes(head + b"".join([*recs, recs[-1]]))
    refused(multi, key, damaged(4))
    multi.write_bytes(head + b"".join(recs) + b"\x00")
    refused(multi, key, damaged(4))


def test_chunk_from_another_file(tmp_path: Path, multi: Path, key: EncryptionKey) -> None:
    other = encrypt(tmp_path, payload(3584, seed=9), key, name="other", chunk_size=1024)
    head, mine = multi.read_bytes()[: header_size()], records(multi.read_bytes(), 1024)
    theirs = records(other.read_bytes(), 1024)
    multi.write_bytes(head + b"".join([mine[0], theirs[1], *mine[2:]]))
    refused(multi, key, damaged(2))


def test_header_is_bound_even_with_the_same_key(tmp_path: Path, key: EncryptionKey,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Same ephemeral key and salt (so the same AES key): only the header hash tells them apart."""
    ephemeral, salt = X25519PrivateKey.generate(), os.urandom(16)
    monkeypatch.setattr(crypto, "X25519PrivateKey", SimpleNamespace(generate=lambda: ephemeral))
    monkeypatch.setattr(crypto.os, "urandom", lambda n: salt)
    plain = payload(3000, seed=4)
    one = encrypt(tmp_path, plain, key, name="one", chunk_size=1024)
    two = encrypt(tmp_path, plain, key, name="two", manifest=MANIFEST.upper(), chunk_size=1024)
    monkeypatch.undo()
    assert records(one.read_bytes(), 1024) != records(two.read_bytes(), 1024)
    body = two.read_bytes()[header_size() :]
    one.write_bytes(one.read_bytes()[: header_size()] + body)  # header of one, body of two
    refused(one, key, damaged(1))


def test_expected_manifest(multi: Path, key: EncryptionKey) -> None:
    refused(multi, key, "not the one expected", expected_manifest=MANIFEST + b" ")
    assert decrypt_file(multi, multi.parent / "ok", key, expected_manifest=MANIFEST) == MANIFEST


def test_not_an_envelope(tmp_path: Path, key: EncryptionKey) -> None:
    plain = tmp_path / "plain.cchc"
    plain.write_bytes(b"PK\x03\x04" + bytes(200))
    refused(plain, key, "not an encrypted parapp package")
    with pytest.raises(PackageError, match="not an encrypted"):
        read_envelope_header(plain)


@pytest.mark.parametrize("public", [b"\x01" * 31, bytes(32)])  # wrong size, low-order point
def test_bad_recipient_key_leaves_nothing(tmp_path: Path, public: bytes) -> None:
    src, out = tmp_path / "p.cchc", tmp_path / "out"
    src.write_bytes(b"data")
    out.mkdir()
    with pytest.raises(PackageError, match="recipient's encryption key is not valid"):
        encrypt_file(src, out / "p.enc", public, MANIFEST)
    assert list(out.iterdir()) == []


def test_unreadable_source_leaves_nothing(tmp_path: Path, key: EncryptionKey) -> None:
    out = tmp_path / "out"
    with pytest.raises(FileNotFoundError):
        encrypt_file(tmp_path / "missing", out / "p.enc", key.public_bytes, MANIFEST)
    assert list(out.iterdir()) == []


def test_written_through_a_synced_temp_file(tmp_path: Path, key: EncryptionKey,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(crypto.os, "fsync", lambda fd: calls.append("fsync") or fsync(fd))
    monkeypatch.setattr(crypto.os, "replace",
                        lambda a, b: calls.append(f"replace {Path(a).parent == Path(b).parent}")
                        or replace(a, b))
    envelope = encrypt(tmp_path, b"data", key)
    decrypt_file(envelope, tmp_path / "plain", key)
    assert calls == ["fsync", "replace True"] * 2


# --- bounded memory ------------------------------------------------------------------------


def test_memory_stays_bounded(tmp_path: Path, key: EncryptionKey) -> None:
    src = tmp_path / "big.cchc"
    with src.open("wb") as handle:
        for _ in range(20):
            handle.write(os.urandom(MiB))
    envelope, out = tmp_path / "big.enc", tmp_path / "big.out"
    tracemalloc.start()
    try:
        encrypt_file(src, envelope, key.public_bytes, MANIFEST)
        encrypt_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        decrypt_file(envelope, out, key)
        decrypt_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert encrypt_peak < 8 * MiB and decrypt_peak < 8 * MiB, (encrypt_peak, decrypt_peak)
    with src.open("rb") as one, out.open("rb") as two:
        while block := one.read(MiB):
            assert block == two.read(MiB)
        assert two.read(1) == b""


# --- keys ----------------------------------------------------------------------------------


def test_key_export_import(key: EncryptionKey) -> None:
    pem = export_encryption_key(key, "mật khẩu")
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert import_encryption_key(pem, "mật khẩu").public_bytes == key.public_bytes
    with pytest.raises(PackageError, match="the passphrase is wrong"):
        import_encryption_key(pem, "mat khau")
    with pytest.raises(PackageError, match="the passphrase is wrong"):
        import_encryption_key(pem, "")
    with pytest.raises(PackageError, match="the passphrase is wrong or the file is damaged"):
        import_encryption_key(pem[:100], "mật khẩu")
    with pytest.raises(PackageError, match="passphrase is needed"):
        export_encryption_key(key, "")


def test_signing_key_file_is_not_an_encryption_key() -> None:
    pem = keys.export_key(keys.generate(), "pass")
    with pytest.raises(PackageError, match="does not hold an X25519 encryption key"):
        import_encryption_key(pem, "pass")
    fresh = generate_encryption_key()
    unencrypted = fresh.private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    assert import_encryption_key(unencrypted, "").public_bytes == fresh.public_bytes


def test_binding_signature(key: EncryptionKey, other_key: EncryptionKey) -> None:
    signer, stranger = keys.generate(), keys.generate()
    signature = sign_encryption_public(signer, key.public_bytes)
    assert verify_encryption_public(signer.public_bytes, key.public_bytes, signature)
    assert not verify_encryption_public(signer.public_bytes, other_key.public_bytes, signature)
    assert not verify_encryption_public(stranger.public_bytes, key.public_bytes, signature)
    forged = sign_encryption_public(stranger, key.public_bytes)
    assert not verify_encryption_public(signer.public_bytes, key.public_bytes, forged)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not verify_encryption_public(signer.public_bytes, key.public_bytes, flipped)
    undomained = signer.sign(key.public_bytes)  # a signature over the bare key is not a binding
    assert not verify_encryption_public(signer.public_bytes, key.public_bytes, undomained)
    assert not verify_encryption_public(signer.public_bytes[:31], key.public_bytes, signature)
    assert not verify_encryption_public(signer.public_bytes, key.public_bytes[:31], signature)
    with pytest.raises(PackageError, match="must be 32 bytes"):
        sign_encryption_public(signer, b"short")
