"""The pane under the appraisal table: what the unit declared for the selected criterion
(its figures, its score, its whole explanation) and the evidence it filed, each document
opened in the system's viewer from a checked copy in the program's own folder (never the
store's file, never a program: ``parapp.services.evidence_open``)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.criteria import ScoreKind
from parapp.i18n import _, format_max
from parapp.services.appraisal_evidence import criterion_evidence
from parapp.services.evidence_open import open_copy
from ui import dialogs, style
from ui.fmt import points
from ui.models import cells
from ui.operations import OfficeOp
from ui.widgets.evidence_files import open_with_system

if TYPE_CHECKING:
    from pathlib import Path

    from parapp.domain.assessment import NodeScore
    from parapp.domain.criteria import CriteriaSet
    from parapp.services.evidence import EvidenceInfo
    from ui.state import AppState

SHA_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def evidence_text(doc: EvidenceInfo) -> str:
    """ "Kế hoạch … số 12/KH-UBND ngày 10/01/2025 (2025-01.pdf)"."""
    citation = doc.citation if doc.title else ""
    if not citation:
        return doc.filename
    return f"{citation} ({doc.filename})" if doc.filename else citation


class AppraisalDetail(QScrollArea):
    opened = Signal(object)  # the path of the copy handed to the system's viewer

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.code = ""
        self.assessment_id: int | None = None
        self._requests = itertools.count(1)
        self._request = 0  # the latest evidence load; older answers are dropped
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        body = QWidget()
        outer = QVBoxLayout(body)
        unit = style.SPACING
        outer.setContentsMargins(unit + 4, unit, unit + 4, unit)
        outer.setSpacing(unit // 2)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setFont(style.scaled(self.title.font(), 1.0, bold=True))
        style.room_for_marks(self.title)
        outer.addWidget(self.title)

        columns = QHBoxLayout()
        columns.setSpacing(2 * unit)
        grid = QGridLayout()
        grid.setHorizontalSpacing(unit)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.rows: dict[str, tuple[QLabel, QLabel]] = {}
        for key, text in (
            ("declared", _("Declared data")),
            ("self", _("Self score")),
            ("explanation", _("Explanation")),
        ):
            name = QLabel(text + ":")
            name.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value = _value_label()
            row = len(self.rows)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.rows[key] = (name, value)
        grid.setRowStretch(len(self.rows), 1)
        columns.addLayout(grid, 3)

        files = QVBoxLayout()
        files.setSpacing(4)
        top = QHBoxLayout()
        self.evidence_heading = QLabel(_("Evidence filed by the unit"))
        self.evidence_heading.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
        top.addWidget(self.evidence_heading, 1)
        self.open_button = QPushButton(_("Open the document"))
        self.open_button.setToolTip(
            _("Opens a checked copy in the program's own folder with the system's viewer.")
        )
        self.open_button.clicked.connect(self.open_selected)
        top.addWidget(self.open_button)
        files.addLayout(top)
        self.evidence = QListWidget()
        self.evidence.setWordWrap(True)
        self.evidence.setMinimumHeight(60)
        self.evidence.itemActivated.connect(lambda _item: self.open_selected())
        self.evidence.currentItemChanged.connect(lambda *_: self._enable())
        files.addWidget(self.evidence, 1)
        columns.addLayout(files, 2)
        outer.addLayout(columns, 1)
        self.setWidget(body)
        self.show_node(None, {}, None, None)

    # -- what it shows -------------------------------------------------------------
    def _set(self, key: str, text: str, color: str = "") -> None:
        value = self.rows[key][1]
        value.setText(text)
        value.setStyleSheet(f"color: {color};" if color else "")

    def value_text(self, key: str) -> str:
        return self.rows[key][1].text()

    def show_node(
        self,
        cset: CriteriaSet | None,
        scores: dict[str, NodeScore],
        code: str | None,
        assessment_id: int | None,
    ) -> None:
        """Show criterion ``code`` of the unit's assessment (None: nothing selected)."""
        self.assessment_id = assessment_id
        if cset is None or code is None or not cset.has(code):
            self.code = ""
            self.title.setText(_("Select a criterion to see what the unit declared."))
            for name, value in self.rows.values():
                name.hide()
                value.hide()
            self._request = 0
            self.evidence.clear()
            self._enable()
            return
        same = code == self.code
        self.code = code
        node = cset.node(code)
        self.title.setText(f"{node.code}. {node.title}")
        score = scores.get(code)
        leaf = cset.is_leaf(code)
        self_scored = leaf and ScoreKind.SELF in node.score_kinds
        declared = cells.declared_text(node.rule, score.declared) if score else ""
        if self_scored and cells.declared_kind(node.rule) is not None:
            self._set("declared", declared or _("Not declared"), "" if declared else
                      style.ERROR_TEXT.name())  # fmt: skip
        else:
            self._set("declared", declared or "—")
        if self_scored:
            given = score.self_score if score else None
            self._set(
                "self",
                _("{points} of {max}").format(points=points(given), max=format_max(node.max_points))
                if given is not None
                else _("Not scored"),
            )
        else:
            self._set("self", "—")
        explanation = score.explanation.strip() if score and score.explanation else ""
        self._set("explanation", explanation or "—")
        for name, value in self.rows.values():
            name.show()
            value.show()
        if not same or self._request == 0:
            self._load_evidence(code)

    def _load_evidence(self, code: str) -> None:
        """Ask the worker for the criterion's documents; only the latest answer is shown."""
        self.evidence.clear()
        self._enable()
        if self.assessment_id is None:
            return
        request = self._request = next(self._requests)
        assessment = self.assessment_id

        def done(docs: list[EvidenceInfo]) -> None:
            if request != self._request:
                return
            self.evidence.clear()
            for doc in docs:
                item = QListWidgetItem(evidence_text(doc))
                item.setData(SHA_ROLE, doc.sha256)
                item.setData(NAME_ROLE, doc.filename or doc.title)
                if code not in doc.node_codes:
                    item.setToolTip(
                        _("Filed under {codes}, above this criterion.").format(
                            codes=", ".join(doc.node_codes)
                        )
                    )
                self.evidence.addItem(item)
            if not docs:
                item = QListWidgetItem(_("The unit filed no document for this criterion."))
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                self.evidence.addItem(item)
            else:
                self.evidence.setCurrentRow(0)
            self._enable()

        OfficeOp(self.state, lambda office: criterion_evidence(office, assessment, code)).success(
            done
        ).failure(lambda exc: dialogs.show_error(self, exc)).run()

    def _enable(self) -> None:
        item = self.evidence.currentItem()
        self.open_button.setEnabled(item is not None and bool(item.data(SHA_ROLE)))

    def document_count(self) -> int:
        return sum(1 for k in range(self.evidence.count()) if self.evidence.item(k).data(SHA_ROLE))

    # -- opening -------------------------------------------------------------------
    def open_selected(self) -> None:
        item = self.evidence.currentItem()
        sha = item.data(SHA_ROLE) if item is not None else None
        if not sha:
            return
        name = str(item.data(NAME_ROLE) or "")

        def done(path: Path) -> None:
            if not open_with_system(path):
                dialogs.warn(
                    self, _("The system has no program to open {name}.").format(name=path.name)
                )
                return
            self.opened.emit(path)

        OfficeOp(self.state, lambda office: open_copy(office, str(sha), name)).success(
            done
        ).failure(lambda exc: dialogs.show_error(self, exc)).run()
