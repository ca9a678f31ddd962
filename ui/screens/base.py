"""What every screen offers the main window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from parapp.services.changes import EVERYTHING, Changed
from ui import style
from ui.state import AppState


class Screen(QWidget):
    """A page of the main window; ``navigate`` asks the window to show another screen."""

    navigate = Signal(str, dict)  # screen key, filters for it

    key = ""
    # The parts of the data the screen shows (parapp.services.changes): it refreshes after
    # a write that changed one of them. A screen that loads only when shown keeps the
    # default, which costs nothing while it is hidden.
    shows: Changed = EVERYTHING

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        state.updated.connect(self._updated)

    def _updated(self, changed: Changed) -> None:
        if changed & self.shows:
            self.refresh()

    def refresh(self) -> None:
        """What the screen shows changed: show the new figures."""

    def activate(self, **filters: Any) -> None:
        """The screen is shown, possibly asked to filter (``problem=``, ``area=``)."""

    def before_leave(self) -> None:
        """The screen is about to be hidden (or the window closed): save open edits."""


def heading(text: str, factor: float = 1.45) -> QLabel:
    label = QLabel(text)
    label.setFont(style.scaled(QFont(label.font()), factor, bold=True))
    label.setWordWrap(True)
    style.room_for_marks(label)
    return label


def page_layout(widget: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(widget)
    unit = style.SPACING
    layout.setContentsMargins(2 * unit, 2 * unit, 2 * unit, unit)
    layout.setSpacing(unit)
    return layout
