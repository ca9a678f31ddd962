"""Rows <-> domain objects. Kept here so db/ depends only on domain types.

Reading a row needs only its attributes, so this module does not import the ORM models:
the start-up reader (``quick_view``) maps plain records with the same functions before
SQLAlchemy has loaded. Rows are made in ``to_rows``, which does import them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

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
from parapp.domain.numbers import to_decimal
from parapp.domain.remediation import ItemStatus, ProgressUpdate, RemediationItem
from parapp.domain.scoring import Declared, NaPolicy
from parapp.domain.units import Unit, UnitKind
from parapp.formats.criteria_json import rule_from_dict

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
