"""Issuing, freezing, reprinting, verifying and signing plans, on the demo database.

The demo office (``demo_db`` in conftest.py) has a 2026 remediation plan, a draft made from
the 2025 result.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from db.engine import Database, open_database
from parapp.domain.deadlines import parse_deadline
from parapp.domain.remediation import RemediationItem, Signer, new_id
from parapp.printing.signing import check_signature, make_test_identity
from parapp.services import documents, issuing, paper, plans
from parapp.services.annual import draft_annual_plan
from parapp.services.common import ServiceError

ROOT = Path(__file__).resolve().parents[1]
ISSUED_ON = date(2026, 3, 15)


@pytest.fixture
def db_path(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database (conftest builds the demo once per session), in
    a folder of its own so that its documents store starts empty."""
    target = tmp_path / "commune" / "parapp.sqlite3"
    target.parent.mkdir()
    src, dst = sqlite3.connect(demo_db), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture(scope="module")
def identity() -> tuple[bytes, bytes]:
    return make_test_identity("Nguyễn Văn Chủ tịch")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fresh_pdf(db: Database, info: issuing.IssuedInfo) -> bytes:
    """The issued plan rendered again from the stored plan, with the QR code it was issued
    with (the QR holds the document's id, drawn when it was issued)."""
    found = paper.issued_qr(db, info)
    assert found is not None
    if info.kind == "annual-plan":
        doc = documents.annual_plan(db, 2026)
    else:
        doc = documents.remediation_plan(db, 2026)
    return documents.render(replace(doc, qr=found[1]), ".pdf")


def _sign(db: Database, identity: tuple[bytes, bytes], folder: Path) -> Path:
    p12, passphrase = identity
    (folder / "id.p12").write_bytes(p12)
    out = folder / "signed.pdf"
    issuing.sign_issued(db, 2026, plans.KIND_REMEDIATION, folder / "id.p12", passphrase, out)
    return out


# -- issue and freeze ---------------------------------------------------------------------
def test_issue_uses_the_suggested_number_stores_and_freezes(db: Database) -> None:
    assert issuing.suggest_number(db, "KH-UBND", 2026) == "1"
    info = issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    assert (info.number, info.symbol, info.issued_on) == ("1", "KH-UBND", ISSUED_ON)
    assert (info.kind, info.plan_year, info.revision) == ("remediation-plan", 2026, 1)
    assert info.reference == "01/KH-UBND"  # as ND30 prints numbers under 10

    plan = plans.get_plan(db, 2026)
    assert plan.status == "issued"
    assert (plan.document.number, plan.document.issued_on) == ("1", ISSUED_ON)
    with pytest.raises(ServiceError):
        plans.update_item(db, plan.items[0].id, tasks="Sửa lời văn sau khi ban hành")
    extra = RemediationItem(id=new_id(), deadline=parse_deadline("quý II/2026", default_year=2026))
    with pytest.raises(ServiceError):
        plans.add_item(db, 2026, extra)

    stored = info.path.read_bytes()
    assert info.path == db.path.parent / "documents" / info.sha256[:2] / f"{info.sha256}.pdf"
    assert stored.startswith(b"%PDF") and len(stored) == info.size
    assert _sha(stored) == info.sha256
    assert _sha(_fresh_pdf(db, info)) == info.sha256  # deterministic: a fresh render, identical
    assert issuing.reprint(db, 2026) == stored

    import pdfplumber

    with pdfplumber.open(info.path) as pdf:
        first = pdf.pages[0].extract_text()
    assert "Số: 01/KH-UBND" in first
    assert "ngày 15 tháng 3 năm 2026" in first


def test_issuing_twice_is_refused(db: Database) -> None:
    issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    with pytest.raises(ServiceError, match="already been issued"):
        issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    assert len(issuing.list_issued(db, 2026)) == 1


