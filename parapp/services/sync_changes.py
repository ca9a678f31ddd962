"""A change an import plan lists: new / updated / unchanged / conflict, what and why."""

from __future__ import annotations

from typing import Any

from parapp.domain.errors import Phrase

NEW, UPDATED, UNCHANGED, CONFLICT = "new", "updated", "unchanged", "conflict"


def change(action: str, what: str, reason: str | None = None, **params: Any) -> Any:
    from .sync_import import Change

    return Change(action, Phrase(what, **params), Phrase(reason, **params) if reason else None)
