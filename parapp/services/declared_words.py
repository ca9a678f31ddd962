"""Declared data as the clerk reads it: "Có", "Hoàn thành tốt", "1.183/1.204", "2" — the
same words in the window's table, its history and the command line."""

from __future__ import annotations

from parapp.domain.errors import ScoreError
from parapp.domain.scoring import Answer, Declared, Rule, TiersRule, YesNoRule
from parapp.i18n import _, format_max


def answer_label(answer: Answer) -> str:
    return {Answer.YES: _("Yes"), Answer.NO: _("No"), Answer.NA: _("Not applicable")}[answer]


def declared_text(rule: Rule | None, declared: Declared) -> str:
    """What the declared-data cell shows: "Có", "Hoàn thành tốt", "1.183/1.204", "2"."""
    if declared.answer is not None and (declared.answer is Answer.NA or rule is None):
        return answer_label(declared.answer)
    if isinstance(rule, YesNoRule) and declared.answer is not None:
        return answer_label(declared.answer)
    if isinstance(rule, TiersRule) and declared.tier is not None:
        try:
            return rule.tier(declared.tier).label
        except ScoreError:
            return declared.tier
    if declared.numerator is not None or declared.denominator is not None:
        num = format_max(declared.numerator) if declared.numerator is not None else "?"
        den = format_max(declared.denominator) if declared.denominator is not None else "?"
        return f"{num}/{den}"
    if declared.count is not None:
        return str(declared.count)
    return ""
