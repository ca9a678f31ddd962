"""The remediation plan (Kế hoạch khắc phục tồn tại, hạn chế), after seeds 000, 002 and 003.

One index:                         Several indices (seed 003):
  I. MỤC ĐÍCH, YÊU CẦU               Phần I  MỤC ĐÍCH, YÊU CẦU (I. Mục đích, II. Yêu cầu)
  II. KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC  Phần II KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC
    1. Kết quả đánh giá (table)        I. CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX) ...
    2. Nội dung khắc phục              II. CHỈ SỐ ... (SIPAS) ...
      2.1. <area>: Kết quả ...       Phần III GIẢI PHÁP VÀ TỔ CHỨC THỰC HIỆN
        2.1.1. <criterion>             I. Giải pháp, II. Tổ chức thực hiện
          a) Tồn tại: ...
          b) Nhiệm vụ, giải pháp: ... Chủ trì: ...; phối hợp: ...; thời gian thực hiện: ...
  III. GIẢI PHÁP THỰC HIỆN  IV. TỔ CHỨC THỰC HIỆN
An area with a single item skips the "2.1.1." level; "tiếp tục duy trì" items close the area.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from parapp.domain.criteria import CriterionNode, IndexKind
from parapp.domain.numbers import format_max
from parapp.domain.remediation import RemediationItem
from parapp.domain.text import clean
from parapp.domain.totals import Basis
from parapp.printing import nd30, texts
from parapp.printing.model import (
    Align,
    Appendix,
    Block,
    Column,
    Document,
    Paragraph,
    PartHeading,
    Table,
)

from . import common as c
from .inputs import IndexData, PlanInput

_KIND_ORDER = [k.value for k in IndexKind]
R = "remediation"


def _indices(data: PlanInput) -> list[IndexData]:
    """The main index first, then the others the plan covers, each once."""
    main_kind = data.cset.index_kind.value if data.cset is not None else "PAR"
    main = IndexData(main_kind, data.cset, data.totals, data.result)
    main = replace(main, change=data.change, previous_area_points=data.previous_area_points)
    found: dict[str, IndexData] = {main_kind: main}
    for extra in data.extra_indices:
        found.setdefault(extra.kind, extra)
    for item in data.items:
        found.setdefault(item.index_kind or "PAR", IndexData(item.index_kind or "PAR"))
    rest = sorted((k for k in found if k != main_kind), key=_order)
    wanted = [main_kind, *rest]
    # The main index stays even without items (its result is what the plan answers).
    return [found[k] for k in wanted if k == main_kind or _items_of(data, k)]


def _order(kind: str) -> int:
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


def _items_of(data: PlanInput, kind: str) -> list[RemediationItem]:
    return [i for i in data.items if (i.index_kind or "PAR") == kind]


def _figures(idx: IndexData, vals: texts.Values) -> dict[str, str]:
    """points / max / index / rank of an index, published figures first."""
    out = dict(vals)
    r, t = idx.result, idx.totals
    if r is not None:
        points = r.points if r.points is not None else (t.total if t else None)
        maximum = r.max_points if r.max_points is not None else (t.main_max if t else None)
        out["index"] = nd30.points(r.index)
        if r.decision_number:
            out["decision_number"] = clean(r.decision_number)
        if r.decision_date:
            out["decision_date"] = nd30.short_date(r.decision_date)
        if r.issuer:
            out["issuer"] = clean(r.issuer)
        if r.rank is not None:
            out["rank"] = str(r.rank)
        if r.rank_of is not None:
            out["rank_of"] = str(r.rank_of)
        if r.band:
            out["band"] = clean(r.band)
    elif t is not None:
        points, maximum = t.total, t.main_max
        out["index"] = nd30.points(t.index)
    else:
        return out
    if points is not None:
        out["points"] = nd30.points(points)
    if maximum is not None:
        out["max"] = format_max(maximum)
    return out


def _rank_band(fig: dict[str, str]) -> list[str]:
    """ "xếp thứ 12/65 đơn vị cấp xã", "xếp loại Tốt" where known."""
    parts = []
    if "rank" in fig:
        key = "rank" if "rank_of" in fig else "rank_only"
        parts.append(texts.text(f"{R}.legal_basis.{key}", fig))
    if "band" in fig:
        parts.append(texts.text(f"{R}.legal_basis.band", fig))
    return parts


def _result_clause(fig: dict[str, str]) -> str:
    """ "xã X đạt 91,88/100 điểm (91,88%), xếp thứ 12/65 đơn vị cấp xã, xếp loại Tốt"."""
    if "points" not in fig:
        return ""
    return ", ".join([texts.text(f"{R}.legal_basis.score", fig), *_rank_band(fig)])


def _bases(data: PlanInput, indices: list[IndexData], vals: dict[str, str]) -> list[Block]:
    doc = data.document
    main = indices[0]
    fig = _figures(main, vals)
    generated: list[str] = []
    numbers: list[str] = []
    for idx in indices[1:]:
        r = idx.result
        if r is not None and r.decision_number:
            other = _figures(idx, vals) | {"index_name": c.index_name(idx.kind)}
            template = c.drop_date(texts.lookup(f"{R}.legal_basis.decision_other"), r.decision_date)
            generated.append(texts.fill(template, other))
            numbers.append(clean(r.decision_number))
    r = main.result
    if r is not None and r.decision_number:
        template = c.drop_date(texts.lookup(f"{R}.legal_basis.decision"), r.decision_date)
        main_clause = texts.fill(template, fig)
        numbers.append(clean(r.decision_number))
    elif main.totals is not None:
        key = "appraised" if main.totals.basis is Basis.OFFICIAL else "self"
        main_clause = texts.text(f"{R}.legal_basis.{key}", fig)
    else:
        main_clause = ""
    result = _result_clause(fig)
    # The clerk's own bases first; one citing a decision we cite ourselves is replaced.
    own = [b for b in doc.legal_bases if clean(b) and not any(n in b for n in numbers)]
    lead_in = texts.text(f"{R}.legal_basis.lead_in", vals)
    if doc.bases_as_sentence:
        if main_clause and result:
            joiner = texts.text(f"{R}.legal_basis.joiner")
            main_clause = f"{main_clause}, {joiner} {result}"
        clauses = [*own, *generated, main_clause]
        return c.basis_blocks(clauses, as_sentence=True, lead_in=lead_in)
    statement = c.sentence(c.capitalize(result)) if result else ""
    clauses = [*own, *generated, main_clause]
    return c.basis_blocks(clauses, as_sentence=False, lead_in=lead_in, statement=statement)


def _change_text(idx: IndexData, vals: dict[str, str]) -> str:
    if idx.change is None:
        return ""
    sign, diff = c.difference(idx.change.points)
    key = {1: "change_index_up", -1: "change_index_down", 0: "change_index_same"}[sign]
    fill = vals | {
        "diff": diff,
        "before": nd30.points(idx.change.previous),
        "after": nd30.points(idx.change.current),
    }
    return texts.text(f"{R}.{key}", fill)


def _results(idx: IndexData, vals: dict[str, str]) -> list[Block]:
    assert idx.cset is not None and idx.totals is not None
    fig = _figures(idx, vals)
    intro = texts.text(f"{R}.results_intro", fig)
    text = ", ".join([intro, *_rank_band(fig)])
    change = _change_text(idx, vals)
    if change:
        text += "; " + change
    official = idx.result is not None or idx.totals.basis is Basis.OFFICIAL
    table = c.score_table(idx.cset, idx.totals, "Điểm thẩm định" if official else "Điểm đạt")
    return [
        c.numbered("1. Kết quả đánh giá"),
        Paragraph.of(c.sentence(text)),
        Paragraph.of(texts.text(f"{R}.results_table_lead", vals), keep_with_next=True),
        table,
    ]


def _area_result(idx: IndexData, area: CriterionNode, vals: dict[str, str]) -> str:
    assert idx.totals is not None
    t = idx.totals.nodes.get(area.code)
    if t is None or t.excluded or t.leaves == 0:
        return ""
    fill = vals | {
        "points": nd30.points(t.achieved),
        "max": c.max_of(area, t),
        "lost": nd30.points(t.lost),
    }
    key = "area_result" if t.lost > 0 else "area_result_full"
    parts = [texts.text(f"{R}.{key}", fill)]
    r = idx.result
    rank = next((a.rank for a in r.areas if a.code == area.code), None) if r else None
    if rank is not None:
        parts.append(f"xếp thứ {rank}" + (f"/{r.rank_of}" if r and r.rank_of else ""))
    previous = (idx.previous_area_points or {}).get(area.code)
    if previous is not None:
        sign, diff = c.difference(t.achieved - previous)
        key = {1: "change_points_up", -1: "change_points_down", 0: "change_points_same"}[sign]
        parts.append(texts.text(f"{R}.{key}", vals | {"diff": diff}))
    return c.sentence("; ".join(parts))


def _item_blocks(item: RemediationItem) -> list[Block]:
    """ "a) Tồn tại: ..." then "b) Nhiệm vụ, giải pháp: ... Chủ trì: ...; phối hợp: ...;
    thời gian thực hiện: ..." (the reference layout), the clerk's wording verbatim."""
    label = texts.text(f"{R}.carried_label") if item.carried_from else "Tồn tại:"
    tasks = texts.split(item.tasks)
    blocks: list[Block] = [c.labelled(label, c.item_label(item), "a) ", keep=True)]
    if not tasks:
        return [*blocks, Paragraph.of(f"b) {c.assignment(item)}")]
    last = len(tasks) - 1
    first = c.sentence(tasks[0]) + (" " + c.assignment(item) if last == 0 else "")
    blocks.append(c.labelled("Nhiệm vụ, giải pháp:", first, "b) ", keep=last > 0))
    blocks += [Paragraph.of(c.sentence(t)) for t in tasks[1:-1]]
    if last > 0:
        blocks.append(Paragraph.of(f"{c.sentence(tasks[-1])} {c.assignment(item)}"))
    return blocks


