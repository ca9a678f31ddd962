"""Where a package goes: the USB drives plugged in, or a folder the clerk chooses.

Qt cannot tell a removable drive from a fixed one, so every writable drive other than
the system's is offered (on Windows that is the stick, plus perhaps a second disk); on
Linux and macOS only what is mounted under the usual places for removable media.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QStorageInfo, Signal
from PySide6.QtWidgets import QFileDialog, QListWidget, QListWidgetItem, QWidget

from parapp.i18n import _, format_decimal

PATH_ROLE = 257  # Qt.ItemDataRole.UserRole + 1
CHOOSE = "choose"  # the "Chọn thư mục…" entry
REMOVABLE_PLACES = ("/media/", "/run/media/", "/mnt/", "/Volumes/")


@dataclass(frozen=True)
class Volume:
    root: Path
    name: str
    free: int  # bytes available

    @property
    def label(self) -> str:
        root = str(self.root).rstrip("/\\") or str(self.root)
        name = self.name if self.name and self.name != str(self.root) else ""
        place = f"{name} ({root})" if name else root
        return _("{drive} — {free} free").format(drive=place, free=size_text(self.free))


def size_text(size: int) -> str:
    """ "3,2 GB", "870 MB", "12 KB" in the screen's number format."""
    for unit, factor in ((_("{n} GB"), 1024**3), (_("{n} MB"), 1024**2)):
        if size >= factor:
            return unit.format(n=format_decimal(Decimal(size) / factor, 1))
    return _("{n} KB").format(n=format_decimal(Decimal(max(1, round(size / 1024))), 0))


def _is_removable_place(root: str) -> bool:
    if sys.platform == "win32":
        return True  # any drive but the system one: see the module's note
    return any(root.startswith(place) for place in REMOVABLE_PLACES)


def list_volumes() -> list[Volume]:
    """Writable drives other than the system's, by name (may be slow on a network drive:
    run it on the worker thread)."""
    system = QStorageInfo.root().rootPath()
    found = []
    for volume in QStorageInfo.mountedVolumes():
        if not volume.isValid() or not volume.isReady() or volume.isReadOnly():
            continue
        root = volume.rootPath()
        if root == system or not _is_removable_place(root):
            continue
        found.append(Volume(Path(root), volume.displayName(), volume.bytesAvailable()))
    return sorted(found, key=lambda v: str(v.root))


def choose_folder(parent: QWidget, caption: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, caption)
    return Path(name) if name else None


class DestinationList(QListWidget):
    """The drives found, then folders chosen before, then "Choose a folder…"."""

    chosen = Signal()  # the destination changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # (parent, caption) -> a folder or None; a test answers it without a person
        self.ask_folder: Callable[[QWidget, str], Path | None] = choose_folder
        self.volumes: list[Volume] = []
        self.folders: list[Path] = []
        # Told of a folder the clerk chose (the send screen keeps it for the next session).
        self.remember: Callable[[Path], None] | None = None
        self.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.setMinimumHeight(110)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        self.currentItemChanged.connect(lambda *_args: self.chosen.emit())
        self._fill()

    def set_volumes(self, volumes: list[Volume]) -> None:
        if volumes == self.volumes:
            return  # polled every few seconds: keep the selection steady
        self.volumes = list(volumes)
        self._fill()

    def _fill(self) -> None:
        current = self.destination()
        self.blockSignals(True)
        self.clear()
        for volume in self.volumes:
            item = QListWidgetItem(_("USB / drive: {label}").format(label=volume.label))
            item.setData(PATH_ROLE, str(volume.root))
            item.setToolTip(str(volume.root))
            self.addItem(item)
        for folder in self.folders:
            item = QListWidgetItem(_("Folder: {path}").format(path=folder))
            item.setData(PATH_ROLE, str(folder))
            item.setToolTip(str(folder))
            self.addItem(item)
        choose = QListWidgetItem(_("Choose a folder…"))
        choose.setData(PATH_ROLE, CHOOSE)
        self.addItem(choose)
        self.blockSignals(False)
        if current is not None:
            self.select(current)
        elif self.volumes:
            self.setCurrentRow(0)
        self.chosen.emit()

    def add_folder(self, folder: Path) -> None:
        """Offer ``folder`` after the drives (a folder chosen in an earlier session)."""
        if folder not in self.folders:
            self.folders.append(folder)
            self._fill()

    def select(self, path: Path) -> None:
        for row in range(self.count()):
            if self.item(row).data(PATH_ROLE) == str(path):
                self.setCurrentRow(row)
                return

    def destination(self) -> Path | None:
        item = self.currentItem()
        if item is None or item.data(PATH_ROLE) == CHOOSE:
            return None
        return Path(item.data(PATH_ROLE))

    def _activated(self, item: QListWidgetItem) -> None:
        if item.data(PATH_ROLE) == CHOOSE:
            self.choose_folder()

    def choose_folder(self) -> None:
        folder = self.ask_folder(self, _("Choose the folder to write the package to"))
        if folder is None:
            self.setCurrentRow(0 if self.volumes or self.folders else -1)
            return
        if folder not in self.folders:
            self.folders.append(folder)
        if self.remember is not None:
            self.remember(folder)
        self._fill()
        self.select(folder)
