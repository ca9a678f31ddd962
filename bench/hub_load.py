"""The council on one PostgreSQL server under load (issue 18, point 6): the first run shape.

Member processes, one per area, each under its own login, save scores and comments on
their area's criteria of the submitted units at a steady rate (as people type), each save
carrying what that member saw last (the conflict rule); meanwhile the secretariat's
process brings in the other half of the units' submissions and then reads the units'
table (every unit's self and appraised index). Printed: the median and 95th-percentile
save time, the secretariat's times, and whether the database holds exactly the values
each member saved last (no lost update; no error, no conflict seen by a member).

    python bench/hub_load.py                         # scaled down: 40 units, 4 members, 15 s
    python bench/hub_load.py --units 160 --members 8 --seconds 60   # issue 18's shape

Without ``--url`` a throwaway cluster is started (tests/pg_support.py) and each member
connects under its own login; with ``--url`` (an empty database the login owns) every
process uses that URL's login. Not measured yet: the submissions arrive through the
services an import uses (a new assessment, its self-scores, submitted), not as sealed
packages; the sample criteria set (about 80 criteria), not 150; the second run shape
(members saving as fast as they can).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
YEAR = 2025


def _as(url: str, login: str) -> str:
    return url.replace("postgresql://parapp@", f"postgresql://{login}@", 1)


def _leaves_by_area(db: object) -> dict[str, list[tuple[str, Decimal]]]:
    from parapp.domain.criteria import ScoreKind
    from parapp.services import criteria

    cset = criteria.get_set(db)  # type: ignore[arg-type]
    out: dict[str, list[tuple[str, Decimal]]] = {}
    for node in cset.leaves():
        if node.score_kinds and node.max_points > 0 and ScoreKind.SURVEY not in node.score_kinds:
            out.setdefault(cset.area_of(node.code).code, []).append((node.code, node.max_points))
    return out


def _again(step: object, lost: list[int]) -> object:
    """``step()``, run again while it loses to a concurrent save (counted in ``lost``): the
    services a real import uses are not retried by themselves yet."""
    from sqlalchemy.exc import DBAPIError

    from db.engine import lost_to_concurrent

    while True:
        try:
            return step()  # type: ignore[operator]
        except DBAPIError as exc:
            if not lost_to_concurrent(exc):
                raise
            lost[0] += 1


def _submit(db: object, code: str, lost: list[int] | None = None) -> None:
    """What importing the unit's submission leaves: its assessment, self-scored at the
    maximum, submitted (each step run again when it loses to a member's save)."""
    from db.models import AssessmentRow
    from parapp.domain.assessment import AssessmentStatus
    from parapp.domain.criteria import ScoreKind
    from parapp.services import assessments, criteria
    from parapp.services.assessments import SelfEntry

    cset = criteria.get_set(db)  # type: ignore[arg-type]
    entries = [SelfEntry(code=n.code, typed=n.max_points) for n in cset.leaves()
               if ScoreKind.SELF in n.score_kinds]
    lost = lost if lost is not None else [0]
    info = _again(lambda: assessments.new_assessment(db, YEAR, unit_code=code), lost)
    _again(lambda: assessments.set_self_scores(db, info.id, entries), lost)  # type: ignore[attr-defined]

    def submitted() -> None:
        with db.session() as s:  # type: ignore[attr-defined]
            row = s.get(AssessmentRow, info.id)  # type: ignore[attr-defined]
            row.status = AssessmentStatus.SUBMITTED.value

    _again(submitted, lost)


# -- the processes ------------------------------------------------------------------------
def member(url: str, go: str, plan: str) -> None:
    """Save ``plan`` ([unit, code, max] each) round after round at ``rate`` a second."""
    from parapp.services.appraisal import appraise_node
    from parapp.services.appraisal_conflicts import Conflict, Seen
    from parapp.services.office import open_office

    work = json.loads(plan)
    office = open_office(url)
    seen: dict[str, tuple[str | None, str]] = {}
    times: list[float] = []
    errors: list[str] = []
    while not Path(go).exists():
        time.sleep(0.005)
    start = time.perf_counter()
    k = 0
    while time.perf_counter() - start < work["seconds"]:
        unit, code, top = work["saves"][k % len(work["saves"])]
        value = "0" if (k // len(work["saves"])) % 2 == 0 else top
        comment = f"{work['login']} lần {k}"
        old = seen.get(f"{unit}/{code}", (None, ""))
        due = start + k / work["rate"]
        time.sleep(max(0.0, due - time.perf_counter()))
        began = time.perf_counter()
        try:
            appraise_node(office, unit, YEAR, code, Decimal(value), comment,
                          seen=Seen(None if old[0] is None else Decimal(old[0]), old[1]))
            seen[f"{unit}/{code}"] = (value, comment)
        except Conflict as exc:
            errors.append(f"conflict: {exc}")
        except Exception as exc:  # a user would have seen it: counted, not hidden
            errors.append(f"{type(exc).__name__}: {exc}")
        times.append((time.perf_counter() - began) * 1000)
        k += 1
    office.close()
    print(json.dumps({"times": times, "errors": errors, "final": seen}))


def secretariat(url: str, go: str, plan: str) -> None:
    from parapp.services.appraisal import unit_statuses
    from parapp.services.office import open_office

    codes = json.loads(plan)
    office = open_office(url)
    while not Path(go).exists():
        time.sleep(0.005)
    each, lost = [], [0]
    for code in codes:
        began = time.perf_counter()
        _submit(office, code, lost)
        each.append((time.perf_counter() - began) * 1000)
    began = time.perf_counter()
    units = unit_statuses(office, YEAR)
    table = (time.perf_counter() - began) * 1000
    office.close()
    print(json.dumps({"submissions": each, "table_ms": table, "units": len(units),
                      "lost": lost[0]}))


# -- the run ------------------------------------------------------------------------------
def _spawn(
    role: str, url: str, go: Path, plan: object, env: dict[str, str]
) -> subprocess.Popen[str]:
    script = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.hub_load import "
              f"{role}; {role}(*sys.argv[1:])")
    return subprocess.Popen([sys.executable, "-c", script, url, str(go), json.dumps(plan)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def run(url: str, args: argparse.Namespace, own_logins: bool, data: Path) -> int:
    from parapp.domain.units import Unit, UnitKind
    from parapp.services import council
    from parapp.services.appraisal import add_unit
    from parapp.services.office import open_office

    env = dict(os.environ, PARAPP_DATA_DIR=str(data), PARAPP_LANG="vi")
    done = subprocess.run([sys.executable, "-m", "ui.launcher", "--db", url, "init", "--role",
                           "appraiser", "--unit-code", "20", "--sample"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"init failed: {done.stderr.strip()}")
    db = open_office(url)
    codes = [f"9{i:04d}" for i in range(args.units)]
    for i, code in enumerate(codes):
        add_unit(db, Unit(code, f"Xã Thử Nghiệm {i + 1}", UnitKind.COMMUNE,
                          province_name="Tỉnh Lạng Sơn"))
    first, later = codes[: args.units // 2], codes[args.units // 2:]
    for code in first:
        _submit(db, code)
    areas = _leaves_by_area(db)
    logins = []
    for i, area in enumerate(sorted(areas, key=lambda a: (not a.isdigit(), a))[: args.members]):
        login = f"bench_tv{i + 1}"
        if own_logins:
            council.add_member(db, login, f"Thành viên {i + 1}")
            council.assign(db, login, area, year=YEAR)
        logins.append((login, area))
    db.close()

    go = data / "go"
    procs = []
    for login, area in logins:
        saves = [[u, c, f"{m:f}"] for u in first for c, m in areas[area]]
        plan = {"login": login, "saves": saves, "rate": args.rate, "seconds": args.seconds}
        procs.append(_spawn("member", _as(url, login) if own_logins else url, go, plan, env))
    boss = _spawn("secretariat", url, go, later, env)
    time.sleep(1.0)  # every process has opened its connection
    go.touch()
    results = [json.loads(p.communicate(timeout=args.seconds + 600)[0]) for p in procs]
    side = json.loads(boss.communicate(timeout=600)[0])

    times = sorted(t for r in results for t in r["times"])
    errors = [e for r in results for e in r["errors"]]
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{args.members} members x {args.rate}/s for {args.seconds} s on {len(first)} "
          f"units; {len(later)} submissions arriving meanwhile")
    print(f"saves: {len(times)}, median {statistics.median(times):.1f} ms, "
          f"95th percentile {p95:.1f} ms, max {times[-1]:.1f} ms; errors/conflicts seen: "
          f"{len(errors)}")
    subs = side["submissions"]
    print(f"secretariat: {len(subs)} submissions, median {statistics.median(subs):.0f} ms "
          f"each, {side['lost']} of their steps lost to a member's save and were run "
          f"again; the units' table of {side['units']} units: {side['table_ms']:.0f} ms")
    for e in errors[:5]:
        print("  ", e)
    exact = _check(url, results)
    print(f"final values exact: {'yes' if exact else 'NO'}")
    return 0 if exact and not errors else 1


def _check(url: str, results: list[dict[str, object]]) -> bool:
    import psycopg

    with psycopg.connect("postgresql:" + url.split(":", 1)[1]) as conn:
        stored = {(u, c): (s, m) for u, c, s, m in conn.execute(
            "SELECT u.code, n.node_code, n.appraised_score, n.appraisal_comment "
            "FROM node_scores n JOIN assessments a ON a.id = n.assessment_id "
            "JOIN units u ON u.id = a.unit_id")}
    wrong = 0
    for r in results:
        for key, (value, comment) in r["final"].items():  # type: ignore[attr-defined]
            unit, code = key.split("/")
            score, saved = stored.get((unit, code), (None, None))
            if score is None or Decimal(score) != Decimal(value) or saved != comment:
                wrong += 1
    if wrong:
        print(f"  {wrong} values differ from what their member saved last")
    return wrong == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an empty database on a server (else a throwaway one)")
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--rate", type=float, default=5.0, help="saves a second per member")
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parapp-hub-load-") as tmp:
        data = Path(tmp) / "data"
        if args.url:
            return run(args.url, args, False, data)
        from tests import pg_support

        clusters = pg_support.start_cluster()
        cluster = next(clusters)
        try:
            return run(cluster.createdb("hub_load"), args, True, data)
        finally:
            clusters.close()


if __name__ == "__main__":
    raise SystemExit(main())
