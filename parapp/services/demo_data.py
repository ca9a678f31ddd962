"""The demo office's made-up facts: who it is, where it lost points each year, its
explanations, evidence, the appraiser's changes and survey scores, and the published
decisions. :mod:`parapp.services.demo` builds the databases from them."""

from __future__ import annotations

from datetime import date
from typing import Any

from parapp.domain.remediation import Signer, SignMode
from parapp.domain.units import Unit, UnitKind

UNIT = Unit(
    code="06172",
    name="Xã Hoàng Văn Thụ",
    kind=UnitKind.COMMUNE,
    appraiser_code="20",
    appraiser_name="Sở Nội vụ tỉnh Lạng Sơn",
    province_name="Tỉnh Lạng Sơn",
)

# Where the commune lost points, by year: ("ratio", n, d) / ("tier", i) / ("count", n) /
# ("answer", "no"|"na") / ("typed", "1.5"). Everything else is at full marks.
SELF_LOSSES: dict[int, dict[str, tuple[str | int, ...]]] = {
    2024: {
        "1.2": ("count", 1),
        "1.3.2": ("ratio", 8, 10),
        "1.4.2": ("tier", 1),
        "1.5": ("tier", 1),
        "2.2.3": ("ratio", 3, 4),
        "3.3.2": ("ratio", 41, 100),
        "3.4.1": ("ratio", 1183, 1204),
        "3.4.2": ("ratio", 15, 21),
        "5.3.2": ("ratio", 8, 10),
        "6.2.3": ("tier", 1),
        "7.1.2": ("ratio", 912, 1000),
        "7.2.1": ("ratio", 38, 100),
        "7.3": ("ratio", 61, 100),
        "7.4": ("tier", 1),
        "3.1.2": ("ratio", 0, 0),
    },
    2025: {
        "1.4.2": ("tier", 1),
        "3.3.2": ("ratio", 47, 100),
        "3.4.1": ("ratio", 1301, 1310),
        "5.3.2": ("ratio", 9, 10),
        "7.2.1": ("ratio", 52, 100),
        "7.3": ("ratio", 86, 100),
        "2.4": ("typed", "1.75"),
        "C.1": ("answer", "yes"),
    },
}

EXPLANATIONS = {
    "3.4.1": "Một số hồ sơ đất đai quá hạn do phải xác minh nguồn gốc đất.",
    "3.4.2": "Chưa gửi thư xin lỗi đối với 06 hồ sơ trễ hạn.",
    "7.2.1": "Người dân ở các thôn vùng cao còn hạn chế sử dụng dịch vụ công trực tuyến.",
    "3.1.2": "Trong năm không phát sinh nhiệm vụ rà soát theo kế hoạch của cấp trên.",
    # No document of its own: explained instead (the pre-submission check accepts either).
    "1.3.3": "Các tồn tại phát hiện qua kiểm tra đã được chấn chỉnh ngay, ghi trong biên bản "
    "kiểm tra; chưa lập báo cáo riêng.",
}

# The appraiser's changes: code -> (appraised score, comment).
APPRAISALS: dict[int, dict[str, tuple[str, str]]] = {
    2024: {
        "1.6.2": ("0.25", "Chưa có văn bản trả lời kiến nghị sau đối thoại."),
        "5.5": ("1.5", "Hồ sơ tuyển dụng chưa đầy đủ theo quy định."),
        "7.2.2": ("0.5", "Chưa có tài liệu kiểm chứng về hỗ trợ người dân."),
        "1.3.3": ("0", "Chưa có báo cáo kết quả xử lý sau kiểm tra."),
    },
    2025: {
        "7.2.2": ("0.75", "Tài liệu kiểm chứng chưa thể hiện số lượt hỗ trợ."),
    },
}

SURVEY: dict[int, dict[str, str]] = {
    2024: {"8.1": "3.25", "8.2": "2.5", "8.3": "1.5", "8.4": "2.5"},
    2025: {"8.1": "3.5", "8.2": "2.75", "8.3": "1.75", "8.4": "2.5"},
}

