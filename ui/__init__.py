"""The PySide6 desktop GUI: a thin layer over parapp.services.

Importing this package (which every GUI module does first) protects the process from a
PySide6 6.12 bug: its void methods (``show()``, ``setText()``, ``processEvents()`` …) return
``None`` without taking a reference. Python 3.12+ does not count references to ``None``
(it is immortal there), but on 3.11, which the Windows bundle ships, a few thousand calls
drive ``None``'s count to zero and the interpreter aborts ("deallocating None"). We give
``None`` the same immortality 3.12 gives it: a reference count no program can exhaust.
"""

from __future__ import annotations

import sys


def _keep_none_alive() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    # ob_refcnt is the first field of every CPython object.
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < 1 << 40:
        refcount.value += 1 << 40


_keep_none_alive()