def test_annual_plan_takes_the_next_number_and_duplicates_are_refused(db: Database) -> None:
    first = issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    draft_annual_plan(db, 2026, replace_existing=True)  # the demo drafted one already
    # a plan with no signer's name is never issued: the redrafted one needs it again
    plans.update_document(db, 2026, plans.KIND_ANNUAL, signer=Signer(name="Nông Thị Hạnh"))
    with pytest.raises(ServiceError, match="01/KH-UBND is already used"):  # as printed
        issuing.issue_plan(db, 2026, kind="annual", number="1", issued_on=ISSUED_ON)
    with pytest.raises(ServiceError, match="already used"):
        issuing.issue_plan(db, 2026, kind="annual", number="01", issued_on=date(2026, 5, 1))
    with pytest.raises(ServiceError, match="digits"):
        issuing.issue_plan(db, 2026, kind="annual", number="12a", issued_on=ISSUED_ON)
    assert plans.get_plan(db, 2026, plans.KIND_ANNUAL).status == "draft"  # refusals change nothing

    assert issuing.suggest_number(db, "KH-UBND", 2026) == "2"
    annual = issuing.issue_plan(db, 2026, kind="annual", issued_on=date(2026, 3, 20))
    assert (annual.number, annual.kind, annual.symbol) == ("2", "annual-plan", "KH-UBND")
    assert annual.sha256 != first.sha256
    assert _sha(_fresh_pdf(db, annual)) == annual.sha256
    assert issuing.reprint(db, 2026, plans.KIND_ANNUAL) == annual.path.read_bytes()
    assert issuing.suggest_number(db, "KH-UBND", 2026) == "3"
    assert issuing.suggest_number(db, "KH-UBND", 2027) == "1"  # the register restarts each year
    assert issuing.suggest_number(db, "BC-UBND", 2026) == "1"  # and is kept per symbol


def test_reprint_refuses_a_missing_or_altered_store_file(db: Database) -> None:
    info = issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    original = info.path.read_bytes()
    info.path.write_bytes(original[:-1] + b"X")
    with pytest.raises(ServiceError, match="altered"):
        issuing.reprint(db, 2026)
    info.path.unlink()
    with pytest.raises(ServiceError, match="missing"):
        issuing.reprint(db, 2026)


def test_reprint_of_a_plan_never_issued_is_refused(db: Database) -> None:
    with pytest.raises(ServiceError, match="not been issued"):
        issuing.reprint(db, 2026)


def test_new_revision_unfreezes_and_keeps_what_was_issued(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="not been issued"):
        issuing.new_revision(db, 2026)
    first = issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    first_bytes = issuing.reprint(db, 2026)
    (tmp_path / "rev1.pdf").write_bytes(first_bytes)

    assert issuing.new_revision(db, 2026) == 2
    plan = plans.get_plan(db, 2026)
    assert plan.status == "draft"
    assert (plan.document.number, plan.document.issued_on) == ("", None)
    plans.update_item(db, plan.items[0].id, tasks="Bổ sung nhiệm vụ theo chỉ đạo mới.")

    second = issuing.issue_plan(db, 2026, issued_on=date(2026, 6, 1))
    assert (second.number, second.revision) == ("2", 2)
    assert second.sha256 != first.sha256
    assert issuing.reprint(db, 2026) == second.path.read_bytes()
    assert issuing.reprint(db, 2026, revision=1) == first_bytes
    assert [i.revision for i in issuing.list_issued(db, 2026)] == [1, 2]
    old = issuing.verify_pdf(db, tmp_path / "rev1.pdf")
    assert old.status == "issued" and old.issued is not None and old.issued.revision == 1


def test_documents_list_follows_issuing_and_revising(db: Database) -> None:
    """The documents screen's list (read on each visit): each plan's latest year and status,
    then the self-assessment report of the latest assessment and the plan's progress."""

    def listed() -> list[tuple[str, int, str]]:
        return [(c.kind, c.year, c.status.value) for c in documents.choices(db)]

    annual = ("annual-plan", 2026, "draft")  # the demo drafted one
    reports = [("self-report", 2025, "draft"), ("progress-report", 2026, "draft")]
    assert listed() == [("remediation-plan", 2026, "draft"), annual, *reports]
    issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    assert listed() == [("remediation-plan", 2026, "issued"), annual, *reports]
    issuing.new_revision(db, 2026)
    assert listed() == [("remediation-plan", 2026, "draft"), annual, *reports]


