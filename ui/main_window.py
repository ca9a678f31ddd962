"""The one window: who and which period at the top, navigation on the left, a status bar.

The window shows at once with a "Đang mở dữ liệu…" page; the screens are built when the
first snapshot arrives from the database thread (their modules import the domain, which
the first paint does not need).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _
from ui import bench, screens, style

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from ui.state import AppState

# Qt.ItemDataRole.UserRole + 1, as a plain int: touching the Qt namespace costs ~50 ms of
# lazy type set-up that the first paint does not need.
KEY_ROLE = 257
STATUS_MESSAGE_MS = 15_000


def _make_screen(key: str, state: AppState) -> QWidget:
    """Import only the screen asked for: the first one is on the start-up path."""
    info = screens.info(key)
    if info.built and info.module:
        import importlib

        module = importlib.import_module(info.module)
        return getattr(module, info.class_name)(state)
    from ui.screens.placeholder import PlaceholderScreen

    return PlaceholderScreen(info)


class MainWindow(QMainWindow):
    first_painted = Signal()
    data_shown = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._painted = False
        self._screens: dict[str, QWidget] = {}
        self._wanted = (screens.OVERVIEW, {})
        self.setWindowTitle(_("PAR index of the commune"))
        self.setMinimumSize(1000, 640)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = self._navigation()
        body.addWidget(self.nav)
        self.stack = QStackedWidget()
        self.loading = self._message_page(_("Opening the data…"))
        self.stack.addWidget(self.loading)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        status = QStatusBar()
        self.saved_label = QLabel(_("Nothing saved yet in this session"))
        self.saved_label.setStyleSheet("color: #5f6b7a; padding: 0 8px;")
        status.addPermanentWidget(self.saved_label)
        self.setStatusBar(status)

        state.loaded.connect(self._loaded)
        state.changed.connect(self._show_header)
        state.saved.connect(self._saved)
        state.failed.connect(self._failed)

    # -- skeleton ------------------------------------------------------------------
    def _header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("header")
        header.setStyleSheet("#header { background: #1f4e8c; } #header QLabel { color: white; }")
        row = QHBoxLayout(header)
        unit = style.SPACING
        row.setContentsMargins(2 * unit, unit + 2, 2 * unit, unit + 2)
        row.setSpacing(2 * unit)
        self.unit_label = QLabel(_("PAR index of the commune"))
        self.unit_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.period_label = QLabel("")
        self.period_label.setStyleSheet("font-size: 11pt;")
        self.status_label = QLabel("")
        for label in (self.unit_label, self.period_label, self.status_label):
            label.ensurePolished()  # the style sheet's font size, before measuring
            style.room_for_marks(label)
        row.addWidget(self.unit_label)
        row.addWidget(self.period_label)
        row.addStretch(1)
        row.addWidget(self.status_label)
        return header

    def _navigation(self) -> QListWidget:
        nav = QListWidget()
        nav.setFixedWidth(style.NAV_WIDTH)
        nav.setStyleSheet(
            "QListWidget { background: #f3f5f8; border: none; border-right: 1px solid #d5dbe3;"
            " font-size: 10.5pt; outline: 0;"
            " padding-top: 8px; }"
            "QListWidget::item { padding: 8px 12px; }"
            "QListWidget::item:selected { background: #dce7f6; color: #10325c;"
            " border-left: 4px solid #1f5fae; }"
        )
        for screen in screens.SCREENS:
            item = QListWidgetItem(_(screen.title))
            item.setData(KEY_ROLE, screen.key)
            item.setToolTip(_(screen.purpose))
            nav.addItem(item)
        nav.setCurrentRow(0)
        nav.currentItemChanged.connect(self._nav_changed)
        return nav

    def _message_page(self, text: str) -> QLabel:
        page = QLabel(text)
        page.setWordWrap(True)
        page.setStyleSheet(
            "color: #5f6b7a; padding: 32px; font-size: 13pt; qproperty-alignment: AlignCenter;"
        )
        return page

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            bench.mark("first_paint")
            QTimer.singleShot(0, self.first_painted.emit)

    # -- data ----------------------------------------------------------------------
    def _loaded(self) -> None:
        if self.state.view is None:
            snapshot = self.state.snapshot
            if snapshot is not None and snapshot.problem is not None:
                from parapp.i18n import message

                text = message(snapshot.problem)
            else:
                text = self.state.problem or _("There is no assessment yet.")
            self.loading.setText(text)
            return
        bench.mark("loaded")
        key, filters = self._wanted
        self._ensure_screen(key)
        bench.mark("screens_built")
        self.navigate(key, **filters)
        # Paint now (repaint() is synchronous), so "data shown" means pixels on screen.
        self.repaint()
        bench.mark("data_shown")
        QTimer.singleShot(0, self.data_shown.emit)
        QTimer.singleShot(0, self._build_remaining)

    def _build_remaining(self) -> None:
        """The other screens, built once the first one is on screen."""
        for screen in screens.SCREENS:
            self._ensure_screen(screen.key)

    def _ensure_screen(self, key: str) -> QWidget | None:
        """The screen ``key``, built on first use (data must be loaded)."""
        widget = self._screens.get(key)
        if widget is not None or self.state.view is None:
            return widget
        widget = _make_screen(key, self.state)
        if hasattr(widget, "navigate"):
            widget.navigate.connect(self._navigate_requested)
        if hasattr(widget, "status_message"):
            widget.status_message.connect(self.show_message)
        self._screens[key] = widget
        self.stack.addWidget(widget)
        return widget

    def _show_header(self) -> None:
        view = self.state.view
        if view is None:
            return
        info = view.info
        self.unit_label.setText(info.unit_name)
        self.period_label.setText(_("Assessment of {year}").format(year=info.year))
        self.period_label.setToolTip(view.cset.name)
        from parapp.i18n import label

        self.status_label.setText(_("Status: {status}").format(status=label(info.status)))
        self.setWindowTitle(f"{info.unit_name} — {_('PAR index of the commune')} {info.year}")

    def _failed(self, reason: str) -> None:
        self.loading.setText(reason)

    def _saved(self, when: Any) -> None:
        self.saved_label.setText(_("Saved at {time}").format(time=f"{when:%H:%M}"))

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    # -- navigation ----------------------------------------------------------------
    def screen(self, key: str) -> QWidget | None:
        """The screen ``key`` (built now if the data is loaded but it was not yet)."""
        return self._ensure_screen(key)

    @property
    def current_key(self) -> str:
        item = self.nav.currentItem()
        return item.data(KEY_ROLE) if item is not None else ""

    def _nav_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self._show(current.data(KEY_ROLE), {})

    def _navigate_requested(self, key: str, filters: dict[str, Any]) -> None:
        self.navigate(key, **filters)

    def navigate(self, key: str, **filters: Any) -> None:
        """Show the screen ``key`` (and select it in the list), passing it ``filters``."""
        for row in range(self.nav.count()):
            if self.nav.item(row).data(KEY_ROLE) == key:
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
        self._show(key, filters)

    def _show(self, key: str, filters: dict[str, Any]) -> None:
        self._wanted = (key, filters)
        widget = self._ensure_screen(key)
        if widget is None:
            return
        current = self.stack.currentWidget()
        if current is not widget and hasattr(current, "before_leave"):
            current.before_leave()
        self.stack.setCurrentWidget(widget)
        if hasattr(widget, "activate"):
            widget.activate(**filters)

    # -- closing -------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        current = self.stack.currentWidget()
        if hasattr(current, "before_leave"):
            current.before_leave()
        if self.state.has_tasks:
            self.state.tasks.wait_idle()
        self.state.close()
        super().closeEvent(event)
