"""Fault trials: kill a process (SIGKILL) at random points while it writes, then check.

For each trial a child process (forked, so it starts in microseconds) runs one operation on
a fresh copy of an office's data folder, and is killed after a random delay drawn from the
operation's own duration (measured uninterrupted first). Afterwards, as the next start of
the program would:

* ``PRAGMA integrity_check`` must say ok;
* the database must equal, row for row, the state before the operation or the state after
  it (a canonical dump: the schema, then every table's rows sorted) — never anything between;
* the program must open it (finishing a migration that was interrupted);
* every backup listed must pass its check (an interrupted backup leaves no half backup).

Values the operation itself generates (timestamps of this run, new UUIDs) are compared as
placeholders, since a second run cannot reproduce them. SIGKILL tests process crashes; a
power cut also loses the OS's unwritten pages, which ``synchronous=FULL`` and fsync cover
but this script cannot simulate.

Operations: ``save`` (self scores via parapp.services.assessments), ``scores-import``,
``criteria-import``, ``backup`` (database + files), ``restore`` and ``migration`` (from the
committed fixture tests/fixtures/schema-0001_initial.sqlite3).

    python scripts/fault_trials.py            # 60 trials (10 per operation)
    python scripts/fault_trials.py -n 24 --seed 7
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURE_0001 = ROOT / "tests" / "fixtures" / "schema-0001_initial.sqlite3"
OPS = ("save", "scores-import", "criteria-import", "backup", "restore", "migration")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# -- comparing databases ------------------------------------------------------------------
def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return ", ".join(str(r[0]) for r in con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def canonical(path: Path, since: str = "9999", known: frozenset[str] = frozenset()) -> str:
    """Schema and rows, sorted; timestamps from ``since`` on and UUIDs not in ``known``
    replaced by placeholders (values only this run could have made)."""
    con = sqlite3.connect(path)
    try:
        lines = sorted(
            f"{t}|{n}|{s}"
            for t, n, s in con.execute("SELECT type, name, sql FROM sqlite_master")
            if not n.startswith("sqlite_")
        )
        tables = sorted(
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        )
        for table in tables:
            rows = []
            for row in con.execute(f'SELECT * FROM "{table}"'):
                rows.append(repr(tuple(_mask(v, since, known) for v in row)))
            lines.append(f"== {table} ({len(rows)})")
            lines.extend(sorted(rows))
        return "\n".join(lines)
    finally:
        con.close()


def _mask(value: object, since: str, known: frozenset[str]) -> object:
    if isinstance(value, str):
        if _DATETIME.match(value) and value.replace("T", " ") >= since:
            return "<this run>"
        if _UUID.match(value) and value not in known:
            return "<new uuid>"
    return value


def uuids(path: Path) -> frozenset[str]:
    con = sqlite3.connect(path)
    try:
        found: set[str] = set()
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for row in con.execute(f'SELECT * FROM "{table}"'):
                found.update(v for v in row if isinstance(v, str) and _UUID.match(v))
        return frozenset(found)
    finally:
        con.close()


# -- the office the trials work on ----------------------------------------------------------
def build_template(folder: Path) -> dict[str, Path]:
    """An office with the sample set, a scored assessment, evidence, a backup, and the
    files the imports read."""
    from db.engine import open_database
    from parapp.domain.units import Unit, UnitKind
    from parapp.services import assessments, backups, criteria, evidence
    from parapp.services.demo import _scores_csv
    from parapp.services.setup import init_database

    office = folder / "office"
    db_path = office / "parapp.sqlite3"
    init_database(db_path, Unit("00004", "Xã Hoàng Việt", UnitKind.COMMUNE))
    db = open_database(db_path)
    try:
        criteria.import_set(db, criteria.sample_set())
        info = assessments.new_assessment(db, 2025)
        cset = criteria.get_set(db)
        doc = folder / "quyet-dinh.txt"
        doc.write_text("Quyết định số 12/QĐ-UBND", encoding="utf-8")
        evidence.add_evidence(db, doc, node_codes=["1.1.1"], title="Quyết định")
        assessments.set_self_scores(db, info.id, [assessments.SelfEntry("2.4", typed=Decimal("1"))])
    finally:
        db.close()
    files = folder / "inputs"
    files.mkdir()
    scores = files / "scores.csv"
    scores.write_bytes(_scores_csv(cset, 2025))
    other = files / "other-set.json"
    criteria_path = files / "sample.json"
    db = open_database(db_path)
    try:
        criteria.export_set(db, criteria_path)
    finally:
        db.close()
    data = json.loads(criteria_path.read_text("utf-8"))
    data["code"] = data["code"] + "-B"
    other.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    made = backups.make_with_files(db_path)  # what the restore trial goes back to
    db = open_database(db_path)
    try:  # then change something, so the restore has work to do
        changed = [assessments.SelfEntry("2.4", typed=Decimal("0.5"))]
        assessments.set_self_scores(db, info.id, changed)
    finally:
        db.close()
    migration = folder / "old" / "parapp.sqlite3"
    migration.parent.mkdir()
    shutil.copyfile(FIXTURE_0001, migration)
    return {"db": db_path, "scores": scores, "criteria": other, "backup": made.info.path,
            "old": migration}


def _save(db_path: Path, inputs: dict[str, Path]) -> None:
    from db.engine import open_database
    from parapp.domain.criteria import ScoreKind
    from parapp.domain.scoring import Answer, Declared
    from parapp.services import assessments, criteria

    db = open_database(db_path)
    try:
        info = assessments.get_info(db, 2025)
        cset = criteria.get_set(db)
        entries = [  # every criterion in one save: a long transaction
            assessments.SelfEntry(node.code, explanation="Đã rà soát lại " + node.code)
            for node in cset.leaves()
            if ScoreKind.SELF in node.score_kinds
        ]
        entries.append(assessments.SelfEntry("1.1.1", declared=Declared(answer=Answer.YES)))
        assessments.set_self_scores(db, info.id, entries)
    finally:
        db.close()


def _scores_import(db_path: Path, inputs: dict[str, Path]) -> None:
    from db.engine import open_database
    from parapp.services.scores_import import import_scores

    db = open_database(db_path)
    try:
        import_scores(db, inputs["scores"], 2025)
    finally:
        db.close()


def _criteria_import(db_path: Path, inputs: dict[str, Path]) -> None:
    from db.engine import open_database
    from parapp.services import criteria

    db = open_database(db_path)
    try:
        criteria.import_file(db, inputs["criteria"])
    finally:
        db.close()


def _backup(db_path: Path, inputs: dict[str, Path]) -> None:
    from parapp.services import backups

    backups.make_with_files(db_path, full=True)


def _restore(db_path: Path, inputs: dict[str, Path]) -> None:
    from parapp.services import backups

    backups.restore_with_files(db_path, inputs["backup"].name)


def _migration(db_path: Path, inputs: dict[str, Path]) -> None:
    from db.engine import open_database

    open_database(db_path).close()


OPERATIONS: dict[str, tuple[Callable[[Path, dict[str, Path]], None], str]] = {
    "save": (_save, "db"),
    "scores-import": (_scores_import, "db"),
    "criteria-import": (_criteria_import, "db"),
    "backup": (_backup, "db"),
    "restore": (_restore, "db"),
    "migration": (_migration, "old"),
}


# -- one trial ----------------------------------------------------------------------------
def _fork_run(op: str, inputs: dict[str, Path], kill_after: float | None) -> tuple[bool, float]:
    """Run ``op`` in a forked child; kill it after ``kill_after`` s. Returns (finished on
    its own, seconds it ran)."""
    fn, _which = OPERATIONS[op]
    target = inputs[OPERATIONS[op][1]]
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: do the work, never return into the caller's stack
        code = 0
        try:
            fn(target, inputs)
        except BaseException as exc:  # reported to the parent by exit code
            sys.stderr.write(f"trial child failed: {exc!r}\n")
            code = 3
        os._exit(code)
    if kill_after is not None:
        deadline = start + kill_after
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status) == 0, time.monotonic() - start
            time.sleep(min(0.002, max(0.0, deadline - time.monotonic())))
        os.kill(pid, signal.SIGKILL)
    _done, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if kill_after is None and code != 0:
        raise RuntimeError(f"{op}: the uninterrupted run failed (exit {code})")
    return code == 0, time.monotonic() - start


def _copy_inputs(template: Path, work: Path, inputs: dict[str, Path]) -> dict[str, Path]:
    shutil.copytree(template, work)
    return {k: work / v.relative_to(template) for k, v in inputs.items()}


def _state(path: Path, since: str, known: frozenset[str]) -> str:
    return canonical(path, since, known)


class Trials:
    def __init__(self, folder: Path, seed: int) -> None:
        self.folder = folder
        self.random = random.Random(seed)
        self.template = folder / "template"
        self.template.mkdir()
        self.inputs = build_template(self.template)
        self.reference: dict[str, tuple[str, str, float]] = {}
        self.count = 0
        self.since = datetime.now().strftime("%Y-%m-%d %H:%M:%S")

    def _reference(self, op: str) -> tuple[str, str, float]:
        """Before and after states, and the duration, of an uninterrupted run."""
        if op not in self.reference:
            work = self.folder / f"reference-{op}"
            inputs = _copy_inputs(self.template, work, self.inputs)
            target = inputs[OPERATIONS[op][1]]
            known = uuids(target)
            before = _state(target, self.since, known)
            _ok, took = _fork_run(op, inputs, None)
            after = _state(target, self.since, known)
            # Once more on a fresh copy: the first run pays for cold caches and imports,
            # and a delay drawn from it would mostly land after the end.
            again = _copy_inputs(self.template, self.folder / f"reference2-{op}", self.inputs)
            took = min(took, _fork_run(op, again, None)[1])
            if before == after and op != "backup":  # a backup must not change the data
                raise RuntimeError(f"{op}: the operation changed nothing; the trial is moot")
            self.reference[op] = (before, after, took)
        return self.reference[op]

    def run(self, op: str) -> str:
        """One trial; returns its outcome: before / after / finished, or a failure."""
        from db.backup import check_backup, list_backups
        from db.engine import open_database
        from db.location import DataPaths

        before, after, took = self._reference(op)
        self.count += 1
        work = self.folder / f"trial-{self.count:03d}-{op}"
        inputs = _copy_inputs(self.template, work, self.inputs)
        target = inputs[OPERATIONS[op][1]]
        known = uuids(target)
        delay = self.random.uniform(0.0, took * 1.1)
        finished, _ran = _fork_run(op, inputs, delay)
        check = integrity(target)
        if check != "ok":
            return f"FAILED integrity: {check}"
        state = _state(target, self.since, known)
        outcome = "finished" if finished else (
            "before" if state == before else "after" if state == after else "BETWEEN"
        )
        if outcome == "BETWEEN" or (finished and state != after):
            (work / "state-found.txt").write_text(state, "utf-8")
            (work / "state-before.txt").write_text(before, "utf-8")
            (work / "state-after.txt").write_text(after, "utf-8")
            return f"FAILED between before and after (see {work})"
        for b in list_backups(DataPaths(target).backups):
            check_backup(b.path)  # raises on a half-written backup
        open_database(target).close()  # the next start copes (and finishes a migration)
        if integrity(target) != "ok":
            return "FAILED integrity after reopening"
        shutil.rmtree(work, ignore_errors=True)
        return outcome


def run_trials(n: int, seed: int = 1, ops: tuple[str, ...] = OPS) -> Counter[tuple[str, str]]:
    """``n`` trials spread over ``ops``; counts of (operation, outcome)."""
    counts: Counter[tuple[str, str]] = Counter()
    with tempfile.TemporaryDirectory(prefix="parapp-faults-") as tmp:
        trials = Trials(Path(tmp), seed)
        for i in range(n):
            op = ops[i % len(ops)]
            counts[(op, trials.run(op))] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=60, help="number of trials (default 60)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not hasattr(os, "fork"):
        print("fault trials need os.fork (Linux, macOS)", file=sys.stderr)
        return 2
    started = time.monotonic()
    counts = run_trials(args.n, args.seed)
    failures = 0
    print(f"{'operation':<16} {'before':>7} {'after':>7} {'finished':>9} {'failed':>7}")
    for op in OPS:
        row = {k[1]: v for k, v in counts.items() if k[0] == op}
        failed = sum(v for k, v in row.items() if k.startswith("FAILED"))
        failures += failed
        print(
            f"{op:<16} {row.get('before', 0):>7} {row.get('after', 0):>7} "
            f"{row.get('finished', 0):>9} {failed:>7}"
        )
    for (op, outcome), v in sorted(counts.items()):
        if outcome.startswith("FAILED"):
            print(f"  {op}: {outcome} x{v}")
    print(f"{sum(counts.values())} trials, {failures} failed, {time.monotonic() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
