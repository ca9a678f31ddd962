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

from parapp.domain.criteria import CriteriaSet, CriterionNode, IndexKind
from parapp.domain.figures import Figures, Row, Source
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
from . import item_text, scores
from .inputs import IndexData, PlanInput

_KIND_ORDER = [k.value for k in IndexKind]
R = "remediation"


def _indices(data: PlanInput) -> list[IndexData]:
    """The main index first, then the others the plan covers, each once."""
    main_kind = data.cset.index_kind.value if data.cset is not None else "PAR"
    main = IndexData(
        main_kind,
        data.cset,
        data.totals,
        data.result,
        change=data.change,
        previous_area_points=data.previous_area_points,
        figures=data.figures,
    )
    found: dict[str, IndexData] = {main_kind: main}
    for extra in data.extra_indices:
        found.setdefault(extra.kind, extra)
    found = {k: replace(v, pad_ranks=data.pad_ranks) for k, v in found.items()}
    for item in data.items:
        found.setdefault(item.index_kind or "PAR", IndexData(item.index_kind or "PAR"))
    rest = sorted((k for k in found if k != main_kind), key=_order)
    wanted = [main_kind, *rest]
    # The main index stays even without items (its result is what the plan answers), and
    # so does another index whose result was recorded: the plan states it in its part.
    return [
        found[k]
        for k in wanted
        if k == main_kind or _items_of(data, k) or found[k].result is not None
    ]


def _order(kind: str) -> int:
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


def _items_of(data: PlanInput, kind: str) -> list[RemediationItem]:
    return [i for i in data.items if (i.index_kind or "PAR") == kind]


def _figures(idx: IndexData, vals: texts.Values) -> dict[str, object]:
    """points / max / index / rank of an index as printed (``parapp.domain.figures``): the
    points only where they are the decision's, or where there is no decision yet."""
    out = dict(vals)
    r, f = idx.result, idx.printed()
    if r is not None:
        out["index"] = nd30.points(r.index)
        if r.decision_number:
            out["decision_number"] = clean(r.decision_number)
        if r.decision_date:
            out["decision_date"] = nd30.short_date(r.decision_date)
        # A typed result often names no issuer: the appraiser published it.
        issuer = clean(r.issuer) or vals.get("appraiser", "")
        if issuer:
            out["issuer"] = issuer
        if r.rank is not None:
            out["rank"] = nd30.rank(r.rank, idx.pad_ranks)
        if r.rank_of is not None:
            out["rank_of"] = nd30.rank(r.rank_of, idx.pad_ranks)
        if r.band:
            out["band"] = clean(r.band)
    if f is not None:
        out["index"] = nd30.points(f.index)
        if r is None or f.points_published:
            out["points"] = nd30.points(f.points)
            published_max = r.max_points if r is not None else None
            out["max"] = format_max(published_max if published_max is not None else f.max_points)
    elif r is not None and r.points is not None:
        out["points"] = nd30.points(r.points)
        if r.max_points is not None:
            out["max"] = format_max(r.max_points)
    return out


def _rank_band(fig: texts.Values) -> list[str]:
    """ "xếp thứ 12/65 đơn vị cấp xã", "xếp loại Tốt" where known."""
    parts = []
    if "rank" in fig:
        key = "rank" if "rank_of" in fig else "rank_only"
        parts.append(texts.text(f"{R}.legal_basis.{key}", fig))
    if "band" in fig:
        parts.append(texts.text(f"{R}.legal_basis.band", fig))
    return parts


def _result_clause(fig: texts.Values) -> str:
    """ "xã X đạt 91,88/100 điểm (91,88%), xếp thứ 12/65 đơn vị cấp xã, xếp loại Tốt"; an
    index-only result states the index alone ("xã X đạt Chỉ số ... 86,50%")."""
    if "points" in fig and "max" in fig:
        score = texts.text(f"{R}.legal_basis.score", fig)
    elif "index" in fig:
        score = texts.text(f"{R}.legal_basis.score_index_only", fig)
    else:
        return ""
    return ", ".join([score, *_rank_band(fig)])


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
            template = c.drop_date(
                texts.lookup(f"{R}.legal_basis.decision_other"),
                r.decision_date,
                str(other.get("issuer", "")),
            )
            generated.append(texts.fill(template, other))
            numbers.append(clean(r.decision_number))
    r = main.result
    if r is not None and r.decision_number:
        template = c.drop_date(
            texts.lookup(f"{R}.legal_basis.decision"), r.decision_date, str(fig.get("issuer", ""))
        )
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
    sign, diff = scores.difference(idx.change.points)
    key = {1: "change_index_up", -1: "change_index_down", 0: "change_index_same"}[sign]
    fill = vals | {
        "diff": diff,
        "before": nd30.points(idx.change.previous),
        "after": nd30.points(idx.change.current),
    }
    return texts.text(f"{R}.{key}", fill)


