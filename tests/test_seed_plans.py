"""Issue 15: the four real plans in ../shared/seeds reproduced from data, through the
documented formats and commands, each with its office's wording.

Only structure and figures are compared (office kind, header, sections, tables, results);
the seeds' sentences are not copied: the plans print our own prose. Each office is made
with 'parapp init', a criteria set written here with the areas the seed reports (area
maxima as the seed gives them), self scores from a CSV, the published result typed with
'parapp result set' (and 'result index set' for the other indices), then 'plan draft',
'plan edit' / 'office set' and 'plan render'.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pdfplumber

from tests.test_cli import Cli, new_cli

# The eight reform areas of a PAR index (titles of our own, maxima of the seed's set).
AREAS = (
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    ("2", "Cải cách thể chế"),
    ("3", "Cải cách thủ tục hành chính"),
    ("4", "Cải cách tổ chức bộ máy hành chính"),
    ("5", "Cải cách chế độ công vụ"),
    ("6", "Cải cách tài chính công"),
    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số"),
    ("8", "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội"),
)


def criteria_set(path: Path, code: str, year: int, maxima: tuple[str, ...]) -> Path:
    """A set of eight areas, each with two criteria scored freely (half the area each)."""
    nodes = []
    for (area, title), maximum in zip(AREAS, maxima, strict=True):
        half = Decimal(maximum.replace(",", ".")) / 2
        nodes.append(
            {
                "code": area,
                "title": title,
                "max": maximum,
                "children": [
                    {
                        "code": f"{area}.{k}",
                        "title": f"Tiêu chí {area}.{k} của lĩnh vực {title.lower()}",
                        "max": str(half),
                        "rule": {"type": "free", "step": "0.005"},
                    }
                    for k in (1, 2)
                ],
            }
        )
    data = {
        "format": "parapp-criteria-set",
        "format_version": 1,
        "code": code,
        "name": f"Bộ tiêu chí thử nghiệm năm {year}",
        "index_kind": "PAR",
        "period": str(year),
        "version": 1,
        "status": "published",
        "issuer": "Bộ tiêu chí lập cho kiểm thử",
        "decision": "",
        "is_sample": False,
        "na_policy": "full",
        "bonus_may_exceed_max": False,
        "bands": [
            {"min_index": "90", "label": "Tốt", "group": "A"},
            {"min_index": "80", "label": "Khá", "group": "B"},
            {"min_index": "0", "label": "Trung bình", "group": "C"},
        ],
        "nodes": nodes,
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def scores(path: Path, maxima: tuple[str, ...], points: tuple[str, ...]) -> Path:
    """Self scores giving each area ``points``: the first criterion full, the rest lost on
    the second (so every area that lost points drafts one item)."""
    lines = ["Mã;Số liệu kê khai;Điểm tự chấm;Giải trình"]
    for (area, _title), maximum, got in zip(AREAS, maxima, points, strict=True):
        half = Decimal(maximum.replace(",", ".")) / 2
        second = Decimal(got.replace(",", ".")) - half
        lines.append(f"{area}.1;;{str(half).replace('.', ',')};")
        lines.append(f"{area}.2;;{str(second).replace('.', ',')};Chưa đạt tối đa")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def office(
    tmp: Path, *init: str, year: int, maxima: tuple[str, ...], points: tuple[str, ...]
) -> Cli:
    cli = new_cli(tmp)
    cli.ok("init", *init)
    cli.ok("criteria", "import", str(criteria_set(tmp / "set.json", f"SEED-{year}", year, maxima)))
    cli.ok("assessment", "new", "--period", str(year))
    cli.ok("scores", "import", str(scores(tmp / "scores.csv", maxima, points)))
    cli.ok("assessment", "submit", "--allow-incomplete", "--reason", "Bản thử nghiệm")
    return cli


def render(cli: Cli, tmp: Path, *args: str) -> str:
    """The plan's PDF text on one line (kept as plan.txt beside it)."""
    out = tmp / "plan.pdf"
    cli.ok("plan", "render", "--out", str(out), *args)
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    (tmp / "plan.txt").write_text(text, encoding="utf-8")
    return re.sub(r"\s+", " ", text)


def in_order(text: str, *parts: str) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found after position {at}"
        at = found + len(part)


