"""One criterion's self-assessment typed on the command line (the window edits its table).

The value means what the criterion's rule asks for: its declared data ("Có", a level,
"45/50", a count) when it has a rule, its points when it is scored by judgement. The same
checks as the window and the scores file apply (``set_self_scores``).
"""

from __future__ import annotations

from decimal import Decimal

from db.engine import Database
from parapp.domain.criteria import CriterionNode
from parapp.domain.errors import Phrase
from parapp.domain.numbers import NumberError, to_decimal
from parapp.domain.scoring import RuleKind
from parapp.domain.text import clean
from parapp.i18n import N_

from .assessments import SelfEntry, get_info, set_self_scores, view
from .common import ServiceError
from .criteria import get_set
from .scores_import import parse_declared

EXPECTED = {
    RuleKind.YES_NO: N_("'Có', 'Không' or 'Không áp dụng'"),
    RuleKind.TIERS: N_("one of its levels: {levels}"),
    RuleKind.RATIO: N_("achieved/total, like 98/100"),
    RuleKind.DEDUCTION: N_("a whole number of items"),
}


def _node(nodes: list[CriterionNode], code: str) -> CriterionNode:
    wanted = code.strip().casefold()
    for node in nodes:
        if node.code.casefold() == wanted:
            return node
    raise ServiceError("'{code}' is not a criterion of this criteria set.", code=code)


def set_score(
    db: Database, code: str, value: str, *, explanation: str | None = None,
    year: int | None = None,
) -> tuple[str, Decimal | None]:
    """Record one criterion's answer or points; return its code and resulting self score."""
    info = get_info(db, year)
    cset = get_set(db, info.set_code, info.set_version)
    node = _node(list(cset.nodes), code)
    if not cset.is_leaf(node.code):
        raise ServiceError("Criterion {code} is scored through its sub-criteria; set each of "
                           "them instead.", code=node.code)
    text = clean(value)
    rule = node.rule
    if rule is None or rule.kind is RuleKind.FREE:
        try:
            entry = SelfEntry(node.code, typed=to_decimal(text), explanation=explanation)
        except NumberError:
            raise ServiceError("Criterion {code} is scored by judgement: give its points as a "
                               "number, like 0,5 ('{value}' is not one).", code=node.code,
                               value=text) from None
    else:
        declared = parse_declared(rule, text)
        if declared is None:
            levels = "; ".join(t.label for t in getattr(rule, "tiers", ()))
            raise ServiceError("'{value}' is not an answer criterion {code} takes: give "
                               "{expected}.", value=text, code=node.code,
                               expected=Phrase(EXPECTED[rule.kind], levels=levels))
        entry = SelfEntry(node.code, declared=declared, explanation=explanation)
    set_self_scores(db, info.id, [entry])
    return node.code, view(db, info.year).scores[node.code].self_score
