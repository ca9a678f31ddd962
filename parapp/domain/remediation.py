"""Remediation plans (kế hoạch khắc phục) and their items, and drafting them from lost points."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .criteria import CriteriaSet, CriterionNode, Part, ScoreKind
from .deadlines import Deadline, parse_deadline
from .drafting import (
    Kind,
    Render,
    comment_task,
    guidance_task,
    keep_up_task,
    kind_of,
    kind_of_title,
    other_title,
    remainder_task,
    survey_title,
    task,
    useful_guidance,
)
from .errors import Phrase
from .figures import Figures, Source, compute_figures, printed_lost
from .numbers import ZERO, format_vi
from .totals import Totals


class PlanStatus(StrEnum):
    """A plan is edited while a draft; issuing it (number, date, signer) freezes its text:
    only its items' progress changes after that, and revising it makes a draft again."""

    DRAFT = "draft"
    ISSUED = "issued"


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


@dataclass(frozen=True)
class _Loss:
    """One criterion (the level below the area) that lost points, as drafting sees it."""

    code: str
    title: str
    lost: Decimal
    comment: str
    kind: Kind
    parts: tuple[tuple[Kind, str], ...]  # (kind, title) of what lost the points
    guidance: tuple[str, ...]


def draft_items(
    cset: CriteriaSet,
    totals: Totals,
    *,
    year: int,
    figures: Figures | None = None,
    include_full_marks: bool = False,
    default_lead: str = "",
    deadline_text: str | None = None,
    comments: Mapping[str, str] | None = None,
    render: Render = str,
) -> list[RemediationItem]:
    """The first draft of a plan: items for the criteria (the level below the area) that
    lost points, in the set's order, each answered by tasks in its own words.

    - ``figures`` (the printed figures, published ones first) decide what was lost: an area
      the decision gave full marks has nothing to remedy, an area whose survey results are
      not known yet produces no item, and a published loss its criteria do not name becomes
      an item of its own for the clerk to describe.
    - Criteria of an area that lost points for the same reason share one item: the same
      appraiser's comment (``comments``: node code -> comment), or the same one kind of
      shortcoming in all they lost (two report criteria, the survey criteria).
    - Tasks follow the kind of shortcoming of each sub-criterion that lost points
      (:mod:`drafting`), then the appraiser's comment and the set's guidance; no sentence is
      written twice in one plan.
    - ``include_full_marks``: one "tiếp tục duy trì" item per area for its criteria at full
      marks.
    ``render`` turns the English templates into the document's language.
    """
    figures = figures or compute_figures(cset, totals)
    comments = comments or {}
    deadline = parse_deadline(deadline_text or f"trong năm {year}", default_year=year)
    items: list[RemediationItem] = []
    used: set[str] = set()  # sentences already written, so that none is repeated

    def lines(phrases: Iterable[Phrase]) -> str:
        out: list[str] = []
        for phrase in phrases:
            text = render(phrase)
            if text and text not in used and text not in out:
                out.append(text)
        used.update(out)
        return "\n".join(out)

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
        losses: list[_Loss] = []
        full: list[CriterionNode] = []
        for node in cset.children(area.code) or (area,):
            total = totals.nodes[node.code]
            if total.excluded or total.max_points == ZERO or not total.scored:
                continue  # nothing known about a criterion nobody scored
            lost = ZERO if nothing_lost else printed_lost(total)
            if lost == ZERO:
                full.append(node)
            else:
                losses.append(_loss(cset, totals, node, lost, comments))
        for group in _groups(losses):
            # Each criterion with its own loss, as plans quote them; the item carries the sum.
            text = "; ".join(shortcoming_text(loss.title, loss.lost) for loss in group)
            lost = sum((loss.lost for loss in group), ZERO)
            comment = group[0].comment
            text += f": {comment}" if comment else ""
            by_kind: dict[Kind, list[str]] = {}
            for loss in group:
                for kind, title in loss.parts:
                    by_kind.setdefault(kind, []).append(title)
            phrases = [task(kind, "; ".join(names)) for kind, names in by_kind.items()]
            said = {_same(x.comment): x.comment for x in reversed(group) if x.comment}
            phrases += [comment_task(c) for c in reversed(said.values())]
            phrases += [guidance_task(g) for x in group for g in x.guidance]
            add(area.code, tuple(x.code for x in group), text, lost, lines(phrases))
        if full and include_full_marks:
            titles = "; ".join(node.title for node in full)
            tasks = lines([keep_up_task(area.title)])
            add(area.code, tuple(node.code for node in full), titles, ZERO, tasks)
        if row.remainder > ZERO:
            survey = all(ScoreKind.SELF not in n.score_kinds for n in cset.leaves_under(area.code))
            title = render(survey_title() if survey else other_title())
            tasks = lines([remainder_task(area.title)])
            add(area.code, (), shortcoming_text(title, row.remainder), row.remainder, tasks)
    return items


def _loss(
    cset: CriteriaSet,
    totals: Totals,
    node: CriterionNode,
    lost: Decimal,
    comments: Mapping[str, str],
) -> _Loss:
    kind = kind_of(cset, node.code)
    leaves = [cset.node(c) for c in _lost_leaves(cset, totals, node.code) if c != node.code]
    parts = tuple(
        (kind if kind is Kind.SURVEY else kind_of_title(leaf.title), leaf.title) for leaf in leaves
    )
    # A sub-criterion of no kind of its own takes its criterion's kind.
    parts = tuple((kind if k is Kind.GENERAL else k, t) for k, t in parts) or ((kind, node.title),)
    said = [
        _clean_comment(comments.get(c, "")) for c in (node.code, *(leaf.code for leaf in leaves))
    ]
    guidance = [useful_guidance(n.guidance) for n in (node, *leaves)]
    return _Loss(
        node.code,
        node.title,
        lost,
        "; ".join(dict.fromkeys(c for c in said if c)),
        kind,
        parts,
        tuple(dict.fromkeys(g for g in guidance if g)),
    )


def _clean_comment(text: str) -> str:
    return " ".join((text or "").split())


def _same(comment: str) -> str:
    """Two comments are the same reason whatever their case, spacing or final stop."""
    return " ".join(comment.split()).casefold().rstrip(".")


def _groups(losses: list[_Loss]) -> list[list[_Loss]]:
    """Losses of one area with the same reason together, in the order of the first one:
    the same appraiser's comment (case and spacing ignored), or, without a comment, the
    same one kind of shortcoming (two criteria of late reports, the survey criteria)."""
    groups: dict[tuple[str, str], list[_Loss]] = {}
    for loss in losses:
        kinds = {kind for kind, _title in loss.parts}
        if loss.comment:
            key = ("comment", _same(loss.comment))
        elif len(kinds) == 1 and Kind.GENERAL not in kinds:
            key = ("kind", kinds.pop().value)
        else:
            key = ("criterion", loss.code)
        groups.setdefault(key, []).append(loss)
    return list(groups.values())


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
