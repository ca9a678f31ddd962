"""``parapp scores export`` and ``parapp assessment copy-last-year``, run as subprocesses on
the hand-made set (see tests/test_cli.py)."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import SCORES_FILE, prepared


def test_export_reads_back_and_copies_into_the_next_year(tmp_path: Path) -> None:
    cli = prepared(tmp_path)
    cli.ok("scores", "import", str(SCORES_FILE))
    sheet = tmp_path / "diem.xlsx"
    out = cli.ok("scores", "export", str(sheet), "--year", "2025")
    assert "2025" in out and "10" in out and sheet.exists()
    assert "0 tiêu chí có thay đổi" in cli.ok("scores", "import", str(sheet))

    cli.ok("assessment", "new", "--period", "2026")
    out = cli.ok("assessment", "copy-last-year")
    assert "10" in out and "2025" in out and "2026" in out
    shown_2025 = cli.ok("assessment", "show", "--period", "2025").splitlines()[2:]
    shown_2026 = cli.ok("assessment", "show", "--period", "2026").splitlines()[2:]
    assert [line for line in shown_2026 if line[:1].isdigit()] == [
        line for line in shown_2025 if line[:1].isdigit()
    ]
    # again: everything is filled in now, so each criterion is listed as skipped with why
    out = cli.ok("assessment", "copy-last-year", "--from", "2025", "--to", "2026")
    assert out.count("\n") == 11


def test_bad_requests_are_one_sentence(tmp_path: Path) -> None:
    cli = prepared(tmp_path)
    assert "xlsx" in cli.fails("scores", "export", str(tmp_path / "diem.csv"))
    assert "2024" in cli.fails("assessment", "copy-last-year")  # there is no 2024
    assert not (tmp_path / "diem.csv").exists()


def test_a_new_year_with_last_years_data(tmp_path: Path) -> None:
    cli = prepared(tmp_path)
    cli.ok("scores", "import", str(SCORES_FILE))
    # no 2024 to copy from: refused before the year is created
    assert "2024" in cli.fails("assessment", "new", "--period", "2025", "--copy-last-year")
    assert "2023" in cli.fails("assessment", "new", "--period", "2024", "--copy-last-year")
    assert "2024" in cli.fails("assessment", "show", "--period", "2024")  # not created
    out = cli.ok("assessment", "new", "--period", "2026", "--copy-last-year")
    assert "2026" in out and "10" in out
