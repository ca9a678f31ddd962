"""Ed25519 signing keys: generation, fingerprints, passphrase-protected export and import."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parapp.sync.safety import PackageError

_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(_RAW, _RAW_PUB)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_bytes)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def generate() -> SigningKey:
    return SigningKey(Ed25519PrivateKey.generate())


def fingerprint(public_bytes: bytes) -> str:
    """SHA-256 of the raw public key: 16 groups of 4 upper-case hex digits, space separated."""
    digest = hashlib.sha256(public_bytes).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


def normalize_fingerprint(text: str) -> str:
    """Accept a fingerprint typed with any spacing or case; return the canonical form."""
    digits = "".join(ch for ch in text if not ch.isspace() and ch not in ":-").upper()
    if len(digits) != 64 or any(ch not in "0123456789ABCDEF" for ch in digits):
        raise PackageError(
            "'{text}' is not a key fingerprint (64 hexadecimal digits expected).", text=text
        )
    return " ".join(digits[i : i + 4] for i in range(0, 64, 4))


def public_key(public_bytes: bytes) -> Ed25519PublicKey:
    if len(public_bytes) != 32:
        raise PackageError("A public key must be 32 bytes, not {size}.", size=len(public_bytes))
    return Ed25519PublicKey.from_public_bytes(public_bytes)


def verify(public_bytes: bytes, signature: bytes, data: bytes) -> bool:
    try:
        public_key(public_bytes).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def export_key(key: SigningKey, passphrase: str) -> bytes:
    """The private key as PEM PKCS#8, encrypted with the passphrase."""
    if not passphrase:
        raise PackageError("A passphrase is needed to export the signing key.")
    return key.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def import_key(data: bytes, passphrase: str) -> SigningKey:
    try:
        loaded = serialization.load_pem_private_key(data, passphrase.encode("utf-8") or None)
    except (ValueError, TypeError) as exc:
        raise PackageError(
            "The key file could not be opened: the passphrase is wrong or the file is damaged."
        ) from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise PackageError("The key file does not hold an Ed25519 signing key.")
    return SigningKey(loaded)