def _keep_up_blocks(items: list[RemediationItem]) -> list[Block]:
    def line(item: RemediationItem) -> str:
        text = ": ".join(p for p in (c.item_label(item), " ".join(texts.split(item.tasks))) if p)
        return f"- {c.sentence(text)} {c.assignment(item)}"

    return [Paragraph.of(line(item)) for item in items]


def _area_blocks(
    idx: IndexData,
    number: str,
    area: CriterionNode | None,
    items: list[RemediationItem],
    vals: dict[str, str],
    with_heading: bool,
) -> list[Block]:
    blocks: list[Block] = []
    if with_heading:
        name = area.title if area is not None else texts.text("common.other_area")
        blocks.append(c.numbered(f"{number} {name}"))
        if area is not None and idx.totals is not None:
            result = _area_result(idx, area, vals)
            if result:
                blocks.append(Paragraph.of(result, keep_with_next=True))
    fix = [i for i in items if not i.keep_up]
    keep = [i for i in items if i.keep_up]
    if len(fix) == 1:
        blocks += _item_blocks(fix[0])
    else:
        for k, item in enumerate(fix, start=1):
            node = c.criterion_of(item, idx.cset)
            heading = node.title if node is not None else c.item_label(item)
            blocks.append(c.numbered(f"{number}{k}. {heading}"))
            blocks += _item_blocks(item)
    if keep:
        lead = texts.text(f"{R}.keep_up_lead")
        if len(fix) > 1:
            blocks.append(c.numbered(f"{number}{len(fix) + 1}. {lead.rstrip(':')}"))
        else:
            blocks.append(Paragraph.of(lead, keep_with_next=True))
        blocks += _keep_up_blocks(keep)
    return blocks


