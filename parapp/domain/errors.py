"""Domain errors: each carries a message a clerk can act on."""

from __future__ import annotations


class DomainError(ValueError):
    """Base for rule violations; ``str(err)`` is the user-facing sentence (English msgid)."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.template = message
        self.params = params


class CriteriaError(DomainError):
    """A criteria set is inconsistent."""


class ScoreError(DomainError):
    """A score or declared value breaks the node's rule."""


class StateError(DomainError):
    """The assessment's state does not allow this change."""