SIGNER = Signer(
    mode=SignMode.KT,
    body="ỦY BAN NHÂN DÂN",
    head_title="CHỦ TỊCH",
    position="PHÓ CHỦ TỊCH",
    name="Nông Thị Hạnh",
)  # a made-up name

# The published figures' other fields (PublishedResult's keyword arguments)
PUBLISHED: dict[int, dict[str, Any]] = {
    2024: dict(
        rank=8,
        rank_of=17,
        decision_number="70/QĐ-UBND",
        decision_date=date(2025, 1, 27),
        issuer="UBND huyện Văn Lãng",
    ),
    2025: dict(
        rank=12,
        rank_of=65,
        decision_number="215/QĐ-SNV",
        decision_date=date(2026, 2, 10),
        issuer="Sở Nội vụ tỉnh Lạng Sơn",
    ),
}

EVIDENCE = [
    ("Kế hoạch cải cách hành chính năm {y}", "05/KH-UBND", (1, 8), ["1.1.1", "1.1.2"]),
    ("Báo cáo kết quả thực hiện CCHC năm {y}", "210/BC-UBND", (12, 10), ["1.2", "1.1.2"]),
    ("Kế hoạch kiểm tra công tác CCHC năm {y}", "12/KH-UBND", (1, 20), ["1.3.1", "1.3.2"]),
    ("Kế hoạch tuyên truyền CCHC năm {y}", "15/KH-UBND", (1, 25), ["1.4.1", "1.4.2"]),
    (
        "Biên bản đối thoại của Chủ tịch UBND xã với Nhân dân",
        "02/BB-UBND",
        (6, 14),
        ["1.6.1", "1.6.2"],
    ),
    (
        "Quyết định công bố danh mục văn bản hết hiệu lực",
        "45/QĐ-UBND",
        (3, 2),
        ["2.2.1", "2.2.2", "2.2.3"],
    ),
    (
        "Báo cáo kết quả giải quyết TTHC năm {y}",
        "198/BC-UBND",
        (12, 5),
        ["3.4.1", "3.4.2", "3.4.3", "3.6"],
    ),
    ("Quyết định ban hành Quy chế làm việc của UBND xã", "20/QĐ-UBND", (2, 1), ["4.1"]),
    (
        "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm {y}",
        "18/KH-UBND",
        (2, 15),
        ["5.3.1", "5.3.2"],
    ),
    (
        "Báo cáo số hóa hồ sơ, kết quả giải quyết TTHC",
        "176/BC-UBND",
        (11, 20),
        ["7.3", "7.2.3", "7.5"],
    ),
    (
        "Kế hoạch rà soát, đánh giá thủ tục hành chính năm {y}",
        "09/KH-UBND",
        (1, 15),
        ["3.1.1", "3.1.2", "3.1.3"],
    ),
    (
        "Báo cáo công khai thủ tục hành chính tại Bộ phận Một cửa",
        "61/BC-UBND",
        (4, 2),
        ["3.2.1", "3.2.2", "3.3.1", "3.3.2", "3.3.3", "3.5"],
    ),
    (
        "Kế hoạch theo dõi thi hành pháp luật năm {y}",
        "11/KH-UBND",
        (1, 18),
        ["2.1.1", "2.1.2", "2.3", "2.4"],
    ),
    (
        "Quyết định phê duyệt danh mục vị trí việc làm",
        "33/QĐ-UBND",
        (3, 20),
        ["5.1.1", "5.1.2", "5.2", "5.4", "5.5", "4.2", "4.3", "4.4"],
    ),
    (
        "Quy chế chi tiêu nội bộ năm {y}",
        "03/QĐ-UBND",
        (1, 10),
        ["6.1", "6.2.1", "6.2.2", "6.2.3", "6.3", "6.4", "6.5"],
    ),
    (
        "Báo cáo ứng dụng công nghệ thông tin, chuyển đổi số năm {y}",
        "201/BC-UBND",
        (12, 1),
        ["7.1.1", "7.1.2", "7.1.3", "7.2.1", "7.2.2", "7.4"],
    ),
    ("Báo cáo kết quả thực hiện nhiệm vụ cấp trên giao", "205/BC-UBND", (12, 8), ["1.5", "1.7"]),
]
