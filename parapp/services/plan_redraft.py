"""Drafting a draft plan again (``plan draft --replace``): new items, the same plan.

The plan row stays, so its id (known to the appraiser from earlier packages) and its
document fields (signer, recipients, legal bases, texts, summary, place) stay too, unless
the caller gives a fresh document (``--reset``). What is thrown away is reported: the old
items, those the clerk added by hand (nothing redrafts them) and the removed ones.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from db.models import PlanRow
from parapp.domain.remediation import PlanDocument, RemediationItem

from .common import now
from .mapping import item_from_row
from .plan_numbers import drop_removed
from .plan_rows import PlanView, Replaced, document_to_json, plan_view
from .to_rows import item_to_row


def redraft(
    s: Session,
    plan: PlanRow,
    assessment_id: int,
    items: list[RemediationItem],
    document: PlanDocument | None,
) -> PlanView:
    """Give a draft plan new items, keeping the row (and so its id) and, unless a new
    ``document`` is given, its document fields."""
    old = [item_from_row(r) for r in plan.items]
    removed = drop_removed(s, plan)
    for row in list(plan.items):
        plan.items.remove(row)  # delete-orphan: the row and its progress entries go
    s.flush()
    plan.items.extend(item_to_row(i) for i in items)
    plan.assessment_id = assessment_id
    if document is not None:
        plan.document_json = document_to_json(document)
    plan.updated_at = now()
    s.flush()
    s.refresh(plan)
    by_hand = tuple((n, i) for n, i in enumerate(old, start=1) if i.by_hand)
    return replace(
        plan_view(plan),
        replaced=Replaced(len(old), by_hand, removed, document_kept=document is None),
    )
