"""Optional encryption of a sync package to its recipient (X25519, HKDF-SHA256, AES-256-GCM).

The signed `.cchc` ZIP is wrapped in an envelope whose header (with the manifest) is readable
without the key; the body is sealed in fixed-size chunks so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from parapp.sync import keys
from parapp.sync.safety import PackageError

MAGIC = b"PARAPP-ENC\x00"
ENVELOPE_VERSION = 1
CHUNK_SIZE = 1024**2
MAX_CHUNK_SIZE = 16 * 1024**2
MAX_MANIFEST_SIZE = 16 * 1024**2  # the envelope's own limit (a package's manifest has a lower one)
SALT_SIZE, KEY_SIZE, TAG_SIZE = 16, 32, 16
HKDF_INFO = b"parapp sync v1"
BINDING_CONTEXT = b"parapp-x25519-v1"

_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw


# Messages are built by functions, not constants, so that the msgid extractor sees them.
def _ends_early() -> PackageError:
    return PackageError("The encrypted package ends early: it was not copied completely.")


def _damaged_part(index: int) -> PackageError:
    return PackageError("The encrypted package is damaged or incomplete (part {index} failed "
                        "its check).", index=index)


def _bad_header() -> PackageError:
    return PackageError("The encrypted package is damaged: its header is not valid.")


@dataclass(frozen=True)
class EncryptionKey:
    private: X25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(_RAW, _RAW_PUB)

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.public_bytes)


@dataclass(frozen=True)
class EnvelopeInfo:
    version: int
    ephemeral_public: bytes
    recipient_public: bytes
    salt: bytes
    chunk_size: int
    header_size: int  # bytes from the magic to the chunk size, inclusive
    header_sha256: bytes

    @property
    def recipient_fingerprint(self) -> str:
        return keys.fingerprint(self.recipient_public)


def generate_encryption_key() -> EncryptionKey:
    return EncryptionKey(X25519PrivateKey.generate())


def export_encryption_key(key: EncryptionKey, passphrase: str) -> bytes:
    """The private key as PEM PKCS#8, encrypted with the passphrase."""
    if not passphrase:
        raise PackageError("A passphrase is needed to export the encryption key.")
    return key.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def import_encryption_key(data: bytes, passphrase: str) -> EncryptionKey:
    try:
        loaded = serialization.load_pem_private_key(data, passphrase.encode("utf-8") or None)
    except (ValueError, TypeError) as exc:
        raise PackageError(
            "The key file could not be opened: the passphrase is wrong or the file is damaged."
        ) from exc
    if not isinstance(loaded, X25519PrivateKey):
        raise PackageError("The key file does not hold an X25519 encryption key.")
    return EncryptionKey(loaded)


def sign_encryption_public(signing_key: keys.SigningKey, enc_public: bytes) -> bytes:
    """Bind an encryption public key to the unit's signing identity (64-byte Ed25519 signature)."""
    _public_key(enc_public)
    return signing_key.sign(BINDING_CONTEXT + enc_public)


def verify_encryption_public(signing_public: bytes, enc_public: bytes, signature: bytes) -> bool:
    if len(enc_public) != KEY_SIZE:
        return False
    return keys.verify(signing_public, signature, BINDING_CONTEXT + enc_public)


def _public_key(public: bytes) -> X25519PublicKey:
    if len(public) != KEY_SIZE:
        raise PackageError("An encryption public key must be 32 bytes, not {size}.",
                           size=len(public))
    return X25519PublicKey.from_public_bytes(public)


def _derive(shared: bytes, salt: bytes, ephemeral: bytes, recipient: bytes) -> tuple[AESGCM, bytes]:
    """The AES-256-GCM key (first 32 bytes of the HKDF output) and the 4-byte nonce prefix."""
    info = HKDF_INFO + ephemeral + recipient
    okm = HKDF(hashes.SHA256(), KEY_SIZE + 4, salt, info).derive(shared)
    return AESGCM(okm[:KEY_SIZE]), okm[KEY_SIZE:]


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(8, "big")


def _aad(header_sha256: bytes, index: int, final: bool) -> bytes:
    return header_sha256 + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


