"""The pane under the self-assessment table: everything about the selected criterion."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from parapp.domain.criteria import ScoreKind
from parapp.i18n import _, format_max, message, ngettext
from parapp.services.history import node_history
from ui import crash, style
from ui.fmt import points
from ui.models.columns import EVIDENCE_COUNT_ROLE
from ui.models.criteria_tree import CriteriaTreeModel
from ui.operations import OfficeOp
from ui.state import AppState
from ui.widgets.criterion_evidence import CriterionEvidence
from ui.widgets.history_view import HistoryView

if TYPE_CHECKING:
    from parapp.domain.scoring import Rule
    from parapp.services.history import HistoryEntry
    from parapp.services.office import Office
    from ui.state import AppState


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def _load_history(db: Office, code: str, year: int | None) -> list[HistoryEntry]:
    """On the worker thread: the node's changes, newest first."""
    return node_history(db, code, year)


class CriterionDetail(QScrollArea):
    def __init__(self, parent: QWidget | None = None, state: AppState | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._requests = itertools.count(1)
        self._request = 0  # the latest history load; older answers are dropped
        self._history_of: tuple[str, int] | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        body = QWidget()
        outer = QVBoxLayout(body)
        unit = style.SPACING
        outer.setContentsMargins(unit + 4, unit, unit + 4, unit)
        outer.setSpacing(unit)
        self.title = QLabel(_("Select a criterion in the table to see its details."))
        self.title.setWordWrap(True)
        self.title.setFont(style.scaled(self.title.font(), 1.05, bold=True))
        outer.addWidget(self.title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(2 * unit)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}
        for key, text in (
            ("rule", _("Scoring rule")),
            ("evidence_needed", _("Evidence required")),
            ("evidence", _("Evidence linked")),
            ("explanation", _("Explanation")),
            ("appraisal", _("Appraisal")),
            ("summary", _("Score")),
        ):
            name = QLabel(text + ":")
            name.setStyleSheet("color: #5f6b7a;")
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value = _value_label()
            row = len(self.rows)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.rows[key] = (name, value)
        outer.addLayout(grid)
        self.evidence_actions = CriterionEvidence(self._app_state, self)
        outer.addWidget(self.evidence_actions)
        self.history_heading = QLabel(_("Change history"))
        self.history_heading.setFont(style.scaled(self.history_heading.font(), 1.0, bold=True))
        style.room_for_marks(self.history_heading)
        outer.addSpacing(unit // 2)
        outer.addWidget(self.history_heading)
        self.history = HistoryView()
        outer.addWidget(self.history)
        outer.addStretch(1)
        self.setWidget(body)
        self._show_rows(set())
        self._show_history(False)

    def _show_rows(self, keys: set[str]) -> None:
        for key, (name, value) in self.rows.items():
            name.setVisible(key in keys)
            value.setVisible(key in keys)

    def _set(self, key: str, text: str, color: str = "") -> None:
        value = self.rows[key][1]
        value.setText(text)
        value.setStyleSheet(f"color: {color};" if color else "")

    def value_text(self, key: str) -> str:
        return self.rows[key][1].text()

    # -- change history ------------------------------------------------------------------
    def set_state(self, state: AppState | None) -> None:
        self._state = state

    def _app_state(self) -> AppState | None:
        """The state given, else the one of the screen this pane sits in."""
        if self._state is None:
            widget = self.parentWidget()
            while widget is not None:
                found = getattr(widget, "state", None)
                if isinstance(found, AppState):
                    self._state = found
                    break
                widget = widget.parentWidget()
        return self._state

    def _show_history(self, visible: bool) -> None:
        self.history_heading.setVisible(visible)
        self.history.setVisible(visible)

    def _load_history(self, code: str, rule: Rule | None) -> None:
        """Ask the worker for the node's history; the answer fills the list when it comes
        (the selection may have moved on by then: only the latest request is shown)."""
        state = self._app_state()
        db = state.db if state is not None else None
        if state is None or db is None or state.view is None:
            self._request = 0
            self._show_history(False)
            return
        year = state.view.info.year
        request = self._request = next(self._requests)
        if (code, year) != self._history_of:
            # Another node: never show its neighbour's history while this one loads. The
            # same node again (after a save) keeps its list until the new one replaces it.
            self._history_of = (code, year)
            self.history.set_loading()

        def done(entries: list[HistoryEntry]) -> None:
            if request == self._request:
                self.history.setToolTip("")
                self.history.set_entries(entries, rule)
                self._show_history(True)

        def failed(exc: BaseException) -> None:
            if request != self._request:
                return
            if not hasattr(exc, "template"):  # a fault, not a situation: log and tell

                crash.report(exc)
            self.history.set_entries([])
            self.history.setToolTip(message(exc))

        OfficeOp(state, lambda office: _load_history(office, code, year)).success(done).failure(
            failed
        ).run()

    def show_node(self, model: CriteriaTreeModel, code: str | None) -> None:
        cset = model.cset
        if cset is None or code is None or not cset.has(code):
            self.title.setText(_("Select a criterion in the table to see its details."))
            self._show_rows(set())
            self.evidence_actions.show_code(None, False)
            self._request = 0
            self._history_of = None
            self._show_history(False)
            return
        node = cset.node(code)
        self.title.setText(f"{node.code}. {node.title}")
        self._load_history(code, node.rule)
        total = model.node_total(code)
        if not cset.is_leaf(code):
            scored = total.scored if total else 0
            leaves = total.leaves if total else 0
            achieved = points(total.self_points) if total else "0"
            text = _("Self score {points} of {max}; {scored} of {leaves} criteria scored.").format(
                points=achieved, max=format_max(node.max_points), scored=scored, leaves=leaves
            )
            self._set("summary", text)
            self._show_rows({"summary"})
            self.evidence_actions.show_code(None, False)
            return
        keys = {"rule", "evidence_needed", "evidence", "explanation"}
        rule_text = node.scoring_text or _("(the criteria set gives no wording)")
        if ScoreKind.SELF not in node.score_kinds:
            rule_text += "\n" + _("Scored by the appraiser's sociological survey.")
        self._set("rule", rule_text)
        self._set("evidence_needed", node.evidence_text or "—")
        count = model.data(model.index_of(code), role=EVIDENCE_COUNT_ROLE)
        self.evidence_actions.show_code(code, model.editable, linked=bool(count))
        if count:
            self._set("evidence", ngettext("{n} document", "{n} documents", count).format(n=count))
        else:
            self._set("evidence", _("None yet"), style.ERROR_TEXT.name())
        score = model.scores.get(code)
        explanation = score.explanation if score and score.explanation else ""
        self._set("explanation", explanation or "—")
        if score and (score.appraised_score is not None or score.appraisal_comment):
            keys.add("appraisal")
            parts = []
            if score.appraised_score is not None:
                parts.append(
                    _("appraised score {points}").format(points=points(score.appraised_score))
                )
            if score.appraisal_comment:
                parts.append(_("comment: {text}").format(text=score.appraisal_comment))
            text = "; ".join(parts)
            self._set("appraisal", text[:1].upper() + text[1:])
        self._show_rows(keys)
