"""Time ``parapp demo`` end to end: three runs into fresh temporary folders, median printed.

Run from the project folder: ``python bench/demo_time.py``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3


def one_run() -> float:
    with tempfile.TemporaryDirectory(prefix="parapp-bench-") as tmp:
        env = dict(os.environ, PARAPP_LANG="vi", PARAPP_DATA_DIR=str(Path(tmp) / "data"))
        cmd = [sys.executable, "-m", "ui.launcher", "demo", str(Path(tmp) / "demo")]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"parapp demo failed ({proc.returncode}): {proc.stderr.strip()}")
        return elapsed


def main() -> int:
    times = [one_run() for _ in range(RUNS)]
    print(f"demo: median {statistics.median(times):.2f} s over {RUNS} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
