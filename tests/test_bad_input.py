"""Bad input through the documented command line (issue 13, part 6): each is refused with
one Vietnamese sentence naming the line or the value, and the database is left as it was.
The same rules through the services and the window: test_scores_import.py,
test_evidence_service.py, test_ui_evidence.py."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.test_cli import Cli, new_cli
from tests.test_storage import dump


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A commune with the sample set and a 2025 self-assessment, nothing scored yet."""
    cli = new_cli(tmp_path)
    cli.ok("init", "--unit-code", "06172", "--sample")
    cli.ok("assessment", "new", "--period", "2025")
    return cli


def refused(cli: Cli, *args: str) -> str:
    """The command fails with one line on stderr, and no table changed."""
    assert cli.db is not None
    before = dump(cli.db)
    line = cli.fails(*args)
    assert dump(cli.db) == before
    return line


def _file(folder: Path, name: str, content: bytes = b"%PDF-1.4 ke hoach") -> str:
    path = folder / name
    path.write_bytes(content)
    return str(path)


def test_a_csv_row_wider_than_its_header(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "diem.csv"
    # "1,5" typed without quotes, the explanation left empty: 1 point and "5" as explanation
    path.write_text("code,declared,self_score,explanation\n1.1.1,Có,,\n2.4,,1,5,\n", "utf-8")
    assert refused(cli, "scores", "import", str(path)) == (
        "Dòng 3 có 5 cột nhưng dòng tiêu đề chỉ có 4: hãy đặt số có dấu phẩy thập phân trong "
        'ngoặc kép ("1,5") hoặc dùng dấu chấm phẩy để ngăn cách các cột.'
    )
    path.write_text(
        'code,declared,self_score,explanation,Ghi chú\n1.1.1,Có,,,\n2.4,,"1,5",,xem\n', "utf-8"
    )
    assert "Đã đọc 2 dòng" in cli.ok("scores", "import", str(path))  # named extra column: ignored


def test_node_lists_that_are_not_criterion_codes(cli: Cli, tmp_path: Path) -> None:
    doc = _file(tmp_path, "ke-hoach.pdf")
    assert refused(cli, "evidence", "add", doc, "--nodes", "1,1,1") == (
        "'1' là mã của cả một lĩnh vực, không phải một tiêu chí; hãy viết mã tiêu chí có dấu "
        "chấm, ví dụ 1.1.1, và ngăn cách các mã bằng dấu phẩy."
    )
    assert refused(cli, "evidence", "add", doc, "--nodes", "1.1.1;1.1.2") == (
        "Bộ tiêu chí này không có tiêu chí '1.1.1;1.1.2'; hãy viết mã tiêu chí có dấu chấm, ví "
        "dụ 1.1.1, và ngăn cách các mã bằng dấu phẩy."
    )
    out = cli.ok("evidence", "add", doc, "--nodes", "1.1.1, 1.1.1,1.2")
    assert out.strip().endswith("gắn với tiêu chí: 1.1.1, 1.2")


def test_an_empty_evidence_file(cli: Cli, tmp_path: Path) -> None:
    empty = _file(tmp_path, "quyet-dinh.pdf", b"")
    assert refused(cli, "evidence", "add", empty, "--nodes", "1.1.1") == (
        "Tệp quyet-dinh.pdf không có nội dung (0 byte); hãy chọn đúng tệp văn bản."
    )


def test_evidence_dates(cli: Cli, tmp_path: Path) -> None:
    doc = _file(tmp_path, "ke-hoach.pdf")
    assert refused(cli, "evidence", "add", doc, "--date", "08/01/2099") == (
        "Ngày văn bản 08/01/2099 muộn hơn hôm nay; hãy kiểm tra lại ngày, tháng, năm."
    )
    assert refused(cli, "evidence", "add", doc, "--date", "31/12/1944") == (
        "Ngày văn bản 31/12/1944 trước năm 1945; hãy kiểm tra lại năm."
    )
    # A plan made in December for the year assessed: kept, with a warning on stderr.
    rc, out, err = cli("evidence", "add", doc, "--nodes", "1.1.1", "--date", "20/12/2024")
    assert rc == 0 and out.startswith("Đã lưu ")
    assert err.strip() == (
        "Ngày văn bản 20/12/2024 không thuộc năm 2025 (năm được đánh giá); ngày này vẫn được "
        "lưu, nhưng hãy kiểm tra nếu gõ nhầm năm."
    )
    assert "ngày 20/12/2024" in cli.ok("evidence", "list")


def test_re_adding_a_stored_file(cli: Cli, tmp_path: Path) -> None:
    assert cli.db is not None
    doc = _file(tmp_path, "ke-hoach.pdf")
    details = [
        "--title",
        "Kế hoạch CCHC năm 2025",
        "--number",
        "05/KH-UBND",
        "--date",
        "08/01/2025",
    ]
    cli.ok("evidence", "add", doc, "--nodes", "1.1.1", *details)
    assert refused(cli, "evidence", "add", doc, "--title", "Kế hoạch khác") == (
        "Tệp ke-hoach.pdf đã được lưu với trích yếu “Kế hoạch CCHC năm 2025”; thêm lại sẽ thay "
        "đổi trích yếu “Kế hoạch CCHC năm 2025” → “Kế hoạch khác”; nếu đúng là muốn thay đổi, "
        "hãy xác nhận. Thêm --update để thực hiện thay đổi này."
    )
    before = dump(cli.db)
    out = cli.ok("evidence", "add", doc, "--nodes", "1.1.1", *details)
    sha = hashlib.sha256(Path(doc).read_bytes()).hexdigest()[:12]
    assert out.strip() == (
        f"Kế hoạch CCHC năm 2025 số 05/KH-UBND ngày 08/01/2025 ({sha}) đã có sẵn với đúng các "
        "thông tin và tiêu chí này; không có gì thay đổi."
    )
    assert dump(cli.db) == before
    out = cli.ok("evidence", "add", doc, "--title", "Kế hoạch khác", "--update")
    assert out.startswith("Đã cập nhật Kế hoạch khác số 05/KH-UBND ngày 08/01/2025 (")
    assert "trích yếu “Kế hoạch CCHC năm 2025” → “Kế hoạch khác”; gắn với tiêu chí: 1.1.1" in out
    assert "Kế hoạch khác số 05/KH-UBND" in cli.ok("evidence", "list")
