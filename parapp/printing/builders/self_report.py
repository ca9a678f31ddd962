"""The self-assessment report (Báo cáo kết quả tự đánh giá, chấm điểm Chỉ số CCHC).

The body stays portrait and short: the overall result with the per-area table, the criteria
that lost points, the evidence situation, remarks and proposals. The full criteria table
(seven columns) is too wide for a portrait page at a legible size, so it goes into a landscape
appendix: STT | Tiêu chí, tiêu chí thành phần | Điểm tối đa | Số liệu kê khai | Điểm tự chấm |
Tài liệu kiểm chứng | Giải trình.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriteriaSet, CriterionNode, Part, ScoreKind
from parapp.domain.errors import DomainError
from parapp.domain.figures import Figures, compute_figures
from parapp.domain.numbers import HUNDRED, ZERO, format_max, format_vi
from parapp.domain.scoring import Answer, TiersRule
from parapp.domain.text import clean
from parapp.domain.totals import Basis, Totals, compute_totals
from parapp.printing import nd30, texts
from parapp.printing.model import Align, Appendix, Block, Column, Document, Paragraph, Table

from . import common as c
from . import scores
from .inputs import SelfReportInput

S = "self_report"


def _number(value: Decimal) -> str:
    """Declared numbers: "1.301", "2,5"."""
    return format_vi(value, 0) if value == value.to_integral_value() else format_max(value)


def declared_text(node: CriterionNode, score: NodeScore | None) -> str:
    """Declared data in words: "Có", "Không áp dụng", a tier's label, "98/100 (98,00%)",
    "2 trường hợp"."""
    if score is None:
        return ""
    d = score.declared
    if d.answer is Answer.NA:
        return "Không áp dụng"
    if d.answer is not None:
        return "Có" if d.answer is Answer.YES else "Không"
    if d.tier is not None:
        if isinstance(node.rule, TiersRule):
            try:
                return node.rule.tier(d.tier).label
            except DomainError:
                return d.tier
        return d.tier
    if d.numerator is not None and d.denominator is not None:
        text = f"{_number(d.numerator)}/{_number(d.denominator)}"
        if d.denominator > ZERO:
            return f"{text} ({nd30.points(d.numerator * HUNDRED / d.denominator)}%)"
        return f"{text} (không phát sinh)"
    if d.count is not None:
        return f"{d.count} trường hợp"
    return "Không áp dụng" if score.not_applicable else ""


def _self_leaf(node: CriterionNode) -> bool:
    return ScoreKind.SELF in node.score_kinds


def _needs_evidence(score: NodeScore | None) -> bool:
    if score is None:
        return False
    return score.not_applicable or (score.self_score is not None and score.self_score > ZERO)


def _cited(cset: CriteriaSet, evidence: Mapping[str, tuple[str, ...]], code: str) -> bool:
    """Evidence filed under the node or one above it serves the node too."""
    node: str | None = code
    while node is not None:
        if evidence.get(node):
            return True
        node = cset.node(node).parent_code
    return False


def _survey_max(cset: CriteriaSet) -> Decimal:
    return sum(
        (
            leaf.max_points
            for leaf in cset.leaves()
            if leaf.part is Part.MAIN and not _self_leaf(leaf)
        ),
        ZERO,
    )


def _total_sentence(
    data: SelfReportInput, totals: Totals, figures: Figures, vals: dict[str, str]
) -> str:
    fill = vals | {
        "total_self": nd30.points(figures.points),
        "max_self": format_max(figures.max_points),
        "index_self": nd30.points(figures.index),
        "bonus": nd30.points(totals.bonus),
        "penalty": nd30.points(totals.penalty),
    }
    text = texts.text(f"{S}.total", fill)
    if data.cset.roots(Part.BONUS) or data.cset.roots(Part.PENALTY):
        text += " " + texts.text(f"{S}.total_bonus", fill)
    survey = _survey_max(data.cset)
    if survey > ZERO:
        text += "; " + texts.text(f"{S}.total_survey", fill | {"survey_max": format_max(survey)})
    return c.sentence(text)


def _losses(data: SelfReportInput, totals: Totals) -> list[Block]:
    lines: list[str] = []
    unscored: list[str] = []
    for leaf in data.cset.leaves():
        if leaf.part is not Part.MAIN or not _self_leaf(leaf):
            continue
        t = totals.nodes[leaf.code]
        score = data.scores.get(leaf.code)
        if t.leaves and not t.scored:
            unscored.append(f"- {leaf.code}. {leaf.title}.")
            continue
        if t.excluded or t.lost <= ZERO:
            continue
        text = (
            f"- {leaf.code}. {leaf.title}: đạt {nd30.points(t.achieved)}/"
            f"{scores.max_of(leaf)} điểm,"
            f" bị trừ {nd30.points(t.lost)} điểm."
        )
        if score is not None and clean(score.explanation):
            text += f" Giải trình: {c.sentence(score.explanation)}"
        lines.append(text)
    blocks: list[Block] = c.plain(lines) or [Paragraph.of(texts.text(f"{S}.no_losses"))]
    if unscored:
        blocks.append(Paragraph.of(texts.text(f"{S}.unscored_lead"), keep_with_next=True))
        blocks += c.plain(unscored)
    return blocks


def _evidence(data: SelfReportInput, vals: dict[str, str]) -> list[Block]:
    citations = {cite for cites in data.evidence.values() for cite in cites if clean(cite)}
    blocks: list[Block] = []
    if citations:
        fill = vals | {"count": c.count(len(citations))}
        blocks.append(Paragraph.of(texts.text(f"{S}.evidence_count", fill)))
    missing: list[str] = []
    for leaf in data.cset.leaves():
        score = data.scores.get(leaf.code)
        if not _self_leaf(leaf) or not _needs_evidence(score):
            continue
        if _cited(data.cset, data.evidence, leaf.code):
            continue
        text = f"- {leaf.code}. {leaf.title}"
        if score is not None and clean(score.explanation):
            text += f" (giải trình: {clean(score.explanation).rstrip('.')})"
        missing.append(text + ".")
    if not missing:
        blocks.append(Paragraph.of(texts.text(f"{S}.evidence_complete")))
        return blocks
    blocks.append(Paragraph.of(texts.text(f"{S}.evidence_missing_lead"), keep_with_next=True))
    return blocks + c.plain(missing)


def _criteria_table(data: SelfReportInput, totals: Totals, figures: Figures) -> Table:
    columns = (
        Column("STT", 13, Align.CENTER),
        Column("Tiêu chí, tiêu chí thành phần", 72),
        Column("Điểm tối đa", 15, Align.CENTER),
        Column("Số liệu kê khai", 27, Align.CENTER),
        Column("Điểm tự chấm", 15, Align.CENTER),
        Column("Tài liệu kiểm chứng", 68),
        Column("Giải trình", 37),
    )
    survey = texts.text(f"{S}.survey_note")
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    for depth, node in data.cset.walk():
        t = totals.nodes[node.code]
        score = data.scores.get(node.code)
        leaf = data.cset.is_leaf(node.code)
        if leaf and not _self_leaf(node):
            declared, points, note = "", "", survey
        elif leaf:
            declared = declared_text(node, score)
            own = score.self_score if score is not None else None
            points = nd30.points(own) if own is not None else ""
            note = clean(score.explanation) if score is not None else ""
        else:
            declared, note = "", ""
            points = nd30.points(t.achieved) if t.leaves and t.scored else ""
            if not t.leaves and not t.excluded:
                note = survey
        if depth == 0:
            bold.add(len(rows))
        cites = "; ".join(clean(x) for x in data.evidence.get(node.code, ()) if clean(x))
        rows.append((node.code, node.title, scores.max_of(node), declared, points, cites, note))
    bold.add(len(rows))
    rows.append(
        (
            "",
            "Tổng điểm tự đánh giá",
            format_max(figures.max_points),
            "",
            nd30.points(figures.points),
            "",
            "",
        )
    )
    bold.add(len(rows))
    rows.append(("", "Chỉ số tự đánh giá (%)", "", "", nd30.points(figures.index), "", ""))
    return Table(columns, tuple(rows), frozenset(bold), font_size=12)


def build_self_report(data: SelfReportInput) -> Document:
    doc = c.report_document(data.document)
    when = doc.issued_on or date(data.year + 1, 1, 1)
    profile = c.profile_of(data.unit, data.profile)
    vals = c.values(
        data.unit,
        year=data.year,
        when=when,
        appraiser=data.appraiser,
        office=data.office,
        profile=profile,
    )
    vals["set_name"] = clean(data.cset.name)
    decision = clean(data.cset.decision)
    vals["set_decision"] = f" ban hành kèm theo {decision}" if decision else ""
    totals = compute_totals(data.cset, data.scores, Basis.SELF)

    body: list[Block] = [c.addressee(vals, f"{S}.addressee")]
    # the basis in italics leading into the intro, as in the plans (ND30: legal bases italic)
    intro = list(texts.paragraphs(f"{S}.intro", vals))
    body += c.basis_blocks([texts.text(f"{S}.basis", vals)], as_sentence=True, lead_in=intro[0])
    body += c.plain(intro[1:])
    body += [c.section("I. KẾT QUẢ TỰ ĐÁNH GIÁ"), c.numbered("1. Kết quả chung")]
    figures = compute_figures(data.cset, totals)
    body.append(Paragraph.of(_total_sentence(data, totals, figures, vals)))
    body.append(Paragraph.of(texts.text(f"{S}.table_lead", vals), keep_with_next=True))
    body.append(
        scores.score_table(
            data.cset,
            figures,
            "Điểm tự đánh giá",
            texts.text(f"{S}.survey_note"),
        )
    )
    body.append(Paragraph.of(texts.text(f"{S}.detail_note", vals)))
    body.append(c.numbered("2. Các tiêu chí, tiêu chí thành phần chưa đạt điểm tối đa"))
    body += _losses(data, totals)
    body.append(c.numbered("3. Tài liệu kiểm chứng"))
    body += _evidence(data, vals)
    body.append(c.section("II. ĐÁNH GIÁ CHUNG"))
    body += c.plain(texts.given_or_default(data.remarks, f"{S}.remarks", vals))
    body.append(c.section("III. ĐỀ XUẤT, KIẾN NGHỊ"))
    body += c.plain(texts.given_or_default(data.proposals, f"{S}.proposals", vals))
    body.append(Paragraph.of(texts.text(f"{S}.closing", vals)))

    title = c.title(doc, c.REPORT_KIND, c.balanced_lines(texts.text(f"{S}.summary", vals)))
    default = c.own_path(f"{S}.recipients", profile)
    recipients = c.recipients(doc.recipients, default, vals, nhu_tren=True)
    ref = c.doc_ref("Báo cáo", doc, data.unit, when.year, phrase=True, profile=profile)
    appendix = Appendix(
        label="Phụ lục",
        title=texts.text(f"{S}.appendix_title", vals),
        note=f"(Kèm theo {ref})",
        blocks=(_criteria_table(data, totals, figures),),
        landscape=True,
    )
    return Document(
        header=c.header(data.unit, doc, data.parent_body, when.year, profile),
        title=title,
        body=tuple(body),
        signature=c.signature(doc, recipients, profile),
        appendices=(appendix,),
        subject=" ".join((title.kind.capitalize(), *title.summary)),
        author=profile.full_name,
        created=when,
    )
