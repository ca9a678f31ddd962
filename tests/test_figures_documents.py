"""Issue 13: every printed figure agrees, on data that is not the demo's, through the real
command line and the real PDFs.

The first-year walk-through of docs/cli.md on a fresh database with the demo's files, once
with a typed index-only result and once with a result file whose published area points
differ from the criterion sums (an area whose named shortcomings cover only part of its
loss, a survey area known only in total, and a 0,01 rounding gap in the decision's total).
The PDF's score table is read back and every row and total is added up as a reader would.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from tests.test_cli import Cli, run

D = Decimal
NUMBER = re.compile(r"^-?\+?\d+(?:,\d+)?$")


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The files the demo gives a clerk (the sample set's scores CSV, a result file)."""
    folder = tmp_path_factory.mktemp("demo")
    rc, out, err = run(None, "demo", str(folder / "office"), data_dir=folder / "data", timeout=300)
    assert rc == 0, err
    return {
        k: Path(v) for k, v in (line.split("\t", 1) for line in out.splitlines() if "\t" in line)
    }


def first_year(tmp_path: Path, files: dict[str, Path]) -> Cli:
    """docs/cli.md "A first year, step by step", up to the published result."""
    cli = Cli(tmp_path / "office.sqlite3", tmp_path / "data")
    cli.ok("init", "--unit-code", "06172", "--sample")
    cli.ok("assessment", "new", "--period", "2025")
    cli.ok("scores", "import", str(files["scores-csv"]))
    cli.ok("assessment", "submit", "--allow-incomplete", "--reason", "Chưa đủ tài liệu kiểm chứng")
    return cli


def number(text: str) -> Decimal:
    return D(text.replace(",", ".").replace("+", ""))


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def score_table(path: Path) -> list[list[str]]:
    """The rows of the plan's score table (TT | Nội dung | tối đa | điểm | bị trừ)."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                head = " ".join(c or "" for c in table[0]).replace("\n", " ")
                if "Nội dung" in head and "Điểm bị" in head and "tối" in head:
                    return [[(c or "").replace("\n", " ") for c in row] for row in table]
    raise AssertionError("no score table in the plan")


def check_table_adds_up(rows: list[list[str]]) -> tuple[Decimal, Decimal, Decimal]:
    """Add the printed columns as a reader would; return the total row's figures."""
    body, total = rows[1:-1], rows[-1]
    assert total[1] == "Tổng cộng"
    points = maxima = lost = D(0)
    for tt, title, maximum, got, lost_cell in body:
        if not NUMBER.match(got):  # "Chưa có kết quả điều tra", "Không áp dụng"
            continue
        value = number(got)
        points += -value if title == "Điểm trừ" and value > 0 else value
        if tt:  # an area (bonus, penalty and difference lines have no number)
            maxima += number(maximum)
            lost += number(lost_cell)
            assert number(maximum) - value == number(lost_cell), (title, maximum, got, lost_cell)
    assert (points, maxima, lost) == (number(total[3]), number(total[2]), number(total[4]))
    return number(total[2]), number(total[3]), number(total[4])


def test_typed_index_only_result_prints_the_index_and_labels_the_rest(
    tmp_path: Path, demo_files: dict[str, Path]
) -> None:
    cli = first_year(tmp_path, demo_files)
    cli.ok(
        "result", "set", "--index", "86,5", "--rank", "8", "--rank-of", "17",
        "--decision-number", "70/QĐ-UBND", "--decision-date", "27/01/2026",
    )  # fmt: skip
    shown = cli.ok("assessment", "show", "--depth", "0")
    assert "86,50%" in shown and "Khá" in shown
    rc, out, err = cli("plan", "draft", "--lead", "Văn phòng - Thống kê")
    assert rc == 0, err
    # No survey item: the survey results are not known.
    assert "Tác động" not in out and "điều tra" not in out
    cli.ok("plan", "render", "--out", str(tmp_path / "plan.pdf"))
    text = pdf_text(tmp_path / "plan.pdf")
    flat = " ".join(text.split())
    # The decision's index and rank; never criterion points next to it in one sentence.
    assert "đạt Chỉ số cải cách hành chính 86,50%, xếp thứ 8/17" in flat
    assert "/100 điểm (86,50%)" not in flat and "/88 điểm (86,50%)" not in flat
    rows = score_table(tmp_path / "plan.pdf")
    assert rows[0][3] == "Điểm tự đánh giá"  # typed result: the rows are the unit's own scores
    survey = next(r for r in rows if r[1].startswith("Tác động"))
    assert survey[3] == "Chưa có kết quả điều tra" and survey[4] == ""
    check_table_adds_up(rows)
    assert "Quyết định công bố không nêu điểm từng lĩnh vực" in flat
    assert "chưa có kết quả điều tra xã hội học, chưa tính vào tổng điểm" in flat
    # The band follows the index when it changes (it was derived, not stated).
    cli.ok("result", "set", "--index", "95")
    assert "Tốt" in cli.ok("assessment", "show", "--depth", "0")
    cli.ok("result", "set", "--index", "86,5")
    assert "Khá" in cli.ok("assessment", "show", "--depth", "0")
    cli.ok("report", "self-assessment", "--out", str(tmp_path / "report.pdf"))
    report = " ".join(pdf_text(tmp_path / "report.pdf").split())
    assert "Tổng điểm tự đánh giá" in report


