"""Remediation plans (kế hoạch khắc phục) and their items, and drafting them from lost points."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .criteria import CriteriaSet, Part, ScoreKind
from .deadlines import Deadline, parse_deadline
from .figures import Figures, Source, compute_figures, printed_lost
from .numbers import ZERO, format_vi
from .totals import Totals


class ItemStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class SignMode(StrEnum):
    """How the signer signs (Nghị định 30): on behalf of the body, for the head, acting, ..."""

    DIRECT = ""  # the head signs in their own name
    TM = "TM."
    KT = "KT."
    Q = "Q."
    TL = "TL."
    TUQ = "TUQ."


@dataclass(frozen=True)
class Signer:
    mode: SignMode = SignMode.TM
    body: str = "ỦY BAN NHÂN DÂN"  # collective body for TM. ("TM. ỦY BAN NHÂN DÂN")
    head_title: str = "CHỦ TỊCH"  # whose authority a KT./Q./TL./TUQ. signature stands for
    position: str = "CHỦ TỊCH"  # the signer's own position
    name: str = ""


@dataclass(frozen=True)
class PlanDocument:
    """Document metadata kept with the plan for printing (another capability prints it)."""

    number: str = ""  # blank until issued ("Số:      /KH-UBND")
    symbol: str = "KH-UBND"
    place: str = ""
    issued_on: date | None = None
    title: str = "KẾ HOẠCH"
    summary: str = ""  # trích yếu
    legal_bases: tuple[str, ...] = ()
    bases_as_sentence: bool = True  # one running sentence (the seeds) or one line each
    purposes: str = ""
    requirements: str = ""
    solutions: str = ""
    organisation: str = ""
    recipients: tuple[str, ...] = ()
    signer: Signer = field(default_factory=Signer)


@dataclass(frozen=True)
class ProgressUpdate:
    on: date
    percent: int
    note: str = ""


@dataclass(frozen=True)
class RemediationItem:
    id: str
    deadline: Deadline
    area_code: str | None = None
    node_codes: tuple[str, ...] = ()  # PAPI or Dân vận items may have no scored node
    index_kind: str = "PAR"
    shortcoming: str = ""  # "Công tác kiểm tra CCHC (Trừ 0,30 điểm)"
    points_lost: Decimal | None = None
    tasks: str = ""
    lead: str = ""
    coordinating: str = ""
    product: str = ""  # sản phẩm: what the task delivers (annual plans' appendix)
    status: ItemStatus = ItemStatus.NOT_STARTED
    progress: int = 0
    keep_up: bool = False  # "tiếp tục duy trì": already at full marks, kept on purpose
    updates: tuple[ProgressUpdate, ...] = ()
    carried_from: str | None = None
    position: int = 0
    # Added by the clerk (added, duplicated or split off), not drafted: a redraft drops it.
    by_hand: bool = False

    def is_overdue(self, as_of: date) -> bool:
        return self.deadline.is_overdue(as_of, done=self.status is ItemStatus.DONE)

    def with_progress(self, update: ProgressUpdate) -> RemediationItem:
        if not 0 <= update.percent <= 100:
            raise ValueError("progress must be 0..100")
        status = (
            ItemStatus.DONE
            if update.percent == 100
            else ItemStatus.IN_PROGRESS
            if update.percent > 0
            else self.status
        )
        return replace(
            self,
            progress=update.percent,
            status=status,
            updates=(*self.updates, update),
        )


def new_id() -> str:
    return str(uuid.uuid4())


def shortcoming_text(title: str, lost: Decimal) -> str:
    """The wording plans use: "Công tác kiểm tra CCHC (Trừ 0,30 điểm)"."""
    return f"{title} (Trừ {format_vi(lost, 2)} điểm)"


def draft_items(
    cset: CriteriaSet,
    totals: Totals,
    *,
    year: int,
    figures: Figures | None = None,
    include_full_marks: bool = False,
    default_lead: str = "",
    deadline_text: str | None = None,
) -> list[RemediationItem]:
    """One item per criterion (the level below the area) that lost points, grouped by area.

    Areas without criteria get one item themselves. Sub-criteria that lost points are named
    in the task so the clerk sees where the points went without opening the table.
    ``figures`` (the printed figures, published ones first) decide what was lost: an area
    the decision gave full marks has nothing to remedy, an area whose survey results are not
    known yet produces no item, and a published loss its criteria do not name becomes an
    item of its own ("Nội dung khác bị trừ điểm") for the clerk to describe.
    """
    figures = figures or compute_figures(cset, totals)
    deadline = parse_deadline(deadline_text or f"trong năm {year}", default_year=year)
    items: list[RemediationItem] = []

    def add(area: str, nodes: tuple[str, ...], text: str, lost: Decimal, tasks: str) -> None:
        items.append(
            RemediationItem(
                id=new_id(),
                deadline=deadline,
                area_code=area,
                node_codes=nodes,
                index_kind=cset.index_kind.value,
                shortcoming=text,
                points_lost=lost,
                tasks=tasks,
                lead=default_lead,
                keep_up=lost == ZERO,
                position=len(items),
            )
        )

    for area in cset.roots(Part.MAIN):
        row = figures.row(area.code)
        if row is None or not row.counted:
            continue
        nothing_lost = row.source is Source.PUBLISHED and row.lost == ZERO
        for node in cset.children(area.code) or (area,):
            total = totals.nodes[node.code]
            if total.excluded or total.max_points == ZERO or not total.scored:
                continue  # nothing known about a criterion nobody scored
            lost = ZERO if nothing_lost else printed_lost(total)
            if lost == ZERO and not include_full_marks:
                continue
            if lost > ZERO:
                lost_parts = [
                    cset.node(code).title
                    for code in _lost_leaves(cset, totals, node.code)
                    if code != node.code
                ]
                tasks = "Rà soát, khắc phục các nội dung bị trừ điểm"
                if lost_parts:
                    tasks += ": " + "; ".join(lost_parts)
                tasks += "; bảo đảm đầy đủ tài liệu kiểm chứng theo quy định."
                text = shortcoming_text(node.title, lost)
            else:
                tasks = "Tiếp tục duy trì, thực hiện tốt nội dung đã đạt điểm tối đa."
                text = node.title
            add(area.code, (node.code,), text, lost, tasks)
        if row.remainder > ZERO:
            survey = all(ScoreKind.SELF not in n.score_kinds for n in cset.leaves_under(area.code))
            title = "Kết quả điều tra xã hội học" if survey else "Nội dung khác bị trừ điểm"
            tasks = (
                "Phối hợp với cơ quan thẩm định làm rõ nội dung bị trừ điểm; xây dựng giải pháp "
                "khắc phục cụ thể."
            )
            add(area.code, (), shortcoming_text(title, row.remainder), row.remainder, tasks)
    return items


def _lost_leaves(cset: CriteriaSet, totals: Totals, code: str) -> list[str]:
    found: list[str] = []
    for child in cset.children(code):
        t = totals.nodes[child.code]
        if t.lost > ZERO:
            found.extend(
                _lost_leaves(cset, totals, child.code)
                if not cset.is_leaf(child.code)
                else [child.code]
            )
    return found


def carry_over(
    items: Iterable[RemediationItem], year: int, covered: Iterable[str] = ()
) -> list[RemediationItem]:
    """Copy last period's unfinished items into a new plan, linked to where they came from.

    Items about criteria the new plan already covers (``covered`` node codes) are left out:
    the new shortcoming, with this year's points, replaces them. The clerk's deadline wording
    is kept only when it is ongoing; dated ones would be wrong in the new year, so they
    become "trong năm <year>" for the clerk to refine.
    """
    skip = set(covered)
    out: list[RemediationItem] = []
    for item in items:
        if item.status is ItemStatus.DONE or (skip & set(item.node_codes)):
            continue
        deadline = (
            item.deadline
            if item.deadline.is_ongoing
            else parse_deadline(f"trong năm {year}", default_year=year)
        )
        out.append(
            replace(
                item,
                id=new_id(),
                deadline=deadline,
                updates=(),
                carried_from=item.id,
                position=len(out),
            )
        )
    return out
