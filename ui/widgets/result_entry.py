"""The commune's published result, typed from the paper decision or imported from a result
file: the "Kết quả công bố" entry of an office that is not the appraiser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.numbers import normalize
from parapp.i18n import _, format_date, format_max, format_percent, message
from parapp.services import result_entry, results
from ui import dialogs, style
from ui.operations import OfficeOp

COL_AREA, COL_MAX, COL_POINTS, COL_RANK = range(4)


def _text(value: object) -> str:
    """A stored figure as the clerk would type it back ("13,63")."""
    if value is None:
        return ""
    if hasattr(value, "as_tuple"):
        return f"{normalize(value):f}".replace(".", ",")  # type: ignore[arg-type]
    return str(value)


class ResultEntryPanel(QWidget):
    """The decision's figures in one form: saved together, checked as ``result set``."""

    status_message = Signal(str)
    saved = Signal()

    def __init__(self, state: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.form: result_entry.ResultForm | None = None
        self.pick_file = self._pick_file  # a test puts its own here
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, style.SPACING, 0, 0)
        layout.setSpacing(style.SPACING)
        self.title = QLabel(_("Published result"))
        self.title.setFont(style.scaled(self.title.font(), 1.1, bold=True))
        style.room_for_marks(self.title)
        layout.addWidget(self.title)
        self.note = QLabel(
            _(
                "Type the figures of the decision that published your result, or import the "
                "result file the appraiser sent. A result received on the Sync screen is "
                "already here. Every document prints these figures."
            )
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(self.note)

        columns = QHBoxLayout()
        columns.setSpacing(2 * style.SPACING)
        decision = QGroupBox(_("The decision"))
        form = QFormLayout(decision)
        self.fields: dict[str, QLineEdit] = {}
        labels = {
            "decision_number": _("Decision number:"),
            "decision_date": _("Date (dd/mm/yyyy):"),
            "issuer": _("Issued by:"),
            "index": _("Index (%):"),
            "points": _("Points:"),
            "max_points": _("Out of:"),
            "rank": _("Rank:"),
            "rank_of": _("Among (units):"),
        }
        for key, label in labels.items():
            edit = QLineEdit()
            self.fields[key] = edit
            form.addRow(label, edit)
        self.fields["decision_number"].setPlaceholderText("70/QĐ-UBND")
        self.fields["index"].setPlaceholderText("86,50")
        self.band = QComboBox()
        self.band.setEditable(True)
        form.addRow(_("Rating:"), self.band)
        columns.addWidget(decision, 2)

        areas_box = QGroupBox(_("Points of each area (where the decision gives them)"))
        areas_layout = QVBoxLayout(areas_box)
        self.areas = QTableWidget(0, 4)
        self.areas.setHorizontalHeaderLabels([_("Area"), _("Max"), _("Points"), _("Rank")])
        header = self.areas.horizontalHeader()
        header.setSectionResizeMode(COL_AREA, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_MAX, QHeaderView.ResizeMode.ResizeToContents)
        for col in (COL_POINTS, COL_RANK):  # room to type "13,625" before anything is there
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.areas.setColumnWidth(col, 90)
        self.areas.verticalHeader().setVisible(False)
        self.areas.setWordWrap(True)
        # Rows fit the area's name at the width it finally gets (it was cut with "…" when
        # measured before the window was laid out).
        header.sectionResized.connect(lambda *_args: self.areas.resizeRowsToContents())
        areas_layout.addWidget(self.areas)
        areas_layout.addWidget(
            self._muted(_("Leave an area empty when the decision does not give its points."))
        )
        columns.addWidget(areas_box, 3)
        layout.addLayout(columns, 1)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save the result"))
        self.save_button.clicked.connect(self.save)
        self.import_button = QPushButton(_("Import a result file…"))
        self.import_button.clicked.connect(self.import_file)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.warnings = QLabel("")
        self.warnings.setWordWrap(True)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.warnings)

    @staticmethod
    def _muted(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet("color: #5f6b7a;")
        return label

    # -- loading -------------------------------------------------------------------
    def load(self) -> None:
        db, view = self.state.db, self.state.view
        if db is None or view is None:
            return
        year = view.info.year
        OfficeOp(self.state, lambda office: result_entry.result_form(office, year)).success(
            self._loaded
        ).run()

    def _loaded(self, form: result_entry.ResultForm) -> None:
        self.form = form
        self.title.setText(_("Published result {year}").format(year=form.year))
        r = form.result
        values = {key: "" for key in self.fields}
        if r is not None:
            values.update(
                decision_number=r.decision_number,
                decision_date=format_date(r.decision_date) if r.decision_date else "",
                issuer=r.issuer,
                index=_text(r.index),
                points=_text(r.points),
                max_points=_text(r.max_points),
                rank=_text(r.rank),
                rank_of=_text(r.rank_of),
            )
        for key, edit in self.fields.items():
            edit.setText(values[key])
        self.band.clear()
        self.band.addItem(_("(from the criteria set's bands)"), "")
        for label in form.bands:
            self.band.addItem(label, label)
        band = r.band if r is not None else ""
        found = self.band.findData(band)
        if band and found < 0:
            self.band.addItem(band, band)
            found = self.band.count() - 1
        self.band.setCurrentIndex(max(found, 0))
        published = {a.code: a for a in (r.areas if r is not None else ())}
        self.areas.setRowCount(len(form.areas))
        for row, area in enumerate(form.areas):
            name = QTableWidgetItem(f"{area.code}. {area.title}")
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, area.code)
            maximum = QTableWidgetItem(format_max(area.max_points))
            maximum.setFlags(maximum.flags() & ~Qt.ItemFlag.ItemIsEditable)
            maximum.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            given = published.get(area.code)
            points = QTableWidgetItem(_text(given.points) if given else "")
            rank = QTableWidgetItem(_text(given.rank) if given else "")
            for item in (points, rank):
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            for col, item in enumerate((name, maximum, points, rank)):
                self.areas.setItem(row, col, item)
        self.areas.resizeRowsToContents()
        editable = form.can_type
        for edit in self.fields.values():
            edit.setReadOnly(not editable)
        self.band.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.import_button.setEnabled(editable)
        triggers = (
            QTableWidget.EditTrigger.AllEditTriggers
            if editable
            else QTableWidget.EditTrigger.NoEditTriggers
        )
        self.areas.setEditTriggers(triggers)
        # Why it cannot be typed is information, not an error: muted, not red.
        self.warnings.setStyleSheet(
            f"color: {'#5f6b7a' if form.reason is not None else style.ERROR_TEXT.name()};"
        )
        self.warnings.setText(message(form.reason) if form.reason is not None else "")
        self._show_warnings()

    def _show_warnings(self) -> None:
        view = self.state.view
        if view is None or self.form is None or not self.form.can_type:
            return
        lines = [message(w) for w in view.figures.warnings()] if view.result else []
        self.warnings.setText("\n".join(lines))

    # -- saving --------------------------------------------------------------------
    def typed(self) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
        fields = {key: edit.text() for key, edit in self.fields.items()}
        band = self.band.currentText()
        fields["band"] = "" if band == self.band.itemText(0) else band
        areas: dict[str, tuple[str, str]] = {}
        for row in range(self.areas.rowCount()):
            area = self.areas.item(row, COL_AREA)
            if area is None:
                continue
            code = area.data(Qt.ItemDataRole.UserRole)
            points = self.areas.item(row, COL_POINTS)
            rank = self.areas.item(row, COL_RANK)
            areas[code] = (points.text() if points else "", rank.text() if rank else "")
        return fields, areas

    def save(self) -> None:
        db, form = self.state.db, self.form
        if db is None or form is None:
            return
        fields, areas = self.typed()
        year = form.year

        def job(office: Any) -> object:
            return result_entry.save_typed_result(office, year, fields, areas)

        OfficeOp(self.state, job).success(self._saved).failure(self._failed).run()

    def import_file(self) -> None:
        db = self.state.db
        path = self.pick_file()
        if db is None or path is None:
            return
        OfficeOp(self.state, lambda office: results.import_result_file(office, path)).success(
            self._saved
        ).failure(self._failed).run()

    def _pick_file(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import a result file"), "", _("Result files (*.json)")
        )
        return Path(name) if name else None

    def _saved(self, result: Any) -> None:
        self.state.mark_saved()
        self.status_message.emit(
            _("Recorded the published result: {index}.").format(
                index=format_percent(result.index)
            )
        )
        self.saved.emit()
        self.state.reload()

    def _failed(self, exc: BaseException) -> None:
        dialogs.show_error(self, exc)
