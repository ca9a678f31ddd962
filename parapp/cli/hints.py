"""The command line's own hint after a refused request: the option or command that gives
what the service's sentence says is needed (``DomainError.need``). The services name no
option, since the window shows the same sentences and offers its own buttons instead."""

from __future__ import annotations

from parapp.domain.errors import DomainError, Need
from parapp.i18n import N_, _

HINTS: dict[Need, str] = {
    Need.REPLACE: N_("Add --replace to draft it again."),
    Need.CRITERIA_SET: N_("Name it with --set."),
    Need.CONFIRM_INCOMPLETE: N_("Add --confirm-incomplete to go on."),
    Need.REASON: N_('Give it with --reason "…".'),
    Need.UPDATE: N_("Add --update to make this change."),
    Need.INDEX_VALUE: N_("Give it with --value."),
    Need.PUBLISHED_INDEX: N_("Give it with --index."),
    Need.CHANGE_UNIT: N_("Add --change-unit to do so."),
    Need.SUBMIT_INCOMPLETE: N_('To submit it as it is, add --allow-incomplete --reason "…".'),
    Need.RESULT_UNIT: N_("Name it with --to UNIT_CODE."),
    Need.PLAN_DRAFT: N_("Run 'parapp plan draft{annual}'."),
    Need.SIGNER_NAME: N_("Run 'parapp plan edit{annual} --signer-name \"Full name\"'."),
    Need.UNIT_IDENTITY: N_("Run 'parapp init --unit-code CODE --unit-name NAME'."),
    Need.TRUST_CARD: N_("Run 'parapp keys trust FILE --fingerprint …'."),
    Need.SENDER_RESET: N_("Run 'parapp sync sender reset {sender} --reason …'."),
    Need.YEAR: N_("Name it with --year."),
    Need.MEMBER_NAME: N_('Give it with --name "…".'),
    Need.SECRETARIAT: N_("Add --secretariat."),
    Need.SERVER_LOGIN: N_("On the server: createuser --pwprompt {login}"),
}


def with_hint(error: BaseException, sentence: str) -> str:
    """``sentence`` (the error's own, translated) followed by the command line's hint."""
    if not isinstance(error, DomainError) or error.need is None:
        return sentence
    values = {**error.params, "annual": " --annual" if error.params.get("annual") else ""}
    return f"{sentence} {_(HINTS[error.need]).format(**values)}"
