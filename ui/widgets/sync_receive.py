"""Đồng bộ › Nhận: choose or drop package files, see what they would change (a dry run on
the worker thread), then import them with one button."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.roles import PackageOutcome, Role
from parapp.i18n import _
from parapp.services import changes, sync_import
from ui import dialogs, style
from ui.dialogs_sync import PlanDialog, outcome_line
from ui.operations import OfficeOp
from ui.tasks import Cancelled
from ui.widgets.sync_context import note
from ui.widgets.sync_drives import Volume, choose_folder

if TYPE_CHECKING:
    from parapp.services.office import Office
    from parapp.services.sync_import import Outcome
    from ui.state import AppState

SUFFIX = ".cchc"


def choose_files(parent: QWidget) -> list[Path]:
    names, _filter = QFileDialog.getOpenFileNames(
        parent, _("Choose the package files"), "", _("Packages (*.cchc);;All files (*)")
    )
    return [Path(n) for n in names]


def dropped_packages(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """Dropped .cchc files and folders (a folder means every package in it)."""
    data = event.mimeData()
    if data is None or not data.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()]
    return [p for p in paths if p.is_dir() or p.suffix.lower() == SUFFIX]


def import_job(
    db: Office, sources: Sequence[Path], dry_run: bool
) -> Generator[tuple[int, int, str], None, list[Outcome]]:
    """The service's import, file by file, with words for the progress dialog (worker)."""
    outcomes: list[Outcome] = []
    first = _("Checking the packages…") if dry_run else _("Importing the packages…")
    yield 0, 0, first
    steps = sync_import.import_packages(db, list(sources), dry_run=dry_run)
    try:
        for done, total, outcome in steps:
            outcomes.append(outcome)
            text = _("Checked {done} of {total} files") if dry_run else _(
                "Imported {done} of {total} files"
            )
            yield done, total, text.format(done=done, total=total)
    finally:
        # A cancel takes effect after the file being imported: each file is committed on
        # its own, all or nothing.
        steps.close()
    return outcomes


