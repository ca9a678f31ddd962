"""Flowables the ND30 layout needs beyond reportlab's own.

- ``Rule``: the short solid rules under the issuing body, the motto and the title.
- ``KeepChain``: headings (and paragraphs marked ``keep_with_next``) kept on the same page as
  the start of what follows, without reportlab's all-or-nothing ``KeepTogether``: a long
  paragraph or table after a heading may still break, as long as the heading is not left
  alone at the foot of a page.
- ``SectionStart``: marks where an appendix begins, so that its pages are numbered on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import black
from reportlab.platypus import Flowable

from parapp.printing.pdf.styles import RULE_THICKNESS

_FUZZ = 1e-6
_NO_ROOM = float("inf")


class Rule(Flowable):
    """A solid rule ``length`` points long, centred in the width it is given."""

    def __init__(
        self,
        length: float,
        above: float = 0.0,
        below: float = 0.0,
        thickness: float = RULE_THICKNESS,
        space_after: float = 0.0,
    ) -> None:
        super().__init__()
        self.length = length
        self.above = above
        self.below = below
        self.thickness = thickness
        self.spaceAfter = space_after
        self._room = length

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._room = availWidth
        return availWidth, self.above + self.thickness + self.below

    def draw(self) -> None:
        length = min(self.length, self._room)
        x = (self._room - length) / 2
        y = self.below + self.thickness / 2
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(black)
        canv.setLineWidth(self.thickness)
        canv.setLineCap(0)
        canv.line(x, y, x + length, y)
        canv.restoreState()


@dataclass(frozen=True)
class Link:
    """One member of a ``KeepChain``; ``splittable`` ones may break across pages."""

    flowable: Flowable
    splittable: bool


class KeepChain(Flowable):
    """Flowables each kept on the same page as the start of the next one.

    Laid out in ``split`` (``wrap`` always asks for a split, as reportlab's KeepTogether does):
    members are placed while they fit; the first that does not fit breaks inside itself if it
    may; otherwise the page break must come before it, so the tail of the member before it
    (its last lines or rows) moves to the next page with it, or, if that member cannot break
    (a heading), the one before that, and so on. If nothing can move, the whole chain goes to
    the next page; at the top of a page, where that would not help, the chain is given up.
    """

    def __init__(self, links: Sequence[Link]) -> None:
        super().__init__()
        if not links:
            raise ValueError("a KeepChain needs at least one member")
        self._links = tuple(links)

    def __repr__(self) -> str:
        return f"KeepChain({[type(link.flowable).__name__ for link in self._links]})"

    def getSpaceBefore(self) -> float:
        return float(self._links[0].flowable.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self._links[-1].flowable.getSpaceAfter())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0xFFFFFF  # never fits whole: the frame asks split() to lay it out

    def draw(self) -> None:  # pragma: no cover - always split into its members first
        raise AssertionError("KeepChain is laid out by split()")

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        return self._lay_out(availWidth, availHeight, at_top)

    def _lay_out(self, width: float, height: float, at_top: bool) -> list[Flowable]:
        links = self._links
        heights: list[float] = []
        used = 0.0
        after = 0.0
        for index, link in enumerate(links):
            member = link.flowable
            gap = 0.0 if index == 0 else max(after, float(member.getSpaceBefore()))
            room = height - used - gap
            member_height = member.wrapOn(self.canv, width, room)[1] if room > 0 else _NO_ROOM
            if member_height <= room + _FUZZ:
                heights.append(member_height)
                used += gap + member_height
                after = float(member.getSpaceAfter())
                continue
            # a heading taller than a whole page breaks like a paragraph: nothing else helps
            if (link.splittable or (at_top and index == 0)) and room > 0:
                parts = member.splitOn(self.canv, width, room)
                if len(parts) >= 2:
                    return [*self._members(0, index), parts[0], *self._rest(parts[1:], index)]
            return self._break_before(index, width, heights, at_top, room)
        return self._members(0, len(links))

    def _break_before(
        self, index: int, width: float, heights: list[float], at_top: bool, room: float
    ) -> list[Flowable]:
        """The page breaks before member ``index``: move the nearest tail that can go with it."""
        for before in range(index - 1, -1, -1):
            link = self._links[before]
            if not link.splittable:
                continue
            parts = link.flowable.splitOn(self.canv, width, heights[before] - 1.0)
            if len(parts) >= 2:
                return [*self._members(0, before), parts[0], *self._rest(parts[1:], before)]
        if at_top:  # moving to the next page would change nothing
            # a table that would rather start on the next page breaks here all the same, so
            # that the title kept with it does not stand alone on this one
            forced = getattr(self._links[index].flowable, "split_forced", None)
            parts = forced(width, room) if forced is not None and room > 0 else []
            if len(parts) >= 2:
                return [*self._members(0, index), parts[0], *self._rest(parts[1:], index)]
            return self._members(0, len(self._links))  # let the members flow
        return []  # all of it to the next page

    def _members(self, start: int, stop: int) -> list[Flowable]:
        return [link.flowable for link in self._links[start:stop]]

    def _rest(self, parts: Sequence[Flowable], index: int) -> list[Flowable]:
        """The remaining parts of member ``index`` still kept with the members after it."""
        following = self._links[index + 1 :]
        if not following:
            return list(parts)
        splittable = self._links[index].splittable
        return [KeepChain([*(Link(part, splittable) for part in parts), *following])]


class PageNumbering:
    """Page numbers: the document from 1, and each appendix from 1 again (ND30: an appendix
    is paginated on its own). The first page of each has no number."""

    def __init__(self) -> None:
        self.section_start = 1

    def number(self, page: int) -> int:
        return page - self.section_start + 1


class SectionStart(Flowable):
    """Zero-size marker: the page it lands on is page 1 of a new section (an appendix)."""

    _ZEROSIZE = True

    def __init__(self, numbering: PageNumbering) -> None:
        super().__init__()
        self._numbering = numbering

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self._numbering.section_start = self.canv.getPageNumber()
