"""A document frozen as data: the ``Document`` tree as canonical JSON, and back.

An issued document keeps the tree it was printed from. Rendering is deterministic, so the
tree's SHA-256 stands for the paper (the QR code carries it: the hash of the PDF itself cannot
be printed on that PDF), and the stored tree proves it still renders to the registered PDF.
Canonical: keys sorted, no spaces, UTF-8, NFC text as built; the QR text is left out.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import Any

from parapp.printing import model

FORMAT = 1
# Body blocks are a union: each carries its class name.
_BLOCKS: dict[str, type] = {
    cls.__name__: cls for cls in (model.Paragraph, model.PartHeading, model.Heading, model.Table)
}


class FrozenError(ValueError):
    """The stored data is not a frozen document this program can read."""


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if type(value).__name__ in _BLOCKS:
            out["block"] = type(value).__name__
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


def freeze(doc: model.Document) -> bytes:
    """The canonical bytes of ``doc`` without its QR text."""
    data = {"format": FORMAT, "document": _dump(dataclasses.replace(doc, qr=""))}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_sha256(doc: model.Document) -> str:
    return hashlib.sha256(freeze(doc)).hexdigest()


@cache
def _hints(cls: type) -> dict[str, Any]:
    # the module as locals too: a field named ``date`` hides the type in the class body
    return typing.get_type_hints(cls, vars(model), vars(model))


def _load(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if value is None:
            return None
        if isinstance(value, dict) and "block" in value:
            return _load(_BLOCKS[value["block"]], value)
        return _load(options[0], value)
    if origin is tuple:
        args = typing.get_args(kind)
        return tuple(_load(args[0], v) for v in value)
    if origin is frozenset:
        return frozenset(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        # a field added since the document was frozen takes its default
        return kind(**{k: _load(hints[k], v) for k, v in value.items() if k in names})
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value  # a number stays as written (80, not 80.0): the same bytes when frozen again


def thaw(data: bytes) -> model.Document:
    """The document frozen in ``data``; :class:`FrozenError` if it is not one."""
    try:
        parsed = json.loads(data.decode("utf-8"))
        if parsed.get("format") != FORMAT:
            raise FrozenError(f"frozen document format {parsed.get('format')!r}")
        return _load(model.Document, parsed["document"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FrozenError(str(exc)) from exc