# -- seed 000: a district's plan answering its 2023 PAR result (history) ------------------
MAXIMA_000 = ("16,5", "7", "29", "8", "14", "7", "14,5", "4")
POINTS_000 = ("15,99", "6,18", "26,69", "7,53", "11,76", "5,87", "8,63", "2,31")
RANKS_000 = (8, 9, 6, 10, 10, 7, 8, 8)
POINTS_2022 = ("16,13", "5,27", "25,21", "7,63", "11,38", "6,07", "7,86", "3,05")  # 82,60


def test_seed_000_district_plan(tmp_path: Path) -> None:
    cli = office(
        tmp_path,
        "--unit-code", "871", "--unit-name", "Huyện Lấp Vò", "--kind", "district",
        "--province", "Tỉnh Đồng Tháp", "--appraiser-name", "Sở Nội vụ tỉnh Đồng Tháp",
        year=2023, maxima=MAXIMA_000, points=POINTS_000,
    )  # fmt: skip
    areas = [
        f"{code}={points}:{rank}"
        for (code, _t), points, rank in zip(AREAS, POINTS_000, RANKS_000, strict=True)
    ]
    # The year before, for the history the plan compares with (figures of our own).
    cli.ok("criteria", "import", str(criteria_set(tmp_path / "set22.json", "SEED-2022", 2022,
                                                  MAXIMA_000)))  # fmt: skip
    cli.ok("assessment", "new", "--period", "2022", "--set", "SEED-2022")
    cli.ok("scores", "import", "--period", "2022",
           str(scores(tmp_path / "scores22.csv", MAXIMA_000, POINTS_2022)))  # fmt: skip
    cli.ok("assessment", "submit", "--period", "2022", "--allow-incomplete", "--reason", "Cũ")
    cli.ok("result", "set", "--period", "2022", "--index", "82,6", "--points", "82,6",
           "--max-points", "100", "--rank", "9")  # fmt: skip
    cli.ok(
        "result", "set", "--period", "2023", "--index", "84,96", "--points", "84,96",
        "--max-points", "100", "--rank", "8", "--decision-number", "97/QĐ-UBND-HC",
        "--decision-date", "31/01/2024", "--issuer", "UBND tỉnh Đồng Tháp",
        *[x for a in areas for x in ("--area", a)],
    )  # fmt: skip
    cli.ok("plan", "draft")
    cli.ok("plan", "edit", "--signer-mode", "Q", "--signer-body", "ỦY BAN NHÂN DÂN",
           "--signer-head", "CHỦ TỊCH", "--signer-name", "Trần Thị Lan")  # fmt: skip
    text = render(cli, tmp_path, "--appendix")
    in_order(
        text,
        "ỦY BAN NHÂN DÂN", "HUYỆN LẤP VÒ", "/KH-UBND", "Lấp Vò, ngày",
        "KẾ HOẠCH",
        "Quyết định số 97/QĐ-UBND-HC ngày 31/01/2024 của UBND tỉnh Đồng Tháp",
        "huyện Lấp Vò đạt 84,96/100 điểm (84,96%), xếp thứ 8",
        "Ủy ban nhân dân huyện xây dựng Kế hoạch",
        "I. MỤC ĐÍCH, YÊU CẦU", "II. KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC",
        "1. Kết quả đánh giá",
        "tăng 2,36 điểm phần trăm so với năm 2022 (từ 82,60% lên 84,96%)",
        "Tổng cộng 100 84,96 15,04",
        "2. Nội dung khắc phục", "2.1. Công tác chỉ đạo", "đạt 15,99/16,5 điểm",
        "xếp thứ 8", "giảm 0,14 điểm so với năm 2022", "2.2. Cải cách thể chế",
        "tăng 0,91 điểm so với năm 2022", "2.8. Tác động", "đạt 2,31/4 điểm",
        "giảm 0,74 điểm so với năm 2022",
        "III. GIẢI PHÁP THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN", "Phòng Nội vụ",
        "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH", "Trần Thị Lan", "Phụ lục",
    )  # fmt: skip
    assert "- TT Huyện ủy, TT HĐND huyện;" in text and "- Các phòng, ban chuyên môn;" in text
    for row in ("Cải cách thủ tục hành chính 29 26,69 2,31", "14,5 8,63 5,87"):
        assert row in text, row
    assert "cấp xã" not in text and "Đảng ủy" not in text


