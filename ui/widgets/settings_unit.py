"""Who the office is: the unit's name, code, kind, province and the unit that appraises it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from parapp.domain.text import clean
from parapp.domain.units import Unit, UnitKind
from parapp.i18n import _
from ui import style


def _kinds() -> list[tuple[UnitKind, str]]:
    return [
        (UnitKind.COMMUNE, _("Commune (xã)")),
        (UnitKind.WARD, _("Ward (phường)")),
        (UnitKind.SPECIAL_ZONE, _("Special zone (đặc khu)")),
        (UnitKind.TOWNSHIP, _("Township (thị trấn, before July 2025)")),
        (UnitKind.DISTRICT, _("District (before July 2025)")),
        (UnitKind.PROVINCE, _("Province")),
        (UnitKind.DEPARTMENT, _("Provincial department")),
    ]


class UnitFields(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit: Unit | None = None
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. Xã Hoàng Văn Thụ"))
        self.code = QLineEdit()
        self.code.setReadOnly(True)
        self.code.setToolTip(
            _(
                "The official code ties your data to the appraiser's. It is set when the "
                "database is created and is not changed here."
            )
        )
        self.kind = QComboBox()
        for kind, text in _kinds():
            self.kind.addItem(text, kind.value)
        self.province = QLineEdit()
        self.province.setPlaceholderText(_("e.g. Tỉnh Lạng Sơn"))
        self.appraiser_name = QLineEdit()
        self.appraiser_name.setPlaceholderText(_("e.g. Sở Nội vụ tỉnh Lạng Sơn"))
        self.appraiser_code = QLineEdit()
        self.problem = QLabel("")
        self.problem.setStyleSheet(f"color: {style.ERROR_TEXT.name()};")
        self.problem.hide()
        form.addRow(_("Name:"), self.name)
        form.addRow(_("Official code:"), self.code)
        form.addRow(_("Kind:"), self.kind)
        form.addRow(_("Province:"), self.province)
        form.addRow(_("Appraised by:"), self.appraiser_name)
        form.addRow(_("Appraiser's code:"), self.appraiser_code)
        form.addRow(self.problem)
        for edit in (self.name, self.province, self.appraiser_name, self.appraiser_code):
            edit.textEdited.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._changed)
        self._loading = False

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        missing = not clean(self.name.text())
        self.problem.setVisible(missing)
        self.problem.setText(_("The unit needs a name.") if missing else "")
        self.edited.emit()

    def set_unit(self, unit: Unit | None) -> None:
        self._loading = True
        try:
            self.unit = unit
            self.setEnabled(unit is not None)
            if unit is None:
                return
            self.name.setText(unit.name)
            self.code.setText(unit.code)
            self.kind.setCurrentIndex(max(self.kind.findData(unit.kind.value), 0))
            self.province.setText(unit.province_name)
            self.appraiser_name.setText(unit.appraiser_name)
            self.appraiser_code.setText(unit.appraiser_code)
        finally:
            self._loading = False

    def edited_unit(self) -> Unit | None:
        """The unit as typed, or None while it cannot be saved (no unit, no name)."""
        if self.unit is None or not clean(self.name.text()):
            return None
        return replace(
            self.unit,
            name=clean(self.name.text()),
            kind=UnitKind(self.kind.currentData()),
            province_name=clean(self.province.text()),
            appraiser_name=clean(self.appraiser_name.text()),
            appraiser_code=clean(self.appraiser_code.text()),
        )
