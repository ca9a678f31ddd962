"""Body blocks (paragraphs, headings, tables) as flowables, and the chains that keep them.

Each block becomes one or more ``Item``s; ``chain`` joins every item marked
``keep_with_next`` with what follows it (see ``KeepChain``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from parapp.printing.model import (
    Align,
    Appendix,
    Block,
    Column,
    Heading,
    HeadingLevel,
    Paragraph,
    PartHeading,
    Run,
    Table,
)
from parapp.printing.pdf.flowables import KeepChain, Link
from parapp.printing.pdf.fonts import BOLD, REGULAR
from parapp.printing.pdf.styles import (
    BODY_LEADING,
    BODY_SIZE,
    CELL_PAD_BOTTOM,
    CELL_PAD_TOP,
    CELL_PAD_X,
    MARK,
    PARAGRAPH_AFTER,
    TABLE_GRID,
    TABLE_LEADING_FACTOR,
    TITLE_LEADING,
    TITLE_SIZE,
    body_style,
    markup,
    nfc,
    runs_markup,
    style,
)

MIN_FLEXIBLE_COLUMN = 10 * mm  # a column given no width gets at least this
TABLE_BEFORE = 3.0
TABLE_AFTER = 9.0


@dataclass(frozen=True)
class Item:
    flowable: Flowable
    keep_with_next: bool = False
    splittable: bool = True


def chain(items: Iterable[Item]) -> list[Flowable]:
    """Flowables, each run of ``keep_with_next`` items joined with its follower."""
    out: list[Flowable] = []
    run: list[Link] = []
    for item in items:
        run.append(Link(item.flowable, item.splittable))
        if not item.keep_with_next:
            out.append(run[0].flowable if len(run) == 1 else KeepChain(run))
            run = []
    if run:
        out.append(run[0].flowable if len(run) == 1 else KeepChain(run))
    return out


def with_end_mark(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """The body with "./." at its end: appended to the last paragraph, or (after a final
    table or heading) as a paragraph of its own, as the DOCX renderer does."""
    if blocks and isinstance(blocks[-1], Paragraph):
        return (*blocks[:-1], _marked(blocks[-1]))
    return (*blocks, Paragraph.of(MARK, align=Align.RIGHT, indent=False))


def _marked(paragraph: Paragraph) -> Paragraph:
    runs = list(paragraph.runs)
    last = max((i for i, run in enumerate(runs) if run.text.strip()), default=-1)
    if last < 0:
        return dataclasses.replace(paragraph, runs=(*runs, Run(MARK)))
    text = nfc(runs[last].text).rstrip()
    if not text.endswith(MARK):
        text = text.rstrip(".,;") + MARK
    runs[last] = dataclasses.replace(runs[last], text=text)
    return dataclasses.replace(paragraph, runs=tuple(runs[: last + 1]))


def block_items(block: Block, width: float) -> list[Item]:
    """The items of one body block laid out in a text block ``width`` points wide."""
    if isinstance(block, Paragraph):
        return [paragraph_item(block)]
    if isinstance(block, Heading):
        return [heading_item(block)]
    if isinstance(block, PartHeading):
        return part_heading_items(block)
    if isinstance(block, Table):
        return table_items(block, width)
    raise TypeError(f"not a body block: {block!r}")


def blocks_items(blocks: Iterable[Block], width: float) -> list[Item]:
    return [item for block in blocks for item in block_items(block, width)]


def paragraph_item(paragraph: Paragraph) -> Item:
    para_style = body_style(italic=paragraph.italic, align=paragraph.align, indent=paragraph.indent)
    flowable = RLParagraph(runs_markup(paragraph.runs), para_style)
    return Item(flowable, keep_with_next=paragraph.keep_with_next)


def heading_item(heading: Heading) -> Item:
    """ "I. MỤC ĐÍCH" and "1. Mục đích" bold, "a) Tồn tại" upright; indented like the body."""
    bold = heading.level in (HeadingLevel.SECTION, HeadingLevel.NUMBERED)
    flowable = RLParagraph(markup(heading.text), body_style(bold=bold))
    return Item(flowable, keep_with_next=True, splittable=False)


def part_heading_items(part: PartHeading) -> list[Item]:
    """ "Phần I" and its upper-case title, centred bold, kept with what follows."""
    label_style = style(BODY_SIZE, BODY_LEADING, bold=True, align=Align.CENTER, before=6)
    title_style = style(
        BODY_SIZE, BODY_LEADING, bold=True, align=Align.CENTER, after=PARAGRAPH_AFTER
    )
    return [
        Item(RLParagraph(markup(part.label), label_style), keep_with_next=True, splittable=False),
        Item(
            RLParagraph(markup(nfc(part.title).upper()), title_style),
            keep_with_next=True,
            splittable=False,
        ),
    ]


def appendix_items(appendix: Appendix, width: float) -> list[Item]:
    """ "Phụ lục", its title and note centred, kept with the first block, then the blocks."""
    heading = style(TITLE_SIZE, TITLE_LEADING, bold=True, align=Align.CENTER)
    note = style(TITLE_SIZE, TITLE_LEADING, italic=True, align=Align.CENTER)
    lines = [
        RLParagraph(markup(appendix.label), heading),
        RLParagraph(markup(nfc(appendix.title).upper()), heading),
    ]
    if appendix.note.strip():
        lines.append(RLParagraph(markup(appendix.note), note))
    lines[-1].spaceAfter = 12.0  # attribute, not style: styles are shared
    items = [Item(line, keep_with_next=True, splittable=False) for line in lines]
    rest = blocks_items(appendix.blocks, width)
    if not rest:
        items[-1] = dataclasses.replace(items[-1], keep_with_next=False)
    return items + rest


# --- tables ----------------------------------------------------------------------------------


def column_widths(columns: Sequence[Column], width: float) -> list[float]:
    """Widths in points from ``Column.width_mm``, scaled down to ``width`` when wider; a
    column of width 0 shares what is left (at least 1 cm)."""
    widths = [max(column.width_mm, 0.0) * mm for column in columns]
    flexible = [i for i, w in enumerate(widths) if w == 0]
    if flexible:
        share = max((width - sum(widths)) / len(flexible), MIN_FLEXIBLE_COLUMN)
        for i in flexible:
            widths[i] = share
    total = sum(widths)
    if total > width:
        widths = [w * width / total for w in widths]
    return widths


def table_items(table: Table, width: float) -> list[Item]:
    items: list[Item] = []
    if table.caption.strip():
        caption_style = style(
            table.font_size + 1,
            (table.font_size + 1) * TABLE_LEADING_FACTOR,
            italic=True,
            align=Align.RIGHT,
            after=2,
        )
        caption = RLParagraph(markup(table.caption), caption_style)
        items.append(Item(caption, keep_with_next=True, splittable=False))
    if table.columns:
        items.append(Item(grid(table, width)))
    return items


def grid(table: Table, width: float) -> RLTable:
    """A thin black grid in the body family; the header row bold, centred, repeated."""
    size = table.font_size
    leading = round(size * TABLE_LEADING_FACTOR, 2)
    columns = table.columns
    head = style(size, leading, bold=True, align=Align.CENTER)
    data: list[list[Flowable]] = [[RLParagraph(markup(c.title), head) for c in columns]]
    for index, row in enumerate(table.rows):
        if len(row) > len(columns):
            raise ValueError(f"row {index} has {len(row)} cells for {len(columns)} columns")
        bold = index in table.bold_rows
        cells = (*row, *([""] * (len(columns) - len(row))))
        data.append(
            [
                RLParagraph(markup(value), style(size, leading, bold=bold, align=column.align))
                for value, column in zip(cells, columns, strict=True)
            ]
        )
    commands: list[tuple[object, ...]] = [
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
    # A bold row inside the table heads a group (an area): never leave it alone at the foot
    # of a page. (A bold last row is a total; it may start a page.)
    commands += [
        ("NOSPLIT", (0, i + 1), (-1, i + 2)) for i in bold_rows if i + 1 < len(table.rows)
    ]
    return RLTable(
        data,
        colWidths=column_widths(columns, width),
        repeatRows=1,
        hAlign="CENTER",
        style=TableStyle(commands),
        spaceBefore=TABLE_BEFORE,
        spaceAfter=TABLE_AFTER,
    )
