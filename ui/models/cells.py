"""Declared data and scores as the clerk reads and types them (no Qt).

Each scoring rule has its own kind of cell: a choice (Có / Không / Không áp dụng, or the
set's levels), a ratio typed "98/100", a count of items, or a typed score (free rules).
Parsing errors are :class:`ScoreError`s with a translatable message.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from parapp.domain.assessment import NodeScore
from parapp.domain.completeness import (  # one rule for screens and pre-submission check
    needs_evidence as needs_evidence,
)
from parapp.domain.criteria import CriterionNode
from parapp.domain.errors import ScoreError
from parapp.domain.numbers import NumberError, to_decimal
from parapp.domain.scoring import (
    Answer,
    Declared,
    DeductionRule,
    FreeRule,
    NaPolicy,
    RatioRule,
    Rule,
    TiersRule,
    YesNoRule,
    resolve_self_score,
)
from parapp.domain.text import clean, fold
from parapp.i18n import _, message
from parapp.services.declared_words import answer_label as answer_label
from parapp.services.declared_words import declared_text as declared_text

KIND_CHOICE = "choice"
KIND_RATIO = "ratio"
KIND_COUNT = "count"
KIND_SCORE = "score"
KIND_TEXT = "text"

NA_KEY = "na"
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # "1.183": a Vietnamese thousands separator


def choices(rule: Rule) -> list[tuple[str, str]]:
    """(key, label) pairs for a choice cell; the first one clears the cell."""
    out = [("", _("(not declared)"))]
    if isinstance(rule, YesNoRule):
        out += [(Answer.YES.value, answer_label(Answer.YES))]
        out += [(Answer.NO.value, answer_label(Answer.NO))]
    elif isinstance(rule, TiersRule):
        out += [(t.key, t.label) for t in rule.tiers]
    allow_na = getattr(rule, "allow_na", False)
    if allow_na:
        out.append((NA_KEY, answer_label(Answer.NA)))
    return out


def declared_kind(rule: Rule | None) -> str | None:
    """The kind of editor for the declared-data cell (None: nothing to declare)."""
    if isinstance(rule, YesNoRule | TiersRule):
        return KIND_CHOICE
    if isinstance(rule, RatioRule):
        return KIND_RATIO
    if isinstance(rule, DeductionRule):
        return KIND_COUNT
    if isinstance(rule, FreeRule) and rule.allow_na:
        return KIND_CHOICE
    return None


def declared_edit_text(rule: Rule | None, declared: Declared) -> str:
    """The value an editor starts from: a choice key, "1183/1204", "2"."""
    if declared.answer is not None:
        return declared.answer.value
    if declared.tier is not None:
        return declared.tier
    if declared.numerator is not None and declared.denominator is not None:
        return f"{_plain(declared.numerator)}/{_plain(declared.denominator)}"
    if declared.count is not None:
        return str(declared.count)
    return ""


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return text.replace(".", ",")


def parse_number(text: str) -> Decimal:
    """A number as typed: "0,5", "0.5", "1.183" (thousands), "1 183"."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if _GROUPED.match(raw):
        raw = raw.replace(".", "")
    try:
        return to_decimal(raw)
    except NumberError:
        raise ScoreError("'{text}' is not a number. Type it like 0,5.", text=text.strip()) from None


def parse_declared(rule: Rule | None, value: object) -> Declared:
    """The declared data typed or chosen in a cell (an empty value clears it)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return Declared()
    folded = fold(text)
    if isinstance(rule, YesNoRule | TiersRule | FreeRule):
        for key, label in choices(rule)[1:]:
            if folded in (fold(key), fold(label)):
                if key == NA_KEY:
                    return Declared(answer=Answer.NA)
                if isinstance(rule, YesNoRule):
                    return Declared(answer=Answer(key))
                return Declared(tier=key)
        if isinstance(rule, YesNoRule) and folded in ("c", "k", "y", "n"):
            return Declared(answer=Answer.YES if folded in ("c", "y") else Answer.NO)
        raise ScoreError("'{text}' is not one of the choices for this criterion.", text=text)
    if isinstance(rule, RatioRule):
        parts = re.split(r"\s*/\s*", text)
        if len(parts) != 2 or not all(parts):
            raise ScoreError(
                "Type the number achieved and the total with a slash between, like 98/100."
            )
        return Declared(numerator=parse_number(parts[0]), denominator=parse_number(parts[1]))
    if isinstance(rule, DeductionRule):
        number = parse_number(text)
        if number != number.to_integral_value():
            raise ScoreError("Type a whole number of items, like 2.")
        return Declared(count=int(number))
    raise ScoreError("This criterion has no declared data; type its score instead.")


def with_declared(
    node: CriterionNode, old: NodeScore, declared: Declared, na: NaPolicy
) -> NodeScore:
    """``old`` with new declared data; the score follows the rule (raises ScoreError)."""
    assert node.rule is not None
    typed = None
    if isinstance(node.rule, FreeRule) and declared.answer is not Answer.NA:
        typed = old.self_score if not old.not_applicable else None
    outcome = resolve_self_score(node.rule, declared, typed, node.max_points, na)
    return replace(
        old, declared=declared, self_score=outcome.score, not_applicable=outcome.not_applicable
    )


def with_typed(node: CriterionNode, old: NodeScore, text: str, na: NaPolicy) -> NodeScore:
    """``old`` with a typed self score (free rules); empty text clears it."""
    assert node.rule is not None
    typed = parse_number(text) if text.strip() else None
    outcome = resolve_self_score(node.rule, old.declared, typed, node.max_points, na)
    return replace(old, self_score=outcome.score, not_applicable=outcome.not_applicable)


def with_explanation(old: NodeScore, text: str) -> NodeScore:
    return replace(old, explanation=clean(text))


def refusal(code: str, exc: Exception) -> str:
    """The sentence shown when a value is refused: "Tiêu chí 1.2: ..."."""
    return message(ScoreError("Criterion {code}: {reason}", code=code, reason=exc))
