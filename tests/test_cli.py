"""The ``parapp`` command line, run as a real subprocess, against a hand-made criteria set.

tests/data/handmade-set.json (set TEST-XA-2025, na_policy "full", 3 areas = 6,5 + 8 + 5,5 = 20)
and tests/data/handmade-scores.csv were written by hand. Expected figures, computed by hand:

Area 1 (max 6,5):
  1.1    yes_no "Có"                                    = 1
  1.2.1  tiers "Hoàn thành tốt" = 75% x 0,5             = 0,375
  1.2.2  free, step 0,25, typed 1,75                    = 1,75
  1.3    deduction 0,5 per item, 1 late report: 3 - 0,5 = 2,5
  area 1 = 1 + 0,375 + 1,75 + 2,5 = 5,625  -> "5,63" (half up); lost 6,5 - 5,63 = "0,87"
  criterion 1.2 = 0,375 + 1,75 = 2,125 -> "2,13"; lost 2,5 - 2,13 = "0,37"
  (lost is the maximum minus the points as printed, so every printed row adds up)
Area 2 (max 8):
  2.1    ratio 97/100 = 97% (>= 95, < 100) -> 50% x 3   = 1,5
  2.2.1  yes_no "Có"                                    = 1,5
  2.2.2  ratio 41/100 = 41% (>= 30, < 50) -> 50% x 1,5  = 0,75
  2.3    yes_no allow_na "Không áp dụng", policy full   = 2 (its maximum)
  area 2 = 1,5 + 1,5 + 0,75 + 2 = 5,75 -> "5,75"; lost 8 - 5,75 = 2,25
Area 3 (max 5,5):
  3.1    tiers "Hoàn thành" = 50% x 2,5                 = 1,25
  3.2    deduction 0,25 per item, first free, 3 items: 3 - 0,25 x (3 - 1) = 2,5
  area 3 = 1,25 + 2,5 = 3,75 -> "3,75"; lost 5,5 - 3,75 = 1,75
Total = the printed rows 5,63 + 5,75 + 3,75 = "15,13" (half up; half even would print 5,62
        and 15,12)
Index = 15,13 / 20 x 100 = "75,65" (of the printed total, so the sentence "15,13/20 điểm
        (75,65%)" checks out)
Lost  = 0,87 + 2,25 + 1,75 = "4,87"
Plan items (criteria below an area that lost points): 1.2 0,37; 1.3 0,50; 2.1 1,50; 2.2 0,75;
3.1 1,25; 3.2 0,50 (1.1, 2.3 lost nothing) = 6 items.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SET_FILE = DATA / "handmade-set.json"
SCORES_FILE = DATA / "handmade-scores.csv"
UNIT_NAME = "Xã Hoàng Văn Thụ"
HEADER = "Mã;Số liệu kê khai;Điểm tự chấm;Giải trình"
NUMBER = re.compile(r"^\d+(?:,\d+)?$")

# code -> (max, self, lost) as the tree prints them
EXPECTED_ROWS = {
    "1": ("6,5", "5,63", "0,87"),
    "1.1": ("1", "1,00", "0,00"),
    "1.2": ("2,5", "2,13", "0,37"),
    "1.2.1": ("0,5", "0,38", "0,12"),
    "1.2.2": ("2", "1,75", "0,25"),
    "1.3": ("3", "2,50", "0,50"),
    "2": ("8", "5,75", "2,25"),
    "2.1": ("3", "1,50", "1,50"),
    "2.2": ("3", "2,25", "0,75"),
    "2.2.2": ("1,5", "0,75", "0,75"),
    "2.3": ("2", "2,00", "0,00"),
    "3": ("5,5", "3,75", "1,75"),
    "3.1": ("2,5", "1,25", "1,25"),
    "3.2": ("3", "2,50", "0,50"),
}
EXPECTED_PLAN = [
    "Thực hiện kế hoạch CCHC (Trừ 0,37 điểm)",
    "Báo cáo CCHC định kỳ đúng hạn (Trừ 0,50 điểm)",
    "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn (Trừ 1,50 điểm)",
    "Công khai, tiếp nhận hồ sơ TTHC (Trừ 0,75 điểm)",
    "Sử dụng hệ thống quản lý văn bản và điều hành (Trừ 1,25 điểm)",
    "Cập nhật dữ liệu lên Cổng dịch vụ công đúng hạn (Trừ 0,50 điểm)",
]
OVERDUE_MARKS = ("[QUÁ HẠN]", "[OVERDUE]")

# The sample scores file has no evidence: submitted as it is, with the reason it travels with.
INCOMPLETE = "Chưa đủ tài liệu kiểm chứng"


def run(db: Path | None, *args: str, data_dir: Path, timeout: float = 60) -> tuple[int, str, str]:
    """Run ``parapp [--db DB] ARGS`` in a fresh process; (returncode, stdout, stderr)."""
    env = dict(os.environ)
    env["PARAPP_LANG"] = "vi"
    env["PARAPP_DATA_DIR"] = str(data_dir)
    cmd = [sys.executable, "-m", "ui.launcher"]
    if db is not None:
        cmd += ["--db", str(db)]
    cmd += list(args)
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
    return proc.returncode, proc.stdout, proc.stderr


class Cli:
    """``run`` bound to one database and data folder, with the usual checks."""

    def __init__(self, db: Path | None, data_dir: Path) -> None:
        self.db = db
        self.data_dir = data_dir

    def __call__(self, *args: str) -> tuple[int, str, str]:
        return run(self.db, *args, data_dir=self.data_dir)

    def ok(self, *args: str) -> str:
        rc, out, err = self(*args)
        assert rc == 0, f"parapp {' '.join(args)} -> {rc}\nstdout:\n{out}\nstderr:\n{err}"
        assert "Traceback" not in out + err
        return out

    def fails(self, *args: str) -> str:
        """The command must fail cleanly: non-zero, one non-empty line on stderr, no trace."""
        rc, out, err = self(*args)
        assert rc != 0, f"parapp {' '.join(args)} succeeded:\n{out}"
        assert rc != 70, f"parapp {' '.join(args)} crashed (unexpected error):\n{err}"
        assert "Traceback" not in out + err
        lines = err.strip("\n").splitlines()
        assert len(lines) == 1 and lines[0].strip(), f"stderr is not one line:\n{err!r}"
        return lines[0]


def tree_row(out: str, code: str) -> str:
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == code:
            return line
    raise AssertionError(f"no row for {code} in:\n{out}")


def figures(line: str) -> list[str]:
    """The numbers of a tree row (the code is not one of them)."""
    return [t for t in line.split()[1:] if NUMBER.match(t)]


def new_cli(tmp: Path) -> Cli:
    return Cli(tmp / "office" / "parapp.sqlite3", tmp / "data")


def prepared(tmp: Path) -> Cli:
    """init + the hand-made set + a 2025 assessment, no scores yet."""
    cli = new_cli(tmp)
    cli.ok("init", "--unit-code", "06172")
    cli.ok("criteria", "import", str(SET_FILE))
    cli.ok("assessment", "new", "--period", "2025")
    return cli


# -- the whole hand-made flow ------------------------------------------------------------------
def test_handmade_flow(tmp_path: Path) -> None:
    cli = new_cli(tmp_path)

    out = cli.ok("init", "--unit-code", "06172")
    assert UNIT_NAME in out

    out = cli.ok("criteria", "import", str(SET_FILE))
    assert "TEST-XA-2025" in out
    out = cli.ok("criteria", "list")
    lines = out.strip().splitlines()
    assert lines[0].split("\t") == ["Mã", "Phiên bản", "Chỉ số", "Kỳ", "Tiêu chí", "Tên"]
    assert len(lines) == 2
    code, version, kind, period, nodes, name = lines[1].split("\t")
    assert (code, version, kind, period, nodes) == ("TEST-XA-2025", "v1", "PAR", "2025", "15")
    assert name == "Bộ tiêu chí thử nghiệm Chỉ số CCHC cấp xã năm 2025"

    cli.ok("assessment", "new", "--period", "2025")
    out = cli.ok("scores", "import", str(SCORES_FILE))
    assert "10" in out  # ten rows read

    out = cli.ok("assessment", "show")
    assert UNIT_NAME in out
    for code, (max_text, self_text, lost_text) in EXPECTED_ROWS.items():
        nums = figures(tree_row(out, code))
        assert nums[0] == max_text, (code, nums)
        assert nums[1] == self_text, (code, nums)
        assert nums[-1] == lost_text, (code, nums)
    assert "15,13/20" in out
    assert "75,65%" in out
    assert "4,87" in out
    assert "75,62" not in out and "75.6" not in out

    doc = tmp_path / "ke-hoach-cchc.txt"
    doc.write_text("UBND XÃ HOÀNG VĂN THỤ\nSố: 12/KH-UBND\nKế hoạch CCHC năm 2025\n", "utf-8")
    out = cli.ok(
        "evidence", "add", str(doc),
        "--nodes", "1.1,1.2",
        "--title", "Kế hoạch CCHC",
        "--number", "12/KH-UBND",
        "--date", "10/01/2025",
    )  # fmt: skip
    assert "12/KH-UBND" in out
    out = cli.ok("evidence", "list")
    lines = out.strip().splitlines()
    assert len(lines) == 2  # the header, then the document
    assert "Kế hoạch CCHC số 12/KH-UBND ngày 10/01/2025" in lines[1]
    assert lines[1].endswith("1.1, 1.2")

    cli.ok("assessment", "submit", "--allow-incomplete", "--reason", INCOMPLETE)
    out = cli.ok(
        "result", "set",
        "--index", "86,5",
        "--rank", "8",
        "--rank-of", "17",
        "--decision-number", "70/QĐ-UBND",
        "--decision-date", "27/01/2026",
        "--issuer", "Sở Nội vụ tỉnh Lạng Sơn",
    )  # fmt: skip
    assert "86,50%" in out
    out = cli.ok("assessment", "show")
    assert "8/17" in out
    assert "86,50%" in out
    assert "70/QĐ-UBND" in out
    assert "Khá" in out  # the set's band for 80 <= index < 90
    # The criterion scores are still shown, labelled, beside the published index.
    assert "15,13/20" in out

    out = cli.ok("plan", "draft")
    items = [ln for ln in out.splitlines() if ln.startswith("- ")]
    assert len(items) == len(EXPECTED_PLAN), out
    for item, expected in zip(items, EXPECTED_PLAN, strict=True):
        assert "(Trừ " in item
        assert re.search(r"\(Trừ \d+,\d{2} điểm\)", item), item
        assert expected in item

    out = cli.ok("plan", "show", "--as-of", "01/01/2027")
    items = [ln for ln in out.splitlines() if ln.startswith("- ")]
    assert len(items) == 6
    assert all(ln.rstrip().endswith(OVERDUE_MARKS) for ln in items), out
    out = cli.ok("plan", "show", "--as-of", "31/12/2026")
    assert not any(mark in out for mark in OVERDUE_MARKS), out

    out = cli.ok("backup", "make")
    out = cli.ok("backup", "list")
    head, *rows = [ln.split("\t") for ln in out.strip().splitlines()]
    assert head == ["Tệp", "Thời điểm tạo", "Lý do", "Kích thước", "Loại"]
    # imports made their own backups first ("before-import"); ours is the manual one
    assert sorted(r[2] for r in rows) == ["before-import", "before-import", "manual"]
    (name,) = [r[0] for r in rows if r[2] == "manual"]
    assert name.endswith(".sqlite3")

    # change something after the backup, so the restore shows
    other = json.loads(SET_FILE.read_text("utf-8"))
    other["code"] = "TEST-XA-2025-B"
    other_file = tmp_path / "other-set.json"
    other_file.write_text(json.dumps(other, ensure_ascii=False), "utf-8")
    cli.ok("criteria", "import", str(other_file))
    assert len(cli.ok("criteria", "list").strip().splitlines()) == 1 + 2  # header + sets

    cli.fails("backup", "restore", name)
    assert len(cli.ok("criteria", "list").strip().splitlines()) == 3  # refused: nothing changed
    cli.ok("backup", "restore", name, "--yes")
    assert cli.ok("criteria", "list").strip().splitlines()[1].startswith("TEST-XA-2025\t")
    assert len(cli.ok("criteria", "list").strip().splitlines()) == 2
    # 3 above, the import just made, and the copy kept by the restore
    assert len(cli.ok("backup", "list").strip().splitlines()) == 1 + 5  # header + backups
    out = cli.ok("assessment", "show")
    assert "8/17" in out and "15,13/20" in out


# -- errors --------------------------------------------------------------------------------------
def test_missing_database(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "nowhere" / "parapp.sqlite3", tmp_path / "data")
    cli.fails("assessment", "show")
    assert not (tmp_path / "nowhere" / "parapp.sqlite3").exists()


def test_bad_criteria_files(tmp_path: Path) -> None:
    cli = new_cli(tmp_path)
    cli.ok("init", "--unit-code", "06172")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "parapp-criteria-set", "nodes": [', "utf-8")
    cli.fails("criteria", "import", str(broken))
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"format": "something-else", "format_version": 1, "nodes": []}', "utf-8")
    cli.fails("criteria", "import", str(wrong))
    # sums that do not add up: area 1 says 6,5 but its children give 6,75
    bad_sum = json.loads(SET_FILE.read_text("utf-8"))
    bad_sum["nodes"][0]["children"][0]["max"] = "1,25"
    bad_file = tmp_path / "bad-sum.json"
    bad_file.write_text(json.dumps(bad_sum, ensure_ascii=False), "utf-8")
    cli.fails("criteria", "import", str(bad_file))
    assert "TEST-XA-2025" not in cli.ok("criteria", "list")


def _write_scores(path: Path, rows: list[str]) -> Path:
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8"))
    return path


def test_scores_errors(tmp_path: Path) -> None:
    cli = prepared(tmp_path)
    unknown = _write_scores(tmp_path / "unknown.csv", ["1.1;Có;;", "9.9;Có;;"])
    line = cli.fails("scores", "import", str(unknown))
    assert re.search(r"\b(Dòng|Line) 3\b", line), line
    assert "9.9" in line

    disagree = _write_scores(tmp_path / "disagree.csv", ["1.1;Có;0,5;"])
    line = cli.fails("scores", "import", str(disagree))
    assert re.search(r"\b(Dòng|Line) 2\b", line), line
    assert "0,5" in line

    # all or none: nothing was stored
    out = cli.ok("assessment", "show")
    assert figures(tree_row(out, "1.1")) == ["1", "1,00"]


def test_result_set_bad_index(tmp_path: Path) -> None:
    cli = prepared(tmp_path)
    cli.ok("scores", "import", str(SCORES_FILE))
    cli.ok("assessment", "submit", "--allow-incomplete", "--reason", INCOMPLETE)
    line = cli.fails("result", "set", "--index", "abc")
    assert "abc" in line


def test_result_line_cites_decision_vietnamese_style(tmp_path: Path) -> None:
    """Documents and screens cite "Quyết định số 70/QĐ-UBND ngày 27/01/2026"."""
    cli = prepared(tmp_path)
    cli.ok("scores", "import", str(SCORES_FILE))
    cli.ok("assessment", "submit", "--allow-incomplete", "--reason", INCOMPLETE)
    cli.ok(
        "result", "set", "--index", "86,5", "--rank", "8", "--rank-of", "17",
        "--decision-number", "70/QĐ-UBND", "--decision-date", "27/01/2026",
    )  # fmt: skip
    out = cli.ok("assessment", "show")
    assert "Quyết định số 70/QĐ-UBND ngày 27/01/2026" in out, out.splitlines()[-1]


def test_evidence_missing_file(tmp_path: Path) -> None:
    cli = prepared(tmp_path)
    line = cli.fails("evidence", "add", str(tmp_path / "khong-co.pdf"), "--nodes", "1.1")
    assert "khong-co.pdf" in line
    assert cli.ok("evidence", "list").strip() == ""


def test_demo_into_non_empty_directory(tmp_path: Path) -> None:
    target = tmp_path / "full"
    target.mkdir()
    (target / "something.txt").write_text("x", "utf-8")
    Cli(None, tmp_path / "data").fails("demo", str(target))
    assert [p.name for p in target.iterdir()] == ["something.txt"]


def test_vietnamese_screen_has_no_english_words(tmp_path: Path) -> None:
    """With PARAPP_LANG=vi the tree, the status and the messages are in Vietnamese."""
    cli = prepared(tmp_path)
    problems = []
    out = cli.ok("assessment", "show")
    lines = out.splitlines()
    if "draft" in lines[1]:
        problems.append(f"status: {lines[1]}")
    header = lines[next(i for i, ln in enumerate(lines) if ln.startswith("---")) - 1]
    english = {"Criterion", "Max", "Self", "Appraised", "Survey", "Lost"} & set(header.split())
    if english:
        problems.append(f"table header: {header.strip()}")
    line = Cli(tmp_path / "none.sqlite3", tmp_path / "data").fails("assessment", "show")
    if "There is no database" in line:
        problems.append(f"missing database: {line}")
    disagree = _write_scores(tmp_path / "disagree.csv", ["1.1;Có;0,5;"])
    line = cli.fails("scores", "import", str(disagree))
    if re.match(r"Line \d+: criterion", line):
        problems.append(f"scores import: {line}")
    assert not problems, "\n".join(problems)


# -- NFD input -----------------------------------------------------------------------------------
def _explanations(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as con:
        return dict(con.execute("SELECT node_code, explanation FROM node_scores"))


def test_nfd_explanation_is_stored_nfc(tmp_path: Path) -> None:
    cli = prepared(tmp_path)
    text = "Đã ban hành Kế hoạch số 05/KH-UBND, chưa kiểm tra được thôn Nà Thưa"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    path = _write_scores(tmp_path / "nfd.csv", [f"1.1;Có;;{nfd}", f"1.3;0;;{nfd}"])
    cli.ok("scores", "import", str(path))
    stored = _explanations(cli.db)  # type: ignore[arg-type]
    for code in ("1.1", "1.3"):
        assert unicodedata.is_normalized("NFC", stored[code])
        assert stored[code] == text


def test_whole_file_nfd_is_read(tmp_path: Path) -> None:
    """A file saved on a Mac is NFD throughout: headers, levels and answers still match."""
    cli = prepared(tmp_path)
    path = tmp_path / "nfd-all.csv"
    path.write_bytes(unicodedata.normalize("NFD", SCORES_FILE.read_text("utf-8")).encode())
    cli.ok("scores", "import", str(path))
    out = cli.ok("assessment", "show")
    assert "75,65%" in out
    assert all(unicodedata.is_normalized("NFC", t) for t in _explanations(cli.db).values())  # type: ignore[arg-type]


# -- demo ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], str, Path]:
    base = tmp_path_factory.mktemp("demo")
    rc, out, err = run(None, "demo", str(base / "one"), data_dir=base / "data")
    assert rc == 0, err
    assert "Traceback" not in out + err
    pairs = {}
    for line in out.splitlines():
        name, _, path = line.partition("\t")
        pairs[name] = Path(path)
    return pairs, out, base


def test_demo_output(demo: tuple[dict[str, Path], str, Path]) -> None:
    pairs, out, _base = demo
    lines = out.splitlines()
    assert lines
    for line in lines:
        assert re.match(r"^[a-z-]+\t.+$", line), line
    assert "commune-db" in pairs
    assert pairs["commune-db"].is_file()
    assert all(p.exists() for p in pairs.values())


def test_demo_database(demo: tuple[dict[str, Path], str, Path]) -> None:
    pairs, _out, base = demo
    cli = Cli(pairs["commune-db"], base / "data")
    out = cli.ok("assessment", "show")
    assert UNIT_NAME in out
    area = figures(tree_row(out, "1"))
    assert area and all("." not in n for n in area)
    assert any("," in n for n in area)
    assert re.search(r"\d+,\d{2}%", out)
    assert not re.search(r"\d+\.\d{2}%", out)
    out24 = cli.ok("assessment", "show", "--period", "2024")
    assert UNIT_NAME in out24 and "2024" in out24
    assert out24 != out


def test_demo_set_through_excel(demo: tuple[dict[str, Path], str, Path]) -> None:
    pairs, _out, base = demo
    cli = Cli(pairs["commune-db"], base / "data")
    xlsx = base / "exported-set.xlsx"
    cli.ok("criteria", "export", str(xlsx))
    assert xlsx.is_file()
    fresh = Cli(base / "fresh" / "parapp.sqlite3", base / "data")
    fresh.ok("init")
    fresh.ok("criteria", "import", str(xlsx))
    assert fresh.ok("criteria", "list") == cli.ok("criteria", "list")


def test_demo_result_file_imports(demo: tuple[dict[str, Path], str, Path]) -> None:
    """A fresh commune database fed with the demo's files (set, 2025 scores, published result
    with the appraisal) reaches the demo's own 2025 figures."""
    pairs, _out, base = demo
    demo_show = Cli(pairs["commune-db"], base / "data").ok("assessment", "show")
    cli = Cli(base / "replay" / "parapp.sqlite3", base / "data")
    cli.ok("init", "--unit-code", "06172")
    cli.ok("criteria", "import", str(pairs["criteria-json"]))
    cli.ok("assessment", "new", "--period", "2025")
    cli.ok("scores", "import", str(pairs["scores-csv"]))
    cli.ok("assessment", "submit", "--allow-incomplete", "--reason", INCOMPLETE)
    cli.ok("result", "import", str(pairs["result-json"]))
    out = cli.ok("assessment", "show")

    def index_lines(text: str) -> list[str]:
        return [ln for ln in text.splitlines() if re.search(r"\d+,\d{2}%", ln)]

    # The published result line and the published points, as the demo's own database says.
    assert index_lines(out)[0] == index_lines(demo_show)[0]
    published = [ln for ln in demo_show.splitlines() if ln.startswith("Điểm công bố")]
    assert published and published[0] in out
    assert "12/65" in out
    for code in ("1", "3", "7", "8"):
        assert figures(tree_row(out, code)) == figures(tree_row(demo_show, code)), code


