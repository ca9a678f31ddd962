"""The transfer slip (Phiếu giao nhận dữ liệu): what the receiver compares must be printed
exactly, in groups of four, on one page with both signature blocks."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from parapp.printing.builders.slip import SlipInputs, build_slip, hex_groups, size_text
from parapp.printing.model import Table
from parapp.services.documents import render

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
FINGERPRINT = "3A7F 19C2 0B4E 88D1 5F60 AA21 C3E9 7B10 4D2E 9F8A 1C05 66B3 E0D7 2A94 B81F 0C3D"


def slip(**kw: object) -> SlipInputs:
    base: dict[str, object] = dict(
        sender_name="Xã Hoàng Văn Thụ",
        sender_code="06172",
        recipient="Sở Nội vụ tỉnh Lạng Sơn",
        package_kind="hồ sơ tự đánh giá Chỉ số CCHC (nộp thẩm định)",
        package_id="5b0f1c9e-8a4d-4c53-9a51-6f0e2d7b1a33",
        file_name="06172-2025-submission.cchc",
        size=5_345_678,
        sha256=SHA,
        fingerprint=FINGERPRINT,
        created_at=datetime(2026, 1, 12, 9, 30),
        criteria_set="MAU-CCHC-XA v1",
        period="2025",
        scores=75,
        evidence_files=3,
        plan_items=6,
        signer_title="Công chức Văn phòng - Thống kê",
        signer_name="Nguyễn Thị Lan",
        place="Hoàng Văn Thụ",
        on=date(2026, 1, 12),
    )
    base.update(kw)
    return SlipInputs(**base)  # type: ignore[arg-type]


def pdf_pages(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(page.extract_text() or "") for page in pdf.pages]


def test_hex_groups() -> None:
    assert hex_groups(SHA).split("\n") == [
        "9F86 D081 884C 7D65 9A2F EAA0 C55A D015",
        "A3BF 4F1B 2B0B 822C D15D 6C15 B0F0 0A08",
    ]
    assert hex_groups(FINGERPRINT).replace("\n", " ") == FINGERPRINT


@pytest.mark.parametrize(
    ("size", "text"),
    [(512, "512 byte"), (2048, "2.048 byte (2 kB)"), (5_345_678, "5.345.678 byte (5,10 MB)")],
)
def test_size_text(size: int, text: str) -> None:
    assert size_text(size) == text


def test_slip_pdf() -> None:
    pages = pdf_pages(render(build_slip(slip()), ".pdf"))
    assert len(pages) == 1  # both signatures on the one page
    text = pages[0]
    assert "PHIẾU GIAO NHẬN DỮ LIỆU" in text
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ HOÀNG VĂN THỤ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Hoàng Văn Thụ, ngày 12 tháng 01 năm 2026" in text
    assert "9F86 D081 884C 7D65" in text  # groups of four, as read aloud
    # every digit, in order, line by line (the label cell beside them wraps too)
    for line in (*hex_groups(SHA).split("\n"), *hex_groups(FINGERPRINT).split("\n")):
        assert line in text
    assert "".join(hex_groups(SHA).split()) == SHA.upper()
    assert "5b0f1c9e-8a4d-4c53-9a51-6f0e2d7b1a33" in text
    assert "06172-2025-submission.cchc" in text
    assert "5.345.678 byte" in text
    assert "75 điểm tiêu chí; 03 tệp tài liệu kiểm chứng; 06 nhiệm" in text
    assert "BÊN GIAO" in text and "BÊN NHẬN" in text
    assert text.count("(Ký, ghi rõ họ tên)") == 2
    assert "Nguyễn Thị Lan" in text
    assert "Bên nhận kiểm tra" in text and "□" in text
    assert "./." in text


def test_slip_of_the_appraiser_and_a_draft_date() -> None:
    doc = build_slip(
        slip(sender_name="Sở Nội vụ tỉnh Lạng Sơn", sender_code="20", recipient="Xã Hoàng Văn Thụ",
             package_kind="kết quả thẩm định", on=None, place="Lạng Sơn")
    )
    assert doc.header.parent_body == "UBND TỈNH LẠNG SƠN"
    assert doc.header.issuing_body == ("SỞ NỘI VỤ",)
    assert doc.header.date is None and doc.header.draft_year == 2026
    text = pdf_pages(render(doc, ".pdf"))[0]
    assert "Lạng Sơn, ngày" in text and "năm 2026" in text
    assert "Kết quả thẩm định - kỳ 2025" in text


def test_slip_is_deterministic_and_prints_to_docx() -> None:
    doc = build_slip(slip())
    assert render(doc, ".pdf") == render(build_slip(slip()), ".pdf")
    assert render(doc, ".docx")[:2] == b"PK"
    assert isinstance(doc.body[-1], Table)  # the two signature blocks end the body
