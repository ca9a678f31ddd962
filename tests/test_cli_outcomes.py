"""Command-line outcomes that used to be silent or misleading (issue 16): a stick that is
not plugged in, a folder given as the database, a closed pipe, Ctrl-C while loading."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_database
from tests.test_cli import ROOT, run


@pytest.fixture
def office(demo_db: Path, tmp_path: Path) -> Path:
    return copy_database(demo_db, tmp_path / "office" / "parapp.sqlite3")


def test_backup_to_a_stick_that_is_not_there_writes_nothing(office: Path, tmp_path: Path) -> None:
    stick = tmp_path / "media" / "E"
    code, out, err = run(office, "backup", "make", "--full", "--to", str(stick),
                         data_dir=tmp_path)
    assert code == 1
    assert f"Thư mục {stick} không tồn tại" in err
    assert "Traceback" not in err and not out
    assert not stick.exists()  # not made on the local disk and reported as written


def test_export_to_a_stick_that_is_not_there_writes_nothing(office: Path, tmp_path: Path) -> None:
    for out_path in (tmp_path / "F", tmp_path / "G" / "goi.cchc"):
        code, out, err = run(office, "sync", "export", "--kind", "progress", "--out",
                             str(out_path), data_dir=tmp_path)
        assert code == 1, err
        assert "không tồn tại" in err and "USB" in err
        assert not out
        assert not (tmp_path / "F").exists() and not (tmp_path / "G").exists()


def test_export_to_an_existing_folder_still_works(office: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    code, _out, err = run(office, "sync", "export", "--kind", "progress", "--out", str(stick),
                          data_dir=tmp_path)
    assert code == 0, err
    assert list(stick.glob("*.cchc"))


def test_a_folder_given_as_the_database_is_named_as_such(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    code, _out, err = run(folder, "assessment", "show", data_dir=tmp_path)
    assert code == 1
    assert "là một thư mục" in err and "parapp.sqlite3" in err
    assert "ổ đĩa" not in err  # not a failing disk or stick


def test_a_closed_pipe_ends_quietly(office: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PARAPP_LANG="vi", PARAPP_DATA_DIR=str(tmp_path))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "--db", str(office), "assessment", "show"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # "| head -c0": the reader is gone before the first line
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=60) == 141
    assert err == ""


def test_ctrl_c_while_loading_is_one_word(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import ui.launcher

    def interrupted(args: object) -> None:  # the key pressed while the program loads
        raise KeyboardInterrupt

    monkeypatch.setattr(ui.launcher, "window_options", interrupted)
    assert ui.launcher.main(["assessment", "show"]) == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


@pytest.fixture
def demo_offices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from parapp.services.demo import build_demo

    root = tmp_path_factory.mktemp("stick") / "demo"
    dict(build_demo(root))  # a generator: run it to the end
    return root


def test_a_stick_with_the_offices_own_files_is_imported_without_refusals(
        demo_offices: Path, tmp_path: Path) -> None:
    """The commune's stick holds its own submission and card and the appraiser's card (all
    genuine): they are skipped with a reason, not refused as "an untrusted sender"."""
    db = demo_offices / "commune" / "parapp.sqlite3"
    code, out, err = run(db, "sync", "import", str(demo_offices / "usb"), data_dir=tmp_path)
    assert code == 0, err
    assert "chưa được tin cậy" not in out + err and "bị từ chối" not in err
    own = [line for line in out.splitlines() if line.startswith(("nop-06172", "the-dinh-danh"))]
    assert len(own) == 3 and all("bỏ qua" in line for line in own), out
    assert "do chính đơn vị này lập" in out and "đã được tin cậy" in out


def test_importing_only_the_offices_own_package_is_a_mistake(demo_offices: Path,
                                                             tmp_path: Path) -> None:
    db = demo_offices / "commune" / "parapp.sqlite3"
    code, out, _err = run(db, "sync", "import", str(demo_offices / "usb" / "nop-06172-2025.cchc"),
                          data_dir=tmp_path)
    assert code == 1
    assert "do chính đơn vị này lập" in out


def _draft_office(demo_db: Path, tmp_path: Path) -> Path:
    db = copy_database(demo_db, tmp_path / "draft" / "parapp.sqlite3")
    code, _out, err = run(db, "assessment", "new", "--year", "2026", data_dir=tmp_path)
    assert code == 0, err
    return db


def test_assessment_list_has_a_header_and_every_year(office: Path, tmp_path: Path) -> None:
    code, out, err = run(office, "assessment", "list", data_dir=tmp_path)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split("\t") == ["Năm", "Đơn vị", "Bộ tiêu chí", "Trạng thái", "Sửa lần cuối"]
    assert [line.split("\t")[0] for line in lines[1:]] == ["2025", "2024"]
    assert "đã công bố" in lines[1]


def test_one_score_is_typed_with_the_checks_of_the_table(demo_db: Path, tmp_path: Path) -> None:
    db = _draft_office(demo_db, tmp_path)
    code, out, err = run(db, "scores", "set", "1.1.1", "Có", "--explanation", "Đã ban hành",
                         data_dir=tmp_path)
    assert code == 0, err
    assert out.strip() == "1.1.1: đã ghi; điểm tự đánh giá 1,00."
    refused = {
        ("1.1.1", "có lẽ"): "'có lẽ' không phải là câu trả lời hợp lệ cho tiêu chí 1.1.1",
        ("9.9", "1"): "'9.9' không phải là tiêu chí",
        ("1.1", "1"): "được chấm qua các tiêu chí thành phần",
    }
    for (criterion, value), sentence in refused.items():
        code, out, err = run(db, "scores", "set", criterion, value, data_dir=tmp_path)
        assert code == 1 and not out and sentence in err, err


def test_a_document_is_unlinked_then_removed(demo_db: Path, tmp_path: Path) -> None:
    db = _draft_office(demo_db, tmp_path)
    doc = tmp_path / "qd.txt"
    doc.write_text("Quyết định", encoding="utf-8")
    code, _out, err = run(db, "evidence", "add", str(doc), "--nodes", "1.1.1,1.1.2", "--title",
                          "Quyết định ban hành kế hoạch", "--number", "05/QĐ-UBND", "--date",
                          "05/01/2026", data_dir=tmp_path)
    assert code == 0, err
    code, out, err = run(db, "evidence", "unlink", "05/qđ-ubnd", "--nodes", "1.1.2",
                         data_dir=tmp_path)
    assert code == 0, err
    assert "đã bỏ gắn với 1.1.2; vẫn gắn với: 1.1.1" in out
    code, out, _err = run(db, "evidence", "list", data_dir=tmp_path)
    lines = out.splitlines()
    assert lines[0].split("\t") == ["Mã", "Tài liệu", "Tiêu chí"]
    assert lines[1].endswith("\t1.1.1")
    sha = lines[1].split("\t")[0]
    code, out, err = run(db, "evidence", "remove", sha[:8], data_dir=tmp_path)
    assert code == 0, err
    code, out, _err = run(db, "evidence", "list", data_dir=tmp_path)
    assert "chưa gắn với tiêu chí nào" in out.splitlines()[1]
    code, out, err = run(db, "evidence", "remove", "khong-co", data_dir=tmp_path)
    assert code == 1 and "Không có tài liệu nào của kỳ đánh giá này là 'khong-co'" in err


def test_an_appraiser_office_is_named_by_its_province_code(tmp_path: Path) -> None:
    """docs/cli.md's appraiser set-up: the province's code is enough, no --unit-name."""
    db = tmp_path / "thamdinh" / "parapp.sqlite3"
    code, out, err = run(db, "init", "--role", "appraiser", "--unit-code", "20",
                         data_dir=tmp_path)
    assert code == 0, err
    assert "Sở Nội vụ tỉnh Lạng Sơn (20)" in out
    code, out, err = run(db, "appraise", "add-units", "--province", "20", data_dir=tmp_path)
    assert code == 0, err


def test_a_dry_run_shows_a_few_changes_and_the_counts(demo_db: Path, tmp_path: Path) -> None:
    """A commune's first submission is some 65 new criteria: the dry run names the first
    few and counts the rest; --details lists every one."""
    from tests.sync_support import copy_demo, draft_2026_submission

    root = copy_demo(demo_db, tmp_path / "demo")
    package = draft_2026_submission(root)
    hub = root / "appraiser" / "parapp.sqlite3"
    code, out, err = run(hub, "sync", "import", str(package), "--dry-run", data_dir=tmp_path)
    assert code == 0, err
    lines = out.splitlines()
    more = [line for line in lines if "thay đổi khác (--details để liệt kê tất cả)" in line]
    assert len(more) == 1 and len(lines) < 15, out
    hidden = int(more[0].split("và ")[1].split(" ")[0])
    code, full, err = run(hub, "sync", "import", str(package), "--dry-run", "--details",
                          data_dir=tmp_path)
    assert code == 0, err
    assert "thay đổi khác" not in full
    assert len(full.splitlines()) == len(lines) - 1 + hidden


def test_history_of_a_criterion_an_item_and_the_plan(demo_db: Path, tmp_path: Path) -> None:
    db = _draft_office(demo_db, tmp_path)
    code, _out, err = run(db, "scores", "set", "1.1.1", "Có", "--explanation", "Đã ban hành",
                          data_dir=tmp_path)
    assert code == 0, err
    code, out, err = run(db, "history", "1.1.1", data_dir=tmp_path)
    assert code == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[0] == ["Thời điểm", "Người thực hiện", "Nội dung", "Thay đổi"]
    changes = {(row[2], row[3]) for row in lines[1:]}
    assert ("Số liệu kê khai", "— → Có") in changes
    assert ("Điểm tự chấm", "— → 1,00") in changes
    assert ("Giải trình", "— → Đã ban hành") in changes
    # 2025 came from the appraiser's result package: said so.
    code, out, err = run(db, "history", "1.1.1", "--year", "2025", data_dir=tmp_path)
    assert code == 0 and "(nhận qua gói dữ liệu)" in out and "Điểm thẩm định" in out, err
    code, out, err = run(db, "history", "--plan", "--year", "2025", data_dir=tmp_path)
    assert code == 0 and "Ban hành" in out, err
    code, out, err = run(db, "history", "--item", "1", "--year", "2026", data_dir=tmp_path)
    assert code == 0 and "Tạo mới" in out, err
    for args, sentence in ((("9.9",), "'9.9' không phải là tiêu chí"),
                           (("--item", "99", "--year", "2026"), "không có nhiệm vụ số 99"),
                           ((), "Hãy cho biết cần xem lịch sử của gì")):
        code, out, err = run(db, "history", *args, data_dir=tmp_path)
        assert code == 1 and not out and sentence in err, err