def _results(idx: IndexData, figures: Figures, vals: dict[str, str]) -> list[Block]:
    assert idx.cset is not None
    fig = _figures(idx, vals)
    key = "results_intro" if "points" in fig and "max" in fig else "results_intro_index_only"
    text = ", ".join([texts.text(f"{R}.{key}", fig), *_rank_band(fig)])
    change = _change_text(idx, vals)
    if change:
        text += "; " + change
    table = scores.score_table(idx.cset, figures, pending_note=texts.text(f"{R}.survey_pending"))
    return [
        c.numbered("1. Kết quả đánh giá"),
        Paragraph.of(c.sentence(text)),
        Paragraph.of(texts.text(f"{R}.results_table_lead", vals), keep_with_next=True),
        table,
        *(Paragraph.of(note, italic=True) for note in scores.score_notes(idx.cset, figures)),
    ]


def _area_result(
    idx: IndexData, figures: Figures, area: CriterionNode, vals: dict[str, str]
) -> str:
    row = figures.row(area.code)
    if row is None or not row.counted:
        return ""
    labelled = figures.published and row.source is not Source.PUBLISHED
    fill = vals | {
        "points": nd30.points(row.points),
        "max": format_max(row.max_points),
        "lost": nd30.points(row.lost),
        "source_note": f" ({scores.SOURCE_WORDS[row.source]})" if labelled else "",
    }
    key = "area_result" if row.lost > 0 else "area_result_full"
    parts = [texts.text(f"{R}.{key}", fill)]
    r = idx.result
    if row.rank is not None:
        of = r.rank_of if r is not None else None
        shown = nd30.rank(row.rank, idx.pad_ranks)
        parts.append(f"xếp thứ {shown}" + (f"/{nd30.rank(of, idx.pad_ranks)}" if of else ""))
    previous = (idx.previous_area_points or {}).get(area.code)
    if previous is not None:
        sign, diff = scores.difference(row.points - previous)
        key = {1: "change_points_up", -1: "change_points_down", 0: "change_points_same"}[sign]
        parts.append(texts.text(f"{R}.{key}", vals | {"diff": diff}))
    return c.sentence("; ".join(parts))


def _remainder_block(
    cset: CriteriaSet, row: Row | None, items: list[RemediationItem]
) -> list[Block]:
    """The part of a published loss the criteria do not name, unless the clerk wrote an item
    for it (an item of the area with no criterion)."""
    if row is None or row.remainder <= 0 or any(not i.node_codes for i in items):
        return []
    key = "remainder_survey" if item_text.survey_only(cset, row.code) else "remainder"
    text = texts.text(f"{R}.{key}", {"points": nd30.points(row.remainder)})
    return [Paragraph.of(c.sentence(f"- {text}"))]


def _item_blocks(item: RemediationItem) -> list[Block]:
    """ "a) Tồn tại: ..." then "b) Nhiệm vụ, giải pháp: ... Chủ trì: ...; phối hợp: ...;
    thời gian thực hiện: ..." (the reference layout), the clerk's wording verbatim."""
    label = texts.text(f"{R}.carried_label") if item.carried_from else "Tồn tại:"
    tasks = texts.split(item.tasks)
    blocks: list[Block] = [c.labelled(label, item_text.item_label(item), "a) ", keep=True)]
    if not tasks:
        return [*blocks, Paragraph.of(f"b) {item_text.assignment(item)}")]
    last = len(tasks) - 1
    first = c.sentence(tasks[0]) + (" " + item_text.assignment(item) if last == 0 else "")
    blocks.append(c.labelled("Nhiệm vụ, giải pháp:", first, "b) ", keep=last > 0))
    blocks += [Paragraph.of(c.sentence(t)) for t in tasks[1:-1]]
    if last > 0:
        blocks.append(Paragraph.of(f"{c.sentence(tasks[-1])} {item_text.assignment(item)}"))
    return blocks


def _keep_up_blocks(items: list[RemediationItem]) -> list[Block]:
    def line(item: RemediationItem) -> str:
        tasks = " ".join(texts.split(item.tasks))
        text = ": ".join(p for p in (item_text.item_label(item), tasks) if p)
        return f"- {c.sentence(text)} {item_text.assignment(item)}"

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
    figures = idx.printed()
    row = figures.row(area.code) if figures is not None and area is not None else None
    if with_heading:
        name = area.title if area is not None else texts.text("common.other_area")
        blocks.append(c.numbered(f"{number} {name}"))
        if area is not None and figures is not None:
            result = _area_result(idx, figures, area, vals)
            if result:
                blocks.append(Paragraph.of(result, keep_with_next=True))
    fix = [i for i in items if not i.keep_up]
    keep = [i for i in items if i.keep_up]
    if len(fix) == 1:
        blocks += _item_blocks(fix[0])
    else:
        for k, item in enumerate(fix, start=1):
            node = item_text.criterion_of(item, idx.cset)
            heading = node.title if node is not None else item_text.item_label(item)
            blocks.append(c.numbered(f"{number}{k}. {heading}"))
            blocks += _item_blocks(item)
    if idx.cset is not None:
        blocks += _remainder_block(idx.cset, row, fix)
    if keep:
        lead = texts.text(f"{R}.keep_up_lead")
        if len(fix) > 1:
            blocks.append(c.numbered(f"{number}{len(fix) + 1}. {lead.rstrip(':')}"))
        else:
            blocks.append(Paragraph.of(lead, keep_with_next=True))
        blocks += _keep_up_blocks(keep)
    return blocks


