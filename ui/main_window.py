"""The one window: who and which period at the top, navigation on the left, a status bar.

The window shows at once with a "Đang mở dữ liệu…" page; the screens are built when the
first snapshot arrives from the database thread (their modules import the domain, which
the first paint does not need).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
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

from parapp import resources
from parapp.i18n import _, label, message
from ui import bench, screens, style

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from ui.screens.setup import SetupScreen
    from ui.state import AppState
    from ui.widgets.period_combo import PeriodCombo, PeriodSelector

# Qt.ItemDataRole.UserRole + 1, as a plain int: touching the Qt namespace costs ~50 ms of
# lazy type set-up that the first paint does not need.
KEY_ROLE = 257
ICON_ROLE = 258  # the icon's name: an entry may have another face in an appraiser's office
STATUS_MESSAGE_MS = 15_000
NAV_ICON_PX = 24
# What an appraiser's database can show: it has no self-assessment of its own.
APPRAISER_SCREENS = (screens.APPRAISAL, screens.SYNC, screens.SETTINGS)


def nav_icon_path(key: str, scale: int = 1) -> Path:
    """The navigation icon of screen ``key`` (PNGs made from our SVGs by
    scripts/make_icons.py; PNG needs no image plugin and loads in no time)."""
    return resources.path(f"icons/{key}{'@2x' if scale == 2 else ''}.png")


def _leave(screen: QWidget | None) -> None:
    """Tell the screen being left (it saves what is being typed), if it wants to know."""
    before_leave = getattr(screen, "before_leave", None)
    if before_leave is not None:
        before_leave()


def _make_screen(key: str, state: AppState) -> QWidget:
    """Import only the screen asked for: the first one is on the start-up path.

    The window's deferred step: each screen's module (and the services it uses) is imported
    here, once the data has arrived, never before the first paint (tests/test_layers.py)."""
    info = screens.info(key)
    if info.built and info.module:
        module = importlib.import_module(info.module)
        return cast(QWidget, getattr(module, info.class_name)(state))
    from ui.screens.placeholder import PlaceholderScreen  # deferred: see above

    return PlaceholderScreen(info)


class MainWindow(QMainWindow):
    first_painted = Signal()
    data_shown = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._painted = False
        self._screens: dict[str, QWidget] = {}
        self._wanted: tuple[str, dict[str, Any]] = (screens.OVERVIEW, {})
        self._appraiser_faces = False  # the navigation shows an appraiser's office's words
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
        self.setup_page: SetupScreen | None = None
        self.first_painted.connect(self._set_nav_icons)  # not needed for the first paint
        self.first_painted.connect(self._set_shortcuts)

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
        # The period selector comes with the data: importing QComboBox and QStyle costs
        # ~80 ms that the first paint does without (see _period_selector).
        self._header_row = row
        self._periods: PeriodSelector | None = None
        self.status_label = QLabel("")
        for text in (self.unit_label, self.status_label):
            text.ensurePolished()  # the style sheet's font size, before measuring
            style.room_for_marks(text)
        row.addWidget(self.unit_label)
        row.addStretch(1)
        row.addWidget(self.status_label)
        return header

    @property
    def periods(self) -> PeriodSelector:
        """The period selector of the header (built on first use, once data is shown)."""
        if self._periods is None:
            # Deferred: QComboBox and QStyle cost ~80 ms the first paint does without.
            from ui.widgets.period_combo import PeriodCombo, PeriodSelector

            combo = PeriodCombo()
            self._header_row.insertWidget(1, combo)
            self._periods = PeriodSelector(combo, self.state, self._before_switch)
        return self._periods

    @property
    def period_combo(self) -> PeriodCombo:
        return self.periods.combo

    @property
    def period_label(self) -> PeriodCombo:
        """The period used to be a label; the combo's text() still says what is shown."""
        return self.period_combo

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
            "QListWidget::item:selected:focus { border: 2px solid #1f5fae;"
            " border-left: 4px solid #1f5fae; }"
        )
        for screen in screens.SCREENS:
            item = QListWidgetItem()
            item.setData(KEY_ROLE, screen.key)
            nav.addItem(item)
            self._face(item, appraiser=False)  # the common case, until the role is known
        nav.setCurrentRow(0)
        nav.currentItemChanged.connect(self._nav_changed)
        return nav

    @staticmethod
    def _face(item: QListWidgetItem, *, appraiser: bool) -> None:
        """The entry's title, tooltip and icon name as an office of that role sees them."""
        title, purpose, icon = screens.info(item.data(KEY_ROLE)).for_role(appraiser)
        item.setText(_(title))
        item.setToolTip(_(purpose))
        item.setData(ICON_ROLE, icon)

    def _show_role_navigation(self) -> None:
        """The role is known once the database is open: retitle the entries that read
        otherwise in an appraiser's office (e.g. "Kết quả công bố" / "Thẩm định")."""
        appraiser = self.state.is_appraiser
        if appraiser == self._appraiser_faces:
            return
        self._appraiser_faces = appraiser
        for row in range(self.nav.count()):
            self._face(self.nav.item(row), appraiser=appraiser)
        if self._painted:
            self._set_nav_icons()

    def _set_nav_icons(self) -> None:
        self.nav.setIconSize(QSize(NAV_ICON_PX, NAV_ICON_PX))
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            icon = QIcon()
            for scale in (1, 2):
                path = nav_icon_path(item.data(ICON_ROLE), scale)
                if path.exists():
                    icon.addFile(str(path))
            item.setIcon(icon)

    def _set_shortcuts(self) -> None:
        # Ctrl+Q on every system (Windows has no standard Quit key): the normal close path,
        # which saves what is being typed.
        quit_key = QShortcut(QKeySequence("Ctrl+Q"), self)
        quit_key.activated.connect(self.close)

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
            # The window paints before its children: the frame is complete (and on screen)
            # once this paint event has been handled, which a zero timer waits for.
            QTimer.singleShot(0, self._first_frame_done)

    def _first_frame_done(self) -> None:
        bench.mark("first_paint")
        self.first_painted.emit()

    # -- data ----------------------------------------------------------------------
    @property
    def appraiser_mode(self) -> bool:
        """An appraiser's database, set up: the hub instead of the commune's screens."""
        snapshot = self.state.snapshot
        return self.state.is_appraiser and snapshot is not None and snapshot.setup is None

    def _has_data(self) -> bool:
        return self.state.view is not None or self.appraiser_mode

    def _allowed(self, key: str) -> bool:
        return not self.appraiser_mode or key in APPRAISER_SCREENS

    def _show_appraiser_navigation(self) -> None:
        """Only the appraiser's entries; the commune's ones would have nothing to show."""
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            item.setHidden(not self._allowed(item.data(KEY_ROLE)))

    def _loaded(self) -> None:
        self._show_role_navigation()
        if self.appraiser_mode:
            self._show_appraiser_navigation()
            if not self._allowed(self._wanted[0]):
                self._wanted = (screens.APPRAISAL, {})
        elif self.state.view is None:
            snapshot = self.state.snapshot
            if snapshot is not None and snapshot.setup is not None:
                self._show_setup()
                return
            if snapshot is not None and snapshot.problem is not None:
                text = message(snapshot.problem)
            else:
                text = self.state.problem or _("There is no assessment yet.")
            self.loading.setText(text)
            return
        bench.mark("loaded")
        self._close_setup()
        key, filters = self._wanted
        self._ensure_screen(key)
        bench.mark("screens_built")
        self.navigate(key, **filters)
        # Paint now (repaint() is synchronous), so "data shown" means pixels on screen.
        self.repaint()
        bench.mark("data_shown")
        QTimer.singleShot(0, self.data_shown.emit)
        QTimer.singleShot(0, self._build_remaining)

    def _show_setup(self) -> None:
        """First run: the setup page instead of the screens until the office is set up."""
        if self.setup_page is None:
            from ui.screens.setup import SetupScreen  # deferred: a first run's page only

            self.setup_page = SetupScreen(self.state)
            self.stack.addWidget(self.setup_page)
        self.setup_page.refresh()
        self.stack.setCurrentWidget(self.setup_page)
        self.nav.setEnabled(False)
        self.unit_label.setText(_("Setting up the program"))

    def _close_setup(self) -> None:
        self.nav.setEnabled(True)
        if self.setup_page is not None:
            self.stack.removeWidget(self.setup_page)
            self.setup_page.deleteLater()
            self.setup_page = None

    def _before_switch(self) -> None:
        _leave(self.stack.currentWidget())

    def _build_remaining(self) -> None:
        """The other screens, built once the first one is on screen."""
        for screen in screens.SCREENS:
            self._ensure_screen(screen.key)

    def _ensure_screen(self, key: str) -> QWidget | None:
        """The screen ``key``, built on first use (data must be loaded)."""
        widget = self._screens.get(key)
        if widget is not None or not self._has_data() or not self._allowed(key):
            return widget
        widget = _make_screen(key, self.state)
        if hasattr(widget, "navigate"):
            widget.navigate.connect(self._navigate_requested)
        if hasattr(widget, "status_message"):
            widget.status_message.connect(self.show_message)
        if hasattr(widget, "year_shown"):
            widget.year_shown.connect(self._show_appraisal_year)
        self._screens[key] = widget
        self.stack.addWidget(widget)
        return widget

    def _show_header(self) -> None:
        view = self.state.view
        if view is None:
            if self.appraiser_mode:
                self._show_appraiser_header()
            return
        info = view.info
        self.unit_label.setText(info.unit_name)
        self.periods.refresh()
        self.status_label.setText(_("Status: {status}").format(status=label(info.status)))
        self.setWindowTitle(f"{info.unit_name} — {_('PAR index of the commune')} {info.year}")

    def _show_appraiser_header(self) -> None:
        snapshot = self.state.snapshot
        assert snapshot is not None
        self.unit_label.setText(snapshot.unit_name or _("Appraisal / Summary"))
        if self._periods is not None:  # a commune's period selector has no place here
            self._periods.combo.hide()
        if snapshot.year is not None:
            self._show_appraisal_year(snapshot.year)

    def _show_appraisal_year(self, year: int) -> None:
        """The year the hub shows (the appraisal screen may switch it)."""
        if not self.appraiser_mode:
            return
        self.status_label.setText(_("Appraisal of {year}").format(year=year))
        name = self.state.snapshot.unit_name if self.state.snapshot else ""
        self.setWindowTitle(f"{name} — {_('Appraisal of {year}').format(year=year)}")

    def _failed(self, reason: str) -> None:
        self.loading.setText(reason)

    def _saved(self, when: Any) -> None:
        self.saved_label.setText(_("Saved at {time}").format(time=f"{when:%H:%M}"))

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    # -- navigation ----------------------------------------------------------------
    # Our screens by key; QWidget.screen() (the monitor) is never asked of this window.
    def screen(self, key: str) -> QWidget | None:  # type: ignore[override]
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
        if current is not widget:
            _leave(current)
        self.stack.setCurrentWidget(widget)
        if hasattr(widget, "activate"):
            widget.activate(**filters)

    # -- closing -------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        _leave(self.stack.currentWidget())
        if self.state.has_tasks:
            self.state.tasks.wait_idle()
        self.state.close()
        super().closeEvent(event)
