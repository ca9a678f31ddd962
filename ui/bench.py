"""Start-up markers for ``bench/gui_startup.py``: printed only when ``PARAPP_BENCH=1``.

Each marker is one line ``PARAPP_BENCH <name> <epoch seconds>`` on stdout, so a parent
process can subtract the moment it spawned us.
"""

from __future__ import annotations

import os
import sys
import time

ENV_VAR = "PARAPP_BENCH"
_seen: set[str] = set()


def enabled() -> bool:
    return os.environ.get(ENV_VAR) == "1"


def mark(name: str) -> None:
    """Print the marker ``name`` once per process (when benchmarking)."""
    if name in _seen or not enabled():
        return
    _seen.add(name)
    sys.stdout.write(f"PARAPP_BENCH {name} {time.time():.6f}\n")
    sys.stdout.flush()