class DropZone(QFrame):
    """A large target for package files; clicking its buttons does the same."""

    dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self._style(False)
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(3 * unit, 3 * unit, 3 * unit, 3 * unit)
        layout.setSpacing(unit)
        title = QLabel(_("Drag package files (.cchc) here"))
        title.setFont(style.scaled(title.font(), 1.25, bold=True))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        style.room_for_marks(title)
        layout.addWidget(title)
        self.hint = note(
            _(
                "or choose them from the USB stick or a folder. Nothing is changed before you "
                "have seen what the files contain and pressed “Import”."
            )
        )
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)

    def _style(self, hover: bool) -> None:
        colour = "#1f5fae" if hover else "#9aa8b8"
        background = "#e8f0fb" if hover else "#f6f8fb"
        self.setStyleSheet(
            f"#dropZone {{ background: {background}; border: 2px dashed {colour}; "
            "border-radius: 8px; }"
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_packages(event):
            self._style(True)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: Any) -> None:
        self._style(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._style(False)
        paths = dropped_packages(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(paths)


class ReceivePanel(QWidget):
    status_message = Signal(str)
    planned = Signal(object)  # the dry run's outcomes (tests wait for it)
    imported = Signal(object)  # the outcomes of the import

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        # Dialogs a test answers without a person.
        self.ask_files: Callable[[QWidget], list[Path]] = choose_files
        self.ask_folder: Callable[[QWidget, str], Path | None] = choose_folder
        self.show_plan: Callable[[QWidget, list[Outcome]], list[Outcome]] = ask_plan
        self.volumes: list[Volume] = []
        self.drive_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        unit = style.SPACING
        layout.setContentsMargins(unit, unit, unit, unit)
        layout.setSpacing(2 * unit)
        self.zone = DropZone()
        self.zone.dropped.connect(self.check)
        self.files_button = QPushButton(_("Choose files…"))
        self.files_button.clicked.connect(self._choose_files)
        self.folder_button = QPushButton(_("Choose a folder…"))
        self.folder_button.setToolTip(_("Every .cchc file in the folder (not its sub-folders)."))
        self.folder_button.clicked.connect(self._choose_folder)
        self.zone.buttons.addWidget(self.files_button)
        self.zone.buttons.addWidget(self.folder_button)
        self.zone.buttons.addStretch(1)
        layout.addWidget(self.zone)
        self.drives_row = QHBoxLayout()
        layout.addLayout(self.drives_row)
        self.what = note(self._expected_text(Role.COMMUNE))
        layout.addWidget(self.what)
        self.last = QLabel()
        self.last.setWordWrap(True)
        self.last.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last.setObjectName("lastImport")
        self.last.setStyleSheet(
            "#lastImport { background: white; border: 1px solid #d5dbe3; border-radius: 6px; "
            "padding: 8px 12px; }"
        )
        self.last.hide()
        layout.addWidget(self.last)
        layout.addStretch(1)

    @staticmethod
    def _expected_text(role: Role) -> str:
        if role is Role.APPRAISER:
            return _(
                "Here you receive the units' self-assessments and progress reports. Unit "
                "cards are trusted in “Keys and fingerprints”."
            )
        return _(
            "Here you receive the appraisal results and criteria sets from your appraiser. "
            "Its unit card is trusted in “Keys and fingerprints”."
        )

    def set_role(self, role: Role) -> None:
        self.what.setText(self._expected_text(role))

    def set_volumes(self, volumes: list[Volume]) -> None:
        """One button per USB stick found: "Đọc các gói trên KINGSTON (E:)"."""
        if volumes == self.volumes:
            return
        self.volumes = list(volumes)
        for button in self.drive_buttons:
            self.drives_row.removeWidget(button)
            button.deleteLater()
        self.drive_buttons = []
        while self.drives_row.count():
            self.drives_row.takeAt(0)
        for volume in volumes:
            root = str(volume.root).rstrip("/\\") or str(volume.root)
            name = volume.name if volume.name and volume.name != str(volume.root) else root
            button = QPushButton(_("Read the packages on {drive}").format(drive=name))
            button.setToolTip(str(volume.root))
            button.clicked.connect(lambda _checked=False, v=volume: self.check([v.root]))
            self.drives_row.addWidget(button)
            self.drive_buttons.append(button)
        self.drives_row.addStretch(1)

    # -- choosing ------------------------------------------------------------------
    def _choose_files(self) -> None:
        paths = self.ask_files(self)
        if paths:
            self.check(paths)

    def _choose_folder(self) -> None:
        folder = self.ask_folder(self, _("Choose the folder with the packages"))
        if folder is not None:
            self.check([folder])

    # -- the dry run, then the import ----------------------------------------------
    def check(self, sources: list[Path]) -> None:
        db = self.state.db
        if db is None or not sources:
            return
        self._busy(True)
        OfficeOp(
            self.state,
            lambda office: import_job(office, sources, True),
            label=_("Checking the packages…"),
        ).success(self._checked).failure(self._failed).run()

    def _checked(self, outcomes: list[Outcome]) -> None:
        self._busy(False)
        self.planned.emit(outcomes)
        if not outcomes:
            dialogs.inform(self, _("There is no .cchc package file there."))
            return
        chosen = self.show_plan(self, outcomes)
        if not chosen:
            self.status_message.emit(_("Nothing was imported."))
            return
        db = self.state.db
        if db is None:
            return
        paths = [o.path for o in chosen]
        self._busy(True)
        OfficeOp(
            self.state,
            lambda office: import_job(office, paths, False),
            label=_("Importing the packages…"),
        ).success(self._imported).failure(self._import_failed).run()

    def _imported(self, outcomes: list[Outcome]) -> None:
        self._busy(False)
        self.state.reload(changed=changes.SYNC_IMPORT)
        applied = [o for o in outcomes if o.status == PackageOutcome.APPLIED]
        text = _("Imported {n} of {total} files.").format(n=len(applied), total=len(outcomes))
        self.last.setText(
            "\n".join([_("Last import: {text}").format(text=text)]
                      + [outcome_line(o) for o in outcomes])
        )
        self.last.show()
        self.status_message.emit(text)
        self.imported.emit(outcomes)
        dialogs.inform(
            self, text, "\n".join(outcome_line(o) for o in outcomes), title=_("Import finished")
        )

    def _import_failed(self, exc: BaseException) -> None:
        self._busy(False)
        # Files imported before a cancel stay imported.
        self.state.reload(changed=changes.SYNC_IMPORT)
        self.imported.emit([])
        if isinstance(exc, Cancelled):
            self.status_message.emit(
                _("Import stopped. Files imported before stopping stay imported.")
            )
            return
        dialogs.show_error(self, exc)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if not isinstance(exc, Cancelled):
            dialogs.show_error(self, exc)

    def _busy(self, busy: bool) -> None:
        for button in (self.files_button, self.folder_button, *self.drive_buttons):
            button.setEnabled(not busy)
        self.zone.setAcceptDrops(not busy)


def ask_plan(parent: QWidget, outcomes: list[Outcome]) -> list[Outcome]:
    """Show the plan; the outcomes to import when the user pressed "Nhập", else []."""
    dialog = PlanDialog(parent, outcomes)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.ready if accepted else []
