"""Export the self-assessment as the Excel sheet ``scores_import`` reads back: the clerk fills
or checks it in a spreadsheet and imports it again, and an unchanged sheet changes nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from db.engine import Database
from parapp.domain.assessment import NodeScore
from parapp.domain.criteria import CriterionNode, ScoreKind
from parapp.domain.errors import DomainError
from parapp.domain.scoring import Answer, FreeRule, TiersRule

from . import assessments
from .common import ServiceError
from .files import write_atomic

# Import headers (docs/scores-format.md); "Tên tiêu chí" and "Điểm tối đa" are read as
# other columns, which the import ignores.
HEADER = (
    "Mã tiêu chí", "Tên tiêu chí", "Điểm tối đa", "Số liệu kê khai", "Điểm tự chấm", "Giải trình"
)
WIDTHS = (12, 60, 11, 22, 13, 60)
ANSWER_WORDS = {Answer.YES: "Có", Answer.NO: "Không", Answer.NA: "Không áp dụng"}


@dataclass(frozen=True)
class ScoresExportResult:
    path: Path
    year: int
    rows: int


def _number(value: Decimal) -> str:
    """A declared number as the import reads it: "1183", "12,5" (no thousands grouping,
    which would read as a decimal point)."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def declared_cell(node: CriterionNode, score: NodeScore) -> str:
    """The declared data in the words the import understands; "" when none."""
    d = score.declared
    if d.answer is not None:
        return ANSWER_WORDS[d.answer]
    if d.tier is not None:
        if isinstance(node.rule, TiersRule):
            try:
                return node.rule.tier(d.tier).label
            except DomainError:
                pass
        return d.tier
    if d.numerator is not None and d.denominator is not None:
        return f"{_number(d.numerator)}/{_number(d.denominator)}"
    if d.count is not None:
        return str(d.count)
    return ""


def _score_cell(node: CriterionNode, score: NodeScore) -> Decimal | None:
    # A computed score is left out where declared data computes it: the import recomputes
    # it, and an old typed figure would only be refused as disagreeing.
    if score.self_score is None:
        return None
    if not isinstance(node.rule, FreeRule) and not score.declared.is_empty():
        return None
    return score.self_score


def scores_rows(db: Database, year: int | None = None) -> tuple[int, list[list[object]]]:
    """The sheet's rows under its header, one per leaf the unit scores, in the set's order."""
    view = assessments.view(db, year)
    rows: list[list[object]] = []
    for node in view.cset.nodes:
        if not view.cset.is_leaf(node.code) or ScoreKind.SELF not in node.score_kinds:
            continue
        score = view.scores.get(node.code, NodeScore(code=node.code))
        rows.append(
            [
                node.code,
                node.title,
                node.max_points,
                declared_cell(node, score),
                _score_cell(node, score),
                score.explanation,
            ]
        )
    return view.info.year, rows


def export_scores(db: Database, out: Path, year: int | None = None) -> ScoresExportResult:
    """Write the self-assessment of ``year`` (latest if None) to ``out`` (.xlsx), atomically."""
    if out.suffix.lower() != ".xlsx":
        raise ServiceError("Export the scores to an .xlsx file, not '{name}'.", name=out.name)
    the_year, rows = scores_rows(db, year)
    write_atomic(out, _workbook(rows))
    return ScoresExportResult(path=out, year=the_year, rows=len(rows))


def _workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook  # a third of a second to import: only when exporting
    from openpyxl.styles import Alignment, Font  # as Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Tự chấm"
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)
        line = sheet.max_row
        sheet.cell(line, 1).number_format = "@"  # "1.10" stays a code, not 1.1
        sheet.cell(line, 4).number_format = "@"
        for column in (2, 6):
            sheet.cell(line, column).alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "A2"
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()
