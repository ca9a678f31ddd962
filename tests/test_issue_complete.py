"""Issuing is complete or refused (issue 15, part 4): no plan is issued without a signer's
name; the ranking's signer is set on the command line and kept; a superseded revision is
reported as such by 'plan verify' with its own exit code; 'plan show' writes the number as
the document does. Real databases, real PDFs read back."""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from db.engine import open_database
from parapp.cli import main
from parapp.printing import signing
from parapp.services import issuing, plans
from tests.conftest import copy_database
from tests.test_appraisal import make_hub


def cli(db: Path, *args: str, lang: str = "en") -> tuple[int, str, str]:
    """``parapp`` in this process; the language it sets is put back for the next tests."""
    from parapp import i18n

    before = i18n.get_language()
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--db", str(db), "--lang", lang, *args])
    finally:
        i18n.set_language(before)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db_path(demo_db: Path, tmp_path: Path) -> Path:
    return copy_database(demo_db, tmp_path / "office" / "parapp.sqlite3")


def _no_signer_name(path: Path, kind: str = plans.KIND_REMEDIATION) -> None:
    db = open_database(path)
    try:
        signer = plans.get_plan(db, 2026, kind).document.signer
        plans.update_document(db, 2026, kind, signer=replace(signer, name=""))
    finally:
        db.close()


def test_issue_without_a_signer_name_is_refused(db_path: Path) -> None:
    _no_signer_name(db_path)
    code, _out, err = cli(db_path, "plan", "issue", "--date", "03/02/2026")
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert "parapp plan edit --signer-name" in err
    db = open_database(db_path)
    try:
        assert plans.get_plan(db, 2026).status == "draft"  # nothing frozen, nothing numbered
        assert issuing.list_issued(db, 2026) == []
    finally:
        db.close()
    _no_signer_name(db_path, plans.KIND_ANNUAL)
    code, _out, err = cli(db_path, "plan", "issue", "--annual")
    assert code == 1 and "parapp plan edit --annual --signer-name" in err
    code, _out, err = cli(db_path, "plan", "edit", "--signer-name", "Nông Thị Hạnh")
    assert code == 0, err
    code, _out, err = cli(db_path, "plan", "issue", "--date", "03/02/2026")
    assert code == 0, err


def test_issue_refusal_in_vietnamese(db_path: Path, vietnamese: None) -> None:
    _no_signer_name(db_path)
    code, _out, err = cli(db_path, "plan", "issue", lang="vi")
    assert code == 1 and "--signer-name" in err and "người ký" in err, err


def test_verify_of_a_superseded_revision(db_path: Path, tmp_path: Path) -> None:
    first = tmp_path / "rev1.pdf"
    code, out, err = cli(db_path, "plan", "issue", "--date", "03/02/2026", "--out", str(first))
    assert code == 0, err
    code, out, err = cli(db_path, "plan", "verify", str(first))
    assert code == 0 and "unchanged" in out and "superseded" not in out
    code, out, err = cli(db_path, "plan", "revise")
    assert code == 0, err
    second = tmp_path / "rev2.pdf"
    code, out, err = cli(db_path, "plan", "issue", "--date", "01/06/2026", "--out", str(second))
    assert code == 0, err

    code, out, err = cli(db_path, "plan", "verify", str(first))
    assert code == 3, (out, err)
    assert "01/KH-UBND" in out  # what the file is
    assert "superseded by 02/KH-UBND issued 01/06/2026" in out
    code, out, err = cli(db_path, "plan", "verify", str(second))
    assert code == 0 and "superseded" not in out

    # a signed copy of the old revision is superseded too
    db = open_database(db_path)
    try:
        p12, passphrase = signing.make_test_identity("Nguyễn Văn Chủ tịch")
        signed = tmp_path / "rev1-signed.pdf"
        signed.write_bytes(
            signing.sign_pdf(first.read_bytes(), p12, passphrase, reason="r", location="l")
        )
        result = issuing.verify_pdf(db, signed)
        assert result.status == "signed-copy-of-issued" and not result.ok
        assert result.superseded_by is not None and result.superseded_by.reference == "02/KH-UBND"
    finally:
        db.close()
    code, out, err = cli(db_path, "plan", "verify", str(signed))
    assert code == 3 and "superseded by 02/KH-UBND" in out


def test_show_writes_the_number_as_the_document_does(db_path: Path, tmp_path: Path) -> None:
    out_pdf = tmp_path / "issued.pdf"
    code, out, err = cli(db_path, "plan", "issue", "--number", "1", "--out", str(out_pdf))
    assert code == 0, err
    with pdfplumber.open(out_pdf) as pdf:
        assert "Số: 01/KH-UBND" in (pdf.pages[0].extract_text() or "")
    code, out, err = cli(db_path, "plan", "show")
    assert code == 0, err
    assert "No. 01/KH-UBND" in out and "No. 1/KH-UBND" not in out
    from ui.widgets.plan_pages import issued_text  # the window's plan page says the same

    db = open_database(db_path)
    try:
        page = issued_text(plans.get_plan(db, 2026))
        assert "01/KH-UBND" in page and " 1/KH-UBND" not in page
    finally:
        db.close()


def test_verify_and_sign_print_no_warning(db_path: Path, tmp_path: Path) -> None:
    """Warnings raised by our own calls (pyHanko's import of DSA is pyHanko's: excluded)."""
    issued = tmp_path / "issued.pdf"
    assert cli(db_path, "plan", "issue", "--out", str(issued))[0] == 0
    db = open_database(db_path)
    try:
        p12, passphrase = signing.make_test_identity("Nguyễn Văn Chủ tịch")
        signing.check_signature(issued.read_bytes())  # imports pyHanko first
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            signed = signing.sign_pdf(issued.read_bytes(), p12, passphrase, reason="", location="")
            (tmp_path / "signed.pdf").write_bytes(signed)
            issuing.verify_pdf(db, tmp_path / "signed.pdf")
    finally:
        db.close()
    assert not [str(w.message) for w in caught]


def _ranking_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_ranking_signer_is_set_on_the_command_line_and_kept(tmp_path: Path) -> None:
    db, communes = make_hub(tmp_path)  # three submitted communes
    path = db.path
    db.close()
    code, out, err = cli(path, "appraise", "accept", communes[0], "--confirm-incomplete")
    assert code == 0, err

    before = tmp_path / "before.pdf"
    code, out, err = cli(path, "ranking", "--year", "2025", "--out", str(before))
    assert code == 0, err
    assert "GIÁM ĐỐC" in _ranking_text(before)  # the director's title until one is set

    code, out, err = cli(
        path, "appraise", "signer", "--signer-mode", "KT", "--signer-head", "Giám đốc",
        "--signer-position", "Phó Giám đốc", "--signer-name", "Hoàng Văn Hùng",
    )  # fmt: skip
    assert code == 0, err
    assert "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC — Hoàng Văn Hùng" in out
    after = tmp_path / "after.pdf"
    code, out, err = cli(path, "ranking", "--year", "2025", "--out", str(after))
    assert code == 0, err
    text = _ranking_text(after)
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Hoàng Văn Hùng" in text

    # given with the ranking itself, kept for the next time
    docx = tmp_path / "again.docx"
    code, out, err = cli(
        path, "ranking", "--year", "2025", "--out", str(docx), "--signer-mode", "direct",
        "--signer-position", "Giám đốc", "--signer-name", "Lý Thị Mai",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(path, "appraise", "signer")
    assert code == 0 and "GIÁM ĐỐC — Lý Thị Mai" in out and "KT." not in out