def _index_blocks(data: PlanInput, idx: IndexData, vals: dict[str, str]) -> list[Block]:
    items = _items_of(data, idx.kind)
    blocks: list[Block] = []
    prefix = ""
    if idx.cset is not None and idx.totals is not None:
        blocks += _results(idx, vals)
        blocks.append(c.numbered("2. Nội dung khắc phục"))
        prefix = "2."
    if not items:
        blocks.append(Paragraph.of(texts.text(f"{R}.no_items", vals)))
        return blocks
    groups = c.group_by_area(items, idx.cset)
    flat = len(groups) == 1 and groups[0][0] is None
    if flat:  # no areas (PAPI, Dân vận): the items straight under the index
        return blocks + _area_blocks(idx, prefix, None, groups[0][1], vals, with_heading=False)
    for n, (area, group) in enumerate(groups, start=1):
        blocks += _area_blocks(idx, f"{prefix}{n}.", area, group, vals, with_heading=True)
    return blocks


def _appendix(data: PlanInput, indices: list[IndexData], vals: dict[str, str]) -> Appendix:
    columns = (
        Column("TT", 12, Align.CENTER),
        Column("Nội dung tồn tại", 55),
        Column("Nhiệm vụ, giải pháp", 75),
        Column("Chủ trì", 30),
        Column("Phối hợp", 30),
        Column("Thời gian", 23, Align.CENTER),
        Column("Kết quả/ghi chú", 22),
    )
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    multi = len(indices) > 1
    for k, idx in enumerate(indices, start=1):
        items = _items_of(data, idx.kind)
        if not items:
            continue
        if multi:
            bold.add(len(rows))
            rows.append((c.roman(k), c.index_name(idx.kind).upper(), "", "", "", "", ""))
        number = 0
        for g, (area, group) in enumerate(c.group_by_area(items, idx.cset), start=1):
            if area is not None or len(indices) == 1:
                bold.add(len(rows))
                name = area.title if area else texts.text("common.other_area")
                rows.append(("" if multi else c.roman(g), name, "", "", "", "", ""))
            for item in group:
                number += 1
                note = "Duy trì" if item.keep_up else ("Chuyển tiếp" if item.carried_from else "")
                rows.append(
                    (
                        str(number),
                        c.item_label(item),
                        "\n".join(texts.split(item.tasks)),
                        clean(item.lead),
                        clean(item.coordinating),
                        clean(item.deadline.text),
                        note,
                    )
                )
            if not multi:
                number = 0
    ref = c.doc_ref("Kế hoạch", data.document, data.unit, data.year, phrase=True)
    return Appendix(
        label="Phụ lục",
        title=texts.text(f"{R}.appendix_title", vals),
        note=f"(Kèm theo {ref})",
        blocks=(Table(columns, tuple(rows), frozenset(bold), font_size=12),),
        landscape=True,
    )


