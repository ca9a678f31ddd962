"""A screen not built yet: says what it will do, so the clerk is never lost."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from parapp.i18n import _
from ui import style
from ui.screens import ScreenInfo
from ui.screens.base import heading, page_layout


class PlaceholderScreen(QWidget):
    def __init__(self, screen: ScreenInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = screen.key
        layout = page_layout(self)
        layout.addWidget(heading(_(screen.title)))
        card = QFrame()
        card.setObjectName("placeholderCard")
        card.setStyleSheet(
            "#placeholderCard { background: #f6f8fb; border: 1px solid #d5dbe3; "
            "border-radius: 6px; }"
        )
        inner = QVBoxLayout(card)
        unit = style.SPACING
        inner.setContentsMargins(2 * unit, 2 * unit, 2 * unit, 2 * unit)
        inner.setSpacing(unit)
        soon = QLabel(_("This screen will come in a later version."))
        soon.setFont(style.scaled(soon.font(), 1.1, bold=True))
        soon.setWordWrap(True)
        what = QLabel(_("What it will do: {purpose}").format(purpose=_(screen.purpose)))
        what.setWordWrap(True)
        what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(soon)
        inner.addWidget(what)
        layout.addWidget(card)
        layout.addStretch(1)

    def activate(self, **filters: object) -> None:
        pass

    def refresh(self) -> None:
        pass

    def before_leave(self) -> None:
        pass
