"""Domain errors: each carries a message a clerk can act on."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Need(StrEnum):
    """What the user can give for a refused request to go on. A service's message says it
    in words any front end can show; each front end adds its own way of giving it (the
    command line names its option, the window offers its button or field)."""

    REPLACE = "replace"  # draft again over what was typed
    CRITERIA_SET = "criteria_set"  # which criteria set
    CONFIRM_INCOMPLETE = "confirm_incomplete"  # go on with criteria left unscored
    REASON = "reason"  # why (a return, an incomplete submission, a reset)
    UPDATE = "update"  # change the details of a document stored already
    INDEX_VALUE = "index_value"  # an index's value, the first time
    PUBLISHED_INDEX = "published_index"  # the published index, the first time
    CHANGE_UNIT = "change_unit"  # make the database another unit's
    SUBMIT_INCOMPLETE = "submit_incomplete"  # submit as it is, with a reason
    RESULT_UNIT = "result_unit"  # which unit a result package is for
    PLAN_DRAFT = "plan_draft"  # a plan drafted first (``annual``: the annual plan)
    SIGNER_NAME = "signer_name"  # the plan's signer (``annual``: the annual plan's)
    UNIT_IDENTITY = "unit_identity"  # which unit the database belongs to
    TRUST_CARD = "trust_card"  # trust the unit's card with its fingerprint
    SENDER_RESET = "sender_reset"  # accept an older sender's packages again
    YEAR = "year"  # which year (the appraiser's work waits in several)
    MEMBER_NAME = "member_name"  # a council member's name, as others will see it
    SECRETARIAT = "secretariat"  # the member is the secretariat
    SERVER_LOGIN = "server_login"  # the server's IT staff create the login first


class DomainError(ValueError):
    """Base for rule violations; ``str(err)`` is the user-facing sentence (English msgid).
    ``need``: what the user can give to go on, which each front end turns into its hint."""

    def __init__(self, message: str, *, need: Need | None = None, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.template = message
        self.params: dict[str, Any] = params  # the template's values (text, numbers, Phrases)
        self.need = need


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
