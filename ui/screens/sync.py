"""Đồng bộ: send packages to the appraiser (or the units) on a USB stick, receive them after
seeing what they would change, the history of packages, and the keys behind them.

The same screen serves both roles (setting "role"): a commune sends its submission and
progress report, an appraiser the results and the criteria set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _
from ui import dialogs, screens, style
from ui.models.sync_log import COL_KIND, COL_OTHER, COL_PACKAGE, SyncLogModel
from ui.operations import OfficeOp
from ui.screens.base import Screen, heading, page_layout
from ui.state import AppState
from ui.widgets.sync_context import SyncContext, load_context, note
from ui.widgets.sync_drives import Volume, list_volumes
from ui.widgets.sync_keys import KeysPanel
from ui.widgets.sync_receive import ReceivePanel
from ui.widgets.sync_send import SendPanel

POLL_MS = 4000  # look for a newly plugged USB stick this often while the screen is shown
TAB_SEND, TAB_RECEIVE, TAB_HISTORY, TAB_KEYS = (
    screens.TAB_SEND, screens.TAB_RECEIVE, screens.TAB_HISTORY, screens.TAB_KEYS
)


class HistoryPanel(QWidget):
    """Every package sent or received, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(unit)
        layout.addWidget(
            note(
                _(
                    "Packages sent and received, newest first. Files that were refused are "
                    "not listed: nothing of them entered the data."
                )
            )
        )
        self.model = SyncLogModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_OTHER, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_PACKAGE, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        layout.addWidget(self.table, 1)
        self.empty = note(
            _(
                "No package has been sent or received yet. What you send (tab “Send”) and "
                "receive (tab “Receive”) is listed here."
            )
        )
        layout.addWidget(self.empty)
        layout.addStretch(0)

    def set_context(self, context: SyncContext) -> None:
        self.model.set_entries(context.log)
        self.empty.setVisible(not context.log)
        self.table.setVisible(bool(context.log))
        self.table.resizeColumnToContents(COL_KIND)
        self.table.setColumnWidth(COL_PACKAGE, 290)


class SyncScreen(Screen):
    key = screens.SYNC
    status_message = Signal(str)
    loaded = Signal()  # the context arrived (tests wait for it)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.list_volumes: Callable[[], list[Volume]] = list_volumes  # runs on the worker
        self.context: SyncContext | None = None
        self._stale = True
        self._loading = False
        self._again = False  # a reload was asked while one was running
        self._scanning = False
        layout = page_layout(self)
        layout.addWidget(heading(_("Sync")))
        self.intro = note()
        layout.addWidget(self.intro)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.send = SendPanel(state)
        self.receive = ReceivePanel(state)
        self.history = HistoryPanel()
        self.keys = KeysPanel(state)
        self.tabs.addTab(self.send, _("Send"))
        self.tabs.addTab(self.receive, _("Receive"))
        self.tabs.addTab(self.history, _("History"))
        self.tabs.addTab(self.keys, _("Keys and fingerprints"))
        layout.addWidget(self.tabs, 1)
        for panel in (self.send, self.receive, self.keys):
            panel.status_message.connect(self.status_message)
        self.send.sent.connect(lambda _exported: self.reload())
        self.receive.imported.connect(lambda _outcomes: self.reload())
        self.keys.changed.connect(self.reload)
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.find_drives)
        self._show_intro()

    def _show_intro(self) -> None:
        context = self.context
        if context is not None and context.appraiser:
            text = _(
                "Send the results and the criteria set to the units on a USB stick, and "
                "receive their self-assessments. Every package is signed and checked."
            )
        else:
            text = _(
                "Send the self-assessment to the appraiser on a USB stick, and receive the "
                "results. Every package is signed and checked; nothing changes before you "
                "have seen what it contains."
            )
        self.intro.setText(text)

    # -- loading -------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True  # loaded when shown
            return
        self.reload()

    def reload(self) -> None:
        db = self.state.db
        if db is None:
            return
        if self._loading:
            self._again = True
            return
        self._stale = False
        self._loading = True
        OfficeOp(self.state, load_context).success(self._loaded).failure(self._failed).run()

    def _loaded(self, context: SyncContext) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.reload()
        self.context = context
        self._show_intro()
        self.send.set_context(context)
        self.receive.set_role(context.role)
        self._council_member(context.council_member)
        self.history.set_context(context)
        self.keys.set_context(context)
        self.loaded.emit()

    def _council_member(self, member: bool) -> None:
        """A council member's window: sending and receiving packages are the
        secretariat's, so their tabs are disabled with the reason."""
        reason = _("Only the council's secretariat imports and sends packages.")
        for panel in (self.send, self.receive):
            panel.setEnabled(not member)
            self.tabs.setTabToolTip(self.tabs.indexOf(panel), reason if member else "")
        if member:
            self.intro.setText(reason + " " + _("You appraise the areas assigned to you."))

    def _failed(self, exc: BaseException) -> None:
        self._loading = self._again = False
        dialogs.show_error(self, exc)

    def activate(self, **filters: Any) -> None:
        tab = filters.get("tab")
        if isinstance(tab, int):
            self.tabs.setCurrentIndex(tab)
        if self._stale or self.context is None:
            self.reload()
        self.find_drives()
        self.poll.start()

    def before_leave(self) -> None:
        self.poll.stop()  # nothing is typed here that could be lost

    def hideEvent(self, event: Any) -> None:
        self.poll.stop()
        super().hideEvent(event)

    # -- USB sticks ----------------------------------------------------------------
    def find_drives(self) -> None:
        if self._scanning:
            return  # the last look has not come back (it may wait behind an import)
        self._scanning = True
        self.state.run(self.list_volumes, self._drives_found, self._scan_failed)

    def _scan_failed(self, _exc: BaseException) -> None:
        self._scanning = False  # no drive list this time; the next poll tries again

    def _drives_found(self, volumes: list[Volume]) -> None:
        self._scanning = False
        self.send.set_volumes(volumes)
        self.receive.set_volumes(volumes)
