"""Work-arounds for PySide6 behaviour that costs us start-up time.

PySide6 replaces ``__import__`` to support ``from __feature__ import snake_case``; after
every import it reads the new module's whole source file (``inspect.getsource``) to see
whether it mentions PySide6. We never use ``__feature__``, and the check costs about 15%
of the time to import SQLAlchemy after Qt, so it is replaced by a check on the module's
name (our own ``ui`` modules and PySide6's count as Qt users, as before).
"""

from __future__ import annotations

import sys
from types import ModuleType

_QT_USERS = ("ui", "PySide6", "shiboken6", "pytestqt")


def _uses_pyside(module: ModuleType) -> bool:
    name = getattr(module, "__name__", "") or ""
    return name.split(".", 1)[0] in _QT_USERS


def apply() -> None:
    """Call after PySide6 is imported; harmless if its internals have changed."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]  # shiboken's own
