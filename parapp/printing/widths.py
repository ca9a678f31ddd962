"""Column widths of a table that follow its content, the same for the PDF and the DOCX.

A builder gives each column a width for ordinary text (``Column.width_mm``; 0 shares what is
left). Real text is not ordinary: a 520-character product in a 40 mm column next to short
tasks in a 95 mm one makes every row six times taller than it needs to be. So the declared
widths are a starting point: width moves, a step at a time, from the column that needs it
least to the one that needs it most, as long as the table gets shorter (rows counted in lines,
each row as tall as its tallest cell). Its total width never changes, and a table whose text
already fits is printed with the widths it declared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from parapp.printing.fonts import BOLD, REGULAR, text_width
from parapp.printing.model import Column, Table

MIN_FLEXIBLE_MM = 10.0  # a column given no width gets at least this
MIN_COLUMN_MM = 8.0  # no column is made narrower than this by balancing
CELL_PAD_MM = 1.5  # left and right padding of a cell (both renderers)
STEP_MM = 2.0
MAX_STEPS = 400  # a bound on the work; a real table settles in a few dozen steps
LONG_PARAGRAPH = 60  # words; longer paragraphs are not wrapped word by word when measured
_PT_PER_MM = 72 / 25.4


def declared_widths(columns: Sequence[Column], width_mm: float) -> list[float]:
    """Widths from ``Column.width_mm``, scaled down to ``width_mm`` when wider; columns of
    width 0 share what is left (at least 1 cm)."""
    widths = [max(column.width_mm, 0.0) for column in columns]
    flexible = [i for i, w in enumerate(widths) if w == 0]
    if flexible:
        share = max((width_mm - sum(widths)) / len(flexible), MIN_FLEXIBLE_MM)
        for i in flexible:
            widths[i] = share
    total = sum(widths)
    return [w * width_mm / total for w in widths] if total > width_mm else widths


@lru_cache(maxsize=65536)
def _word_mm(word: str, bold: bool, size: float) -> float:
    return text_width(word, BOLD if bold else REGULAR, size) / _PT_PER_MM


class _Cell:
    """The words of one cell, paragraph by paragraph, measured once."""

    __slots__ = ("longest", "paragraphs", "space")

    def __init__(self, text: str, bold: bool, size: float) -> None:
        self.space = _word_mm(" ", bold, size)
        self.paragraphs = [
            [_word_mm(word, bold, size) for word in line.split()]
            for line in text.replace("\r", "\n").split("\n")
        ]
        self.longest = max((w for p in self.paragraphs for w in p), default=0.0)

    def lines(self, usable: float) -> int:
        """Lines when wrapped greedily in ``usable`` mm (a too-long word is broken)."""
        total = 0
        for words in self.paragraphs:
            if len(words) > LONG_PARAGRAPH:  # estimated: wrapping wastes half a word a line
                length = sum(words) + self.space * (len(words) - 1)
                mean = length / len(words)
                total += math.ceil(length / max(usable - mean / 2, 1.0))
                continue
            count, line = 1, 0.0
            for w in words:
                if w > usable:  # broken across lines, as reportlab and Word do
                    count += (1 if line else 0) + math.ceil(w / usable) - 1
                    line = w % usable
                elif not line:
                    line = w
                elif line + self.space + w <= usable:
                    line += self.space + w
                else:
                    count += 1
                    line = w
            total += count
        return total


def _cells(table: Table) -> list[list[_Cell]]:
    """The header row and the rows of ``table``, every cell measured."""
    size = table.font_size
    count = len(table.columns)
    rows = [[_Cell(c.title, True, size) for c in table.columns]]
    for index, row in enumerate(table.rows):
        bold = index in table.bold_rows
        cells = (*row, *([""] * (count - len(row))))
        rows.append([_Cell(value, bold, size) for value in cells[:count]])
    return rows


def row_lines(table: Table, widths_mm: Sequence[float]) -> list[int]:
    """Lines of the header row and of each row with these column widths (its tallest cell):
    what a renderer needs to know which rows may be taller than a page."""
    usable = [max(w - 2 * CELL_PAD_MM, 1.0) for w in widths_mm]
    return [
        max((cell.lines(u) for cell, u in zip(row, usable, strict=False)), default=1)
        for row in _cells(table)
    ]


def balanced_widths(table: Table, width_mm: float) -> list[float]:
    """The column widths (mm) of ``table`` in a text block ``width_mm`` wide."""
    widths = declared_widths(table.columns, width_mm)
    if not table.rows or len(widths) < 2:
        return widths
    count = len(widths)
    rows = _cells(table)
    # a column keeps room for its longest word, unless it was declared narrower
    floors = [
        min(widths[i], max(MIN_COLUMN_MM, max(r[i].longest for r in rows) + 2 * CELL_PAD_MM))
        for i in range(count)
    ]
    memo: dict[tuple[int, float], list[int]] = {}

    def column_lines(i: int, w: float) -> list[int]:
        key = (i, round(w, 3))
        if key not in memo:
            usable = max(w - 2 * CELL_PAD_MM, 1.0)
            memo[key] = [r[i].lines(usable) for r in rows]
        return memo[key]

    def height(ws: list[float]) -> int:
        per_column = [column_lines(i, w) for i, w in enumerate(ws)]
        return sum(max(col[r] for col in per_column) for r in range(len(rows)))

    best = height(widths)
    for _ in range(MAX_STEPS):
        move: tuple[int, list[float]] | None = None
        for give in range(count):
            if widths[give] - STEP_MM < floors[give]:
                continue
            for take in range(count):
                if take == give:
                    continue
                trial = list(widths)
                trial[give] -= STEP_MM
                trial[take] += STEP_MM
                h = height(trial)
                if h < best and (move is None or h < move[0]):
                    move = (h, trial)
        if move is None:
            break
        best, widths = move
    return widths
