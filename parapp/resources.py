"""Find bundled resources (fonts, translations, sample sets) in any kind of install.

``resources`` is a regular package of data shipped with the program and every supported
install (normal, editable, the Windows bundle) unpacks it to disk, so its folder is where
its ``__init__.py`` is. (Not ``importlib.resources``: importing it costs more than the
window's first paint can spare, and a zip import is not a supported install.)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import resources as package


@cache
def _root() -> Path:
    return Path(package.__file__).resolve().parent


def path(relative: str) -> Path:
    """A real filesystem path to a resource."""
    return _root().joinpath(*relative.split("/"))


def read_bytes(relative: str) -> bytes:
    return path(relative).read_bytes()
