"""Text output for the terminal: the criteria tree with scores, totals and the result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from parapp.domain.assessment import AssessmentStatus
from parapp.domain.criteria import Part, ScoreKind
from parapp.domain.figures import Source, printed_lost
from parapp.domain.numbers import ZERO
from parapp.domain.remediation import PlanStatus, RemediationItem
from parapp.domain.totals import Basis
from parapp.i18n import (
    _,
    format_date,
    format_max,
    format_percent,
    format_points,
    label,
    message,
)
from parapp.services.assessments import AssessmentView
from parapp.services.issuing import printed_number
from parapp.services.plans import PlanView

TITLE_WIDTH = 46


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _num(value: Decimal | None) -> str:
    return "" if value is None else format_points(value)


def status_text(status: AssessmentStatus) -> str:
    return label(status)


def assessment_tree(v: AssessmentView, max_depth: int | None = None) -> str:
    """The criteria tree with max / self / appraised / survey / lost, then totals."""
    appraised_shown = v.figures.criteria_source is Source.APPRAISED
    lines = [
        f"{v.info.unit_name} — {v.cset.name} ({v.cset.code} v{v.cset.version})",
        _("Year {year} — status: {status}").format(
            year=v.info.year, status=status_text(v.info.status)
        ),
        _("Totals use the official scores (appraised + survey).")
        if appraised_shown
        else _("Totals use the self scores (provisional).")
        if v.result is None
        else _("The criterion scores are the unit's own (nothing appraised was imported)."),
        "",
    ]
    # Babel's extractor does not look inside f-strings: translate first, then lay out.
    no, crit, mx = _("No."), _("Criterion"), _("Max")
    own, appr, surv, lost_h = _("Self"), _("Appraised"), _("Survey"), _("Lost")
    header = f"{no:<9}{crit:<{TITLE_WIDTH}} {mx:>7} {own:>8} {appr:>9} {surv:>8} {lost_h:>7}"
    lines += [header, "-" * len(header)]
    for depth, node in v.cset.walk():
        if max_depth is not None and depth > max_depth:
            continue
        t = v.totals.nodes[node.code]
        score = v.scores.get(node.code)
        code = "  " * depth + node.code
        title = _cut("  " * depth + node.title, TITLE_WIDTH)
        has_self = any(
            ScoreKind.SELF in leaf.score_kinds for leaf in v.cset.leaves_under(node.code)
        )
        self_points: Decimal | None = t.self_points if has_self else None
        if v.cset.is_leaf(node.code) and (score is None or score.self_score is None):
            self_points = None
        # Before appraisal the appraised column would only repeat the self scores.
        appraised = t.appraised_points if appraised_shown else None
        survey = t.survey_points
        lost = _num(printed_lost(t)) if node.part is Part.MAIN else ""
        if t.excluded or (t.survey_pending and t.max_points == ZERO):
            lost = ""
        mark = " " + _("(N/A)") if t.excluded or (score and score.not_applicable) else ""
        if (
            score
            and score.appraised_score is not None
            and score.appraised_score != (score.self_score)
        ):
            mark += " *"
        if score and score.needs_reappraisal:
            mark += " " + _("(to re-appraise)")
        lines.append(
            f"{code:<9}{title:<{TITLE_WIDTH}} {format_max(node.max_points):>7}"
            f" {_num(self_points):>8} {_num(appraised):>9} {_num(survey):>8} {lost:>7}{mark}"
        )
    lines.append("-" * len(header))
    lines += _figure_lines(v)
    totals = v.totals
    if v.basis is Basis.OFFICIAL and any(
        s.appraised_score is not None and s.appraised_score != s.self_score
        for s in v.scores.values()
    ):
        lines.append(_("* the appraiser changed the self score"))
    pending = sum(
        t.leaves - t.scored - t.survey_pending
        for t in (totals.nodes[n.code] for n in v.cset.roots())
    )
    if pending:
        lines.append(_("Criteria still without a score: {n}").format(n=pending))
    missing = [
        n.code
        for n in v.cset.leaves()
        if n.part is Part.MAIN
        and n.evidence_text
        and not v.has_evidence(n.code)
        and not totals.nodes[n.code].excluded
        and totals.nodes[n.code].leaves
    ]
    if missing:
        lines.append(_("Criteria without evidence: {n}").format(n=len(missing)))
    for warning in v.figures.warnings():
        lines.append(_("Warning: {text}").format(text=message(warning)))
    if v.previous is not None and v.change is not None:
        ch = v.change
        word = _("up") if ch.points > ZERO else _("down") if ch.points < ZERO else _("unchanged")
        rel = ch.relative_percent
        lines.append(
            _("Compared with {year}: {word} {points} percentage points ({rel} relative)").format(
                year=v.previous.year,
                word=word,
                points=format_points(abs(ch.points)),
                rel=format_percent(abs(rel)) if rel is not None else "—",
            )
        )
    return "\n".join(lines)


def _source_word(source: Source) -> str:
    return {
        Source.PUBLISHED: _("published figure"),
        Source.APPRAISED: _("appraised score"),
        Source.SELF: _("self-assessed score"),
    }[source]


def _figure_lines(v: AssessmentView) -> list[str]:
    """The figures every document prints (``parapp.domain.figures``), each labelled."""
    f = v.figures
    lines = []
    if v.result is not None:
        lines.append(result_line(v))
        if f.points_published:
            template = _("Published points: {points}/{max}")
        else:
            template = _("Sum of the criterion scores ({source}): {points}/{max}")
    else:
        template = _("Points ({source}): {points}/{max}")
    source = _source_word(f.criteria_source)
    points, maximum = format_points(f.points), format_max(f.max_points)
    lines.append(template.format(source=source, points=points, max=maximum))
    if v.result is None:
        lines.append(_("Index: {index}").format(index=format_percent(f.index)))
    for row in f.rows:
        if not row.counted:
            continue
        rank = _(", rank {rank}").format(rank=row.rank) if row.rank else ""
        template = _("  area {code}: {points}/{max}{rank} ({source})")
        if row.part is not Part.MAIN:
            template = "  {code}: {points}/{max}{rank} ({source})"
        lines.append(
            template.format(
                code=row.code,
                points=format_points(row.points),
                max=format_max(row.max_points),
                rank=rank,
                source=_source_word(row.source),
            )
        )
    for adjustment in f.adjustments:
        lines.append(
            _("  difference line: {points}").format(
                points=("+" if adjustment.points > ZERO else "−")
                + format_points(abs(adjustment.points))
            )
        )
    lines.append(_("Points lost: {lost}").format(lost=format_points(f.lost)))
    return lines


def result_line(v: AssessmentView) -> str:
    r = v.result
    assert r is not None
    parts = [_("Published result: {index}").format(index=format_percent(r.index))]
    if r.rank is not None:
        of = f"/{r.rank_of}" if r.rank_of else ""
        parts.append(_("rank {rank}").format(rank=f"{r.rank}{of}"))
    if r.band:
        parts.append(r.band)
    if r.decision_number and r.decision_date:
        parts.append(
            _("Decision No. {number} dated {date}").format(
                number=r.decision_number, date=format_date(r.decision_date)
            )
        )
    elif r.decision_number:
        parts.append(_("Decision No. {number}").format(number=r.decision_number))
    return " — ".join(parts)


def where(area_code: str | None, index_kind: str) -> str:
    """The area column: an area of the plan's index, another index, or neither."""
    if area_code:
        return _("area {code}").format(code=area_code)
    if index_kind and index_kind != "PAR":
        return index_kind
    return _("no area")


