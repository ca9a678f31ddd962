"""Qt's own user-visible strings (standard buttons, edit menus) in our language.

Qt ships no Vietnamese catalogue, so a QTranslator answers from our gettext catalog for
the handful of strings Qt shows: standard dialog buttons and the line-edit context menu.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from parapp.i18n import N_, _

# Qt's source text -> our msgid (Qt puts "&" before mnemonic letters; we drop them).
QT_STRINGS: dict[str, str] = {
    "OK": N_("OK"),
    "&OK": N_("OK"),
    "Cancel": N_("Cancel"),
    "&Cancel": N_("Cancel"),
    "Close": N_("Close"),
    "&Close": N_("Close"),
    "Yes": N_("Yes"),
    "&Yes": N_("Yes"),
    "No": N_("No"),
    "&No": N_("No"),
    "Yes to &All": N_("Yes to all"),
    "N&o to All": N_("No to all"),
    "Apply": N_("Apply"),
    "Save": N_("Save"),
    "&Save": N_("Save"),
    "Save All": N_("Save all"),
    "Open": N_("Open"),
    "&Open": N_("Open"),
    "Discard": N_("Discard"),
    "Don't Save": N_("Don't save"),
    "Close without Saving": N_("Close without saving"),
    "Reset": N_("Reset"),
    "Restore Defaults": N_("Restore defaults"),
    "Help": N_("Help"),
    "Abort": N_("Stop"),
    "Retry": N_("Try again"),
    "Ignore": N_("Ignore"),
    "Show Details...": N_("Show details…"),
    "Hide Details...": N_("Hide details…"),
    "&Undo": N_("Undo"),
    "&Redo": N_("Redo"),
    "Cu&t": N_("Cut"),
    "&Copy": N_("Copy"),
    "&Paste": N_("Paste"),
    "Delete": N_("Delete"),
    "Select All": N_("Select all"),
}


class QtStringTranslator(QTranslator):
    """Translate Qt's built-in strings through parapp's catalog."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        msgid = QT_STRINGS.get(source_text)
        # None (a null QString) lets Qt keep its own text; "" would replace it with nothing.
        return _(msgid) if msgid else None

    def isEmpty(self) -> bool:
        return False


_installed: QtStringTranslator | None = None


def install() -> None:
    """Install once per process (the translator must outlive the application's use of it)."""
    global _installed
    app = QCoreApplication.instance()
    if app is None or _installed is not None:
        return
    _installed = QtStringTranslator(app)
    app.installTranslator(_installed)