def build_remediation_plan(data: PlanInput) -> Document:
    doc = data.document
    when = doc.issued_on or date(data.year, 1, 1)
    vals = c.values(
        data.unit,
        year=data.year,
        when=when,
        assessed_year=data.assessed_year,
        appraiser=data.appraiser,
        office=data.office,
        rank_group=data.rank_group,
    )
    vals["previous_year"] = str(data.previous_year or data.assessed_year - 1)
    indices = _indices(data)
    multi = len(indices) > 1
    purposes = texts.given_or_default(doc.purposes, f"{R}.purposes", vals)
    requirements = texts.given_or_default(doc.requirements, f"{R}.requirements", vals)
    solutions = texts.given_or_default(doc.solutions, f"{R}.solutions", vals)
    organisation = texts.given_or_default(doc.organisation, f"{R}.organisation", vals)

    body: list[Block] = _bases(data, indices, vals)
    if multi:
        body += [PartHeading("Phần I", "MỤC ĐÍCH, YÊU CẦU"), c.section("I. MỤC ĐÍCH")]
        body += c.plain(purposes)
        body += [c.section("II. YÊU CẦU"), *c.plain(requirements)]
        body.append(PartHeading("Phần II", "KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC"))
        for k, idx in enumerate(indices, start=1):
            body.append(c.section(f"{c.roman(k)}. {c.index_name(idx.kind).upper()}"))
            body += _index_blocks(data, idx, vals)
        body.append(PartHeading("Phần III", "GIẢI PHÁP VÀ TỔ CHỨC THỰC HIỆN"))
        body += [c.section("I. GIẢI PHÁP THỰC HIỆN"), *c.plain(solutions)]
        body += [c.section("II. TỔ CHỨC THỰC HIỆN"), *c.plain(organisation)]
    else:
        body += [c.section("I. MỤC ĐÍCH, YÊU CẦU"), c.numbered("1. Mục đích")]
        body += c.plain(purposes)
        body += [c.numbered("2. Yêu cầu"), *c.plain(requirements)]
        body.append(c.section("II. KẾT QUẢ VÀ NỘI DUNG KHẮC PHỤC"))
        body += _index_blocks(data, indices[0], vals)
        body += [c.section("III. GIẢI PHÁP THỰC HIỆN"), *c.plain(solutions)]
        body += [c.section("IV. TỔ CHỨC THỰC HIỆN"), *c.plain(organisation)]

    summary = texts.text(f"{R}.summary", vals)
    title = c.title(doc, c.PLAN_KIND, c.balanced_lines(summary))
    recipients = c.recipients(doc.recipients, f"{R}.recipients", vals, nhu_tren=False)
    return Document(
        header=c.header(data.unit, doc, data.parent_body, data.year),
        title=title,
        body=tuple(body),
        signature=c.signature(doc, recipients),
        appendices=(_appendix(data, indices, vals),) if data.with_appendix else (),
        subject=" ".join((title.kind.capitalize(), *title.summary)),
        author=f"Ủy ban nhân dân {vals['unit_name']}",
        created=when,
    )
