"""Domain objects into ORM rows, for the services that write them (``mapping`` reads rows
back without importing the ORM: the window's first figures use it before SQLAlchemy loads)."""

from __future__ import annotations

import json
from typing import Any

from db.models import CriteriaSetRow, CriterionNodeRow, PlanItemRow
from parapp.domain.criteria import CriteriaSet
from parapp.domain.numbers import normalize
from parapp.domain.remediation import RemediationItem
from parapp.domain.text import fold
from parapp.formats.criteria_json import rule_to_dict


def set_to_rows(cset: CriteriaSet, imported_at: Any) -> CriteriaSetRow:
    row = CriteriaSetRow(
        code=cset.code,
        version=cset.version,
        name=cset.name,
        index_kind=cset.index_kind.value,
        period=cset.period,
        issuer=cset.issuer,
        decision=cset.decision,
        status=cset.status.value,
        na_policy=cset.na_policy.value,
        bonus_may_exceed_max=cset.bonus_may_exceed_max,
        is_sample=cset.is_sample,
        description=cset.description,
        bands_json=json.dumps(
            [
                {"min_index": f"{normalize(b.min_index):f}", "label": b.label, "group": b.group}
                for b in cset.bands
            ],
            ensure_ascii=False,
        ),
        imported_at=imported_at,
    )
    row.nodes = [
        CriterionNodeRow(
            code=n.code,
            parent_code=n.parent_code,
            position=i,
            part=n.part.value,
            title=n.title,
            title_folded=fold(n.title),
            max_points=n.max_points,
            max_text=n.max_text,
            rule_json=json.dumps(rule_to_dict(n.rule), ensure_ascii=False) if n.rule else None,
            scoring_text=n.scoring_text,
            evidence_text=n.evidence_text,
            guidance=n.guidance,
            score_kinds=",".join(sorted(k.value for k in n.score_kinds)),
        )
        for i, n in enumerate(cset.nodes)
    ]
    return row


def item_to_row(item: RemediationItem, row: PlanItemRow | None = None) -> PlanItemRow:
    row = row or PlanItemRow(uuid=item.id)
    row.position = item.position
    row.area_code = item.area_code
    row.node_codes = ",".join(item.node_codes)
    row.index_kind = item.index_kind
    row.shortcoming = item.shortcoming
    row.points_lost = item.points_lost
    row.tasks = item.tasks
    row.lead = item.lead
    row.coordinating = item.coordinating
    row.product = item.product
    row.deadline_text = item.deadline.text
    row.deadline_kind = item.deadline.kind.value
    row.deadline_start = item.deadline.start
    row.deadline_end = item.deadline.end
    row.status = item.status.value
    row.progress = item.progress
    row.keep_up = item.keep_up
    row.carried_from = item.carried_from
    row.by_hand = item.by_hand
    return row
