"""The annual CCHC plan (Kế hoạch cải cách hành chính năm ...), after seed 004.

I. MỤC ĐÍCH, YÊU CẦU (1. Mục đích, 2. Yêu cầu)
II. NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH: one "1. <area>" per reform area of the criteria set,
    the tasks of its items as bullets (generic default tasks where it has none)
III. NHIỆM VỤ CỤ THỂ "(Phụ lục kèm theo)"
IV. TỔ CHỨC THỰC HIỆN
Phụ lục (landscape): TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
    Thời gian hoàn thành | Sản phẩm, with a bold row per area.
"""

from __future__ import annotations

from datetime import date

from parapp.domain.criteria import CriterionNode, Part
from parapp.domain.remediation import RemediationItem
from parapp.domain.text import clean, fold
from parapp.printing import texts
from parapp.printing.model import Align, Appendix, Block, Column, Document, Paragraph, Table

from . import common as c
from . import item_text
from .inputs import AnnualPlanInput

A = "annual"


def _default_tasks(area: CriterionNode, vals: texts.Values) -> tuple[str, ...]:
    """Generic tasks for an area the clerk gave none, matched on the area's title."""
    title = fold(area.title)
    for keyword, bullets in texts.lookup(f"{A}.area_tasks"):
        if fold(keyword) in title:
            return tuple(texts.fill(b, vals) for b in bullets)
    return (texts.text(f"{A}.area_fallback", vals),)


def _bullet(text: str) -> str:
    text = clean(text)
    return text if text.startswith(("-", "+", "•")) else f"- {text}"


def _task_bullets(items: list[RemediationItem]) -> list[str]:
    out: list[str] = []
    for item in items:
        out += [_bullet(c.sentence(t)) for t in texts.split(item.tasks or item.shortcoming)]
    return out


def _areas(data: AnnualPlanInput) -> list[tuple[CriterionNode | None, list[RemediationItem]]]:
    """Every main area of the set (with or without items), then items with no area."""
    groups = item_text.group_by_area(data.items, data.cset)
    by_code = {area.code if area else None: items for area, items in groups}
    out: list[tuple[CriterionNode | None, list[RemediationItem]]] = [
        (root, by_code.get(root.code, []))
        for root in data.cset.roots()
        if root.part is Part.MAIN or root.code in by_code
    ]
    if None in by_code:
        out.append((None, by_code[None]))
    return out


def _appendix(data: AnnualPlanInput, vals: dict[str, str]) -> Appendix:
    columns = (
        Column("TT", 12, Align.CENTER),
        Column("Nhiệm vụ", 95),
        Column("Cơ quan chủ trì", 35),
        Column("Cơ quan phối hợp", 35),
        Column("Thời gian hoàn thành", 30, Align.CENTER),
        Column("Sản phẩm", 40),
    )
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    number = 0
    # "TT" runs through the whole plan: the item's number in 'parapp plan items --annual'.
    k = 0
    for area, items in _areas(data):
        if not items:
            continue
        number += 1
        bold.add(len(rows))
        name = area.title if area else texts.text("common.other_area")
        rows.append((c.roman(number), name, "", "", "", ""))
        for item in items:
            k += 1
            rows.append(
                (
                    str(k),
                    "\n".join(texts.split(item.tasks)) or item_text.item_label(item),
                    clean(item.lead),
                    clean(item.coordinating),
                    clean(item.deadline.text),
                    clean(item.product),
                )
            )
    ref = c.doc_ref(
        "Kế hoạch", data.document, data.unit, data.year, phrase=True, profile=data.profile
    )
    return Appendix(
        label="Phụ lục",
        title=texts.text(f"{A}.appendix_title", vals),
        note=f"(Kèm theo {ref})",
        blocks=(Table(columns, tuple(rows), frozenset(bold)),),
        landscape=True,
    )


def build_annual_plan(data: AnnualPlanInput) -> Document:
    doc = data.document
    when = doc.issued_on or date(data.year, 1, 1)
    profile = c.profile_of(data.unit, data.profile)
    vals = c.values(
        data.unit,
        year=data.year,
        when=when,
        appraiser=data.appraiser,
        office=data.office,
        profile=profile,
    )
    bases = [b for b in doc.legal_bases if clean(b)] or list(
        texts.paragraphs(f"{A}.legal_bases", vals)
    )
    body: list[Block] = c.basis_blocks(
        bases, as_sentence=doc.bases_as_sentence, lead_in=texts.text(f"{A}.lead_in", vals)
    )
    body += [c.section("I. MỤC ĐÍCH, YÊU CẦU"), c.numbered("1. Mục đích")]
    body += c.plain(texts.given_or_default(doc.purposes, f"{A}.purposes", vals))
    body.append(c.numbered("2. Yêu cầu"))
    body += c.plain(texts.given_or_default(doc.requirements, f"{A}.requirements", vals))
    body.append(c.section("II. NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"))
    for n, (area, items) in enumerate(_areas(data), start=1):
        name = area.title if area else texts.text("common.other_area")
        body.append(c.numbered(f"{n}. {name}"))
        bullets = _task_bullets(items)
        if not bullets and area is not None:
            bullets = list(_default_tasks(area, vals))
        body += c.plain(bullets)
    if data.items:
        body.append(c.section("III. NHIỆM VỤ CỤ THỂ"))
        note = texts.text(f"{A}.specific_note", vals)
        body.append(Paragraph.of(note, indent=False, align=Align.CENTER))
    body.append(c.section(f"{'IV' if data.items else 'III'}. TỔ CHỨC THỰC HIỆN"))
    body += c.plain(texts.given_or_default(doc.organisation, f"{A}.organisation", vals))

    summary = texts.text(f"{A}.summary", vals)
    title = c.title(doc, c.PLAN_KIND, c.balanced_lines(summary))
    default = c.own_path(f"{A}.recipients", profile)
    recipients = c.recipients(doc.recipients, default, vals, nhu_tren=False)
    return Document(
        header=c.header(data.unit, doc, data.parent_body, data.year, profile),
        title=title,
        body=tuple(body),
        signature=c.signature(doc, recipients, profile),
        appendices=(_appendix(data, vals),) if data.items else (),
        subject=" ".join((title.kind.capitalize(), *title.summary)),
        author=profile.full_name,
        created=when,
    )
