"""Domain errors: each carries a message a clerk can act on."""

from __future__ import annotations


class DomainError(ValueError):
    """Base for rule violations; ``str(err)`` is the user-facing sentence (English msgid)."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.template = message
        self.params = params


class Phrase:
    """A translatable fragment placed inside another message ("criterion '1.2'").

    Like an error it keeps its English template and parameters, so the edge translates the
    fragment and the sentence around it together instead of mixing languages.
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return self.template.format(**self.params) if self.params else self.template

    def __repr__(self) -> str:
        return f"Phrase({str(self)!r})"


class CriteriaError(DomainError):
    """A criteria set is inconsistent."""


class ScoreError(DomainError):
    """A score or declared value breaks the node's rule."""


class StateError(DomainError):
    """The assessment's state does not allow this change."""
