"""The score table of a plan or report: one row per area, bonus and penalty, the lines
that correct a sum, and the notes saying which figures are not the published decision's."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from parapp.domain.criteria import CriteriaSet, CriterionNode, Part
from parapp.domain.figures import AdjustmentKind, Figures, Row, RowState, Source
from parapp.domain.numbers import ZERO, format_max, round_half_up
from parapp.domain.text import fold
from parapp.domain.totals import NodeTotal
from parapp.printing import nd30
from parapp.printing.model import Align, Column, Table


def max_of(node: CriterionNode, total: NodeTotal | None = None) -> str:
    """The maximum as the set writes it, or the effective one where N/A removed part."""
    if total is not None and total.max_points != node.max_points:
        return format_max(total.max_points)
    return nd30.maximum(node.max_points, node.max_text)


def difference(value: Decimal) -> tuple[int, str]:
    """Sign of a difference as displayed (-1, 0, 1) and its absolute value, two decimals."""
    shown = round_half_up(value, 2)
    sign = 0 if shown == ZERO else (1 if shown > ZERO else -1)
    return sign, nd30.points(abs(shown))


_ADJUSTMENT_LABELS = {
    AdjustmentKind.ROUNDING: "Chênh lệch do làm tròn số trong quyết định công bố",
    AdjustmentKind.PUBLISHED_TOTAL: "Chênh lệch so với tổng điểm công bố",
    AdjustmentKind.CAP: "Phần điểm thưởng vượt điểm tối đa (không tính)",
}
SOURCE_WORDS = {
    Source.PUBLISHED: "điểm công bố",
    Source.APPRAISED: "điểm thẩm định",
    Source.SELF: "điểm tự đánh giá",
}


def signed(value: Decimal) -> str:
    """ "+0,01" / "-1,00": a line that corrects a sum."""
    return ("+" if value > ZERO else "-") + nd30.points(abs(value))


def points_title(figures: Figures) -> str:
    """The points column says what its figures are: appraised (or published), self-assessed,
    or simply "achieved" when rows of both kinds are printed (a note then says which)."""
    sources = {r.source for r in figures.rows if r.counted}
    if sources <= {Source.PUBLISHED, Source.APPRAISED}:
        return "Điểm thẩm định"
    if sources == {Source.SELF}:
        return "Điểm tự đánh giá"
    return "Điểm đạt"


def area_codes(rows: Iterable[Row]) -> str:
    return ", ".join(r.code for r in rows)


def score_table(
    cset: CriteriaSet, figures: Figures, achieved_title: str = "", pending_note: str = ""
) -> Table:
    """TT | Nội dung | Điểm tối đa | <points> | Điểm bị trừ: one row per area, bonus and
    penalty rows, a line per adjustment, and a bold total row; the printed rows and lines add
    up to the total (see ``parapp.domain.figures``)."""
    columns = (
        Column("TT", 12, Align.CENTER),
        Column("Nội dung", 82),
        Column("Điểm tối đa", 22, Align.CENTER),
        Column(achieved_title or points_title(figures), 22, Align.CENTER),
        Column("Điểm bị trừ", 22, Align.CENTER),
    )
    rows: list[tuple[str, ...]] = []
    number = 0
    for row in figures.rows:
        node = cset.node(row.code)
        main = node.part is Part.MAIN
        if main:
            number += 1
        tt = str(number) if main else ""
        if row.state is RowState.EXCLUDED:
            rows.append((tt, node.title, max_of(node), "Không áp dụng", ""))
        elif row.state is RowState.SURVEY_PENDING:
            rows.append((tt, node.title, max_of(node), pending_note, ""))
        elif main:
            maximum = format_max(row.max_points)
            if row.max_points == node.max_points:
                maximum = nd30.maximum(node.max_points, node.max_text)
            rows.append((tt, node.title, maximum, nd30.points(row.points), nd30.points(row.lost)))
        else:
            shown = nd30.points(row.points)
            if node.part is Part.PENALTY and row.points > ZERO:
                shown = f"-{shown}"
            rows.append(("", node.title, max_of(node), shown, ""))
    for adjustment in figures.adjustments:
        rows.append(("", _ADJUSTMENT_LABELS[adjustment.kind], "", signed(adjustment.points), ""))
    rows.append(
        (
            "",
            "Tổng cộng",
            format_max(figures.max_points),
            nd30.points(figures.points),
            nd30.points(figures.lost),
        )
    )
    return Table(columns, tuple(rows), frozenset({len(rows) - 1}), caption="Đơn vị tính: điểm")


def score_notes(cset: CriteriaSet, figures: Figures) -> list[str]:
    """What the table's reader must know: which rows are not the decision's, which are left
    out until the survey results are known."""
    notes = []
    rows = figures.unpublished_rows
    if rows:
        word = SOURCE_WORDS[figures.criteria_source]
        areas = [r for r in rows if r.part is Part.MAIN]
        if len(areas) == len([r for r in figures.areas if r.counted]):
            named = ["điểm từng lĩnh vực"]
        else:
            named = [f"điểm lĩnh vực {area_codes(areas)}"] if areas else []
        for r in rows:
            if r.part is not Part.MAIN:
                title = cset.node(r.code).title
                lowered = title[:1].lower() + title[1:]
                named.append(lowered if fold(title).startswith("diem") else f"điểm {lowered}")
        notes.append(
            f"Quyết định công bố không nêu {', '.join(named)}; các điểm này trong bảng là "
            f"{word} theo từng tiêu chí."
        )
    pending = figures.pending_areas
    if pending:
        notes.append(
            f"Lĩnh vực {area_codes(pending)} chưa có kết quả điều tra xã hội học, "
            f"chưa tính vào tổng điểm."
        )
    return notes
