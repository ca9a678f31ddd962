"""``parapp plan whatif``: the points each item can win back and the projected points,
index and rank if the chosen items (or all of them) are done (parapp.services.plan_whatif).
"""

from __future__ import annotations

import argparse
from typing import Any

from parapp.i18n import _, format_max, format_points, message
from parapp.services import plan_whatif as service
from parapp.services.common import ServiceError
from parapp.services.plan_whatif import WhatIf

from .handlers import _db, _out, _year


def _numbers(text: str | None) -> list[int] | None:
    if text is None:
        return None
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ServiceError(
            "'{text}' is not a list of item numbers; write them like 1,3,5.", text=text
        )
    return [int(p) for p in parts]


def rank_line(w: WhatIf) -> str:
    """The projected rank, or why there is none (the overview says the same)."""
    if w.projected_rank is None or w.rank_of is None:
        return (
            _("Projected rank: none. {why}").format(why=message(w.rank_reason))
            if (w.rank_reason is not None)
            else _("Projected rank: none.")
        )
    return _("Projected rank: {rank}/{of} in the {year} ranking (published: {now}).").format(
        rank=w.projected_rank,
        of=w.rank_of,
        year=w.ranking_year,
        now=w.current_rank if w.current_rank is not None else "-",
    )


def whatif_text(w: WhatIf, chosen: bool) -> str:
    lines = [
        _("What-if for the {year} plan (the results of {assessed}):").format(
            year=w.plan_year, assessed=w.assessment_year
        )
    ]
    for i in w.by_number():
        mark = "*" if i.item_id in w.selected and chosen else " "
        if not i.measurable:
            what = _("no scored criterion: nothing measurable")
        elif i.points == i.alone:
            what = _("{points} points").format(points=format_points(i.points))
        else:
            what = _("{points} points ({shared} already counted by an earlier item)").format(
                points=format_points(i.points), shared=format_points(i.alone - i.points)
            )
        done = " " + _("(done)") if i.done else ""
        lines.append(f"{mark}{i.number:>3}. {what}{done}")
    which = (
        _("If items {numbers} are done:").format(
            numbers=", ".join(str(w.items[i].number) for i in w.selected) or "-"
        )
        if chosen
        else _("If every item is done:")
    )
    lines.append(which)
    lines.append(
        "   "
        + _("points {now} → {then} of {max} (+{gain}); index {index} → {projected}").format(
            now=format_points(w.points),
            then=format_points(w.projected_points),
            max=format_max(w.max_points),
            gain=format_points(w.gain),
            index=format_points(w.index),
            projected=format_points(w.projected_index),
        )
    )
    if w.recovered != w.gain:
        lines.append(
            "   "
            + _("The items win back {points} points; the maximum caps the total.").format(
                points=format_points(w.recovered)
            )
        )
    if w.pending_areas:
        lines.append(
            "   "
            + _("Area(s) {codes}: survey results not known yet, nothing projected there.").format(
                codes=", ".join(w.pending_areas)
            )
        )
    lines.append("   " + rank_line(w))
    return "\n".join(lines)


def plan_whatif(args: argparse.Namespace) -> int:
    numbers = _numbers(args.items)
    with _db(args) as db:
        w = service.whatif(db, args.year, numbers=numbers)
    _out(whatif_text(w, numbers is not None))
    return 0


def add_commands(plan: Any) -> None:
    c = plan.add_parser(
        "whatif", help="the points each item can win back, and the index and rank if done"
    )
    c.add_argument("--year", type=_year, help="plan year (default: latest)")
    c.add_argument("--items", metavar="N,N", help="the items assumed done (default: all)")
    c.set_defaults(handler=plan_whatif)
