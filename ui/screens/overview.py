"""Tổng quan: the index and rank beside last year's, points lost per area, what is left to do."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.assessment import AssessmentStatus
from parapp.domain.criteria import Part, ScoreKind
from parapp.domain.figures import Source, printed_lost
from parapp.domain.totals import Basis
from parapp.i18n import _, format_date, format_max, label, message, ngettext
from parapp.services import changes
from ui import crash, screens, style
from ui.fmt import points
from ui.models import cells
from ui.models.problems import Problem
from ui.operations import OfficeOp
from ui.screens.base import Screen, heading, page_layout
from ui.state import AppState
from ui.widgets.lost_chart import AreaLoss, LostChart

if TYPE_CHECKING:
    from parapp.services.assessments import AssessmentView
    from parapp.services.office import Office
    from parapp.services.plan_whatif import WhatIf

TARGET_ROLE = 257  # Qt.ItemDataRole.UserRole + 1 (the Qt namespace is slow to set up)


class Card(QFrame):
    """A titled figure: "Chỉ số năm 2025" / "91,88" / "chính thức"."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setStyleSheet(
            "#card { background: white; border: 1px solid #d5dbe3; border-radius: 6px; }"
        )
        # Preferred height: the three cards of a row grow to the tallest one.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(2 * unit, unit + 4, 2 * unit, unit + 4)
        layout.setSpacing(4)
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #5f6b7a;")
        self.value = QLabel("—")
        self.value.setFont(style.scaled(self.value.font(), 2.3, bold=True))
        self.value.setMinimumHeight(self.value.fontMetrics().height() + 4)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("color: #5f6b7a;")
        for widget in (self.title, self.value, self.note, self.detail):
            style.room_for_marks(widget, extra=2)
            layout.addWidget(widget)

    def show_figure(self, value: str, note: str = "", detail: str = "", color: str = "") -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {color};" if color else "")
        # Empty lines keep their height, so the three cards stay the same size.
        self.note.setText(note or " ")
        self.detail.setText(detail or " ")


def _unscored(view: AssessmentView) -> list[str]:
    """Leaves the unit scores itself that have no self score yet."""
    out = []
    for node in view.cset.leaves():
        if ScoreKind.SELF not in node.score_kinds or view.totals.nodes[node.code].excluded:
            continue
        score = view.scores.get(node.code)
        if score is None or (score.self_score is None and not score.not_applicable):
            out.append(node.code)
    return out


def _any_scored(view: AssessmentView) -> bool:
    return any(view.totals.nodes[leaf.code].scored for leaf in view.cset.leaves())


def _area_loss(view: AssessmentView, code: str) -> AreaLoss:
    """Points lost in an area as every document prints them (the published figure first);
    while an area is partly scored, among its scored criteria (unscored ones are not
    "lost")."""
    node = view.cset.node(code)
    row = view.figures.row(code)
    area = view.totals.nodes[code]
    if row is not None and row.counted and (row.source is Source.PUBLISHED or area.complete):
        return AreaLoss(code, node.title, row.lost, node.max_points)
    totals = [view.totals.nodes[leaf.code] for leaf in view.cset.leaves_under(code)]
    scored = [t for t in totals if t.scored]
    lost = sum((printed_lost(t) for t in scored), Decimal(0))
    return AreaLoss(
        code, node.title, lost, node.max_points, scored=bool(scored),
        complete=len(scored) == len(totals),
    )


def _panel(title: str) -> tuple[QFrame, QVBoxLayout]:
    """A white card with a bold heading, like the figures above it."""
    frame = QFrame()
    frame.setObjectName("panel")
    frame.setStyleSheet(
        "#panel { background: white; border: 1px solid #d5dbe3; border-radius: 6px; }"
    )
    layout = QVBoxLayout(frame)
    unit = style.SPACING
    layout.setContentsMargins(2 * unit, unit + 4, 2 * unit, unit + 4)
    layout.setSpacing(unit)
    heading_label = QLabel(title)
    heading_label.setStyleSheet("font-size: 11pt; font-weight: bold;")
    heading_label.ensurePolished()
    style.room_for_marks(heading_label)
    layout.addWidget(heading_label)
    return frame, layout


