"""The appraiser's two small forms: why an assessment is returned, and the decision that
publishes the results (with the units that will be left out, and why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.assessment import AssessmentStatus
from parapp.domain.completeness import Gap
from parapp.domain.text import clean
from parapp.i18n import _, format_date, label
from parapp.services.appraisal import UnitStatus
from ui import style
from ui.widgets.document_form import parse_date


def _buttons(dialog: QDialog, accept_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox()
    accept = box.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box, accept


def _error_label() -> QLabel:
    error = QLabel()
    error.setWordWrap(True)
    error.setStyleSheet(f"color: {style.ERROR_TEXT.name()};")
    error.hide()
    return error


class ReturnDialog(QDialog):
    """Asks why the assessment goes back to the unit; the reason is required."""

    def __init__(self, unit_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Return for correction"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        intro = QLabel(
            _(
                "{unit} will get its self-assessment back to correct it and send it again. "
                "Say what must be corrected: the unit reads this reason."
            ).format(unit=unit_name)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(
            _(
                "For example: criterion 2.1 lacks the signed report; attach it and correct "
                "the score."
            )
        )
        self.reason.setMinimumHeight(110)
        layout.addWidget(self.reason)
        box, self.accept_button = _buttons(self, _("Return"))
        self.accept_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.accept_button.setEnabled(bool(clean(self.reason.toPlainText())))
        )
        layout.addWidget(box)

    def text(self) -> str:
        return clean(self.reason.toPlainText())


def ask_return_reason(parent: QWidget | None, unit_name: str) -> str | None:
    dialog = ReturnDialog(unit_name, parent)
    return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True)
class Decision:
    number: str
    decided_on: date
    issuer: str


def left_out(units: list[UnitStatus]) -> list[tuple[str, str]]:
    """(unit, why) for the units that publishing will leave out."""
    out: list[tuple[str, str]] = []
    for unit in units:
        if unit.status is AssessmentStatus.RETURNED:
            out.append((unit.unit_name, _("returned for correction")))
        elif unit.status is AssessmentStatus.SUBMITTED:
            if unit.to_reappraise:
                why = _("{n} criteria to re-appraise").format(n=unit.to_reappraise)
            else:
                why = _("appraisal not finished ({n} criteria left)").format(n=unit.to_appraise)
            out.append((unit.unit_name, why))
    return out


def blocking(units: list[UnitStatus]) -> list[tuple[str, str]]:
    """(unit, why) for the units that stop publishing altogether: criteria the unit changed
    after appraisal must be appraised again first (the service refuses otherwise)."""
    return [
        (u.unit_name, _("{n} criteria to re-appraise").format(n=u.to_reappraise))
        for u in units
        if u.to_reappraise
        and u.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED)
    ]


def unscored_question(unit_name: str, gaps: list[Gap], limit: int = 12) -> str:
    """The question before accepting the self-scores of a unit that left criteria unscored."""
    lines = [f"• {g.code}. {g.title}" for g in gaps[:limit]]
    if len(gaps) > limit:
        lines.append(_("… and {n} more").format(n=len(gaps) - limit))
    return (
        _(
            "{unit} left {n} criteria unscored: accepting its self-scores counts them as 0 "
            "points."
        ).format(unit=unit_name, n=len(gaps))
        + "\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _("Accept the self-scores anyway?")
    )


def skipped_text(skipped: list[tuple[str, str]], limit: int = 12) -> str:
    lines = [f"• {name}: {why}" for name, why in skipped[:limit]]
    if len(skipped) > limit:
        lines.append(_("… and {n} more").format(n=len(skipped) - limit))
    return "\n".join(lines)


def status_why(status: AssessmentStatus) -> str:
    """Why publishing left a unit out, from the status the service reports."""
    if status is AssessmentStatus.SUBMITTED:
        return _("appraisal not finished")
    return label(status)


class PublishDialog(QDialog):
    """The decision's number, date and issuer; lists who will not be published."""

    def __init__(
        self,
        year: int,
        issuer: str,
        ready: int,
        skipped: list[tuple[str, str]],
        parent: QWidget | None = None,
        blocked: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Publish the {year} results").format(year=year))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        intro = QLabel(
            _(
                "{n} appraised units will get their index, rank and band, and their "
                "assessments will be locked. Give the decision that publishes them."
            ).format(n=ready)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setSpacing(style.SPACING)
        self.number = QLineEdit()
        self.number.setPlaceholderText("70/QĐ-UBND")
        self.decided_on = QLineEdit(format_date(date.today()))
        self.decided_on.setPlaceholderText(_("dd/mm/yyyy"))
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText(issuer)
        form.addRow(_("Decision number:"), self.number)
        form.addRow(_("Decision date:"), self.decided_on)
        form.addRow(_("Issued by:"), self.issuer)
        layout.addLayout(form)
        self.skipped_label = QLabel()
        self.skipped_label.setWordWrap(True)
        if skipped:
            self.skipped_label.setText(
                _("These units will not be published yet:") + "\n" + skipped_text(skipped)
            )
            self.skipped_label.setStyleSheet(
                f"background: {style.BANNER_BACKGROUND}; border: 1px solid {style.BANNER_BORDER};"
                " border-radius: 4px; padding: 8px;"
            )
        else:
            self.skipped_label.hide()
        layout.addWidget(self.skipped_label)
        self.error = _error_label()
        layout.addWidget(self.error)
        box, self.accept_button = _buttons(self, _("Publish"))
        box.accepted.disconnect()
        box.accepted.connect(self._check)
        layout.addWidget(box)
        self.decision: Decision | None = None
        if blocked:
            self._refuse(
                _(
                    "Nothing can be published yet: these units changed criteria after you "
                    "appraised them. Appraise those criteria again first (marked in amber)."
                )
                + "\n"
                + skipped_text(blocked)
            )
            self.accept_button.setEnabled(False)

    def _check(self) -> None:
        number = clean(self.number.text())
        try:
            decided_on = parse_date(self.decided_on.text())
        except ValueError:
            decided_on = None
        if not number:
            self._refuse(_("Type the number of the decision, like 70/QĐ-UBND."))
            self.number.setFocus()
            return
        if decided_on is None:
            self._refuse(_("Type the date of the decision as dd/mm/yyyy, like 27/01/2026."))
            self.decided_on.setFocus()
            return
        self.decision = Decision(number, decided_on, clean(self.issuer.text()))
        self.accept()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
