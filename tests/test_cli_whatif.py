"""``parapp plan whatif`` through the real command line, on the hand-made year of
tests/test_cli.py with an index-only published result (86,5): the rows are the self sums
(15,13 of 20), the six drafted items win back 0,37, 0,50, 1,50, 0,75, 1,25 and 0,50."""

from __future__ import annotations

from pathlib import Path

from tests.test_plan_items import pdf_text, published


def test_plan_whatif_prints_points_index_and_why_no_rank(tmp_path: Path) -> None:
    cli = published(tmp_path)
    cli.ok("plan", "draft")
    out = cli.ok("plan", "whatif")
    lines = out.splitlines()
    points = [line.split(". ", 1)[1] for line in lines if line[:4].strip().rstrip(".").isdigit()]
    assert [p.split()[0] for p in points] == ["0,37", "0,50", "1,50", "0,75", "1,25", "0,50"]
    # All six: 15,13 + 4,87 = 20 of 20; 86,5 + 4,87 × 5 = 110,85, which stops at 100.
    assert "15,13 → 20,00" in out and "86,50 → 100,00" in out
    assert "bảng xếp hạng" in out  # no ranking here: the sentence says why
    some = cli.ok("plan", "whatif", "--items", "1,3")
    # 0,37 + 1,5 = 1,87: 17,00; 86,5 + 1,87 × 5 = 95,85
    assert "15,13 → 17,00" in some and "86,50 → 95,85" in some
    assert [line[:1] for line in some.splitlines() if line[1:4].strip().rstrip(".").isdigit()] == [
        "*", " ", "*", " ", " ", " "
    ]
    assert "1 đến 6" in cli.fails("plan", "whatif", "--items", "7")
    assert "1,3,5" in cli.fails("plan", "whatif", "--items", "một")


def test_progress_report_states_what_finished_items_should_win_back(tmp_path: Path) -> None:
    cli = published(tmp_path)
    cli.ok("plan", "draft")
    cli.ok("plan", "item", "progress", "1", "--percent", "100", "--date", "15/05/2026")
    cli.ok("plan", "item", "progress", "3", "--percent", "100", "--date", "20/06/2026")
    cli.ok("plan", "item", "progress", "4", "--percent", "50", "--date", "20/06/2026")
    pdf = tmp_path / "tien-do.pdf"
    cli.ok("report", "progress", "--as-of", "30/06/2026", "--out", str(pdf))
    text = pdf_text(pdf)
    # Items 1 and 3 (0,37 + 1,50; item 4 is half done): 15,13 + 1,87 = 17,00; 86,5 + 9,35
    assert (
        "Các nhiệm vụ đã hoàn thành dự kiến khắc phục được 1,87 điểm bị trừ (dự kiến tổng "
        "điểm đạt 17,00/20 điểm, Chỉ số đạt 95,85%)" in text
    )
    assert "chỉ được ghi nhận khi kết quả xác định Chỉ số cải cách hành chính năm 2026" in text
    # As of 31/05 only item 1 was done: 0,37 → 15,50; 86,5 + 1,85 = 88,35
    cli.ok("report", "progress", "--as-of", "31/05/2026", "--out", str(pdf))
    assert "dự kiến khắc phục được 0,37 điểm bị trừ (dự kiến tổng điểm đạt 15,50/20 điểm, " \
        "Chỉ số đạt 88,35%)" in pdf_text(pdf)
    cli.ok("report", "progress", "--as-of", "30/04/2026", "--out", str(pdf))
    assert "dự kiến khắc phục" not in pdf_text(pdf)  # nothing finished yet
