"""Default wording of the documents (``resources/documents/defaults.json``) and placeholders.

Texts are Vietnamese whatever the screen language: they go into official documents. A
placeholder is a name in braces, ``{unit_name}``; :func:`fill` replaces the ones it has a value
for and leaves every other brace exactly as written, so a clerk's text with a stray "{" or an
unknown name prints as typed instead of failing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from parapp import resources
from parapp.domain.text import clean, nfc

RESOURCE = "documents/defaults.json"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

Values = Mapping[str, object]


@cache
def _load() -> dict[str, Any]:
    data = json.loads(resources.read_bytes(RESOURCE).decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{RESOURCE} must hold a JSON object")
    return data


def lookup(path: str) -> Any:
    """The raw default at a dotted path ("remediation.purposes"); LookupError if absent."""
    node: Any = _load()
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise LookupError(f"no default text '{path}' in {RESOURCE}")
        node = node[key]
    return node


def fill(template: str, values: Values) -> str:
    """Replace ``{name}`` with ``values[name]``; missing or None values stay visible."""

    def replace(match: re.Match[str]) -> str:
        value = values.get(match[1])
        return match[0] if value is None else str(value)

    return nfc(_PLACEHOLDER.sub(replace, template))


def text(path: str, values: Values | None = None) -> str:
    """One default text, filled; a list of paragraphs is joined with spaces."""
    raw = lookup(path)
    if isinstance(raw, list):
        raw = " ".join(str(part) for part in raw)
    return fill(str(raw), values or {})


def paragraphs(path: str, values: Values | None = None) -> tuple[str, ...]:
    """A default given as a list of paragraphs (or one string), each filled."""
    raw = lookup(path)
    parts = raw if isinstance(raw, list) else [raw]
    return tuple(fill(str(part), values or {}) for part in parts if str(part).strip())


def split(value: str) -> tuple[str, ...]:
    """A clerk's multi-paragraph field: one paragraph a line, blank lines dropped."""
    return tuple(line.strip() for line in clean(value).split("\n") if line.strip())


def given_or_default(given: str, path: str, values: Values) -> tuple[str, ...]:
    """The clerk's paragraphs when she wrote any, else the defaults; both filled."""
    own = split(given)
    if own:
        return tuple(fill(p, values) for p in own)
    return paragraphs(path, values)


def mapping(path: str) -> dict[str, str]:
    """A default given as an object of texts (index names, statuses)."""
    raw = lookup(path)
    if not isinstance(raw, dict):
        raise LookupError(f"default text '{path}' is not an object")
    return {str(k): nfc(str(v)) for k, v in raw.items()}
