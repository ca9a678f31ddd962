"""Backups in Cài đặt: the list, "Sao lưu ngay" and "Khôi phục" (on the worker thread)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.i18n import _, format_datetime
from parapp.services import backups
from parapp.services.backups import BackupInfo
from ui import dialogs, style
from ui.models.backups import COL_DATE, COL_REASON, COL_SIZE, BackupsModel

if TYPE_CHECKING:
    from ui.state import AppState


class BackupsPanel(QWidget):
    status_message = Signal(str)
    listed = Signal()  # the table shows the backups on disk (tests wait for it)
    restored = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(style.SPACING)
        intro = QLabel(
            _(
                "A copy of the database is made before every import and restore. Make one "
                "yourself before big changes; restoring first keeps today's data as a backup too."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(intro)
        self.model = BackupsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SIZE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.empty = QLabel(_("No backup yet. Press “Back up now” to make the first one."))
        self.empty.setStyleSheet("color: #5f6b7a;")
        self.empty.hide()
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.make_button = QPushButton(_("Back up now"))
        self.make_button.clicked.connect(self.make_backup)
        self.restore_button = QPushButton(_("Restore…"))
        self.restore_button.setToolTip(_("Bring back the data of the selected backup."))
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.make_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._selection_changed()

    def load(self) -> None:
        path = self.state.db_path
        self.state.run(lambda: backups.available(path), self._listed)

    def _listed(self, found: list[BackupInfo]) -> None:
        self.model.set_backups(found)
        self.empty.setVisible(not found)
        self._selection_changed()
        self.listed.emit()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def make_backup(self) -> None:
        path = self.state.db_path
        self.make_button.setEnabled(False)
        self.state.run(
            lambda: backups.make(path), self._made, self._failed, label=_("Backing up…")
        )

    def _made(self, info: BackupInfo) -> None:
        self.make_button.setEnabled(True)
        self.status_message.emit(
            _("Backup made: {date}").format(date=format_datetime(info.created))
        )
        self.load()

    def _failed(self, exc: BaseException) -> None:
        self.make_button.setEnabled(True)
        dialogs.show_error(self, exc)

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        question = _(
            "Restore the backup of {date}?\n\nEverything entered since then is replaced by "
            "the data of that day. Today's data is first kept as a backup, so this can be "
            "undone by restoring that one."
        ).format(date=format_datetime(info.created))
        if not dialogs.confirm(self, question, _("Restore")):
            return
        path, name = self.state.db_path, info.path.name
        self.state.run(
            lambda: backups.restore(path, name),
            self._restored,
            self._failed,
            label=_("Restoring the backup…"),
        )

    def _restored(self, kept: BackupInfo) -> None:
        self.state.mark_saved()
        self.state.reload()
        self.status_message.emit(
            _("Backup restored. Today's data was kept as the backup of {date}.").format(
                date=format_datetime(kept.created)
            )
        )
        self.load()
        self.restored.emit()
