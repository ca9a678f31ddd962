"""A plan's items as the documents print them: grouped under their areas, labelled, and
who does what by when."""

from __future__ import annotations

from collections.abc import Iterable

from parapp.domain.criteria import CriteriaSet, CriterionNode, ScoreKind
from parapp.domain.remediation import RemediationItem
from parapp.domain.text import clean

from .common import capitalize, sentence


def area_code_of(item: RemediationItem, cset: CriteriaSet | None) -> str | None:
    if cset is None:
        return None
    for code in (item.area_code, *item.node_codes):
        if code and cset.has(code):
            return cset.area_of(code).code
    return None


def survey_only(cset: CriteriaSet, code: str) -> bool:
    """Whether every leaf under ``code`` is scored by the appraiser's survey alone."""
    return all(ScoreKind.SELF not in n.score_kinds for n in cset.leaves_under(code))


def group_by_area(
    items: Iterable[RemediationItem],
    cset: CriteriaSet | None,
    also: Iterable[str] = (),
) -> list[tuple[CriterionNode | None, list[RemediationItem]]]:
    """Items under the set's areas in document order, then those with no area; the areas
    in ``also`` are listed even without items."""
    groups: dict[str | None, list[RemediationItem]] = {code: [] for code in also}
    for item in sorted(items, key=lambda i: i.position):
        groups.setdefault(area_code_of(item, cset), []).append(item)
    out: list[tuple[CriterionNode | None, list[RemediationItem]]] = []
    if cset is not None:
        out = [(root, groups[root.code]) for root in cset.roots() if root.code in groups]
    if None in groups:
        out.append((None, groups[None]))
    return out


def criterion_of(item: RemediationItem, cset: CriteriaSet | None) -> CriterionNode | None:
    """The one criterion (below an area) an item is about, if it names exactly one."""
    if cset is None or len(item.node_codes) != 1 or not cset.has(item.node_codes[0]):
        return None
    node = cset.node(item.node_codes[0])
    return None if node.parent_code is None else node


def item_label(item: RemediationItem) -> str:
    return clean(item.shortcoming) or clean(item.tasks).split("\n")[0] or "(chưa ghi nội dung)"


def assignment(item: RemediationItem) -> str:
    """ "Chủ trì: ...; phối hợp: ...; thời gian thực hiện: <the clerk's wording>." """
    parts = []
    if clean(item.lead):
        parts.append(f"Chủ trì: {clean(item.lead)}")
    if clean(item.coordinating):
        parts.append(f"phối hợp: {clean(item.coordinating)}")
    parts.append(f"thời gian thực hiện: {clean(item.deadline.text)}")
    return sentence(capitalize("; ".join(parts)))
