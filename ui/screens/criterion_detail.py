"""The pane under the self-assessment table: everything about the selected criterion."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from parapp.domain.criteria import ScoreKind
from parapp.i18n import _, format_max, ngettext
from ui import style
from ui.fmt import points
from ui.models.columns import EVIDENCE_COUNT_ROLE
from ui.models.criteria_tree import CriteriaTreeModel


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class CriterionDetail(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        outer.addStretch(1)
        self.setWidget(body)
        self._show_rows(set())

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

    def show_node(self, model: CriteriaTreeModel, code: str | None) -> None:
        cset = model.cset
        if cset is None or code is None or not cset.has(code):
            self.title.setText(_("Select a criterion in the table to see its details."))
            self._show_rows(set())
            return
        node = cset.node(code)
        self.title.setText(f"{node.code}. {node.title}")
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
            return
        keys = {"rule", "evidence_needed", "evidence", "explanation"}
        rule_text = node.scoring_text or _("(the criteria set gives no wording)")
        if ScoreKind.SELF not in node.score_kinds:
            rule_text += "\n" + _("Scored by the appraiser's sociological survey.")
        self._set("rule", rule_text)
        self._set("evidence_needed", node.evidence_text or "—")
        count = model.data(model.index_of(code), role=EVIDENCE_COUNT_ROLE)
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
