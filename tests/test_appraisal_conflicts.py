"""Two saves of the same score never overwrite each other silently (issue 18, point 4), in a
database file (engine: SQLite; the same rule on a server: tests/test_hub_council.py).

A save carries what the appraiser saw; a value someone else changed since is refused with
who and when, nothing is written, and the stored value stays; the same value saved twice,
or a save of what was seen, goes through.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from test_appraisal import YEAR, dump, make_hub

from db.engine import Database
from parapp.i18n import message
from parapp.services.appraisal import appraise_node
from parapp.services.appraisal_conflicts import Conflict, Seen
from parapp.services.setup import set_setting
from tests.test_cli import run


@pytest.fixture
def hub(tmp_path: Path) -> tuple[Database, str]:
    db, communes = make_hub(tmp_path)
    yield db, communes[0]
    db.close()


def _unit_name(db: Database, unit: str) -> str:
    from parapp.services.appraisal import unit_statuses

    return next(u.unit_name for u in unit_statuses(db, YEAR) if u.unit_code == unit)


def test_a_score_changed_since_it_was_seen_is_refused_with_who_and_when(
    hub: tuple[Database, str], vietnamese: None,
) -> None:
    db, unit = hub
    set_setting(db, "clerk_name", "Nguyễn Văn An")
    # Both screens read 1.2 unappraised; the first saves 1,5.
    first = appraise_node(db, unit, YEAR, "1.2", Decimal("1.5"), "Thiếu 01 báo cáo",
                          seen=Seen(None, ""))
    assert first.appraised == Decimal("1.5")
    before = dump(db)
    with pytest.raises(Conflict) as refused:
        appraise_node(db, unit, YEAR, "1.2", Decimal("1.25"), "", seen=Seen(None, ""))
    assert dump(db) == before  # nothing written: the first value stays
    error = refused.value
    assert (error.score, error.comment) == (Decimal("1.5"), "Thiếu 01 báo cáo")
    said = message(error)
    when = datetime.now()
    assert said.startswith(
        f"Điểm tiêu chí 1.2 của {_unit_name(db, unit)} vừa được Nguyễn Văn An sửa lúc "
        f"{when:%d/%m/%Y} "), said
    assert said.endswith("; điểm bạn nhập (1,25) chưa được ghi — xem lại rồi nhập lại."), said
    # Re-applied on what is stored now: saved.
    again = appraise_node(db, unit, YEAR, "1.2", Decimal("1.25"), "Thiếu 01 báo cáo",
                          seen=Seen(Decimal("1.5"), "Thiếu 01 báo cáo"))
    assert again.appraised == Decimal("1.25")


def test_a_comment_changed_since_is_refused_and_the_same_value_twice_is_not(
    hub: tuple[Database, str],
) -> None:
    db, unit = hub
    appraise_node(db, unit, YEAR, "1.2", Decimal("1.5"), "Thiếu 01 báo cáo", seen=Seen(None, ""))
    before = dump(db)
    # The score as seen, but the comment someone wrote meanwhile would be lost.
    with pytest.raises(Conflict, match=r"comment on criterion 1\.2"):
        appraise_node(db, unit, YEAR, "1.2", Decimal("1.5"), "Đủ", seen=Seen(Decimal("1.5"), ""))
    assert dump(db) == before
    # Both typed the same: nothing is lost, the save goes through.
    same = appraise_node(db, unit, YEAR, "1.2", Decimal("1.5"), "Thiếu 01 báo cáo",
                         seen=Seen(None, ""))
    assert same.appraised == Decimal("1.5")
    # A survey-only criterion compares its survey score.
    appraise_node(db, unit, YEAR, "8.1", Decimal(4), "", seen=Seen(None, ""))
    with pytest.raises(Conflict, match=r"score of criterion 8\.1"):
        appraise_node(db, unit, YEAR, "8.1", Decimal(3), "", seen=Seen(None, ""))
    # Without what was seen (a script, the demo): saved as before.
    assert appraise_node(db, unit, YEAR, "8.1", Decimal(3), "").survey == Decimal(3)


def test_the_command_line_refuses_a_score_changed_since_was(
    hub: tuple[Database, str], tmp_path: Path
) -> None:
    db, unit = hub
    path = db.path
    appraise_node(db, unit, YEAR, "1.2", Decimal("1.5"), "")
    before = dump(db)
    code, _out, err = run(path, "appraise", "score", unit, "1.2", "1", "--was", "-",
                          "--year", str(YEAR), data_dir=tmp_path)
    assert code == 1 and "Điểm tiêu chí 1.2" in err and "(1,00)" in err, err
    assert "Traceback" not in err
    assert dump(db) == before
    code, _out, err = run(path, "appraise", "score", unit, "1.2", "1", "--was", "1,5",
                         "--year", str(YEAR), data_dir=tmp_path)
    assert code == 0, err
    assert appraise_node(db, unit, YEAR, "1.2", None, None).appraised == Decimal(1)
