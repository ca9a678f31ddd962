"""The annual reform plan (kế hoạch cải cách hành chính năm): tasks by reform area.

A first draft takes one task per criterion of the criteria set: what to do is the
criterion, and its product is the evidence the set asks for ("Kế hoạch CCHC năm của UBND
xã") — which is exactly what the appraiser will look for at the year's end.
"""

from __future__ import annotations

from sqlalchemy import select

from db.engine import Database
from db.models import PlanRow
from parapp.domain.criteria import CriteriaSet, Part
from parapp.domain.deadlines import parse_deadline
from parapp.domain.remediation import (
    PlanDocument,
    PlanStatus,
    RemediationItem,
    Signer,
    SignMode,
    new_id,
)
from parapp.domain.text import clean

from .common import Need, ServiceError, unit_row
from .criteria import find_set_row
from .mapping import set_from_rows
from .plans import KIND_ANNUAL, PlanView, new_plan, own_profile, place_of

PLANNING_WORDS = ("kế hoạch", "quy chế", "danh mục")  # things done early in the year


def draft_annual_plan(
    db: Database, year: int, *, default_lead: str = "", replace_existing: bool = False
) -> PlanView:
    profile = own_profile(db)  # read before the session: sessions do not nest
    committee = Signer(mode=SignMode.TM, body="ỦY BAN NHÂN DÂN", position="CHỦ TỊCH")
    with db.session() as s:
        unit = unit_row(s)
        cset = set_from_rows(find_set_row(s))
        existing = s.scalars(
            select(PlanRow).where(
                PlanRow.unit_id == unit.id, PlanRow.year == year, PlanRow.kind == KIND_ANNUAL
            )
        ).first()
        if existing is not None:
            if existing.status != PlanStatus.DRAFT or not replace_existing:
                raise ServiceError(
                    "There is already a {year} annual reform plan; drafting it again replaces "
                    "the tasks typed so far.",
                    year=year,
                    need=Need.REPLACE,
                )
            s.delete(existing)
            s.flush()
        items: list[RemediationItem] = []
        for area in cset.roots(Part.MAIN):
            for node in cset.children(area.code) or (area,):
                early = any(word in node.title.lower() for word in PLANNING_WORDS)
                wording = f"quý I/{year}" if early else f"trong năm {year}"
                items.append(
                    RemediationItem(
                        id=new_id(),
                        deadline=parse_deadline(wording, default_year=year),
                        area_code=area.code,
                        node_codes=(node.code,),
                        index_kind=cset.index_kind.value,
                        tasks=node.title,
                        lead=clean(default_lead),
                        product=_product(cset, node.code),
                        position=len(items),
                    )
                )
        return new_plan(
            s,
            unit_id=unit.id,
            year=year,
            kind=KIND_ANNUAL,
            document=PlanDocument(
                symbol=profile.symbol("KH") if profile else "KH-UBND",
                place=profile.place if profile else place_of(unit.name),
                summary=f"Cải cách hành chính năm {year}",
                signer=profile.signer() if profile else committee,
            ),
            items=items,
        )


def _product(cset: CriteriaSet, code: str) -> str:
    """What the task delivers: the evidence the set asks for, gathered from its leaves."""
    texts: list[str] = []
    for leaf in cset.leaves_under(code):
        text = leaf.evidence_text.strip().rstrip(".;")
        if text and text not in texts:
            texts.append(text)
    return "; ".join(texts)
