"""The remediation plan in a package (submission or progress): what it changes, and
applying it. A plan and its items are found by uuid and belong to one unit: another unit's
plan is a conflict, another plan's item id is refused (``sync_owner``)."""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AssessmentRow, PlanItemRow, PlanRow, ProgressUpdateRow, UnitRow
from parapp.domain.deadlines import parse_deadline
from parapp.i18n import N_

from . import sync_owner
from .common import now
from .plan_rows import KIND_REMEDIATION
from .sync_changes import CONFLICT, NEW, UNCHANGED, UPDATED
from .sync_changes import change as _change


def plan_changes(s: Session, plan_rec: dict[str, Any], unit: UnitRow) -> list[Any]:
    row = s.scalars(select(PlanRow).where(PlanRow.uuid == plan_rec["uuid"])).first()
    if row is not None and row.unit_id != unit.id:
        return [_change(CONFLICT, N_("plan {uuid}"), N_("it belongs to another unit here"),
                        uuid=plan_rec["uuid"])]
    if row is None and s.scalars(select(PlanRow.id).where(
            PlanRow.unit_id == unit.id, PlanRow.year == plan_rec["year"],
            PlanRow.kind == KIND_REMEDIATION)).first() is not None:
        return [_change(CONFLICT, N_("the {year} remediation plan of {unit}"),
                        N_("this office already holds another {year} remediation plan of "
                           "{unit} (made on another computer or after a reinstall)"),
                        year=plan_rec["year"], unit=unit.name)]
    sync_owner.own_plan_items(s, row, plan_rec["items"], unit)
    existing = {it.uuid: it for it in row.items} if row is not None else {}
    changes = []
    for it in plan_rec["items"]:
        old = existing.get(it["uuid"])
        if old is None:
            changes.append(_change(NEW, N_("plan item {n}"), None, n=it["position"] + 1))
        elif _item_tuple(old) == _incoming_item(it):
            changes.append(_change(UNCHANGED, N_("plan item {n}"), None, n=it["position"] + 1))
        else:
            changes.append(_change(UPDATED, N_("plan item {n}"), None, n=it["position"] + 1))
    return changes


def _item_tuple(row: PlanItemRow) -> tuple[Any, ...]:
    return (row.position, row.node_codes, row.shortcoming, row.points_lost, row.tasks, row.lead,
            row.coordinating, row.product, row.deadline_text, row.status, row.progress,
            [(u.on_date, u.percent, u.note) for u in row.updates])


def _incoming_item(it: dict[str, Any]) -> tuple[Any, ...]:
    return (it["position"], ",".join(it["node_codes"]), it["shortcoming"], it["points_lost"],
            it["tasks"], it["lead"], it["coordinating"], it["product"], it["deadline_text"],
            it["status"], it["progress"],
            [(u["on_date"], u["percent"], u["note"]) for u in it["updates"]])


def apply_plan(s: Session, rec: dict[str, Any], unit: UnitRow,
                arow: AssessmentRow | None) -> None:
    stamp = now()
    row = s.scalars(select(PlanRow).where(PlanRow.uuid == rec["uuid"])).first()
    if row is None:
        row = PlanRow(uuid=rec["uuid"], unit=unit, year=rec["year"], kind=KIND_REMEDIATION,
                      created_at=stamp, updated_at=stamp, document_json="{}")
        s.add(row)
    row.assessment_id = arow.id if arow is not None else row.assessment_id
    row.revision, row.updated_at = rec["revision"], stamp
    existing = {it.uuid: it for it in row.items}
    wanted = {it["uuid"] for it in rec["items"]}
    for gone in [it for uid, it in existing.items() if uid not in wanted]:
        row.items.remove(gone)
    for it in rec["items"]:
        item = existing.get(it["uuid"])
        if item is None:
            item = PlanItemRow(uuid=it["uuid"] or str(uuid_module.uuid4()))
            row.items.append(item)
        elif _item_tuple(item) == _incoming_item(it):
            continue
        try:
            deadline = parse_deadline(it["deadline_text"], rec["year"])
        except ValueError:
            deadline = parse_deadline("thường xuyên", rec["year"])
        item.position, item.node_codes = it["position"], ",".join(it["node_codes"])
        item.area_code = it["node_codes"][0].split(".")[0] if it["node_codes"] else None
        item.shortcoming, item.points_lost = it["shortcoming"], it["points_lost"]
        item.tasks, item.lead, item.coordinating = it["tasks"], it["lead"], it["coordinating"]
        item.product, item.deadline_text = it["product"], it["deadline_text"]
        item.deadline_kind, item.deadline_start = deadline.kind.value, deadline.start
        item.deadline_end = deadline.end
        item.status, item.progress = it["status"], it["progress"]
        item.updates.clear()
        for u in it["updates"]:
            item.updates.append(ProgressUpdateRow(on_date=u["on_date"], percent=u["percent"],
                                                  note=u["note"]))
    s.flush()
