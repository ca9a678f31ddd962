"""The evidence documents of an assessment as a table: title, number, date, file, size,
linked criteria. Title, number and date are edited in place; the model checks what was
typed and hands accepted edits to ``committer`` (the screen saves them on the worker)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from parapp.domain.errors import DomainError
from parapp.domain.text import clean, fold
from parapp.i18n import _, format_date, format_decimal, message
from parapp.services.evidence import parse_doc_date
from ui import style
from ui.models.rows import Index, RowsModel

if TYPE_CHECKING:
    from parapp.services.evidence import EvidenceInfo

COL_TITLE, COL_NUMBER, COL_DATE, COL_FILE, COL_SIZE, COL_CRITERIA = range(6)
COLUMN_COUNT = 6
EDITABLE_COLUMNS = frozenset({COL_TITLE, COL_NUMBER, COL_DATE})
FIELDS = {COL_TITLE: "title", COL_NUMBER: "doc_number", COL_DATE: "doc_date"}

SHA_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_ROLE = Qt.ItemDataRole.UserRole + 2

# committer(sha256, field, value): field is "title", "doc_number" or "doc_date".
Committer = Callable[[str, str, Any], None]


def headers() -> list[str]:
    return [
        _("Title"),
        _("Number"),
        _("Date"),
        _("File"),
        _("Size"),
        _("Criteria"),
    ]


def file_size(size: int) -> str:
    """"820 B", "14 KB", "2,4 MB" (decimal comma in Vietnamese)."""
    if size < 1024:
        return _("{n} B").format(n=size)
    if size < 1024 * 1024:
        return _("{n} KB").format(n=format_decimal(Decimal(size) / 1024, 0))
    return _("{n} MB").format(n=format_decimal(Decimal(size) / (1024 * 1024), 1))


def _folded(doc: EvidenceInfo) -> str:
    return fold(" ".join((doc.title, doc.doc_number, doc.filename, " ".join(doc.node_codes))))


class EvidenceModel(RowsModel):
    """All the documents (``_all``); the rows are those that match the query."""

    edit_refused = Signal(str)  # what was typed cannot be saved: the reason, translated
    NUMERIC = (COL_DATE, COL_SIZE)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(headers(), parent)
        self._all: list[EvidenceInfo] = []
        self._query = ""
        self._errors: dict[tuple[str, int], str] = {}
        self.editable = False
        self.committer: Committer | None = None

    # -- contents ------------------------------------------------------------------
    def set_documents(self, docs: Sequence[EvidenceInfo], editable: bool) -> None:
        self._all = list(docs)
        self.editable = editable
        self._errors.clear()
        self.set_rows(self._matching())

    def set_query(self, text: str) -> None:
        query = fold(clean(text))
        if query == self._query:
            return
        self._query = query
        self.set_rows(self._matching())

    def _matching(self) -> list[EvidenceInfo]:
        words = self._query.split()
        return [d for d in self._all if all(w in _folded(d) for w in words)]

    def replace_document(self, doc: EvidenceInfo) -> None:
        """A saved document, fresh from the service (or a new one: added at the end)."""
        for k, old in enumerate(self._all):
            if old.sha256 == doc.sha256:
                self._all[k] = doc
                break
        else:
            self._all.append(doc)
        for key in [key for key in self._errors if key[0] == doc.sha256]:
            del self._errors[key]
        row = self.row_of(doc.sha256)
        if row >= 0:
            self.rows[row] = doc
            self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))
        else:
            self.set_rows(self._matching())

    @property
    def total(self) -> int:
        return len(self._all)

    def document(self, row: int) -> EvidenceInfo | None:
        return self.row_at(row)

    def row_of(self, sha256: str) -> int:
        for k, doc in enumerate(self.rows):
            if doc.sha256 == sha256:
                return k
        return -1

    def show_error(self, sha256: str, column: int, reason: str) -> None:
        self._errors[(sha256, column)] = reason
        row = self.row_of(sha256)
        if row >= 0:
            self.dataChanged.emit(self.index(row, column), self.index(row, column))

    # -- Qt ------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.column() in EDITABLE_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        doc = self.document(index.row())
        if doc is None:
            return None
        col = index.column()
        error = self._errors.get((doc.sha256, col))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(doc, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if error:
                return error
            if col == COL_CRITERIA and not doc.node_codes:
                return _(
                    "Not linked to any criterion yet: select it and press 'Link to criteria…'."
                )
            return self._text(doc, col) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if error:
                return style.ERROR_TEXT
            if col == COL_CRITERIA and not doc.node_codes:
                return style.LOST_TEXT
            if col in (COL_FILE, COL_SIZE):
                return style.MUTED_TEXT
        if role == Qt.ItemDataRole.BackgroundRole and error:
            return style.ERROR_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(col)
        if role == SHA_ROLE:
            return doc.sha256
        if role == ERROR_ROLE:
            return error
        return None

    @staticmethod
    def _text(doc: EvidenceInfo, col: int) -> str:
        if col == COL_TITLE:
            return doc.title
        if col == COL_NUMBER:
            return doc.doc_number
        if col == COL_DATE:
            return format_date(doc.doc_date) if doc.doc_date else ""
        if col == COL_FILE:
            return doc.filename
        if col == COL_SIZE:
            return file_size(doc.size)
        if col == COL_CRITERIA:
            return ", ".join(doc.node_codes) if doc.node_codes else _("not linked")
        return ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        doc = self.document(index.row())
        col = index.column()
        if doc is None or role != Qt.ItemDataRole.EditRole or col not in EDITABLE_COLUMNS:
            return False
        text = clean(str(value or ""))
        if text == self._text(doc, col):
            return False
        parsed: Any = text
        if col == COL_DATE:
            try:
                parsed = parse_doc_date(text)
            except DomainError as exc:
                return self._refuse(doc, col, message(exc))
        elif col == COL_TITLE and not text:
            return self._refuse(
                doc, col, _("A document needs a title; the old one is kept.")
            )
        self._errors.pop((doc.sha256, col), None)
        if self.committer is not None:
            self.committer(doc.sha256, FIELDS[col], parsed)
        return True

    def _refuse(self, doc: EvidenceInfo, col: int, reason: str) -> bool:
        self.show_error(doc.sha256, col, reason)
        self.edit_refused.emit(reason)
        return False