# -- seed 002: a commune's plan on an index-only result of 2022 ----------------------------
MAXIMA_STD = ("12", "6", "14", "7", "13", "9", "17", "22")  # a commune set of 100 points
POINTS_002 = ("11,25", "6", "13", "6,5", "12", "8,5", "13,75", "15,5")


def test_seed_002_commune_plan(tmp_path: Path) -> None:
    cli = office(
        tmp_path,
        "--unit-code", "06280", "--unit-name", "Xã Hoàng Việt", "--kind", "commune",
        "--province", "Tỉnh Lạng Sơn", "--appraiser-name", "UBND huyện Văn Lãng",
        year=2022, maxima=MAXIMA_STD, points=POINTS_002,
    )  # fmt: skip
    cli.ok(
        "result", "set", "--period", "2022", "--index", "86,5", "--rank", "8", "--rank-of",
        "17", "--decision-number", "70/QĐ-UBND", "--decision-date", "27/01/2023",
        "--issuer", "UBND huyện Văn Lãng",
    )  # fmt: skip
    cli.ok("plan", "draft", "--maintain")
    cli.ok("plan", "edit", "--signer-name", "Nguyễn Văn An")
    text = render(cli, tmp_path)
    in_order(
        text,
        "ỦY BAN NHÂN DÂN", "XÃ HOÀNG VIỆT", "/KH-UBND", "Hoàng Việt, ngày", "KẾ HOẠCH",
        "Quyết định số 70/QĐ-UBND ngày 27/01/2023 của UBND huyện Văn Lãng",
        "xã Hoàng Việt đạt Chỉ số cải cách hành chính 86,50%, xếp thứ 8/17 đơn vị cấp xã",
        "Ủy ban nhân dân xã xây dựng Kế hoạch",
        "I. MỤC ĐÍCH, YÊU CẦU", "II. KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC",
        "III. GIẢI PHÁP THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN",
        "công chức Văn phòng - Thống kê",
        "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An",
    )  # fmt: skip
    assert "- TT Đảng ủy, TT HĐND xã;" in text and "- UBND huyện Văn Lãng;" in text
    assert "Tiếp tục duy trì" in text or "tiếp tục duy trì" in text


# -- seed 003: a ward's plan covering PAR, SIPAS, PAPI, DTI and Dân vận -------------------
POINTS_003 = ("11,5", "5,5", "12,75", "7", "12,5", "8,75", "15", "18")


