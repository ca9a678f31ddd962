"""This office's keys and the keys it trusts.

The signing key (Ed25519) and the encryption key (X25519) are made the first time they
are needed (at set-up or the first sync) and kept in the ``keys`` folder beside the
database. They leave this PC only inside a passphrase-protected key file
(``export_keys`` / ``import_keys``), which is how an office moves to a new computer.

Other units' keys are trusted only after a person confirmed the fingerprint (read from
the other side's transfer slip or over the phone): ``trust_card`` takes that fingerprint
and refuses a card whose key does not match it. Nothing is trusted silently.
"""

from __future__ import annotations

import contextlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.location import DataPaths
from db.models import TrustedKeyRow, UnitRow
from parapp.domain.roles import PackageKind, Role
from parapp.domain.text import clean
from parapp.domain.units import Unit, UnitKind
from parapp.sync import crypto, keys
from parapp.sync.package import DATA, PackageInfo, read_package, write_package
from parapp.sync.safety import PackageError

from .common import Need, ServiceError, now, unit_row
from .files import write_atomic
from .setup import role_of
from .sync_sequence import next_sequence

SIGNING_FILE = "signing-key.pem"
ENCRYPTION_FILE = "encryption-key.pem"
KEY_FILE_FORMAT = "parapp-keys"
_PEM = serialization.Encoding.PEM
_PKCS8 = serialization.PrivateFormat.PKCS8
_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw


@dataclass(frozen=True)
class OwnKeys:
    signing: keys.SigningKey
    encryption: X25519PrivateKey

    @property
    def fingerprint(self) -> str:
        return self.signing.fingerprint

    @property
    def enc_public(self) -> bytes:
        return self.encryption.public_key().public_bytes(_RAW, _RAW_PUB)

    @property
    def enc_signature(self) -> bytes:
        """The signing key vouches for the encryption key (a card cannot pair them wrongly)."""
        return crypto.sign_encryption_public(self.signing, self.enc_public)

    @property
    def encryption_key(self) -> crypto.EncryptionKey:
        return crypto.EncryptionKey(self.encryption)


@dataclass(frozen=True)
class TrustedKey:
    unit_code: str
    unit_name: str
    role: str
    fingerprint: str
    public_key: bytes
    enc_public_key: bytes
    replaced: bool = False  # an older key of the unit: accepted only to name a sender


def _write_private(path: Path, pem: bytes) -> None:
    write_atomic(path, pem)
    with contextlib.suppress(OSError):  # other accounts on a shared PC need not read it
        os.chmod(path, 0o600)


def _plain_pem(private: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return private.private_bytes(_PEM, _PKCS8, serialization.NoEncryption())


def _load_pem(path: Path) -> Ed25519PrivateKey | X25519PrivateKey:
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), None)
    except (OSError, ValueError, TypeError) as exc:
        raise ServiceError(
            "This computer's key file {path} cannot be read: {reason}. Restore it from the "
            "key export made when parapp was set up ('parapp keys import').",
            path=path,
            reason=str(exc),
        ) from None
    if not isinstance(loaded, (Ed25519PrivateKey, X25519PrivateKey)):
        raise ServiceError("The key file {path} does not hold a parapp key.", path=path)
    return loaded


def own_keys(db_path: Path, *, create: bool = True) -> OwnKeys:
    """This office's keys, made on first use."""
    folder = DataPaths(db_path).keys
    signing_path, enc_path = folder / SIGNING_FILE, folder / ENCRYPTION_FILE
    if not signing_path.exists():
        if not create:
            raise ServiceError("This computer has no signing key yet.")
        folder.mkdir(parents=True, exist_ok=True)
        _write_private(signing_path, _plain_pem(Ed25519PrivateKey.generate()))
    if not enc_path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _write_private(enc_path, _plain_pem(X25519PrivateKey.generate()))
    signing = _load_pem(signing_path)
    encryption = _load_pem(enc_path)
    if not isinstance(signing, Ed25519PrivateKey) or not isinstance(encryption, X25519PrivateKey):
        raise ServiceError("The key files in {path} are mixed up.", path=folder)
    return OwnKeys(keys.SigningKey(signing), encryption)


# -- moving to a new PC ------------------------------------------------------------------
def export_keys(db_path: Path, out: Path, passphrase: str) -> Path:
    """Both private keys in one file, each encrypted with the passphrase."""
    if len(passphrase) < 8:
        raise ServiceError("The passphrase must have at least 8 characters.")
    own = own_keys(db_path)
    secret = serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
    doc = {
        "format": KEY_FILE_FORMAT,
        "version": 1,
        "fingerprint": own.fingerprint,
        "signing": own.signing.private.private_bytes(_PEM, _PKCS8, secret).decode("ascii"),
        "encryption": own.encryption.private_bytes(_PEM, _PKCS8, secret).decode("ascii"),
    }
    write_atomic(out, json.dumps(doc, indent=2).encode("utf-8"))
    return out