def test_demo_is_deterministic(demo: tuple[dict[str, Path], str, Path]) -> None:
    pairs, _out, base = demo
    rc, out, err = run(None, "demo", str(base / "two"), data_dir=base / "data")
    assert rc == 0, err
    second = {n: Path(p) for n, _, p in (ln.partition("\t") for ln in out.splitlines())}
    one = Cli(pairs["commune-db"], base / "data")
    two = Cli(second["commune-db"], base / "data")
    for args in (("assessment", "show"), ("assessment", "show", "--period", "2024")):
        assert one.ok(*args) == two.ok(*args)
    # the files handed to the appraiser are the same too
    for name in ("scores-csv", "result-json", "criteria-json"):
        assert pairs[name].read_bytes() == second[name].read_bytes(), name


def test_demo_copy_keeps_working(demo: tuple[dict[str, Path], str, Path]) -> None:
    """The demo database copied elsewhere (a USB stick) opens and shows the same figures."""
    pairs, _out, base = demo
    copy = base / "usb" / "parapp.sqlite3"
    copy.parent.mkdir()
    shutil.copy2(pairs["commune-db"], copy)
    original = Cli(pairs["commune-db"], base / "data").ok("assessment", "show")
    assert Cli(copy, base / "data").ok("assessment", "show") == original