def test_seed_003_ward_plan_with_several_indices(tmp_path: Path) -> None:
    cli = office(
        tmp_path,
        "--unit-code", "12160", "--unit-name", "Phường Dị Sử", "--kind", "ward",
        "--province", "Tỉnh Hưng Yên", "--appraiser-name", "Sở Nội vụ tỉnh Hưng Yên",
        year=2023, maxima=MAXIMA_STD, points=POINTS_003,
    )  # fmt: skip
    cli.ok("result", "set", "--period", "2023", "--index", "91", "--rank", "5", "--rank-of",
           "17", "--decision-number", "45/QĐ-SNV", "--decision-date", "20/02/2024",
           "--issuer", "Sở Nội vụ tỉnh Hưng Yên")  # fmt: skip
    others = {
        "SIPAS": ("88,42", "6", "51/QĐ-SNV"),
        "PAPI": ("41,20", "9", "52/QĐ-SNV"),
        "DTI": ("62", "11", "53/QĐ-SNV"),
        "DAN_VAN": ("90,5", "4", "54/QĐ-SNV"),
    }
    for kind, (value, rank, number) in others.items():
        cli.ok("result", "index", "set", "--kind", kind, "--year", "2023", "--value", value,
               "--rank", rank, "--rank-of", "17", "--decision-number", number,
               "--decision-date", "22/02/2024", "--issuer", "Sở Nội vụ tỉnh Hưng Yên")  # fmt: skip
    # DTI is published as points out of its own maximum: the plan says so.
    cli.ok("result", "index", "set", "--kind", "DTI", "--year", "2023", "--points", "620",
           "--max-points", "1000")  # fmt: skip
    listed = cli.ok("result", "index", "list", "--year", "2023")
    assert [line.split("\t")[1] for line in listed.splitlines()] == list(others)
    cli.ok("plan", "draft")
    cli.ok("plan", "item", "add", "--index", "SIPAS", "--shortcoming",
           "Mức độ hài lòng về tiếp cận dịch vụ còn thấp", "--task",
           "Bố trí người hướng dẫn tại Bộ phận Một cửa", "--lead", "Bộ phận Một cửa",
           "--deadline", "quý II/2024")  # fmt: skip
    cli.ok("plan", "item", "add", "--index", "PAPI", "--shortcoming",
           "Người dân chưa biết đến việc công khai thu chi ngân sách", "--task",
           "Niêm yết công khai tại nhà văn hóa các tổ dân phố",
           "--lead", "Công chức Tài chính - Kế toán",
           "--deadline", "trong năm 2024")  # fmt: skip
    cli.ok("office", "set", "--signer-authority", "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH",
           "--signer-title", "PHÓ CHỦ TỊCH")  # fmt: skip
    cli.ok("plan", "edit", "--signer-mode", "KT", "--signer-body", "ỦY BAN NHÂN DÂN",
           "--signer-head", "CHỦ TỊCH", "--signer-position", "PHÓ CHỦ TỊCH")  # fmt: skip
    text = render(cli, tmp_path, "--appendix")
    in_order(
        text,
        "ỦY BAN NHÂN DÂN", "PHƯỜNG DỊ SỬ", "Số: /KH-UBND", "Dị Sử, ngày",
        "Chỉ số cải cách hành chính và các chỉ số khác năm 2023",
        "Quyết định số 51/QĐ-SNV", "(SIPAS) năm 2023", "Quyết định số 54/QĐ-SNV",
        "Ủy ban nhân dân phường xây dựng Kế hoạch",
        "Phần I", "MỤC ĐÍCH, YÊU CẦU", "Phần II", "KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC",
        "I. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX)", "1. Kết quả đánh giá", "Tổng cộng",
        "(SIPAS)", "đạt 88,42%, xếp thứ 6/17 đơn vị cấp xã",
        "Tồn tại: Mức độ hài lòng về tiếp cận dịch vụ còn thấp",
        "(PAPI)", "đạt 41,20%, xếp thứ 9/17",
        "Tồn tại: Người dân chưa biết đến việc công khai thu chi ngân sách",
        "(DTI)", "đạt 620,00/1000 điểm, xếp thứ 11/17", "DÂN VẬN CHÍNH QUYỀN", "xếp thứ 4/17",
        "Phần III", "GIẢI PHÁP VÀ TỔ CHỨC THỰC HIỆN",
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phụ lục",
        "THEO KẾT QUẢ CÁC CHỈ SỐ NĂM 2023",
    )  # fmt: skip


# -- seed 004: the province's annual reform plan for 2023 ----------------------------------
def test_seed_004_province_annual_plan(tmp_path: Path) -> None:
    cli = new_cli(tmp_path)
    cli.ok("init", "--unit-code", "87", "--unit-name", "Tỉnh Đồng Tháp", "--kind", "province",
           "--appraiser-name", "Bộ Nội vụ")  # fmt: skip
    maxima = MAXIMA_STD
    cli.ok(
        "criteria", "import", str(criteria_set(tmp_path / "set.json", "SEED-2023", 2023, maxima))
    )
    cli.ok("plan", "draft", "--annual", "2023")
    cli.ok("plan", "edit", "--annual", "--signer-name", "Lê Minh Hoàng")
    text = render(cli, tmp_path, "--annual")
    in_order(
        text,
        "ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP", "/KH-UBND", "Đồng Tháp, ngày", "KẾ HOẠCH",
        "Cải cách hành chính năm 2023", "Nghị quyết số 76/NQ-CP",
        "Ủy ban nhân dân tỉnh xây dựng Kế hoạch cải cách hành chính năm 2023",
        "I. MỤC ĐÍCH, YÊU CẦU", "II.", "III.", "(Phụ lục kèm theo)", "IV. TỔ CHỨC THỰC HIỆN",
        "Sở Nội vụ", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Minh Hoàng",
        "Phụ lục", "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2023",
    )  # fmt: skip
    assert "cấp xã" not in text and "Đảng ủy" not in text
    assert "- Bộ Nội vụ;" in text and "- TT Tỉnh ủy, TT HĐND tỉnh;" in text
    assert "tỉnh Tỉnh" not in text and "bộ phận" not in text
