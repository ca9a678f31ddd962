"""Rows <-> domain objects. Kept here so db/ depends only on domain types.

Reading a row needs only its attributes, so this module does not import the ORM models
(they are imported where rows are made): the start-up reader (``quick_view``) maps plain
records with the same functions before SQLAlchemy has loaded.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import (
    Band,
    CriteriaSet,
    CriterionNode,
    IndexKind,
    Part,
    ScoreKind,
    SetStatus,
)
from parapp.domain.deadlines import Deadline, DeadlineKind
from parapp.domain.numbers import normalize, to_decimal
from parapp.domain.remediation import ItemStatus, ProgressUpdate, RemediationItem
from parapp.domain.scoring import Declared, NaPolicy
from parapp.domain.text import fold
from parapp.domain.units import Unit, UnitKind
from parapp.formats.criteria_json import rule_from_dict, rule_to_dict

if TYPE_CHECKING:
    from db.models import CriteriaSetRow, NodeScoreRow, PlanItemRow, UnitRow


def unit_from_row(row: UnitRow) -> Unit:
    return Unit(
        code=row.code,
        name=row.name,
        kind=UnitKind(row.kind),
        appraiser_code=row.appraiser_code,
        appraiser_name=row.appraiser_name,
        province_name=row.province_name,
    )


def set_to_rows(cset: CriteriaSet, imported_at: Any) -> CriteriaSetRow:
    from db.models import CriteriaSetRow, CriterionNodeRow

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


def set_from_rows(row: CriteriaSetRow) -> CriteriaSet:
    nodes = tuple(
        CriterionNode(
            code=n.code,
            title=n.title,
            max_points=n.max_points,
            parent_code=n.parent_code,
            part=Part(n.part),
            rule=rule_from_dict(json.loads(n.rule_json), n.code) if n.rule_json else None,
            scoring_text=n.scoring_text,
            evidence_text=n.evidence_text,
            guidance=n.guidance,
            score_kinds=frozenset(ScoreKind(k) for k in n.score_kinds.split(",") if k),
            max_text=n.max_text,
        )
        for n in row.nodes
    )
    return CriteriaSet(
        code=row.code,
        name=row.name,
        index_kind=IndexKind(row.index_kind),
        period=row.period,
        version=row.version,
        nodes=nodes,
        issuer=row.issuer,
        decision=row.decision,
        status=SetStatus(row.status),
        na_policy=NaPolicy(row.na_policy),
        bonus_may_exceed_max=row.bonus_may_exceed_max,
        bands=tuple(
            Band(to_decimal(b["min_index"]), b["label"], b.get("group", ""))
            for b in json.loads(row.bands_json)
        ),
        is_sample=row.is_sample,
        description=row.description,
    )


def score_from_row(row: NodeScoreRow) -> NodeScore:
    return NodeScore(
        code=row.node_code,
        declared=Declared.from_dict(json.loads(row.declared_json)),
        self_score=row.self_score,
        not_applicable=row.not_applicable,
        explanation=row.explanation,
        appraised_score=row.appraised_score,
        appraisal_comment=row.appraisal_comment,
        survey_score=row.survey_score,
        needs_reappraisal=row.needs_reappraisal,
    )


def item_from_row(row: PlanItemRow) -> RemediationItem:
    return RemediationItem(
        id=row.uuid,
        deadline=Deadline(
            text=row.deadline_text,
            kind=DeadlineKind(row.deadline_kind),
            start=row.deadline_start,
            end=row.deadline_end,
        ),
        area_code=row.area_code,
        node_codes=tuple(c for c in row.node_codes.split(",") if c),
        index_kind=row.index_kind,
        shortcoming=row.shortcoming,
        points_lost=row.points_lost,
        tasks=row.tasks,
        lead=row.lead,
        coordinating=row.coordinating,
        product=row.product,
        status=ItemStatus(row.status),
        progress=row.progress,
        keep_up=row.keep_up,
        updates=tuple(ProgressUpdate(u.on_date, u.percent, u.note) for u in row.updates),
        carried_from=row.carried_from,
        position=row.position,
        by_hand=bool(row.by_hand),
    )


def item_to_row(item: RemediationItem, row: PlanItemRow | None = None) -> PlanItemRow:
    from db.models import PlanItemRow

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
