"""Issue 14 (service and command-line half): the clerk shapes the drafted plan item by item,
through the real command line on real SQLite files, and the printed plan shows exactly that.

The plan is drafted from the hand-made set of tests/test_cli.py: six items, two per area
(1.2, 1.3 | 2.1, 2.2 | 3.1, 3.2). Numbers are the items' places in the printed plan, which
groups them by index and area, so an item moves only within its area.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pdfplumber

from tests.test_cli import INCOMPLETE, ROOT, SCORES_FILE, Cli, prepared

ITEM = re.compile(r"^(\d+)\. \[([^\]]+)\] (.*)$")
SIGNER = "Nông Thị Hạnh"
RECIPIENT = "Sở Nội vụ tỉnh Lạng Sơn"
BASIS = "Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2026 của UBND tỉnh Lạng Sơn"
PURPOSES = "Khắc phục dứt điểm các tồn tại của xã trong năm 2026."
LEAD = "Văn phòng - Thống kê"
AREA_3_FIRST = "Sử dụng hệ thống quản lý văn bản và điều hành"


def published(tmp: Path) -> Cli:
    """The hand-made year with a published result: ready to draft the 2026 plan."""
    cli = prepared(tmp)
    cli.ok("scores", "import", str(SCORES_FILE))
    cli.ok("assessment", "submit", "--allow-incomplete", "--reason", INCOMPLETE)
    cli.ok(
        "result", "set", "--index", "86,5", "--rank", "8", "--rank-of", "17",
        "--decision-number", "70/QĐ-UBND", "--decision-date", "27/01/2026",
    )  # fmt: skip
    return cli


def items(cli: Cli) -> list[tuple[int, str, str]]:
    """(number, area column, shortcoming) of each item, as 'plan items' lists them."""
    out = cli.ok("plan", "items")
    return [(int(m[1]), m[2], m[3]) for m in map(ITEM.match, out.splitlines()) if m]


def stored(cli: Cli) -> list[tuple[object, ...]]:
    """Every row of the plans, their items and progress entries, as SQLite holds them."""
    con = sqlite3.connect(str(cli.db))
    try:
        return [
            row
            for table in ("plans", "plan_items", "progress_updates")
            for row in con.execute(f"SELECT * FROM {table} ORDER BY id")
        ]
    finally:
        con.close()


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return flat(" ".join(page.extract_text() or "" for page in pdf.pages))


def appendix(path: Path) -> list[list[str]]:
    """The item rows (TT is a number) of the plan's appendix table, page after page."""
    rows: list[list[str]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                if "Nội dung tồn tại" in flat(" ".join(c or "" for c in table[0])):
                    rows += [[flat(c or "") for c in row] for row in table[1:]]
    return [r for r in rows if r[0].isdigit()]


def test_shape_the_plan_render_it_and_redraft_keeping_the_document(tmp_path: Path) -> None:
    cli = published(tmp_path)
    cli.ok("plan", "draft", "--lead", LEAD)
    drafted = items(cli)
    assert [n for n, _a, _s in drafted] == [1, 2, 3, 4, 5, 6]
    # The number and the area are two things: items 3 and 4 are both in area 2.
    assert [a for _n, a, _s in drafted][2:4] == [drafted[2][1]] * 2 and "2" in drafted[2][1]
    cli.ok(
        "plan", "edit", "--signer-mode", "KT", "--signer-position", "PHÓ CHỦ TỊCH",
        "--signer-name", SIGNER, "--recipient", RECIPIENT, "--recipient", "Lưu: VT.",
        "--basis", BASIS, "--purposes", PURPOSES, "--place", "Hoàng Văn Thụ",
    )  # fmt: skip

    # Add an item about criterion 2.1 with two tasks: it goes at the end of area 2 (5).
    out = cli.ok(
        "plan", "item", "add", "--criterion", "2.1", "--shortcoming", "Hồ sơ đất đai trễ hạn",
        "--task", "Rà soát hồ sơ trễ hạn", "--task", "Công khai xin lỗi người dân",
        "--coordinating", "Công an xã",
    )  # fmt: skip
    assert out.splitlines()[1].startswith("5. ")
    # One shortcoming, two tasks: split into items 5 and 6, both about the same shortcoming.
    cli.ok("plan", "item", "split", "5")
    now = items(cli)
    assert [(n, s) for n, _a, s in now[4:6]] == [
        (5, "Hồ sơ đất đai trễ hạn"),
        (6, "Hồ sơ đất đai trễ hạn"),
    ]
    # A SIPAS item without a criterion: after every PAR item.
    cli.ok(
        "plan", "item", "add", "--index", "SIPAS",
        "--shortcoming", "Mức độ hài lòng về tiếp cận dịch vụ chưa cao",
        "--tasks", "Khảo sát ý kiến người dân\nNiêm yết quy trình tại bộ phận một cửa",
        "--lead", "Bộ phận một cửa",
    )  # fmt: skip
    assert items(cli)[-1][:2] == (9, "SIPAS")
    # Items 1 and 2 (both area 1) become one; the area's second item is gone from the list.
    cli.ok("plan", "item", "merge", "1", "2")
    now = items(cli)
    assert len(now) == 8
    assert now[0][2] == (
        "Thực hiện kế hoạch CCHC (Trừ 0,37 điểm); Báo cáo CCHC định kỳ đúng hạn (Trừ 0,50 điểm)"
    )
    # Area 2 is now items 2..5; the second split task goes first in it.
    cli.ok("plan", "item", "move", "5", "--to", "2")
    before = items(cli)
    assert before[1][2] == "Hồ sơ đất đai trễ hạn"
    rows = stored(cli)
    cli.fails("plan", "item", "move", "4", "--to", "1")  # into area 1: refused
    assert stored(cli) == rows
    # Remove the first item of area 3, restore it (same number), remove it again.
    assert before[5][2].startswith(AREA_3_FIRST)
    cli.ok("plan", "item", "remove", "6")
    assert [n for n, _a, _s in items(cli)] == list(range(1, 8))
    cli.ok("plan", "item", "restore")
    assert items(cli) == before
    cli.ok("plan", "item", "remove", "6")
    # Wording and progress keep every number where it was.
    before = items(cli)
    cli.ok(
        "plan", "item", "edit", "3", "--coordinating", "Công chức Tư pháp - Hộ tịch",
        "--deadline", "quý II/2026",
    )  # fmt: skip
    cli.ok("plan", "item", "progress", "3", "--percent", "40", "--date", "31/03/2026",
           "--note", "Đã rà soát 4/10 hồ sơ")  # fmt: skip
    assert items(cli) == before
    listing = cli.ok("plan", "items")
    assert "31/03/2026: 40% — Đã rà soát 4/10 hồ sơ" in listing
    assert "Công chức Tư pháp - Hộ tịch" in listing

    # The printed plan: exactly these items, numbered as listed, the removed one nowhere.
    pdf = tmp_path / "ke-hoach.pdf"
    cli.ok("plan", "render", "--appendix", "--out", str(pdf))
    rows = appendix(pdf)
    assert [(int(r[0]), r[1]) for r in rows] == [(n, s) for n, _a, s in before]
    by_number = {int(r[0]): r for r in rows}
    assert by_number[3][4] == "Công chức Tư pháp - Hộ tịch" and by_number[3][5] == "quý II/2026"
    assert by_number[2][2] == "Công khai xin lỗi người dân"
    assert by_number[2][4] == "Công an xã"
    assert by_number[7][2] == "Khảo sát ý kiến người dân Niêm yết quy trình tại bộ phận một cửa"
    text = pdf_text(pdf)
    assert AREA_3_FIRST not in text
    assert SIGNER in text and RECIPIENT in text and PURPOSES in text and BASIS in text

    # Redraft: the items are drafted again, the document stays, and it says what went.
    out = cli.ok("plan", "draft", "--replace", "--lead", LEAD, "--coordinating", "Công an xã")
    assert re.findall(r"\d+", out.splitlines()[0]) == ["2026", "7", "6"]
    dropped = [ln.strip() for ln in out.splitlines() if re.match(r"^  \d+\. ", ln)]
    assert dropped == [
        "2. Hồ sơ đất đai trễ hạn — Công khai xin lỗi người dân",
        "5. Hồ sơ đất đai trễ hạn — Rà soát hồ sơ trễ hạn",
        "7. Mức độ hài lòng về tiếp cận dịch vụ chưa cao — Khảo sát ý kiến người dân",
    ]
    redrafted = items(cli)
    assert [(n, s) for n, _a, s in redrafted] == [(n, s) for n, _a, s in drafted]
    again = tmp_path / "ke-hoach-2.pdf"
    cli.ok("plan", "render", "--appendix", "--out", str(again))
    rows = appendix(again)
    assert [(int(r[0]), r[1]) for r in rows] == [(n, s) for n, _a, s in drafted]
    assert all(r[3] == LEAD and r[4] == "Công an xã" for r in rows)
    text = pdf_text(again)
    assert SIGNER in text and RECIPIENT in text and PURPOSES in text and BASIS in text
    assert "KT. CHỦ TỊCH" in text

    # --reset starts the document fields again; without --replace it is refused.
    cli.fails("plan", "draft", "--reset")
    cli.ok("plan", "draft", "--replace", "--reset")
    cli.ok("plan", "render", "--out", str(again))
    text = pdf_text(again)
    assert SIGNER not in text and BASIS not in text and PURPOSES not in text


def test_refusals_change_nothing_and_issuing_ends_undo(tmp_path: Path) -> None:
    cli = published(tmp_path)
    cli.ok("plan", "draft")

    def refused(*args: str) -> None:
        before = stored(cli)
        cli.fails("plan", "item", *args)
        assert stored(cli) == before, args

    refused("edit", "7", "--tasks", "x")  # there are six items
    refused("edit", "0", "--tasks", "x")
    refused("edit", "2")  # nothing to change
    refused("edit", "2", "--index", "SIPAS")  # it answers criterion 1.3 of the PAR set
    refused("edit", "2", "--deadline", " ")
    refused("edit", "2", "--tasks", "a", "--task", "b")
    refused("add", "--criterion", "9.9")
    refused("add", "--criterion", "2.1", "--index", "PAPI")
    refused("add", "--index", "XYZ", "--tasks", "Nhiệm vụ")
    refused("add", "--lead", "Văn phòng")  # about nothing
    refused("add", "--criterion", "2.1", "--to", "1")  # area 2 is 3..4, new 5
    refused("split", "2")  # a single task
    refused("merge", "2")
    refused("merge", "2", "2")
    refused("move", "2", "--to", "3")
    refused("move", "1", "--up")
    refused("restore")  # nothing removed
    refused("progress", "2", "--percent", "101")

    # Progress kept on an item blocks merging it into another (nothing lost silently).
    cli.ok("plan", "item", "progress", "4", "--percent", "30", "--date", "01/02/2026")
    refused("merge", "3", "4")

    # Issuing deletes removed items for good; the issued plan takes progress only.
    cli.ok("plan", "edit", "--signer-name", SIGNER)
    cli.ok("plan", "item", "remove", "6")
    listing = cli.ok("plan", "items")
    assert "plan item restore" in listing  # the removed item is listed for restoring
    cli.ok("plan", "issue", "--date", "15/02/2026")
    listing = cli.ok("plan", "items")
    assert [n for n, _a, _s in items(cli)] == [1, 2, 3, 4, 5]
    assert "plan item restore" not in listing
    refused("restore")
    refused("edit", "1", "--coordinating", "Công an xã")
    refused("add", "--tasks", "Nhiệm vụ mới")
    refused("remove", "1")
    refused("move", "2", "--up")
    refused("split", "1", "--task", "a", "--task", "b")
    cli.ok("plan", "item", "progress", "1", "--percent", "100", "--date", "30/06/2026")
    assert "30/06/2026: 100%" in cli.ok("plan", "items")

    # The plans of the database, with their revisions and states.
    cli.ok("plan", "revise")
    cli.ok("plan", "draft", "--annual", "2026")
    lines = cli.ok("plan", "list").splitlines()
    assert lines[0].startswith("2026\t")
    assert lines[0].split("\t")[2].endswith(" 2")  # revision 2, a draft again
    assert lines[1].startswith("  ") and "01/KH-UBND" in lines[1] and "15/02/2026" in lines[1]
    assert lines[2].startswith("2026\t") and len(lines) == 3


def test_plan_show_numbers_items_apart_from_their_area(tmp_path: Path) -> None:
    cli = published(tmp_path)
    cli.ok("plan", "draft")
    shown = [ln for ln in cli.ok("plan", "show").splitlines() if ln.startswith("- ")]
    numbers = [ln.split()[1] for ln in shown]
    assert numbers == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert all("[" in ln and "]" in ln for ln in shown)
    assert [n for n, _a, _s in items(cli)] == [1, 2, 3, 4, 5, 6]


def test_cli_doc_lists_every_plan_and_report_command() -> None:
    """docs/cli.md's table names every action of the plan, plan item and report groups."""
    import argparse

    from parapp.cli.parser import build_parser

    def actions(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return dict(sub.choices)

    top = actions(build_parser())
    wanted = [f"plan {name}" for name in actions(top["plan"]) if name != "item"]
    wanted += [f"plan item {name}" for name in actions(actions(top["plan"])["item"])]
    wanted += [f"report {name}" for name in actions(top["report"])]
    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    table = [ln for ln in doc.splitlines() if ln[:3] == "| `"]
    missing = [w for w in wanted if not any(ln.startswith(f"| `{w}") for ln in table)]
    assert not missing, f"docs/cli.md does not list {missing}"


def test_restore_takes_the_last_removed_item_even_within_one_second(tmp_path: Path) -> None:
    """Two removals in the same second (Delete pressed twice, a merge then a Delete in the
    window): restore brings back the last one, not the older row."""
    from db.engine import open_database
    from parapp.services import plan_items

    cli = published(tmp_path)
    cli.ok("plan", "draft")
    db = open_database(cli.db)
    try:
        before = [n.item.id for n in plan_items.list_items(db).items]
        plan_items.remove(db, 6)
        plan_items.remove(db, 1)  # the last removed, an older row than item 6
        plan_items.restore(db)
        listing = plan_items.list_items(db)
        assert listing.items[0].item.id == before[0]
        assert [r.item.id for r in listing.removed] == [before[5]]
    finally:
        db.close()
