"""Evidence files coming in and going out: the file dialog, dropped URLs, copying files
into the store on the worker thread, and a named copy for the system's viewer."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from parapp.domain.errors import DomainError
from parapp.i18n import _
from parapp.services import evidence, evidence_open

if TYPE_CHECKING:
    from parapp.services.office import Office


def choose_files(parent: QWidget) -> list[Path]:
    names, _filter = QFileDialog.getOpenFileNames(
        parent,
        _("Choose evidence files"),
        "",
        _("Documents (*.pdf *.doc *.docx *.xls *.xlsx *.jpg *.jpeg *.png *.tif *.tiff *.txt);;"
          "All files (*)"),
    )
    return [Path(n) for n in names]


def open_with_system(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def dropped_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    data = event.mimeData()
    if data is None or not data.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()]


def add_files_job(
    db: Office, files: Sequence[Path], codes: Sequence[str], year: int | None
) -> Generator[tuple[int, int, str], None, tuple[list[Any], list[tuple[Path, BaseException]]]]:
    """Copy each file into the store (worker thread); one bad file does not stop the rest.
    Returns the documents added and the failures."""
    added: list[Any] = []
    failures: list[tuple[Path, BaseException]] = []
    for k, path in enumerate(files):
        yield k, len(files), _("Copying {name}…").format(name=path.name)
        try:
            added.append(evidence.add_evidence(db, path, node_codes=codes, year=year))
        except (DomainError, OSError) as exc:
            failures.append((path, exc))
    return added, failures


def named_copy(db: Office, sha256: str, name: str) -> Path:
    """The store names files by their hash: a viewer needs the real name and extension,
    so a copy under a safe name goes to the program's own folder (worker thread). A
    program or script is refused with a sentence, never handed to the system."""
    return evidence_open.open_copy(db, sha256, name)
