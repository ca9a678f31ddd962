"""Body tables: a thin black grid in the body family, the header row repeated on every page,
columns that follow their content (``parapp.printing.widths``), and rows of any height.

reportlab moves a table to the next page row by row, and stops the whole document with a
LayoutError when one row is taller than a page. ``GridTable`` breaks such a row inside itself
(reportlab's ``splitInRow``, cell paragraphs split line by line), the header repeated above
its continuation; rows that fit on a page are never broken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from parapp.printing.fonts import BOLD, REGULAR
from parapp.printing.model import Align, Table
from parapp.printing.pdf.styles import (
    CELL_PAD_BOTTOM,
    CELL_PAD_TOP,
    CELL_PAD_X,
    TABLE_GRID,
    TABLE_LEADING_FACTOR,
    markup,
    style,
)
from parapp.printing.widths import balanced_widths

TABLE_BEFORE = 3.0
TABLE_AFTER = 9.0
MIN_PIECE_LINES = 2  # a broken row leaves at least this many lines on either page
_KEPT = "_parapp_keep_with_next"  # set on the first paragraph of a row kept with the next


class GridTable(RLTable):
    """A table whose rows taller than ``max_row`` (what one page holds under the header) are
    broken across pages; a row kept with the next (a group's heading, the row before the
    totals) is never the last on a page."""

    max_row: float = float("inf")
    # reportlab's own state this class reads (set by Table; its stubs leave private names out)
    _rowHeights: list[float]
    _cellvalues: list[list[Any]]
    _cellStyles: list[list[Any]]
    _calc: Callable[[float, float], None]
    _splitRows: Callable[..., list[Flowable]]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)
        heights: list[float] = self._rowHeights
        head = self.repeatRows if isinstance(self.repeatRows, int) else 0
        n = self._first_not_fitting(availHeight)
        if n == len(heights):
            return [self]
        if n < head or (n == head and not self._over_tall(n)):
            return []  # not even the header and one row: the table starts on the next page
        if self._over_tall(n):
            self._top_aligned(n)  # reportlab's in-row split of middle-aligned cells loses text
            parts = self._splitRows(availHeight, doInRowSplit=1)
            if parts:
                return self._carry(parts)
            if n == head:
                return []
        while n - 1 >= head and self._kept(n - 1):
            n -= 1  # a kept row goes to the next page with the row after it
        if n <= head:
            return []
        # the split goes before row n: offer exactly the height of the rows above it
        return self._carry(self._splitRows(sum(heights[:n]), doInRowSplit=0))

    def split_forced(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Break here even where ``split`` would move rows to the next page: asked when
        moving would leave the page with nothing but the title kept with the table."""
        parts = self.split(availWidth, availHeight)
        if parts:
            return parts
        n = self._first_not_fitting(availHeight)
        head = self.repeatRows if isinstance(self.repeatRows, int) else 0
        if n <= head - 1 or n >= len(self._rowHeights):
            return []
        self._top_aligned(n)
        parts = self._splitRows(availHeight, doInRowSplit=1)
        if not parts and n > head:  # too little room to break the row: break before it
            parts = self._splitRows(sum(self._rowHeights[:n]), doInRowSplit=0)
        return self._carry(parts)

    def _first_not_fitting(self, availHeight: float) -> int:
        used = 0.0
        for index, row_height in enumerate(self._rowHeights):
            if used + row_height > availHeight:
                return index
            used += row_height
        return len(self._rowHeights)

    def _over_tall(self, n: int) -> bool:
        heights = self._rowHeights
        head = sum(heights[: self.repeatRows]) if isinstance(self.repeatRows, int) else 0.0
        bound = 0.0  # the rows kept with this one move with it
        above = n - 1
        while above >= 1 and self._kept(above):
            bound += heights[above]
            above -= 1
        return bool(head + bound + heights[n] > self.max_row)

    def _kept(self, n: int) -> bool:
        return any(
            getattr(flowable, _KEPT, False)
            for cell in self._cellvalues[n]
            if isinstance(cell, list | tuple)
            for flowable in cell
        )

    def _top_aligned(self, n: int) -> None:
        for cell_style in self._cellStyles[n]:
            cell_style.valign = "TOP"

    def _carry(self, parts: list[Any]) -> list[Any]:
        for part in parts:
            if isinstance(part, GridTable):
                part.max_row = self.max_row
        return parts


def grid(table: Table, width: float, page_height: float) -> GridTable:
    """A thin black grid in the body family; the header row bold, centred, repeated."""
    size = table.font_size
    leading = round(size * TABLE_LEADING_FACTOR, 2)
    columns = table.columns
    head = style(size, leading, bold=True, align=Align.CENTER)
    # every cell a list of flowables: reportlab breaks a row only by splitting list cells (a
    # bare flowable in a broken row would be dropped)
    data: list[list[list[Flowable]]] = [[[RLParagraph(markup(c.title), head)] for c in columns]]
    kept = table.kept_with_next()
    for index, row in enumerate(table.rows):
        if len(row) > len(columns):
            raise ValueError(f"row {index} has {len(row)} cells for {len(columns)} columns")
        bold = index in table.bold_rows
        cells = (*row, *([""] * (len(columns) - len(row))))
        paragraphs = [
            RLParagraph(markup(value), style(size, leading, bold=bold, align=column.align))
            for value, column in zip(cells, columns, strict=True)
        ]
        if index in kept:  # an attribute: reportlab rebuilds the table at each page break
            setattr(paragraphs[0], _KEPT, True)
        data.append([[p] for p in paragraphs])
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTNAME", (0, 0), (-1, 0), BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), black),
        ("GRID", (0, 0), (-1, -1), TABLE_GRID, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_BOTTOM),
    ]
    bold_rows = sorted(i for i in table.bold_rows if 0 <= i < len(table.rows))
    commands += [("FONTNAME", (0, i + 1), (-1, i + 1), BOLD) for i in bold_rows]
    out = GridTable(
        data,
        colWidths=[w * mm for w in balanced_widths(table, width / mm)],
        repeatRows=1,
        # the smallest piece of a broken row, in points
        # (a height in points, compared with row heights: the stubs' int is too narrow)
        splitInRow=MIN_PIECE_LINES * leading + CELL_PAD_TOP + CELL_PAD_BOTTOM,  # type: ignore[arg-type]
        hAlign="CENTER",
        style=TableStyle(commands),
        spaceBefore=TABLE_BEFORE,
        spaceAfter=TABLE_AFTER,
    )
    out.max_row = page_height - TABLE_BEFORE
    return out