def test_published_areas_differing_from_the_criteria_print_the_decision(
    tmp_path: Path, demo_files: dict[str, Path]
) -> None:
    cli = first_year(tmp_path, demo_files)
    result = json.loads(demo_files["result-json"].read_text("utf-8"))
    result.pop("scores", None)  # the commune has only the decision's figures
    areas = {a["code"]: a for a in result["areas"]}
    areas["1"]["points"] = "13.25"  # lost 0,75; its criteria name 0,37 only
    areas["8"]["points"] = "10.5"  # survey area: known only in total
    areas["C"] = {"code": "C", "points": "1", "max": "2"}
    areas["T"] = {"code": "T", "points": "0", "max": "3"}
    result["areas"] = list(areas.values())
    main = sum((D(a["points"]) for a in result["areas"] if a["code"] not in "CT"), D(0))
    result["points"] = str(main + D(1) + D("0.01"))  # bonus 1, and the province rounded
    (tmp_path / "ket-qua.json").write_text(json.dumps(result, ensure_ascii=False), "utf-8")
    cli.ok("result", "import", str(tmp_path / "ket-qua.json"))

    rc, out, err = cli("plan", "draft")
    assert rc == 0, err
    assert "Nội dung khác bị trừ điểm (Trừ 0,38 điểm)" in out
    assert "Kết quả điều tra xã hội học (Trừ 1,50 điểm)" in out
    assert "Lĩnh vực 1: quyết định trừ 0,75 điểm nhưng các tiêu chí chỉ nêu 0,37 điểm" in err
    shown = cli.ok("assessment", "show", "--depth", "0")
    assert "Lĩnh vực 1: quyết định trừ 0,75 điểm" in shown

    cli.ok("plan", "render", "--out", str(tmp_path / "plan.pdf"))
    rows = score_table(tmp_path / "plan.pdf")
    assert rows[0][3] == "Điểm thẩm định"
    area1 = next(r for r in rows if r[0] == "1")
    assert area1[2:] == ["14", "13,25", "0,75"]  # the decision's, not the criteria's 13,63
    rounding = next(r for r in rows if r[1].startswith("Chênh lệch do làm tròn"))
    assert rounding[3] == "+0,01"
    maximum, points, _lost = check_table_adds_up(rows)
    assert points == D(result["points"]) and maximum == D(100)
    flat = " ".join(pdf_text(tmp_path / "plan.pdf").split())
    assert f"đạt {str(points).replace('.', ',')}/100 điểm (91,88%)" in flat
    assert "Kết quả: đạt 13,25/14 điểm, bị trừ 0,75 điểm." in flat


def test_bad_results_are_refused_and_change_nothing(
    tmp_path: Path, demo_files: dict[str, Path]
) -> None:
    cli = first_year(tmp_path, demo_files)
    cli.ok("result", "set", "--index", "86,5", "--rank", "8", "--rank-of", "17")
    before = cli.ok("assessment", "show")
    assert "cao nhất bộ tiêu chí này cho phép" in cli.fails("result", "set", "--index", "120")
    assert "vượt quá điểm tối đa" in cli.fails("result", "set", "--points", "101")
    assert "0 đến 14" in cli.fails("result", "set", "--area", "1=15")
    cli.fails("result", "set", "--rank", "18")
    assert cli.ok("assessment", "show") == before
