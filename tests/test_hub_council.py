"""The appraisal council on a real PostgreSQL server (issue 18, docs/hub.md "Council
members and their areas"): the secretariat adds two members and gives them different
areas; the members and the secretariat work at the same time, each in its own process
under its own login, as on their own PCs. The services refuse a member's score outside
its areas, and its accepting or publishing, in one sentence; the server's row-level
security and grants refuse the same done by hand in SQL.

Runs against the throwaway cluster of tests/pg_support.py; skipped, with the reason, when
no server can be started.
"""

from __future__ import annotations

import json
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest

from db.location import server_path
from tests.hub_support import as_login, finish, ok, refused, secretariat_office, start_worker
from tests.test_cli import run

UNIT, YEAR = "06172", 2025
# The demo's criteria set: area 2 (institutional reform) to the justice department, area
# 6 (public finance) to the finance department; the secretariat scores area 1 itself.
MEMBERS = {"tv_tuphap": ("Sở Tư pháp", "2"), "tv_taichinh": ("Sở Tài chính", "6")}
SECRETARIAT = "snv_vanphong"


# -- a member's PC: one process, one login, saving scores as a person types -----------------
def _start(url: str, data: Path, go: Path, payload: object) -> subprocess.Popen[str]:
    """A member's PC running ``work``."""
    return start_worker("tests.test_hub_council:work", url, data, go, payload)


def work(argv: list[str]) -> None:
    """``URL GO_FILE CODES_JSON``: wait for GO_FILE, then score each code as the unit
    scored itself, with a comment; print one JSON line per save. A save that loses to
    another change of the same assessment (SERIALIZABLE) is run again by the service
    itself: no error reaches the person (issue 18, point 4)."""
    from parapp.i18n import message
    from parapp.services.appraisal import appraise_node
    from parapp.services.common import ServiceError
    from parapp.services.office import open_office

    url, go, codes = argv[0], Path(argv[1]), json.loads(argv[2])
    office = open_office(url)
    try:
        while not go.exists():
            time.sleep(0.01)
        for code, value, comment in codes:
            try:
                appraise_node(office, UNIT, YEAR, code, Decimal(value), comment)
                print(json.dumps({"code": code, "ok": True}), flush=True)
            except ServiceError as exc:
                print(json.dumps({"code": code, "refused": message(exc)},
                                 ensure_ascii=False), flush=True)
    finally:
        office.close()


def _leaves(url: str, data: Path) -> dict[str, tuple[str, str]]:
    """Each self-scored criterion of the unit's assessment: (its area, its self score)."""
    from sqlalchemy import select

    from db.models import NodeScoreRow
    from parapp.services.appraisal import assessment_row
    from parapp.services.mapping import set_from_rows
    from parapp.services.office import open_office

    office = open_office(server_path(url, data))
    try:
        with office.session() as s:
            row = assessment_row(s, UNIT, YEAR)
            cset = set_from_rows(row.criteria_set)
            scores = s.scalars(select(NodeScoreRow).where(NodeScoreRow.assessment_id == row.id))
            return {sc.node_code: (cset.area_of(sc.node_code).code, f"{sc.self_score:f}")
                    for sc in scores if sc.self_score is not None}
    finally:
        office.close()