class OverviewScreen(Screen):
    key = screens.OVERVIEW
    shows = frozenset({changes.Data.ASSESSMENT, changes.Data.PLAN})  # the plan: overdue items

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        layout = page_layout(self)
        self.title = heading(_("Overview"))
        layout.addWidget(self.title)
        cards = QHBoxLayout()
        cards.setSpacing(style.SPACING)
        self.index_card = Card(_("PAR index"))
        self.rank_card = Card(_("Rank"))
        self.change_card = Card(_("Compared with last year"))
        # The projected figures if every plan item is done (parapp.services.plan_whatif).
        self.whatif_card = Card(_("If the plan is done"))
        self.whatif_card.hide()
        self._whatif_asked: tuple[object, ...] | None = None
        for card in (self.index_card, self.rank_card, self.change_card, self.whatif_card):
            cards.addWidget(card)
        layout.addLayout(cards)

        lower = QHBoxLayout()
        lower.setSpacing(style.SPACING)
        chart_box, chart_layout = _panel(_("Points lost per area"))
        self.chart = LostChart()
        self.chart.area_clicked.connect(self._area_clicked)
        self.chart_note = QLabel(_("Click an area to see its criteria that lost points."))
        self.chart_note.setStyleSheet("color: #5f6b7a;")
        self.chart_note.setWordWrap(True)
        chart_layout.addWidget(self.chart)
        chart_layout.addStretch(1)
        chart_layout.addWidget(self.chart_note)
        todo_box, todo_layout = _panel(_("To do"))
        self.todo = QListWidget()
        self.todo.setWordWrap(True)
        self.todo.setFrameShape(QFrame.Shape.NoFrame)
        self.todo.setResizeMode(QListView.ResizeMode.Adjust)
        self.todo.setStyleSheet(
            "QListWidget { outline: 0; } QListWidget::item { padding: 6px 0px;"
            " border-bottom: 1px solid #e6e9ee; }" + style.LIST_SELECTED + style.LIST_FOCUS
        )
        self.todo.itemActivated.connect(self._todo_activated)
        self.todo.itemClicked.connect(self._todo_activated)
        todo_layout.addWidget(self.todo)
        todo_note = QLabel(_("Click a line to open the screen where it is done."))
        todo_note.setStyleSheet("color: #5f6b7a;")
        todo_note.setWordWrap(True)
        todo_layout.addWidget(todo_note)
        lower.addWidget(chart_box, 3)
        lower.addWidget(todo_box, 2)
        layout.addLayout(lower, 1)
        self.refresh()

    # -- figures -------------------------------------------------------------------
    def refresh(self) -> None:
        view = self.state.view
        if view is None:
            return
        info = view.info
        self.title.setText(
            _("Overview of {year}: {unit}").format(year=info.year, unit=info.unit_name)
        )
        self._show_index(view)
        self._show_rank(view)
        self._show_change(view)
        self._ask_whatif()
        areas = [_area_loss(view, n.code) for n in view.cset.roots(Part.MAIN)]
        self.chart.set_areas(areas)
        total_lost = sum((a.lost for a in areas), Decimal(0))
        self.chart_note.setText(
            _(
                "Points lost in all: {points}. Click an area to see its criteria that lost points."
            ).format(points=points(total_lost))
        )
        self._fill_todo(view)

    def _show_index(self, view: AssessmentView) -> None:
        self.index_card.title.setText(_("PAR index {year}").format(year=view.info.year))
        official = view.result is not None or view.basis is Basis.OFFICIAL
        if official:
            note = _("official")
            color = style.ACCENT.name()
        else:
            note = _("provisional: from the self-assessment, before appraisal")
            color = style.LOST_TEXT.name()
        figures = view.figures
        if view.result is None or figures.points_published:
            detail = _("Total {points} of {max} points")
        else:  # an index-only result: the points are the criteria's, not the decision's
            detail = _("Criterion scores: {points} of {max} points")
        detail = detail.format(points=points(figures.points), max=format_max(figures.max_points))
        missing = _unscored(view)
        band = view.result.band if view.result and view.result.band else ""
        if not band and not missing:
            found = view.cset.band_for(view.index)
            band = found.label if found else ""
        if band:
            detail += " · " + _("Rating: {band}").format(band=band)
        if missing and not official:
            note = ngettext(
                "provisional: {n} criterion is not scored yet",
                "provisional: {n} criteria are not scored yet",
                len(missing),
            ).format(n=len(missing))
        if missing and not official and not _any_scored(view):
            # Nothing scored yet: a big "0,00" would read as this year's index.
            self.index_card.show_figure("—", _("no criterion scored yet"), "", "")
            return
        self.index_card.show_figure(points(view.index), note, detail, color)

    def _show_rank(self, view: AssessmentView) -> None:
        result = view.result
        if result is None or result.rank is None:
            self.rank_card.show_figure("—", _("not published yet"))
            return
        value = str(result.rank) if result.rank_of is None else f"{result.rank}/{result.rank_of}"
        detail = ""
        if result.decision_number:
            detail = _("Decision {number}").format(number=result.decision_number)
            if result.decision_date:
                detail += " " + _("of {date}").format(date=format_date(result.decision_date))
        self.rank_card.show_figure(value, _("among the units ranked"), detail)

    def _show_change(self, view: AssessmentView) -> None:
        previous, change = view.previous, view.change
        if previous is None or change is None:
            self.change_card.title.setText(_("Compared with last year"))
            self.change_card.show_figure("—", _("no earlier assessment in this database"))
            return
        self.change_card.title.setText(_("Compared with {year}").format(year=previous.year))
        kind = _("official") if previous.official else _("provisional")
        missing = _unscored(view)
        if missing and view.result is None:
            # A half-scored year "down 44 points" would only alarm: show last year's index,
            # titled as such ("So với năm 2025: 91,88" read as this year's score).
            self.change_card.title.setText(
                _("Last year's index ({year})").format(year=previous.year)
            )
            self.change_card.show_figure(
                points(previous.index),
                _("index of {year} ({kind})").format(year=previous.year, kind=kind),
                ngettext(
                    "Compared when this year is fully scored ({n} criterion left).",
                    "Compared when this year is fully scored ({n} criteria left).",
                    len(missing),
                ).format(n=len(missing)),
            )
            return
        delta = change.points
        if delta > 0:
            value, note = f"+{points(delta)}", _("up {points} points")
            color = "#1e7b34"
        elif delta < 0:
            value, note = f"−{points(-delta)}", _("down {points} points")
            color = style.ERROR_TEXT.name()
        else:
            value, note, color = "0", _("no change"), ""
        detail = _("{year}: {index} ({kind})").format(
            year=previous.year, index=points(previous.index), kind=kind
        )
        self.change_card.show_figure(value, note.format(points=points(abs(delta))), detail, color)

    def _ask_whatif(self) -> None:
        """Read the what-if of the plan on the worker (once per plan as loaded)."""
        plan, db = self.state.plan, self.state.db
        if plan is None or db is None or self.state.is_appraiser:
            self._whatif_asked = None
            self.whatif_card.hide()
            return
        key = (id(db), plan.year, plan.status, plan.items)
        if key == self._whatif_asked:
            return
        self._whatif_asked = key
        year = plan.year

        def job(office: Office) -> WhatIf:
            # On the worker, like the ORM it loads: the overview is the first screen shown,
            # whose import must not load SQLAlchemy (docs/development.md, "How the window
            # starts").
            from parapp.services import plan_whatif

            return plan_whatif.whatif(office, year)

        OfficeOp(self.state, job).success(self.show_whatif).failure(self._whatif_failed).run()

    def show_whatif(self, w: WhatIf) -> None:
        card = self.whatif_card
        card.title.setText(_("If the {year} plan is done").format(year=w.plan_year))
        note = _("expected: {points} of {max} points (+{gain})").format(
            points=points(w.projected_points),
            max=format_max(w.max_points),
            gain=points(w.gain),
        )
        if w.projected_rank is not None and w.rank_of is not None:
            detail = _("Projected rank {rank}/{of} in the {year} ranking").format(
                rank=w.projected_rank, of=w.rank_of, year=w.ranking_year
            )
        else:
            detail = message(w.rank_reason) if w.rank_reason is not None else ""
        card.show_figure(points(w.projected_index), note, detail, "#1e7b34")
        card.show()

    def _whatif_failed(self, exc: BaseException) -> None:
        # A plan that answers no assessment here has nothing to project: no card.
        self.whatif_card.hide()
        if not hasattr(exc, "template"):
            crash.report(exc)

    # -- to do ---------------------------------------------------------------------
    def _fill_todo(self, view: AssessmentView) -> None:
        self.todo.clear()
        leaves = [
            n
            for n in view.cset.leaves()
            if ScoreKind.SELF in n.score_kinds and not view.totals.nodes[n.code].excluded
        ]
        unscored = _unscored(view)
        no_evidence = [
            n for n in leaves if cells.needs_evidence(n) and not view.has_evidence(n.code)
        ]
        problem = screens.SELF_ASSESSMENT
        if unscored:
            text = ngettext(
                "{n} criterion has no score yet", "{n} criteria have no score yet", len(unscored)
            )
            self._add(text.format(n=len(unscored)), problem, problem=Problem.NOT_SCORED)
        if no_evidence:
            text = ngettext(
                "{n} criterion has no evidence yet",
                "{n} criteria have no evidence yet",
                len(no_evidence),
            )
            self._add(text.format(n=len(no_evidence)), problem, problem=Problem.NO_EVIDENCE)
        plan = self.state.plan
        overdue = plan.overdue(self.state.today) if plan is not None else []
        if overdue:
            text = ngettext(
                "{n} remediation item is overdue", "{n} remediation items are overdue", len(overdue)
            )
            self._add(text.format(n=len(overdue)), screens.PLAN, overdue=True, warn=True)
        worst = max(self.chart.areas, key=lambda a: a.lost, default=None)
        if worst is not None and worst.lost > 0:
            text = _("Most points lost: {code}. {title} (−{points})").format(
                code=worst.code, title=worst.title, points=points(worst.lost)
            )
            self._add(text, problem, area=worst.code, problem=Problem.LOST, warn=False)
        for warning in view.figures.warnings():
            self._add(message(warning), "")
        self._add_next_step(view)

    def _add_next_step(self, view: AssessmentView) -> None:
        status = view.info.status
        if status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
            text = _(
                "When every criterion is scored and has evidence, submit the self-assessment "
                "(Submit for appraisal), then send the package to the appraiser."
            )
            self._add(text, screens.SELF_ASSESSMENT, warn=False, check=True)
        elif status is AssessmentStatus.SUBMITTED:
            text = _("Submitted: send the package to the appraiser (Sync), then wait for the "
                     "appraisal.")
            self._add(text, screens.SYNC, warn=False)
        elif self.state.plan is not None:
            plan = self.state.plan
            text = _("Remediation plan {year}: {n} items, {status}").format(
                year=plan.year, n=len(plan.items), status=_(plan.status)
            )
            self._add(text, screens.PLAN, warn=False)
        else:
            self._add(
                _("Results are {status}: draft the remediation plan.").format(status=label(status)),
                screens.PLAN,
                warn=False,
            )

    def _add(self, text: str, key: str, *, warn: bool = True, **filters: Any) -> None:
        item = QListWidgetItem(text)
        item.setData(TARGET_ROLE, (key, filters))
        if warn:
            item.setForeground(QColor(style.ERROR_TEXT))
        if key:
            item.setToolTip(_("Click to open"))
        self.todo.addItem(item)

    def todo_texts(self) -> list[str]:
        return [self.todo.item(i).text() for i in range(self.todo.count())]

    def _todo_activated(self, item: QListWidgetItem) -> None:
        key, filters = item.data(TARGET_ROLE)
        if key:
            self.navigate.emit(key, dict(filters))

    def _area_clicked(self, code: str) -> None:
        self.navigate.emit(screens.SELF_ASSESSMENT, {"area": code, "problem": Problem.LOST})