def _other_result(idx: IndexData, vals: dict[str, str]) -> list[Block]:
    """ "Năm 2023, Chỉ số hài lòng ... (SIPAS) của phường X đạt 84,20%, xếp thứ 5/12 đơn
    vị cấp xã": an index without a scored tree states its recorded result."""
    if idx.result is None:
        return []
    fig = _figures(idx, vals) | {"index_name": c.index_name(idx.kind)}
    key = "other_result_points" if "points" in fig and "max" in fig else "other_result"
    text = ", ".join([texts.text(f"{R}.{key}", fig), *_rank_band(fig)])
    return [Paragraph.of(c.sentence(text), keep_with_next=True)]


def _index_blocks(data: PlanInput, idx: IndexData, vals: dict[str, str]) -> list[Block]:
    items = _items_of(data, idx.kind)
    blocks: list[Block] = []
    prefix = ""
    figures = idx.printed()
    if idx.cset is not None and figures is not None:
        blocks += _results(idx, figures, vals)
        blocks.append(c.numbered("2. Nội dung khắc phục"))
        prefix = "2."
    else:
        blocks += _other_result(idx, vals)
    # An area whose published loss its criteria do not name is shown even without items.
    unnamed = {r.code for r in figures.areas if r.remainder > 0} if figures else set()
    if not items and not unnamed:
        blocks.append(Paragraph.of(texts.text(f"{R}.no_items", vals)))
        return blocks
    groups = item_text.group_by_area(items, idx.cset, also=unnamed)
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
    # "TT" runs through the whole plan: it is the item's number in 'parapp plan items' (the
    # service keeps the items in this printed order, see services/plan_numbers.py).
    number = 0
    for k, idx in enumerate(indices, start=1):
        items = _items_of(data, idx.kind)
        if not items:
            continue
        if multi:
            bold.add(len(rows))
            rows.append((c.roman(k), c.index_name(idx.kind).upper(), "", "", "", "", ""))
        for g, (area, group) in enumerate(item_text.group_by_area(items, idx.cset), start=1):
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
                        item_text.item_label(item),
                        "\n".join(texts.split(item.tasks)),
                        clean(item.lead),
                        clean(item.coordinating),
                        clean(item.deadline.text),
                        note,
                    )
                )
    ref = c.doc_ref(
        "Kế hoạch", data.document, data.unit, data.year, phrase=True, profile=data.profile
    )
    return Appendix(
        label="Phụ lục",
        title=texts.text(f"{R}.appendix_title" + ("_several" if multi else ""), vals),
        note=f"(Kèm theo {ref})",
        blocks=(Table(columns, tuple(rows), frozenset(bold), font_size=12),),
        landscape=True,
    )


def build_remediation_plan(data: PlanInput) -> Document:
    doc = data.document
    when = doc.issued_on or date(data.year, 1, 1)
    profile = c.profile_of(data.unit, data.profile)
    vals = c.values(
        data.unit,
        year=data.year,
        when=when,
        assessed_year=data.assessed_year,
        appraiser=data.appraiser,
        office=data.office,
        rank_group=data.rank_group,
        profile=profile,
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
    if multi:
        # The one-index summary drafted with the plan names PAR alone: a plan in parts
        # remedies every index it covers (seed 003), unless the clerk wrote her own.
        several = texts.text(f"{R}.summary_several", vals)
        if clean(doc.summary) in ("", summary):
            doc = replace(doc, summary=several)
        summary = several
    title = c.title(doc, c.PLAN_KIND, c.balanced_lines(summary))
    default = c.own_path(f"{R}.recipients", profile)
    recipients = c.recipients(doc.recipients, default, vals, nhu_tren=False)
    return Document(
        header=c.header(data.unit, doc, data.parent_body, data.year, profile),
        title=title,
        body=tuple(body),
        signature=c.signature(doc, recipients, profile),
        appendices=(_appendix(data, indices, vals),) if data.with_appendix else (),
        subject=" ".join((title.kind.capitalize(), *title.summary)),
        author=profile.full_name,
        created=when,
    )