# -- verify and sign ----------------------------------------------------------------------
def test_verify_issued_and_changed_files(db: Database, tmp_path: Path) -> None:
    info = issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    good = tmp_path / "issued.pdf"
    good.write_bytes(issuing.reprint(db, 2026))
    result = issuing.verify_pdf(db, good)
    assert result.status == "issued" and result.ok
    assert result.issued is not None
    assert (result.issued.number, result.issued.sha256) == ("1", info.sha256)

    changed = bytearray(good.read_bytes())
    changed[len(changed) // 2] ^= 0x01
    bad = tmp_path / "changed.pdf"
    bad.write_bytes(bytes(changed))
    result = issuing.verify_pdf(db, bad)
    assert result.status == "unknown" and not result.ok and result.issued is None

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert issuing.verify_pdf(db, junk).status == "unknown"
    with pytest.raises(ServiceError):
        issuing.verify_pdf(db, tmp_path / "absent.pdf")


def test_signed_copy_verifies_and_tampering_is_caught(
    db: Database, tmp_path: Path, identity: tuple[bytes, bytes]
) -> None:
    info = issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    out = _sign(db, identity, tmp_path)
    signed = out.read_bytes()
    assert signed[: info.size] == info.path.read_bytes()  # an incremental update
    assert issuing.list_issued(db, 2026)[-1].signed_sha256 == _sha(signed)

    result = issuing.verify_pdf(db, out)
    assert result.status == "signed-copy-of-issued" and result.ok
    assert result.issued is not None and result.issued.sha256 == info.sha256
    sig = result.signature
    assert sig is not None
    assert sig.intact and sig.whole_file and result.covers_issued
    assert not sig.trusted  # a self-signed test identity is never trusted
    assert "Nguyễn Văn Chủ tịch" in sig.signer
    assert sig.signing_time is not None

    # trusted only when its root is given explicitly (the operating system's list is not used)
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    _key, cert, _more = pkcs12.load_key_and_certificates(identity[0], identity[1])
    assert cert is not None
    check = check_signature(signed, trust_roots=[cert.public_bytes(Encoding.DER)])
    assert check is not None and check.trusted and check.intact

    for position in (info.size // 2, info.size + 100):  # in the issued bytes; in the update
        tampered = bytearray(signed)
        tampered[position] ^= 0x01
        path = tmp_path / f"tampered-{position}.pdf"
        path.write_bytes(bytes(tampered))
        result = issuing.verify_pdf(db, path)
        assert not result.ok, position
        assert result.status in ("altered", "unknown"), position
        assert result.signature is None or not result.signature.intact
    # a byte flipped inside the issued part of a signed copy: the signature says "changed"
    result = issuing.verify_pdf(db, tmp_path / f"tampered-{info.size // 2}.pdf")
    assert result.status == "altered"


def test_pdfsig_lists_the_signature(
    db: Database, tmp_path: Path, identity: tuple[bytes, bytes]
) -> None:
    if shutil.which("pdfsig") is None:
        pytest.skip("poppler's pdfsig is not installed")
    issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    out = _sign(db, identity, tmp_path)
    run = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True, timeout=60)
    assert "Signature #1" in run.stdout
    assert "ETSI.CAdES.detached" in run.stdout
    assert "Signature is Valid" in run.stdout


def test_wrong_passphrase_or_file_writes_nothing(
    db: Database, tmp_path: Path, identity: tuple[bytes, bytes]
) -> None:
    issuing.issue_plan(db, 2026, issued_on=ISSUED_ON)
    p12, _passphrase = identity
    (tmp_path / "id.p12").write_bytes(p12)
    (tmp_path / "notes.p12").write_bytes(b"this is not a certificate")
    out = tmp_path / "signed.pdf"
    cases = [
        (tmp_path / "id.p12", b"wrong passphrase", "wrong"),
        (tmp_path / "id.p12", None, "none was given"),
        (tmp_path / "notes.p12", b"x", "not a certificate"),
    ]
    for p12_path, secret, message in cases:
        with pytest.raises(ServiceError, match=message):
            issuing.sign_issued(db, 2026, plans.KIND_REMEDIATION, p12_path, secret, out)
        assert not out.exists()
    assert issuing.list_issued(db, 2026)[-1].signed_sha256 is None


def test_signing_a_plan_never_issued_is_refused(
    db: Database, tmp_path: Path, identity: tuple[bytes, bytes]
) -> None:
    p12, passphrase = identity
    (tmp_path / "id.p12").write_bytes(p12)
    with pytest.raises(ServiceError, match="not been issued"):
        issuing.sign_issued(
            db, 2026, plans.KIND_REMEDIATION, tmp_path / "id.p12", passphrase, tmp_path / "s.pdf"
        )
    assert not (tmp_path / "s.pdf").exists()


# -- command line -------------------------------------------------------------------------
def _cli(
    db_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parapp", "--lang", "en", "--db", str(db_path), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONUTF8": "1", **(env or {})},
    )


