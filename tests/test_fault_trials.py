"""Kill a process at random points while it saves, imports, backs up, restores or migrates:
the database is always intact and equal to the state before or after (scripts/fault_trials.py
runs 60 such trials; this runs 12, two per operation)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "fault_trials.py"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the trials fork (POSIX only)")


def _load():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("fault_trials", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fault_trials"] = module
    spec.loader.exec_module(module)
    return module


def test_killed_operations_leave_before_or_after_never_between() -> None:
    trials = _load()
    counts = trials.run_trials(12, seed=11)
    failures = {k: v for k, v in counts.items() if k[1].startswith("FAILED")}
    assert not failures, failures
    assert sum(counts.values()) == 12
    assert {op for op, _outcome in counts} == set(trials.OPS)


def test_the_comparison_sees_a_state_between(tmp_path: Path) -> None:
    """The check must be able to fail: half of a two-row change is neither state."""
    import sqlite3

    trials = _load()
    db = tmp_path / "x.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    con.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')")
    con.commit()
    before = trials.canonical(db)
    con.execute("UPDATE t SET v = 'x' WHERE id = 1")
    con.commit()
    between = trials.canonical(db)
    con.execute("UPDATE t SET v = 'y' WHERE id = 2")
    con.commit()
    after = trials.canonical(db)
    con.close()
    assert between not in (before, after)