def item_line(item: RemediationItem, overdue: bool, number: int) -> str:
    """ "- 3. [area 2] shortcoming — lead — deadline — 40%": the item's number (as in
    'plan items' and the appendix) and its area apart, so an area code is not read as one."""
    flag = " " + _("[OVERDUE]") if overdue else ""
    lead = f" — {item.lead}" if item.lead else ""
    return (
        f"- {number}. [{where(item.area_code, item.index_kind)}] {item.shortcoming}{lead}"
        f" — {item.deadline.text} — {item.progress}%{flag}"
    )


def replaced_text(plan: PlanView) -> str:
    """What ``plan draft --replace`` threw away and what it kept."""
    r = plan.replaced
    assert r is not None
    lines = [
        _("Replaced the {year} draft: its {old} items gave way to {new} drafted items.").format(
            year=plan.year, old=r.items, new=len(plan.items)
        ),
        _(
            "The document fields (signer, recipients, legal bases, texts, summary, place) were "
            "kept; --reset starts them again from the defaults."
        )
        if r.document_kept
        else _("The document fields were reset to the defaults."),
    ]
    if r.by_hand:
        lines.append(_("Items added by hand were dropped ({n}):").format(n=len(r.by_hand)))
        for number, item in r.by_hand:
            label = item.shortcoming or item.tasks.split("\n", 1)[0] or "-"
            task = item.tasks.split("\n", 1)[0]
            extra = f" — {task}" if task and task != label else ""
            lines.append(f"  {number}. {label}{extra}")
    if r.removed:
        lines.append(
            _("{n} removed items, which could have been restored, were deleted.").format(
                n=r.removed
            )
        )
    return "\n".join(lines)


def plan_text(plan: PlanView, as_of: date) -> str:
    lines = [
        _("Remediation plan {year} — {unit} — {n} items").format(
            year=plan.year, unit=plan.unit_name, n=len(plan.items)
        )
    ]
    doc = plan.document
    if plan.status == PlanStatus.ISSUED and doc.number and doc.issued_on:
        lines.append(
            _("Issued as No. {number}/{symbol} dated {date} (revision {revision}).").format(
                number=printed_number(doc.number),  # "01/KH-UBND", as the document prints it
                symbol=doc.symbol,
                date=format_date(doc.issued_on),
                revision=plan.revision,
            )
        )
    else:
        lines.append(
            _("Draft (revision {revision}): not issued yet.").format(revision=plan.revision)
        )
    for number, item in enumerate(plan.items, start=1):
        lines.append(item_line(item, item.is_overdue(as_of), number))
    overdue = plan.overdue(as_of)
    if overdue:
        lines.append(
            _("{n} items are overdue as of {date}.").format(n=len(overdue), date=format_date(as_of))
        )
    return "\n".join(lines)