@pytest.fixture(scope="module")
def cli_ready() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "parapp", "plan", "issue", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if run.returncode != 0:
        pytest.skip(
            "parapp/cli/parser.py does not register the document commands yet: add "
            "'from . import documents as d' and 'd.add_commands(pl, sub)'"
        )


@pytest.mark.usefixtures("cli_ready")
def test_cli_render_issue_verify_sign(
    db_path: Path, tmp_path: Path, identity: tuple[bytes, bytes]
) -> None:
    run = _cli(db_path, "plan", "render", "--out", str(tmp_path / "draft.pdf"))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "draft.pdf").read_bytes().startswith(b"%PDF")
    run = _cli(db_path, "plan", "render", "--appendix", "--out", str(tmp_path / "draft.docx"))
    assert run.returncode == 0, run.stderr
    assert zipfile.is_zipfile(tmp_path / "draft.docx")
    run = _cli(db_path, "plan", "render", "--out", str(tmp_path / "draft.txt"))
    assert run.returncode == 1 and ".pdf or .docx" in run.stderr

    issued = tmp_path / "issued.pdf"
    run = _cli(
        db_path, "plan", "issue", "--number", "7", "--date", "15/03/2026", "--out", str(issued)
    )
    assert run.returncode == 0, run.stderr
    sha = _sha(issued.read_bytes())
    assert "07/KH-UBND" in run.stdout and sha in run.stdout
    run = _cli(db_path, "plan", "issue")
    assert run.returncode == 1 and "already been issued" in run.stderr

    run = _cli(db_path, "plan", "render", "--out", str(tmp_path / "again.pdf"))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "again.pdf").read_bytes() == issued.read_bytes()  # a reprint

    run = _cli(db_path, "plan", "verify", str(issued))
    assert run.returncode == 0 and "issued" in run.stdout and "07/KH-UBND" in run.stdout
    changed = bytearray(issued.read_bytes())
    changed[1000] ^= 0x01
    (tmp_path / "changed.pdf").write_bytes(bytes(changed))
    run = _cli(db_path, "plan", "verify", str(tmp_path / "changed.pdf"))
    assert run.returncode == 1, run.stdout

    p12, passphrase = identity
    (tmp_path / "id.p12").write_bytes(p12)
    signed = tmp_path / "signed.pdf"
    sign_args = ("plan", "sign", "--p12", str(tmp_path / "id.p12"), "--out", str(signed))
    run = _cli(db_path, *sign_args, env={"PARAPP_P12_PASSPHRASE": "wrong"})
    assert run.returncode == 1 and "passphrase" in run.stderr and not signed.exists()
    run = _cli(
        db_path,
        *sign_args,
        "--passphrase-env",
        "MY_P12_SECRET",
        env={"MY_P12_SECRET": passphrase.decode()},
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # no "DSA is deprecated" from pyHanko's imports
    run = _cli(db_path, "plan", "verify", str(signed))
    assert run.returncode == 0, run.stdout
    assert "signed copy" in run.stdout and "Nguyễn Văn Chủ tịch" in run.stdout
    assert run.stderr == ""

    run = _cli(db_path, "plan", "revise")
    assert run.returncode == 0 and "revision 2" in run.stdout, run.stderr


@pytest.mark.usefixtures("cli_ready")
def test_cli_reports(db_path: Path, tmp_path: Path) -> None:
    run = _cli(db_path, "report", "self-assessment", "--out", str(tmp_path / "sa.pdf"))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "sa.pdf").read_bytes().startswith(b"%PDF")
    run = _cli(
        db_path,
        "report",
        "progress",
        "--out",
        str(tmp_path / "progress.pdf"),
        "--as-of",
        "30/09/2026",
        "--number",
        "12",
        "--date",
        "30/09/2026",
    )
    assert run.returncode == 0, run.stderr
    import pdfplumber

    with pdfplumber.open(tmp_path / "progress.pdf") as pdf:
        assert "12/BC-UBND" in pdf.pages[0].extract_text()
    run = _cli(db_path, "report", "progress", "--out", str(tmp_path / "progress.docx"))
    assert run.returncode == 0, run.stderr
    assert zipfile.is_zipfile(tmp_path / "progress.docx")
