"""Find bundled resources (fonts, translations, sample sets) in any kind of install.

``resources`` is a package of data shipped with the program, so importlib.resources finds it
in a normal, an editable and a bundled (Windows) install alike.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def path(relative: str) -> Path:
    """A real filesystem path to a resource (every supported install unpacks to disk)."""
    root = resources.files("resources")
    target = root.joinpath(*relative.split("/"))
    return Path(str(target))


def read_bytes(relative: str) -> bytes:
    root = resources.files("resources")
    return root.joinpath(*relative.split("/")).read_bytes()
