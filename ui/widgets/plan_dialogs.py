"""The plan screen's two questions: what a new item is about, and how to split an item's
tasks into several items."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.text import clean
from parapp.i18n import _
from ui import style


def _frame(dialog: QDialog, title: str, ok: str) -> tuple[QVBoxLayout, QDialogButtonBox]:
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(560)
    layout = QVBoxLayout(dialog)
    unit = style.SPACING
    layout.setContentsMargins(2 * unit, 2 * unit, 2 * unit, 2 * unit)
    layout.setSpacing(unit)
    buttons = QDialogButtonBox()
    dialog.ok_button = buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)  # type: ignore[attr-defined]
    buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return layout, buttons


def _muted(text: str) -> QLabel:
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
    return hint


class AddItemDialog(QDialog):
    """A new item: about a criterion (its shortcoming is then prefilled from the
    appraiser's comment or the criterion) or a general task."""

    def __init__(self, criterion: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout, buttons = _frame(self, _("Add an item"), _("Add the item"))
        self.ok_button: object
        form = QFormLayout()
        self.criterion = QLineEdit(criterion)
        self.criterion.setPlaceholderText(_("e.g. 1.4 — empty for a general task"))
        self.shortcoming = QPlainTextEdit()
        self.shortcoming.setTabChangesFocus(True)
        self.shortcoming.setFixedHeight(70)
        self.tasks = QPlainTextEdit()
        self.tasks.setTabChangesFocus(True)
        self.tasks.setFixedHeight(90)
        form.addRow(_("Criterion:"), self.criterion)
        form.addRow(_("Shortcoming:"), self.shortcoming)
        form.addRow(_("Tasks and solutions:"), self.tasks)
        layout.addLayout(form)
        layout.addWidget(
            _muted(
                _("With a criterion and no shortcoming, the shortcoming is what the appraiser "
                  "wrote about the criterion, or its title. Everything else is completed in "
                  "the pane beside the table.")
            )
        )
        layout.addWidget(buttons)
        self.shortcoming.setFocus()

    def values(self) -> tuple[str, str, str]:
        return (
            clean(self.criterion.text()),
            clean(self.shortcoming.toPlainText()),
            clean(self.tasks.toPlainText()),
        )


def task_lines(text: str) -> list[str]:
    """One task per line, without the bullet a clerk types ("- ", "+ ", "• ")."""
    out = []
    for line in text.split("\n"):
        part = clean(line)
        if part[:1] in "-+•" and part[1:2] == " ":
            part = part[1:].strip()
        if part:
            out.append(part)
    return out


class SplitDialog(QDialog):
    """The tasks item ``number`` is split into, one per line (prefilled with its own)."""

    def __init__(self, number: int, tasks: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout, buttons = _frame(self, _("Split item {number}").format(number=number),
                                 _("Split"))
        self.ok_button: object
        layout.addWidget(
            _muted(
                _("One task per line. Item {number} keeps the first; each other line becomes "
                  "a new item right after it, answering the same shortcoming with the same "
                  "lead, coordinating units and deadline.").format(number=number)
            )
        )
        self.tasks = QPlainTextEdit(tasks)
        self.tasks.setTabChangesFocus(True)
        self.tasks.setMinimumHeight(160)
        layout.addWidget(self.tasks)
        layout.addWidget(buttons)
        self.tasks.setFocus()

    def values(self) -> list[str]:
        return task_lines(self.tasks.toPlainText())
