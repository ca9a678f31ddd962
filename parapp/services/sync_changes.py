"""A change an import plan lists: new / updated / unchanged / conflict, what and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parapp.domain.errors import Phrase

NEW, UPDATED, UNCHANGED, CONFLICT = "new", "updated", "unchanged", "conflict"


@dataclass(frozen=True)
class Change:
    action: str  # new / updated / unchanged / conflict
    what: Phrase
    reason: Phrase | None = None


def change(action: str, what: str, reason: str | None = None, **params: Any) -> Change:
    return Change(action, Phrase(what, **params), Phrase(reason, **params) if reason else None)
