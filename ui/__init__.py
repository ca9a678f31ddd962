"""The PySide6 desktop GUI: a thin layer over parapp.services.

PySide6 6.12 on Python 3.11 returns ``None`` from void methods (``show()``, ``setText()`` …)
and ``True`` from ``Signal.emit()`` without taking a reference, so a few thousand calls
drive a count to zero and the interpreter aborts ("deallocating None", "deallocating True
or False"). Python 3.12 made these three objects immortal; on 3.11 every GUI module imports
this package first, which gives them a reference count no session can use up.
tests/test_ui_refcounts.py shows the crash without it.
"""

from __future__ import annotations

import sys

if sys.version_info < (3, 12) and sys.implementation.name == "cpython":
    import ctypes

    for _singleton in (None, True, False):
        # ob_refcnt, a Py_ssize_t, is the first field of every CPython object.
        _refcount = ctypes.c_ssize_t.from_address(id(_singleton))
        if _refcount.value < sys.maxsize // 4:
            _refcount.value += sys.maxsize // 4
    del _singleton, _refcount