def test_two_members_and_the_secretariat_at_once_each_within_its_rights(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    import psycopg

    demo = demo_db.parent.parent
    data = tmp_path / "data"
    # The secretariat's office on the server, the commune's submission imported (as in
    # test_hub): the login that made the database, "parapp", owns it.
    secretariat_office(pg_url, demo, data)

    # Accounts and areas. The test cluster's "parapp" may create logins; a login that
    # exists already (an earlier run on this cluster) is adopted.
    for login, (name, area) in MEMBERS.items():
        said = ok(pg_url, data, "hub", "member", "add", login, "--name", name)
        assert name in said and login in said, said
        ok(pg_url, data, "hub", "assign", "--member", login, "--area", area)
    ok(pg_url, data, "hub", "member", "add", SECRETARIAT, "--name", "Văn phòng Sở Nội vụ",
        "--secretariat")
    listing = ok(pg_url, data, "hub", "areas")
    assert "\ttv_tuphap\tSở Tư pháp" in listing and "\t6\t" in listing, listing
    members = ok(pg_url, data, "hub", "member", "list")
    assert len(members.splitlines()) == 4, members
    err = refused(pg_url, data, "hub", "member", "add", "Tv-A", "--name", "A")
    assert "'Tv-A' không dùng được làm tài khoản" in err, err
    err = refused(pg_url, data, "hub", "member", "add", "parapp", "--name", "Sở Nội vụ")
    assert "--secretariat" in err, err

    leaves = _leaves(pg_url, data)
    in_area = {a: sorted(c for c, (area, _v) in leaves.items() if area == a)
               for a in ("1", "2", "6", "7")}
    assert all(in_area.values()), in_area
    tuphap, taichinh = as_login(pg_url, "tv_tuphap"), as_login(pg_url, "tv_taichinh")
    office_of = {"tv_tuphap": tuphap, "tv_taichinh": taichinh}

    # At the same time: each member scores its own area, the secretariat area 1.
    go = tmp_path / "go"
    work_of = {login: [(c, leaves[c][1], f"{MEMBERS[login][0]} đã xem") for c in in_area[area]]
               for login, (_n, area) in MEMBERS.items()}
    procs = {login: _start(office_of[login], data, go, codes) for login, codes in work_of.items()}
    procs[SECRETARIAT] = _start(as_login(pg_url, SECRETARIAT), data, go,
                                [(c, leaves[c][1], "") for c in in_area["1"]])
    go.touch()
    results = {login: finish(p) for login, p in procs.items()}
    for login, lines in results.items():
        assert lines and all(line.get("ok") for line in lines), (login, lines)

    # A member's score on the other's area: refused by the service, in one sentence.
    other = in_area["6"][0]
    err = refused(tuphap, data, "appraise", "score", UNIT, other, "0", "--year", str(YEAR))
    assert "Lĩnh vực 6 được giao cho Sở Tài chính; bạn không thể chấm điểm lĩnh vực này." \
        in err, err
    # An area nobody was given (the secretariat scores area 1 itself) is not the member's.
    err = refused(tuphap, data, "appraise", "score", UNIT, in_area["1"][0], "0",
                   "--year", str(YEAR))
    assert "Lĩnh vực 1 năm 2025 không được giao cho bạn" in err, err
    # A change the program does not check first (the office's own lists), made under a
    # member's login: the server refuses it, and the member reads one sentence.
    err = refused(tuphap, data, "office", "departments", "add", "Phòng Tư pháp")
    assert "Tài khoản máy chủ của bạn không được thực hiện thay đổi này" in err, err
    assert "Phòng Tư pháp" not in ok(pg_url, data, "office", "departments", "list")
    # Importing, accepting, returning and publishing are the secretariat's; so is
    # managing the council.
    for args in (("sync", "import", str(demo / "usb" / "nop-06172-2025.cchc")),
                 ("hub", "assign", "--member", "tv_taichinh", "--area", "2"),
                 ("appraise", "accept", UNIT, "--year", str(YEAR)),
                 ("appraise", "return", UNIT, "--reason", "Thiếu", "--year", str(YEAR)),
                 ("appraise", "publish", "--year", str(YEAR), "--decision-number", "1/QĐ",
                  "--decision-date", "15/03/2026", "--confirm-incomplete")):
        err = refused(taichinh, data, *args)
        assert "Chỉ Tổ thư ký Hội đồng thẩm định" in err and "tv_taichinh" in err, (args, err)

    # The same by hand in SQL, under the member's login: the server refuses it.
    conninfo = "postgresql:" + tuphap.split(":", 1)[1]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        aid = conn.execute("SELECT id FROM assessments").fetchone()[0]
        # Someone else's area: no row is the member's to update (row-level security).
        done = conn.execute("UPDATE node_scores SET appraised_score = '0' "
                            "WHERE assessment_id = %s AND node_code = %s", (aid, other))
        assert done.rowcount == 0
        # Its own area, but a column that is the commune's: no privilege.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE node_scores SET self_score = '0' WHERE node_code = %s",
                         (in_area["2"][0],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO node_scores (assessment_id, node_code, declared_json, "
                         "not_applicable, explanation, appraisal_comment, needs_reappraisal, "
                         "updated_at, appraised_score) VALUES (%s, '6.99', '{}', false, '', "
                         "'', false, now(), '1')", (aid,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("UPDATE assessments SET status = 'published'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM node_scores")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE audit_log SET actor = 'ai đó'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO audit_log (at, actor, entity, entity_key, "
                         "assessment_uuid, field, old_value, new_value, source, login) "
                         "VALUES (now(), 'x', 'node', '2.1', '', 'f', '', '', 'local', "
                         "'tv_taichinh')")
        # Its own area by hand is within its rights (as through the program).
        done = conn.execute("UPDATE node_scores SET appraisal_comment = 'tay' "
                            "WHERE assessment_id = %s AND node_code = %s", (aid, in_area["2"][0]))
        assert done.rowcount == 1

    # The secretariat's own login has no CREATEROLE (docs/hub.md, "Accounts"): a login the
    # server lacks is one sentence; one the IT staff made is adopted, and its member scores
    # its area at once.
    secretariat = as_login(pg_url, SECRETARIAT)
    khcn = ("tv_khcn", "--name", "Sở Khoa học và Công nghệ")
    err = refused(secretariat, data, "hub", "member", "add", *khcn)
    assert "createuser --pwprompt tv_khcn" in err, err
    with psycopg.connect("postgresql:" + pg_url.split(":", 1)[1], autocommit=True) as conn:
        conn.execute("CREATE ROLE tv_khcn LOGIN")
    assert "đã có" in ok(secretariat, data, "hub", "member", "add", *khcn)
    ok(secretariat, data, "hub", "assign", "--member", "tv_khcn", "--area", "7")
    ok(as_login(pg_url, "tv_khcn"), data, "appraise", "score", UNIT, in_area["7"][0], "0",
        "--comment", "KHCN", "--year", str(YEAR))

    # The secretariat's login (not the database's owner) accepts the rest and publishes.
    ok(secretariat, data, "appraise", "accept", UNIT, "--year", str(YEAR))
    ok(secretariat, data, "appraise", "publish", "--year", str(YEAR), "--decision-number",
        "70/QĐ-UBND", "--decision-date", "15/03/2026", "--confirm-incomplete")

    # The final state, read by the owner: every member's score and comment as saved, the
    # audit trail naming each change's login and member, the assessment published.
    with psycopg.connect("postgresql:" + pg_url.split(":", 1)[1]) as conn:
        rows = {code: (score, comment) for code, score, comment in conn.execute(
            "SELECT node_code, appraised_score, appraisal_comment FROM node_scores")}
        status = conn.execute("SELECT status FROM assessments").fetchone()[0]
        published = conn.execute("SELECT count(*) FROM published_results").fetchone()[0]
        audit = list(conn.execute(
            "SELECT entity_key, login, actor FROM audit_log "
            "WHERE field = 'appraised_score' AND entity = 'node'"))
    assert status == "published" and published == 1
    for login, (name, area) in MEMBERS.items():
        for code in in_area[area]:
            comment = "tay" if code == in_area["2"][0] else f"{name} đã xem"
            assert rows[code] == (leaves[code][1], comment), code
            assert (code, login, name) in audit, (code, audit)
    assert {login for code, login, _a in audit if code in in_area["1"]} == {SECRETARIAT}
    assert rows[in_area["7"][0]] == ("0", "KHCN")
    assert (in_area["7"][0], "tv_khcn", "Sở Khoa học và Công nghệ") in audit
    assert rows[other][0] == leaves[other][1]  # untouched by the refused attempts

    # A table a later migration adds (made by the owner) is readable by a member without
    # adding it again; removing a member takes its areas and its rights with it.
    with psycopg.connect("postgresql:" + pg_url.split(":", 1)[1], autocommit=True) as conn:
        conn.execute("CREATE TABLE later_table (x integer)")
    finance = "postgresql:" + taichinh.split(":", 1)[1]
    with psycopg.connect(finance) as conn:
        conn.execute("SELECT count(*) FROM later_table")
    said = ok(pg_url, data, "hub", "member", "remove", "tv_taichinh")
    assert "Sở Tài chính (tv_taichinh)" in said, said
    assert "tv_taichinh" not in ok(pg_url, data, "hub", "areas")
    for table in ("node_scores", "later_table"):
        with psycopg.connect(finance) as conn, \
                pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SELECT count(*) FROM {table}")


def test_a_database_file_has_no_council_and_stays_as_it_was(tmp_path: Path) -> None:
    """A file has one user: members are refused in one sentence, nothing is written, and
    every other command behaves as before (no member, no check)."""
    from tests.sync_support import dump

    db = tmp_path / "office" / "parapp.sqlite3"
    code, _out, err = run(db, "init", "--role", "appraiser", "--unit-code", "20", "--sample",
                          data_dir=tmp_path)
    assert code == 0, err
    before = dump(db)
    for args in (("hub", "member", "add", "tv_tuphap", "--name", "Sở Tư pháp"),
                 ("hub", "assign", "--member", "tv_tuphap", "--area", "2", "--year", "2025")):
        code, _out, err = run(db, *args, data_dir=tmp_path)
        assert code == 1 and "chỉ áp dụng cho cơ sở dữ liệu trên máy chủ" in err, (args, err)
    code, out, err = run(db, "hub", "member", "list", data_dir=tmp_path)
    assert code == 0 and "Hội đồng chưa có thành viên" in out, err
    assert dump(db) == before
