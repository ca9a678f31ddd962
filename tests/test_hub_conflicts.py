"""Working at the same time without losing anything, on a real PostgreSQL server (issue 18,
point 4; engine: PostgreSQL, the same rule in a file: tests/test_appraisal_conflicts.py).

Two members saving different areas of one unit, round after round, as fast as they can,
all succeed: the service runs a save again when it loses to the other (both change the
assessment's row). Two saves of the same score that both read the old value: one is saved,
the other refused with who changed it and when, and nothing is lost.

Each member works in its own process under its own login, as on its own PC.
"""

from __future__ import annotations

import json
import subprocess
import time
from decimal import Decimal
from pathlib import Path

from tests.hub_support import as_login, finish, ok, secretariat_office, start_worker
from tests.test_hub_council import MEMBERS, SECRETARIAT, UNIT, YEAR, _leaves


def _start(url: str, data: Path, go: Path, payload: object) -> subprocess.Popen[str]:
    """A member's PC running ``saver``."""
    return start_worker("tests.test_hub_conflicts:saver", url, data, go, payload)


def saver(argv: list[str]) -> None:
    """``URL GO_FILE SAVES_JSON``: wait for GO_FILE, then save each ``[code, value, seen]``
    (``seen``: the score the person saw, null for none; the comment is left as it is);
    print one JSON line per save: saved, or the sentence of the refusal. Any other error
    ends the process with its traceback (a user would have seen it)."""
    from parapp.i18n import message
    from parapp.services.appraisal import appraise_node
    from parapp.services.appraisal_conflicts import Conflict, Seen
    from parapp.services.office import open_office

    url, go, saves = argv[0], Path(argv[1]), json.loads(argv[2])
    office = open_office(url)
    try:
        while not go.exists():
            time.sleep(0.005)
        for code, value, seen in saves:
            started = time.perf_counter()
            try:
                appraise_node(office, UNIT, YEAR, code, Decimal(value), None,
                              seen=Seen(None if seen is None else Decimal(seen)))
                line: dict[str, object] = {"code": code, "ok": True}
            except Conflict as exc:
                line = {"code": code, "refused": message(exc)}
            line["ms"] = round((time.perf_counter() - started) * 1000, 1)
            print(json.dumps(line, ensure_ascii=False), flush=True)
    finally:
        office.close()


def _council(demo_db: Path, pg_url: str, data: Path) -> dict[str, tuple[str, str]]:
    """The secretariat's office on the server with the commune's submission, the two
    members on areas 2 and 6 and a secretariat login of its own; the unit's leaves."""
    demo = demo_db.parent.parent
    secretariat_office(pg_url, demo, data)
    for login, (name, area) in MEMBERS.items():
        ok(pg_url, data, "hub", "member", "add", login, "--name", name)
        ok(pg_url, data, "hub", "assign", "--member", login, "--area", area)
    ok(pg_url, data, "hub", "member", "add", SECRETARIAT, "--name", "Văn phòng Sở Nội vụ",
        "--secretariat")
    return _leaves(pg_url, data)


def _stored(pg_url: str) -> dict[str, str | None]:
    import psycopg

    with psycopg.connect("postgresql:" + pg_url.split(":", 1)[1]) as conn:
        return dict(conn.execute("SELECT node_code, appraised_score FROM node_scores"))


def test_two_members_saving_different_areas_of_one_unit_at_once_all_succeed(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    leaves = _council(demo_db, pg_url, data)
    go = tmp_path / "go"
    # Each member scores every criterion of its area, round after round, alternating 0
    # and the unit's self score: each save changes the value it saw last.
    rounds, procs, expected = 6, {}, {}
    for login, (_name, area) in MEMBERS.items():
        codes = sorted(c for c, (a, _v) in leaves.items() if a == area)
        saves: list[list[object]] = []
        seen: dict[str, str | None] = dict.fromkeys(codes)
        for r in range(rounds):
            for code in codes:
                value = "0" if r % 2 == 0 else leaves[code][1]
                saves.append([code, value, seen[code]])
                seen[code] = value
                expected[code] = value
        procs[login] = _start(as_login(pg_url, login), data, go, saves)
    go.touch()
    results = {login: finish(p) for login, p in procs.items()}
    for login, lines in results.items():
        assert lines and all(line.get("ok") for line in lines), (login, lines)
    stored = _stored(pg_url)
    assert {c: Decimal(stored[c]) for c in expected} == {  # type: ignore[arg-type]
        c: Decimal(v) for c, v in expected.items()
    }


def test_two_saves_of_the_same_score_the_later_is_refused_and_nothing_is_lost(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    leaves = _council(demo_db, pg_url, data)
    # Area 2 is the justice department's; the secretariat may score any area. Both read
    # the criteria unscored, then type a different score in the same ones at once.
    codes = sorted(c for c, (a, v) in leaves.items() if a == "2" and Decimal(v) != 0)
    assert codes
    typed = {"tv_tuphap": {c: "0" for c in codes},
             SECRETARIAT: {c: leaves[c][1] for c in codes}}
    names = {"tv_tuphap": "Sở Tư pháp", SECRETARIAT: "Văn phòng Sở Nội vụ"}
    go = tmp_path / "go"
    procs = {login: _start(as_login(pg_url, login), data, go,
                           [[c, values[c], None] for c in codes])
             for login, values in typed.items()}
    go.touch()
    results = {login: {line["code"]: line for line in finish(p)} for login, p in procs.items()}
    stored = _stored(pg_url)
    for code in codes:
        outcome = {login: results[login][code] for login in typed}
        saved = [login for login, line in outcome.items() if line.get("ok")]
        assert len(saved) == 1, (code, outcome)
        winner = saved[0]
        loser = next(login for login in typed if login != winner)
        said = str(outcome[loser]["refused"])
        value = Decimal(typed[loser][code])
        assert said.startswith(f"Điểm tiêu chí {code} của "), said
        assert f" vừa được {names[winner]} sửa lúc " in said, said
        assert f"điểm bạn nhập ({value:.2f}".replace(".", ",") in said, said
        assert said.endswith("chưa được ghi — xem lại rồi nhập lại."), said
        # The first value stays.
        assert Decimal(stored[code]) == Decimal(typed[winner][code])  # type: ignore[arg-type]
    # The refused member re-applies its value on what it now sees: saved.
    code = codes[0]
    loser = next(login for login in typed
                 if not results[login][code].get("ok"))
    winner_value = next(typed[login][code] for login in typed if login != loser)
    proc = _start(as_login(pg_url, loser), data, go, [[code, typed[loser][code], winner_value]])
    assert finish(proc)[0].get("ok")
    assert Decimal(_stored(pg_url)[code]) == Decimal(typed[loser][code])  # type: ignore[arg-type]
