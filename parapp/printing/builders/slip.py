"""The transfer slip printed with a sync package ("Phiếu giao nhận dữ liệu").

The stick travels with a signed paper that says which file it holds: whoever receives it
checks the file's SHA-256 and the sender's key fingerprint against the paper before trusting
the key. Layout (ND30 header and title, then a form):

    <issuing body>                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ...
    PHIẾU GIAO NHẬN DỮ LIỆU / Gói <kind> Chỉ số CCHC năm ...
    Lead-in: who hands what to whom
    Table: TT | Thông tin | Nội dung (package id, file, size, SHA-256 in groups of four,
           key fingerprint, created at, criteria set, period, counts)
    The receiver's check: "Mã SHA-256 ... trùng khớp: □ Đúng □ Không đúng" ...
    BÊN GIAO | BÊN NHẬN, each "(Ký, ghi rõ họ tên)", room to sign, the name.

The model's own signature block has one signer, so the two signatures are a form table
at the end of the body (``Document.signature`` is left empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from parapp.domain.numbers import format_vi
from parapp.domain.office import OfficeProfile
from parapp.domain.text import clean
from parapp.printing import nd30
from parapp.printing.model import (
    Align,
    Column,
    Document,
    Header,
    Paragraph,
    Run,
    Signature,
    Table,
    Title,
)

from .ranking import issuing_lines, symbol_suffix

CHECKBOX = "\u25a1"  # □ (Liberation Serif has no U+2610 ballot box)
SIGN_SPACE_LINES = 4
NBSP = "\u00a0"  # keeps each box with its word
YES = f"{CHECKBOX}{NBSP}Đúng"
NO = f"{CHECKBOX}{NBSP}Không{NBSP}đúng"


@dataclass(frozen=True)
class SlipInputs:
    sender_name: str  # "Xã Hoàng Văn Thụ"
    sender_code: str  # "06172"
    recipient: str  # "Sở Nội vụ tỉnh Lạng Sơn"
    package_kind: str  # Vietnamese label: "Hồ sơ tự đánh giá (nộp thẩm định)"
    package_id: str  # UUID
    file_name: str
    size: int  # bytes
    sha256: str  # of the package file, 64 hex digits
    fingerprint: str  # the sender's signing key, 64 hex digits (any spacing)
    created_at: datetime
    criteria_set: str  # "MAU-CCHC-XA v1 - Bộ tiêu chí ..."
    period: str  # "2025"
    scores: int = 0
    evidence_files: int = 0
    plan_items: int = 0
    signer_title: str = ""  # "Công chức Văn phòng - Thống kê"
    signer_name: str = ""
    place: str = ""  # "Hoàng Văn Thụ"
    on: date | None = None  # the slip's date; None leaves the day blank
    receiver_title: str = ""  # printed under "BÊN NHẬN" when known
    sender_parent: str = ""  # overrides the parent body worked out from the sender's name
    sender_office: OfficeProfile | None = None  # the sender's profile, when this office sent it


def hex_groups(value: str, per_line: int = 8) -> str:
    """64 hex digits as 16 groups of four, ``per_line`` groups a line, upper case: easy to
    read aloud over the phone and to compare by eye."""
    digits = "".join(ch for ch in value if ch.isalnum()).upper()
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    lines = [" ".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line)]
    return "\n".join(lines)


def size_text(size: int) -> str:
    """ "1.234.567 byte (1,18 MB)"; sizes under 1 MB in kB."""
    exact = f"{size:,}".replace(",", ".")
    if size >= 1024 * 1024:

        return f"{exact} byte ({format_vi(Decimal(size) / (1024 * 1024), 2)} MB)"
    if size >= 1024:
        return f"{exact} byte ({(size + 1023) // 1024} kB)"
    return f"{exact} byte"


def _count(n: int) -> str:
    return f"{n:02d}" if 0 < n < 10 else str(n)


def _when(moment: datetime) -> str:
    return f"{moment:%H:%M} {nd30.date_phrase(moment.date())}"


def build_slip(inputs: SlipInputs) -> Document:
    d = inputs
    parent, body_lines = issuing_lines(d.sender_name)
    suffix = symbol_suffix(body_lines)
    if d.sender_office is not None:  # this office's own header (a Sở, a Văn phòng ...)
        parent, body_lines = d.sender_office.parent_body(), d.sender_office.issuing_body()
        suffix = clean(d.sender_office.symbol_suffix).upper() or suffix
    parent = clean(d.sender_parent).upper() or parent
    sender = clean(d.sender_name)
    recipient = clean(d.recipient)
    rows = (
        ("1", "Loại gói dữ liệu", clean(d.package_kind)),
        ("2", "Bộ tiêu chí, kỳ đánh giá", f"{clean(d.criteria_set)}; kỳ {clean(d.period)}"),
        ("3", "Tên tệp", clean(d.file_name)),
        ("4", "Dung lượng", size_text(d.size)),
        ("5", "Mã gói (package id)", clean(d.package_id)),
        ("6", "Mã kiểm tra SHA-256 của tệp", hex_groups(d.sha256)),
        ("7", "Dấu vân tay khóa ký của bên giao", hex_groups(d.fingerprint)),
        ("8", "Thời điểm tạo gói", _when(d.created_at)),
        (
            "9",
            "Nội dung",
            f"{_count(d.scores)} điểm tiêu chí; {_count(d.evidence_files)} tệp tài liệu "
            f"kiểm chứng; {_count(d.plan_items)} nhiệm vụ kế hoạch",
        ),
    )
    table = Table(
        (
            Column("TT", 10, Align.CENTER),
            Column("Thông tin", 52),
            Column("Nội dung", 98),
        ),
        rows,
        frozenset({5, 6}),  # the two codes to compare stand out
        font_size=12,
    )
    lead = (
        f"{sender} (mã {clean(d.sender_code)}) bàn giao cho {recipient} 01 tệp dữ liệu "
        "Chỉ số cải cách hành chính trên thiết bị lưu trữ ngoài, với các thông tin sau:"
    )
    check = Paragraph(
        (
            Run("Bên nhận kiểm tra: ", bold=True),
            Run(
                f"mã SHA-256 của tệp nhận được trùng với mục 6: {YES} {NO}; dấu vân tay khóa "
                f"hiện ra khi nhập gói trùng với mục 7: {YES} {NO}. Nếu có mục không đúng, "
                "không nhập gói "
                "và báo ngay cho bên giao. "
            ),
            Run("Phiếu lập thành 02 bản, mỗi bên giữ 01 bản./.", italic=True),
        )
    )
    sign_note = "(Ký, ghi rõ họ tên)"
    blank = "\n" * SIGN_SPACE_LINES

    def block(title: str, name: str) -> str:
        # the same number of lines in both cells, so the two "(Ký, ...)" lines are level
        return "\n".join((clean(title) or NBSP, sign_note)) + blank + clean(name)

    # One row: a row never splits, so the two signatures stay together on one page.
    signatures = Table(
        (Column("BÊN GIAO", 80, Align.CENTER), Column("BÊN NHẬN", 80, Align.CENTER)),
        ((block(d.signer_title, d.signer_name), block(d.receiver_title, "")),),
        font_size=13,
    )
    kind_line = clean(d.package_kind)
    summary = f"{kind_line[:1].upper()}{kind_line[1:]} - kỳ {clean(d.period)}"
    created = d.on or d.created_at.date()
    return Document(
        header=Header(
            issuing_body=body_lines,
            parent_body=parent,
            number="",
            symbol=f"PGN-{suffix}",
            place=clean(d.place) or _place(sender),
            date=d.on,
            draft_year=None if d.on else d.created_at.year,
            draft_month=None if d.on else d.created_at.month,
        ),
        title=Title("PHIẾU GIAO NHẬN DỮ LIỆU", (summary,)),
        body=(Paragraph.of(lead), table, check, signatures),
        signature=Signature(recipients=(), authority=(), name=""),
        ends_with_mark=False,  # "./." closes the note above the signatures
        subject=f"Phiếu giao nhận dữ liệu {clean(d.package_id)}",
        author=sender,
        created=created,
    )


def _place(name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
