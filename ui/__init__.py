"""The PySide6 desktop GUI: a thin layer over parapp.services.

Importing this package (which every GUI module does first) protects the process from a
PySide6 6.12 bug: its void methods (``show()``, ``setText()``, ``processEvents()`` …) return
``None``, and ``Signal.emit()`` returns ``True``, without taking a reference. Python 3.12+
does not count references to these singletons (they are immortal there), but on 3.11,
which the Windows bundle ships, a few thousand calls drive a count to zero and the
interpreter aborts ("deallocating None", "deallocating True or False"). We give ``None``,
``True`` and ``False`` the immortality 3.12 gives them: a reference count no program can
exhaust. (PySide6 6.11 does not have the bug.)
"""

from __future__ import annotations

import sys


def _keep_singletons_alive() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    # The C half of ctypes alone: the ctypes package costs ~2 ms more of start-up, and a
    # Py_ssize_t at an address is all this needs.
    from _ctypes import _SimpleCData

    wide = sys.maxsize > 2**32
    # A Py_ssize_t: a long long on 64-bit builds (Windows too), an int on 32-bit ones,
    # where a quarter of the range is still more calls than a session makes.
    boost = 1 << 40 if wide else 1 << 29

    class SSize(_SimpleCData):
        _type_ = "q" if wide else "i"

    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        refcount = SSize.from_address(id(singleton))
        if refcount.value < boost:
            refcount.value += boost


_keep_singletons_alive()
