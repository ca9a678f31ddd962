"""Columns and custom roles of the criteria table (shared by the model, views, delegates)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from parapp.i18n import _

COL_STT, COL_TITLE, COL_MAX, COL_DECLARED, COL_SELF, COL_EVIDENCE, COL_EXPLANATION = range(7)
COLUMN_COUNT = 7

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
EDIT_KIND_ROLE = Qt.ItemDataRole.UserRole + 2
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 3
FOLD_ROLE = Qt.ItemDataRole.UserRole + 4
IS_LEAF_ROLE = Qt.ItemDataRole.UserRole + 5
ERROR_ROLE = Qt.ItemDataRole.UserRole + 6
EVIDENCE_COUNT_ROLE = Qt.ItemDataRole.UserRole + 7


def headers() -> list[str]:
    # TRANSLATORS: column headers of the self-assessment table; "\n" breaks the line.
    return [
        _("No."),
        _("Criterion"),
        _("Max\npoints"),
        _("Declared\ndata"),
        _("Self\nscore"),
        _("Evidence\nfiles"),
        _("Explanation"),
    ]