def import_keys(db_path: Path, source: Path, passphrase: str) -> str:
    """Install keys exported from the old PC; the current ones are kept aside. Returns the
    fingerprint now in use."""
    try:
        doc = json.loads(source.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ServiceError("{path} is not a parapp key file.", path=source) from exc
    if not isinstance(doc, dict) or doc.get("format") != KEY_FILE_FORMAT:
        raise ServiceError("{path} is not a parapp key file.", path=source)
    if doc.get("version") != 1:
        raise ServiceError("The key file was made by a newer version of parapp: update it.")
    loaded = []
    for name in ("signing", "encryption"):
        try:
            loaded.append(
                serialization.load_pem_private_key(
                    str(doc.get(name, "")).encode("ascii"), passphrase.encode("utf-8") or None
                )
            )
        except (ValueError, TypeError):
            raise ServiceError(
                "The key file could not be opened: the passphrase is wrong or the file is "
                "damaged."
            ) from None
    signing, encryption = loaded
    if not isinstance(signing, Ed25519PrivateKey) or not isinstance(encryption, X25519PrivateKey):
        raise ServiceError("{path} is not a parapp key file.", path=source)
    folder = DataPaths(db_path).keys
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now().strftime("%Y%m%d-%H%M%S")
    for name in (SIGNING_FILE, ENCRYPTION_FILE):
        if (folder / name).exists():
            os.replace(folder / name, folder / f"{name}.replaced-{stamp}")
    _write_private(folder / SIGNING_FILE, _plain_pem(signing))
    _write_private(folder / ENCRYPTION_FILE, _plain_pem(encryption))
    return keys.SigningKey(signing).fingerprint


# -- unit cards --------------------------------------------------------------------------
def card_recipient(db: Database) -> dict[str, str]:
    """A commune's card goes to its appraiser; an appraiser's card to every unit under it."""
    role = role_of(db)  # before the session: sessions never nest (BEGIN IMMEDIATE)
    with db.session() as s:
        me = unit_row(s)
        if role is Role.APPRAISER:
            return {"appraiser_of": me.code}
        if not me.appraiser_code:
            raise ServiceError(
                "The appraiser of this unit is not set: enter it in the settings first."
            )
        return {"unit_code": me.appraiser_code}


def export_card(db: Database, out: Path) -> PackageInfo:
    own = own_keys(db.path)
    with db.session() as s:
        me = unit_row(s)
        unit = {
            "code": me.code,
            "name": me.name,
            "kind": me.kind,
            "appraiser_code": me.appraiser_code,
            "appraiser_name": me.appraiser_name,
            "province_name": me.province_name,
        }
    data = {
        "unit": unit,
        "role": role_of(db).value,
        "signing_public": own.signing.public_bytes.hex(),
        "enc_public": own.enc_public.hex(),
        "enc_signature": own.enc_signature.hex(),
    }
    recipient = card_recipient(db)
    return write_package(out, PackageKind.UNIT_CARD, own.signing, unit["code"], recipient, data,
                         sequence=next_sequence(db, recipient))


@dataclass(frozen=True)
class Card:
    unit: Unit
    role: str
    fingerprint: str
    public_key: bytes
    enc_public_key: bytes
    enc_signature: bytes


def read_card(path: Path) -> Card:
    """The card's contents, checked against its own key (not yet trusted)."""

    try:
        with zipfile.ZipFile(path) as archive:
            raw = json.loads(archive.read(DATA).decode("utf-8"))
            public = bytes.fromhex(str(raw["signing_public"]))
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise PackageError("The file {path} is not a unit card.", path=str(path)) from exc
    fingerprint = keys.fingerprint(public)
    opened = read_package(path, {fingerprint: public}, None)  # signature and hashes
    if opened.kind != PackageKind.UNIT_CARD:
        raise PackageError("The file {path} is not a unit card.", path=str(path))
    data = opened.data
    try:
        u = data["unit"]
        unit = Unit(
            code=clean(u["code"]),
            name=clean(u["name"]),
            kind=UnitKind(u["kind"]),
            appraiser_code=clean(u.get("appraiser_code", "")),
            appraiser_name=clean(u.get("appraiser_name", "")),
            province_name=clean(u.get("province_name", "")),
        )
        enc_public = bytes.fromhex(data["enc_public"])
        enc_signature = bytes.fromhex(data["enc_signature"])
        role = str(data["role"])
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise PackageError("The unit card {path} is incomplete.", path=str(path)) from exc
    if opened.manifest["sender"]["unit_code"] != unit.code:
        raise PackageError("The unit card {path} is incomplete.", path=str(path))
    if not crypto.verify_encryption_public(public, enc_public, enc_signature):
        raise PackageError("The unit card's encryption key is not vouched for by its signing key.")
    return Card(unit, role, fingerprint, public, enc_public, enc_signature)


def trust_card(db: Database, path: Path, typed_fingerprint: str) -> Card:
    """Pin the card's keys after the user confirmed the fingerprint they were told."""
    wanted = keys.normalize_fingerprint(typed_fingerprint)
    card = read_card(path)
    if card.fingerprint != wanted:
        raise ServiceError(
            "The card's key has the fingerprint {actual}, not the one you typed ({typed}). "
            "Do not trust it: ask the sender for the card again.",
            actual=card.fingerprint,
            typed=wanted,
        )
    role = role_of(db)
    with db.session() as s:
        me = unit_row(s)
        if card.unit.code == me.code:
            raise ServiceError("This is this unit's own card.")
        if role is Role.APPRAISER:
            row = s.scalars(select(UnitRow).where(UnitRow.code == card.unit.code)).first()
            if row is None:
                row = UnitRow(code=card.unit.code, is_self=False)
                s.add(row)
            row.name, row.kind = card.unit.name, card.unit.kind.value
            row.province_name = card.unit.province_name
            row.appraiser_code = me.code
            row.appraiser_name = me.name
        elif not me.appraiser_code:
            me.appraiser_code, me.appraiser_name = card.unit.code, card.unit.name
        elif me.appraiser_code != card.unit.code:
            raise ServiceError(
                "This card is from {unit} ({code}), but this unit's appraiser is {appraiser}.",
                unit=card.unit.name,
                code=card.unit.code,
                appraiser=me.appraiser_code,
            )
        stamp = now()
        for old in s.scalars(
            select(TrustedKeyRow).where(
                TrustedKeyRow.unit_code == card.unit.code, TrustedKeyRow.replaced_at.is_(None)
            )
        ):
            if old.fingerprint != card.fingerprint:
                old.replaced_at = stamp
        key = s.scalars(
            select(TrustedKeyRow).where(
                TrustedKeyRow.unit_code == card.unit.code,
                TrustedKeyRow.fingerprint == card.fingerprint,
            )
        ).first()
        if key is None:
            key = TrustedKeyRow(unit_code=card.unit.code, fingerprint=card.fingerprint)
            s.add(key)
        key.unit_name, key.role = card.unit.name, card.role
        key.public_key, key.enc_public_key = card.public_key.hex(), card.enc_public_key.hex()
        key.enc_signature = card.enc_signature.hex()
        key.trusted_at, key.replaced_at = stamp, None
    return card


def trusted(db: Database, *, include_replaced: bool = False) -> list[TrustedKey]:
    with db.session() as s:
        return trusted_in(s, include_replaced=include_replaced)


def trusted_in(s: Session, *, include_replaced: bool = False) -> list[TrustedKey]:
    """The trusted keys, read in the caller's session."""
    query = select(TrustedKeyRow).order_by(TrustedKeyRow.unit_code)
    if not include_replaced:
        query = query.where(TrustedKeyRow.replaced_at.is_(None))
    return [
        TrustedKey(
            r.unit_code,
            r.unit_name,
            r.role,
            r.fingerprint,
            bytes.fromhex(r.public_key),
            bytes.fromhex(r.enc_public_key),
            r.replaced_at is not None,
        )
        for r in s.scalars(query)
    ]


def trusted_map(db: Database) -> dict[str, bytes]:
    """Fingerprint → public key of every key currently trusted (what read_package takes)."""
    return {k.fingerprint: k.public_key for k in trusted(db)}


def trusted_for(db: Database, unit_code: str) -> TrustedKey:
    for key in trusted(db):
        if key.unit_code == unit_code:
            return key
    raise ServiceError(
        "No key is trusted for unit {code} yet: trust its unit card, with its fingerprint, "
        "first.",
        code=unit_code,
        need=Need.TRUST_CARD,
    )


def sender_of(db: Database, fingerprint: str) -> TrustedKey | None:
    for key in trusted(db, include_replaced=True):
        if key.fingerprint == fingerprint:
            return key
    return None
