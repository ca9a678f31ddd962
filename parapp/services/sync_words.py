"""Words for package kinds, plan actions and outcomes, in the user's language."""

from __future__ import annotations

from parapp.i18n import N_, _

WORDS: dict[str, str] = {
    "submission": N_("self-assessment submission"),
    "progress": N_("remediation progress report"),
    "result": N_("appraisal result"),
    "criteria-set": N_("criteria set"),
    "unit-card": N_("unit card"),
    "new": N_("new"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "conflict": N_("conflict"),
    "applied": N_("imported"),
    "already": N_("already imported"),
    "refused": N_("refused"),
    "planned": N_("to be imported"),
    "exported": N_("sent"),
    "sequence-reset": N_("sender's numbering reset"),
    "reset": N_("reset"),
}


def word(key: str) -> str:
    text = WORDS.get(key)
    return _(text) if text is not None else key
