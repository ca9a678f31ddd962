"""An import killed with SIGKILL at random moments leaves the appraiser's database as it was
before or as it is after a complete import, never in between; running the import again
then completes normally.

The package is a 2026 submission of the demo commune carrying ~20 MB of evidence, so the
import takes long enough to be hit in every phase (checks, evidence copy, transaction).
The child process prints "start" just before calling ``import_packages``; the kill comes a
random time after that line (seeded), spread over the measured length of a whole import.

Compared: every row of every table, except the columns an import fills with the clock
(``now()``) that a second run cannot reproduce; see ``CLOCK_COLUMNS``.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sync_support import copy_demo, draft_2026_submission, stable_dump

from db.engine import open_database
from parapp.services import sync_import, sync_keys
from parapp.sync.package import read_package, write_package

ROOT = Path(__file__).resolve().parent.parent
TRIALS = 10
SEED = 20260
EVIDENCE_FILES, EVIDENCE_SIZE = 10, 2 * 1024**2
# Times written with now() during the import: different on every run.
CLOCK_COLUMNS = {
    "sync_log": {"logged_at"},
    "assessments": {"created_at", "updated_at"},
    "node_scores": {"updated_at"},
    "evidence": {"added_at"},
    "audit_log": {"at"},
}

CHILD = """
import sys, time
from pathlib import Path
from db.engine import open_database
from parapp.services import sync_import
db = open_database(Path(sys.argv[1]))
print("start", flush=True)
began = time.perf_counter()
statuses = [o.status for _d, _t, o in sync_import.import_packages(db, [Path(sys.argv[2])])]
print("done", time.perf_counter() - began, *statuses, flush=True)
"""


def _spawn(db_path: Path, package: Path, script: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(script), str(db_path), str(package)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=env)


def _integrity(db_path: Path) -> str:
    con = sqlite3.connect(db_path)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


@pytest.fixture(scope="module")
def big(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(pristine appraiser folder, package with ~20 MB of evidence, child script)."""
    root = copy_demo(demo_db, tmp_path_factory.mktemp("kill") / "demo")
    valid = draft_2026_submission(root)
    own = sync_keys.own_keys(root / "commune" / "parapp.sqlite3")
    opened = read_package(valid, {own.fingerprint: own.signing.public_bytes}, None)
    data = opened.data
    rng = random.Random(SEED)
    evidence = {sha: root / "commune" / "evidence" / sha[:2] / sha for sha in opened.evidence}
    for i in range(EVIDENCE_FILES):
        content = rng.randbytes(EVIDENCE_SIZE)
        sha = hashlib.sha256(content).hexdigest()
        source = root / "big" / f"bang-chung-{i}.bin"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(content)
        evidence[sha] = source
        data["evidence"].append({"sha256": sha, "filename": source.name,
                                 "title": f"Bằng chứng {i}", "doc_number": "", "doc_date": None,
                                 "size": len(content), "nodes": ["1.1"]})
    package = write_package(root / "big" / "nop-lon.cchc", "submission", own.signing, "06172",
                            {"unit_code": "20"}, data, evidence,
                            criteria_set=opened.manifest["criteria_set"], period=2026).path
    script = root / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    return root / "appraiser", package, script


def _copy(pristine: Path, target: Path) -> Path:
    shutil.copytree(pristine, target, ignore=shutil.ignore_patterns("backups", "logs"))
    return target / "parapp.sqlite3"


def test_killed_import_leaves_before_or_after(big: tuple[Path, Path, Path],
                                              tmp_path: Path) -> None:
    pristine, package, script = big
    before = stable_dump(pristine / "parapp.sqlite3", CLOCK_COLUMNS)

    clean = _copy(pristine, tmp_path / "clean")
    child = _spawn(clean, package, script)
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    done = out.split("\n")[1].split()
    assert done[0] == "done" and done[2] == "applied", out
    duration = float(done[1])  # of import_packages alone, from "start" to the end
    after = stable_dump(clean, CLOCK_COLUMNS)
    assert after != before

    rng = random.Random(SEED)
    landed = {"before": 0, "after": 0}
    for trial in range(TRIALS):
        db_path = _copy(pristine, tmp_path / f"trial-{trial}")
        # Spread over the whole import, a little past its end.
        delay = rng.uniform(0.0, duration * 1.1)
        child = _spawn(db_path, package, script)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "start"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)

        assert _integrity(db_path) == "ok", f"trial {trial}, killed after {delay:.3f}s"
        state = stable_dump(db_path, CLOCK_COLUMNS)
        assert state in (before, after), (
            f"trial {trial}: killed after {delay:.3f}s the database is neither as before nor "
            f"as after: {[t for t in after if state[t] not in (before[t], after[t])]}")
        landed["before" if state == before else "after"] += 1

        db = open_database(db_path)
        try:
            [(_d, _t, outcome)] = list(sync_import.import_packages(db, [package]))
        finally:
            db.close()
        expected = "applied" if state == before else "already"
        assert outcome.status == expected, (trial, outcome.status, outcome.error)
        assert stable_dump(db_path, CLOCK_COLUMNS) == after
        assert _integrity(db_path) == "ok"
        incoming = list((db_path.parent / "evidence").rglob(".incoming-*"))
        print(f"trial {trial}: killed {delay:.3f}s into a {duration:.3f}s import -> "
              f"{'before' if state == before else 'after'}; temp files left: {len(incoming)}")
    print(f"kills: {landed}")
    assert sum(landed.values()) == TRIALS