def _read_exact(handle: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes; fewer only at the end of the file."""
    parts: list[bytes] = []
    missing = size
    while missing:
        part = handle.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def _read_header(handle: BinaryIO) -> tuple[bytes, EnvelopeInfo]:
    def take(size: int) -> bytes:
        data = _read_exact(handle, size)
        if len(data) != size:
            raise _ends_early()
        digest.update(data)
        return data

    digest = hashlib.sha256()
    if _read_exact(handle, len(MAGIC)) != MAGIC:
        raise PackageError("The file is not an encrypted parapp package.")
    digest.update(MAGIC)
    version = take(1)[0]
    if version > ENVELOPE_VERSION:
        raise PackageError("This encrypted package was made by a newer version of the program; "
                           "update parapp to open it.")
    if version != ENVELOPE_VERSION:
        raise _bad_header()
    size = int.from_bytes(take(4), "big")
    if size > MAX_MANIFEST_SIZE:
        raise _bad_header()
    manifest = take(size)
    ephemeral, recipient, salt = take(KEY_SIZE), take(KEY_SIZE), take(SALT_SIZE)
    chunk_size = int.from_bytes(take(4), "big")
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise _bad_header()
    header_size = len(MAGIC) + 1 + 4 + size + 2 * KEY_SIZE + SALT_SIZE + 4
    info = EnvelopeInfo(version, ephemeral, recipient, salt, chunk_size, header_size,
                        digest.digest())
    return manifest, info


def read_envelope_header(path: Path) -> tuple[bytes, EnvelopeInfo]:
    """The manifest bytes and header of an encrypted package, read without the key.

    The manifest is only authenticated by the inner signature: show it, but trust it only
    once the decrypted package has been verified.
    """
    with Path(path).open("rb") as handle:
        return _read_header(handle)


def is_encrypted(path: Path) -> bool:
    try:
        with Path(path).open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _write_via_temp(dst: Path, fill: Callable[[BinaryIO], None]) -> None:
    """Run fill(handle) on a temp file beside dst, then fsync and rename; no dst on failure."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, dst)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def encrypt_file(src: Path, dst: Path, recipient_public: bytes, manifest_bytes: bytes,
                 *, chunk_size: int = CHUNK_SIZE) -> None:
    """Encrypt the package `src` to the recipient's X25519 key, writing the envelope to `dst`."""
    src, dst = Path(src), Path(dst)
    try:
        recipient = _public_key(recipient_public)
        ephemeral = X25519PrivateKey.generate()
        shared = ephemeral.exchange(recipient)
    except ValueError as exc:
        raise PackageError("The recipient's encryption key is not valid.") from exc
    if len(manifest_bytes) > MAX_MANIFEST_SIZE:
        raise PackageError("The manifest is too large to be written into an encrypted package.")
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be between 1 and {MAX_CHUNK_SIZE}")
    ephemeral_public = ephemeral.public_key().public_bytes(_RAW, _RAW_PUB)
    salt = os.urandom(SALT_SIZE)
    header = b"".join([MAGIC, bytes([ENVELOPE_VERSION]), len(manifest_bytes).to_bytes(4, "big"),
                       manifest_bytes, ephemeral_public, recipient_public, salt,
                       chunk_size.to_bytes(4, "big")])
    header_sha256 = hashlib.sha256(header).digest()
    aead, prefix = _derive(shared, salt, ephemeral_public, recipient_public)

    def fill(out: BinaryIO) -> None:
        out.write(header)
        with src.open("rb") as source:
            chunk, index = _read_exact(source, chunk_size), 0
            while True:
                following = _read_exact(source, chunk_size) if len(chunk) == chunk_size else b""
                final = not following
                out.write(aead.encrypt(_nonce(prefix, index), chunk,
                                       _aad(header_sha256, index, final)))
                if final:
                    return
                chunk, index = following, index + 1

    _write_via_temp(dst, fill)


def decrypt_file(src: Path, dst: Path, private: EncryptionKey,
                 expected_manifest: bytes | None = None) -> bytes:
    """Decrypt the envelope `src` into `dst` (the signed package); return the manifest bytes.

    Every chunk is checked before the file is renamed into place: on any fault nothing is
    left at `dst`. The caller must still verify the decrypted package (signature, and that its
    manifest.json is these manifest bytes).
    """
    src, dst = Path(src), Path(dst)
    with src.open("rb") as source:
        manifest, info = _read_header(source)
        if expected_manifest is not None and manifest != expected_manifest:
            raise PackageError("The encrypted package is not the one expected: its manifest "
                               "has changed.")
        if info.recipient_public != private.public_bytes:
            raise PackageError("The package is encrypted for another unit: it cannot be opened "
                               "with this computer's key.")
        try:
            shared = private.private.exchange(_public_key(info.ephemeral_public))
        except ValueError as exc:
            raise _bad_header() from exc
        aead, prefix = _derive(shared, info.salt, info.ephemeral_public, info.recipient_public)
        record_size = info.chunk_size + TAG_SIZE

        def fill(out: BinaryIO) -> None:
            record, index = _read_exact(source, record_size), 0  # b"": ends early
            while True:
                following = _read_exact(source, record_size) if len(record) == record_size else b""
                final = not following
                nonce = _nonce(prefix, index)
                try:
                    out.write(aead.decrypt(nonce, record, _aad(info.header_sha256, index, final)))
                except InvalidTag:
                    raise _chunk_error(aead, nonce, record, info.header_sha256, index,
                                       final) from None
                if final:
                    return
                record, index = following, index + 1

        _write_via_temp(dst, fill)
    return manifest


def _chunk_error(aead: AESGCM, nonce: bytes, record: bytes, header_sha256: bytes, index: int,
                 final: bool) -> PackageError:
    """A clear message for a chunk that failed: "ends early" if it is intact but not the last."""
    if len(record) < TAG_SIZE:
        return _ends_early()
    if final:
        try:
            aead.decrypt(nonce, record, _aad(header_sha256, index, False))
        except InvalidTag:
            pass
        else:
            return _ends_early()
    return _damaged_part(index + 1)
