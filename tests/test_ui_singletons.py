"""``import ui`` makes None, True and False immortal on CPython 3.11 (PySide6 6.12 returns
them without a reference; see ui/__init__.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12) or sys.implementation.name != "cpython",
                    reason="immortal already (PEP 683), nothing to do")
def test_importing_ui_gives_the_singletons_a_count_no_program_can_exhaust() -> None:
    code = (
        "import sys\n"
        "before = [sys.getrefcount(x) for x in (None, True, False)]\n"
        "import ui\n"
        "after = [sys.getrefcount(x) for x in (None, True, False)]\n"
        "assert all(b < 1 << 32 for b in before), before\n"
        "assert all(a > 1 << 40 for a in after), after\n"
        "assert 'ctypes' not in sys.modules  # the light way, not the ctypes package\n"
        "import ui.main_window  # a second import changes nothing more\n"
        "assert [sys.getrefcount(x) for x in (None, True, False)][0] < 1 << 41\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
