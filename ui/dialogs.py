"""Message boxes whose buttons we label ourselves (no English "OK" in a Vietnamese window)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from parapp.i18n import _, message


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, detail: str = ""
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    return box


def inform(parent: QWidget | None, text: str, detail: str = "", title: str = "") -> None:
    box = _box(parent, QMessageBox.Icon.Information, title or _("Information"), text, detail)
    box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def inform_later(parent: QWidget | None, text: str, detail: str = "", title: str = "") -> None:
    """``inform`` without waiting for the answer (the box closes itself when answered)."""
    box = _box(parent, QMessageBox.Icon.Information, title or _("Information"), text, detail)
    box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def warning_box(
    parent: QWidget | None, text: str, detail: str = "", title: str = ""
) -> QMessageBox:
    box = _box(parent, QMessageBox.Icon.Warning, title or _("Cannot do this"), text, detail)
    box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)
    return box


def warn(parent: QWidget | None, text: str, detail: str = "", title: str = "") -> None:
    warning_box(parent, text, detail, title).exec()


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A user-facing error (DomainError, OSError) as a clear sentence in our language."""
    if isinstance(exc, OSError) and not hasattr(exc, "template"):
        where = f" ({exc.filename})" if exc.filename else ""
        text = _("The file system refused the operation: {reason}{where}").format(
            reason=exc.strerror or exc, where=where
        )
    else:
        text = message(exc)
    warn(parent, text)


def confirm(parent: QWidget | None, text: str, yes: str, no: str = "", title: str = "") -> bool:
    """Ask; ``yes`` names the action ("Xóa"), so the answer never needs a generic "OK"."""
    box = _box(parent, QMessageBox.Icon.Question, title or _("Please confirm"), text)
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no or _("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is accept
