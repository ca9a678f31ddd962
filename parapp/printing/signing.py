"""Digital signatures on issued PDFs: PAdES B-B (``ETSI.CAdES.detached``) with pyHanko.

Pure functions over bytes. Signing is an incremental update, so the issued PDF's bytes stay
an exact prefix of the signed copy: whoever holds the copy can prove what was signed is the
document the office issued. The signature is invisible (pyHanko's own stamp garbles
Vietnamese); the printed plan already carries the signer block.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import secrets
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

# pyHanko logs every untrusted certificate with a traceback; without a handler of our own,
# Python's last-resort handler would print those to the terminal.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())

FIELD_NAME = "Signature1"


@contextmanager
def _quiet_import() -> Iterator[None]:
    """Import pyHanko without cryptography's "DSA is deprecated" warning on every sign and
    verify: pyHanko imports the DSA key type to recognise such keys when it loads; no DSA key
    is used by the import. Only that warning, and only while importing, is silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning
        )
        yield


class IdentityError(ValueError):
    """The PKCS#12 file cannot be used; ``reason`` says why (the service words it)."""

    NOT_PKCS12 = "not-pkcs12"
    PASSPHRASE_MISSING = "passphrase-missing"
    PASSPHRASE_WRONG = "passphrase-wrong"
    NO_KEY = "no-key"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SigningFailed(RuntimeError):
    """pyHanko could not sign, or the result did not keep the input as its prefix."""


class UnreadablePdf(ValueError):
    """The file is not a PDF pyHanko can read."""


@dataclass(frozen=True)
class SignatureCheck:
    """The first signature of a PDF, as found and validated."""

    signer: str  # the certificate's subject, e.g. "Common Name: Nguyễn Văn A"
    signing_time: dt.datetime | None  # as claimed by the signer (aware, UTC)
    intact: bool  # the covered bytes are unchanged and the signature is mathematically valid
    trusted: bool  # the certificate chains to a trusted root (never for test identities)
    byte_range: tuple[int, ...]
    whole_file: bool  # nothing was appended after this signature
    later_changes: str  # "" or pyHanko's modification level of what was appended
    count: int  # signatures in the file

    def covers_prefix(self, size: int) -> bool:
        """True when the signed bytes include the file's first ``size`` bytes."""
        return len(self.byte_range) == 4 and self.byte_range[0] == 0 and self.byte_range[1] >= size

    @property
    def acceptable(self) -> bool:
        """Intact, and anything appended later only adds signatures or time stamps."""
        return self.intact and self.later_changes in ("", "NONE", "LTA_UPDATES", "FORM_FILLING")


# pyHanko (and asn1crypto with it) takes more than a second to import: only when a
# document is signed or checked, hence the imports inside the functions below.


def _load_identity(p12: bytes, passphrase: bytes | None) -> SimpleSigner:
    from asn1crypto import pkcs12 as asn1_pkcs12  # see above

    with _quiet_import():
        from pyhanko.sign import signers

    try:
        key, cert, _others = pkcs12.load_key_and_certificates(p12, passphrase)
    except (ValueError, TypeError):
        try:
            pfx = asn1_pkcs12.Pfx.load(p12, strict=True)
            pfx["auth_safe"]["content"].native  # noqa: B018 - forces a full parse
        except Exception:
            raise IdentityError(IdentityError.NOT_PKCS12) from None
        if passphrase is None:
            raise IdentityError(IdentityError.PASSPHRASE_MISSING) from None
        raise IdentityError(IdentityError.PASSPHRASE_WRONG) from None
    if key is None or cert is None:
        raise IdentityError(IdentityError.NO_KEY)
    try:
        return signers.SimpleSigner.load_pkcs12_data(p12, (), passphrase)
    except ValueError:
        raise IdentityError(IdentityError.NO_KEY) from None


def sign_pdf(
    data: bytes, p12: bytes, passphrase: bytes | None, *, reason: str, location: str
) -> bytes:
    """Sign ``data`` invisibly (PAdES B-B, SHA-256) with the key in a PKCS#12 archive.

    The result starts with ``data`` unchanged (incremental update). Raises
    :class:`IdentityError` for an unusable archive and :class:`SigningFailed` otherwise.
    """
    with _quiet_import():
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigSeedSubFilter

    signer = _load_identity(p12, passphrase)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        md_algorithm="sha256",
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
        signed = out.getvalue()
    except Exception as exc:  # pyHanko raises many kinds; the caller needs one
        raise SigningFailed(str(exc)) from exc
    if signed[: len(data)] != data:
        raise SigningFailed("the signed copy does not start with the original bytes")
    return signed


def check_signature(data: bytes, trust_roots: Sequence[bytes] = ()) -> SignatureCheck | None:
    """The first signature of ``data`` validated (no network), or None if unsigned.

    ``trust_roots`` are DER certificates of the roots to trust (e.g. Vietnam's national
    root CA); the operating system's list is not used. Raises :class:`UnreadablePdf` when
    pyHanko cannot read the file's structure.
    """
    from asn1crypto import x509 as asn1_x509  # see above _load_identity

    with _quiet_import():
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        found = reader.embedded_signatures
    except Exception as exc:
        raise UnreadablePdf(str(exc)) from exc
    if not found:
        return None
    sig = found[0]
    byte_range = tuple(int(x) for x in sig.byte_range)
    roots = [asn1_x509.Certificate.load(der) for der in trust_roots]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context)
    except Exception:  # a mangled CMS blob: signed, but nothing can be vouched for
        return SignatureCheck("", None, False, False, byte_range, False, "", len(found))
    level = status.modification_level
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return SignatureCheck(
        signer=status.signing_cert.subject.human_friendly,
        signing_time=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        byte_range=byte_range,
        whole_file=whole,
        later_changes="" if whole or level is None else level.name,
        count=len(found),
    )


def make_test_identity(common_name: str) -> tuple[bytes, bytes]:
    """A self-signed PKCS#12 archive and its passphrase, for tests and the demo only.

    NOT A LEGAL CERTIFICATE: no certification authority vouches for it, so a signature made
    with it proves integrity but not who signed (validators report it as untrusted). Real
    documents are signed with a certificate from a licensed provider (a USB token or a
    .p12 file it issues).
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "parapp test identity - not legal"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    passphrase = secrets.token_urlsafe(18).encode()
    p12 = pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, cert, None, serialization.BestAvailableEncryption(passphrase)
    )
    return p12, passphrase


__all__ = [
    "FIELD_NAME",
    "IdentityError",
    "SignatureCheck",
    "SigningFailed",
    "UnreadablePdf",
    "check_signature",
    "make_test_identity",
    "sign_pdf",
]
