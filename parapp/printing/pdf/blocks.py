"""Body blocks (paragraphs, headings, tables) as flowables, and the chains that keep them.

Each block becomes one or more ``Item``s; ``chain`` joins every item marked
``keep_with_next`` with what follows it (see ``KeepChain``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as RLParagraph

from parapp.printing.model import (
    Align,
    Appendix,
    Block,
    Heading,
    HeadingLevel,
    Paragraph,
    PartHeading,
    Run,
    Table,
)
from parapp.printing.pdf.flowables import KeepChain, Link
from parapp.printing.pdf.styles import (
    BODY_LEADING,
    BODY_SIZE,
    MARK,
    PARAGRAPH_AFTER,
    TABLE_LEADING_FACTOR,
    TITLE_LEADING,
    TITLE_SIZE,
    body_style,
    markup,
    nfc,
    runs_markup,
    style,
)
from parapp.printing.pdf.tables import grid

LONG_HEADING_LINES = 4  # a heading of more lines than this may break across pages


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


def block_items(block: Block, width: float, height: float) -> list[Item]:
    """The items of one body block laid out in a text block ``width`` points wide and
    ``height`` points high (a table row taller than that is broken across pages)."""
    if isinstance(block, Paragraph):
        return [paragraph_item(block)]
    if isinstance(block, Heading):
        return [heading_item(block, width)]
    if isinstance(block, PartHeading):
        return part_heading_items(block)
    if isinstance(block, Table):
        return table_items(block, width, height)
    raise TypeError(f"not a body block: {block!r}")


def blocks_items(blocks: Iterable[Block], width: float, height: float) -> list[Item]:
    return [item for block in blocks for item in block_items(block, width, height)]


def paragraph_item(paragraph: Paragraph) -> Item:
    para_style = body_style(italic=paragraph.italic, align=paragraph.align, indent=paragraph.indent)
    flowable = RLParagraph(runs_markup(paragraph.runs), para_style)
    return Item(flowable, keep_with_next=paragraph.keep_with_next)


def heading_item(heading: Heading, width: float) -> Item:
    """ "I. MỤC ĐÍCH" and "1. Mục đích" bold, "a) Tồn tại" upright; indented like the body.

    A heading is moved whole to the next page, unless it is as long as a paragraph (a
    criterion's title can be): then it breaks like one rather than leave a page half empty.
    """
    bold = heading.level in (HeadingLevel.SECTION, HeadingLevel.NUMBERED)
    flowable = RLParagraph(markup(heading.text), body_style(bold=bold))
    long = flowable.wrap(width, float("inf"))[1] > LONG_HEADING_LINES * BODY_LEADING
    return Item(flowable, keep_with_next=True, splittable=long)


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


def appendix_items(appendix: Appendix, width: float, height: float) -> list[Item]:
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
    rest = blocks_items(appendix.blocks, width, height)
    if not rest:
        items[-1] = dataclasses.replace(items[-1], keep_with_next=False)
    return items + rest


def table_items(table: Table, width: float, height: float) -> list[Item]:
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
        items.append(Item(grid(table, width, height)))
    return items
