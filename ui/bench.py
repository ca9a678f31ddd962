"""Start-up markers for ``bench/gui_startup.py``: printed only when ``PARAPP_BENCH=1``.

Each marker is one line ``PARAPP_BENCH <name> <epoch seconds>`` on stdout, so a parent
process can subtract the moment it spawned us. With ``PARAPP_BENCH_MODULES=1`` as well, a line
``PARAPP_MODULES <name> <module> ...`` lists our modules (and SQLAlchemy) loaded by then
(tests/test_layers.py holds the first paint to its list).
"""

from __future__ import annotations

import os
import sys
import time

ENV_VAR = "PARAPP_BENCH"
MODULES_VAR = "PARAPP_BENCH_MODULES"
LISTED = ("parapp", "db", "ui", "sqlalchemy")
_seen: set[str] = set()


def enabled() -> bool:
    return os.environ.get(ENV_VAR) == "1"


def mark(name: str) -> None:
    """Print the marker ``name`` once per process (when benchmarking)."""
    if name in _seen or not enabled():
        return
    _seen.add(name)
    sys.stdout.write(f"PARAPP_BENCH {name} {time.time():.6f}\n")
    if os.environ.get(MODULES_VAR) == "1":
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in LISTED)
        sys.stdout.write(f"PARAPP_MODULES {name} {' '.join(loaded)}\n")
    sys.stdout.flush()
